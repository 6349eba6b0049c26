"""The ``symbiosis`` command line: a cliff app over the library.

Commands are plugins in the ``symbiosis.cli`` entry-point namespace;
:class:`Command` is their base class. Importing this package is cheap:
cliff loads when a name below is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from symbiosis._lazy_names import load_lazy_name

if TYPE_CHECKING:
    from symbiosis.cli._base import Command

__all__ = ['Command']

# Public name -> the submodule defining it (read-only).
_LAZY = {
    'Command': 'symbiosis.cli._base',
}


def __getattr__(name: str) -> Any:
    return load_lazy_name(__name__, name, _LAZY.get(name))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
