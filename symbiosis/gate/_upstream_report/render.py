"""Upstream bug reports as Markdown (what an issue tracker takes) or JSON.
"""

from __future__ import annotations

import re
from typing import Any

from symbiosis.gate._upstream_report.build import UNKNOWN
from symbiosis.gate._upstream_report.build import Selection
from symbiosis.gate._upstream_report.build import UpstreamReport

__all__ = ['SCHEMA_VERSION', 'render_json', 'render_markdown',
           'report_body']

#: Version of the JSON layout of ``report upstream``.
SCHEMA_VERSION = 1

_ORIGINS = {
    'report': 'recorded by the gate',
    'cache': "read from symbiosis's cache",
    'spec': "read from the SPEC's pyproject.toml",
}


def _fenced(text: str, language: str = '') -> str:
    longest = max((len(m) for m in re.findall(r'`+', text)), default=0)
    fence = '`' * max(3, longest + 1)
    return f'{fence}{language}\n{text.rstrip()}\n{fence}'


def _code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r'`+', text)), default=0)
    tick = '`' * (longest + 1)
    pad = ' ' if text.startswith('`') or text.endswith('`') else ''
    return f'{tick}{pad}{text}{pad}{tick}'


def _where(report: UpstreamReport) -> str:
    tracker = report.tracker
    origin = _ORIGINS.get(tracker.origin, '')
    if tracker.url is None:
        return (f'File at: {UNKNOWN} (no issue tracker, source or home '
                f'page in the metadata of {report.upstream} '
                'that symbiosis has)')
    what = {
        'tracker': f'{tracker.label} in its metadata',
        'forge': f'the issues of its {tracker.label} repository',
        'home': f'its {tracker.label}: it lists no issue tracker',
    }.get(tracker.kind, tracker.label)
    return f'File at: <{tracker.url}> ({what}, {origin})'


def report_body(report: UpstreamReport) -> str:
    """The Markdown body of one report (everything but its title)."""
    base, cand = report.baseline, report.candidate
    parts = [_where(report), '## Environment']
    facts = [
        f"- {report.upstream} {cand['version']}: fails "
        f"(candidate: {_code(cand['spec'])})",
        f"- {report.upstream} {base['version']}: passes "
        f"(baseline: {_code(base['spec'])})",
        f'- Python: {report.python}',
        f'- Platform: {report.platform}',
    ]
    if report.downstream:
        facts.append(f'- Downstream: {_code(report.downstream)}')
    parts.append('\n'.join(facts))
    repro = report.reproducer
    parts.append('## Reproducer')
    if repro.kind == 'script':
        parts.append(_fenced(repro.text, 'python'))
    else:
        parts.append(_fenced(repro.text, 'shell' if repro.kind == 'command'
                             else 'text'))
    if repro.note:
        parts.append(f'Note: {repro.note}.')
    parts.append('## Failure')
    fail = report.failure
    where = f" at {_code(fail['location'])}" if fail['location'] else ''
    runs = (f"failed {report.attempts['failed']} of "
            f"{report.attempts['candidate']} run(s)")
    what = _code(fail['message']) if fail['message'] else fail['status']
    parts.append(f'{what}{where}; {runs} with {cand["version"]}.')
    if fail['traceback']:
        parts.append(_fenced(fail['traceback'], 'text'))
    if report.explanation:
        parts.append('## What the API diff says')
        parts.append('\n'.join(f'- {line}' for line in report.explanation))
    parts.append('## On the baseline')
    parts.append(f'{report.baseline_passed}.')
    if report.partial:
        parts.append('Note: from a partial gate report (an interrupted '
                     'run).')
    return '\n\n'.join(parts) + '\n'


def render_markdown(selection: Selection) -> str:
    """Every report as Markdown, separated by rules."""
    return '\n---\n\n'.join(
        f'# {report.title}\n\n{report_body(report)}'
        for report in selection.reports)


def render_json(selection: Selection, name: str) -> dict[str, Any]:
    """The JSON document: ``schema_version``, ``gate_report`` (``name``,
    redacted by the caller), ``reports`` (each with its Markdown ``body``)
    and ``skipped``."""
    return {
        'schema_version': SCHEMA_VERSION,
        'gate_report': name,
        'reports': [
            {**report.to_json(), 'body': report_body(report)}
            for report in selection.reports],
        'skipped': [{'key': key, 'classification': classification}
                    for key, classification in selection.skipped],
    }
