"""The ``text`` report: regressions first, each with its failure.

An environment that could not be built is shown once, with the end of
its build log, and the probes it kept from running are named on one
line, not each with the same failure.

A gate of several candidates also shows the ranges expanded, a matrix of
each probe's classification per candidate, and each candidate's verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from symbiosis.gate._classify import ENV_BUILD_FAILED
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Verdict
from symbiosis.gate._model import log_excerpt
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


#: Probe ids named per failed environment.
NAMED_PROBES = 5


def _environment_failures(
    report: GateReport, out: list[str]
) -> set[str]:
    """Show each environment that could not be built, once; return the
    keys of the results that only that kept from running."""
    failures = report.environment_failures()
    if not failures:
        return set()
    out.append('')
    out.append(f'ENVIRONMENT FAILURES ({len(failures)})')
    shown: set[str] = set()
    for env, results in failures:
        label = ' '.join(filter(None, [
            env.side, f'py{env.python}' if env.python else '',
            env.downstream or '']))
        out.append(f'  {label}: {env.spec}')
        for line in log_excerpt(env.error or '').splitlines():
            out.append(f'    | {line}')
        if results:
            out.append(f'    not run here: {_named(results)}')
        shown.update(r.key for r in results)
    return shown


def _named(results: Sequence[ProbeResult]) -> str:
    names = ', '.join(r.key for r in results[:NAMED_PROBES])
    more = len(results) - NAMED_PROBES
    extra = f' and {more} more' if more > 0 else ''
    return f'{len(results)} probe(s): {names}{extra}'


def _only_env_failed(result: ProbeResult, failed: set[str]) -> bool:
    """Whether the result is an infra-error whose only cause is an
    environment already shown."""
    return (result.classification is Classification.INFRA_ERROR
            and result.key in failed
            and all(o.cause == ENV_BUILD_FAILED or o.ok
                    for o in (*result.baseline, *result.candidate)))


def _matrix_lines(report: GateReport, out: list[str]) -> None:
    """The probe x candidate matrix, then each candidate's verdict."""
    from symbiosis.gate._matrix import candidate_reports
    from symbiosis.gate._matrix import matrix

    rows = matrix(report)
    specs = list(report.candidates)
    widths = [max(len(s), len(Classification.STILL_FAILING.value))
              for s in specs]
    first = max([len('probe'), *(len(r) for r in rows)])
    out.append('')
    out.append(f'MATRIX ({len(rows)} probe(s) x {len(specs)} candidate(s))')
    out.append('  ' + '  '.join([f"{'probe':<{first}}", *(
        f'{s:<{w}}' for s, w in zip(specs, widths, strict=True))]).rstrip())
    for row, cells in rows.items():
        out.append('  ' + '  '.join([f'{row:<{first}}', *(
            f"{cells.get(s, '-'):<{w}}"
            for s, w in zip(specs, widths, strict=True))]).rstrip())
    out.append('')
    for spec, sub in candidate_reports(report):
        verdict = sub.verdict
        out.append(f'candidate {spec}: {verdict.value} '
                   f'(exit {verdict.exit_code}): {sub.verdict_reason}')


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
        for text, found in report.ranges.items():
            out.append(f"candidate range {text}: {', '.join(found)}")
        yanked = [(side, side, spec) for side, spec in (
            ('baseline', report.baseline), ('candidate', report.candidate))]
        yanked += [(spec, 'candidate', spec) for spec in report.candidates]
        for key, side, spec in yanked:
            if key in report.yanked:
                out.append(f'yanked: the {side} {report.upstream} {spec} '
                           'is yanked on the index: '
                           f'{report.yanked[key] or "no reason given"}')
        failed = _environment_failures(report, out)
        for section in ORDER:
            results = report.by_classification(section)
            hidden = {id(r) for r in results
                      if _only_env_failed(r, failed)}
            if not results:
                continue
            out.append('')
            out.append(f'{section.value.upper()} ({len(results)})')
            if hidden:
                out.append(f'  {len(hidden)} not run: an environment '
                           'could not be built (see above)')
            for result in results:
                if id(result) in hidden:
                    continue
                out.append(f'  {result.key}')
                out.append(f'    baseline: {result.baseline_status}, '
                           f'candidate: {result.candidate_status}')
                for line in result.detail.splitlines():
                    out.append(f'    {line}')
                if section is not Classification.FIXED:
                    for line in excerpt(result).splitlines():
                        out.append(f'    | {line}')
        if report.candidates:
            _matrix_lines(report, out)
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
        verdict = report.verdict
        if verdict in (Verdict.INFRA_ERROR, Verdict.NOTHING_JUDGED):
            out.append(f'reason: {report.verdict_reason}')
        out.append(f'verdict: {verdict.value}')
        return ('\n'.join(out) + '\n').encode('utf-8')
