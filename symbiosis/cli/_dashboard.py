"""``symbiosis report dashboard``: a static site of the results store.

``--output DIR`` gets ``index.html`` -- per upstream, the releases gated
over time with the constraints decisions taken on them (held back,
raised), and each probe's history over the last runs as a strip -- and
one page per run under ``runs/``, rebuilt from the store
(:func:`symbiosis.store._reading.run_report`). Plots are inline SVG made
here; the pages fetch nothing and open from disk. Exit codes: ``0``
written (an empty store gives an index that says so), ``2`` bad input
(the directory cannot be written), ``3`` the store cannot be opened.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from collections.abc import Sequence
from html import escape
import logging
import pathlib
import re
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis.cli import _values
from symbiosis.cli._base import Command
from symbiosis.cli._base import add_store_option

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport
    from symbiosis.store._reading import DecisionRecord
    from symbiosis.store._store import RunSummary

__all__ = ['ReportDashboard', 'probe_states', 'timeline_svg']

LOG = logging.getLogger(__name__)

#: A probe's state in one run, and its colour in the history strips.
STATE_COLOURS = {
    'pass': '#2da44e',
    'fail': '#cf222e',
    'flaky': '#d4a72c',
    'timeout': '#e16f24',
    'infra': '#8250df',
    'absent': '#d0d7de',
}
#: What each classification counts as in a strip (the worst wins when a
#: run judged several candidates).
_STATE_OF = {
    'pass': 'pass', 'fixed': 'pass', 'regression': 'fail',
    'still-failing': 'fail', 'flaky': 'flaky', 'timeout': 'timeout',
    'infra-error': 'infra',
}
_STATE_ORDER = ('fail', 'flaky', 'timeout', 'infra', 'pass', 'absent')
#: Colours of a run's verdict and of a decision in the timeline.
VERDICT_COLOURS = {
    'pass': '#2da44e', 'regression': '#cf222e', 'infra-error': '#8250df',
    'nothing-judged': '#8c959f', 'incomplete': '#8c959f',
    'interrupted': '#8c959f', 'running': '#8c959f',
}
DECISION_COLOURS = {
    'raised': '#2da44e', 'passed': '#9be9a8', 'held-back': '#cf222e',
    'no-verdict': '#8c959f',
}
#: Pixels per run in the timeline.
_STEP = 26


def probe_states(report: GateReport) -> dict[str, str]:
    """Each probe row's state in one run (the worst over candidates)."""
    from symbiosis.gate._matrix import row

    states: dict[str, str] = {}
    for result in report.results:
        key = row(result)
        state = _STATE_OF.get(result.classification.value, 'infra')
        old = states.get(key)
        if old is None or _STATE_ORDER.index(state) < \
                _STATE_ORDER.index(old):
            states[key] = state
    return states


def timeline_svg(
    runs: Sequence[RunSummary],
    decided: Mapping[int, Sequence[DecisionRecord]],
    link: Mapping[int, str],
) -> str:
    """One bar per run, oldest first, coloured by its verdict and linked
    to its page; a marker above it for each decision taken on it
    (triangle up: raised or passed; down: held back)."""
    width = max(1, len(runs)) * _STEP + 10
    height = 70
    parts = [f'<svg class="timeline" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="releases gated over time">',
             f'<line x1="0" y1="60" x2="{width}" y2="60" '
             'stroke="#d0d7de"/>']
    for index, run in enumerate(runs):
        x = 5 + index * _STEP
        colour = VERDICT_COLOURS.get(run.verdict, '#8c959f')
        title = escape(f'#{run.id} {run.candidate}: {run.verdict} '
                       f'({run.started:%Y-%m-%d %H:%M})')
        parts.append(
            f'<a href="{escape(link[run.id])}"><rect x="{x}" y="24" '
            f'width="{_STEP - 6}" height="36" fill="{colour}" '
            f'data-verdict="{escape(run.verdict)}"><title>{title}</title>'
            '</rect></a>')
        for n, decision in enumerate(decided.get(run.id, ())[:2]):
            fill = DECISION_COLOURS.get(decision.decision, '#8c959f')
            cx = x + (_STEP - 6) / 2
            top = 4 + n * 10
            if decision.decision == 'held-back':
                points = f'{cx - 6},{top} {cx + 6},{top} {cx},{top + 9}'
            else:
                points = f'{cx - 6},{top + 9} {cx + 6},{top + 9} {cx},{top}'
            label = escape(f'{decision.decision}: {decision.project} '
                           f'{decision.pinned} -> {decision.candidate}')
            parts.append(
                f'<polygon points="{points}" fill="{fill}" '
                f'data-decision="{escape(decision.decision)}">'
                f'<title>{label}</title></polygon>')
    parts.append('</svg>')
    return ''.join(parts)


def _upstream_view(
    upstream: str,
    runs: Sequence[RunSummary],
    reports: Mapping[int, GateReport],
    decided: Mapping[int, Sequence[DecisionRecord]],
    unlinked: Sequence[DecisionRecord],
    last: int,
) -> dict[str, Any]:
    from symbiosis._html import svg_strip

    links = {run.id: f'runs/{run.id}.html' for run in runs}
    recent = list(runs)[-last:]
    history = [(run, probe_states(reports[run.id])) for run in recent]
    probes: list[str] = list(dict.fromkeys(
        key for _, states in history for key in states))
    strips = []
    for key in probes:
        cells = [(states.get(key, 'absent'),
                  f'#{run.id} {run.candidate}: '
                  f"{states.get(key, 'not run')}")
                 for run, states in history]
        worst = min(_STATE_ORDER.index(s) for s, _ in cells)
        strips.append((worst, key, svg_strip(cells, STATE_COLOURS),
                       sum(1 for s, _ in cells if s == 'fail')))
    strips.sort(key=lambda s: (s[0], s[1]))
    return {
        'name': upstream,
        'anchor': 'u-' + re.sub(r'[^A-Za-z0-9_.-]', '-', upstream),
        'timeline': timeline_svg(runs, decided, links),
        'runs': [{
            'id': run.id, 'link': links[run.id],
            'started': f'{run.started:%Y-%m-%d %H:%M}',
            'baseline': run.baseline, 'candidate': run.candidate,
            'verdict': run.verdict,
            'regressed': len(run.regressed), 'flaky': len(run.flaky),
            'decisions': [{'decision': d.decision, 'pinned': d.pinned,
                           'candidate': d.candidate, 'reason': d.reason}
                          for d in decided.get(run.id, ())],
        } for run in reversed(runs)],
        'unlinked': [{'decision': d.decision, 'pinned': d.pinned,
                      'candidate': d.candidate, 'reason': d.reason,
                      'decided': f'{d.decided:%Y-%m-%d %H:%M}'}
                     for d in unlinked],
        'last': len(recent),
        'strips': [{'key': key, 'strip': strip, 'failed': failed}
                   for _, key, strip, failed in strips],
    }


class ReportDashboard(Command):
    """Write a static HTML dashboard of the results store: releases gated
    over time, each probe's history, a page per run."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``report dashboard``."""
        parser = super().get_parser(prog_name)
        add_store_option(parser, 'read')
        parser.add_argument(
            '--output', metavar='DIR', required=True,
            help='the directory to write the site to (index.html, '
            'runs/ID.html)')
        parser.add_argument(
            '--last', metavar='N', type=_values.positive_int, default=30,
            help='runs shown in each probe history strip (default: 30)')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Write the site; say where on stderr."""
        import sys

        from symbiosis import _html
        from symbiosis._files import check_output
        from symbiosis._files import write_output
        from symbiosis.gate._reports.html import render_page
        from symbiosis.store._reading import decisions
        from symbiosis.store._reading import run_report
        from symbiosis.store._store import open_store

        root = pathlib.Path(parsed_args.output)
        check_output(root / 'index.html')
        with open_store(parsed_args.store) as store:
            runs = store.history()
            reports = {run.id: run_report(store, run) for run in runs}
            records = decisions(store)
        cache = self.config.subdir('html')
        for run in runs:
            write_output(root / 'runs' / f'{run.id}.html', render_page(
                reports[run.id], cache_dir=cache, home='../index.html',
                home_label='dashboard'))
        upstreams = list(dict.fromkeys(run.upstream for run in runs))
        views = []
        known = {run.id for run in runs}
        for upstream in upstreams:
            mine = [run for run in runs if run.upstream == upstream]
            ids = {run.id for run in mine}
            decided: dict[int, list[DecisionRecord]] = {}
            for record in records:
                if record.run_id in ids:
                    decided.setdefault(record.run_id, []).append(record)
            unlinked = [r for r in records if r.project == upstream
                        and r.run_id not in known]
            views.append(_upstream_view(upstream, mine, reports, decided,
                                        unlinked, parsed_args.last))
        write_output(root / 'index.html', _html.render('dashboard.html', {
            'upstreams': views, 'runs': len(runs),
            'decisions': len(records),
            'states': list(STATE_COLOURS.items()),
            'decision_colours': list(DECISION_COLOURS.items()),
        }, cache_dir=cache))
        sys.stderr.write(
            f'symbiosis: wrote {root / "index.html"} and {len(runs)} run '
            f'page(s) for {len(upstreams)} upstream(s)\n')
        return exception.EXIT_OK
