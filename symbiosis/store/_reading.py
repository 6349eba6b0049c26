"""Reading gate runs back out of the store, whole.

:func:`run_report` rebuilds a run's :class:`~symbiosis.gate.GateReport`
from what the store recorded -- every attempt of every probe on each
side, the environments, the API-diff explanations -- and classifies it
by the gate's own rules, so a page made from the store later says what
the run said (without tracebacks and output, which the store does not
keep). :func:`decisions` lists what ``constraints update`` and ``watch``
decided, in order.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy import select

from symbiosis.store import _models as m

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport
    from symbiosis.probes._model import Outcome
    from symbiosis.store._store import RunSummary
    from symbiosis.store._store import Store

__all__ = ['DecisionRecord', 'decisions', 'run_report']

#: Verdicts of runs that did not reach their end.
UNFINISHED = ('running', 'interrupted')


@dataclasses.dataclass(frozen=True)
class DecisionRecord:
    """One decision of a constraints update, as recorded."""

    project: str
    pinned: str
    candidate: str
    decision: str
    reason: str
    run_id: int | None
    file: str
    decided: datetime.datetime


def decisions(store: Store, project: str | None = None
              ) -> list[DecisionRecord]:
    """Every constraints decision (of ``project``), oldest first."""
    query = select(m.ConstraintDecision).order_by(m.ConstraintDecision.id)
    if project is not None:
        query = query.where(m.ConstraintDecision.project == project)
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [DecisionRecord(
        project=row.project, pinned=row.pinned, candidate=row.candidate,
        decision=row.decision, reason=row.reason, run_id=row.run_id,
        file=row.file, decided=row.decided_at) for row in rows]


def _outcome(row: Any) -> Outcome:
    from symbiosis.probes._model import Outcome
    from symbiosis.probes._model import OutcomeStatus

    return Outcome(
        probe_id=row.probe, status=OutcomeStatus(row.status),
        message=row.message or '', duration=row.duration or 0.0,
        cause=row.cause)


def run_report(store: Store, run: RunSummary) -> GateReport:
    """The report of the recorded ``run``, rebuilt from the store."""
    from symbiosis.gate._classify import classify
    from symbiosis.gate._classify import describe
    from symbiosis.gate._model import EnvironmentInfo
    from symbiosis.gate._model import GateReport
    from symbiosis.gate._model import ProbeResult

    with store.engine.connect() as connection:
        rows = connection.execute(
            select(m.ProbeResult).where(m.ProbeResult.run_id == run.id)
            .order_by(m.ProbeResult.id)).all()
        envs = connection.execute(
            select(m.Environment).where(m.Environment.run_id == run.id)
            .order_by(m.Environment.id)).all()
        explained = dict(connection.execute(
            select(m.ApiDiff.probe, m.ApiDiff.explanation)
            .where(m.ApiDiff.run_id == run.id)).tuples().all())
    # (probe, python, downstream) -> baseline attempts; and
    # (probe, python, downstream, candidate SPEC) -> candidate attempts.
    baseline: dict[tuple[str, str, str], list[Outcome]] = {}
    candidate: dict[tuple[str, str, str, str], list[Outcome]] = {}
    for row in rows:
        key = (row.probe, row.python, row.downstream)
        if row.side == 'baseline':
            baseline.setdefault(key, []).append(_outcome(row))
        else:
            candidate.setdefault((*key, row.version), []).append(
                _outcome(row))
    specs = list(dict.fromkeys(k[3] for k in candidate))
    several = len(specs) > 1
    keys = list(dict.fromkeys(
        [*((*k, s) for s in specs for k in baseline),
         *candidate]))
    results = []
    for probe, python, downstream, spec in keys:
        base = tuple(baseline.get((probe, python, downstream), ()))
        cand = tuple(candidate.get((probe, python, downstream, spec), ()))
        kind, b_status, c_status = classify(base, cand)
        result = ProbeResult(
            probe=probe, baseline=base, candidate=cand,
            classification=kind, detail=describe(kind, base, cand),
            python=python or None, downstream=downstream or None,
            baseline_status=b_status, candidate_status=c_status,
            candidate_spec=spec if several else None)
        if result.key in explained:
            result = dataclasses.replace(result,
                                         detail=explained[result.key])
        results.append(result)
    environments = tuple(EnvironmentInfo(
        side=env.side, spec=env.spec, python=env.python,
        downstream=env.downstream, kind=env.kind, key=env.key, path='',
        interpreter='', reused=env.reused, seconds=env.seconds,
        error=env.error, version=env.version,
        candidate=env.spec if several and env.side == 'candidate'
        else None) for env in envs)
    finished = run.finished or run.started
    return GateReport(
        upstream=run.upstream, baseline=run.baseline,
        candidate=run.candidate, results=tuple(results),
        environments=environments,
        timings={'total': max(0.0, (finished - run.started)
                              .total_seconds())},
        complete=run.verdict not in UNFINISHED,
        candidates=tuple(specs) if several else ())
