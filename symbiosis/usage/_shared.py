"""The pieces of the API extractor the usage scanner shares.

The scanner reads and parses files the way
:mod:`symbiosis.api._extract.snapshot` does (bytes handed to
:func:`ast.parse`, so the encoding is detected as the interpreter does,
by the same :func:`parse_source`; the same error messages; the garbage
collector paused while many AST nodes are alive) and keeps its per-file
results in the same content-addressed cache layout
(:class:`symbiosis.api._cache.ExtractCache`, rooted at
``config.subdir('usage')``). This adapter is the one place
that reaches into the extractor, so a change there shows up here only.
"""

from __future__ import annotations

from collections.abc import Iterable
import contextlib
import pathlib
from typing import Any

from symbiosis.api._cache import ExtractCache
from symbiosis.api._cache import module_key
from symbiosis.api._extract import gc_paused as _extract_gc_paused
from symbiosis.api._extract import parse_error
from symbiosis.api._extract import parse_source

__all__ = [
    'ResultCache',
    'entry_key',
    'gc_paused',
    'parse_error_text',
    'parse_source',
]

#: The pseudo module name the usage entries are keyed under.
_USAGE_MODULE = '<usage>'


def gc_paused() -> contextlib.AbstractContextManager[None]:
    """Pause the cyclic garbage collector (as extraction does)."""
    return _extract_gc_paused()


def parse_error_text(
    file: str, err: BaseException
) -> tuple[int | None, str]:
    """Return ``(line, message)`` for a parse failure, worded as
    ``symbiosis api dump`` words it."""
    error = parse_error(file, '', err)
    return error.line, error.message


def entry_key(source: bytes, names: Iterable[str], version: str) -> str:
    """Return the cache key of one file's scan.

    SHA-256 of the file's bytes, the sorted import names looked for and
    the scanner version.
    """
    return module_key(source, _USAGE_MODULE, False, names, version)


class ResultCache:
    """Per-file scan results under ``directory`` (``<dir>/files/..``).

    Entries are written and read by the extraction cache's own atomic,
    damage-tolerant storage (pickles of plain tuples).

    :param directory: the ``usage`` cache subdirectory.
    """

    _KIND = 'files'
    _INDEX_KIND = 'trees'

    def __init__(self, directory: pathlib.Path) -> None:
        self._cache = ExtractCache(directory)

    def load_index(self, key: str) -> Any:
        """Return the tree index stored under ``key``, or ``None``."""
        return self._cache.load_entry(self._INDEX_KIND, key)

    def store_index(self, key: str, index: Any) -> None:
        """Store a tree index (plain data) under ``key`` atomically."""
        self._cache.store_entry(self._INDEX_KIND, key, index)

    def load(self, key: str) -> Any:
        """Return the entry stored under ``key``, or ``None``."""
        return self._cache.load_entry(self._KIND, key)

    def store(self, key: str, entry: Any) -> None:
        """Store ``entry`` (plain data) under ``key`` atomically."""
        self._cache.store_entry(self._KIND, key, entry)
