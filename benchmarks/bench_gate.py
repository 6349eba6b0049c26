"""Benchmark the gate against tox+pip on a 4-version x 20-probe matrix.

Run from the repository root (offline is fine: every version is a local
wheel)::

    python benchmarks/bench_gate.py [--dask]

Measures, in one run:

1. end to end: ``symbiosis gate`` over 4 versions of a tiny upstream
   (baseline 1.0 against 1.1, 1.2 and 1.3: 4 environments, 20 probes
   each) from a cold cache, versus the same matrix driven by tox with
   pip (4 tox environments, each installing one version from the local
   wheels with ``--no-index --find-links`` and running the 20 probes);
2. the per-environment overhead when cached;
3. throughput (trivial probe executions per hour) with 1 and 2 workers
   (and 1 and 2 dask workers of a running local cluster with
   ``--dask``), the best of three rounds over 10 probes files (20 jobs of
   20 probes) with cached environments.

The gate is run as its user would gate the matrix: one ``run_gate`` per
candidate (1.1, 1.2, 1.3 against 1.0), one after the other; tox runs its
four environments in parallel (``-p all``).

Targets: >= 5x faster than tox+pip, <= 0.2 s per cached environment,
>= 10,000 probes/hour.

``--process N`` measures instead a warm gate as a whole process, the way
a user, a CI job or a hook runs it: ``python -m symbiosis.cli._app gate``
(1.0 against 1.1, 20 probes, both environments cached by a first run), N
times, beside a bare ``python -c pass``; it prints the best and median
wall time and the median CPU time of the process tree. ``--python PATH``
runs the gate with another interpreter's symbiosis (an older checkout's,
for a before/after comparison).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symbiosis.config import Config  # noqa: E402
from symbiosis.gate._environments.base import EnvironmentSpec  # noqa: E402
from symbiosis.gate._environments.base import load_environment  # noqa: E402
from symbiosis.gate._runner import run_gate  # noqa: E402
from tests.distbuilder import build_distribution  # noqa: E402

VERSIONS = ('1.0', '1.1', '1.2', '1.3')
PROBES = 20
#: Timed rounds per throughput figure (the best one counts).
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


def bench_gate(work: pathlib.Path, wheels: dict[str, pathlib.Path],
               probes: pathlib.Path) -> float:
    config = Config.from_environ(cache_dir=work / 'gate-cache', offline=True)
    started = time.monotonic()
    for version in VERSIONS[1:]:
        report = run_gate('benchlib', str(wheels['1.0']),
                          str(wheels[version]), [str(probes)],
                          executor='thread', reruns=0, config=config,
                          explain=False)
        assert report.verdict.value == 'pass', report.to_json()
    return time.monotonic() - started


def bench_tox(work: pathlib.Path, wheels: dict[str, pathlib.Path],
              probes: pathlib.Path) -> float | None:
    if shutil.which('tox') is None:
        return None
    project = work / 'toxproject'
    project.mkdir()
    shutil.copy(probes, project / 'probes_bench.py')
    envs = []
    for version in VERSIONS:
        name = 'v' + version.replace('.', '')
        envs.append(name)
    ini = ['[tox]', f"env_list = {', '.join(envs)}", 'skipsdist = true', '']
    runner = ('python -c "import probes_bench as p; '
              "[getattr(p, n)() for n in dir(p) if n.startswith('test_')]\"")
    for name, version in zip(envs, VERSIONS, strict=False):
        ini += [
            f'[testenv:{name}]',
            'runner = virtualenv',
            'skip_install = true',
            'install_command = python -m pip install --no-index '
            f"--find-links {wheels['1.0'].parent} {{opts}} {{packages}}",
            f'deps = benchlib=={version}',
            f'commands = {runner}',
            '',
        ]
    (project / 'tox.ini').write_text('\n'.join(ini), encoding='utf-8')
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('TOX_', 'VIRTUAL_ENV'))}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, '-m', 'tox', '-q', '-p', 'all', '--workdir',
         str(work / 'toxwork')],
        cwd=project, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:])
        return None
    return elapsed


def bench_cached_env(work: pathlib.Path,
                     wheels: dict[str, pathlib.Path]) -> float:
    config = Config.from_environ(cache_dir=work / 'gate-cache', offline=True)
    plugin = load_environment(None, config)
    root = config.subdir('envs')
    assert root is not None
    spec = EnvironmentSpec(install=(str(wheels['1.0']),))
    plugin.ensure(spec, root)
    rounds = 50
    started = time.monotonic()
    for _ in range(rounds):
        assert plugin.ensure(spec, root).reused
    return (time.monotonic() - started) / rounds


def bench_throughput(work: pathlib.Path, wheels: dict[str, pathlib.Path],
                     executor: str, workers: int) -> float:
    probes = work / f'throughput-{executor}-{workers}'
    probes.mkdir()
    for i in range(10):
        _probes_file(probes, f'probes_{i:02d}.py', 20)
    config = Config.from_environ(cache_dir=work / 'gate-cache', offline=True)
    # Environments are cached by now: this times running probes.
    run_gate('benchlib', str(wheels['1.0']), str(wheels['1.1']),
             [str(probes / 'probes_00.py')], executor='thread', reruns=0,
             config=config, explain=False)
    options: dict[str, object] = {}
    with contextlib.ExitStack() as stack:
        if executor == 'dask':
            # A dask user gates against a running cluster (--scheduler):
            # time the jobs, not starting the cluster's processes.
            import distributed

            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None))
            options['scheduler'] = cluster.scheduler_address
        # Best of a few rounds: a single sub-second round on a shared
        # machine says more about its neighbours than about the gate.
        best = float('inf')
        executions = 0
        for _ in range(ROUNDS):
            started = time.monotonic()
            report = run_gate('benchlib', str(wheels['1.0']),
                              str(wheels['1.1']), [str(probes)],
                              executor=executor, workers=workers, reruns=0,
                              config=config, explain=False, **options)
            best = min(best, time.monotonic() - started)
            executions = 2 * len(report.results)
    return executions / best * 3600


def _timed(argv: list[str], cwd: pathlib.Path,
           env: dict[str, str]) -> tuple[float, float]:
    """Run ``argv``; its wall time and its process tree's CPU time."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    assert os.waitstatus_to_exitcode(status) == 0, argv
    return wall, usage.ru_utime + usage.ru_stime


def bench_process(work: pathlib.Path, wheels: dict[str, pathlib.Path],
                  probes: pathlib.Path, runs: int,
                  python: str) -> dict[str, list[tuple[float, float]]]:
    """``runs`` timings of a warm gate process and of a bare interpreter.
    """
    env = dict(os.environ, SYMBIOSIS_OFFLINE='1',
               SYMBIOSIS_CACHE_DIR=str(work / 'process-cache'))
    gate = [python, '-m', 'symbiosis.cli._app', '-q', 'gate', 'benchlib',
            '--baseline', str(wheels['1.0']),
            '--candidate', str(wheels['1.1']),
            '--probes', str(probes), '--format', 'json', '--reruns', '0']
    _timed(gate, work, env)  # builds both environments
    found: dict[str, list[tuple[float, float]]] = {'gate': [], 'python': []}
    for _ in range(runs):
        found['gate'].append(_timed(gate, work, env))
        found['python'].append(_timed([python, '-c', 'pass'], work, env))
    return found


def _print_process(found: dict[str, list[tuple[float, float]]]) -> None:
    import statistics

    for name, label in (('gate', 'warm gate process'),
                        ('python', 'python -c pass')):
        walls = [w for w, _ in found[name]]
        cpus = [c for _, c in found[name]]
        print(f'{label}: wall best {min(walls):.3f}s, median '
              f'{statistics.median(walls):.3f}s; CPU median '
              f'{statistics.median(cpus):.3f}s ({len(walls)} runs)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dask', action='store_true',
                        help='also measure 1 vs 2 dask workers')
    parser.add_argument('--process', type=int, metavar='N',
                        help='only time a warm gate as a whole process, '
                        'N runs')
    parser.add_argument('--python', default=sys.executable,
                        help='the interpreter running symbiosis for '
                        '--process (default: this one)')
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix='bench-gate-'))
    try:
        wheels = _build(work)
        probes_dir = work / 'probes'
        probes_dir.mkdir()
        _probes_file(probes_dir, 'probes_bench.py', PROBES)
        probes = probes_dir / 'probes_bench.py'
        if args.process:
            _print_process(bench_process(work, wheels, probes,
                                         args.process, args.python))
            return 0
        gate_s = bench_gate(work, wheels, probes)
        tox_s = bench_tox(work, wheels, probes)
        cached = bench_cached_env(work, wheels)
        rates = {
            ('thread', 1): bench_throughput(work, wheels, 'thread', 1),
            ('thread', 2): bench_throughput(work, wheels, 'thread', 2),
        }
        if args.dask:
            rates[('dask', 1)] = bench_throughput(work, wheels, 'dask', 1)
            rates[('dask', 2)] = bench_throughput(work, wheels, 'dask', 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def verdict(ok: bool) -> str:
        return 'PASS' if ok else 'FAIL'

    print(f'matrix: {len(VERSIONS)} versions x {PROBES} probes')
    print(f'symbiosis gate, cold cache: {gate_s:.2f}s')
    if tox_s is None:
        print('tox+pip: not measured (tox missing or failed)')
    else:
        ratio = tox_s / gate_s
        print(f'tox+pip:                    {tox_s:.2f}s')
        print(f'speed-up: {ratio:.1f}x (target >= 5x) {verdict(ratio >= 5)}')
    print(f'cached environment: {cached * 1000:.1f} ms '
          f'(target <= 200 ms) {verdict(cached <= 0.2)}')
    for (executor, workers), rate in rates.items():
        print(f'throughput {executor} x{workers}: {rate:,.0f} probes/hour '
              f'(target >= 10,000) {verdict(rate >= 10_000)}')
    for executor in ('thread', 'dask'):
        if (executor, 1) in rates and (executor, 2) in rates:
            speedup = rates[(executor, 2)] / rates[(executor, 1)]
            print(f'{executor} speed-up 1 -> 2 workers: {speedup:.2f}x')
    return 0


if __name__ == '__main__':
    sys.exit(main())
