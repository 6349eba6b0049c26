"""Names a package serves lazily through its PEP 562 ``__getattr__``.

A package keeps importing cheap by mapping each public name to the
submodule defining it and loading that submodule on first access::

    _LAZY = {'Gate': 'symbiosis.gate._runner'}

    def __getattr__(name: str) -> Any:
        return load_lazy_name(__name__, name, _LAZY.get(name))

The ``_LAZY.get(name)`` stays in the package itself: static readers of
the package (symbiosis's own API extraction among them) learn the served
names from that lookup.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ['load_lazy_name']


def load_lazy_name(package: str, name: str, module: str | None) -> Any:
    """Return ``name`` from ``module``, imported now.

    :param package: the package asked (``__name__``), for the error.
    :param name: the attribute asked for.
    :param module: the submodule defining ``name``; ``None`` when the
        package serves no such name.
    :raises AttributeError: ``module`` is ``None``.
    """
    if module is None:
        raise AttributeError(
            f'module {package!r} has no attribute {name!r}'
        )
    return getattr(importlib.import_module(module), name)
