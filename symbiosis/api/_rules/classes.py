"""Rules about classes: bases, methods, attributes, finality, abstractness.
"""

from __future__ import annotations

from collections.abc import Iterator
import types

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._reach import base_name
from symbiosis.api._reach import trivial_base
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import RemovalRule
from symbiosis.api._rules.base import Rule
from symbiosis.api._rules.base import object_noun

__all__ = [
    'AbstractMethodAdded',
    'AttributeRemoved',
    'ClassBaseAdded',
    'ClassBaseRemoved',
    'FinalAdded',
    'MethodKindChanged',
    'MethodRemoved',
    'PropertyRemoved',
]

_METHOD_KINDS = types.MappingProxyType({
    'function': 'an instance method',
    'staticmethod': 'a static method',
    'classmethod': 'a class method',
    'property': 'a property',
})


def _public_classes(ctx: DiffContext, side: str) -> dict[str, str]:
    """Defining path -> public path of every public class of a side."""
    def compute() -> dict[str, str]:
        objects = ctx.old_objects if side == 'old' else ctx.new_objects
        found: dict[str, str] = {}
        for path, obj in objects.items():
            if isinstance(obj, Class):
                # The shortest public path names the class.
                home = found.get(obj.path)
                if home is None or (path.count('.'), path) < (
                    home.count('.'), home
                ):
                    found[obj.path] = path
        return found

    found: dict[str, str] = ctx.memo(('public-classes', side), compute)
    return found


def _ancestors(
    ctx: DiffContext, cls: Class, side: str, *, private: bool = False,
) -> dict[str, tuple[str, str | None]]:
    """``{short name: (text, public path)}`` of the classes in the MRO of
    ``cls`` (itself excluded): the distribution's own and the bases
    defined elsewhere (``Exception``, ``abc.ABC``).

    Only public ones count (code cannot name a private intermediate
    class, so none checks ``isinstance`` against it), unless ``private``:
    to tell whether a public base was lost, every class of the NEW side
    counts (a public base may have become private under the same name).
    Bases that cannot be known (a call such as ``namedtuple(...)``, a
    name bound to something computed) are always left out.
    """
    reach = ctx.old_reach if side == 'old' else ctx.new_reach
    public = _public_classes(ctx, side)
    classes, external = reach.mro(cls)
    found: dict[str, tuple[str, str | None]] = {}
    for klass in classes[1:]:
        home = public.get(klass.path)
        if home is not None or private:
            found.setdefault(klass.name, (home or klass.path, home))
    for text in external:
        short = base_name(text)
        if text.startswith('?'):
            continue
        if short and not short.startswith('_') and not trivial_base(text):
            found.setdefault(short, (text, None))
    return found


def _still_derives(ctx: DiffContext, new: Class, home: str | None) -> bool:
    """Whether NEW's ``new`` derives from what ``home`` names in NEW
    (a base renamed but kept under its old name is still a base)."""
    if home is None:
        return False
    target = ctx.new_reach.resolve(home)
    if not isinstance(target, Class):
        return False
    return any(k.path == target.path for k in ctx.new_reach.mro(new)[0][1:])


class ClassBaseRemoved(Rule):
    """A class no longer derives from a public class it derived from:
    ``isinstance`` checks and ``except`` clauses on that class stop
    matching. The whole method resolution order counts: a base that moved
    one level up (``Child(Base)`` became ``Child(Mixin)`` with
    ``Mixin(Base)``) is still a base. Example::

        class mylib.NotFound no longer derives from KeyError
    """

    kind = ChangeKind.CLASS_BASE_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a class lost a base class'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per public ancestor lost."""
        for pair in ctx.paired(Class):
            before = _ancestors(ctx, pair.old, 'old')
            if not before:
                continue
            after = _ancestors(ctx, pair.new, 'new', private=True)
            for short, (text, home) in before.items():
                if short in after or _still_derives(ctx, pair.new, home):
                    continue
                yield ctx.change(
                    self,
                    pair.path,
                    f'{ctx.describe(pair.path, pair.new)} no longer '
                    f'derives from {text}',
                    old=pair.old,
                    new=pair.new,
                )


class ClassBaseAdded(Rule):
    """A class gained a public ancestor.

    Example::

        class mylib.NotFound now also derives from LookupError
    """

    kind = ChangeKind.CLASS_BASE_ADDED.value
    default_severity = Bump.MINOR
    description = 'a class gained a base class'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per public ancestor gained."""
        for pair in ctx.paired(Class):
            after = _ancestors(ctx, pair.new, 'new')
            if not after:
                continue
            before = _ancestors(ctx, pair.old, 'old')
            for short, (text, _) in after.items():
                if short not in before:
                    yield ctx.change(
                        self,
                        pair.path,
                        f'{ctx.describe(pair.path, pair.new)} now also '
                        f'derives from {text}',
                        old=pair.old,
                        new=pair.new,
                    )


class MethodRemoved(RemovalRule):
    """A method was removed (``removal_kinds = "object"`` only).

    Example::

        method mylib.Client.close was removed without any prior
        deprecation
    """

    kind = ChangeKind.METHOD_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a method was removed'


class AttributeRemoved(RemovalRule):
    """A class or instance attribute was removed
    (``removal_kinds = "object"`` only). Example::

        attribute mylib.Client.timeout was removed without any prior
        deprecation
    """

    kind = ChangeKind.ATTRIBUTE_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a class attribute was removed'


class PropertyRemoved(RemovalRule):
    """A property was removed (``removal_kinds = "object"`` only).
    Example::

        property mylib.Client.closed was removed without any prior
        deprecation
    """

    kind = ChangeKind.PROPERTY_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a property was removed'


class MethodKindChanged(Rule):
    """A method changed between instance, static, class method and
    property. Example::

        mylib.Client.create changed from an instance method to a class
        method
    """

    kind = ChangeKind.METHOD_KIND_CHANGED.value
    default_severity = Bump.MAJOR
    description = 'a method changed between static/class/instance/property'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per method whose kind changed."""
        for pair in ctx.paired(Function):
            was, now = pair.old.method_kind, pair.new.method_kind
            if was != now:
                yield ctx.change(
                    self,
                    pair.path,
                    f'{pair.path} changed from {_METHOD_KINDS[was]} to '
                    f'{_METHOD_KINDS[now]}',
                    old=pair.old,
                    new=pair.new,
                )


class FinalAdded(Rule):
    """A class, method or attribute became final: subclassing,
    overriding or assigning it is now an error for type checkers.

    Minor: ``typing.final`` and ``Final`` change nothing at run time, so
    no code that ran stops running; type-checked code that subclassed or
    reassigned it gets an error to fix. Example::

        class mylib.Client is now final; type checkers reject
        subclasses
    """

    kind = ChangeKind.FINAL_ADDED.value
    default_severity = Bump.MINOR
    description = 'a class, method or attribute became final'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per object that became final."""
        for cls in ctx.paired(Class):
            if 'final' in cls.new.decorators - cls.old.decorators:
                yield self._final(ctx, cls.path, cls.old, cls.new)
        for func in ctx.paired(Function):
            if 'final' in func.new.decorators - func.old.decorators:
                yield self._final(ctx, func.path, func.old, func.new)
        for attr in ctx.paired(Attribute):
            if attr.new.final and not attr.old.final:
                yield self._final(ctx, attr.path, attr.old, attr.new)

    def _final(
        self,
        ctx: DiffContext,
        path: str,
        old: Class | Function | Attribute,
        new: Class | Function | Attribute,
    ) -> Change:
        if isinstance(new, Class):
            effect = 'subclasses'
        elif isinstance(new, Function):
            effect = 'overrides'
        else:
            effect = 'assignments'
        return ctx.change(
            self, path,
            f'{ctx.describe(path, new)} is now final; type checkers reject '
            f'{effect}',
            old=old, new=new,
        )


class AbstractMethodAdded(Rule):
    """A class gained an abstract method (or a method became abstract):
    existing subclasses no longer instantiate. Example::

        abstract method mylib.Backend.flush was added; subclasses must
        implement it
    """

    kind = ChangeKind.ABSTRACT_METHOD_ADDED.value
    default_severity = Bump.MAJOR
    description = 'a class gained an abstract method'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per new abstract method."""
        for pair in ctx.paired(Class):
            for name, member in pair.new.members.items():
                if not (
                    isinstance(member, Function)
                    and 'abstractmethod' in member.decorators
                ):
                    continue
                before = pair.old.members.get(name)
                path = f'{pair.path}.{name}'
                if before is None:
                    what = f'abstract {object_noun(member, pair.new)}'
                    message = f'{what} {path} was added'
                elif not (
                    isinstance(before, Function)
                    and 'abstractmethod' in before.decorators
                ):
                    message = f'{path} became abstract'
                else:
                    continue
                yield ctx.change(
                    self,
                    path,
                    f'{message}; subclasses must implement it',
                    old=before,
                    new=member,
                )
