"""The HTML pages in a real browser: headless Chromium, run as a process,
reads the tinylib gate's page and a 500-probe x 3-candidate one; the
tests check the DOM after the page's script ran and a screenshot."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys

from symbiosis.gate._model import GateReport
from tests import base
from tests.browser import Browser
from tests.browser import find_chromium
from tests.browser import requires_chromium
from tests.synthetic_reports import synthetic_report
from tests.test_gate import TINY_10
from tests.test_gate import TINY_11
from tests.test_gate import TINY_PROBES
from tests.test_gate_html import _Page

#: The regression colour of the page's style sheet (``.c-regression``).
REGRESSION_RGB = (0xcf, 0x22, 0x2e)
#: The most a page of 500 probes x 3 candidates may weigh.
MAX_PAGE_BYTES = 1_500_000


def _symbiosis(*args: str, cwd: pathlib.Path
               ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, '-m', 'symbiosis.cli._app', '-q', *args],
        capture_output=True, text=True, timeout=300, cwd=str(cwd),
        env=dict(os.environ, SYMBIOSIS_OFFLINE='1'), check=False)


class BrowserTestCase(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        program = find_chromium()
        assert program is not None  # the class is skipped otherwise
        self.browser = Browser(program, self.tmp)

    def check_dom(self, dom: str, report: GateReport) -> _Page:
        """The DOM after the script ran: the verdict, the counts, the
        matrix (regressions first) and one section per regression."""
        page = _Page(dom)
        self.assertIn(f'verdict: <span class="badge c-{report.verdict}">'
                      f'{report.verdict}</span>', dom)
        counts = {str(a['data-count']): a for _, a in page.tags
                  if 'data-count' in a}
        self.assertEqual({k for k, v in report.counts().items() if v},
                         set(counts))
        for name, n in report.counts().items():
            if n:
                self.assertIn(f'data-count="{name}">{n} {name}</span>', dom)
        # The script ran: it showed the filter controls it drives.
        controls = [a for t, a in page.tags if 'data-controls' in a]
        self.assertEqual(1, len(controls))
        self.assertNotIn('hidden', controls[0])
        rows = [str(a['data-classes']).split() for t, a in page.tags
                if t == 'tr' and 'data-classes' in a]
        from symbiosis.gate._matrix import matrix

        self.assertEqual(len(matrix(report)), len(rows))
        regressed = ['regression' in r for r in rows]
        self.assertTrue(regressed[0])
        self.assertEqual(sorted(regressed, reverse=True), regressed)
        sections = re.findall(
            r'<section class="result regression" id="r\d+" '
            r'data-result="regression">\s*<h3>([^<]*)</h3>', dom)
        self.assertEqual(sorted(r.key for r in report.regressions),
                         sorted(sections))
        return page

    def check_screenshot(self, page: pathlib.Path, width: int) -> None:
        shot = self.browser.screenshot(page, width=width, height=900)
        self.assertEqual((width, 900), (shot.width, shot.height))
        colours = shot.colours()
        white = colours.get((255, 255, 255), 0)
        total = shot.width * shot.height
        # Not blank: text, tables and colours, not one flat page.
        self.assertGreater(len(colours), 50)
        self.assertLess(white, 0.97 * total)
        # The regression colour fills badges and matrix cells.
        self.assertGreater(shot.count_near(REGRESSION_RGB), 200)


@requires_chromium
class TestTinylibPage(BrowserTestCase):

    def test_gate_page_in_chromium(self) -> None:
        page = self.tmp / 'tinylib.html'
        journal = self.tmp / 'gate.json'
        proc = _symbiosis(
            'gate', 'tinylib', '--baseline', TINY_10, '--candidate',
            TINY_11, '--probes', TINY_PROBES, '--format', 'html',
            '--report', str(page), '--output', str(journal), cwd=self.tmp)
        self.assertEqual(1, proc.returncode, proc.stderr)
        report = GateReport.from_json(json.loads(journal.read_text()))
        self.assertTrue(report.regressions)
        dom = self.browser.dump_dom(page)
        self.check_dom(dom, report)
        self.assertIn('tinylib.core.ParseError moved to '
                      'tinylib.errors.ParseError', dom)
        self.check_screenshot(page, 1280)
        # A phone's width: the same page, narrower, still coloured.
        self.check_screenshot(page, 390)


@requires_chromium
class TestLargePage(BrowserTestCase):

    def test_500_probes_3_candidates(self) -> None:
        report = synthetic_report(500, 3)
        source = self.tmp / 'gate.json'
        source.write_text(json.dumps(report.to_json()))
        page = self.tmp / 'large.html'
        proc = _symbiosis('report', 'html', str(source), '--output',
                          str(page), cwd=self.tmp)
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertLessEqual(page.stat().st_size, MAX_PAGE_BYTES)
        dom = self.browser.dump_dom(page)
        parsed = self.check_dom(dom, report)
        self.assertEqual(500, parsed.rows('matrix'))
        self.assertEqual(3, parsed.rows('candidates'))
        for kind in ('flaky', 'infra-error', 'timeout'):
            self.assertEqual(
                sum(1 for r in report.results
                    if r.classification.value == kind),
                dom.count(f'data-result="{kind}"'))
        self.check_screenshot(page, 1280)


@requires_chromium
class TestDashboardPage(BrowserTestCase):

    def test_dashboard_in_chromium(self) -> None:
        from tests.test_dashboard import fill_mylib

        url = f'sqlite:///{self.tmp}/store.sqlite'
        fill_mylib(url)
        site = self.tmp / 'site'
        proc = _symbiosis('report', 'dashboard', '--store', url,
                          '--output', str(site), cwd=self.tmp)
        self.assertEqual(0, proc.returncode, proc.stderr)
        dom = self.browser.dump_dom(site / 'index.html')
        page = _Page(dom)
        self.assertEqual(4, sum(1 for t, a in page.tags
                                if t == 'rect' and 'data-verdict' in a))
        self.assertEqual(['raised', 'held-back', 'raised'], [
            str(a['data-decision']) for t, a in page.tags
            if t == 'polygon'])
        self.assertEqual(3, sum(1 for t, a in page.tags
                                if t == 'svg' and a.get('class') == 'strip'))
        shot = self.browser.screenshot(site / 'index.html')
        self.assertGreater(shot.count_near(REGRESSION_RGB), 200)
        # A run's page, from the store, in the browser too.
        run = self.browser.dump_dom(site / 'runs' / '2.html')
        self.assertIn('verdict: <span class="badge c-regression">', run)


#: Drives the page's controls as a reader would, after its own script.
_DRIVE = '''<script>
var box = document.querySelector('[data-controls="matrix"]');
var input = box.querySelector('input');
input.value = 'test_014.py';
input.dispatchEvent(new Event('input'));
var heading = document.querySelectorAll('#matrix th[data-sort]')[1];
heading.click();
document.body.setAttribute('data-first-after-sort',
  document.querySelector('#matrix tbody tr td').textContent);
</script>'''


@requires_chromium
class TestPageScript(BrowserTestCase):

    def test_filter_and_sort(self) -> None:
        from symbiosis.gate._reports.html import render_page

        report = synthetic_report(30, 2)
        page = self.tmp / 'page.html'
        page.write_text(render_page(report).replace(
            '</body>', _DRIVE + '</body>'))
        dom = self.browser.dump_dom(page)
        parsed = _Page(dom)
        rows = [a for t, a in parsed.tags
                if t == 'tr' and 'data-classes' in a]
        shown = [a['data-text'] for a in rows if 'hidden' not in a]
        self.assertEqual(['probes/test_014.py::test_parse_case_14'], shown)
        self.assertEqual(30, len(rows))
        # Sorted by the first candidate's column, worst first: the one
        # infra-error there (probe 2; regressions come on 2.2 only).
        first = re.search(r'data-first-after-sort="([^"]*)"', dom)
        assert first is not None
        self.assertEqual('probes/test_002.py::test_parse_case_2',
                         first.group(1))
