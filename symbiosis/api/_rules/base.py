"""The rule API: :class:`Rule` and the :class:`DiffContext` rules read.

A rule looks at one kind of change. It receives a :class:`DiffContext`
holding both snapshots and the public surface of each, already paired, and
yields :class:`~symbiosis.api._changes.Change` objects::

    from symbiosis.api import Bump, Change, DiffContext, Rule
    from symbiosis.api._model import Function

    class BecameAsync(Rule):
        '''A function became a coroutine function.'''

        kind = 'became-async'
        default_severity = Bump.MAJOR
        description = 'a function became async'

        def check(self, ctx: DiffContext) -> Iterator[Change]:
            for pair in ctx.paired(Function):
                if pair.new.is_async and not pair.old.is_async:
                    yield ctx.change(
                        self, pair.path, f'{pair.path} is now async',
                        old=pair.old, new=pair.new)

and registered by its distribution under the ``symbiosis.api.rules``
entry-point namespace::

    [project.entry-points."symbiosis.api.rules"]
    became_async = "mypkg.rules:BecameAsync"

Severity overrides and suppressions are applied after the rules run, so a
rule only states its default.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Iterator
from collections.abc import Mapping
import dataclasses
from typing import Any
from typing import ClassVar
from typing import Generic
from typing import TypeVar

from symbiosis.api._changes import Bump
from symbiosis.api._changes import CallShape
from symbiosis.api._changes import Change
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Function
from symbiosis.api._model import Location
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.api._settings import ApiSettings

__all__ = [
    'Addition',
    'AdditionRule',
    'ApiObject',
    'DiffContext',
    'Pair',
    'Relocation',
    'Removal',
    'RemovalRule',
    'Rule',
    'SurfaceDiff',
    'Unknown',
    'also_text',
    'deprecation_text',
    'describe',
    'location_of',
    'object_noun',
]

#: Anything a public path can resolve to.
ApiObject = Module | Member

T = TypeVar('T', Module, Class, Function, Attribute, Alias)


class Rule:
    """Base class of diff rules.

    Subclasses set the three class attributes and implement
    :meth:`check`. Rules are instantiated without arguments and must not
    keep state between calls.
    """

    #: The change kind reported (a :class:`ChangeKind` value or a new
    #: kebab-case string for third-party rules).
    kind: ClassVar[str]
    #: Bump of the changes, unless a project overrides it.
    default_severity: ClassVar[Bump]
    #: One line saying what the rule reports (``symbiosis api rules``).
    description: ClassVar[str] = ''

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield the changes of this rule's kind between the snapshots."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f'<{type(self).__name__} {self.kind}>'


@dataclasses.dataclass(frozen=True)
class Pair(Generic[T]):
    """An object present under the same public path on both sides."""

    path: str
    old: T
    new: T


@dataclasses.dataclass(frozen=True)
class Removal:
    """A public path of OLD that NEW no longer has.

    Only the outermost removed path is listed: the methods of a removed
    class are not.

    :param kind: the change kind this removal is reported as (chosen once,
        so each removed path yields exactly one change).
    :param deprecation: the deprecation OLD carried for the path or an
        enclosing object.
    :param moved_to: the NEW path of the same-shaped object, for moves.
    :param parent: the OLD object the path was a member of, if public.
    :param also: other public paths of the same object, removed with it
        (``pkg.Client`` re-exporting ``pkg.client.Client``); the removal
        is reported once, under the shortest path.
    """

    path: str
    old: ApiObject
    kind: str
    deprecation: Deprecation | None = None
    moved_to: str | None = None
    moved: ApiObject | None = None
    parent: ApiObject | None = None
    also: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Relocation:
    """A public path of OLD that left NEW's public surface yet still
    resolves: the name was moved elsewhere and is still imported at the
    old path, or is no longer exported (dropped from ``__all__``).

    :param kind: ``name-relocated`` or ``name-unexported``.
    :param new: what the path resolves to in NEW.
    :param new_path: the public path of that object in NEW, if it has one.
    """

    path: str
    old: ApiObject
    new: ApiObject
    kind: str
    new_path: str | None = None


@dataclasses.dataclass(frozen=True)
class Addition:
    """A public path of NEW that OLD did not have (outermost only).

    :param kind: ``module-added``, ``enum-member-added`` or
        ``name-added``.
    :param moved_from: set when the object is the destination of a move
        (the move is then reported instead of the addition).
    :param also: other public paths of the same new object.
    """

    path: str
    new: ApiObject
    kind: str
    moved_from: str | None = None
    parent: ApiObject | None = None
    also: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Unknown:
    """A module whose names could not all be known.

    :param side: ``old`` or ``new``.
    :param module: dotted module name (or file, when no module is known).
    :param reason: why (the extraction error, ``opaque``...).
    :param masked: public paths whose removal (``new``) or addition
        (``old``) could not be decided because of it.
    """

    side: str
    module: str
    reason: str
    masked: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class SurfaceDiff:
    """The public surfaces of both sides, matched path by path.

    :param pairs: ``(path, old, new)`` for objects of the same type on both
        sides, once per object.
    :param kind_changes: ``(path, old, new)`` where the type changed.
    :param pair_also: for a pair's path, the other public paths of the
        same object on both sides (``pkg.Client.get`` for
        ``pkg.client.Client.get``).
    :param relocations: paths that left the public surface but still
        resolve.
    :param python_dropped: paths OLD bound only for Python versions NEW
        no longer supports (not removals anyone can notice).
    """

    pairs: tuple[tuple[str, ApiObject, ApiObject], ...] = ()
    kind_changes: tuple[tuple[str, ApiObject, ApiObject], ...] = ()
    removals: tuple[Removal, ...] = ()
    additions: tuple[Addition, ...] = ()
    unknown: tuple[Unknown, ...] = ()
    pair_also: Mapping[str, tuple[str, ...]] = dataclasses.field(
        default_factory=dict)
    relocations: tuple[Relocation, ...] = ()
    python_dropped: tuple[str, ...] = ()


class DiffContext:
    """Everything a rule needs to compare two snapshots.

    :param old: the earlier snapshot.
    :param new: the later snapshot.
    :param settings: project settings (``ignore_modules`` and
        ``removal_kinds`` shape the surface compared).

    Attributes :attr:`old_objects` and :attr:`new_objects` map each public
    path to the object it resolves to; :attr:`old_reach` and
    :attr:`new_reach` resolve any path as Python would (inheritance,
    imports, module ``__getattr__``). Pairing, removals, additions and
    moves are computed once, on first use, and shared by every rule.
    """

    def __init__(
        self,
        old: Snapshot,
        new: Snapshot,
        settings: ApiSettings | None = None,
    ) -> None:
        self.old = old
        self.new = new
        self.settings = settings if settings is not None else ApiSettings()
        # Imported here: _public builds the types defined in this module.
        from symbiosis.api._reach import Reach
        from symbiosis.api._rules import _public

        self.old_reach = Reach(old)
        self.new_reach = Reach(new)
        self.old_surface = _public.public_surface(
            old, self.settings, self.old_reach)
        self.new_surface = _public.public_surface(
            new, self.settings, self.new_reach)
        self.old_objects: Mapping[str, ApiObject] = self.old_surface.objects
        self.new_objects: Mapping[str, ApiObject] = self.new_surface.objects
        self._memo: dict[Hashable, Any] = {}
        self._surface: SurfaceDiff | None = None

    # -- pre-paired views -------------------------------------------------

    @property
    def surface(self) -> SurfaceDiff:
        """Removals, additions, moves and pairs (computed once)."""
        if self._surface is None:
            from symbiosis.api._rules import _surface

            self._surface = _surface.compare(self)
        return self._surface

    def paired(self, kind: type[T]) -> Iterator[Pair[T]]:
        """Yield objects of type ``kind`` present on both sides.

        An object reachable under several public paths is yielded once,
        under its shortest path, so a change inside it is reported once.
        """
        pairs: tuple[Pair[T], ...] = self.memo(
            (Pair, kind),
            lambda: tuple(
                Pair(path, old, new)
                for path, old, new in self.surface.pairs
                if isinstance(old, kind) and isinstance(new, kind)
            ),
        )
        yield from pairs

    def relocated(self) -> Iterator[Relocation]:
        """Yield paths that left the public surface but still resolve."""
        yield from self.surface.relocations

    def kind_changes(self) -> Iterator[Pair[Any]]:
        """Yield paths whose object changed type (class to function...)."""
        for path, old, new in self.surface.kind_changes:
            yield Pair(path, old, new)

    def removed(self) -> Iterator[Removal]:
        """Yield the outermost public paths OLD had and NEW lacks."""
        yield from self.surface.removals

    def added(self) -> Iterator[Addition]:
        """Yield the outermost public paths NEW has and OLD lacked."""
        yield from self.surface.additions

    def unknown(self) -> Iterator[Unknown]:
        """Yield modules of either side that could not be read fully."""
        yield from self.surface.unknown

    # -- helpers ----------------------------------------------------------

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, computed once per context for ``key``.

        Lets several rules share an analysis (all parameter rules share one
        comparison per function).
        """
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def parent(self, path: str, side: str = 'new') -> ApiObject | None:
        """Return the public object ``path`` is a member of on ``side``."""
        head = path.rpartition('.')[0]
        objects = self.new_objects if side == 'new' else self.old_objects
        return objects.get(head)

    def describe(self, path: str, obj: ApiObject, side: str = 'new') -> str:
        """Return ``"method mylib.Client.connect"``-like text."""
        return describe(path, obj, self.parent(path, side))

    def change(
        self,
        rule: Rule,
        path: str,
        message: str,
        *,
        old: ApiObject | None = None,
        new: ApiObject | None = None,
        severity: Bump | None = None,
        new_path: str | None = None,
        also: tuple[str, ...] = (),
        calls: CallShape | None = None,
    ) -> Change:
        """Build a change of ``rule``'s kind.

        :param old: the OLD object, for its location.
        :param new: the NEW object; its location is preferred.
        :param severity: when the rule grades this change differently from
            its default (a widening parameter-kind change is minor).
        :param also: the object's other public paths (default: those of
            a paired object at ``path``).
        :param calls: the calls a parameter change breaks.
        """
        old_location = location_of(old)
        new_location = location_of(new)
        if not also:
            also = self.surface.pair_also.get(path, ())
        return Change(
            kind=str(rule.kind),
            path=path,
            severity=severity or rule.default_severity,
            message=message,
            new_path=new_path,
            location=new_location or old_location,
            old_location=old_location,
            also=also,
            calls=calls,
        )


def location_of(obj: ApiObject | None) -> Location | None:
    """Return where ``obj`` is defined (line 1 of a module's file)."""
    if obj is None:
        return None
    if isinstance(obj, Module):
        return Location(obj.file, 1) if obj.file else None
    return obj.location


def describe(path: str, obj: ApiObject, parent: ApiObject | None) -> str:
    """Return what ``obj`` is, followed by its public path.

    >>> describe('m.f', Function(name='f', path='m.f'), None)
    'function m.f'
    """
    return f'{object_noun(obj, parent)} {path}'


def object_noun(obj: ApiObject, parent: ApiObject | None) -> str:
    """Return ``module``, ``class``, ``method``, ``property``...."""
    in_class = isinstance(parent, Class)
    if isinstance(obj, Module):
        return 'module'
    if isinstance(obj, Class):
        return 'enum' if obj.is_enum else 'class'
    if isinstance(obj, Function):
        if obj.is_property:
            return 'property'
        if in_class:
            kind = obj.method_kind
            return {'staticmethod': 'static method',
                    'classmethod': 'class method'}.get(kind, 'method')
        return 'function'
    if isinstance(obj, Attribute):
        if obj.enum_member:
            return 'enum member'
        if in_class:
            return 'attribute'
        return 'constant' if obj.final or obj.name.isupper() else 'attribute'
    return 'name'


def deprecation_text(deprecation: Deprecation) -> str:
    """Return ``"since 1.4 (removal planned in 2.0)"``-like text.

    Empty when the marker gave neither version.
    """
    parts = []
    if deprecation.since:
        parts.append(f'since {deprecation.since}')
    if deprecation.removal:
        parts.append(f'(removal planned in {deprecation.removal})')
    return ' '.join(parts)


#: How many of a change's other paths its message names.
ALSO_SHOWN = 5


def also_text(paths: tuple[str, ...]) -> str:
    """Return `` (also as a.b, c.d)`` for a change's other paths (the
    first few; the change's ``also`` field lists them all)."""
    if not paths:
        return ''
    shown = ', '.join(paths[:ALSO_SHOWN])
    if len(paths) > ALSO_SHOWN:
        shown += f' and {len(paths) - ALSO_SHOWN} more'
    return f' (also as {shown})'


class RemovalRule(Rule):
    """Base of rules reporting removed paths of one removal kind.

    Which kind a removed path is reported as is decided once, by the
    context (see :class:`Removal`), so subclasses only set the class
    attributes and, if they like, :meth:`message`.
    """

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per removal classified as :attr:`kind`."""
        for removal in ctx.removed():
            if removal.kind == self.kind:
                yield ctx.change(
                    self,
                    removal.path,
                    self.message(removal) + also_text(removal.also),
                    old=removal.old,
                    new_path=removal.moved_to,
                    also=removal.also,
                )

    def message(self, removal: Removal) -> str:
        """Return the message for ``removal``."""
        what = describe(removal.path, removal.old, removal.parent)
        if removal.deprecation is None:
            return f'{what} was removed without any prior deprecation'
        when = deprecation_text(removal.deprecation)
        return f'{what} was removed after deprecation {when}'.rstrip()


class AdditionRule(Rule):
    """Base of rules reporting added paths of one addition kind."""

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per (non-move) addition of :attr:`kind`."""
        for addition in ctx.added():
            if addition.kind == self.kind and addition.moved_from is None:
                what = describe(addition.path, addition.new, addition.parent)
                yield ctx.change(
                    self,
                    addition.path,
                    f'{what} was added{also_text(addition.also)}',
                    new=addition.new,
                    also=addition.also,
                )
