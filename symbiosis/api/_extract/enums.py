"""Enumerations: the bases that make one, the values of ``auto()``."""

from __future__ import annotations

from collections.abc import Sequence
import dataclasses

from symbiosis.api._extract.render import str_text
from symbiosis.api._extract.text import int_text
from symbiosis.api._model import Attribute
from symbiosis.api._model import Member

__all__ = ['ENUM_BASES', 'number_auto_members']

#: Bases that make a class an enumeration.
ENUM_BASES = frozenset(
    f'enum.{name}'
    for name in ('Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag',
                 'ReprEnum')
)

_FLAG_BASES = frozenset({'enum.Flag', 'enum.IntFlag'})
_STR_BASES = frozenset({'enum.StrEnum'})
_INT_BASES = frozenset({'enum.Enum', 'enum.IntEnum', 'enum.ReprEnum'})


def _is_auto(text: str) -> bool:
    """``auto()`` or ``enum.auto()`` (any dotted prefix)."""
    if text == 'auto()':
        return True
    head, _, tail = text.rpartition('.')
    return tail == 'auto()' and all(p.isidentifier() for p in head.split('.'))


def number_auto_members(
    members: dict[str, Member], bases: Sequence[str]
) -> None:
    """Give ``auto()`` members the values the enum machinery assigns.

    Only for classes deriving directly from the standard enum bases and
    not overriding ``_generate_next_value_``: ``Enum``/``IntEnum`` count
    up from the largest integer value so far (from 1), ``Flag``/
    ``IntFlag`` take the next power of two, ``StrEnum`` the lowercased
    name. Anything else keeps the text ``auto()``.
    """
    if '_generate_next_value_' in members:
        return
    known = set(bases)
    if known & _STR_BASES:
        flavour = 'str'
    elif known & _FLAG_BASES:
        flavour = 'flag'
    elif known & _INT_BASES:
        flavour = 'int'
    else:
        return
    values: list[int] = []
    for name, member in list(members.items()):
        if not (isinstance(member, Attribute) and member.enum_member):
            continue
        text = member.value or ''
        if _is_auto(text):
            if flavour == 'str':
                value = str_text(name.lower())
            elif flavour == 'flag':
                highest = max(values, default=0)
                number = 1 if highest < 1 else 1 << highest.bit_length()
                values.append(number)
                value = int_text(number)
            else:
                number = max(values, default=0) + 1
                values.append(number)
                value = int_text(number)
            members[name] = dataclasses.replace(member, value=value)
            continue
        try:
            values.append(int(text, 0))
        except ValueError:
            if flavour != 'str':
                return  # a non-integer value: leave auto() as written
