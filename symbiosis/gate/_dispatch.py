"""Send a gate's jobs to an executor and record what comes back.

A :class:`Dispatcher` serves one gate run and its executor. Each planned
job is either submitted as a :class:`~symbiosis.probes.ProbeJob` or, when
nothing needs to run (a resumed journal has its outcomes, its environment
could not be built), recorded at once. Outcomes are collected as jobs
finish into the run's :class:`~symbiosis.gate._tally.Tally` and journal,
and each is reported as progress.

A failing attempt whose environment vanished while it ran (removed by
hand, or by another tool) is an infrastructure error, not a judgement of
the upstream; a job whose environment is gone before it starts is not
run at all.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import concurrent.futures
import dataclasses
import logging
import os
import time
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
    submitted: Futures = dataclasses.field(
        default_factory=dict, init=False, repr=False)
    _envs: dict[str, BuiltEnvironment] = dataclasses.field(
        default_factory=dict, init=False, repr=False)

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
            if _vanished(env):
                self.record(job, Outcome.for_probes(
                    job.probes, OutcomeStatus.ERROR,
                    f'the environment {env.path} vanished before the run',
                    cause=_classify.ENV_VANISHED,
                ))
                continue
            self._envs[job.key] = env
            future = self.executor.submit(
                run_job, self.probe_job(job, env), self.config)
            futures[future] = job
        self.submitted.update(futures)
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
            env = self._envs.get(job.key)
            if env is not None and _vanished(env):
                outcomes = [_lost(o, env) for o in outcomes]
            self.record(job, outcomes)

    def stop(self, limit: float) -> None:
        """Stop the run (interrupted): cancel the jobs not started, stop
        every process tree below, and wait at most ``limit`` seconds for
        the running jobs to end, so they clean up after themselves.

        A job whose worker is killed may start a fresh one for its
        remaining probes: those are stopped too, until the jobs end.
        """
        from symbiosis._interrupts import stop_descendants

        for future in self.submitted:
            future.cancel()
        deadline = time.monotonic() + limit
        while True:
            stop_descendants(grace=min(0.5, limit))
            running = [f for f in self.submitted if not f.done()]
            left = deadline - time.monotonic()
            if not running or left <= 0:
                return
            concurrent.futures.wait(running, timeout=min(0.2, left))

    def record(self, job: PlannedJob, outcomes: Sequence[Outcome]) -> None:
        """Add a job's outcomes to the tally and the journal."""
        self.tally.record(job, outcomes)
        self.journal.record(job.key, outcomes, job)
        self.emit('job', f'{job.key}: {len(outcomes)} outcome(s)')


def _vanished(env: BuiltEnvironment) -> bool:
    """Whether ``env`` is gone (its interpreter or its marker)."""
    from symbiosis.gate._environments.base import MARKER

    return not (os.path.exists(env.python)
                and os.path.isfile(os.path.join(env.path, MARKER)))


def _lost(outcome: Outcome, env: BuiltEnvironment) -> Outcome:
    """A failing ``outcome`` of a run whose environment vanished: an
    infrastructure error (a pass stands: it passed before the loss)."""
    if outcome.ok:
        return outcome
    return dataclasses.replace(
        outcome, status=OutcomeStatus.ERROR, cause=_classify.ENV_VANISHED,
        message=(f'the environment {env.path} vanished during the run '
                 f'(the probe reported: {outcome.status.value}: '
                 f'{outcome.message or "no message"})'),
    )
