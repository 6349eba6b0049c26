"""Private pieces of :mod:`symbiosis.api._extract.snapshot`.

* :mod:`.text` -- source text of expressions, literal detection;
* :mod:`.objects` -- functions, parameters and classes;
* :mod:`.scope` -- what one module's extraction knows while it walks it;
* :mod:`.signatures` -- signatures and decorators of ``def`` statements;
* :mod:`.branches` -- ``if`` blocks: Python-version and ``TYPE_CHECKING``
  branches;
* :mod:`.instances` -- instance attributes set in initialising methods;
* :mod:`.enums` -- enumeration bases and the values of ``auto()``;
* :mod:`.module` -- one module file to a :class:`~symbiosis.api._model.Module`;
* :mod:`.imports` -- a module's imports, and which of them are re-exported;
* :mod:`.dunder_all` -- what a module's ``__all__`` lists;
* :mod:`.module_getattr` -- the names a module ``__getattr__`` serves;
* :mod:`.dynamic` -- reading a ``__getattr__`` body: names served,
  refused, forwarded;
* :mod:`.lazy` -- ``__getattr__`` built by ``attach(...)`` helpers;
* :mod:`.deprecations` -- deprecation markers of every common family;
* :mod:`.link` -- passes across modules (star imports, ``__all__``
  concatenation, enum bases);
* :mod:`.files` -- which files make up a tree's modules;
* :mod:`.parsing` -- a file's bytes to its syntax tree;
* :mod:`.parallel` -- extracting many files, on every core;
* :mod:`.store` -- per-file cache entries in one SQLite file;
* :mod:`.decode` -- fast decoding and pickling of model objects;
* :mod:`.dump` -- the JSON text of ``api dump``, cached per tree.

What the rest of symbiosis may use is exported here (and loaded on first
use); other packages never import the modules above directly:

* :func:`extract_snapshot` -- a tree to a snapshot;
* :func:`dump_target` -- the ``api dump`` JSON text, cached per tree;
* :func:`parse_source` -- a file's bytes parsed as the extractor parses
  them;
* :func:`parse_error` -- a :class:`SyntaxError` as the extractor words it;
* :func:`gc_paused` -- the context manager that pauses the collector
  while many AST nodes are alive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiosis._lazy_names import attach

if TYPE_CHECKING:
    from symbiosis.api._extract.dump import dump_target
    from symbiosis.api._extract.module import parse_error
    from symbiosis.api._extract.parsing import parse_source
    from symbiosis.api._extract.snapshot import extract_snapshot
    from symbiosis.api._extract.snapshot import gc_paused

__all__ = [
    'dump_target',
    'extract_snapshot',
    'gc_paused',
    'parse_error',
    'parse_source',
]

__getattr__, __dir__ = attach(__name__, submod_attrs={
    'dump': ['dump_target'],
    'module': ['parse_error'],
    'parsing': ['parse_source'],
    'snapshot': ['extract_snapshot', 'gc_paused'],
})
