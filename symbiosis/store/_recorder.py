"""Recording one gate run as its jobs finish.

A :class:`RunRecorder` is the gate's ``on_job`` observer: each finished
job's outcomes are written in a transaction of their own, so a gate
killed at any point (even by ``SIGKILL``) loses at most the jobs still
running. :meth:`RunRecorder.finish` writes the verdict, the probes that
regressed or were flaky, the environments and the API-diff explanations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport
    from symbiosis.gate._plan import PlannedJob
    from symbiosis.probes._model import Outcome
    from symbiosis.store._store import Store

__all__ = ['RunRecorder']


class RunRecorder:
    """Writes one gate run into a store.

    :param store: where.
    :param run_id: the run's row (written by :meth:`Store.begin_run`).
    :param baseline: the baseline SPEC, recorded with each result.
    :param candidate: the candidate SPEC.
    """

    def __init__(
        self, store: Store, run_id: int, baseline: str, candidate: str
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.versions = {'baseline': baseline, 'candidate': candidate}

    def __call__(self, job: PlannedJob, outcomes: Sequence[Outcome]
                 ) -> None:
        """Record a finished job's outcomes (the gate's ``on_job``)."""
        variant = job.variant
        side = variant.side.value
        # In a gate of several candidates each job names its own.
        version = variant.candidate or self.versions.get(side, '')
        self.store.add_results([{
            'run_id': self.run_id, 'job_key': job.key, 'side': side,
            'version': version, 'python': variant.python or '',
            'downstream': variant.downstream or '',
            'attempt': job.attempt,
            'probe': outcome.probe_id, 'status': str(outcome.status),
            'message': outcome.message, 'cause': outcome.cause,
            'duration': outcome.duration,
        } for outcome in outcomes])

    def finish(self, report: GateReport) -> None:
        """Record how the run ended (the report, partial or not)."""
        from symbiosis.gate._model import Classification

        self.store.end_run(
            self.run_id, str(report.verdict), report.verdict_reason,
            regressed=[r.key for r in report.regressions],
            flaky=[r.key for r in report.by_classification(
                Classification.FLAKY)],
            environments=[{
                'side': env.side, 'spec': env.spec, 'python': env.python,
                'downstream': env.downstream, 'kind': env.kind,
                'key': env.key, 'version': env.version,
                'reused': env.reused, 'seconds': env.seconds,
                'error': env.error,
            } for env in report.environments],
            explanations=[(r.key, r.detail) for r in report.regressions
                          if r.detail],
        )

    def interrupted(self, reason: str) -> None:
        """Record that the run was stopped before its end."""
        self.store.end_run(self.run_id, 'interrupted', reason)
