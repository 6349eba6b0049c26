"""The ``html`` report: one self-contained page for people.

A header (upstream, baseline -> candidates, the versions installed, the
verdict, counts, timings), the matrix of each probe's classification per
candidate, regressions first, then each regression with its failure, its
traceback and what the API diff and usage say about it, and the flaky,
timed-out and infra-error results with every attempt. The page is made
from :mod:`symbiosis._html`'s templates: inline CSS, a few lines of
script to sort and filter the matrix (the page reads the same without
it), nothing fetched; every value is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
import os
from typing import Any

from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import log_excerpt
from symbiosis.gate._reports.base import Report
from symbiosis.gate._reports.text import excerpt
from symbiosis.probes._model import Outcome

__all__ = ['RANKS', 'HtmlReport', 'page_context', 'render_page']

#: Classifications in the order shown: the worst first.
RANKS = {c: rank for rank, c in enumerate((
    Classification.REGRESSION,
    Classification.INFRA_ERROR,
    Classification.FLAKY,
    Classification.TIMEOUT,
    Classification.STILL_FAILING,
    Classification.FIXED,
    Classification.PASS,
))}
_MISSING = len(RANKS)

#: Sections of results shown with every attempt.
ATTEMPTED = (
    Classification.FLAKY,
    Classification.INFRA_ERROR,
    Classification.TIMEOUT,
)
#: Lines of a failure shown above its full traceback.
EXCERPT_LINES = 12


def _attempt(number: int, side: str, outcome: Outcome) -> dict[str, Any]:
    return {
        'number': number, 'side': side,
        'status': outcome.status.value,
        'cause': outcome.cause or '',
        'message': outcome.message,
        'duration': f'{outcome.duration:.2f}',
        'location': outcome.location or '',
    }


def _attempts(result: ProbeResult) -> list[dict[str, Any]]:
    rows = [_attempt(n, 'baseline', o)
            for n, o in enumerate(result.baseline, 1)]
    rows += [_attempt(n, 'candidate', o)
             for n, o in enumerate(result.candidate, 1)]
    return rows


def _result(index: int, result: ProbeResult) -> dict[str, Any]:
    lines = result.detail.splitlines()
    failing = result.failing_outcome()
    shown = excerpt(result, EXCERPT_LINES)
    traceback = failing.traceback if failing else ''
    return {
        'anchor': f'r{index}',
        'key': result.key,
        'classification': result.classification.value,
        'baseline_status': result.baseline_status or '-',
        'candidate_status': result.candidate_status or '-',
        'api': [line.removeprefix('api diff:').strip() for line in lines
                if line.startswith('api diff:')],
        'usage': [line for line in lines if line.startswith('usage')],
        'detail': [line for line in lines
                   if not line.startswith(('api diff:', 'usage'))],
        'excerpt': shown,
        'message': failing.message if failing else '',
        'location': (failing.location or '') if failing else '',
        # The whole traceback, when the excerpt is not all of it.
        'traceback': '' if traceback.strip() == shown else traceback,
        'output': failing.output if failing else '',
        'attempts': _attempts(result),
    }


def _matrix(
    report: GateReport, columns: Sequence[str]
) -> list[dict[str, Any]]:
    """The rows of the matrix, the worst first (then in run order)."""
    from symbiosis.gate._matrix import row as row_of

    rows: dict[str, dict[str, tuple[Classification, int]]] = {}
    for index, result in enumerate(report.results):
        spec = result.candidate_spec
        column = report.candidate if spec is None else spec
        rows.setdefault(row_of(result), {})[column] = (
            result.classification, index)
    shown = []
    for order, (key, cells) in enumerate(rows.items()):
        ranks = [RANKS[c] for c, _ in cells.values()]
        line: list[dict[str, Any]] = []
        for column in columns:
            cell = cells.get(column)
            if cell is None:
                line.append({'value': 'missing', 'rank': _MISSING,
                             'anchor': ''})
                continue
            classification, index = cell
            line.append({
                'value': classification.value,
                'rank': RANKS[classification],
                'anchor': '' if classification is Classification.PASS
                else f'r{index}',
            })
        shown.append((min(ranks, default=_MISSING), order, {
            'key': key,
            'text': key.lower(),
            'classes': ' '.join(sorted({c['value'] for c in line})),
            'cells': line,
            'rank': min(ranks, default=_MISSING),
        }))
    shown.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in shown]


def _environment_failures(report: GateReport) -> list[dict[str, Any]]:
    return [{
        'label': ' '.join(filter(None, [
            env.side, env.candidate or '',
            f'py{env.python}' if env.python else '', env.downstream or ''])),
        'spec': env.spec,
        'log': log_excerpt(env.error or ''),
        'probes': [r.key for r in hit],
    } for env, hit in report.environment_failures()]


def page_context(
    report: GateReport, *, home: str = '', home_label: str = ''
) -> dict[str, Any]:
    """What the gate template shows of ``report``, as plain data.

    :param home: a link back (a dashboard's index), if any.
    """
    from symbiosis.gate._matrix import candidate_reports

    columns = list(report.candidates) or [report.candidate]
    installed = report.installed_versions()
    candidates = []
    for spec, sub in candidate_reports(report):
        versions = sub.installed_versions().get('candidate', set())
        candidates.append({
            'spec': spec,
            'verdict': sub.verdict.value,
            'reason': sub.verdict_reason,
            'installed': ', '.join(sorted(versions)) or '?',
            'counts': {k: v for k, v in sub.counts().items() if v},
            'yanked': sub.yanked.get('candidate'),
        })
    results = [_result(i, r) for i, r in enumerate(report.results)]
    ranked = sorted(results, key=lambda r: (
        RANKS[Classification(r['classification'])], r['anchor']))
    sections = [
        (c.value, [r for r in ranked if r['classification'] == c.value])
        for c in ATTEMPTED]
    return {
        'upstream': report.upstream,
        'baseline': report.baseline,
        'columns': columns,
        'candidates': candidates,
        'several': bool(report.candidates),
        'installed': {side: ', '.join(sorted(v)) or '?'
                      for side, v in installed.items()},
        'verdict': report.verdict.value,
        'reason': report.verdict_reason,
        'exit_code': report.exit_code,
        'complete': report.complete,
        'counts': report.counts(),
        'total': len(report.results),
        'timings': {k: f'{v:.1f}s' for k, v in report.timings.items()},
        'executor': report.executor,
        'environments': len(report.environments),
        'reused': sum(1 for e in report.environments if e.reused),
        'ranges': {k: ', '.join(v) for k, v in report.ranges.items()},
        'yanked': dict(report.yanked),
        'matrix': _matrix(report, columns),
        'classifications': [c.value for c in RANKS],
        'regressions': [r for r in ranked
                        if r['classification'] == 'regression'],
        'sections': [(name, rows) for name, rows in sections if rows],
        'others': [r for r in ranked if r['classification'] in (
            'still-failing', 'fixed')],
        'env_failures': _environment_failures(report),
        'home': home,
        'home_label': home_label,
    }


def render_page(
    report: GateReport,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    **links: str,
) -> str:
    """The page of ``report`` (see :func:`page_context` for ``links``).

    :param cache_dir: where compiled templates are kept between runs.
    """
    from symbiosis import _html

    return _html.render('gate.html', page_context(report, **links),
                        cache_dir=cache_dir)


class HtmlReport(Report):
    """One self-contained HTML page."""

    name = 'html'
    #: Where compiled templates are kept between runs (the command line
    #: sets it to a directory of its cache).
    cache_dir: str | os.PathLike[str] | None = None

    def render(self, report: GateReport) -> bytes:
        """Return the page (UTF-8)."""
        return render_page(report, cache_dir=self.cache_dir).encode('utf-8')
