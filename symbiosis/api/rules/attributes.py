"""Rules about module constants and class attributes."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api.changes import Change
from symbiosis.api.changes import ChangeKind
from symbiosis.api.changes import Severity
from symbiosis.api.model import Attribute
from symbiosis.api.rules.base import DiffContext
from symbiosis.api.rules.base import Rule

__all__ = ['ConstantValueChanged']


class ConstantValueChanged(Rule):
    """The literal value of a public constant or class attribute changed.

    Only literal values are compared (the extractor records no others);
    enumeration members have their own rule. Example::

        value of constant mylib.DEFAULT_TIMEOUT changed from 10 to 30
    """

    kind = ChangeKind.CONSTANT_VALUE_CHANGED.value
    default_severity = Severity.MINOR
    description = "a constant's literal value changed"

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per attribute whose literal value changed."""
        for pair in ctx.paired(Attribute):
            old, new = pair.old, pair.new
            if old.enum_member or new.enum_member or old.instance:
                continue
            if None in (old.value, new.value) or old.value == new.value:
                continue
            yield ctx.change(
                self,
                pair.path,
                f'value of {ctx.describe(pair.path, new)} changed from '
                f'{old.value} to {new.value}',
                old=old,
                new=new,
            )
