"""The ``text`` report: regressions first, each with its failure."""

from __future__ import annotations

from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._reports.base import Report

__all__ = ['TextReport', 'excerpt']

#: Sections in the order shown; passing probes are only counted.
ORDER = (
    Classification.REGRESSION,
    Classification.INFRA_ERROR,
    Classification.FLAKY,
    Classification.TIMEOUT,
    Classification.STILL_FAILING,
    Classification.FIXED,
)
#: Lines of a failure shown per result.
EXCERPT_LINES = 12


def excerpt(result: ProbeResult, lines: int = EXCERPT_LINES) -> str:
    """The end of the failing attempt's traceback (else its output)."""
    outcome = result.failing_outcome()
    if outcome is None:
        return ''
    text = outcome.traceback or outcome.output
    kept = [line for line in text.rstrip().splitlines() if line.strip()]
    return '\n'.join(kept[-lines:])


class TextReport(Report):
    """Human-readable, grouped by classification."""

    name = 'text'

    def render(self, report: GateReport) -> bytes:
        """Return the text report (UTF-8)."""
        out: list[str] = [
            f'gate {report.upstream}: {report.baseline} -> '
            f'{report.candidate}',
        ]
        installed = report.installed_versions()
        if any(installed.values()):
            shown = {side: ', '.join(sorted(v)) or '?'
                     for side, v in installed.items()}
            out.append(f"installed: {shown['baseline']} -> "
                       f"{shown['candidate']}")
            if installed['baseline'] and \
                    installed['baseline'] == installed['candidate']:
                out.append('note: both sides installed the same version: '
                           'nothing of the upstream differs')
        for section in ORDER:
            results = report.by_classification(section)
            if not results:
                continue
            out.append('')
            out.append(f'{section.value.upper()} ({len(results)})')
            for result in results:
                out.append(f'  {result.key}')
                out.append(f'    baseline: {result.baseline_status}, '
                           f'candidate: {result.candidate_status}')
                for line in result.detail.splitlines():
                    out.append(f'    {line}')
                if section is not Classification.FIXED:
                    for line in excerpt(result).splitlines():
                        out.append(f'    | {line}')
        counts = report.counts()
        summary = ', '.join(f'{n} {name}' for name, n in counts.items() if n)
        out.append('')
        if not report.complete:
            out.append('partial report: the gate was interrupted')
        envs = report.environments
        reused = sum(1 for e in envs if e.reused)
        timings = report.timings
        out.append(
            f'{len(report.results)} probe(s): {summary or "none"}; '
            f'{len(envs)} environment(s), {reused} reused; '
            f"{timings.get('total', 0.0):.1f}s"
        )
        out.append(f'verdict: {report.verdict.value}')
        return ('\n'.join(out) + '\n').encode('utf-8')
