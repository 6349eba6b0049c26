"""The JSON text ``symbiosis api dump`` writes, cached per tree.

Converting a large snapshot to JSON data and encoding it costs several
times more than loading it from a warm cache, so the finished text is
cached under the tree's manifest key (see :mod:`symbiosis.api._cache`) and
the output format: it is reused exactly when the snapshot itself would be.
The text is kept as a plain file of UTF-8 bytes beside a small entry
holding the warnings about unreadable files: a warm dump reads the entry
and copies the file's bytes to the output, neither decoding nor encoding
them (:meth:`SnapshotDump.write_to`, :meth:`SnapshotDump.save`).

Compact JSON (no indentation) is the default: :func:`json.dumps` then runs
in C, several times faster than its pure-Python indenting encoder.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import time
from typing import BinaryIO

from symbiosis.api._extract.snapshot import ExtractionPlan
from symbiosis.api._extract.snapshot import ExtractStats
from symbiosis.api._extract.snapshot import build_snapshot
from symbiosis.api._extract.snapshot import gc_paused
from symbiosis.api._extract.snapshot import plan_extraction
from symbiosis.api._model import ExtractionProblem
from symbiosis.api._model import Snapshot
from symbiosis.config import Config
from symbiosis.sources._base import SourceTree

__all__ = ['DumpTimes', 'SnapshotDump', 'cached_dump', 'dump_snapshot',
           'dump_target', 'dump_tree']

_KIND = 'dumps'


@dataclasses.dataclass(frozen=True, eq=False)
class SnapshotDump:
    """A snapshot's JSON text and what to warn about.

    :param content: the JSON, ending with a newline; or, from the cache,
        the file holding it as UTF-8 (read only when :attr:`text` is
        asked for).
    :param errors: files that could not be read, each once.
    :param complete: whether every name is known
        (:attr:`Snapshot.complete <symbiosis.api._model.Snapshot.complete>`).
    :param label: how to name the snapshot in messages.

    Two dumps are equal when their texts and warnings are, wherever the
    texts are kept.
    """

    content: str | pathlib.Path
    errors: tuple[ExtractionProblem, ...]
    complete: bool
    label: str

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SnapshotDump):
            return NotImplemented
        return (self.errors, self.complete, self.label, self.text) == (
            other.errors, other.complete, other.label, other.text)

    __hash__ = None  # type: ignore[assignment]

    @property
    def text(self) -> str:
        """The JSON text."""
        if isinstance(self.content, str):
            return self.content
        return self.content.read_bytes().decode('utf-8')

    def write_to(self, stream: BinaryIO) -> None:
        """Write the JSON as UTF-8 to ``stream`` (a cached file's bytes
        are copied as they are)."""
        if isinstance(self.content, str):
            stream.write(self.content.encode('utf-8'))
            return
        from symbiosis._files import send_file

        with open(self.content, 'rb') as reader:
            send_file(reader, stream)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the JSON to the file ``path`` atomically (a cached file
        is copied, in the kernel where it can).

        :raises symbiosis.exception.InputError: ``path`` cannot be
            written.
        """
        from symbiosis._files import copy_output
        from symbiosis._files import write_output

        if isinstance(self.content, str):
            write_output(path, self.content)
        else:
            copy_output(self.content, path)


@dataclasses.dataclass
class DumpTimes:
    """Seconds spent per phase of one dump (pass one in to read them).

    :param load: finding, parsing (or loading) and linking the modules.
    :param to_json: :meth:`Snapshot.to_json`.
    :param encode: :func:`json.dumps`.
    :param cached: the text came from the cache (the phases are 0).
    """

    load: float = 0.0
    to_json: float = 0.0
    encode: float = 0.0
    cached: bool = False


def dump_snapshot(
    snapshot: Snapshot,
    indent: int | None = None,
    times: DumpTimes | None = None,
) -> SnapshotDump:
    """Return the JSON text of ``snapshot``.

    :param indent: indent nested levels by this many spaces (``None``:
        compact, the fastest).
    :param times: filled with the time spent converting and encoding.
    """
    times = times if times is not None else DumpTimes()
    with gc_paused():
        start = time.perf_counter()
        data = snapshot.to_json()
        converted = time.perf_counter()
        if indent is None:
            text = json.dumps(data, separators=(',', ':'))
        else:
            text = json.dumps(data, indent=indent)
        times.to_json = converted - start
        times.encode = time.perf_counter() - converted
    errors = list(snapshot.errors)
    for module in snapshot.modules.values():
        errors.extend(e for e in module.errors if e not in errors)
    return SnapshotDump(text + '\n', tuple(errors), snapshot.complete,
                        snapshot.source or snapshot.name)


def dump_tree(
    tree: SourceTree,
    config: Config,
    indent: int | None = None,
    times: DumpTimes | None = None,
) -> SnapshotDump:
    """Return the JSON text of the snapshot of ``tree``, from the cache
    when the tree has not changed since it was stored."""
    times = times if times is not None else DumpTimes()
    start = time.perf_counter()
    with gc_paused():
        plan = plan_extraction(tree, config)
        cached = _from_cache(plan, indent)
        if cached is not None:
            times.cached = True
            times.load = time.perf_counter() - start
            return cached
        snapshot = build_snapshot(plan, config, ExtractStats())
    times.load = time.perf_counter() - start
    dump = dump_snapshot(snapshot, indent, times)
    key = _key(plan, indent)
    # The text first: an entry is only read with its text in place.
    if plan.cache is not None and key is not None and plan.cache.store_file(
            _KIND, key, '.json', dump.text.encode('utf-8')):
        plan.cache.store_entry(
            _KIND, key, (_FORMAT, dump.errors, dump.complete, dump.label))
    return dump


def cached_dump(
    tree: SourceTree, config: Config, indent: int | None = None,
) -> SnapshotDump | None:
    """Return the dump of ``tree`` that :func:`dump_tree` would take from
    the cache, or ``None`` (not stored, or caching is off): the tree's
    files are listed and their status read, none is opened."""
    with gc_paused():
        return _from_cache(plan_extraction(tree, config), indent)


def _key(plan: ExtractionPlan, indent: int | None) -> str | None:
    if plan.cache is None or plan.manifest is None:
        return None
    return f'{plan.manifest}.{"c" if indent is None else indent}'


def _from_cache(
    plan: ExtractionPlan, indent: int | None,
) -> SnapshotDump | None:
    key = _key(plan, indent)
    if plan.cache is None or key is None:
        return None
    return _cached(plan.cache.load_entry(_KIND, key),
                   plan.cache.file_path(_KIND, key, '.json'))


#: The shape of a ``dumps`` entry: the text is in a file beside it.
_FORMAT = 'file'


def _cached(entry: object, path: pathlib.Path) -> SnapshotDump | None:
    if not (isinstance(entry, tuple) and len(entry) == 4):
        return None
    form, errors, complete, label = entry
    if not (
        form == _FORMAT and isinstance(errors, tuple)
        and all(isinstance(e, ExtractionProblem) for e in errors)
        and isinstance(complete, bool) and isinstance(label, str)
        and path.is_file()
    ):
        return None
    return SnapshotDump(path, errors, complete, label)


def dump_target(
    target: str,
    config: Config | None = None,
    *,
    repo: str | os.PathLike[str] | None = None,
    indent: int | None = None,
    times: DumpTimes | None = None,
) -> SnapshotDump:
    """Return the JSON text of the snapshot of any TARGET, as
    ``symbiosis api dump`` writes it.

    :param target: what :func:`symbiosis.api._loader.load_snapshot` takes.
    :param indent: spaces per nesting level (``None``: compact).
    :param times: filled with the time spent per phase.
    :raises symbiosis.exception.SymbiosisError: the target cannot be read.
    """
    from symbiosis.api._loader import is_snapshot_file
    from symbiosis.api._loader import read_snapshot_file
    from symbiosis.sources import resolve_target

    config = config if config is not None else Config.from_environ()
    times = times if times is not None else DumpTimes()
    if is_snapshot_file(target):
        start = time.perf_counter()
        snapshot = read_snapshot_file(target)
        times.load = time.perf_counter() - start
        return dump_snapshot(snapshot, indent, times)
    tree = resolve_target(target, config, repo=repo)
    return dump_tree(tree, config, indent, times)
