"""Reno release notes: validating notes and drafting one from an API diff.

A reno note is a YAML file under ``releasenotes/notes/`` named
``<slug>-<16 hex digits>.yaml`` whose top level maps section names
(``features``, ``upgrade``, ``deprecations``...) to a list of
reStructuredText entries (``prelude`` is a single text). Sections a
project adds in its reno configuration (``reno.yaml`` or
``releasenotes/config.yaml``, key ``sections``) are accepted too.

:func:`draft_note` turns a :class:`~symbiosis.api._differ.Diff` into a note
the maintainer edits: an ``upgrade`` entry per breaking change,
``features`` for additions and ``deprecations`` for newly deprecated
names. :func:`write_note` writes it with reno's naming scheme and never
overwrites a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
import dataclasses
import logging
import pathlib
import re
import secrets
from typing import TYPE_CHECKING
from typing import Any

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.exception import InputError

if TYPE_CHECKING:
    from symbiosis.api._differ import Diff

__all__ = [
    'DEFAULT_SECTIONS',
    'NOTES_DIR',
    'NoteReport',
    'breaking_changes',
    'draft_note',
    'draft_sections',
    'new_deprecations',
    'note_sections',
    'section_counts',
    'slugify',
    'validate_note',
    'write_note',
    'yaml_available',
]

LOG = logging.getLogger(__name__)

#: Where reno keeps notes, relative to the repository root.
NOTES_DIR = 'releasenotes/notes'

#: reno's default sections (``prelude`` holds one text, not a list).
DEFAULT_SECTIONS = (
    'prelude', 'features', 'issues', 'upgrade', 'deprecations', 'critical',
    'security', 'fixes', 'other',
)

_SLUG = re.compile(r'[^a-z0-9]+')


@dataclasses.dataclass(frozen=True)
class NoteReport:
    """What reading one note found.

    :param path: the note file.
    :param sections: the sections it fills.
    :param errors: why it is not a valid reno note (empty: valid).
    :param unknown: sections the project's reno configuration does not
        define.
    """

    path: str
    sections: frozenset[str] = frozenset()
    errors: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """Whether the note parses as a reno note."""
        return not self.errors


def _yaml() -> Any:
    import importlib

    try:
        # Imported by name: PyYAML ships no type stubs.
        return importlib.import_module('yaml')
    except ImportError:  # pragma: no cover - PyYAML comes with reno
        return None


def yaml_available() -> bool:
    """Whether PyYAML can be imported (needed to validate notes)."""
    return _yaml() is not None


def note_sections(root: pathlib.Path) -> tuple[str, ...]:
    """The section names the reno configuration of ``root`` defines.

    Reads ``sections`` from ``reno.yaml`` or ``releasenotes/config.yaml``
    (a list of ``[name, title]`` pairs); defaults to reno's own.
    """
    yaml = _yaml()
    for name in ('reno.yaml', 'releasenotes/config.yaml'):
        file = root / name
        if yaml is None or not file.is_file():
            continue
        try:
            data = yaml.safe_load(file.read_text(encoding='utf-8'))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            LOG.warning('%s: cannot read the reno configuration: %s',
                        file, err)
            continue
        sections = data.get('sections') if isinstance(data, dict) else None
        if isinstance(sections, list):
            names = [
                str(s[0]) for s in sections
                if isinstance(s, (list, tuple)) and s
            ]
            if names:
                return ('prelude', *names)
    return DEFAULT_SECTIONS


def validate_note(
    path: pathlib.Path, sections: Iterable[str] = DEFAULT_SECTIONS
) -> NoteReport:
    """Parse one note and check it has reno's shape.

    :raises RuntimeError: PyYAML is not installed (see
        :func:`yaml_available`).
    """
    yaml = _yaml()
    if yaml is None:  # pragma: no cover - PyYAML comes with reno
        raise RuntimeError('PyYAML is not installed')
    name = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding='utf-8'))
    except (OSError, UnicodeDecodeError) as err:
        return NoteReport(name, errors=(f'cannot read: {err}',))
    except yaml.YAMLError as err:
        first = ' '.join(str(err).split())
        return NoteReport(name, errors=(f'not valid YAML: {first}',))
    if data is None:
        return NoteReport(name, errors=('the note is empty',))
    if not isinstance(data, dict):
        return NoteReport(
            name,
            errors=('the top level must map section names to entries',),
        )
    errors = []
    for key, value in data.items():
        if key == 'prelude':
            if not isinstance(value, str):
                errors.append('prelude must be a single text')
            continue
        entries = [value] if isinstance(value, str) else value
        if not isinstance(entries, list) or not all(
            isinstance(e, str) for e in entries
        ):
            errors.append(f'section {key!r} must be a list of texts')
    known = set(sections)
    unknown = tuple(sorted(str(k) for k in data if k not in known))
    filled = frozenset(str(k) for k, v in data.items() if v)
    return NoteReport(name, filled, tuple(errors), unknown)


def _literal(path: str) -> str:
    return f'``{path}``'


def _entry(change: Change) -> str:
    if change.new_path and change.kind == ChangeKind.NAME_MOVED.value:
        return f'{_literal(change.path)} moved to {_literal(change.new_path)}.'
    message = change.message
    for path in sorted({change.path, change.new_path or ''}, key=len,
                       reverse=True):
        if path and path in message:
            message = message.replace(path, _literal(path), 1)
    message = message[:1].upper() + message[1:]
    return message if message.endswith('.') else message + '.'


def draft_sections(diff: Diff) -> dict[str, list[str]]:
    """Group the diff's unsuppressed changes into reno sections."""
    sections: dict[str, list[str]] = {
        'upgrade': [], 'features': [], 'deprecations': [],
    }
    for change in diff.active:
        if change.kind == ChangeKind.DEPRECATED_ADDED.value:
            sections['deprecations'].append(_entry(change))
        elif change.severity is Bump.MAJOR:
            sections['upgrade'].append(_entry(change))
        elif change.severity is Bump.MINOR:
            sections['features'].append(_entry(change))
    return {k: list(dict.fromkeys(v)) for k, v in sections.items() if v}


def draft_note(
    diff: Diff, *, since: str | None = None
) -> str | None:
    """Return the text of a reno note describing ``diff``.

    :param since: the previous release, named in a comment.
    :returns: ``None`` when there is nothing to say (no breaking change,
        addition or deprecation).
    """
    sections = draft_sections(diff)
    if not sections:
        return None
    lines = ['---']
    origin = f' since {since}' if since else ''
    lines.append(
        f'# Drafted by symbiosis from the API changes{origin}: edit the '
        'entries, then commit.'
    )
    for section in ('upgrade', 'deprecations', 'features'):
        entries = sections.get(section)
        if not entries:
            continue
        lines.append(f'{section}:')
        for entry in entries:
            lines.append('  - |')
            lines.extend(f'    {text}' if text else ''
                         for text in entry.splitlines())
    return '\n'.join(lines) + '\n'


def slugify(text: str) -> str:
    """Return reno's file-name slug of ``text`` (``API changes`` ->
    ``api-changes``).
    """
    return _SLUG.sub('-', text.lower()).strip('-') or 'note'


def write_note(
    root: pathlib.Path, text: str, slug: str = 'api-changes',
    notes_dir: str = NOTES_DIR,
) -> pathlib.Path:
    """Write ``text`` as a new note ``<slug>-<16 hex>.yaml``; never
    overwrite an existing file.

    :returns: the path written.
    :raises symbiosis.exception.InputError: the directory cannot be
        written.
    """
    directory = root / notes_dir
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f'{directory}: cannot create: {err}') from err
    for _ in range(10):
        path = directory / f'{slugify(slug)}-{secrets.token_hex(8)}.yaml'
        try:
            with path.open('x', encoding='utf-8') as stream:
                stream.write(text)
        except FileExistsError:
            continue
        except OSError as err:
            raise InputError(f'{path}: cannot write: {err}') from err
        return path
    raise InputError(f'{directory}: cannot find a free note file name')


def breaking_changes(changes: Iterable[Change]) -> list[Change]:
    """The changes that need an ``upgrade`` note (major severity)."""
    return [c for c in changes if c.severity is Bump.MAJOR]


def new_deprecations(changes: Iterable[Change]) -> list[Change]:
    """The changes that need a ``deprecations`` note."""
    return [
        c for c in changes if c.kind == ChangeKind.DEPRECATED_ADDED.value
    ]


def section_counts(reports: Iterable[NoteReport]) -> Mapping[str, int]:
    """How many valid notes fill each section."""
    counts: dict[str, int] = {}
    for report in reports:
        if report.valid:
            for section in report.sections:
                counts[section] = counts.get(section, 0) + 1
    return counts
