"""Static extraction of a :class:`~symbiosis.api._model.Snapshot`.

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
``__getattr__`` (PEP 562) sets :attr:`~symbiosis.api._model.Module.has_getattr`
and the names it visibly serves (``name == 'X'``, a dict of moved names)
are recorded, deprecated with marker ``module-getattr`` when it warns.

Per file, :func:`extract_module` is a pure function of the file's bytes,
so results are cached by content (:mod:`symbiosis.api._cache`) and computed
in parallel worker processes when many files miss the cache. Passes that
need several modules (star imports, ``__all__`` concatenation, enum bases
from other modules) run afterwards on the results.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
import dataclasses
import logging
import os
from typing import Any

from symbiosis.api import _cache as cache_mod
from symbiosis.api._extract.files import RUNTIME
from symbiosis.api._extract.files import ModuleFile
from symbiosis.api._extract.files import find_module_files
from symbiosis.api._extract.link import link_modules
from symbiosis.api._extract.module import ModuleLinks
from symbiosis.api._extract.module import extract_file
from symbiosis.api._extract.parallel import Entry
from symbiosis.api._extract.parallel import Job
from symbiosis.api._extract.parallel import Result
from symbiosis.api._extract.parallel import gc_paused
from symbiosis.api._extract.parallel import run_parallel
from symbiosis.api._extract.parallel import run_serial
from symbiosis.api._extract.stubs import merge_runtime
from symbiosis.api._model import SCHEMA_VERSION
from symbiosis.api._model import Alias
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.config import Config
from symbiosis.sources._base import SourceTree

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
EXTRACTOR_VERSION = f'19.{SCHEMA_VERSION}'

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
    :class:`~symbiosis.api._model.ExtractionProblem` on their module and on
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
        return build_snapshot(plan_extraction(tree, config), config, stats)


@dataclasses.dataclass(frozen=True)
class ExtractionPlan:
    """What :func:`build_snapshot` works from (internal).

    :param tree: the source tree.
    :param files: its module files, in snapshot order.
    :param top_level: its sorted import names.
    :param cache: the extraction cache, ``None`` when caching is off.
    :param manifest: the tree's cache key, ``None`` when caching is off.
    """

    tree: SourceTree
    files: list[ModuleFile]
    top_level: tuple[str, ...]
    cache: cache_mod.ExtractCache | None
    manifest: str | None


def plan_extraction(tree: SourceTree, config: Config) -> ExtractionPlan:
    """Find the module files of ``tree`` and its cache key (internal)."""
    cache = cache_mod.ExtractCache.from_config(config)
    files = find_module_files(tree.root, tree.top_level)
    manifest = None
    if cache is not None:
        manifest = cache_mod.tree_key(
            os.path.abspath(tree.root),
            [(f'{f.rel}:{f.kind}', f.stamp) for f in files],
            _metadata(tree), EXTRACTOR_VERSION,
        )
    return ExtractionPlan(tree, files, tuple(sorted(tree.top_level)), cache,
                          manifest)


def build_snapshot(
    plan: ExtractionPlan, config: Config, stats: ExtractStats
) -> Snapshot:
    """Extract, link and assemble the snapshot of ``plan`` (internal)."""
    tree, files, cache = plan.tree, plan.files, plan.cache
    stats.files = len(files)
    results = _from_manifest(plan)
    if results is not None:
        stats.manifest_hit = True
        stats.cache_hits = len(files)
    else:
        results, keys = _extract_files(plan, config, stats)
        if cache is not None and plan.manifest is not None and all(
            key is not None or file.kind == 'extension'
            for file, key in zip(files, keys, strict=True)
        ):
            cache.store_entry('manifests', plan.manifest, tuple(keys))

    by_module: dict[str, Result] = {}
    runtime: dict[str, Result] = {}
    for file in files:
        if file.kind == RUNTIME:
            runtime[file.module] = results[file.rel]
        else:
            by_module[file.module] = results[file.rel]
    lookup = _lookup({n: r[0] for n, r in by_module.items()})
    for name, (module, code_links) in runtime.items():
        stub, links = by_module[name]
        if not module.errors:
            # ``from ._impl import *`` in the code binds names at run time
            # whatever the stub says.
            declared = stub.dunder_all is not None or (
                links.all_parts is not None)
            links = ModuleLinks(
                tuple(dict.fromkeys(
                    (*links.star_imports, *code_links.star_imports))),
                links.all_parts if links.all_parts is not None
                else code_links.all_parts,
                links.all_dynamic or (not declared
                                      and code_links.all_dynamic),
                tuple(dict.fromkeys(
                    (*links.wrappers, *code_links.wrappers))),
                tuple(dict.fromkeys((*links.calls, *code_links.calls))),
            )
        by_module[name] = (merge_runtime(stub, module, lookup), links)
    modules = link_modules(
        {name: result[0] for name, result in by_module.items()},
        {name: result[1] for name, result in by_module.items()
         if result[1]},
        frozenset(plan.top_level),
    )
    ordered = {f.module: modules[f.module] for f in files
               if f.kind != RUNTIME}
    return Snapshot(
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


def _lookup(modules: dict[str, Module]) -> Callable[[str], Member | None]:
    """Resolve a dotted path to a member among ``modules`` (following
    internal aliases a few steps), for merging stubs with their code."""
    def find(path: str, depth: int = 0) -> Member | None:
        if depth > 10:
            return None
        parts = path.split('.')
        for end in range(len(parts) - 1, 0, -1):
            module = modules.get('.'.join(parts[:end]))
            if module is None:
                continue
            obj: Member | Module = module
            for part in parts[end:]:
                members = getattr(obj, 'members', None)
                if members is None or part not in members:
                    return None
                obj = members[part]
            if isinstance(obj, Alias) and obj.internal:
                return find(obj.target, depth + 1)
            return None if isinstance(obj, Module) else obj
        return None
    return find


def _opaque(file: ModuleFile) -> Result:
    return (Module(file.module, file.rel, is_package=file.is_package,
                   opaque=True), ModuleLinks())


def _from_manifest(plan: ExtractionPlan) -> dict[str, Result] | None:
    """All results from the entries the tree's manifest lists, or ``None``
    when any is missing."""
    if plan.cache is None or plan.manifest is None:
        return None
    keys = plan.cache.load_entry('manifests', plan.manifest)
    if not isinstance(keys, tuple) or len(keys) != len(plan.files):
        return None
    wanted = [k for k in keys if isinstance(k, str)]
    found = plan.cache.load_modules(wanted)
    if len(found) != len(set(wanted)):
        return None
    results: dict[str, Result] = {}
    for file, key in zip(plan.files, keys, strict=True):
        if file.kind == 'extension':
            results[file.rel] = _opaque(file)
        elif key is None:
            return None
        else:
            results[file.rel] = found[key]
    return results


def _extract_files(
    plan: ExtractionPlan, config: Config, stats: ExtractStats
) -> tuple[dict[str, Result], list[str | None]]:
    """Results of every file (by its ``rel`` path), from the cache or
    parsed; and each file's cache key (``None`` for extension modules and
    unreadable files)."""
    cache, top_level = plan.cache, plan.top_level
    results: dict[str, Result] = {}
    pending, keys = _from_cache(plan.files, cache, top_level, results, stats)
    stats.parsed = len(pending)
    version = None if cache is None else EXTRACTOR_VERSION
    jobs: list[Job] = [(f.path, f.rel, f.module, f.is_package, key)
                       for f, _, key in pending]
    sources = {f.rel: source for f, source, _ in pending}
    workers = min(config.effective_workers(), max(1, len(pending) // 16))
    entries: list[Entry]
    if len(pending) > PARALLEL_THRESHOLD and workers > 1:
        stats.processes = workers
        sizes = [f.stamp[0] for f, _, _ in pending]
        parsed, entries = run_parallel(jobs, sizes, top_level, version,
                                       workers, sources=sources)
    else:
        parsed, entries = run_serial(jobs, top_level, version, sources)
    results.update(parsed)
    if cache is not None and entries:
        cache.store_module_entries(entries)
    return results, keys


def _from_cache(
    files: Sequence[ModuleFile],
    cache: cache_mod.ExtractCache | None,
    top_level: tuple[str, ...],
    results: dict[str, Result],
    stats: ExtractStats,
) -> tuple[list[tuple[ModuleFile, bytes | None, str | None]],
           list[str | None]]:
    """Fill ``results`` from the cache; return what must be parsed and
    each file's cache key."""
    pending: list[tuple[ModuleFile, bytes | None, str | None]] = []
    keys: list[str | None] = []
    read: list[tuple[ModuleFile, bytes, str]] = []
    for file in files:
        if file.kind == 'extension':
            results[file.rel] = _opaque(file)
            keys.append(None)
            continue
        if cache is None:
            pending.append((file, None, None))
            keys.append(None)
            continue
        try:
            with open(file.path, 'rb') as stream:
                source = stream.read()
        except OSError:
            pending.append((file, None, None))
            keys.append(None)
            continue
        key = cache_mod.module_key(source, file.module, file.is_package,
                                   top_level, EXTRACTOR_VERSION)
        read.append((file, source, key))
        keys.append(key)
    if cache is None:
        return pending, keys
    found = cache.load_modules([key for _, _, key in read])
    for file, source, key in read:
        entry = found.get(key)
        if entry is not None:
            results[file.rel] = entry
            stats.cache_hits += 1
        else:
            pending.append((file, source, key))
    return pending, keys
