"""Deprecation: runtime helpers, moves, registry and static recognition.

Deprecate properly, and machine-readably::

    from symbiosis.deprecation import deprecated, moved, renamed_kwarg

    @deprecated(since='1.4', removal='2.0', replacement='mylib.connect()')
    def open_connection(host): ...

* :class:`deprecated` -- functions, methods, properties, classes (PEP 702
  ``__deprecated__`` set, ``since``/``removal``/``replacement`` validated
  and recorded);
* :func:`renamed_kwarg` -- a keyword argument renamed;
* :func:`moved`, :class:`moved_method`, :func:`moved_attributes`,
  :func:`moved_module` -- functions, classes, methods, module attributes
  and whole modules moved or renamed;
* :func:`registry` and :func:`overdue` -- list what a module declares,
  and what should have been removed by a given version;
* :class:`DeprecationDeclarationError` -- raised when a declaration is
  wrong, at decoration time.

:mod:`symbiosis.api._extract.deprecations` reads deprecation markers
(symbiosis's own helpers, PEP 702 ``@deprecated``, debtcollector, the
``deprecated`` and ``deprecation`` packages, ``warnings.warn(...,
DeprecationWarning)``) from source code without importing it, so the API
diff can tell "removed after deprecation in 1.4" from "removed
unannounced". It is part of the API extractor, so this package never
imports :mod:`symbiosis.api`.

Importing this package loads no third-party module (:mod:`packaging` is
imported when a version is first validated).
"""

from __future__ import annotations

from symbiosis.deprecation._decorators import deprecated
from symbiosis.deprecation._decorators import renamed_kwarg
from symbiosis.deprecation._messages import DeprecationRecord
from symbiosis.deprecation._module_moves import moved_attributes
from symbiosis.deprecation._module_moves import moved_module
from symbiosis.deprecation._moves import moved
from symbiosis.deprecation._moves import moved_method
from symbiosis.deprecation._registry import overdue
from symbiosis.deprecation._registry import registry
from symbiosis.deprecation._versions import DeprecationDeclarationError

__all__ = [
    'DeprecationDeclarationError',
    'DeprecationRecord',
    'deprecated',
    'moved',
    'moved_attributes',
    'moved_method',
    'moved_module',
    'overdue',
    'registry',
    'renamed_kwarg',
]
