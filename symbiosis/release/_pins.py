"""Check that pinned and ranged requirements can still be installed.

For every requirement read by
:func:`symbiosis.release._requirements.read_requirement_files`:

* an exact pin (``==1.2.0``, ``===1.2.0``; ``==1.2.*`` is a range) must
  name a release the configured index has (``missing``), whose files
  were not all deleted (``missing``), that is not yanked (``yanked``,
  with the reason) and that has a file for each supported Python
  (``no-compatible-files``);
* any other specifier must still match at least one installable,
  non-yanked version for each supported Python (``no-match``).

Supported Pythons come from the caller, else from the ``requires-python``
of the project next to the file, else the running interpreter. A
requirement whose environment marker excludes a Python is not checked for
it.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
import dataclasses
import logging
import os
import pathlib
import sys
from typing import Any

from packaging.markers import Marker
from packaging.specifiers import InvalidSpecifier
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag
from packaging.tags import compatible_tags
from packaging.tags import cpython_tags
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis.config import Config
from symbiosis.release._model import Severity
from symbiosis.release._project import read_project_info
from symbiosis.release._requirements import RequirementLine
from symbiosis.release._requirements import SyntaxNote
from symbiosis.release._requirements import read_requirement_files
from symbiosis.sources._filenames import parse_release_filename
from symbiosis.sources._releases import ProjectReleases
from symbiosis.sources._releases import ReleaseFile
from symbiosis.sources._releases import fetch_releases

__all__ = [
    'PROBLEM_KINDS',
    'PYTHON_VERSIONS',
    'PinProblem',
    'check_pins',
    'compatible_with',
    'supported_pythons',
]

LOG = logging.getLogger(__name__)

#: The ``problem`` values of :class:`PinProblem`.
PROBLEM_KINDS = (
    'missing', 'yanked', 'no-compatible-files', 'no-match', 'invalid',
    'ignored',
)

#: CPython versions considered when ``requires-python`` names a range.
PYTHON_VERSIONS = tuple(f'3.{minor}' for minor in range(8, 15))


@dataclasses.dataclass(frozen=True)
class PinProblem:
    """A requirement that cannot be installed as written.

    :param requirement: the requirement text.
    :param problem: ``missing``, ``yanked``, ``no-compatible-files``,
        ``no-match``, ``invalid`` (a malformed line) or ``ignored`` (a
        line that is not checked; informational).
    :param detail: what exactly is wrong.
    :param file: the file the requirement was read from.
    :param line: its line number, when known.
    """

    requirement: str
    problem: str
    detail: str
    file: str | None = None
    line: int | None = None

    @property
    def severity(self) -> Severity:
        """``info`` for ignored lines, ``error`` for everything else."""
        return Severity.INFO if self.problem == 'ignored' else Severity.ERROR

    @property
    def where(self) -> str:
        """``file:line`` (or just the file)."""
        if self.file is None:
            return ''
        return f'{self.file}:{self.line}' if self.line else self.file

    def to_json(self) -> dict[str, Any]:
        """Return ``{requirement, problem, detail, file, line}``."""
        return {
            'requirement': self.requirement,
            'problem': self.problem,
            'detail': self.detail,
            'file': self.file,
            'line': self.line,
        }

    def __str__(self) -> str:
        where = f'{self.where}: ' if self.file else ''
        return f'{where}{self.requirement}: {self.problem}: {self.detail}'


def _requires_python_near(path: pathlib.Path) -> str | None:
    directory = path if path.is_dir() else path.parent
    return read_project_info(directory).requires_python


def supported_pythons(
    requires_python: str | None,
    candidates: Sequence[str] = PYTHON_VERSIONS,
) -> tuple[str, ...]:
    """Return the Python versions (``3.11``) a project supports.

    :param requires_python: the project's ``requires-python``; ``None``
        means the running interpreter's version.
    :param candidates: the versions considered.
    """
    current = f'{sys.version_info[0]}.{sys.version_info[1]}'
    if not requires_python:
        return (current,)
    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier:
        LOG.warning('invalid requires-python %r: checking Python %s',
                    requires_python, current)
        return (current,)
    chosen = tuple(v for v in candidates if _allows(spec, v))
    return chosen or (current,)


def _allows(spec: SpecifierSet, python: str) -> bool:
    return any(
        spec.contains(f'{python}.{micro}', prereleases=True)
        for micro in (0, 99)
    )


def _python_tags(python: str, platforms: Iterable[str]) -> set[Tag]:
    major, minor = (int(p) for p in python.split('.')[:2])
    plats = sorted(set(platforms))
    return set(cpython_tags((major, minor), platforms=plats)) | set(
        compatible_tags(
            (major, minor), interpreter=f'cp{major}{minor}', platforms=plats
        )
    )


def compatible_with(file: ReleaseFile, python: str) -> bool:
    """Whether ``file`` can be installed on CPython ``python`` (``3.11``)
    on some platform.

    An sdist is compatible unless its ``requires-python`` excludes the
    version; a wheel must also carry a tag that CPython accepts
    (``py3``, ``cp311``, ``abi3`` from an older version...).
    """
    if file.requires_python:
        try:
            if not _allows(SpecifierSet(file.requires_python), python):
                return False
        except InvalidSpecifier:
            pass
    if not file.is_wheel:
        return True
    parsed = parse_release_filename(file.filename)
    if parsed is None:
        return False
    tags = parsed.tags
    return bool(tags & _python_tags(python, {t.platform for t in tags}))


def _applies(line: RequirementLine, python: str) -> bool:
    marker: Marker | None = line.requirement.marker
    if marker is None:
        return True
    env = {
        'python_version': python,
        'python_full_version': f'{python}.0',
        'implementation_name': 'cpython',
        'platform_python_implementation': 'CPython',
        'extra': '',
    }
    try:
        return bool(marker.evaluate(env))
    except Exception:
        return True


def _exact_version(spec: SpecifierSet) -> tuple[str, str] | None:
    for item in spec:
        if item.operator == '===':
            return '===', item.version
        if item.operator == '==' and not item.version.endswith('.*'):
            return '==', item.version
    return None


def _nearest(versions: Sequence[Version], wanted: str) -> str:
    try:
        target = Version(wanted)
    except InvalidVersion:
        return ', '.join(str(v) for v in versions[-3:])
    ordered = sorted(
        versions,
        key=lambda v: (abs(v.major - target.major), v < target, -v.minor),
    )
    return ', '.join(str(v) for v in ordered[:3])


def _check_exact(
    line: RequirementLine,
    releases: ProjectReleases,
    operator: str,
    wanted: str,
    pythons: Sequence[str],
) -> PinProblem | None:
    name = line.requirement.name
    versions = releases.all_versions()
    if operator == '===':
        matches = [v for v in versions if str(v) == wanted] or [
            f.version for f in releases.files
            if f.version is not None and wanted in f.filename
        ][:1]
    else:
        target = Version(wanted)
        matches = [v for v in versions if v == target]
    def report(kind: str, detail: str) -> PinProblem:
        return PinProblem(line.text, kind, detail, line.file, line.line)

    if not matches:
        hint = _nearest(versions, wanted)
        return report(
            'missing',
            f'{name} has no release {wanted} on the configured index'
            + (f' (nearest: {hint})' if hint else ''),
        )
    version = matches[0]
    files = releases.files_of(version)
    if not files:
        return report(
            'missing',
            f'{name} {version} was deleted: the index lists the version '
            'but none of its files',
        )
    usable = [f for f in files if not f.yanked]
    if not usable:
        reasons = sorted({f.yanked_reason for f in files if f.yanked_reason})
        reason = '; '.join(reasons) if reasons else 'no reason given'
        return report('yanked', f'{name} {version} is yanked: {reason}')
    lacking = [
        py for py in pythons
        if not any(compatible_with(f, py) for f in usable)
    ]
    if lacking:
        names = ', '.join(f.filename for f in usable[:5])
        return report(
            'no-compatible-files',
            f'{name} {version} has no file for Python '
            f'{", ".join(lacking)} (files: {names})',
        )
    return None


def _check_range(
    line: RequirementLine,
    releases: ProjectReleases,
    pythons: Sequence[str],
) -> PinProblem | None:
    name = line.requirement.name
    spec = line.requirement.specifier
    versions = releases.all_versions()
    matching = list(spec.filter(versions)) or list(
        spec.filter(versions, prereleases=True)
    )
    text = str(spec) or 'any version'
    if not matching:
        latest = f' (latest: {versions[-1]})' if versions else ''
        return PinProblem(
            line.text, 'no-match',
            f'no release of {name} matches {text}{latest}',
            line.file, line.line,
        )
    usable = {
        v: [f for f in releases.files_of(v) if not f.yanked]
        for v in matching
    }
    if not any(usable.values()):
        return PinProblem(
            line.text, 'no-match',
            f'every release of {name} matching {text} is yanked or '
            f'deleted ({len(matching)} matching)',
            line.file, line.line,
        )
    lacking = [
        py for py in pythons
        if not any(
            compatible_with(f, py) for files in usable.values()
            for f in files
        )
    ]
    if lacking:
        return PinProblem(
            line.text, 'no-match',
            f'no installable release of {name} matching {text} has files '
            f'for Python {", ".join(lacking)}',
            line.file, line.line,
        )
    return None


def _note_problem(note: SyntaxNote) -> PinProblem:
    return PinProblem(note.text, note.kind, note.detail, note.file,
                      note.line)


def check_pins(
    files: Sequence[str | os.PathLike[str]],
    *,
    config: Config | None = None,
    pythons: Sequence[str] | None = None,
    offline: bool | None = None,
) -> list[PinProblem]:
    """Check the pins of requirement files against the configured index.

    :param files: requirements/constraints files and ``pyproject.toml``
        files.
    :param config: the index, cache and timeout (default: from the
        environment).
    :param pythons: the supported Python versions (``3.11``); default:
        from the ``requires-python`` next to each file.
    :param offline: check only the syntax (default: ``config.offline``).
    :returns: problems in file order; ``ignored`` entries are
        informational, every other one is an error.
    :raises symbiosis.exception.IndexUnreachable: the index cannot be
        reached.
    """
    config = config if config is not None else Config.from_environ()
    offline = config.offline if offline is None else offline
    lines, notes = read_requirement_files(files)
    problems = [_note_problem(n) for n in notes]
    if offline:
        return problems
    pages: dict[str, ProjectReleases | None] = {}
    targets: dict[str, tuple[str, ...]] = {}
    for line in lines:
        name = line.requirement.name
        key = canonicalize_name(name)
        if key not in pages:
            pages[key] = fetch_releases(name, config)
        releases = pages[key]
        if line.file not in targets:
            targets[line.file] = tuple(pythons) if pythons else (
                supported_pythons(
                    _requires_python_near(pathlib.Path(line.file))
                )
            )
        applicable = [
            py for py in targets[line.file] if _applies(line, py)
        ]
        if releases is None:
            problems.append(PinProblem(
                line.text, 'missing',
                f'no project named {name!r} on the configured index',
                line.file, line.line,
            ))
            continue
        exact = _exact_version(line.requirement.specifier)
        if exact is not None:
            found = _check_exact(line, releases, *exact, applicable)
        else:
            found = _check_range(line, releases, applicable)
        if found is not None:
            problems.append(found)
    problems.sort(key=lambda p: (p.file or '', p.line or 0))
    return problems
