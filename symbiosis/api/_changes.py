"""What a diff finds: :class:`Change` records, their kinds and severities.

A change knows its kind (``parameter-removed``), the public path it is
about (``mylib.Client.connect``), how serious it is (:class:`Bump`) and
a sentence a user can act on::

    Change(kind='parameter-removed', path='mylib.Client.connect',
           severity=Bump.MAJOR,
           message="parameter 'timeout' of mylib.Client.connect was removed")

:class:`ChangeKind` lists the kinds the built-in rules report. Rules from
other distributions may report kinds of their own, so :attr:`Change.kind`
is a plain string.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import types
from typing import Any

from symbiosis._enums import TextEnum
from symbiosis._enums import parse_member
from symbiosis.api._model import Location

__all__ = ['Bump', 'CallShape', 'Change', 'ChangeKind']


class Bump(TextEnum):
    """How serious a change is: the version bump it requires.

    Severities are ordered (``NONE < PATCH < MINOR < MAJOR``) so the
    required bump of a set of changes is their :func:`max`. ``NONE`` marks
    informational changes and, as a verdict, "no public change".
    """

    MAJOR = 'major'
    MINOR = 'minor'
    PATCH = 'patch'
    NONE = 'none'

    @property
    def rank(self) -> int:
        """``0`` for ``NONE`` up to ``3`` for ``MAJOR``."""
        return _RANKS[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Bump):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Bump):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Bump):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Bump):
            return NotImplemented
        return self.rank >= other.rank

    __hash__ = str.__hash__

    @classmethod
    def parse(cls, value: str | Bump) -> Bump:
        """Return the severity named ``value`` (case-insensitive).

        :raises ValueError: ``value`` names no severity.
        """
        return parse_member(cls, value, 'severity')


_RANKS = types.MappingProxyType(
    {'none': 0, 'patch': 1, 'minor': 2, 'major': 3}
)


class ChangeKind(TextEnum):
    """The kinds of change the built-in rules report.

    Values are kebab-case strings; they are what users write in severity
    overrides and suppressions.
    """

    # Modules and names.
    MODULE_REMOVED = 'module-removed'
    MODULE_ADDED = 'module-added'
    NAME_REMOVED = 'name-removed'
    NAME_MOVED = 'name-moved'
    NAME_RELOCATED = 'name-relocated'
    NAME_UNEXPORTED = 'name-unexported'
    NAME_ADDED = 'name-added'
    KIND_CHANGED = 'kind-changed'
    INCOMPLETE_SNAPSHOT = 'incomplete-snapshot'
    # Functions and parameters.
    PARAMETER_REMOVED = 'parameter-removed'
    PARAMETER_ADDED_REQUIRED = 'parameter-added-required'
    PARAMETER_ADDED_OPTIONAL = 'parameter-added-optional'
    PARAMETER_RENAMED = 'parameter-renamed'
    PARAMETER_REORDERED = 'parameter-reordered'
    PARAMETER_KIND_CHANGED = 'parameter-kind-changed'
    PARAMETER_DEFAULT_REMOVED = 'parameter-default-removed'
    PARAMETER_DEFAULT_ADDED = 'parameter-default-added'
    PARAMETER_DEFAULT_CHANGED = 'parameter-default-changed'
    VAR_POSITIONAL_REMOVED = 'var-positional-removed'
    VAR_KEYWORD_REMOVED = 'var-keyword-removed'
    ASYNC_CHANGED = 'async-changed'
    RETURN_ANNOTATION_CHANGED = 'return-annotation-changed'
    OVERLOAD_REMOVED = 'overload-removed'
    OVERLOAD_ADDED = 'overload-added'
    # Classes.
    CLASS_BASE_REMOVED = 'class-base-removed'
    CLASS_BASE_ADDED = 'class-base-added'
    METHOD_REMOVED = 'method-removed'
    ATTRIBUTE_REMOVED = 'attribute-removed'
    PROPERTY_REMOVED = 'property-removed'
    METHOD_KIND_CHANGED = 'method-kind-changed'
    FINAL_ADDED = 'final-added'
    ABSTRACT_METHOD_ADDED = 'abstract-method-added'
    # Enums and constants.
    ENUM_MEMBER_REMOVED = 'enum-member-removed'
    ENUM_MEMBER_VALUE_CHANGED = 'enum-member-value-changed'
    ENUM_MEMBER_ADDED = 'enum-member-added'
    CONSTANT_VALUE_CHANGED = 'constant-value-changed'
    # Distribution metadata.
    REQUIRES_PYTHON_NARROWED = 'requires-python-narrowed'
    REQUIRES_PYTHON_WIDENED = 'requires-python-widened'
    EXTRA_REMOVED = 'extra-removed'
    EXTRA_ADDED = 'extra-added'
    ENTRY_POINT_REMOVED = 'entry-point-removed'
    ENTRY_POINT_ADDED = 'entry-point-added'
    ENTRY_POINT_CHANGED = 'entry-point-changed'
    # Deprecation lifecycle.
    DEPRECATED_ADDED = 'deprecated-added'
    REMOVED_AFTER_DEPRECATION = 'removed-after-deprecation'
    REMOVED_WITHOUT_DEPRECATION = 'removed-without-deprecation'


@dataclasses.dataclass(frozen=True)
class CallShape:
    """Which calls of a function a parameter change breaks.

    A call breaks when it passes one of :attr:`keywords` by name, or at
    least :attr:`positional` positional arguments (counted as a bound call
    sees them: without ``self`` or ``cls``). A change that breaks every
    call (a required parameter added) has no shape at all.

    Example: renaming ``strict`` to ``validate`` in ``parse(text,
    strict=False)`` breaks ``parse(t, strict=True)`` but not
    ``parse(t)`` or ``parse(t, True)``: ``CallShape(keywords=('strict',))``.
    """

    keywords: tuple[str, ...] = ()
    positional: int | None = None

    def breaks(self, positional: int | None,
               keywords: tuple[str, ...] | None) -> bool:
        """Whether a call passing ``positional`` positional arguments and
        ``keywords`` by name breaks; ``None`` is "not known" (``*args``,
        ``**kwargs`` at the call) and counts as breaking."""
        if positional is None or keywords is None:
            return True
        if self.positional is not None and positional >= self.positional:
            return True
        return any(name in self.keywords for name in keywords)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form: ``{keywords, positional}``."""
        return {'keywords': list(self.keywords),
                'positional': self.positional}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CallShape:
        """Build from the JSON form."""
        positional = data.get('positional')
        return cls(
            keywords=tuple(str(k) for k in data.get('keywords') or ()),
            positional=None if positional is None else int(positional),
        )

    def __str__(self) -> str:
        parts = [f'passing {k}=' for k in self.keywords]
        if self.positional is not None:
            parts.append(f'passing {self.positional} or more positional '
                         'arguments')
        return 'calls ' + ' or '.join(parts) if parts else 'no call'


@dataclasses.dataclass(frozen=True)
class Change:
    """One difference between two snapshots.

    :param kind: a :class:`ChangeKind` value or a third-party rule's kind.
    :param path: the public dotted path the change is about (in OLD for
        removals and moves).
    :param severity: the bump it requires, after project overrides.
    :param message: a sentence a user can act on, built from the data.
    :param new_path: where the object went, for moves.
    :param location: where to look: in NEW when the object exists there,
        else in OLD.
    :param old_location: the object's location in OLD, when known.
    :param suppressed: the reason a project suppression gave, when the
        change is suppressed (it then does not count towards the bump).
    :param also: the object's other public paths, when it has several
        (``pkg.Client`` re-exported from ``pkg.client.Client``): the change
        is reported once, under :attr:`path`, and is about these too.
    :param calls: for a parameter change, the calls it breaks (``None``:
        every use of the function).
    """

    kind: str
    path: str
    severity: Bump
    message: str
    new_path: str | None = None
    location: Location | None = None
    old_location: Location | None = None
    suppressed: str | None = None
    also: tuple[str, ...] = ()
    calls: CallShape | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        """:attr:`path` and every :attr:`also` path."""
        return (self.path, *self.also)

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        """Most severe first, then by path, kind and message."""
        return (-self.severity.rank, self.path, self.kind, self.message)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form.

        Keys: ``kind``, ``path``, ``severity``, ``message``, ``new_path``,
        ``location`` (``{file, line}`` or ``null``), ``old_location``,
        ``suppressed`` (the reason or ``null``), ``also`` (the other
        public paths of the same object, often empty) and ``calls``
        (:meth:`CallShape.to_json`, or ``null`` when every use counts).
        """
        return {
            'kind': str(self.kind),
            'path': self.path,
            'severity': self.severity.value,
            'message': self.message,
            'new_path': self.new_path,
            'location': _location_json(self.location),
            'old_location': _location_json(self.old_location),
            'suppressed': self.suppressed,
            'also': list(self.also),
            'calls': None if self.calls is None else self.calls.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Change:
        """Build from the JSON form written by :meth:`to_json`.

        :raises ValueError: a key is missing or a value is invalid.
        """
        try:
            return cls(
                kind=str(data['kind']),
                path=str(data['path']),
                severity=Bump.parse(data['severity']),
                message=str(data['message']),
                new_path=data.get('new_path'),
                location=_location_from_json(data.get('location')),
                old_location=_location_from_json(data.get('old_location')),
                suppressed=data.get('suppressed'),
                also=tuple(str(p) for p in data.get('also') or ()),
                calls=(None if not data.get('calls')
                       else CallShape.from_json(data['calls'])),
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f'malformed change: {err!r}') from err


def _location_json(location: Location | None) -> dict[str, Any] | None:
    return None if location is None else location.to_json()


def _location_from_json(data: Any) -> Location | None:
    return None if not data else Location.from_json(data)
