"""Rules about module constants and class attributes."""

from __future__ import annotations

from collections.abc import Iterator
import re

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Attribute
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import Rule

__all__ = ['ConstantValueChanged', 'literal_type']


_STRING_PREFIX = re.compile(r'^([rRbBuUfF]{0,2})[\'"]')


def literal_type(text: str | None) -> str | None:
    """The type of a literal's source text (``int``, ``str``, ``tuple``
    ...), ``None`` when it is not a literal this knows."""
    if not text:
        return None
    if text in ('True', 'False'):
        return 'bool'
    if text == 'None':
        return 'NoneType'
    if text == 'Ellipsis' or text == '...':
        return 'ellipsis'
    head = text.lstrip('-+')
    if head[:1].isdigit() or head[:1] == '.':
        if 'j' in head:
            return 'complex'
        return 'float' if any(c in head for c in '.eE') and not (
            head.startswith(('0x', '0o', '0b'))) else 'int'
    string = _STRING_PREFIX.match(text)
    if string is not None:
        return 'bytes' if 'b' in string.group(1).lower() else 'str'
    call = text.partition('(')[0]
    if call in ('frozenset', 'set', 'dict', 'list', 'tuple'):
        return call
    opening = {'(': 'tuple', '[': 'list', '{': 'dict'}.get(text[:1])
    if opening == 'dict' and ':' not in text and text != '{}':
        return 'set'
    return opening


class ConstantValueChanged(Rule):
    """The literal value of a public constant or class attribute changed.

    Minor when the value keeps its type; major when its type changes
    (``10`` to ``'10'``, a list to a tuple): code that computes with it,
    mutates it or checks it breaks. A change to or from ``None`` keeps the
    rule's default. Literal values are compared; a value that is not a
    literal is compared by its type when the extractor knows it on both
    sides (``os.path.join(...)`` is a ``str``, ``Path(...)`` a
    :class:`pathlib.Path`): a changed type is major. Enumeration members
    have their own rule.
    Example::

        value of constant mylib.DEFAULT_TIMEOUT changed from 10 to 30
    """

    kind = ChangeKind.CONSTANT_VALUE_CHANGED.value
    default_severity = Bump.MINOR
    description = "a constant's literal value changed"

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per attribute whose literal value changed."""
        for pair in ctx.paired(Attribute):
            old, new = pair.old, pair.new
            if old.enum_member or new.enum_member or old.instance:
                continue
            if None in (old.value, new.value):
                change = _type_change(ctx, self, pair.path, old, new)
                if change is not None:
                    yield change
                continue
            if old.value == new.value:
                continue
            message = (f'value of {ctx.describe(pair.path, new)} changed '
                       f'from {old.value} to {new.value}')
            severity = None
            was, now = literal_type(old.value), literal_type(new.value)
            if was and now and was != now and 'NoneType' not in (was, now):
                message += f' (its type changed from {was} to {now})'
                severity = Bump.MAJOR
            yield ctx.change(self, pair.path, message, old=old, new=new,
                             severity=severity)


def _value_type(attr: Attribute) -> str | None:
    return literal_type(attr.value) or attr.value_type


def _type_change(ctx: DiffContext, rule: Rule, path: str, old: Attribute,
                 new: Attribute) -> Change | None:
    """A value that is not a literal on one side, whose type is certain
    on both and differs (``os.path.join(...)`` became ``Path(...)``)."""
    was, now = _value_type(old), _value_type(new)
    if not was or not now or was == now or 'NoneType' in (was, now):
        return None
    return ctx.change(
        rule, path,
        f'value of {ctx.describe(path, new)} changed type from {was} to '
        f'{now}', old=old, new=new, severity=Bump.MAJOR)
