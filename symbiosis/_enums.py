"""Parsing of symbiosis's string enumerations from user input."""

from __future__ import annotations

import enum
from typing import TypeVar

__all__ = ['parse_member']

E = TypeVar('E', bound=enum.Enum)


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
