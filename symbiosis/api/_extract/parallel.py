"""Extracting many files: in this process, or on every core.

Each file's result can come with its cache *entry*: the key and the
pickled ``(Module, ModuleLinks)`` as
:func:`~symbiosis.api._extract.decode.dumps_objects` writes it. A worker
process pickles each result once, and that pickle both carries the result
back and is what the parent stores in the cache, in one batch at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import contextlib
import gc
import pickle
from typing import TYPE_CHECKING

from symbiosis.api import _cache as cache_mod
from symbiosis.api._extract.decode import dumps_objects
from symbiosis.api._extract.decode import loads_objects
from symbiosis.api._extract.module import ModuleLinks
from symbiosis.api._extract.module import extract_file
from symbiosis.api._model import ExtractionProblem
from symbiosis.api._model import Module

if TYPE_CHECKING:
    import multiprocessing.context

__all__ = [
    'Entry',
    'Job',
    'Result',
    'extract_job',
    'gc_paused',
    'run_parallel',
    'run_serial',
]

#: ``(path, rel, module, is_package, key)``: ``key`` is the cache key when
#: the caller already hashed the file, else ``None``.
Job = tuple[str, str, str, bool, str | None]
Result = tuple[Module, ModuleLinks]
#: ``(cache key, pickled Result)``.
Entry = tuple[str, bytes]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects.

    Extraction allocates hundreds of thousands of AST nodes and model
    objects that stay alive; each automatic collection would traverse all
    of them, which costs more than the parsing itself on large trees.
    Nothing built here forms reference cycles that need collecting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def extract_job(
    job: Job,
    source: bytes | None,
    top_level: tuple[str, ...],
    version: str | None,
) -> tuple[Result, Entry | None]:
    """Extract one file (reading it unless ``source`` is given).

    :param version: the extractor version when the result is to be
        cached: the cache entry is then returned too (``None`` for a file
        that could not be read).
    """
    path, rel, module, is_package, key = job
    if source is None:
        try:
            with open(path, 'rb') as stream:
                source = stream.read()
        except OSError as err:
            error = ExtractionProblem(rel, f'cannot read file: {err}',
                                    module=module)
            broken = Module(module, rel, is_package=is_package,
                            errors=(error,))
            return (broken, ModuleLinks()), None
    result = extract_file(rel, module, source, is_package, top_level)
    if version is None:
        return result, None
    if key is None:
        key = cache_mod.module_key(source, module, is_package, top_level,
                                   version)
    return result, (key, dumps_objects(result))


def run_serial(
    jobs: Sequence[Job],
    top_level: tuple[str, ...],
    version: str | None,
    sources: Mapping[str, bytes | None] | None = None,
) -> tuple[dict[str, Result], list[Entry]]:
    """Extract ``jobs`` in this process; results by file (the ``rel``
    path) and the cache entries (when ``version`` is given)."""
    sources = sources or {}
    results: dict[str, Result] = {}
    entries: list[Entry] = []
    for job in jobs:
        result, entry = extract_job(job, sources.get(job[1]), top_level,
                                    version)
        results[job[1]] = result
        if entry is not None:
            entries.append(entry)
    return results, entries


def _extract_chunk(
    jobs: Sequence[Job], top_level: tuple[str, ...], version: str | None,
) -> bytes:
    """Worker entry point: extract a chunk of files read from disk.

    Without caching, the results travel back in one pickle by
    :func:`~symbiosis.api._extract.decode.dumps_objects`; with caching,
    as each file's cache entry (``None`` for unreadable files, whose result
    is pickled alone).
    """
    with gc_paused():
        if version is None:
            return dumps_objects(
                [extract_job(job, None, top_level, None)[0] for job in jobs]
            )
        out: list[tuple[str | None, bytes]] = []
        for job in jobs:
            result, entry = extract_job(job, None, top_level, version)
            out.append(entry if entry is not None
                       else (None, dumps_objects(result)))
        return pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)


def _chunks(jobs: Sequence[Job], sizes: Sequence[int],
            count: int) -> list[list[Job]]:
    # Largest files first, each to the lightest chunk: balanced work.
    chunks: list[list[Job]] = [[] for _ in range(count)]
    weights = [0] * count
    pairs = zip(sizes, jobs, strict=False)
    for size, job in sorted(pairs, key=lambda p: -p[0]):
        index = weights.index(min(weights))
        chunks[index].append(job)
        weights[index] += size + 2048
    return [c for c in chunks if c]


def _collect(
    data: bytes, chunk: Sequence[Job], version: str | None,
    results: dict[str, Result], entries: list[Entry],
) -> None:
    if version is None:
        loaded = loads_objects(data)
        for job, result in zip(chunk, loaded, strict=False):
            results[job[1]] = result
        return
    for job, (key, blob) in zip(chunk, loads_objects(data), strict=False):
        results[job[1]] = loads_objects(blob)
        if key is not None:
            entries.append((key, blob))


def run_parallel(
    jobs: Sequence[Job],
    sizes: Sequence[int],
    top_level: tuple[str, ...],
    version: str | None,
    workers: int,
    mp_context: multiprocessing.context.BaseContext | None = None,
    sources: Mapping[str, bytes | None] | None = None,
) -> tuple[dict[str, Result], list[Entry]]:
    """Extract ``jobs`` using ``workers`` cores, as :func:`run_serial`.

    ``workers - 1`` processes take chunks from the front of the queue
    while this process, which would otherwise wait, takes them from the
    back (cancelling their futures before a worker starts them), and
    unpickles the workers' finished chunks between two of its own. Works
    with the ``fork``, ``forkserver`` and ``spawn`` start methods: only
    module-level functions and plain data cross the process boundary.
    """
    # Imported here: a warm run, served by the cache, starts no process.
    import concurrent.futures

    chunks = _chunks(jobs, sizes, workers * 6)
    sources = sources or {}
    results: dict[str, Result] = {}
    entries: list[Entry] = []
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=max(1, workers - 1), mp_context=mp_context
    ) as pool:
        submitted = [
            (pool.submit(_extract_chunk, chunk, top_level, version), chunk)
            for chunk in chunks
        ]
        pending = list(submitted)
        for future, chunk in reversed(submitted):
            if not future.cancel():
                break
            pending.remove((future, chunk))
            for job in chunk:
                result, entry = extract_job(job, sources.get(job[1]),
                                            top_level, version)
                results[job[1]] = result
                if entry is not None:
                    entries.append(entry)
            # Unpickle what the workers finished meanwhile.
            while pending and pending[0][0].done():
                done, done_chunk = pending.pop(0)
                _collect(done.result(), done_chunk, version, results,
                         entries)
        for future, chunk in pending:
            if future.cancelled():
                continue
            _collect(future.result(), chunk, version, results, entries)
    return results, entries
