"""Read requirements: requirements/constraints files and pyproject tables.

:func:`read_requirement_files` returns every requirement with the file and
line it came from, plus :class:`~symbiosis.release._pins.PinProblem`
records for lines that are malformed (the other lines are still read) and
notes for lines that are deliberately not checked (index options,
editable installs, direct URL references).

Requirements files follow pip's format: ``#`` comments, ``\\`` line
continuations, ``-r``/``--requirement`` includes and ``-c``/
``--constraint`` files (both relative to the including file), environment
markers and per-requirement options such as ``--hash``.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
import dataclasses
import os
import pathlib
import re
import sys
from typing import Any

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement

from symbiosis.exception import InputError
from symbiosis.release._model import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    'RequirementLine',
    'SyntaxNote',
    'read_requirement_files',
]

# pip's comment rule: a ``#`` at the start or after whitespace.
_COMMENT = re.compile(r'(^|\s+)#.*$')
# Per-requirement options (``--hash=...``) start at the first dash-led
# token; a requirement itself never has one.
_OPTION_TAIL = re.compile(r'\s+--?[A-Za-z].*$')
_INCLUDE = re.compile(
    r'^(?:-(?P<short>[rc])\s*|--(?P<long>requirement|constraint)'
    r'(?:\s*=\s*|\s+))(?P<path>\S.*)$'
)
_EDITABLE = re.compile(r'^(-e|--editable)(\s|=|$)')


@dataclasses.dataclass(frozen=True)
class RequirementLine:
    """One requirement read from a file.

    :param text: the requirement as written (options and comments cut).
    :param requirement: the parsed requirement.
    :param file: the file it was read from.
    :param line: its 1-based line number (the first of a continued line).
    :param constraint: read from a constraints file.
    """

    text: str
    requirement: Requirement
    file: str
    line: int
    constraint: bool = False


@dataclasses.dataclass(frozen=True)
class SyntaxNote:
    """A line that is malformed (``invalid``) or not checked
    (``ignored``).

    :param kind: ``invalid`` or ``ignored``.
    :param text: the line.
    :param detail: why.
    :param file: the file.
    :param line: the 1-based line number.
    """

    kind: str
    text: str
    detail: str
    file: str
    line: int | None

    @property
    def severity(self) -> Severity:
        """``error`` for invalid lines, ``info`` for ignored ones."""
        return Severity.ERROR if self.kind == 'invalid' else Severity.INFO


def _read_text(path: pathlib.Path) -> str:
    """The text of a requirements file: UTF-8 (a byte-order mark is
    allowed), as pip reads it by default.

    :raises symbiosis.exception.InputError: the file cannot be read, holds
        NUL bytes (a binary file, or UTF-16/32) or is not UTF-8; the error
        names the file and the line.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f'{path}: cannot read: {err.strerror or err}') \
            from err
    if b'\0' in data:
        line = data.count(b'\n', 0, data.index(b'\0')) + 1
        raise InputError(
            f'{path}:{line}: a NUL byte: not a text file (requirements '
            'files are UTF-8 text)')
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError as err:
        line = data.count(b'\n', 0, err.start) + 1
        raise InputError(
            f'{path}:{line}: byte 0x{data[err.start]:02x} is not UTF-8 '
            '(requirements files are UTF-8 text)') from err


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        line = raw.rstrip()
        if line.endswith('\\') and not _COMMENT.search(line):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield start, ' '.join(p.strip() for p in pending)
        pending = []
    if pending:
        yield start, ' '.join(p.strip() for p in pending)


def _looks_like_location(text: str) -> bool:
    return (
        '://' in text or text.startswith(('.', '/', '~'))
        or text.endswith(('.whl', '.tar.gz', '.zip'))
    )


def _read_requirements_txt(
    path: pathlib.Path,
    constraint: bool,
    seen: set[pathlib.Path],
    found: list[RequirementLine],
    notes: list[SyntaxNote],
) -> None:
    name = str(path)
    for number, logical in _logical_lines(_read_text(path)):
        line = _COMMENT.sub('', logical).strip()
        if not line:
            continue
        include = _INCLUDE.match(line)
        if include:
            kind = include.group('short') or include.group('long')[0]
            target = path.parent / include.group('path').strip()
            _read_file(
                target, kind == 'c', seen, found, notes,
                origin=(name, number),
            )
            continue
        if _EDITABLE.match(line):
            notes.append(SyntaxNote(
                'ignored', line, 'editable requirement: not checked',
                name, number,
            ))
            continue
        if line.startswith('-'):
            option = line.split()[0].split('=')[0]
            notes.append(SyntaxNote(
                'ignored', line,
                f'option {option} ignored: the configured index is checked',
                name, number,
            ))
            continue
        text = _OPTION_TAIL.sub('', line).strip()
        _add_requirement(text, name, number, constraint, found, notes)


def _add_requirement(
    text: str,
    file: str,
    line: int | None,
    constraint: bool,
    found: list[RequirementLine],
    notes: list[SyntaxNote],
) -> None:
    try:
        requirement = Requirement(text)
    except InvalidRequirement as err:
        if _looks_like_location(text):
            notes.append(SyntaxNote(
                'ignored', text, 'a file or URL: not checked', file, line,
            ))
        else:
            detail = str(err).splitlines()[0]
            notes.append(SyntaxNote('invalid', text, detail, file, line))
        return
    if requirement.url:
        notes.append(SyntaxNote(
            'ignored', text, 'direct URL reference: not checked', file,
            line,
        ))
        return
    found.append(RequirementLine(
        text, requirement, file, line or 0, constraint
    ))


def _line_of(lines: Sequence[str], text: str, after: int) -> int | None:
    for quoted in (f'"{text}"', f"'{text}'", text):
        for index in range(after, len(lines)):
            if quoted in lines[index]:
                return index + 1
    return None


def _read_pyproject(
    path: pathlib.Path,
    found: list[RequirementLine],
    notes: list[SyntaxNote],
) -> None:
    name = str(path)
    source = _read_text(path)
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        notes.append(SyntaxNote('invalid', path.name, f'invalid TOML: {err}',
                                name, None))
        return
    lines = source.splitlines()
    tables: list[tuple[str, Any]] = []
    project = data.get('project', {})
    if isinstance(project, dict):
        tables.append(('project.dependencies', project.get('dependencies')))
        optional = project.get('optional-dependencies') or {}
        if isinstance(optional, dict):
            tables.extend(
                (f'project.optional-dependencies.{extra}', items)
                for extra, items in optional.items()
            )
    build = data.get('build-system', {})
    if isinstance(build, dict):
        tables.append(('build-system.requires', build.get('requires')))
    cursor = 0
    for key, items in tables:
        if items is None:
            continue
        if not isinstance(items, list):
            notes.append(SyntaxNote(
                'invalid', key, f'{key} must be an array of strings', name,
                None,
            ))
            continue
        for item in items:
            if not isinstance(item, str):
                notes.append(SyntaxNote(
                    'invalid', repr(item), f'{key}: not a string', name,
                    None,
                ))
                continue
            line = _line_of(lines, item, cursor)
            cursor = line - 1 if line else cursor
            _add_requirement(item, name, line, False, found, notes)


def _read_file(
    path: pathlib.Path,
    constraint: bool,
    seen: set[pathlib.Path],
    found: list[RequirementLine],
    notes: list[SyntaxNote],
    *,
    origin: tuple[str, int] | None = None,
) -> None:
    try:
        resolved = path.resolve()
    except OSError:
        resolved = path
    if resolved in seen:
        return  # an include cycle, or the same file named twice
    seen.add(resolved)
    if not path.is_file():
        file, line = origin if origin else (str(path), None)
        notes.append(SyntaxNote(
            'invalid', str(path), f'cannot read {path}: no such file',
            file, line,
        ))
        return
    if path.name == 'pyproject.toml':
        _read_pyproject(path, found, notes)
    else:
        _read_requirements_txt(path, constraint, seen, found, notes)


def read_requirement_files(
    files: Sequence[str | os.PathLike[str]],
) -> tuple[list[RequirementLine], list[SyntaxNote]]:
    """Read requirement files (``pyproject.toml`` files by their tables).

    :returns: the requirements found, and the notes about lines that are
        malformed or not checked, in file order.
    """
    seen: set[pathlib.Path] = set()
    found: list[RequirementLine] = []
    notes: list[SyntaxNote] = []
    for file in files:
        _read_file(pathlib.Path(file), False, seen, found, notes)
    return found, notes
