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
"""How fast ``symbiosis usage`` scans a large downstream tree.

Usage::

    python benchmarks/bench_usage.py [--tree PATH] [--names django asgiref]
                                     [--repeat 3] [--json FILE]

The tree is django's source: ``benchmarks/.data/trees/django`` when
``benchmarks/fetch.py`` has fetched it, else ``--tree PATH``, else
``django==5.2.8`` downloaded with ``pip download --no-deps --no-binary
:all:`` and unpacked under the system temporary directory.

In this one process, best of ``--repeat`` runs, it times:

``plain``
    reading and ``ast.parse``-ing every ``.py`` file serially (garbage
    collector on, as any script would run it): the floor of a static tool.
``plain-nogc``
    the same with the garbage collector paused, as symbiosis's own
    parsers run.
``cold``
    ``symbiosis.usage.scan(tree, [NAME])`` with a fresh, empty cache
    directory and the default workers (every core).
``serial``
    the same in this process only, without cache (``workers=1``).
``warm``
    a second run against the cache the ``cold`` run filled.

for each upstream import NAME looked for: ``django`` (the worst case:
nearly every file imports it) and ``asgiref`` (a real dependency: most
files are ruled out before parsing). It prints the ratios against the
targets with PASS/FAIL and always exits 0.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Callable
import gc
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from typing import Any

__all__ = ['main']

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_TREE = HERE / '.data' / 'trees' / 'django'
DOWNLOAD = 'django==5.2.8'

#: (description, figure, comparison, bound).
TARGETS = (
    ('cold <= 1.5x plain parse', 'cold_over_plain', '<=', 1.5),
    ('warm >= 5x faster than cold', 'cold_over_warm', '>=', 5.0),
)


def find_tree(explicit: str | None) -> pathlib.Path:
    """Return the directory to scan, downloading django when needed."""
    if explicit:
        return pathlib.Path(explicit).resolve()
    if DEFAULT_TREE.is_dir():
        return DEFAULT_TREE
    base = pathlib.Path(tempfile.gettempdir()) / 'symbiosis-bench-usage'
    unpacked = sorted(base.glob('django-*/django'))
    if unpacked:
        return unpacked[-1].parent
    base.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps',
         '--no-binary', ':all:', DOWNLOAD, '-d', str(base)],
        check=True,
    )
    archive = next(base.glob('[Dd]jango-*.tar.gz'))
    with tarfile.open(archive) as tar:
        tar.extractall(base, filter='data')
    return sorted(base.glob('django-*/django'))[-1].parent


def py_files(root: pathlib.Path) -> list[pathlib.Path]:
    """Every ``.py`` file the scanner looks at."""
    from symbiosis.usage._downstream import find_downstream_files

    python, _ = find_downstream_files(root)
    return [pathlib.Path(path) for path, _rel, _size in python]


def time_plain(files: list[pathlib.Path], collect: bool) -> float:
    """Read and parse every file serially; return the seconds taken."""
    enabled = gc.isenabled()
    if not collect:
        gc.disable()
    try:
        start = time.perf_counter()
        for path in files:
            ast.parse(path.read_bytes(), filename=str(path))
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


def _best(fn: Callable[[], float], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        times.append(fn())
    return min(times)


def _scan(root: pathlib.Path, name: str, config: Any) -> float:
    from symbiosis.usage import scan

    start = time.perf_counter()
    scan(root, [name], config=config)
    return time.perf_counter() - start


def bench_name(root: pathlib.Path, name: str, repeat: int,
               plain: float) -> dict[str, Any]:
    """Time cold, serial and warm scans for the import ``name``."""
    from symbiosis.config import Config
    from symbiosis.usage import scan
    from symbiosis.usage._scanner import ScanStats

    cold_times, warm_times = [], []
    for _ in range(repeat):
        cache = pathlib.Path(tempfile.mkdtemp(prefix='bench-usage-'))
        try:
            config = Config(cache_dir=cache)
            gc.collect()
            cold_times.append(_scan(root, name, config))
            gc.collect()
            warm_times.append(_scan(root, name, config))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    serial = _best(
        lambda: _scan(root, name, Config(use_cache=False, workers=1)),
        repeat,
    )
    stats = ScanStats()
    report = scan(root, [name], config=Config(use_cache=False), stats=stats)
    cold, warm = min(cold_times), min(warm_times)
    return {
        'name': name,
        'uses': len(report.uses),
        'parsed': stats.parsed,
        'skipped': stats.skipped,
        'processes': stats.processes,
        'cold': cold,
        'serial': serial,
        'warm': warm,
        'cold_over_plain': cold / plain,
        'serial_over_plain': serial / plain,
        'cold_over_warm': cold / warm,
    }


def _verdict(value: float, comparison: str, bound: float) -> str:
    ok = value <= bound if comparison == '<=' else value >= bound
    return 'PASS' if ok else 'FAIL'


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tree', help='directory to scan (default: django)')
    parser.add_argument('--names', nargs='+', default=['django', 'asgiref'],
                        help='upstream import names to look for')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--json', metavar='FILE',
                        help='also write the figures as JSON')
    args = parser.parse_args(argv)

    root = find_tree(args.tree)
    files = py_files(root)
    time_plain(files, True)  # warms the OS page cache for everyone
    plain = _best(lambda: time_plain(files, True), args.repeat)
    plain_nogc = _best(lambda: time_plain(files, False), args.repeat)
    cpus = len(os.sched_getaffinity(0)) if hasattr(
        os, 'sched_getaffinity') else os.cpu_count()
    print(f'tree {root} ({len(files)} .py files), Python '
          f'{platform.python_version()}, {cpus} cores, best of '
          f'{args.repeat}')
    print(f'  plain parse       {plain:7.3f} s')
    print(f'  plain parse, nogc {plain_nogc:7.3f} s')
    results = []
    for name in args.names:
        figures = bench_name(root, name, args.repeat, plain)
        figures['cold_over_plain_nogc'] = figures['cold'] / plain_nogc
        results.append(figures)
        print(f'upstream {name!r}: {figures["uses"]} uses; '
              f'{figures["parsed"]} files parsed, {figures["skipped"]} '
              f'ruled out unparsed; {figures["processes"]} worker '
              'processes')
        print(f'  cold   {figures["cold"]:7.3f} s  '
              f'{figures["cold_over_plain"]:5.2f}x plain  '
              f'({figures["cold_over_plain_nogc"]:.2f}x plain-nogc)')
        print(f'  serial {figures["serial"]:7.3f} s  '
              f'{figures["serial_over_plain"]:5.2f}x plain')
        print(f'  warm   {figures["warm"]:7.3f} s  '
              f'{figures["cold_over_warm"]:5.1f}x faster than cold')
        for label, key, comparison, bound in TARGETS:
            print(f'  {_verdict(figures[key], comparison, bound)}  {label}: '
                  f'{figures[key]:.2f}')
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({
            'tree': str(root), 'files': len(files), 'plain': plain,
            'plain_nogc': plain_nogc, 'results': results,
        }, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
