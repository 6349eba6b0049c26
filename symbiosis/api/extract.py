"""Static extraction of a :class:`~symbiosis.api.model.Snapshot`.

Source files are parsed with :mod:`ast`; the analysed code is never
imported or executed.

Public names follow Python's own rules:

* ``__all__`` when the module defines one statically: a literal list or
  tuple, ``__all__ += [...]``, ``__all__.extend([...])``,
  ``__all__.append(x)``, and ``a.__all__ + b.__all__ + [...]`` built from
  other modules of the distribution;
* otherwise the names without a leading underscore the module defines
  (functions, classes, assignments, annotated assignments), plus:

  - in a package ``__init__``, names imported *from within the same
    distribution* (``from ._impl import Client``) -- public re-exports;
    imports from the standard library or other distributions are not;
  - in a plain module, imported names are not exported: like type
    checkers reading a ``py.typed`` library, an import is an
    implementation detail unless written as an explicit re-export;
  - everywhere, the explicit re-export idioms of PEP 484 stubs and typed
    libraries: ``import x as x``, ``from y import x as x`` and ``from .
    import x``; and names bound by ``from x import *``, which follows
    ``x``'s ``__all__`` or public names (chains followed, cycles cut);
  - a plain ``import a.b`` never exports ``a``.

Structure: ``if``/``else`` (``TYPE_CHECKING``, version checks),
``try``/``except ImportError``, ``with`` and loops are entered and the
union of their bindings kept; ``del name`` removes a name; a module
``__getattr__`` (PEP 562) sets :attr:`~symbiosis.api.model.Module.has_getattr`
and the names it visibly serves (``name == 'X'``, a dict of moved names)
are recorded, deprecated with marker ``module-getattr`` when it warns.

Per file, :func:`extract_module` is a pure function of the file's bytes,
so results are cached by content (:mod:`symbiosis.api.cache`) and computed
in parallel worker processes when many files miss the cache. Passes that
need several modules (star imports, ``__all__`` concatenation, enum bases
from other modules) run afterwards on the results.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import concurrent.futures
import contextlib
import dataclasses
import gc
import logging
import multiprocessing.context
import os
import pathlib
from typing import Any

from symbiosis.api import cache as cache_mod
from symbiosis.api._extract.decode import dumps_objects
from symbiosis.api._extract.decode import loads_objects
from symbiosis.api._extract.files import ModuleFile
from symbiosis.api._extract.files import find_module_files
from symbiosis.api._extract.link import link_modules
from symbiosis.api._extract.module import ModuleLinks
from symbiosis.api._extract.module import extract_file
from symbiosis.api.model import SCHEMA_VERSION
from symbiosis.api.model import ExtractionError
from symbiosis.api.model import Module
from symbiosis.api.model import Snapshot
from symbiosis.config import Config
from symbiosis.sources.base import SourceTree

__all__ = [
    'EXTRACTOR_VERSION',
    'ExtractStats',
    'extract_module',
    'extract_snapshot',
    'find_module_files',
    'gc_paused',
]

LOG = logging.getLogger(__name__)

#: Bumped whenever extraction output changes, so caches miss old entries.
EXTRACTOR_VERSION = f'1.{SCHEMA_VERSION}'

#: Below this many files to parse, worker processes cost more than they
#: save.
PARALLEL_THRESHOLD = 64


@dataclasses.dataclass
class ExtractStats:
    """Counters of one :func:`extract_snapshot` call (pass one in to read
    them).

    :param files: module files found.
    :param parsed: files parsed (cache misses).
    :param cache_hits: files whose result came from the cache.
    :param manifest_hit: the whole snapshot came from the tree manifest.
    :param processes: worker processes used (0: parsed in this process).
    """

    files: int = 0
    parsed: int = 0
    cache_hits: int = 0
    manifest_hit: bool = False
    processes: int = 0


def extract_module(
    rel_path: str,
    module_name: str,
    source_bytes: bytes,
    is_package: bool,
    top_level: Iterable[str],
) -> Module:
    """Extract one module from its source; never raises.

    Names that other modules provide (star imports, ``__all__`` built from
    other modules) are resolved by :func:`extract_snapshot`, not here.

    :param rel_path: the file's path relative to the tree root (for
        locations).
    :param module_name: its dotted module name.
    :param source_bytes: its content, in any encoding Python accepts.
    :param is_package: the file is a package ``__init__``.
    :param top_level: the distribution's import names.
    """
    return extract_file(
        rel_path, module_name, source_bytes, is_package, top_level
    )[0]


# -- per-file work, in this process or a worker ------------------------------

_Job = tuple[str, str, str, bool, str | None]  # path, rel, module, pkg, key
_Result = tuple[Module, ModuleLinks]


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


def _extract_one(
    job: _Job, source: bytes | None, top_level: tuple[str, ...],
    cache_dir: str | None,
) -> _Result:
    """Extract one file (reading it unless ``source`` is given) and store
    its JSON entry in the cache."""
    path, rel, module, is_package, key = job
    if source is None:
        try:
            with open(path, 'rb') as stream:
                source = stream.read()
        except OSError as err:
            error = ExtractionError(rel, f'cannot read file: {err}',
                                    module=module)
            broken = Module(module, rel, is_package=is_package,
                            errors=(error,))
            return broken, ModuleLinks()
    result = extract_file(rel, module, source, is_package, top_level)
    if cache_dir is not None:
        if key is None:
            key = cache_mod.module_key(source, module, is_package, top_level,
                                       EXTRACTOR_VERSION)
        cache_mod.ExtractCache(pathlib.Path(cache_dir)).store_module(
            key, result
        )
    return result


def _extract_chunk(
    jobs: Sequence[_Job], top_level: tuple[str, ...], cache_dir: str | None,
) -> bytes:
    """Worker entry point: extract a chunk of files read from disk.

    Results travel back pickled by
    :func:`~symbiosis.api._extract.decode.dumps_objects`, which the parent
    loads several times faster than it could decode JSON.
    """
    with gc_paused():
        return dumps_objects(
            [_extract_one(job, None, top_level, cache_dir) for job in jobs]
        )


def _chunks(jobs: Sequence[_Job], sizes: Sequence[int],
            count: int) -> list[list[_Job]]:
    # Largest files first, each to the lightest chunk: balanced work.
    chunks: list[list[_Job]] = [[] for _ in range(count)]
    weights = [0] * count
    pairs = zip(sizes, jobs, strict=False)
    for size, job in sorted(pairs, key=lambda p: -p[0]):
        index = weights.index(min(weights))
        chunks[index].append(job)
        weights[index] += size + 2048
    return [c for c in chunks if c]


def _run_parallel(
    jobs: Sequence[_Job],
    sizes: Sequence[int],
    top_level: tuple[str, ...],
    cache_dir: str | None,
    workers: int,
    mp_context: multiprocessing.context.BaseContext | None = None,
    sources: Mapping[str, bytes | None] | None = None,
) -> dict[str, _Result]:
    """Extract ``jobs`` using ``workers`` cores; results by module name.

    ``workers - 1`` processes take chunks from the front of the queue
    while this process, which would otherwise wait, takes them from the
    back (cancelling their futures before a worker starts them). Works
    with the ``fork``, ``forkserver`` and ``spawn`` start methods: only
    module-level functions and plain data cross the process boundary.
    """
    chunks = _chunks(jobs, sizes, workers * 6)
    sources = sources or {}
    results: dict[str, _Result] = {}
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=max(1, workers - 1), mp_context=mp_context
    ) as pool:
        submitted = [
            (pool.submit(_extract_chunk, chunk, top_level, cache_dir), chunk)
            for chunk in chunks
        ]
        for future, chunk in reversed(submitted):
            if not future.cancel():
                break
            for job in chunk:
                results[job[2]] = _extract_one(
                    job, sources.get(job[2]), top_level, cache_dir
                )
        for future, chunk in submitted:
            if future.cancelled():
                continue
            loaded = loads_objects(future.result())
            for job, result in zip(chunk, loaded, strict=False):
                results[job[2]] = result
    return results

# -- the snapshot ------------------------------------------------------------

def _metadata(tree: SourceTree) -> dict[str, Any]:
    return {
        'target': tree.target,
        'top_level': list(tree.top_level),
        'name': tree.name,
        'version': tree.version,
        'requires_python': tree.requires_python,
        'extras': list(tree.extras),
        'entry_points': {g: dict(e) for g, e in tree.entry_points.items()},
    }


def extract_snapshot(
    tree: SourceTree,
    config: Config | None = None,
    *,
    stats: ExtractStats | None = None,
) -> Snapshot:
    """Return the API snapshot of the files of ``tree``.

    Every module under ``tree.root/<name>`` for each name of
    ``tree.top_level`` is read (packages recursively, single-file modules,
    stubs, extension modules). Files that cannot be read are recorded as
    :class:`~symbiosis.api.model.ExtractionError` on their module and on
    the snapshot; extraction itself never fails because of the analysed
    code.

    :param tree: the files, as a :mod:`symbiosis.sources` source gives
        them.
    :param config: cache and worker settings (default: from the
        environment).
    :param stats: filled with counters (files parsed, cache hits...).
    """
    config = config if config is not None else Config.from_environ()
    stats = stats if stats is not None else ExtractStats()
    with gc_paused():
        return _extract_snapshot(tree, config, stats)


def _extract_snapshot(
    tree: SourceTree, config: Config, stats: ExtractStats
) -> Snapshot:
    cache = cache_mod.ExtractCache.from_config(config)
    files = find_module_files(tree.root, tree.top_level)
    stats.files = len(files)
    top_level = tuple(sorted(tree.top_level))

    manifest = None
    if cache is not None:
        manifest = cache_mod.tree_key(
            os.path.abspath(tree.root),
            [(f'{f.rel}:{f.kind}', f.stamp) for f in files],
            _metadata(tree), EXTRACTOR_VERSION,
        )
        stored = cache.load_tree(manifest)
        if stored is not None:
            stats.manifest_hit = True
            stats.cache_hits = len(files)
            return dataclasses.replace(stored, source=tree.target)

    results: dict[str, _Result] = {}
    pending = _from_cache(files, cache, top_level, results, stats)
    stats.parsed = len(pending)
    cache_dir = None if cache is None else str(cache.directory)
    workers = min(config.effective_workers(), max(1, len(pending) // 16))
    if len(pending) > PARALLEL_THRESHOLD and workers > 1:
        stats.processes = workers
        jobs = [(f.path, f.rel, f.module, f.is_package, key)
                for f, _, key in pending]
        sizes = [f.stamp[0] for f, _, _ in pending]
        results.update(_run_parallel(
            jobs, sizes, top_level, cache_dir, workers,
            sources={f.module: source for f, source, _ in pending},
        ))
    else:
        for file, source, key in pending:
            job = (file.path, file.rel, file.module, file.is_package, key)
            results[file.module] = _extract_one(
                job, source, top_level, cache_dir
            )

    modules = link_modules(
        {name: result[0] for name, result in results.items()},
        {name: result[1] for name, result in results.items() if result[1]},
        frozenset(top_level),
    )
    ordered = {f.module: modules[f.module] for f in files}
    snapshot = Snapshot(
        name=tree.name or (tree.top_level[0] if tree.top_level
                           else tree.target),
        version=tree.version,
        requires_python=tree.requires_python,
        extras=tuple(tree.extras),
        entry_points={g: dict(e) for g, e in tree.entry_points.items()},
        modules=ordered,
        errors=tuple(e for m in ordered.values() for e in m.errors),
        source=tree.target,
    )
    if cache is not None and manifest is not None:
        cache.store_tree(manifest, snapshot)
    return snapshot


def _from_cache(
    files: Sequence[ModuleFile],
    cache: cache_mod.ExtractCache | None,
    top_level: tuple[str, ...],
    results: dict[str, _Result],
    stats: ExtractStats,
) -> list[tuple[ModuleFile, bytes | None, str | None]]:
    """Fill ``results`` from the cache; return what must be parsed."""
    pending: list[tuple[ModuleFile, bytes | None, str | None]] = []
    for file in files:
        if file.kind == 'extension':
            results[file.module] = (
                Module(file.module, file.rel, is_package=file.is_package,
                       opaque=True),
                ModuleLinks(),
            )
            continue
        if cache is None:
            pending.append((file, None, None))
            continue
        try:
            with open(file.path, 'rb') as stream:
                source = stream.read()
        except OSError:
            pending.append((file, None, None))
            continue
        key = cache_mod.module_key(source, file.module, file.is_package,
                                   top_level, EXTRACTOR_VERSION)
        entry = cache.load_module(key)
        if entry is not None:
            results[file.module] = entry
            stats.cache_hits += 1
            continue
        pending.append((file, source, key))
    return pending
