"""What a usage scan finds: uses, impacts and the report holding them.

A :class:`Use` is one place in a downstream project that names something of
an upstream distribution::

    Use(path='tinylib.core.ParseError', file='app/errors.py', line=3,
        kind='import')

An :class:`Impact` is a use hit by a breaking change of the upstream's API
diff, and a :class:`UsageReport` is everything one scan (and, given two
upstream versions, one impact analysis) found. All of them are frozen and
serialise with ``to_json``.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import Any

from symbiosis._enums import TextEnum
from symbiosis.api._changes import Change

__all__ = [
    'USAGE_SCHEMA_VERSION',
    'Impact',
    'ScanProblem',
    'UsageReport',
    'Use',
    'UseKind',
]

#: Version of the JSON layout written by :meth:`UsageReport.to_json`.
USAGE_SCHEMA_VERSION = 1


class UseKind(TextEnum):
    """How the downstream refers to an upstream name."""

    #: An ``import`` or ``from ... import`` statement.
    IMPORT = 'import'
    #: ``from x import *``: the whole module's public names.
    STAR = 'star'
    #: A name or attribute chain read (or assigned to).
    NAME = 'name'
    #: A name or attribute chain that is called.
    CALL = 'call'
    #: A base class of a class statement.
    BASE = 'base'
    #: A decorator.
    DECORATOR = 'decorator'
    #: A dotted path in a string literal (settings, plugin names).
    STRING = 'string'
    #: An entry point value (``module:attr``) in packaging metadata.
    ENTRY_POINT = 'entry-point'


@dataclasses.dataclass(frozen=True, slots=True)
class Use:
    """One place the downstream names something of the upstream.

    :param path: the upstream dotted path used (``pkg.mod.Class.method``):
        the longest attribute chain that starts at an import.
    :param file: POSIX path of the downstream file, relative to the
        scanned root.
    :param line: 1-based line number.
    :param kind: how the name is used (a :class:`UseKind` value).
    :param positional: for a call, how many positional arguments it
        passes (``None``: not known, as with ``f(*args)``).
    :param keywords: for a call, the keyword arguments it passes by name
        (``None``: not known, as with ``f(**kwargs)``). Several calls of
        one path on one line count as one passing all of theirs.
    :param via: for a use through an instance (``p.run`` after ``p =
        pkg.Parser()``), how its type was known: a phrase naming the
        binding and its line. The path then shows the instance as a call
        result: ``pkg.Parser().run``.
    """

    path: str
    file: str
    line: int
    kind: str = UseKind.NAME.value
    positional: int | None = None
    keywords: tuple[str, ...] | None = None
    via: str | None = None

    def __str__(self) -> str:
        return f'{self.file}:{self.line}: {self.path}'

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        """By file, line, then path."""
        return (self.file, self.line, self.path, self.kind)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form: ``{path, file, line, kind}``, for a
        call ``positional`` and ``keywords`` (``null`` when not known),
        and for a use through an instance ``via``."""
        data: dict[str, Any] = {
            'path': self.path,
            'file': self.file,
            'line': self.line,
            'kind': str(self.kind),
        }
        if self.kind == UseKind.CALL.value:
            data['positional'] = self.positional
            data['keywords'] = (None if self.keywords is None
                                else list(self.keywords))
        if self.via is not None:
            data['via'] = self.via
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Use:
        """Build from the JSON form."""
        positional = data.get('positional')
        keywords = data.get('keywords')
        return cls(
            path=str(data['path']),
            file=str(data['file']),
            line=int(data['line']),
            kind=str(data.get('kind', UseKind.NAME.value)),
            positional=None if positional is None else int(positional),
            keywords=(None if keywords is None
                      else tuple(str(k) for k in keywords)),
            via=None if data.get('via') is None else str(data['via']),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class ScanProblem:
    """A downstream file that could not be read; the others still were.

    :param file: POSIX path relative to the scanned root.
    :param message: what went wrong (``syntax error: ...``).
    :param line: where, when known.
    """

    file: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f'{self.file}:{self.line}'
        return f'{where}: {self.message}'

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form: ``{file, line, message}``."""
        return {'file': self.file, 'line': self.line, 'message': self.message}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScanProblem:
        """Build from the JSON form."""
        line = data.get('line')
        return cls(
            file=str(data['file']),
            message=str(data['message']),
            line=None if line is None else int(line),
        )


@dataclasses.dataclass(frozen=True)
class Impact:
    """A use hit by a breaking change.

    :param use: the downstream use.
    :param change: the upstream change that breaks it.
    :param replacement: what to write instead, when the change is a move
        (``change.new_path`` with the rest of the used chain appended).
    :param known_by: for a use through an instance, how its type was
        known (the binding, and the return or attribute annotations
        followed).
    """

    use: Use
    change: Change
    replacement: str | None = None
    known_by: str | None = None

    @property
    def path(self) -> str:
        """The used path (same as ``use.path``)."""
        return self.use.path

    @property
    def file(self) -> str:
        """The downstream file (same as ``use.file``)."""
        return self.use.file

    @property
    def line(self) -> int:
        """The downstream line (same as ``use.line``)."""
        return self.use.line

    def __str__(self) -> str:
        text = f'{self.file}:{self.line}: uses {self.path}: '
        text += self.change.message
        if self.replacement and self.replacement not in text:
            text += f' (use {self.replacement})'
        if self.known_by:
            text += f' [type known by: {self.known_by}]'
        return text

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form: ``{path, file, line, change, replacement,
        known_by}``.

        ``change`` is :meth:`Change.to_json
        <symbiosis.api._changes.Change.to_json>` (``kind``, ``path``,
        ``severity``, ``message``, ``new_path``...); ``known_by`` is
        ``null`` unless the use goes through an instance.
        """
        return {
            'path': self.use.path,
            'file': self.use.file,
            'line': self.use.line,
            'change': self.change.to_json(),
            'replacement': self.replacement,
            'known_by': self.known_by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Impact:
        """Build from the JSON form (the use's kind is not kept there)."""
        return cls(
            use=Use(str(data['path']), str(data['file']), int(data['line'])),
            change=Change.from_json(data['change']),
            replacement=data.get('replacement'),
            known_by=data.get('known_by'),
        )


@dataclasses.dataclass(frozen=True)
class UsageReport:
    """Everything one scan found.

    :param upstream: the upstream as the caller named it (``--upstream``).
    :param import_names: the upstream's top-level import names that were
        looked for.
    :param root: the scanned downstream root directory.
    :param uses: every use, sorted by file and line, de-duplicated on
        ``(path, file, line)``.
    :param impacts: uses hit by breaking changes (empty without a diff).
    :param errors: files that could not be read or parsed.
    :param files: number of downstream files looked at.
    :param against: the ``(old, new)`` upstream versions the impacts are
        about, when a diff was given.
    """

    upstream: str
    import_names: tuple[str, ...]
    root: str
    uses: tuple[Use, ...] = ()
    impacts: tuple[Impact, ...] = ()
    errors: tuple[ScanProblem, ...] = ()
    files: int = 0
    against: tuple[str, str] | None = None

    def by_path(self) -> dict[str, list[Use]]:
        """Uses grouped by upstream path, paths sorted."""
        groups: dict[str, list[Use]] = {}
        for use in sorted(self.uses, key=lambda u: (u.path, u.sort_key)):
            groups.setdefault(use.path, []).append(use)
        return groups

    def with_impacts(
        self, impacts: tuple[Impact, ...], against: tuple[str, str]
    ) -> UsageReport:
        """Return a copy carrying ``impacts`` of the diff ``against``."""
        return dataclasses.replace(self, impacts=impacts, against=against)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form.

        Keys: ``schema_version``, ``upstream``, ``import_names``,
        ``against`` (``{old, new}`` or ``null``), ``files``, ``uses``
        (``[{path, file, line, kind}]``), ``impacts`` (``[{path, file,
        line, change, replacement}]``) and ``errors`` (``[{file, line,
        message}]``).
        """
        against = None
        if self.against is not None:
            against = {'old': self.against[0], 'new': self.against[1]}
        return {
            'schema_version': USAGE_SCHEMA_VERSION,
            'upstream': self.upstream,
            'import_names': list(self.import_names),
            'against': against,
            'files': self.files,
            'uses': [u.to_json() for u in self.uses],
            'impacts': [i.to_json() for i in self.impacts],
            'errors': [e.to_json() for e in self.errors],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UsageReport:
        """Build from the JSON form written by :meth:`to_json`.

        :raises ValueError: the data is not a usage report this release
            reads.
        """
        version = data.get('schema_version')
        if version != USAGE_SCHEMA_VERSION:
            raise ValueError(
                f'unsupported schema_version {version!r} '
                f'(this release reads {USAGE_SCHEMA_VERSION})'
            )
        against = data.get('against')
        try:
            return cls(
                upstream=str(data['upstream']),
                import_names=tuple(data.get('import_names', ())),
                root=str(data.get('root', '')),
                uses=tuple(Use.from_json(u) for u in data.get('uses', ())),
                impacts=tuple(
                    Impact.from_json(i) for i in data.get('impacts', ())
                ),
                errors=tuple(
                    ScanProblem.from_json(e) for e in data.get('errors', ())
                ),
                files=int(data.get('files', 0)),
                against=(None if not against
                         else (str(against['old']), str(against['new']))),
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f'malformed usage report: {err!r}') from err
