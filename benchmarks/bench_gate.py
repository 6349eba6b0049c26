"""Benchmark ``symbiosis gate`` as a whole process beside tox + pip.

Run from the repository root (offline is fine: every version is a local
wheel)::

    python benchmarks/bench_gate.py [--runs N] [--tox PATH]
                                    [--in-process [--dask]]

The matrix: a tiny upstream in four versions, baseline 1.0 against the
candidates 1.1, 1.2 and 1.3, 20 probes in each environment. Both tools
run as processes, the way a user or a CI job runs them, side by side in
the same run:

* ``symbiosis gate benchlib --baseline 1.0.whl --candidate 1.1.whl
  --candidate 1.2.whl --candidate 1.3.whl --probes ...`` -- ONE run
  gating the three candidates against one baseline;
* tox 4 with virtualenv and pip (``runner = virtualenv``, installing each
  version with ``pip --no-index --find-links``), four environments run in
  parallel (``-p all``). ``--tox`` names the tox executable: give one
  from a virtual environment where plain tox is installed (no tox-uv);
  the plugins it reports are printed.

Measures, each over ``--runs`` runs (ranges printed):

a. environments reused: a warm gate vs a warm tox (target >= 1.5x faster,
   goal 3x);
b. environments new: the gate with its environments removed vs ``tox -r``
   (target >= 5x, goal 8x); installers' own caches stay warm for both;
c. the gate's overhead per environment use: (wall - the probes' own run
   time, summed over the report's attempts) / environments used, warm
   (target <= 0.1 s, goal 0.05 s).

``--in-process`` also prints the older in-process figures (labelled so):
the cost of finding a cached environment and the probes' throughput with
1 and 2 thread workers (and, with ``--dask``, 1 and 2 workers of a
running local dask cluster).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.distbuilder import build_distribution  # noqa: E402

VERSIONS = ('1.0', '1.1', '1.2', '1.3')
PROBES = 20
#: Timed rounds of each in-process throughput figure (the best counts).
ROUNDS = 3


def _probes_file(directory: pathlib.Path, name: str, count: int) -> None:
    lines = ['import benchlib', '']
    for i in range(count):
        lines += [f'def test_probe_{i:02d}():',
                  f'    assert benchlib.value() + {i} >= {i}', '']
    (directory / name).write_text('\n'.join(lines), encoding='utf-8')


def _build(work: pathlib.Path) -> dict[str, pathlib.Path]:
    wheels = work / 'wheels'
    wheels.mkdir()
    found = {}
    for version in VERSIONS:
        dist = build_distribution(work / 'dists', 'benchlib', version, {
            'benchlib/__init__.py':
                f'VERSION = {version!r}\ndef value():\n    return 1\n'})
        shutil.copy(dist.wheel, wheels)
        found[version] = wheels / dist.wheel.name
    return found


def _environ() -> dict[str, str]:
    """The environment both tools run in: Python's bytecode cache on, as
    by default (``PYTHONDONTWRITEBYTECODE`` makes every process compile
    what it imports, every time)."""
    return {k: v for k, v in os.environ.items()
            if k != 'PYTHONDONTWRITEBYTECODE'}


def _symbiosis() -> list[str]:
    """The ``symbiosis`` program beside this interpreter, as users run
    it (else its module)."""
    script = pathlib.Path(sys.executable).with_name('symbiosis')
    if script.is_file():
        return [str(script)]
    return [sys.executable, '-m', 'symbiosis.cli._main']


def _timed(argv: list[str], cwd: pathlib.Path, env: dict[str, str],
           ) -> tuple[float, str]:
    """Run ``argv``; its wall time and its standard output."""
    started = time.monotonic()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f'{argv[:4]} failed ({proc.returncode}):\n'
                         f'{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}')
    return wall, proc.stdout


class GateBench:
    """The gate as a process: one run of three candidates."""

    def __init__(self, work: pathlib.Path,
                 wheels: dict[str, pathlib.Path],
                 probes: pathlib.Path) -> None:
        self.work = work
        self.cache = work / 'gate-cache'
        self.env = dict(_environ(), SYMBIOSIS_OFFLINE='1',
                        SYMBIOSIS_CACHE_DIR=str(self.cache))
        self.argv = [
            *_symbiosis(), '-q', 'gate',
            'benchlib', '--baseline', str(wheels['1.0']),
            *(arg for version in VERSIONS[1:]
              for arg in ('--candidate', str(wheels[version]))),
            '--probes', str(probes), '--format', 'json', '--reruns', '0']

    def drop_environments(self) -> None:
        """Remove the environments (and their bytecode), nothing else."""
        for name in ('envs', 'pycache'):
            shutil.rmtree(self.cache / name, ignore_errors=True)

    def run(self) -> tuple[float, dict[str, Any]]:
        wall, out = _timed(self.argv, self.work, self.env)
        report: dict[str, Any] = json.loads(out)
        assert report['verdict'] == 'pass', report['verdict_reason']
        assert len(report['candidates']) == len(VERSIONS) - 1
        return wall, report


def probe_seconds(report: dict[str, Any]) -> float:
    """The probes' own run time: every attempt, once per environment
    (a baseline attempt is listed under every candidate's result)."""
    seen: set[tuple[str, str, str]] = set()
    total = 0.0
    for result in report['results']:
        for side in ('baseline', 'candidate'):
            where = (side if side == 'baseline'
                     else str(result.get('candidate_spec')))
            if (where, result['probe'], side) in seen:
                continue
            seen.add((where, result['probe'], side))
            total += sum(a['duration'] for a in result[side]['attempts'])
    return total


class ToxBench:
    """tox 4 + virtualenv + pip over the same matrix."""

    def __init__(self, work: pathlib.Path, tox: list[str],
                 wheels: dict[str, pathlib.Path],
                 probes: pathlib.Path) -> None:
        self.work = work
        self.tox = tox
        self.project = work / 'toxproject'
        self.project.mkdir()
        shutil.copy(probes, self.project / 'probes_bench.py')
        names = ['v' + version.replace('.', '') for version in VERSIONS]
        ini = ['[tox]', f"env_list = {', '.join(names)}", 'skipsdist = true',
               '']
        runner = ('python -c "import probes_bench as p; '
                  "[getattr(p, n)() for n in dir(p) "
                  "if n.startswith('test_')]\"")
        for name, version in zip(names, VERSIONS, strict=True):
            ini += [
                f'[testenv:{name}]',
                # virtualenv + pip, whatever plugins are installed.
                'runner = virtualenv',
                'skip_install = true',
                'install_command = python -m pip install --no-index '
                f"--find-links {wheels['1.0'].parent} {{opts}} {{packages}}",
                f'deps = benchlib=={version}',
                f'commands = {runner}',
                '',
            ]
        (self.project / 'tox.ini').write_text('\n'.join(ini),
                                              encoding='utf-8')
        self.env = {k: v for k, v in _environ().items()
                    if not k.startswith(('TOX_', 'VIRTUAL_ENV'))}

    def describe(self) -> str:
        """tox's version and plugins, as it reports them."""
        proc = subprocess.run([*self.tox, '--version'], cwd=self.project,
                              env=self.env, capture_output=True, text=True,
                              check=False)
        lines = [line.strip() for line in proc.stdout.splitlines()]
        plugins = [line for line in lines[2:] if line]
        return (lines[0].split(' from ')[0] if lines else '?') + (
            '; plugins: ' + ', '.join(plugins) if plugins
            else '; no plugins (plain tox)')

    def run(self, recreate: bool) -> float:
        argv = [*self.tox, '-q', '-p', 'all', '--workdir',
                str(self.work / 'toxwork')]
        if recreate:
            argv.append('-r')
        return _timed(argv, self.project, self.env)[0]


def _range(values: list[float], unit: str = 's') -> str:
    if unit == 'x':
        return f'{min(values):.1f}-{max(values):.1f}x'
    return f'{min(values):.2f}-{max(values):.2f} {unit}'


def _verdict(ok: bool) -> str:
    return 'PASS' if ok else 'FAIL'


def bench_processes(work: pathlib.Path, wheels: dict[str, pathlib.Path],
                    probes: pathlib.Path, runs: int,
                    tox: list[str]) -> None:
    gate = GateBench(work, wheels, probes)
    toxb = ToxBench(work, tox, wheels, probes)
    print(f'tox: {toxb.describe()}; runner = virtualenv, pip installs')
    cold: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    overhead: list[float] = []
    bare: list[float] = []
    for _ in range(runs):
        # How busy the machine is: a bare interpreter's start.
        bare.append(_timed([sys.executable, '-c', 'pass'], work,
                           _environ())[0])
        # New environments, one after the other: the gate, then tox.
        gate.drop_environments()
        wall, report = gate.run()
        assert not any(e['reused'] for e in report['environments'])
        cold.append((wall, toxb.run(recreate=True)))
        # Environments reused.
        wall, report = gate.run()
        uses = len(report['environments'])
        assert uses == len(VERSIONS), uses
        assert all(e['reused'] for e in report['environments'])
        warm.append((wall, toxb.run(recreate=False)))
        overhead.append((wall - probe_seconds(report)) / uses)
    matrix = f'{len(VERSIONS) - 1} candidates x {PROBES} probes'
    print(f'matrix: baseline + {matrix}, one gate run; {runs} runs each')
    print(f'python -c pass: {_range(bare)}')
    for label, pairs, target, goal in (
            ('environments reused, vs warm tox', warm, 1.5, 3.0),
            ('environments new, vs tox -r', cold, 5.0, 8.0)):
        ratios = [t / g for g, t in pairs]
        print(f'{label}: gate {_range([g for g, _ in pairs])}, '
              f'tox {_range([t for _, t in pairs])}; '
              f'{_range(ratios, "x")} (target >= {target}x, goal '
              f'{goal}x) {_verdict(min(ratios) >= target)}')
    print(f'overhead per environment use (warm): '
          f'{_range(overhead)} (target <= 0.1 s, goal 0.05 s) '
          f'{_verdict(max(overhead) <= 0.1)}')


def bench_in_process(work: pathlib.Path,
                     wheels: dict[str, pathlib.Path], dask: bool) -> None:
    """The older in-process figures: a cached environment, throughput
    (of thread workers, and of a running local dask cluster's)."""
    import contextlib

    from symbiosis.config import Config
    from symbiosis.gate._environments.base import EnvironmentSpec
    from symbiosis.gate._environments.base import load_environment
    from symbiosis.gate._runner import run_gate

    config = Config.from_environ(cache_dir=work / 'inproc-cache',
                                 offline=True)
    plugin = load_environment(None, config)
    root = config.subdir('envs')
    assert root is not None
    spec = EnvironmentSpec(install=(str(wheels['1.0']),))
    plugin.ensure(spec, root)
    rounds = 50
    started = time.monotonic()
    for _ in range(rounds):
        assert plugin.ensure(spec, root).reused
    cached = (time.monotonic() - started) / rounds
    print(f'in-process: cached environment found in {cached * 1000:.1f} ms')
    kinds = [('thread', 1), ('thread', 2)]
    if dask:
        kinds += [('dask', 1), ('dask', 2)]
    for executor, workers in kinds:
        probes = work / f'throughput-{executor}-{workers}'
        probes.mkdir()
        for i in range(10):
            _probes_file(probes, f'probes_{i:02d}.py', 20)
        run_gate('benchlib', str(wheels['1.0']), str(wheels['1.1']),
                 [str(probes / 'probes_00.py')], reruns=0, config=config,
                 explain=False)
        options: dict[str, Any] = {}
        best = float('inf')
        executions = 0
        with contextlib.ExitStack() as stack:
            if executor == 'dask':
                # A dask user gates against a running cluster
                # (--scheduler): time the jobs, not starting workers.
                import distributed

                cluster = stack.enter_context(distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1,
                    processes=True, dashboard_address=None))
                options['scheduler'] = cluster.scheduler_address
            for _ in range(ROUNDS):
                started = time.monotonic()
                report = run_gate('benchlib', str(wheels['1.0']),
                                  str(wheels['1.1']), [str(probes)],
                                  executor=executor, workers=workers,
                                  reruns=0, config=config, explain=False,
                                  **options)
                best = min(best, time.monotonic() - started)
                executions = 2 * len(report.results)
        print(f'in-process: throughput, {workers} {executor} worker(s): '
              f'{executions / best * 3600:,.0f} probes/hour')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5,
                        help='runs of each measure (default: 5)')
    parser.add_argument('--tox', metavar='PATH',
                        help='the tox executable (default: python -m tox '
                        'with this interpreter)')
    parser.add_argument('--in-process', action='store_true',
                        help='also print the in-process figures')
    parser.add_argument('--dask', action='store_true',
                        help='with --in-process: also 1 and 2 workers of '
                        'a running local dask cluster')
    args = parser.parse_args()
    tox = [args.tox] if args.tox else [sys.executable, '-m', 'tox']
    work = pathlib.Path(tempfile.mkdtemp(prefix='bench-gate-'))
    try:
        wheels = _build(work)
        probes_dir = work / 'probes'
        probes_dir.mkdir()
        _probes_file(probes_dir, 'probes_bench.py', PROBES)
        probes = probes_dir / 'probes_bench.py'
        bench_processes(work, wheels, probes, args.runs, tox)
        if args.in_process:
            bench_in_process(work, wheels, args.dask)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
