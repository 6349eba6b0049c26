"""Find the import names of a project source tree from its layout.

The build configuration says where packages are when it says anything
(``[tool.setuptools] packages``/``packages.find``, ``setup.cfg``
``[options]``, hatch, poetry and flit tables); otherwise the layout does:
a ``src/`` directory, or packages and modules at the project root, minus
the usual non-library directories and helper scripts.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import fnmatch
import logging
import pathlib
import re

from symbiosis.sources._metadata import existing_top_level

__all__ = ['Layout', 'find_layout', 'scan_layout']

LOG = logging.getLogger(__name__)

#: Directories at a project root that are not part of the library.
SKIP_DIRS = frozenset(
    {
        'bench',
        'benchmark',
        'benchmarks',
        'build',
        'dist',
        'doc',
        'docs',
        'env',
        'example',
        'examples',
        'playground',
        'releasenotes',
        'scripts',
        'site',
        'test',
        'testing',
        'tests',
        'tools',
        'venv',
        '__pycache__',
    }
)

#: Module files at a project root that are build or test helpers.
SKIP_MODULES = frozenset(
    {
        'bootstrap',
        'conftest',
        'distribute_setup',
        'ez_setup',
        'fabfile',
        'manage',
        'noxfile',
        'pavement',
        'run_tests',
        'runtests',
        'setup',
        'setupbase',
        'tasks',
        'toxfile',
        'versioneer',
    }
)


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where a project's import names live.

    :param root: the directory holding the packages and modules.
    :param top_level: the import names under ``root``.
    """

    root: pathlib.Path
    top_level: tuple[str, ...]


def _has_python(directory: pathlib.Path) -> bool:
    return any(
        p.suffix in ('.py', '.pyi')
        for p in directory.rglob('*')
        if '__pycache__' not in p.parts
    )


def _matches(name: str, patterns: Iterable[str]) -> bool:
    # ``foo*`` and ``foo.*`` both select the top-level ``foo``.
    return any(
        fnmatch.fnmatchcase(name, pat)
        or fnmatch.fnmatchcase(name, pat.split('.', 1)[0])
        for pat in patterns
    )


def scan_layout(
    root: pathlib.Path,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    dist_name: str | None = None,
) -> tuple[str, ...]:
    """Return the packages and modules directly under ``root``.

    Regular packages (with ``__init__.py``) and module files count;
    namespace packages (no ``__init__``) count where that is clear: an
    explicit ``include`` pattern names them, they are named after the
    distribution (``zope`` for ``zope.interface``), or they are the only
    Python code there is.

    :param include: ``packages.find`` include patterns (``()`` = all).
    :param exclude: ``packages.find`` exclude patterns.
    :param dist_name: the distribution name, for namespace packages.
    """
    if not root.is_dir():
        return ()
    explicit = [p for p in include if p != '*']
    dist_parts = set()
    if dist_name:
        words = re.split(r'[-_.]+', dist_name.lower())
        dist_parts = {words[0], '_'.join(words)}
    found: list[str] = []
    namespaces: list[str] = []
    for entry in sorted(root.iterdir()):
        name = entry.name
        if entry.is_dir():
            stubs = name.endswith('-stubs')
            if not (name.isidentifier() or stubs) or name in SKIP_DIRS:
                continue
            if (entry / '__init__.py').is_file() or (
                entry / '__init__.pyi'
            ).is_file():
                found.append(name)
            elif _has_python(entry):
                namespaces.append(name)
        elif entry.suffix in ('.py', '.pyi'):
            stem = entry.name.rsplit('.', 1)[0]
            if stem.isidentifier() and stem not in SKIP_MODULES:
                found.append(stem)
    clear = [
        n
        for n in namespaces
        if (explicit and _matches(n, explicit)) or n.lower() in dist_parts
    ]
    if not found and not clear and len(namespaces) == 1:
        clear = namespaces
    names = list(dict.fromkeys(found + clear))
    if explicit:
        names = [n for n in names if _matches(n, explicit)]
    names = [
        n
        for n in names
        if not any(fnmatch.fnmatchcase(n, pat) for pat in exclude)
    ]
    return tuple(names)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in re.split(r'[\n,]', value) if v.strip()]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _table(data: Mapping[str, object], *keys: str) -> Mapping[str, object]:
    for key in keys:
        value = data.get(key)
        if not isinstance(value, Mapping):
            return {}
        data = value
    return data


def _setuptools(
    project: pathlib.Path, table: Mapping[str, object], dist: str | None
) -> Layout | None:
    package_dir = table.get('package-dir', table.get('package_dir'))
    base = project
    if isinstance(package_dir, Mapping) and '' in package_dir:
        base = project / str(package_dir[''])
    packages = table.get('packages')
    modules = _strings(table.get('py-modules', table.get('py_modules')))
    if isinstance(packages, Mapping):
        find = packages.get('find')
        if isinstance(find, Mapping):
            wheres = _strings(find.get('where')) or ['.']
            for where in wheres:
                root = project / where
                names = scan_layout(
                    root,
                    include=_strings(find.get('include')),
                    exclude=_strings(find.get('exclude')),
                    dist_name=dist,
                )
                if names:
                    return Layout(root, names)
        return None
    explicit = [p.split('.', 1)[0] for p in _strings(packages)] + modules
    return _existing_layout(base, explicit)


def _existing_layout(
    root: pathlib.Path, names: Sequence[str]
) -> Layout | None:
    # The layout of those of ``names`` that exist under ``root``.
    found = existing_top_level(root, names)
    return Layout(root, found) if found else None


def _setup_cfg(
    project: pathlib.Path,
    options: Mapping[str, str],
    find: Mapping[str, str],
    dist: str | None,
) -> Layout | None:
    table: dict[str, object] = {
        'py-modules': options.get('py_modules', ''),
    }
    dirs = {}
    for line in options.get('package_dir', '').splitlines():
        if '=' in line:
            key, _, value = line.partition('=')
            dirs[key.strip()] = value.strip()
    table['package-dir'] = dirs
    packages = options.get('packages', '').strip()
    if packages.startswith('find'):
        where = find.get('where') or dirs.get('', '.')
        table['packages'] = {
            'find': {
                'where': where,
                'include': find.get('include', ''),
                'exclude': find.get('exclude', ''),
            }
        }
    else:
        table['packages'] = packages
    return _setuptools(project, table, dist)


def _other_backends(
    project: pathlib.Path, tool: Mapping[str, object]
) -> Layout | None:
    # (directory, import name) each backend declares, in the order asked.
    declared: list[tuple[pathlib.Path, str]] = []
    hatch = _table(tool, 'hatch', 'build', 'targets', 'wheel')
    for raw in _strings(hatch.get('packages')):
        path = project / raw
        declared.append((path.parent, path.name))
    poetry = _table(tool, 'poetry').get('packages')
    if isinstance(poetry, list):
        for entry in poetry:
            if isinstance(entry, Mapping) and 'include' in entry:
                root = project / str(entry.get('from', '.'))
                head = str(entry['include']).split('/', 1)[0]
                declared.append((root, head.removesuffix('.py')))
    flit = _table(tool, 'flit', 'module').get('name')
    if isinstance(flit, str):
        declared.extend((root, flit) for root in (project / 'src', project))
    layouts = (_existing_layout(root, [name]) for root, name in declared)
    return next((layout for layout in layouts if layout is not None), None)


def find_layout(
    project: pathlib.Path,
    *,
    pyproject: Mapping[str, object],
    setup_cfg: Mapping[str, Mapping[str, str]],
    setup_py: Mapping[str, object],
    dist_name: str | None,
) -> Layout | None:
    """Return where the import names of the project at ``project`` live.

    :param pyproject: the parsed ``pyproject.toml`` (may be empty).
    :param setup_cfg: ``setup.cfg`` sections (may be empty).
    :param setup_py: literal keyword arguments of ``setup()`` in
        ``setup.py`` (may be empty).
    :param dist_name: the distribution name, when known.
    :returns: ``None`` when no Python code is found.
    """
    tool = _table(pyproject, 'tool')
    candidates: list[Callable[[], Layout | None]] = [
        lambda: _setuptools(project, _table(tool, 'setuptools'), dist_name),
        lambda: _setup_cfg(
            project,
            setup_cfg.get('options', {}),
            setup_cfg.get('options.packages.find', {}),
            dist_name,
        ),
        lambda: _setuptools(project, setup_py, dist_name),
        lambda: _other_backends(project, tool),
    ]
    for candidate in candidates:
        layout = candidate()
        if layout is not None:
            LOG.debug(
                '%s: layout from build configuration: %s', project, layout
            )
            return layout
    for root in (project / 'src', project):
        names = scan_layout(root, dist_name=dist_name)
        if names:
            return Layout(root, names)
    return None
