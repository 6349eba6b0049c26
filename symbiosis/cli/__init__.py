"""The ``symbiosis`` command line: a cliff app over the library.

Commands are plugins in the ``symbiosis.cli`` entry-point namespace;
:class:`Command` is their base class. Importing this package is cheap:
cliff loads when a name below is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiosis._lazy_names import attach

if TYPE_CHECKING:
    from symbiosis.cli._base import Command

__all__ = ['Command']

__getattr__, __dir__ = attach(__name__, submod_attrs={
    '_base': ['Command'],
})
