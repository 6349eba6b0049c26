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
    from symbiosis.probes._model import Outcome
    from symbiosis.store._store import Store

__all__ = ['RunRecorder', 'parse_job_key']


def parse_job_key(key: str) -> tuple[str, str, str, int]:
    """``side|python|downstream|group|attempt`` -> side, python,
    downstream, attempt (the group may hold ``|`` itself)."""
    side, python, rest = key.split('|', 2)
    downstream, _, rest = rest.partition('|')
    attempt = rest.rpartition('|')[2]
    try:
        number = int(attempt)
    except ValueError:
        number = 0
    return side, python, downstream, number


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

    def __call__(self, key: str, outcomes: Sequence[Outcome]) -> None:
        """Record a finished job's outcomes (the gate's ``on_job``)."""
        side, python, downstream, attempt = parse_job_key(key)
        version = self.versions.get(side, '')
        self.store.add_results([{
            'run_id': self.run_id, 'job_key': key, 'side': side,
            'version': version, 'python': python,
            'downstream': downstream, 'attempt': attempt,
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
