"""Read a project source tree into a :class:`SourceTree`.

Metadata comes from static files only -- ``pyproject.toml`` ``[project]``
(and the poetry table), ``setup.cfg`` ``[metadata]``/``[options]``,
``PKG-INFO`` (an sdist's generated metadata, which has the real version
when ``pyproject.toml`` declares it dynamic) and the literal keyword
arguments of ``setup()`` read from ``setup.py`` with :mod:`ast`. No build
backend or ``setup.py`` is ever run.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
import configparser
import logging
import pathlib
import sys
from typing import Any

from symbiosis.exception import TargetError
from symbiosis.sources._base import SourceTree
from symbiosis.sources._layout import find_layout
from symbiosis.sources._metadata import CoreMetadata
from symbiosis.sources._metadata import merge_entry_points
from symbiosis.sources._metadata import parse_core_metadata
from symbiosis.sources._metadata import parse_entry_points

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ['PROJECT_FILES', 'is_project', 'read_project']

LOG = logging.getLogger(__name__)

#: Files whose presence makes a directory a project source tree.
PROJECT_FILES = ('pyproject.toml', 'setup.cfg', 'setup.py', 'PKG-INFO')

_SETUP_KEYS = frozenset(
    {
        'name',
        'version',
        'python_requires',
        'packages',
        'py_modules',
        'package_dir',
        'extras_require',
        'entry_points',
    }
)


def is_project(path: pathlib.Path) -> bool:
    """Whether ``path`` is a directory with a project or build file."""
    return any((path / f).is_file() for f in PROJECT_FILES)


def _read_pyproject(path: pathlib.Path, target: str) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open('rb') as stream:
            data: dict[str, Any] = tomllib.load(stream)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise TargetError(target, f'{path}: invalid TOML: {err}') from err
    return data


def _read_setup_cfg(path: pathlib.Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read(path, encoding='utf-8')
    except (configparser.Error, UnicodeDecodeError) as err:
        LOG.warning('%s: ignoring unreadable setup.cfg: %s', path, err)
        return {}
    return {s: dict(parser.items(s)) for s in parser.sections()}


def _read_setup_py(path: pathlib.Path) -> dict[str, object]:
    """Return the literal keyword arguments of the ``setup()`` call."""
    if not path.is_file():
        return {}
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError) as err:
        LOG.warning('%s: cannot parse setup.py: %s', path, err)
        return {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = (
            func.attr
            if isinstance(func, ast.Attribute)
            else (func.id if isinstance(func, ast.Name) else '')
        )
        if called != 'setup':
            continue
        found: dict[str, object] = {}
        for keyword in node.keywords:
            if keyword.arg in _SETUP_KEYS:
                try:
                    found[keyword.arg] = ast.literal_eval(keyword.value)
                except ValueError:
                    continue  # computed at run time: unknown statically
        return found
    return {}


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        text = value.strip()
        # setup.cfg directives name other files; they are not values.
        if not text.startswith(('attr:', 'file:')):
            return text
    return None


def _first(*values: object) -> str | None:
    for value in values:
        text = _text(value)
        if text is not None:
            return text
    return None


def _cfg_entry_points(
    section: Mapping[str, object],
) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for group, body in section.items():
        lines = (
            body.splitlines()
            if isinstance(body, str)
            else ([str(b) for b in body] if isinstance(body, list) else [])
        )
        for line in lines:
            if '=' in line:
                name, _, value = line.partition('=')
                groups.setdefault(group, {})[name.strip()] = value.strip()
    return groups


def _pyproject_entry_points(
    project: Mapping[str, Any],
) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for key, group in (
        ('scripts', 'console_scripts'),
        ('gui-scripts', 'gui_scripts'),
    ):
        if isinstance(project.get(key), Mapping):
            groups[group] = {k: str(v) for k, v in project[key].items()}
    eps = project.get('entry-points')
    if isinstance(eps, Mapping):
        for group, values in eps.items():
            if isinstance(values, Mapping):
                groups[group] = {k: str(v) for k, v in values.items()}
    return groups


def _egg_info_entry_points(
    directory: pathlib.Path,
) -> dict[str, dict[str, str]]:
    for base in (directory, directory / 'src'):
        for egg in sorted(base.glob('*.egg-info')):
            path = egg / 'entry_points.txt'
            if path.is_file():
                return parse_entry_points(
                    path.read_text(encoding='utf-8', errors='replace')
                )
    return {}


def read_project(
    directory: pathlib.Path,
    target: str,
    *,
    defaults: CoreMetadata | None = None,
) -> SourceTree:
    """Return the :class:`SourceTree` of the project source tree ``directory``.

    :param target: the TARGET text, recorded on the tree and used in
        errors.
    :param defaults: metadata known from elsewhere (an installed
        distribution's METADATA) that wins over what the files say.
    :raises symbiosis.exception.TargetError: ``pyproject.toml`` is not
        valid TOML, or no Python package or module is found.
    """
    pyproject = _read_pyproject(directory / 'pyproject.toml', target)
    cfg = _read_setup_cfg(directory / 'setup.cfg')
    setup_py = _read_setup_py(directory / 'setup.py')
    pkg_info_path = directory / 'PKG-INFO'
    pkg_info = (
        parse_core_metadata(
            pkg_info_path.read_text(encoding='utf-8', errors='replace')
        )
        if pkg_info_path.is_file()
        else CoreMetadata()
    )
    known = defaults or CoreMetadata()
    project = pyproject.get('project')
    project = project if isinstance(project, Mapping) else {}
    tool = pyproject.get('tool')
    poetry = tool.get('poetry', {}) if isinstance(tool, Mapping) else {}
    poetry = poetry if isinstance(poetry, Mapping) else {}
    meta = cfg.get('metadata', {})
    options = cfg.get('options', {})

    name = _first(
        known.name,
        project.get('name'),
        pkg_info.name,
        meta.get('name'),
        setup_py.get('name'),
        poetry.get('name'),
    )
    version = _first(
        known.version,
        project.get('version'),
        pkg_info.version,
        meta.get('version'),
        setup_py.get('version'),
        poetry.get('version'),
    )
    requires_python = _first(
        known.requires_python,
        project.get('requires-python'),
        pkg_info.requires_python,
        options.get('python_requires'),
        setup_py.get('python_requires'),
    )
    extras: tuple[str, ...] = known.extras
    for candidate in (
        project.get('optional-dependencies'),
        pkg_info.extras,
        cfg.get('options.extras_require'),
        setup_py.get('extras_require'),
        poetry.get('extras'),
    ):
        if extras:
            break
        if isinstance(candidate, Mapping):
            extras = tuple(str(k) for k in candidate)
        elif isinstance(candidate, tuple):
            extras = candidate
    setup_eps = setup_py.get('entry_points')
    entry_points = merge_entry_points(
        _pyproject_entry_points(project),
        _cfg_entry_points(cfg.get('options.entry_points', {})),
        _cfg_entry_points(setup_eps) if isinstance(setup_eps, Mapping) else {},
        {'console_scripts': dict(poetry.get('scripts', {}))}
        if isinstance(poetry.get('scripts'), Mapping)
        else {},
        _egg_info_entry_points(directory),
    )
    layout = find_layout(
        directory,
        pyproject=pyproject,
        setup_cfg=cfg,
        setup_py=setup_py,
        dist_name=name,
    )
    if layout is None:
        raise TargetError(
            target, f'no Python package or module found in {directory}'
        )
    LOG.debug(
        '%s: project %s %s, %s under %s',
        target,
        name,
        version,
        ', '.join(layout.top_level),
        layout.root,
    )
    return SourceTree(
        target=target,
        root=layout.root,
        top_level=layout.top_level,
        name=name,
        version=version,
        requires_python=requires_python,
        extras=extras,
        entry_points={g: eps for g, eps in entry_points.items() if eps},
    )
