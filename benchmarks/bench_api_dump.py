#!/usr/bin/env python3
# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.
"""How fast ``symbiosis api dump`` is against its reference points.

Usage::

    python benchmarks/fetch.py
    python benchmarks/bench_api_dump.py [--trees sqlalchemy django botocore]
                                        [--repeat 3] [--json FILE]

For each tree, in this one process, it times (best of ``--repeat`` runs):

``plain``
    reading and ``ast.parse``-ing every ``.py`` file serially: the floor
    any static tool has to pay.
``cold``
    what ``symbiosis api dump`` does on a first run, with a fresh, empty
    cache directory: load the snapshot (parse on every core, store the
    cache), ``to_json`` and compact ``json.dumps``.
``nocache``
    the same with ``use_cache=False``.
``warm``
    a second ``api dump`` against the cache the ``cold`` run filled.
``process cold`` / ``process warm``
    ``symbiosis api dump TREE --output FILE`` as a whole process, the way
    users run it (interpreter start, imports and writing the file
    included): first with a fresh, empty cache directory, then again with
    the cache that run filled.
``griffe``
    ``griffe.load`` of the same package (``resolve_aliases=False``,
    ``store_source=False``) and its JSON, as ``griffe dump`` does; skipped
    with a message when griffe is not installed.

and, in a subprocess, the peak RSS of snapshotting botocore. It prints the
ratios against the issue's targets with PASS/FAIL and always exits 0.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Callable
import dataclasses
import gc
import json
import os
import pathlib
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import fetch

__all__ = ['main']

#: The issue's targets: (name, ratio/figure key, comparison, bound).
TARGETS = (
    ('cold <= 1.5x plain parse', 'cold_over_plain', '<=', 1.5),
    ('griffe >= 3x cold', 'griffe_over_cold', '>=', 3.0),
    ('warm >= 10x faster than cold', 'cold_over_warm', '>=', 10.0),
    ('process: warm >= 10x faster', 'process_cold_over_warm', '>=', 10.0),
)
RSS_TARGET_MB = 500.0


def _py_files(root: pathlib.Path, package: str) -> list[pathlib.Path]:
    return sorted((root / package).rglob('*.py'))


def time_plain(files: list[pathlib.Path]) -> float:
    """Read and parse every file serially; return the seconds taken."""
    start = time.perf_counter()
    for path in files:
        ast.parse(path.read_bytes(), filename=str(path))
    return time.perf_counter() - start


#: ``--indent N`` of ``api dump``: ``None`` (its default) is compact.
_DUMP_OPTIONS: dict[str, Any] = {'indent': None}


def _symbiosis_dump(root: pathlib.Path, config: Any,
                    phases: list[tuple[float, float, float]] | None = None,
                    ) -> int:
    """Produce the text ``symbiosis api dump`` writes; append the phase
    times (load, to_json, json.dumps) to ``phases``."""
    from symbiosis.api._extract.dump import DumpTimes
    from symbiosis.api._extract.dump import dump_target

    times = DumpTimes()
    dump = dump_target(str(root), config, indent=_DUMP_OPTIONS['indent'],
                       times=times)
    if phases is not None:
        phases.append((times.load, times.to_json, times.encode))
    return len(dump.text)


def _config(cache_dir: pathlib.Path, use_cache: bool) -> Any:
    from symbiosis.config import Config

    return Config(cache_dir=cache_dir, use_cache=use_cache)


def _clear_griffe_caches() -> None:
    # griffe keeps a few functools caches (docstring annotations,
    # expression fields); clear them so each run starts cold.
    import functools

    for mod in list(sys.modules.values()):
        name = getattr(mod, '__name__', '') or ''
        if not name.startswith('griffe'):
            continue
        for value in list(vars(mod).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def _griffe_dump(root: pathlib.Path, package: str, full: bool) -> int:
    import griffe

    _clear_griffe_caches()
    obj = griffe.load(
        package,
        search_paths=[str(root)],
        resolve_aliases=False,
        store_source=False,
    )
    return len(obj.as_json(indent=2, full=full, sort_keys=True))


def _best(fn: Callable[[], float], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        times.append(fn())
    return min(times)


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclasses.dataclass
class TreeResult:
    """Timings (seconds) and ratios for one tree."""

    tree: str
    files: int
    plain: float
    cold: float | None = None
    nocache: float | None = None
    warm: float | None = None
    griffe: float | None = None
    process_cold: float | None = None
    process_warm: float | None = None
    cold_phases: list[float] | None = None
    warm_phases: list[float] | None = None
    errors: list[str] = dataclasses.field(default_factory=list)

    def ratios(self) -> dict[str, float | None]:
        """Return the figures the targets are about."""
        def div(a: float | None, b: float | None) -> float | None:
            return a / b if a is not None and b else None

        return {
            'cold_over_plain': div(self.cold, self.plain),
            'nocache_over_plain': div(self.nocache, self.plain),
            'griffe_over_cold': div(self.griffe, self.cold),
            'cold_over_warm': div(self.cold, self.warm),
            'process_cold_over_warm': div(self.process_cold,
                                          self.process_warm),
        }


def bench_tree(name: str, repeat: int, griffe_full: bool,
               skip_griffe: bool) -> TreeResult:
    """Measure one tree; return its :class:`TreeResult`."""
    tree = fetch.TREES[name]
    root = fetch.tree_root(name)
    files = _py_files(root, tree.package)
    # The first pass only warms the OS page cache for everyone.
    time_plain(files)
    result = TreeResult(name, len(files), _best(lambda: time_plain(files),
                                                repeat))

    try:
        cold_times, warm_times = [], []
        cold_phases: list[tuple[float, float, float]] = []
        warm_phases: list[tuple[float, float, float]] = []
        for _ in range(repeat):
            cache = pathlib.Path(tempfile.mkdtemp(prefix='symbench-'))
            try:
                gc.collect()
                config = _config(cache, True)
                cold_times.append(_timed(
                    lambda: _symbiosis_dump(
                        root, config, cold_phases)))  # noqa: B023
                gc.collect()
                warm_times.append(_timed(
                    lambda: _symbiosis_dump(
                        root, config, warm_phases)))  # noqa: B023
            finally:
                shutil.rmtree(cache, ignore_errors=True)
        result.cold, result.warm = min(cold_times), min(warm_times)
        # Phases of the best run: load / to_json / json.dumps.
        result.cold_phases = list(min(cold_phases, key=sum))
        result.warm_phases = list(min(warm_phases, key=sum))
        cache = pathlib.Path(tempfile.mkdtemp(prefix='symbench-'))
        try:
            result.nocache = _best(
                lambda: _timed(lambda: _symbiosis_dump(
                    root, _config(cache, False))), repeat)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    except Exception as err:
        result.errors.append(f'symbiosis: {type(err).__name__}: {err}')

    try:
        result.process_cold, result.process_warm = time_processes(
            root, repeat)
    except (OSError, subprocess.CalledProcessError) as err:
        result.errors.append(f'symbiosis process: {err}')

    if not skip_griffe:
        try:
            import griffe  # noqa: F401
        except ImportError:
            result.errors.append('griffe is not installed: skipped')
        else:
            try:
                result.griffe = _best(
                    lambda: _timed(lambda: _griffe_dump(root, tree.package,
                                                        griffe_full)),
                    repeat)
            except Exception as err:
                result.errors.append(f'griffe: {type(err).__name__}: {err}')
    return result


def time_processes(root: pathlib.Path, repeat: int) -> tuple[float, float]:
    """Run ``symbiosis api dump ROOT --output FILE`` as a whole process,
    cold (fresh cache) then warm; return the best of each (seconds)."""
    program = pathlib.Path(sys.executable).with_name('symbiosis')
    env = dict(os.environ)
    # As users run it: with the interpreter's compiled-module cache.
    env.pop('PYTHONDONTWRITEBYTECODE', None)
    cold, warm = [], []
    for _ in range(repeat):
        work = pathlib.Path(tempfile.mkdtemp(prefix='symbench-proc-'))
        command = [str(program), '--cache-dir', str(work / 'cache'),
                   'api', 'dump', str(root), '--output',
                   str(work / 'out.json')]
        try:
            for times in (cold, warm):
                start = time.perf_counter()
                subprocess.run(command, check=True, env=env,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                times.append(time.perf_counter() - start)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return min(cold), min(warm)


_RSS_SCRIPT = '''
import json, pathlib, resource, shutil, sys, tempfile
from symbiosis.api._extract.dump import dump_target
from symbiosis.config import Config
cache = pathlib.Path(tempfile.mkdtemp(prefix="symbench-rss-"))
try:
    text = dump_target(sys.argv[1],
                       Config(cache_dir=cache, use_cache=True)).text
finally:
    shutil.rmtree(cache, ignore_errors=True)
print(json.dumps({
    "json_bytes": len(text),
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "workers_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
'''


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat', 'rb') as f:
                stat = f.read().rsplit(b')', 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_rss(name: str) -> dict[str, Any]:
    """Snapshot tree ``name`` in a subprocess; return its peak RSS (MB).

    ``max_rss_mb`` is ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the largest
    single process. ``tree_rss_mb`` samples the summed RSS of the process
    and its own children every 10 ms, which is what counts if extraction
    fans out to worker processes.
    """
    root = fetch.tree_root(name)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.Popen([sys.executable, '-c', _RSS_SCRIPT, str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            if os.path.isdir('/proc'):
                total = sum(_rss_kb(p) for p in _descendants(proc.pid))
                peak_tree = max(peak_tree, total)
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result: dict[str, Any] = {
        'tree': name,
        'max_rss_mb': after / 1024.0,
        'tree_rss_mb': peak_tree / 1024.0 if peak_tree else None,
        'returncode': proc.returncode,
    }
    try:
        own = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        own = {}
    if own:
        result['self_rss_mb'] = own['self_kb'] / 1024.0
        result['workers_rss_mb'] = own['workers_kb'] / 1024.0
        result['json_bytes'] = own['json_bytes']
    if after <= before:
        # An earlier child (a worker forked from this process) had a
        # larger peak: trust the child's own figure instead.
        result['max_rss_mb'] = max(result.get('self_rss_mb', 0.0),
                                   result.get('workers_rss_mb', 0.0))
        result['note'] = 'ru_maxrss of this process polluted; child figure'
    if proc.returncode:
        result['error'] = err.strip().splitlines()[-1] if err.strip() else ''
    return result


def _fmt(value: float | None, spec: str = '.3f') -> str:
    return '-' if value is None else format(value, spec)


def _check(value: float | None, op: str, bound: float) -> str:
    if value is None:
        return 'N/A'
    ok = value <= bound if op == '<=' else value >= bound
    return 'PASS' if ok else 'FAIL'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--trees', nargs='+', default=list(fetch.TREES),
                        choices=sorted(fetch.TREES))
    parser.add_argument('--repeat', type=int, default=3,
                        help='runs per measurement; the best counts')
    parser.add_argument('--json', metavar='FILE',
                        help='also write the figures as JSON')
    parser.add_argument('--griffe-full', action='store_true',
                        help="serialise griffe's objects with full=True "
                             '(griffe dump defaults to full=False)')
    parser.add_argument('--indent', type=int, metavar='N',
                        help='dump as ``api dump --indent N`` does '
                             '(default: compact, as api dump writes)')
    parser.add_argument('--skip-griffe', action='store_true')
    parser.add_argument('--skip-rss', action='store_true')
    args = parser.parse_args(argv)

    for name in args.trees:
        fetch.fetch_tree(fetch.TREES[name])
    _DUMP_OPTIONS['indent'] = args.indent

    # Memory first: later in-process runs fork worker processes from a
    # process with a large heap, and RUSAGE_CHILDREN keeps their peak.
    rss = None
    if not args.skip_rss:
        fetch.fetch_tree(fetch.TREES['botocore'])
        print('measuring botocore RSS ...', file=sys.stderr, flush=True)
        rss = measure_rss('botocore')

    results = []
    for name in args.trees:
        print(f'measuring {name} ...', file=sys.stderr, flush=True)
        results.append(bench_tree(name, args.repeat, args.griffe_full,
                                  args.skip_griffe))

    header = (f'{"tree":11} {"files":>5} {"plain":>7} {"cold":>7} '
              f'{"nocache":>7} {"warm":>7} {"griffe":>7} '
              f'{"cold/plain":>10} {"griffe/cold":>11} {"cold/warm":>9}')
    load = ', '.join(f'{x:.2f}' for x in os.getloadavg())
    print(f'in-process, best of {args.repeat}, seconds; python '
          f'{platform.python_version()}, {os.cpu_count()} cores; '
          f'load average at the end {load}')
    print(header)
    print('-' * len(header))
    for r in results:
        q = r.ratios()
        print(f'{r.tree:11} {r.files:>5} {_fmt(r.plain):>7} '
              f'{_fmt(r.cold):>7} {_fmt(r.nocache):>7} {_fmt(r.warm):>7} '
              f'{_fmt(r.griffe):>7} {_fmt(q["cold_over_plain"], ".2f"):>10} '
              f'{_fmt(q["griffe_over_cold"], ".2f"):>11} '
              f'{_fmt(q["cold_over_warm"], ".1f"):>9}')
    print()
    print('whole processes (symbiosis api dump TREE --output FILE, best of '
          f'{args.repeat}, seconds):')
    for r in results:
        q = r.ratios()
        print(f'  {r.tree:11} cold {_fmt(r.process_cold)}  warm '
              f'{_fmt(r.process_warm)}  cold/warm '
              f'{_fmt(q["process_cold_over_warm"], ".1f")}')
    print()
    print('phases of the best cold / warm run (load + to_json + '
          f'json.dumps, indent={_DUMP_OPTIONS["indent"]}; a warm dump '
          'reads the cached text, counted as load):')
    for r in results:
        for label, phases in (('cold', r.cold_phases),
                              ('warm', r.warm_phases)):
            if phases:
                print(f'  {r.tree:11} {label}  load {phases[0]:.3f}  '
                      f'to_json {phases[1]:.3f}  dumps {phases[2]:.3f}')
    print()
    verdicts: list[dict[str, Any]] = []
    for r in results:
        for err in r.errors:
            print(f'{r.tree}: {err}')
        q = r.ratios()
        for label, key, op, bound in TARGETS:
            status = _check(q[key], op, bound)
            verdicts.append({'tree': r.tree, 'target': label,
                             'value': q[key], 'status': status})
            print(f'{status:4} {r.tree:11} {label:30} '
                  f'{_fmt(q[key], ".2f")}')

    if rss is not None:
        status = _check(rss['max_rss_mb'], '<=', RSS_TARGET_MB)
        if rss.get('returncode'):
            status = 'FAIL'
        verdicts.append({'tree': 'botocore', 'target': 'peak RSS < 500 MB',
                         'value': rss['max_rss_mb'], 'status': status})
        print(f'{status:4} {"botocore":11} {"peak RSS < 500 MB":30} '
              f'{rss["max_rss_mb"]:.0f} MB (largest process; whole '
              f'process tree sampled: {_fmt(rss["tree_rss_mb"], ".0f")} MB)')
        if rss.get('error'):
            print(f'botocore RSS run failed: {rss["error"]}')

    if args.json:
        data = {
            'date': time.strftime('%Y-%m-%d'),
            'python': platform.python_version(),
            'cores': os.cpu_count(),
            'repeat': args.repeat,
            'loadavg': os.getloadavg(),
            'griffe_full': args.griffe_full,
            'dump_options': dict(_DUMP_OPTIONS),
            'trees': [dict(dataclasses.asdict(r), ratios=r.ratios())
                      for r in results],
            'rss': rss,
            'verdicts': verdicts,
        }
        pathlib.Path(args.json).write_text(json.dumps(data, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
