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
"""Does ``symbiosis usage --against`` name the lines that really break?

Usage::

    python benchmarks/bench_usage_truth.py [--set tuning|held-out|all]
                                           [--only NAME ...] [--json FILE]
                                           [--timeout SECONDS] [--verbose]

For each upstream major release in :data:`PAIRS`, a consumer module
written for this benchmark (``benchmarks/usage_truth/NAME_consumer.py``:
imports, attributes, calls with keywords, instances, subclassing; lines
that break and many that do not) is

1. **executed** in a uv environment of the OLD release and in one of the
   NEW release (installed with ``--exclude-newer`` one day after each
   release's upload, cached under ``benchmarks/.data/usage-truth/envs``),
   one top-level statement at a time, each in its own ``try``
   (``usage_truth_runner.py``, run by the environment's interpreter in a
   process group killed at ``--timeout``). Nothing of the consumer ever
   runs outside those environments. The **truth** is the set of lines
   where an exception surfaces under NEW and none under OLD. The runner
   tells statically visible breaks (a removed import, attribute or
   module; a call whose arguments no longer bind, raised on the
   consumer's own line) from behaviour changes (a value of another type,
   an error raised inside the upstream, the echo of an earlier failed
   statement), which are reported apart.
2. **scored**: ``symbiosis usage CONSUMER --upstream NAME --against
   NAME==OLD NAME==NEW --format json`` runs as a whole process; the lines
   of its impacts are the prediction. Precision = predicted lines in the
   truth / predicted lines; recall = statically visible truth lines
   predicted / statically visible truth lines.

Targets: precision >= 95 % and recall >= 90 %, on the tuning pairs and,
separately, on the held-out pairs (:data:`HELD_OUT`: written with the
others, measured only at the end, never tuned on). Prints PASS/FAIL per
target and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import oracle  # noqa: E402 - the benchmarks' own helper, beside this file

__all__ = ['main']

DATA = HERE / '.data' / 'usage-truth'
CONSUMERS = HERE / 'usage_truth'
RUNNER = HERE / 'usage_truth_runner.py'
PYTHON = '3.11'
#: Prefix of the runner's records (``usage_truth_runner.MARK``).
MARK = '@@usage-truth '
PRECISION_TARGET = 0.95
RECALL_TARGET = 0.90


@dataclasses.dataclass(frozen=True)
class Pair:
    """One upstream major release and its consumer module."""

    name: str
    import_name: str
    old: str
    new: str

    @property
    def consumer(self) -> pathlib.Path:
        return CONSUMERS / f'{self.name}_consumer.py'


PAIRS = (
    Pair('packaging', 'packaging', '21.3', '22.0'),
    Pair('marshmallow', 'marshmallow', '2.21.0', '3.0.0'),
    Pair('pyjwt', 'jwt', '1.7.1', '2.0.0'),
    Pair('click', 'click', '7.1.2', '8.0.0'),
    Pair('cachetools', 'cachetools', '4.2.4', '5.0.0'),
    Pair('werkzeug', 'werkzeug', '2.0.3', '2.1.0'),
    Pair('jinja2', 'jinja2', '3.0.3', '3.1.0'),
)
#: Measured only at the end, never tuned on.
HELD_OUT = frozenset({'werkzeug', 'jinja2'})


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(name: str, version: str) -> pathlib.Path:
    """The interpreter of the cached environment of ``name==version``."""
    env_dir = DATA / 'envs' / f'{name}-{version}'
    marker = env_dir / '.oracle-env.json'
    newer = None
    if not marker.exists():
        newer = oracle.exclude_newer(oracle.upload_time(name, version))
        _log(f'building the environment of {name}=={version} '
             f'(--exclude-newer {newer})')
    exe, error = oracle.ensure_env(name, version, PYTHON, env_dir, newer)
    if error:
        raise RuntimeError(f'{name}=={version}: {error}')
    return exe


def _run(cmd: list[str], timeout: float, env: dict[str, str] | None = None,
         cwd: pathlib.Path | None = None) -> tuple[int, str, str]:
    """Run ``cmd`` in its own process group, killed whole at ``timeout``.
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env, cwd=cwd)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return -1, out, err + f'\ntimed out after {timeout:.0f}s'
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, out, err


def execute(pair: Pair, version: str, timeout: float
            ) -> dict[int, dict[str, Any]]:
    """The consumer's failures under ``version``, by consumer line."""
    exe = environment(pair.name, version)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('PYTHON') and k != 'VIRTUAL_ENV'}
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    # Run from an empty directory: nothing but the environment imports.
    workdir = DATA / 'run'
    workdir.mkdir(parents=True, exist_ok=True)
    code, out, err = _run(
        [str(exe), '-I', str(RUNNER), str(pair.consumer), pair.import_name],
        timeout, env=env, cwd=workdir)
    if code:
        raise RuntimeError(f'{pair.name}=={version}: the runner failed '
                           f'({code}): {err.strip()[-500:]}')
    failures: dict[int, dict[str, Any]] = {}
    for line in out.splitlines():
        if line.startswith(MARK):
            record = json.loads(line[len(MARK):])
            failures.setdefault(record['line'], record)
    return failures


def predict(pair: Pair, timeout: float) -> tuple[set[int], dict[str, Any],
                                                 float]:
    """Lines ``symbiosis usage --against`` says break, its report and the
    seconds it took."""
    env = dict(os.environ)
    env['SYMBIOSIS_CACHE_DIR'] = str(DATA / 'cache')
    script = pathlib.Path(sys.executable).with_name('symbiosis')
    program = ([str(script)] if script.exists()
               else [sys.executable, '-m', 'symbiosis.cli._main'])
    cmd = [*program, 'usage',
           str(pair.consumer), '--upstream', pair.name, '--against',
           f'{pair.name}=={pair.old}', f'{pair.name}=={pair.new}',
           '--format', 'json']
    start = time.perf_counter()
    code, out, err = _run(cmd, timeout, env=env)
    took = time.perf_counter() - start
    if code not in (0, 1):
        raise RuntimeError(f'symbiosis usage failed ({code}): '
                           f'{err.strip()[-800:]}')
    report = json.loads(out)
    lines = {i['line'] for i in report['impacts']}
    return lines, report, took


@dataclasses.dataclass
class Score:
    """Counts of one pair, or of a set of pairs."""

    predicted: int = 0
    correct: int = 0
    static: int = 0
    found: int = 0
    behaviour: int = 0
    behaviour_found: int = 0

    def add(self, other: Score) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name,
                    getattr(self, field.name) + getattr(other, field.name))

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.static if self.static else 1.0


def score_pair(pair: Pair, timeout: float, verbose: bool
               ) -> tuple[Score, dict[str, Any]]:
    """Execute, predict and compare one pair."""
    old = execute(pair, pair.old, timeout)
    new = execute(pair, pair.new, timeout)
    truth = {line: rec for line, rec in new.items() if line not in old}
    static = {line for line, rec in truth.items() if rec['static']}
    behaviour = set(truth) - static
    predicted, report, took = predict(pair, timeout)
    source = pair.consumer.read_text(encoding='utf-8').splitlines()
    score = Score(
        predicted=len(predicted), correct=len(predicted & set(truth)),
        static=len(static), found=len(predicted & static),
        behaviour=len(behaviour),
        behaviour_found=len(predicted & behaviour),
    )
    detail = {
        'pair': f'{pair.name} {pair.old} -> {pair.new}',
        'lines': len(source),
        'seconds': round(took, 2),
        'fail_under_old': sorted(old),
        'truth_static': sorted(static),
        'truth_behaviour': sorted(behaviour),
        'predicted': sorted(predicted),
        'missed': sorted(static - predicted),
        'false_positives': sorted(predicted - set(truth)),
        'how_known': sorted({i['known_by'] for i in report['impacts']
                             if i.get('known_by')}),
    }
    print(f'{detail["pair"]}: {len(source)} lines, truth {len(static)} '
          f'static + {len(behaviour)} behaviour; predicted '
          f'{len(predicted)} ({took:.1f}s)')
    if old:
        print(f'  consumer lines failing under OLD too (ignored): '
              f'{sorted(old)}')

    def show(label: str, lines: set[int], records: dict[int, Any]) -> None:
        for line in sorted(lines):
            why = records.get(line, {})
            text = source[line - 1].strip() if line <= len(source) else ''
            reason = (f'  [{why.get("type")}: {why.get("message", "")[:70]}]'
                      if why else '')
            print(f'  {label} {line}: {text[:70]}{reason}')

    show('missed', static - predicted, truth)
    show('false positive', predicted - set(truth), {})
    if verbose:
        show('behaviour', behaviour, truth)
        show('found', predicted & set(truth), truth)
    return score, detail


def _verdict(score: Score) -> list[str]:
    lines = []
    for label, value, target in (
        ('precision', score.precision, PRECISION_TARGET),
        ('recall', score.recall, RECALL_TARGET),
    ):
        state = 'PASS' if value >= target else 'FAIL'
        lines.append(f'  {label:<9} {value:7.1%}  (target >= '
                     f'{target:.0%})  {state}')
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--set', choices=('tuning', 'held-out', 'all'),
                        default='all', dest='which')
    parser.add_argument('--only', nargs='*', default=())
    parser.add_argument('--json', dest='json_file')
    parser.add_argument('--timeout', type=float, default=600.0)
    parser.add_argument('--verbose', action='store_true')
    args = parser.parse_args(argv)
    groups: dict[str, list[Pair]] = {'tuning': [], 'held-out': []}
    for pair in PAIRS:
        if args.only and pair.name not in args.only:
            continue
        group = 'held-out' if pair.name in HELD_OUT else 'tuning'
        if args.which in (group, 'all'):
            groups[group].append(pair)
    results: dict[str, Any] = {}
    for group, pairs in groups.items():
        if not pairs:
            continue
        print(f'== {group} ({len(pairs)} releases)')
        total = Score()
        details = []
        for pair in pairs:
            score, detail = score_pair(pair, args.timeout, args.verbose)
            total.add(score)
            details.append(detail)
        print(f'{group}: {total.predicted} lines predicted, '
              f'{total.correct} of them break; {total.found} of '
              f'{total.static} statically visible breaks found; '
              f'{total.behaviour} behaviour changes reported apart '
              f'({total.behaviour_found} of them predicted too)')
        print('\n'.join(_verdict(total)))
        results[group] = {'score': dataclasses.asdict(total),
                          'precision': total.precision,
                          'recall': total.recall, 'pairs': details}
    if args.json_file:
        pathlib.Path(args.json_file).write_text(
            json.dumps(results, indent=2) + '\n', encoding='utf-8')
    return 0


if __name__ == '__main__':
    sys.exit(main())
