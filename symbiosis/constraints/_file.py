"""Constraints and requirements files: read every line, rewrite a few.

A constraints file (OpenStack's ``upper-constraints.txt``) pins one
release per line, ``NAME===VERSION`` or ``NAME==VERSION``, maybe with an
environment marker (``; python_version >= '3.10'``) and a comment. A
requirements file with exact pins reads the same. Every other line --
comments, blank lines, options (``-r``, ``-c``, ``--index-url``), ranges
and URLs -- is kept as it is and never touched.

:meth:`ConstraintsFile.render` changes only what it is asked to: the
version of a pin (the characters of the version, nothing around them)
and the ``# symbiosis: held back`` comment lines just above a pin; every
other byte comes back unchanged, line endings included.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import pathlib
import re

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from symbiosis.exception import InputError

__all__ = ['HELD_PREFIX', 'ConstraintsFile', 'Pin', 'read_constraints']

#: How the comment line above a held-back pin starts.
HELD_PREFIX = '# symbiosis: held back '

# NAME, extras, the operator and the version, as they are written.
_PIN_RE = re.compile(
    r'^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*'
    r'(?P<op>===?)\s*(?P<version>[^\s;,#\\]+)')


@dataclasses.dataclass(frozen=True)
class Pin:
    """One pinned release.

    :param line: its line number (1-based).
    :param name: the project as written; :attr:`project` is canonical.
    :param version: the pinned version, as written.
    :param marker: the environment marker, if any.
    :param start: where the version starts in the line.
    """

    line: int
    name: str
    version: str
    marker: str | None
    start: int

    @property
    def project(self) -> str:
        """The canonical project name."""
        return canonicalize_name(self.name)

    def applies(self) -> bool:
        """Whether the pin's marker holds here (no marker: it does)."""
        if self.marker is None:
            return True
        from packaging.markers import Marker

        return Marker(self.marker).evaluate()


def _requirement_text(line: str) -> str:
    """The line without its comment (``#`` at the start or after a
    space, as pip reads it) and its line ending."""
    text = line.rstrip('\r\n')
    match = re.search(r'(^|\s)#', text)
    if match is not None:
        text = text[:match.start()]
    return text.strip()


@dataclasses.dataclass
class ConstraintsFile:
    """A constraints file: its lines (endings kept) and its pins.

    :param path: where it was read from.
    :param lines: every line, with its ending.
    :param pins: the pinned releases, in file order.
    """

    path: pathlib.Path
    lines: list[str]
    pins: list[Pin]

    def text(self) -> str:
        """The file as read."""
        return ''.join(self.lines)

    def render(
        self,
        versions: Mapping[int, str],
        held: Mapping[int, str | None],
    ) -> str:
        """The file with pins raised and held-back comments updated.

        :param versions: the new version of pins, by line number.
        :param held: by line number, the comment (after
            :data:`HELD_PREFIX`) to put above a pin; ``None`` removes the
            one there. Pins not named keep their comment lines.
        """
        by_line = {pin.line: pin for pin in self.pins}
        out: list[str] = []
        for number, line in enumerate(self.lines, 1):
            pin = by_line.get(number)
            if pin is not None and pin.line in held:
                # The comment lines this tool put above the pin go; the
                # new one (if any) takes their place.
                while out and _is_held_comment(out[-1], pin.project):
                    out.pop()
                comment = held[pin.line]
                if comment is not None:
                    ending = line[len(line.rstrip('\r\n')):] or '\n'
                    out.append(
                        f'{HELD_PREFIX}{pin.name}==={comment}{ending}')
            if pin is not None and pin.line in versions:
                end = pin.start + len(pin.version)
                line = line[:pin.start] + versions[pin.line] + line[end:]
            out.append(line)
        return ''.join(out)


def _is_held_comment(line: str, project: str) -> bool:
    if not line.startswith(HELD_PREFIX):
        return False
    name = line[len(HELD_PREFIX):].partition('=')[0].strip()
    return canonicalize_name(name) == project


def read_constraints(path: str | pathlib.Path) -> ConstraintsFile:
    """Read a constraints or requirements file.

    :raises symbiosis.exception.InputError: it cannot be read, is not
        UTF-8, or a line is not a requirement (``FILE:LINE: ...``).
    """
    file = pathlib.Path(path)
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InputError(f'{path}: {err.strerror or err}') from err
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as err:
        raise InputError(f'{path}: not UTF-8 text ({err.reason} at byte '
                         f'{err.start})') from err
    lines = text.splitlines(keepends=True)
    pins: list[Pin] = []
    for number, line in enumerate(lines, 1):
        requirement = _requirement_text(line)
        if not requirement or requirement.startswith('-'):
            continue
        if requirement.endswith('\\'):
            raise InputError(f'{path}:{number}: a continued line is not '
                             'supported in a constraints file')
        try:
            parsed = Requirement(requirement)
        except InvalidRequirement as err:
            reason = str(err).splitlines()[0]
            raise InputError(
                f'{path}:{number}: not a requirement: {requirement!r} '
                f'({reason})') from err
        specifiers = list(parsed.specifier)
        if parsed.url or len(specifiers) != 1 or specifiers[0].operator \
                not in ('==', '===') or '*' in specifiers[0].version:
            continue  # a range, a URL: not a pin this tool moves
        match = _PIN_RE.match(line)
        if match is None or match['version'] != specifiers[0].version:
            continue
        pins.append(Pin(
            line=number, name=parsed.name, version=match['version'],
            marker=None if parsed.marker is None else str(parsed.marker),
            start=match.start('version')))
    return ConstraintsFile(file, lines, pins)
