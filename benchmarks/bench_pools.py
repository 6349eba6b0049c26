"""What futurist's pools cost where symbiosis uses the standard library's.

Run with ``python benchmarks/bench_pools.py``. Gate jobs run on futurist
executors (the ``--executor`` plugins); API extraction and usage scans
fan out over ``concurrent.futures.ProcessPoolExecutor`` and environment
builds over ``concurrent.futures.ThreadPoolExecutor``, each pool private
to one call. This measures, for those private pools:

* shutting a thread pool down once its jobs are done (``shutdown(wait=
  True)``, as a ``with`` block does), stdlib against futurist: futurist's
  idle workers wake once a second to notice the shutdown;
* a process pool running the same CPU-bound chunks, stdlib against
  futurist (whose class subclasses the stdlib's);
* what ``import futurist`` adds in a fresh interpreter that has already
  imported the extractor and the usage scanner (bytecode cached).

Prints the figures; exits 0.
"""

from __future__ import annotations

from collections.abc import Callable
import concurrent.futures
import statistics
import sys
import time

from _timing import import_time
import futurist

ROUNDS = 5


def short_job() -> int:
    time.sleep(0.01)
    return 1


def cpu_chunk(n: int) -> int:
    # About as long as parsing one chunk of a large package.
    return sum(i * i for i in range(n))


def thread_shutdown(
    make: Callable[[], concurrent.futures.Executor],
) -> float:
    """Median seconds ``shutdown(wait=True)`` takes after the jobs."""
    samples = []
    for _ in range(ROUNDS):
        pool = make()
        for future in [pool.submit(short_job) for _ in range(4)]:
            future.result()
        started = time.perf_counter()
        pool.shutdown(wait=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def process_run(
    make: Callable[[], concurrent.futures.Executor],
) -> float:
    """Median seconds to start a pool, run 12 chunks and shut it down."""
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        with make() as pool:
            for future in [pool.submit(cpu_chunk, 300_000)
                           for _ in range(12)]:
                future.result()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def import_cost(runs: int = 11) -> float:
    """Best extra milliseconds of ``import futurist`` after symbiosis's
    extractor and usage scanner are imported."""
    return import_time('futurist', runs, preloaded=(
        'symbiosis.api._extract.snapshot', 'symbiosis.usage._scanner'))


def main() -> int:
    workers = 2
    print(f'Thread pool shutdown after its jobs (median of {ROUNDS})')
    for name, make in (
        ('concurrent.futures', lambda: concurrent.futures.ThreadPoolExecutor(
            max_workers=workers)),
        ('futurist', lambda: futurist.ThreadPoolExecutor(
            max_workers=workers)),
    ):
        print(f'  {name:<20} {thread_shutdown(make) * 1000:8.1f} ms')
    print(f'\nProcess pool, 12 CPU-bound chunks (median of {ROUNDS})')
    for name, make in (
        ('concurrent.futures', lambda: concurrent.futures.ProcessPoolExecutor(
            max_workers=workers)),
        ('futurist', lambda: futurist.ProcessPoolExecutor(
            max_workers=workers)),
    ):
        print(f'  {name:<20} {process_run(make) * 1000:8.1f} ms')
    print('\nimport futurist after the extractor and the scanner '
          f'(best of 11): {import_cost():.1f} ms')
    return 0


if __name__ == '__main__':
    sys.exit(main())
