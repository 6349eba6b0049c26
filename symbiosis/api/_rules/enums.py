"""Rules about enumeration members."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Attribute
from symbiosis.api._rules.base import AdditionRule
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import RemovalRule
from symbiosis.api._rules.base import Rule

__all__ = ['EnumMemberAdded', 'EnumMemberRemoved', 'EnumMemberValueChanged']


class EnumMemberRemoved(RemovalRule):
    """A member of an enumeration was removed (a deprecated one is
    reported as ``removed-after-deprecation``). Example::

        enum member mylib.Color.MAUVE was removed without any prior
        deprecation
    """

    kind = ChangeKind.ENUM_MEMBER_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'an enum member was removed'


class EnumMemberAdded(AdditionRule):
    """A member was added to an enumeration.

    Example::

        enum member mylib.Color.TEAL was added
    """

    kind = ChangeKind.ENUM_MEMBER_ADDED.value
    default_severity = Bump.MINOR
    description = 'an enum member was added'


class EnumMemberValueChanged(Rule):
    """The value of an enumeration member changed: stored or transmitted
    values no longer map back to it. Example::

        value of enum member mylib.Color.RED changed from 1 to 'red'
    """

    kind = ChangeKind.ENUM_MEMBER_VALUE_CHANGED.value
    default_severity = Bump.MAJOR
    description = "an enum member's value changed"

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per enum member whose literal value changed."""
        for pair in ctx.paired(Attribute):
            old, new = pair.old, pair.new
            if not (old.enum_member and new.enum_member):
                continue
            if None not in (old.value, new.value) and old.value != new.value:
                yield ctx.change(
                    self,
                    pair.path,
                    f'value of enum member {pair.path} changed from '
                    f'{old.value} to {new.value}',
                    old=old,
                    new=new,
                )
