"""Executor plugins, loaded through their entry points and really run."""

from __future__ import annotations

import os
import threading

from symbiosis import _executors as executors
from symbiosis import exception
from tests import base


def _pid_and_square(value: int) -> tuple[int, int]:
    return os.getpid(), value * value


class TestExecutors(base.TestCase):
    def _run(self, name: str) -> list[tuple[int, int]]:
        factory = executors.load_executor(name, workers=2)
        executor = factory.create()
        try:
            futures = [executor.submit(_pid_and_square, i) for i in range(6)]
            return [f.result(timeout=60) for f in futures]
        finally:
            executor.shutdown(wait=True)

    def test_sync_runs_in_this_process(self) -> None:
        results = self._run('sync')
        self.assertEqual([i * i for i in range(6)], [r[1] for r in results])
        self.assertEqual({os.getpid()}, {r[0] for r in results})

    def test_thread_runs_in_this_process(self) -> None:
        results = self._run('thread')
        self.assertEqual([i * i for i in range(6)], [r[1] for r in results])
        self.assertEqual({os.getpid()}, {r[0] for r in results})

    def test_process_runs_elsewhere(self) -> None:
        results = self._run('process')
        self.assertEqual([i * i for i in range(6)], [r[1] for r in results])
        self.assertNotIn(os.getpid(), {r[0] for r in results})

    def test_thread_pool_is_really_parallel(self) -> None:
        factory = executors.load_executor('thread', workers=2)
        executor = factory.create()
        barrier = threading.Barrier(2, timeout=10)
        try:
            futures = [executor.submit(barrier.wait) for _ in range(2)]
            # Both jobs must be running at once to pass the barrier; each
            # gets its own arrival index.
            arrivals = sorted(f.result(timeout=20) for f in futures)
        finally:
            executor.shutdown(wait=True)
        self.assertEqual([0, 1], arrivals)

    def test_unknown_executor_lists_installed_ones(self) -> None:
        err = self.assertRaises(
            exception.InputError, executors.load_executor, 'warp-drive'
        )
        self.assertIn('warp-drive', str(err))
        self.assertIn('thread', str(err))
        self.assertEqual(2, err.exit_code)

    def test_zero_workers_is_an_input_error(self) -> None:
        self.assertRaises(
            exception.InputError, executors.load_executor, 'thread', 0
        )
