"""symbiosis's string enumerations: how they print, and parsing them."""

from __future__ import annotations

import enum
from typing import TypeVar

__all__ = ['TextEnum', 'parse_member']

E = TypeVar('E', bound=enum.Enum)


class TextEnum(str, enum.Enum):
    """A string enumeration whose members print as their value.

    Its values are what JSON reports and the command line carry
    (``'major'``, ``'regression'``), so ``str(member)`` and f-strings give
    the value, not ``Class.MEMBER``.
    """

    def __str__(self) -> str:
        return str(self.value)


def parse_member(cls: type[E], value: str | E, what: str) -> E:
    """Return the member of ``cls`` named ``value`` (case-insensitive).

    :param what: the noun used in the error (``severity``).
    :raises ValueError: ``value`` names no member; the message lists them.
    """
    if isinstance(value, cls):
        return value
    try:
        return cls(str(value).strip().lower())
    except ValueError:
        names = ', '.join(str(m.value) for m in cls)
        raise ValueError(
            f'unknown {what} {value!r} (expected one of {names})'
        ) from None
