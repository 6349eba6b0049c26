"""Send a gate's jobs to an executor and record what comes back.

A :class:`Dispatcher` serves one gate run and its executor. Each planned
job is either submitted as a :class:`~symbiosis.probes.ProbeJob` or, when
nothing needs to run (a resumed journal has its outcomes, its environment
could not be built), recorded at once. Outcomes are collected as jobs
finish into the run's :class:`~symbiosis.gate._tally.Tally` and journal,
and each is reported as progress.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import concurrent.futures
import dataclasses
import logging
from typing import TYPE_CHECKING

from symbiosis.gate import _classify
from symbiosis.gate._plan import PlannedJob
from symbiosis.gate._plan import Variant
from symbiosis.gate._tally import Tally
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus

if TYPE_CHECKING:
    from symbiosis.config import Config
    from symbiosis.gate._environments.base import BuiltEnvironment
    from symbiosis.gate._journal import Journal
    from symbiosis.probes._jobs import ProbeJob

__all__ = ['Dispatcher', 'Futures']

LOG = logging.getLogger(__name__)

#: Submitted jobs: each future gives the outcomes of its planned job.
Futures = dict[concurrent.futures.Future[list[Outcome]], PlannedJob]


@dataclasses.dataclass
class Dispatcher:
    """Submits a gate's jobs and records their outcomes.

    :param executor: where jobs run.
    :param tally: what the run has gathered.
    :param journal: where outcomes are written as they arrive.
    :param resumed: outcomes a previous run finished, by job key.
    :param probe_job: builds the job to submit for a planned job and its
        environment.
    :param config: settings passed to every job.
    :param emit: called with each progress event's kind and message.
    """

    executor: concurrent.futures.Executor
    tally: Tally
    journal: Journal
    resumed: Mapping[str, Sequence[Outcome]]
    probe_job: Callable[[PlannedJob, BuiltEnvironment], ProbeJob]
    config: Config | None
    emit: Callable[[str, str], None]

    def run(
        self,
        jobs: Sequence[PlannedJob],
        envs: Mapping[Variant, BuiltEnvironment | str],
    ) -> None:
        """Run ``jobs`` to the end; cancel what is pending on an error."""
        self.tally.expect(jobs)
        futures: Futures = {}
        try:
            futures = self.submit(jobs, envs)
            self.collect(futures)
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def submit(
        self,
        jobs: Sequence[PlannedJob],
        envs: Mapping[Variant, BuiltEnvironment | str],
    ) -> Futures:
        """Submit ``jobs``; record at once those that need no run.

        :param envs: each variant's environment, or why it could not be
            built.
        """
        from symbiosis.probes._jobs import run_job

        futures: Futures = {}
        for job in jobs:
            if job.key in self.resumed:
                self.record(job, list(self.resumed[job.key]))
                continue
            env = envs[job.variant]
            if isinstance(env, str):
                self.record(job, Outcome.for_probes(
                    job.probes, OutcomeStatus.ERROR,
                    'the environment could not be built: '
                    + env.splitlines()[0],
                    traceback=env, cause=_classify.ENV_BUILD_FAILED,
                ))
                continue
            future = self.executor.submit(
                run_job, self.probe_job(job, env), self.config)
            futures[future] = job
        return futures

    def collect(self, futures: Futures) -> None:
        """Record each job's outcomes as it finishes."""
        for future in concurrent.futures.as_completed(futures):
            job = futures[future]
            try:
                outcomes = future.result()
            except Exception as err:  # a lost job, whatever the cause
                LOG.warning('job %s failed: %s', job.key, err)
                outcomes = Outcome.for_probes(
                    job.probes, OutcomeStatus.ERROR,
                    f'the job failed: {type(err).__name__}: {err}',
                    cause=_classify.JOB_FAILED,
                )
            self.record(job, outcomes)

    def record(self, job: PlannedJob, outcomes: Sequence[Outcome]) -> None:
        """Add a job's outcomes to the tally and the journal."""
        self.tally.record(job, outcomes)
        self.journal.record(job.key, outcomes)
        self.emit('job', f'{job.key}: {len(outcomes)} outcome(s)')
