"""``symbiosis report dashboard``: a static site made from a real store
(SQLite), written by real gate runs and by the store's own API."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
from typing import Any

from tests import base
from tests.test_gate import TINY_10
from tests.test_gate import TINY_11
from tests.test_gate import TINY_PROBES
from tests.test_gate_html import HOSTILE
from tests.test_gate_html import _Page
from tests.test_gate_html import external_references


def _cli(*args: str, cwd: pathlib.Path
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, '-m', 'symbiosis.cli._app', '-q', *args],
        capture_output=True, text=True, timeout=300, cwd=str(cwd),
        env=dict(os.environ, SYMBIOSIS_OFFLINE='1'), check=False)


def _row(run: int, side: str, version: str, probe: str, status: str,
         attempt: int = 0) -> dict[str, Any]:
    return {'run_id': run, 'job_key': f'{side}:{probe}:{attempt}',
            'side': side, 'version': version, 'python': '',
            'downstream': '', 'attempt': attempt, 'probe': probe,
            'status': status, 'message': '' if status == 'pass'
            else f'AssertionError: {HOSTILE}', 'cause': None,
            'duration': 0.01}


#: mylib's runs: candidate, each probe's candidate statuses (the
#: baseline passes), the verdict, the decision taken on it.
MYLIB_RUNS = (
    ('2.1', {'p.py::a': ['pass'], 'p.py::b': ['pass']}, 'pass',
     'raised'),
    ('2.2', {'p.py::a': ['fail', 'fail'], 'p.py::b': ['pass']},
     'regression', 'held-back'),
    ('2.3', {'p.py::a': ['pass'], 'p.py::b': ['fail', 'pass']}, 'pass',
     'raised'),
    ('2.4', {'p.py::a': ['pass'], f'p.py::{HOSTILE}': ['fail', 'fail']},
     'regression', None),
)


def fill_mylib(url: str) -> list[int]:
    """Record :data:`MYLIB_RUNS` and their decisions in the store at
    ``url``; return the runs' ids."""
    from symbiosis.store._store import Decision
    from symbiosis.store._store import open_store

    ids = []
    with open_store(url, upgrade=True) as store:
        for candidate, probes, verdict, decision in MYLIB_RUNS:
            run = store.begin_run('mylib', '2.0', candidate)
            rows = []
            for probe, statuses in probes.items():
                rows += [_row(run, 'baseline', '2.0', probe, 'pass', n)
                         for n in range(len(statuses))]
                rows += [_row(run, 'candidate', candidate, probe, s, n)
                         for n, s in enumerate(statuses)]
            store.add_results(rows)
            regressed = [p for p, s in probes.items()
                         if s and all(x == 'fail' for x in s)]
            store.end_run(run, verdict, f'{verdict} reason',
                          regressed=regressed)
            if decision:
                store.record_decision('constraints.txt', Decision(
                    'mylib', '2.0', candidate, decision,
                    f'{decision} because', run))
            ids.append(run)
    return ids


class TestDashboard(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.url = f'sqlite:///{self.tmp}/store.sqlite'

    def dashboard(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _cli('report', 'dashboard', '--store', self.url,
                    '--output', str(self.tmp / 'site'), *args,
                    cwd=self.tmp)

    def test_store_of_gates_and_decisions(self) -> None:
        journal = self.tmp / 'gate.json'
        proc = _cli('gate', 'tinylib', '--baseline', TINY_10,
                    '--candidate', TINY_11, '--probes', TINY_PROBES,
                    '--store', self.url, '--output', str(journal),
                    cwd=self.tmp)
        self.assertEqual(1, proc.returncode, proc.stderr)
        ids = fill_mylib(self.url)
        proc = self.dashboard()
        self.assertEqual(0, proc.returncode, proc.stderr)
        site = self.tmp / 'site'
        index = (site / 'index.html').read_text()
        self.assertEqual([], external_references(re.sub(
            r'href="(#[^"]*|runs/\d+\.html)"', '', index)))
        # Every link leads to a page written.
        for link in re.findall(r'href="(runs/\d+\.html)"', index):
            self.assertTrue((site / link).is_file(), link)
        self.assertEqual(
            sorted(f'{i}.html' for i in [*ids, min(ids) - 1]),
            sorted(p.name for p in (site / 'runs').iterdir()))
        parsed = _Page(index)
        self.assertEqual(['tinylib', 'mylib'], [
            str(a['data-upstream']) for _, a in parsed.tags
            if 'data-upstream' in a])
        # The timeline: one bar per run, coloured by verdict, and the
        # decisions taken on them.
        verdicts = [str(a['data-verdict']) for t, a in parsed.tags
                    if t == 'rect' and 'data-verdict' in a]
        self.assertEqual(['regression', 'pass', 'regression', 'pass',
                          'regression'], verdicts)
        markers = [str(a['data-decision']) for t, a in parsed.tags
                   if t == 'polygon']
        self.assertEqual(['raised', 'held-back', 'raised'], markers)
        self.assertIn('held-back because', index)
        # Probe history strips, oldest run first.
        strips = dict(re.findall(
            r'<td class="key">([^<]*)</td><td><svg class="strip"[^>]*'
            r'aria-label="([^"]*)"', index))
        self.assertEqual('pass fail pass pass', strips['p.py::a'])
        self.assertEqual('pass pass flaky absent', strips['p.py::b'])
        hostile = HOSTILE.replace('<', '&lt;').replace(
            '>', '&gt;').replace('"', '&#34;')
        self.assertEqual('absent absent absent fail',
                         strips[f'p.py::{hostile}'])
        self.assertEqual(1, index.count('<script'))
        # Each run's page, rebuilt from the store.
        gate = json.loads(journal.read_text())
        page = (site / 'runs' / f'{min(ids) - 1}.html').read_text()
        self.assertIn('href="../index.html"', page)
        for result in gate['results']:
            self.assertIn(result['probe'], page)
            if result['classification'] == 'regression':
                self.assertIn(
                    f'<h3>{result["probe"]}</h3>', page)
        self.assertIn('tinylib.core.ParseError moved to '
                      'tinylib.errors.ParseError', page)
        last = (site / 'runs' / f'{ids[-1]}.html').read_text()
        self.assertEqual(1, last.count('<script'))
        self.assertIn('&lt;script&gt;alert', last)
        self.assertIn('verdict: <span class="badge c-regression">', last)

    def test_empty_store(self) -> None:
        proc = self.dashboard()
        self.assertEqual(0, proc.returncode, proc.stderr)
        index = (self.tmp / 'site' / 'index.html').read_text()
        self.assertIn('The store holds no gate run yet.', index)

    def test_unwritable_output(self) -> None:
        (self.tmp / 'file').write_text('')
        proc = _cli('report', 'dashboard', '--store', self.url,
                    '--output', str(self.tmp / 'file'), cwd=self.tmp)
        self.assertEqual(2, proc.returncode, proc.stderr)
