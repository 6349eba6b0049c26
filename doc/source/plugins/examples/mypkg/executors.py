"""An executor whose worker processes start afresh."""

from __future__ import annotations

import concurrent.futures
import multiprocessing

from symbiosis.gate import ExecutorFactory


class SpawnExecutor(ExecutorFactory):
    """A process pool started with ``spawn``: workers import what the jobs
    need, nothing is inherited from the gate's process."""

    name = 'spawn'

    def create(self) -> concurrent.futures.Executor:
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context('spawn'),
        )
