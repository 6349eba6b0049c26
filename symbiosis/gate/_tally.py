"""What a gate run has gathered: every attempt of every probe, per side.

A :class:`Tally` belongs to one :meth:`~symbiosis.gate.Gate.run`. Jobs
record their outcomes into it as they finish (from executor threads, under
its lock); at any moment it turns what it holds into a
:class:`~symbiosis.gate._model.GateReport` -- partial for the journal,
complete at the end -- and says which probes failed somewhere and are to
be re-run on both sides.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import threading
import time

from symbiosis.gate import _classify
from symbiosis.gate._model import Classification
from symbiosis.gate._model import EnvironmentInfo
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Side
from symbiosis.gate._plan import PlannedJob
from symbiosis.gate._plan import Slot
from symbiosis.gate._plan import Variant
from symbiosis.gate._plan import plan_jobs
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import Probe

__all__ = ['Tally']

#: (python, downstream, outcome id): one probe's result in one variant pair.
_Key = tuple[str | None, str | None, str]
#: The baseline's slot.
_BASELINE: Slot = (Side.BASELINE, None)


@dataclasses.dataclass
class Tally:
    """Attempts, environments, timings and counters of one gate run.

    :param started: when the run started (:func:`time.monotonic`).
    """

    attempts: dict[_Key, dict[Slot, list[Outcome]]] = dataclasses.field(
        default_factory=dict)
    order: dict[_Key, int] = dataclasses.field(default_factory=dict)
    environments: list[EnvironmentInfo] = dataclasses.field(
        default_factory=list)
    env_infos: dict[Variant, EnvironmentInfo] = dataclasses.field(
        default_factory=dict)
    timings: dict[str, float] = dataclasses.field(default_factory=dict)
    done: int = 0
    total: int = 0
    started: float = dataclasses.field(default_factory=time.monotonic)
    regressed: set[tuple[_Key, str | None]] = dataclasses.field(
        default_factory=set)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def expect(self, jobs: Sequence[PlannedJob]) -> None:
        """Count the probes of ``jobs`` as planned."""
        with self.lock:
            self.total += sum(len(j.probes) for j in jobs)

    def environment_ready(self, variant: Variant,
                          info: EnvironmentInfo) -> None:
        """Keep what is known of ``variant``'s environment."""
        with self.lock:
            self.env_infos[variant] = info
            self.environments.append(info)

    def order_environments(self, matrix: Sequence[Variant]) -> None:
        """List the environments in matrix order, once all are known."""
        with self.lock:
            self.environments[:] = [self.env_infos[v] for v in matrix]

    def regressions(self) -> int:
        """How many probes currently look like regressions."""
        with self.lock:
            return len(self.regressed)

    def record(self, job: PlannedJob, outcomes: Sequence[Outcome]) -> None:
        """Add a finished job's outcomes."""
        variant = job.variant
        with self.lock:
            for outcome in outcomes:
                key = (variant.python, variant.downstream, outcome.probe_id)
                self.order.setdefault(key, len(self.order))
                pair = self.attempts.setdefault(key, {})
                pair.setdefault(variant.slot, []).append(outcome)
                # Classify only what this job changed: progress stays
                # cheap however many probes (and candidates) it has.
                base = pair.get(_BASELINE)
                for slot, cand in pair.items():
                    if slot[0] is Side.BASELINE or (
                            variant.side is Side.CANDIDATE
                            and slot != variant.slot):
                        continue
                    if base is not None and _classify.classify(
                            base, cand)[0] is Classification.REGRESSION:
                        self.regressed.add((key, slot[1]))
                    else:
                        self.regressed.discard((key, slot[1]))
            self.done += len(job.probes)

    def _to_rerun(self) -> set[tuple[str | None, str | None, str]]:
        """(downstream, candidate, outcome id) of each probe that failed
        on either side of a candidate somewhere."""
        bad: set[tuple[str | None, str | None, str]] = set()
        # A candidate that never reported a probe (a test its command no
        # longer has) did not pass it either.
        slots = {s for pair in self.attempts.values() for s in pair
                 if s[0] is Side.CANDIDATE} or {(Side.CANDIDATE, None)}
        for (_python, downstream, outcome_id), pair in self.attempts.items():
            base = pair.get(_BASELINE, ())
            for slot in slots:
                if _classify.needs_rerun(base, pair.get(slot, ())):
                    bad.add((downstream, slot[1], outcome_id))
        return bad

    def rerun_selection(
        self, probes: Mapping[str | None, Sequence[Probe]],
        candidate: str | None = None, *, any_candidate: bool = True,
    ) -> dict[str | None, list[Probe]]:
        """Probes (by downstream) that failed on either side somewhere
        (of ``candidate`` only, unless ``any_candidate``)."""
        bad = {(downstream, outcome_id)
               for downstream, spec, outcome_id in self._to_rerun()
               if any_candidate or spec == candidate}
        selection: dict[str | None, list[Probe]] = {}
        for downstream, members in probes.items():
            chosen = [
                p for p in members
                if any(d == downstream and (oid == p.id or oid.startswith(
                    p.id + '::')) for d, oid in bad)
            ]
            if chosen:
                selection[downstream] = chosen
        return selection

    def rerun_jobs(
        self,
        matrix: Sequence[Variant],
        probes: Mapping[str | None, Sequence[Probe]],
        attempt: int,
    ) -> list[PlannedJob]:
        """The jobs re-running what failed: on the baseline, every
        probe that failed against any candidate; on each candidate, the
        probes that failed against it."""
        jobs: list[PlannedJob] = []
        for variant in matrix:
            again = self.rerun_selection(
                probes, variant.candidate,
                any_candidate=variant.side is Side.BASELINE)
            jobs.extend(plan_jobs([variant], again, attempt))
        return jobs

    def report(
        self,
        *,
        upstream: str,
        baseline: str,
        candidate: str,
        executor: str,
        name_pythons: bool,
        complete: bool,
        yanked: Mapping[str, str] | None = None,
        candidates: Sequence[str] = (),
        ranges: Mapping[str, tuple[str, ...]] | None = None,
    ) -> GateReport:
        """Classify every probe seen so far into a report.

        :param name_pythons: say which Python each result is from (the
            gate ran several).
        :param complete: the run is over; otherwise probes not yet run on
            both sides are left out.
        :param yanked: the yank reason of each side's release, if yanked.
        :param candidates: the candidate SPECs of a gate of several
            candidates: a result per probe and candidate.
        :param ranges: the candidate ranges expanded, and to what.
        """
        columns: list[str | None] = list(candidates) or [None]
        with self.lock:
            items = sorted(self.attempts.items(),
                           key=lambda kv: self.order[kv[0]])
            results = []
            for (python, downstream, probe_id), pair in items:
                base = tuple(pair.get(_BASELINE, ()))
                for spec in columns:
                    cand = tuple(pair.get((Side.CANDIDATE, spec), ()))
                    if not complete and (not base or not cand):
                        continue
                    classification, b, c = _classify.classify(base, cand)
                    results.append(ProbeResult(
                        probe=probe_id, baseline=base, candidate=cand,
                        classification=classification,
                        detail=_classify.describe(
                            classification, base, cand),
                        python=python if name_pythons else None,
                        downstream=downstream,
                        baseline_status=b, candidate_status=c,
                        candidate_spec=spec,
                    ))
            return GateReport(
                upstream=upstream, baseline=baseline,
                candidate=candidate, results=tuple(results),
                environments=tuple(self.environments),
                timings=dict(self.timings), complete=complete,
                executor=executor, yanked=dict(yanked or {}),
                candidates=tuple(candidates), ranges=dict(ranges or {}),
            )
