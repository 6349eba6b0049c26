"""How fast the results store records and answers, and a watch poll.

Run with ``python benchmarks/bench_store.py`` (from the repository
root). Measures, with best of ``--repeat`` runs:

* recording 10,000 probe results as a gate does -- 100 finished jobs of
  100 outcomes, one transaction per job -- into a fresh SQLite store
  (target 2 s, goal 1 s) and, when ``SYMBIOSIS_TEST_POSTGRES_URL`` names
  a PostgreSQL database (``.ci/postgres start`` prints one), into it
  (target: within 3x of SQLite);
* ``history`` of a store holding 1,000 runs (target 0.3 s);
* one ``watch`` poll of 50 pinned projects whose pages did not change,
  against a local index on 127.0.0.1 (target 1 s): 50 requests answered
  ``304 Not Modified``.

Prints each figure against its target (PASS / FAIL); exits 0.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symbiosis.config import Config  # noqa: E402
from symbiosis.probes._model import Outcome  # noqa: E402
from symbiosis.probes._model import OutcomeStatus  # noqa: E402
from symbiosis.store._store import Store  # noqa: E402
from symbiosis.store._store import open_store  # noqa: E402

JOBS = 100
PER_JOB = 100
RUNS = 1000
PROJECTS = 50


def record(store: Store) -> float:
    """Seconds to record JOBS jobs of PER_JOB outcomes, job by job."""
    recorder = store.recorder('benchlib', '1.0', '2.0')
    jobs = [
        (f'{"baseline" if j % 2 else "candidate"}|||probes_{j}.py|0',
         [Outcome(f'probes_{j}.py::test_{i}', OutcomeStatus.PASS,
                  duration=0.01) for i in range(PER_JOB)])
        for j in range(JOBS)]
    started = time.perf_counter()
    for key, outcomes in jobs:
        recorder(key, outcomes)
    return time.perf_counter() - started


def history(store: Store) -> float:
    """Seconds ``history`` takes over RUNS recorded runs."""
    for index in range(RUNS):
        run = store.begin_run(f'lib{index % 10}', '1.0', f'2.{index}')
        store.end_run(run, 'regression', 'probes regressed',
                      regressed=[f'probes.py::test_{index}'])
    started = time.perf_counter()
    runs = store.history()
    took = time.perf_counter() - started
    assert len(runs) >= RUNS
    return took


def watch_poll(tmp: pathlib.Path) -> float:
    """Seconds of one poll of PROJECTS unchanged projects."""
    from symbiosis.constraints._model import GateOptions
    from symbiosis.constraints._watch import Watcher
    from tests.indexserver import Index

    index = Index()
    try:
        lines = []
        for n in range(PROJECTS):
            name = f'proj{n}'
            index.add_json_page(name, {
                f'{name}-1.0-py3-none-any.whl': None,
                f'{name}-1.1-py3-none-any.whl': None})
            lines.append(f'{name}===1.0\n')
        file = tmp / 'upper-constraints.txt'
        file.write_text(''.join(lines))
        config = Config(index_url=index.url + '/simple',
                        cache_dir=tmp / 'cache', timeout=5.0)
        with open_store(f'sqlite:///{tmp}/watch.sqlite') as store:
            watcher = Watcher(file, GateOptions(probes=('p',)), store,
                              config=config, emit=lambda _: None)
            watcher.due()  # the first poll: every page, every release
            started = time.perf_counter()
            due = watcher.due()
            took = time.perf_counter() - started
        assert len(due) == PROJECTS
        assert len(index.not_modified) == PROJECTS, index.not_modified
        return took
    finally:
        index.stop()


def verdict(value: float, target: float) -> str:
    return 'PASS' if value <= target else 'FAIL'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault('no_proxy', '127.0.0.1,localhost')
    sqlite_times, history_times, poll_times, pg_times = [], [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as name:
            tmp = pathlib.Path(name)
            with open_store(f'sqlite:///{tmp}/store.sqlite') as store:
                sqlite_times.append(record(store))
            with open_store(f'sqlite:///{tmp}/history.sqlite') as store:
                history_times.append(history(store))
            poll_times.append(watch_poll(tmp))
        pg_url = os.environ.get('SYMBIOSIS_TEST_POSTGRES_URL')
        if pg_url:
            pg_times.append(_postgres(pg_url))
    sqlite = min(sqlite_times)
    print(f'record {JOBS * PER_JOB} probe results, SQLite: {sqlite:.3f} s '
          f'(target 2 s, goal 1 s) {verdict(sqlite, 2.0)}')
    if pg_times:
        pg = min(pg_times)
        print(f'record {JOBS * PER_JOB} probe results, PostgreSQL: '
              f'{pg:.3f} s ({pg / sqlite:.1f}x SQLite; target 3x) '
              f'{verdict(pg, 3 * sqlite)}')
    else:
        print('record on PostgreSQL: skipped (SYMBIOSIS_TEST_POSTGRES_URL '
              'is unset)')
    hist = min(history_times)
    print(f'history of {RUNS} runs: {hist:.3f} s (target 0.3 s) '
          f'{verdict(hist, 0.3)}')
    poll = min(poll_times)
    print(f'watch poll of {PROJECTS} unchanged projects: {poll:.3f} s '
          f'(target 1 s) {verdict(poll, 1.0)}')
    return 0


def _postgres(url: str) -> float:
    import sqlalchemy

    schema = f'bench{uuid.uuid4().hex[:10]}'
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA {schema}'))
    try:
        joiner = '&' if '?' in url else '?'
        with open_store(f'{url}{joiner}options=-csearch_path%3D{schema}',
                        upgrade=True) as store:
            return record(store)
    finally:
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(
                f'DROP SCHEMA {schema} CASCADE'))
        engine.dispose()


if __name__ == '__main__':
    sys.exit(main())
