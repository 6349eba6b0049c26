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
"""How heavy the gate's HTML page is, and how long the program takes to
write it, for a gate of 500 probes x 3 candidates.

Usage::

    python benchmarks/bench_html.py [--probes 500] [--candidates 3]
        [--repeat 10] [--json FILE]

The JSON report is the synthetic one of the tests
(``tests/synthetic_reports.py``: every classification, a regression in
one probe of seven on two candidates, each with its traceback and API
diff line). ``symbiosis report html REPORT --output PAGE`` is run as a
whole process, the way a CI job runs it, with the interpreter's
compiled-module cache and the program's cache directory (the first,
untimed run fills both); ``python -c pass`` of the same interpreter is
the floor. Targets: the page at most 1.5 MB, the median run at most
0.5 s. It prints PASS/FAIL and always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import statistics
import sys
import tempfile
import time

from _timing import process_seconds

__all__ = ['main']

#: The program: the script installed beside this interpreter.
_SCRIPT = pathlib.Path(sys.executable).with_name('symbiosis')
#: Targets: bytes of the page, median seconds of a run.
MAX_BYTES = 1_500_000
MAX_SECONDS = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--probes', type=int, default=500)
    parser.add_argument('--candidates', type=int, default=3)
    parser.add_argument('--repeat', type=int, default=10,
                        help='timed runs (default: 10)')
    parser.add_argument('--json', metavar='FILE',
                        help='also write the figures as JSON')
    args = parser.parse_args(argv)
    if not _SCRIPT.exists():
        print(f'{_SCRIPT} not found: install symbiosis in this '
              'environment', file=sys.stderr)
        return 0
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from tests.synthetic_reports import synthetic_report

    report = synthetic_report(args.probes, args.candidates)
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        source = work / 'gate.json'
        source.write_text(json.dumps(report.to_json()))
        page = work / 'page.html'
        env = {k: v for k, v in os.environ.items()
               if k != 'PYTHONDONTWRITEBYTECODE'}
        env['PYTHONPYCACHEPREFIX'] = str(work / 'pycache')
        env['SYMBIOSIS_CACHE_DIR'] = str(work / 'cache')
        render = [str(_SCRIPT), 'report', 'html', str(source), '--output',
                  str(page)]
        floor = [sys.executable, '-c', 'pass']
        cold = process_seconds(render, env)
        process_seconds(floor, env)
        renders, floors = [], []
        # Interleaved, so a burst of load on the machine hits both.
        for _ in range(args.repeat):
            floors.append(process_seconds(floor, env))
            renders.append(process_seconds(render, env))
        size = page.stat().st_size
        source_size = source.stat().st_size
    median = statistics.median(renders)
    load = ', '.join(f'{x:.2f}' for x in os.getloadavg())
    print(f'{args.probes} probes x {args.candidates} candidates '
          f'({len(report.results)} results, JSON '
          f'{source_size} bytes); '
          f'python {platform.python_version()}, {os.cpu_count()} cores; '
          f'load average at the end {load}')
    size_ok = 'PASS' if size <= MAX_BYTES else 'FAIL'
    time_ok = 'PASS' if median <= MAX_SECONDS else 'FAIL'
    print(f'page: {size} bytes (<= {MAX_BYTES}) {size_ok}')
    print(f'python -c pass:     best {min(floors):.3f} s, median '
          f'{statistics.median(floors):.3f} s')
    print(f'report html (cold): {cold:.3f} s (no compiled cache yet)')
    print(f'report html:        best {min(renders):.3f} s, median '
          f'{median:.3f} s (<= {MAX_SECONDS}) {time_ok}')
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({
            'date': time.strftime('%Y-%m-%d'),
            'python': platform.python_version(),
            'cores': os.cpu_count(),
            'loadavg': os.getloadavg(),
            'probes': args.probes, 'candidates': args.candidates,
            'bytes': size, 'cold': cold,
            'best': min(renders), 'median': median,
            'floor_median': statistics.median(floors),
        }, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
