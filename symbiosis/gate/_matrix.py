"""A gate of several candidates: one report, one verdict, one matrix.

Every candidate is judged against the same baseline, so a report of
several candidates holds each probe's result once per candidate (each
naming its :attr:`~symbiosis.gate._model.ProbeResult.candidate_spec`).
:func:`candidate_report` cuts out one candidate's report -- a report of a
gate of one, judged by the same rules -- and the run's verdict is the
worst of theirs (:data:`VERDICT_ORDER`). :func:`to_json` adds what a gate
of several candidates has to say to the JSON report: the ``candidates``
with their own verdicts, the ``matrix`` (probe x candidate) and the
``candidate_ranges`` expanded; a gate of one candidate says the same of
its one candidate, so every report has these fields.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import TYPE_CHECKING
from typing import Any

from symbiosis.gate._model import Side
from symbiosis.gate._model import Verdict

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport
    from symbiosis.gate._model import ProbeResult

__all__ = [
    'VERDICT_ORDER',
    'candidate_report',
    'candidate_reports',
    'from_json',
    'matrix',
    'row',
    'to_json',
    'worst_candidate',
]

#: Candidates' verdicts from best to worst: a regression found beats a
#: candidate that could not be judged, as a regressed probe beats probes
#: that could not be judged within one candidate.
VERDICT_ORDER = (
    Verdict.PASS,
    Verdict.NOTHING_JUDGED,
    Verdict.INFRA_ERROR,
    Verdict.REGRESSION,
    Verdict.INCOMPLETE,
)


def candidate_report(report: GateReport, spec: str) -> GateReport:
    """One candidate's report: its results, the baseline's and its own
    environments, its yank reason as the candidate's.

    :raises ValueError: ``spec`` is not one of the report's candidates.
    """
    if not report.candidates and spec == report.candidate:
        return report
    if spec not in report.candidates:
        raise ValueError(f'{spec}: not a candidate of this gate')
    yanked = {}
    if Side.BASELINE.value in report.yanked:
        yanked[Side.BASELINE.value] = report.yanked[Side.BASELINE.value]
    if spec in report.yanked:
        yanked[Side.CANDIDATE.value] = report.yanked[spec]
    return dataclasses.replace(
        report, candidate=spec, candidates=(), ranges={}, yanked=yanked,
        results=tuple(r for r in report.results
                      if r.candidate_spec == spec),
        environments=tuple(
            e for e in report.environments
            if e.side == Side.BASELINE.value or e.candidate == spec),
    )


def candidate_reports(report: GateReport) -> list[tuple[str, GateReport]]:
    """Each candidate's SPEC and report (the report itself for a gate of
    one candidate)."""
    if not report.candidates:
        return [(report.candidate, report)]
    return [(spec, candidate_report(report, spec))
            for spec in report.candidates]


def worst_candidate(report: GateReport) -> tuple[Verdict, str]:
    """The verdict of the worst candidate and one line saying why."""
    judged = [(spec, sub.verdict, sub.verdict_reason)
              for spec, sub in candidate_reports(report)]
    if not judged:
        return Verdict.NOTHING_JUDGED, 'no candidate to judge'
    worst = max(judged, key=lambda item: VERDICT_ORDER.index(item[1]))
    same = [item for item in judged if item[1] is worst[1]]
    spec, verdict, reason = same[0]
    many = (f'{len(same)} of {len(judged)} candidates: {verdict}; first, '
            if len(same) > 1 else '')
    return verdict, f'{many}{spec}: {reason}'


def matrix(report: GateReport) -> dict[str, dict[str, str]]:
    """Each probe's row (probe, python, downstream) with its
    classification per candidate SPEC, in the results' order."""
    found: dict[str, dict[str, str]] = {}
    for result in report.results:
        spec = result.candidate_spec
        column = report.candidate if spec is None else spec
        found.setdefault(row(result), {})[column] = \
            result.classification.value
    return found


def row(result: ProbeResult) -> str:
    """A result's row of the matrix: its key without the candidate."""
    if result.candidate_spec is None:
        return result.key
    return result.key[:-len(f' @{result.candidate_spec}')]


def to_json(report: GateReport) -> dict[str, Any]:
    """The fields every JSON report has for its candidates."""
    return {
        'candidates': [_candidate_json(spec, sub) for spec, sub
                       in candidate_reports(report)],
        'matrix': matrix(report),
        'candidate_ranges': {text: list(found)
                             for text, found in report.ranges.items()},
    }


def _candidate_json(spec: str, sub: GateReport) -> dict[str, Any]:
    versions = sub.installed_versions().get(Side.CANDIDATE.value, set())
    return {
        'spec': spec,
        'verdict': sub.verdict.value,
        'verdict_reason': sub.verdict_reason,
        'exit_code': sub.exit_code,
        'counts': sub.counts(),
        'installed': sorted(versions),
        'yanked': sub.yanked.get(Side.CANDIDATE.value),
    }


def from_json(
    data: Mapping[str, Any],
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, str]]:
    """The candidates, ranges and candidates' yank reasons of a JSON
    report (a gate of one candidate has none of them)."""
    entries = [c for c in data.get('candidates') or ()
               if isinstance(c, Mapping)]
    ranges = {str(text): tuple(str(v) for v in found)
              for text, found in (data.get('candidate_ranges') or {}).items()}
    specs = tuple(str(c.get('spec')) for c in entries)
    if not ranges and len(specs) < 2:
        return (), {}, {}
    yanked = {str(c.get('spec')): str(c['yanked']) for c in entries
              if c.get('yanked') is not None}
    return specs, ranges, yanked
