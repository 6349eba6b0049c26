"""Names a package serves lazily through its PEP 562 ``__getattr__``.

A package keeps importing cheap by naming, for each of its submodules,
the public names it defines, and loading a submodule on first access to
one of them::

    __all__ = ['Gate', 'GateReport']          # literal: type checkers read it

    __getattr__, __dir__ = attach(__name__, submod_attrs={
        '_model': ['GateReport'],
        '_runner': ['Gate'],
    })

Keys are module names relative to the package, as written after ``from .``
(``'_rules.base'``; a leading dot goes one package up: ``'._executors'``
is a sibling of the package). The call has the shape of
``lazy_loader.attach``, so static readers of the package -- symbiosis's
own API extraction among them -- learn the served names from it without
importing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import importlib
import sys
from typing import Any

__all__ = ['attach']


def attach(
    package: str,
    *,
    submod_attrs: Mapping[str, Sequence[str]],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__``.

    :param package: the package's ``__name__``.
    :param submod_attrs: relative submodule name -> the names it defines
        that the package serves.
    :raises ValueError: a name is served by two submodules.
    """
    served: dict[str, str] = {}
    for submodule, names in submod_attrs.items():
        for name in names:
            if name in served:
                raise ValueError(
                    f'{package}: {name!r} is served by both '
                    f'{served[name]!r} and {submodule!r}')
            served[name] = submodule

    def __getattr__(name: str) -> Any:
        try:
            submodule = served[name]
        except KeyError:
            raise AttributeError(
                f'module {package!r} has no attribute {name!r}'
            ) from None
        module = importlib.import_module(f'.{submodule}', package)
        return getattr(module, name)

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(served))

    return __getattr__, __dir__
