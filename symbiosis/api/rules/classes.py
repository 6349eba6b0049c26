"""Rules about classes: bases, methods, attributes, finality, abstractness.
"""

from __future__ import annotations

from collections.abc import Iterator
import types

from symbiosis.api.changes import Change
from symbiosis.api.changes import ChangeKind
from symbiosis.api.changes import Severity
from symbiosis.api.model import Attribute
from symbiosis.api.model import Class
from symbiosis.api.model import Function
from symbiosis.api.rules.base import DiffContext
from symbiosis.api.rules.base import RemovalRule
from symbiosis.api.rules.base import Rule
from symbiosis.api.rules.base import object_noun

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


def _base_names(cls: Class) -> dict[str, str]:
    """``{short name: base text}``; ``typing.Generic[T]`` is ``Generic``.

    Bases are compared by their last component so a base class that moved
    inside the distribution (``pkg._a.Base`` to ``pkg._b.Base``) is not a
    change.
    """
    names: dict[str, str] = {}
    for base in cls.bases:
        short = base.split('[', 1)[0].strip().rpartition('.')[2]
        if short and short != 'object':
            names.setdefault(short, base)
    return names


class ClassBaseRemoved(Rule):
    """A class no longer derives from one of its bases: ``isinstance``
    checks and ``except`` clauses on that base stop matching. Example::

        class mylib.NotFound no longer derives from KeyError
    """

    kind = ChangeKind.CLASS_BASE_REMOVED.value
    default_severity = Severity.MAJOR
    description = 'a class lost a base class'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per base class dropped."""
        for pair in ctx.paired(Class):
            new_bases = _base_names(pair.new)
            for short, text in _base_names(pair.old).items():
                if short not in new_bases:
                    yield ctx.change(
                        self,
                        pair.path,
                        f'{ctx.describe(pair.path, pair.new)} no longer '
                        f'derives from {text}',
                        old=pair.old,
                        new=pair.new,
                    )


class ClassBaseAdded(Rule):
    """A class gained a base class.

    Example::

        class mylib.NotFound now also derives from LookupError
    """

    kind = ChangeKind.CLASS_BASE_ADDED.value
    default_severity = Severity.MINOR
    description = 'a class gained a base class'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per base class added."""
        for pair in ctx.paired(Class):
            old_bases = _base_names(pair.old)
            for short, text in _base_names(pair.new).items():
                if short not in old_bases:
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
    default_severity = Severity.MAJOR
    description = 'a method was removed'


class AttributeRemoved(RemovalRule):
    """A class or instance attribute was removed
    (``removal_kinds = "object"`` only). Example::

        attribute mylib.Client.timeout was removed without any prior
        deprecation
    """

    kind = ChangeKind.ATTRIBUTE_REMOVED.value
    default_severity = Severity.MAJOR
    description = 'a class attribute was removed'


class PropertyRemoved(RemovalRule):
    """A property was removed (``removal_kinds = "object"`` only).
    Example::

        property mylib.Client.closed was removed without any prior
        deprecation
    """

    kind = ChangeKind.PROPERTY_REMOVED.value
    default_severity = Severity.MAJOR
    description = 'a property was removed'


class MethodKindChanged(Rule):
    """A method changed between instance, static, class method and
    property. Example::

        mylib.Client.create changed from an instance method to a class
        method
    """

    kind = ChangeKind.METHOD_KIND_CHANGED.value
    default_severity = Severity.MAJOR
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
    Example::

        class mylib.Client is now final
    """

    kind = ChangeKind.FINAL_ADDED.value
    default_severity = Severity.MAJOR
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
        return ctx.change(
            self, path, f'{ctx.describe(path, new)} is now final',
            old=old, new=new,
        )


class AbstractMethodAdded(Rule):
    """A class gained an abstract method (or a method became abstract):
    existing subclasses no longer instantiate. Example::

        abstract method mylib.Backend.flush was added; subclasses must
        implement it
    """

    kind = ChangeKind.ABSTRACT_METHOD_ADDED.value
    default_severity = Severity.MAJOR
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
