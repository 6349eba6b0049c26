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
"""How long the ``symbiosis`` program takes to start, as users run it.

Usage::

    python benchmarks/bench_cli_start.py [--repeat 15] [--json FILE]

Each command is run as a whole process, the way a shell, a CI job or a
hook runs it (best and median of ``--repeat`` runs, wall time):

``python -c pass``
    starting the interpreter of the same environment: the floor.
``symbiosis --version``
    answered without the CLI framework.
``symbiosis api rules``
    a real command, answered from the table of diff rules when the
    installed entry points are the table's (otherwise through the CLI
    framework, loading every rule).

It prints each figure's ratio to the floor against the targets (PASS /
FAIL) and always exits 0. The program is the ``symbiosis`` script next to
the interpreter running this file.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import statistics
import sys
import time

from _timing import process_seconds

__all__ = ['main']

#: The program: the script installed beside this interpreter.
_SCRIPT = pathlib.Path(sys.executable).with_name('symbiosis')
#: (label, command line, target ratio to the floor).
COMMANDS: tuple[tuple[str, list[str], float | None], ...] = (
    ('python -c pass', [sys.executable, '-c', 'pass'], None),
    ('symbiosis --version', [str(_SCRIPT), '--version'], 2.0),
    ('symbiosis api rules', [str(_SCRIPT), 'api', 'rules'], 4.0),
)


#: The environment of every run: as users run the program, with the
#: interpreter's compiled-module cache.
_ENV = {key: value for key, value in os.environ.items()
        if key != 'PYTHONDONTWRITEBYTECODE'}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=15,
                        help='runs per command (default: 15)')
    parser.add_argument('--json', metavar='FILE',
                        help='also write the figures as JSON')
    args = parser.parse_args(argv)

    if not _SCRIPT.exists():
        print(f'{_SCRIPT} not found: install symbiosis in this '
              'environment', file=sys.stderr)
        return 0
    times: dict[str, list[float]] = {label: [] for label, _, _ in COMMANDS}
    for _label, command, _ in COMMANDS:
        process_seconds(command, _ENV)  # warm the OS caches
    # Interleaved, so a burst of load on the machine hits every command.
    for _ in range(args.repeat):
        for label, command, _ in COMMANDS:
            times[label].append(process_seconds(command, _ENV))

    floor = COMMANDS[0][0]
    best_floor = min(times[floor])
    median_floor = statistics.median(times[floor])
    load = ', '.join(f'{x:.2f}' for x in os.getloadavg())
    print(f'{args.repeat} runs each, wall seconds, whole processes; python '
          f'{platform.python_version()}, {os.cpu_count()} cores; load '
          f'average at the end {load}')
    header = (f'{"command":22} {"best":>7} {"median":>7} '
              f'{"best/floor":>10} {"median/floor":>12} {"target":>7}')
    print(header)
    print('-' * len(header))
    rows = []
    for label, _, target in COMMANDS:
        best = min(times[label])
        median = statistics.median(times[label])
        ratio_best = best / best_floor
        ratio_median = median / median_floor
        status = ''
        if target is not None:
            status = 'PASS' if ratio_median <= target else 'FAIL'
        print(f'{label:22} {best:7.3f} {median:7.3f} {ratio_best:10.2f} '
              f'{ratio_median:12.2f} '
              f'{"" if target is None else f"<= {target:g}x":>7} {status}')
        rows.append({'command': label, 'best': best, 'median': median,
                     'best_ratio': ratio_best,
                     'median_ratio': ratio_median, 'target': target,
                     'status': status or None})
    if args.json:
        data = {
            'date': time.strftime('%Y-%m-%d'),
            'python': platform.python_version(),
            'cores': os.cpu_count(),
            'repeat': args.repeat,
            'loadavg': os.getloadavg(),
            'commands': rows,
        }
        pathlib.Path(args.json).write_text(json.dumps(data, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
