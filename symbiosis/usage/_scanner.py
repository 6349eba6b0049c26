"""Scan a downstream project for uses of an upstream: :func:`scan`.

::

    from symbiosis.usage import scan

    report = scan('path/to/downstream', ['tinylib'])
    for use in report.uses:
        print(f'{use.file}:{use.line}: {use.path}')

The downstream may be a directory (every ``.py`` file under it, skipping
version-control, virtualenv, build and cache directories), a single
``.py`` file, or a wheel or sdist (unpacked through
:func:`symbiosis.sources.resolve_target`); its files are found by
:mod:`symbiosis.usage._downstream`. Packaging metadata (``setup.cfg``,
``pyproject.toml``, ``entry_points.txt``) is read for entry points.

Each file costs at most one :func:`ast.parse` (see
:mod:`symbiosis.usage._pyfile`), files that never mention an import name
are not parsed, results are cached per file by content under
``config.subdir('usage')``, and above :data:`PARALLEL_THRESHOLD` files
the work is spread over ``config.effective_workers()`` processes. A
second scan of the same tree for the same names reads only the files
whose size or modification time changed: the others' outcomes come from
an index of the tree kept beside the per-file entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
import concurrent.futures
import dataclasses
import hashlib
import json
import logging
import operator
import os
import pathlib
from typing import Any

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.usage._downstream import downstream_files
from symbiosis.usage._entrypoints import scan_config
from symbiosis.usage._mentions import matching_lines
from symbiosis.usage._mentions import mentions
from symbiosis.usage._model import ScanProblem
from symbiosis.usage._model import UsageReport
from symbiosis.usage._model import Use
from symbiosis.usage._pyfile import scan_python
from symbiosis.usage._shared import ResultCache
from symbiosis.usage._shared import entry_key
from symbiosis.usage._shared import gc_paused
from symbiosis.usage._walk import KIND_RANK
from symbiosis.usage._walk import CallArgs
from symbiosis.usage._walk import RawUse

__all__ = [
    'PARALLEL_THRESHOLD',
    'SCANNER_VERSION',
    'ScanStats',
    'scan',
]

LOG = logging.getLogger(__name__)

#: Bumped whenever scan results change, so caches miss old entries.
SCANNER_VERSION = '4'

#: Below this many Python files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 200


@dataclasses.dataclass
class ScanStats:
    """Counters of one :func:`scan` call (pass one in to read them).

    :param python_files: ``.py`` files found.
    :param config_files: packaging metadata files read.
    :param skipped: Python files not parsed because they never mention an
        import name.
    :param parsed: Python files parsed (cache misses).
    :param cache_hits: Python files whose result came from the cache.
    :param processes: worker processes used (0: all in this process).
    """

    python_files: int = 0
    config_files: int = 0
    skipped: int = 0
    parsed: int = 0
    cache_hits: int = 0
    processes: int = 0


# A file's outcome: rel, uses, error, status ('skipped'|'hit'|'parsed'|
# 'unreadable').
_Outcome = tuple[str, tuple[RawUse, ...], tuple[int | None, str] | None, str]


def _scan_file(
    path: str,
    rel: str,
    names: frozenset[str],
    sorted_names: tuple[str, ...],
    encoded: tuple[bytes, ...],
    cache: ResultCache | None,
) -> _Outcome:
    try:
        with open(path, 'rb') as stream:
            source = stream.read()
    except OSError as err:
        return rel, (), (None, f'cannot read file: {err.strerror or err}'), \
            'unreadable'
    # Most files of a large tree never mention the upstream: a substring
    # test rules them out at memory speed, the whole-word search next
    # rules out the rest before any hashing, cache lookup or parsing.
    if not mentions(source, encoded):
        return rel, (), None, 'skipped'
    lines = matching_lines(source, sorted_names)
    if not lines:
        return rel, (), None, 'skipped'
    key = entry_key(source, sorted_names, SCANNER_VERSION)
    if cache is not None:
        cached = _decode_entry(cache.load(key))
        if cached is not None:
            return rel, cached[0], cached[1], 'hit'
    result = scan_python(source, rel, names, lines)
    if cache is not None:
        cache.store(key, (result.uses, result.error))
    return rel, result.uses, result.error, 'parsed'


def _decode_entry(
    entry: Any,
) -> tuple[tuple[RawUse, ...], tuple[int | None, str] | None] | None:
    """The uses and error of a cache entry; ``None`` for a damaged one."""
    if not isinstance(entry, tuple) or len(entry) != 2:
        return None
    try:
        uses = tuple((str(p), int(n), str(k), _decode_call(c),
                      None if v is None else str(v))
                     for p, n, k, c, v in entry[0])
        error = entry[1]
        if error:
            line = error[0]
            return uses, (None if line is None else int(line), str(error[1]))
        return uses, None
    except (TypeError, ValueError):
        return None


def _decode_call(call: Any) -> CallArgs | None:
    if call is None:
        return None
    positional, keywords = call
    return (None if positional is None else int(positional),
            None if keywords is None else tuple(str(k) for k in keywords))


def _scan_chunk(
    jobs: Sequence[tuple[str, str]],
    names: tuple[str, ...],
    cache_dir: str | None,
) -> list[_Outcome]:
    """Scan ``jobs`` (``(path, rel)``); the worker processes' entry point.
    """
    name_set = frozenset(names)
    encoded = tuple(n.encode('utf-8') for n in names)
    cache = None if cache_dir is None else ResultCache(
        pathlib.Path(cache_dir)
    )
    with gc_paused():
        return [
            _scan_file(path, rel, name_set, names, encoded, cache)
            for path, rel in jobs
        ]


def _chunks(
    files: Sequence[tuple[str, str, int]], count: int
) -> list[list[tuple[str, str]]]:
    # Largest files first, each to the lightest chunk: balanced work.
    chunks: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    weights = [0] * count
    for path, rel, size in sorted(files, key=lambda f: -f[2]):
        index = weights.index(min(weights))
        chunks[index].append((path, rel))
        weights[index] += size + 2048
    return [c for c in chunks if c]


def _run(
    files: Sequence[tuple[str, str, int]],
    names: tuple[str, ...],
    cache_dir: str | None,
    workers: int,
    stats: ScanStats,
) -> list[_Outcome]:
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        return _scan_chunk([(p, r) for p, r, _ in files], names, cache_dir)
    # ``workers - 1`` processes take chunks from the front while this
    # process, which would otherwise wait, takes them from the back.
    chunks = _chunks(files, workers * 6)
    outcomes: list[_Outcome] = []
    stats.processes = workers - 1
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers - 1
    ) as pool:
        submitted = [
            pool.submit(_scan_chunk, chunk, names, cache_dir)
            for chunk in chunks
        ]
        for future, chunk in zip(reversed(submitted), reversed(chunks),
                                 strict=True):
            if not future.cancel():
                break
            outcomes.extend(_scan_chunk(chunk, names, cache_dir))
        for future in submitted:
            if not future.cancelled():
                outcomes.extend(future.result())
    return outcomes


class _TreeIndex:
    """What each file of one downstream tree gave, by its stamp (size,
    modification and change times, inode: what the API cache trusts too).

    A warm scan of an unchanged tree reads no file at all: each one whose
    stamp matches the index takes its outcome from there (files that never
    mention the upstream included). Changed and new files are scanned as
    usual and the index rewritten. Without a cache directory it is empty.
    """

    def __init__(self, cache_dir: pathlib.Path | None, root: pathlib.Path,
                 names: tuple[str, ...]) -> None:
        self.cache = None if cache_dir is None else ResultCache(cache_dir)
        text = json.dumps([os.path.abspath(root), list(names),
                           SCANNER_VERSION])
        self.key = hashlib.sha256(text.encode('utf-8')).hexdigest()
        self.stamps: dict[str, tuple[int, int, int, int]] = {}
        self.known: dict[str, tuple[Any, ...]] = {}
        self.changed = False

    def split(
        self, files: Sequence[tuple[str, str, int]],
        stamps: dict[str, tuple[int, int, int]],
    ) -> tuple[list[tuple[str, str, int]], list[_Outcome]]:
        """The files to scan, and the outcomes the index already has.

        :param stamps: ``(mtime_ns, ctime_ns, inode)`` already known, by
            relative path.
        """
        if self.cache is None:
            return list(files), []
        self.known = _decode_index(self.cache.load_index(self.key))
        todo: list[tuple[str, str, int]] = []
        reused: list[_Outcome] = []
        for path, rel, size in files:
            times = stamps.get(rel)
            if times is None:
                try:
                    st = os.stat(path)
                except OSError:
                    todo.append((path, rel, size))
                    continue
                times = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            stamp = (size, *times)
            self.stamps[rel] = stamp
            entry = self.known.get(rel)
            if entry is not None and entry[0] == stamp:
                reused.append((rel, entry[1], entry[2], entry[3]))
            else:
                todo.append((path, rel, size))
        self.changed = bool(todo) or len(reused) != len(self.known)
        return todo, reused

    def update(self, outcomes: Sequence[_Outcome]) -> None:
        """Store the index of this scan's ``outcomes``, when it changed."""
        if self.cache is None or not self.changed:
            return
        entries = {}
        for rel, uses, error, status in outcomes:
            stamp = self.stamps.get(rel)
            if stamp is None or status == 'unreadable':
                continue
            kept = 'skipped' if status == 'skipped' else 'hit'
            entries[rel] = (stamp, uses, error, kept)
        self.cache.store_index(self.key, entries)


def _decode_index(data: Any) -> dict[str, tuple[Any, ...]]:
    """A stored tree index; empty when missing or damaged.

    The entries are this scanner's own (the key names its version), so
    only their shape is checked, not every use: an unreadable or
    truncated file never gets this far.
    """
    if not isinstance(data, dict):
        return {}
    for entry in data.values():
        if not (isinstance(entry, tuple) and len(entry) == 4
                and isinstance(entry[0], tuple)
                and isinstance(entry[1], tuple)
                and entry[3] in ('skipped', 'hit')):
            return {}
    return data


def _merge(found: Iterable[tuple[str, RawUse]]) -> tuple[Use, ...]:
    """One :class:`Use` per ``(path, file, line)``, the most telling kind
    (with what the calls on that line pass, for a call), sorted by file,
    line and path."""
    rank = KIND_RANK.get
    # Plain tuples sort fast; the best kind of a (file, line, path) comes
    # first, and the Use objects are built once, in order.
    rows = sorted(
        ((rel, line, path, rank(kind, 99), kind, call, via)
         for rel, (path, line, kind, call, via) in found),
        key=operator.itemgetter(0, 1, 2, 3),
    )
    uses: list[Use] = []
    last: tuple[str, int, str] | None = None
    for rel, line, path, _rank, kind, call, via in rows:
        if (rel, line, path) == last:
            continue
        last = (rel, line, path)
        if call is None:
            uses.append(Use(path, rel, line, kind, via=via))
        else:
            uses.append(Use(path, rel, line, kind, call[0], call[1], via))
    return tuple(uses)


def scan(
    path: str | os.PathLike[str],
    import_names: Iterable[str],
    config: Config | None = None,
    *,
    upstream: str | None = None,
    stats: ScanStats | None = None,
) -> UsageReport:
    """Find every use of the upstream's ``import_names`` in a downstream.

    Nothing is imported or executed. Files that cannot be parsed are
    reported in :attr:`UsageReport.errors` and the others still scanned.

    :param path: the downstream: a directory, a ``.py`` file, a wheel or
        an sdist.
    :param import_names: the upstream's top-level import names (see
        :func:`symbiosis.usage._names.find_import_names`).
    :param config: settings (cache, workers); defaults from the
        environment.
    :param upstream: how to name the upstream in the report (default: the
        import names).
    :param stats: filled in with counters, when given.
    :returns: the uses, with ``impacts`` empty (see
        :func:`symbiosis.usage._impacts.impact`).
    :raises symbiosis.exception.InputError: ``path`` does not exist or an
        import name is not a dotted identifier.
    """
    config = config if config is not None else Config.from_environ()
    stats = stats if stats is not None else ScanStats()
    names = tuple(sorted({n for n in import_names if n}))
    if not names:
        raise exception.InputError('no upstream import names to look for')
    bad = [n for n in names if not n.isidentifier()]
    if bad:
        raise exception.InputError(
            f'not an import name: {bad[0]!r} (expected a top-level package '
            'or module name)'
        )
    files = downstream_files(path, config)
    stats.python_files = len(files.python)
    stats.config_files = len(files.config)
    cache_dir = config.subdir('usage')
    index = _TreeIndex(cache_dir, files.root, names)
    todo, outcomes = index.split(files.python, files.stamps)
    outcomes += _run(
        todo, names, None if cache_dir is None else str(cache_dir),
        config.effective_workers(), stats,
    )
    index.update(outcomes)
    found: list[tuple[str, RawUse]] = []
    errors: list[ScanProblem] = []
    name_set = frozenset(names)
    for rel, uses, error, status in outcomes:
        if status == 'skipped':
            stats.skipped += 1
        elif status == 'hit':
            stats.cache_hits += 1
        else:
            stats.parsed += 1
        found.extend((rel, use) for use in uses)
        if error is not None:
            errors.append(ScanProblem(rel, error[1], error[0]))
    for abs_path, rel in files.config:
        try:
            with open(abs_path, 'rb') as stream:
                data = stream.read()
        except OSError as err:
            errors.append(ScanProblem(rel, f'cannot read file: {err}'))
            continue
        filename = rel.rpartition('/')[2]
        found.extend((rel, use) for use in scan_config(data, filename,
                                                       name_set))
    errors.sort(key=lambda e: (e.file, e.line or 0))
    LOG.debug('scanned %s: %s', files.root, stats)
    return UsageReport(
        upstream=upstream or ', '.join(names),
        import_names=names,
        root=str(files.root),
        uses=_merge(found),
        errors=tuple(errors),
        files=len(files.python) + len(files.config),
    )
