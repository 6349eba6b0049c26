"""Rules about public names: removed, added, changed kind."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Attribute
from symbiosis.api._model import Function
from symbiosis.api._rules.base import AdditionRule
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import RemovalRule
from symbiosis.api._rules.base import Rule
from symbiosis.api._rules.base import object_noun

__all__ = ['KindChanged', 'NameAdded', 'NameRemoved']


class NameRemoved(RemovalRule):
    """A public name was removed (``removal_kinds = "object"`` only).

    Covers module-level functions, classes and constants, and nested
    classes. Example::

        function mylib.connect was removed without any prior deprecation
    """

    kind = ChangeKind.NAME_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a public name was removed'


class NameAdded(AdditionRule):
    """A public name appeared (function, class, method, attribute).

    Members of an added class are not listed separately. Example::

        class mylib.RetryPolicy was added
    """

    kind = ChangeKind.NAME_ADDED.value
    default_severity = Bump.MINOR
    description = 'a public name was added'


class KindChanged(Rule):
    """A public name now refers to a different kind of object.

    Turning an attribute into a property (or back) keeps reads working and
    is minor; any other change (a class becoming a function...) is major.
    An attribute bound to something that is not a literal
    (``and_ = public_factory(...)``, ``Point = namedtuple(...)``) may be
    any kind of object, so its becoming a function or class (or the
    reverse) is not reported. Example::

        mylib.Client changed from a class to a function
    """

    kind = ChangeKind.KIND_CHANGED.value
    default_severity = Bump.MAJOR
    description = 'a name now refers to a different kind of object'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per path whose object changed type."""
        for pair in ctx.kind_changes():
            readable = _readable_both_ways(pair.old, pair.new)
            if (_opaque(pair.old) or _opaque(pair.new)) and not readable:
                continue
            old_noun = object_noun(pair.old, ctx.parent(pair.path, 'old'))
            new_noun = object_noun(pair.new, ctx.parent(pair.path, 'new'))
            severity = Bump.MINOR if readable else None
            yield ctx.change(
                self,
                pair.path,
                f'{pair.path} changed from {_article(old_noun)} to '
                f'{_article(new_noun)}',
                old=pair.old,
                new=pair.new,
                severity=severity,
            )


def _opaque(obj: object) -> bool:
    """An attribute whose value says nothing of what kind of object it
    is (not a literal, no annotation)."""
    return (isinstance(obj, Attribute) and obj.value is None
            and obj.annotation is None and not obj.enum_member
            and not obj.instance)


def _readable_both_ways(old: object, new: object) -> bool:
    for a, b in ((old, new), (new, old)):
        if (
            isinstance(a, Attribute)
            and isinstance(b, Function)
            and b.is_property
        ):
            return True
    return False


def _article(noun: str) -> str:
    return ('an ' if noun[0] in 'aeiou' else 'a ') + noun
