"""The gate's ``html`` report: one self-contained, escaped page."""

from __future__ import annotations

import dataclasses
import html.parser
import json
import os
import re
import subprocess
import sys

from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._reports.base import load_report
from symbiosis.gate._reports.base import report_formats
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus as S
from tests import base
from tests.synthetic_reports import synthetic_report
from tests.test_gate import TINY_10
from tests.test_gate import TINY_11
from tests.test_gate import TINY_PROBES

HOSTILE = '<script>alert("x")</script>'


class _Page(html.parser.HTMLParser):
    """The tags, ids and text of a page, as a browser's parser sees
    them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str,
                        attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def rows(self, table: str) -> int:
        """How many rows the tbody of the table ``table`` holds."""
        inside = False
        count = 0
        for tag, attrs in self.tags:
            if tag == 'table':
                inside = attrs.get('id') == table
            elif inside and tag == 'tr':
                count += 1
        return count - 1  # the header row


def hostile_report() -> GateReport:
    ok = Outcome('p.py::ok', S.PASS, duration=0.1)
    bad = Outcome(f'p.py::{HOSTILE}', S.FAIL,
                  message=f'ValueError: {HOSTILE}',
                  traceback=f'Traceback (most recent call last):\n'
                  f'  File "p.py", line 3\nValueError: {HOSTILE}',
                  location='p.py:3')
    return GateReport(
        upstream='tinylib', baseline='1.0', candidate='1.1',
        results=(
            ProbeResult('p.py::ok', (ok,), (ok,), Classification.PASS,
                        baseline_status='pass', candidate_status='pass'),
            ProbeResult(f'p.py::{HOSTILE}', (ok,), (bad,),
                        Classification.REGRESSION,
                        detail=f'candidate: fail: ValueError: {HOSTILE}\n'
                        f'api diff: tinylib.{HOSTILE}: was removed',
                        baseline_status='pass', candidate_status='fail'),
        ),
        timings={'total': 1.5})


def external_references(page: str) -> list[str]:
    """Every attribute of the page that would load something from
    elsewhere (a script, a style sheet, an image, a font)."""
    found = re.findall(
        r'(?:src|href|srcset|action)\s*=\s*["\']?([^"\'\s>]+)', page)
    found += re.findall(r'url\(([^)]*)\)', page)
    found += re.findall(r'@import', page)
    return [ref for ref in found if not ref.startswith('#')]


class TestHtmlReport(base.TestCase):

    def render(self, report: GateReport) -> str:
        return load_report('html').render(report).decode('utf-8')

    def test_is_a_report_format(self) -> None:
        self.assertIn('html', report_formats())
        self.assertFalse(load_report('html').binary)

    def test_hostile_text_is_escaped(self) -> None:
        page = self.render(hostile_report())
        # Only the page's own script; the probe name, the exception
        # message and the API diff line are text.
        self.assertEqual(1, page.count('<script'))
        self.assertNotIn('<script>alert', page)
        self.assertIn('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;',
                      page)
        parsed = _Page(page)
        self.assertEqual(['script'],
                         [t for t, _ in parsed.tags if t == 'script'])
        text = ''.join(parsed.text)
        self.assertIn(f'p.py::{HOSTILE}', text)
        self.assertIn(f'ValueError: {HOSTILE}', text)
        self.assertIn(f'tinylib.{HOSTILE}: was removed', text)

    def test_self_contained(self) -> None:
        page = self.render(synthetic_report(60, 2))
        self.assertEqual([], external_references(page))
        self.assertIn('<style>', page)
        self.assertIn('name="viewport"', page)

    def test_regressions_first_in_the_matrix(self) -> None:
        report = synthetic_report(100, 3)
        parsed = _Page(self.render(report))
        rows = [attrs for tag, attrs in parsed.tags
                if tag == 'tr' and 'data-classes' in attrs]
        self.assertEqual(100, len(rows))
        classes = [str(r['data-classes']).split() for r in rows]
        regressed = [('regression' in c) for c in classes]
        # Every row with a regression comes before every row without.
        self.assertEqual(sorted(regressed, reverse=True), regressed)
        self.assertEqual(sum(1 for p in range(100) if p % 7 == 0),
                         sum(regressed))

    def test_header_counts_and_sections(self) -> None:
        report = synthetic_report(100, 3)
        page = self.render(report)
        parsed = _Page(page)
        counts = {str(a['data-count']): a for t, a in parsed.tags
                  if 'data-count' in a}
        self.assertEqual(
            {k for k, v in report.counts().items() if v}, set(counts))
        for name, n in report.counts().items():
            if n:
                self.assertIn(f'>{n} {name}</span>', page)
        self.assertIn('verdict: <span class="badge c-regression">'
                      'regression</span>', page)
        sections = [str(a['data-result']) for t, a in parsed.tags
                    if 'data-result' in a]
        self.assertEqual(len(report.regressions),
                         sections.count('regression'))
        for kind in ('flaky', 'infra-error', 'timeout'):
            self.assertEqual(
                len(report.by_classification(Classification(kind))),
                sections.count(kind))
        # The API diff's explanation of a regression, and its traceback.
        self.assertIn("mylib.core.parse: parameter &#39;strict&#39;", page)
        self.assertIn('mylib.core.ParseError: line 7: no separator', page)
        # Every candidate's verdict.
        self.assertEqual(3, parsed.rows('candidates'))

    def test_attempts_of_flaky_results(self) -> None:
        report = synthetic_report(60, 1)
        flaky = report.by_classification(Classification.FLAKY)[0]
        page = self.render(report)
        start = page.index('data-result="flaky"')
        section = page[start:page.index('</section>', start)]
        self.assertIn(flaky.key, section)
        self.assertEqual(len(flaky.baseline) + len(flaky.candidate),
                         section.count('<tr><td>'))

    def test_partial_report(self) -> None:
        report = dataclasses.replace(hostile_report(), complete=False)
        page = self.render(report)
        self.assertIn('partial report', page)
        self.assertIn('c-incomplete', page)


class TestGateCli(base.TestCase):
    """``gate --format html`` and ``--report FILE`` as real processes."""

    def gate(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, SYMBIOSIS_OFFLINE='1')
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate',
             'tinylib', '--baseline', TINY_10, '--candidate', TINY_11,
             '--probes', TINY_PROBES, *args],
            capture_output=True, text=True, timeout=300, env=env,
            cwd=str(self.tmp), check=False)

    def test_html_to_report_file_and_json_journal(self) -> None:
        page = self.tmp / 'out' / 'report.html'
        journal = self.tmp / 'gate.json'
        proc = self.gate('--format', 'html', '--report', str(page),
                         '--output', str(journal))
        self.assertEqual(1, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        text = page.read_text(encoding='utf-8')
        self.assertTrue(text.startswith('<!DOCTYPE html>'))
        data = json.loads(journal.read_text())
        regressions = [r['probe'] for r in data['results']
                       if r['classification'] == 'regression']
        self.assertTrue(regressions)
        for probe in regressions:
            self.assertIn(probe, text)
        self.assertIn('tinylib.core.ParseError moved to '
                      'tinylib.errors.ParseError', text)
        # The default format, to stdout, is unchanged.
        proc = self.gate('--report', str(self.tmp / 'r.txt'))
        self.assertEqual(1, proc.returncode, proc.stderr)
        self.assertTrue((self.tmp / 'r.txt').read_text().rstrip()
                        .endswith('verdict: regression'))

    def test_unwritable_report_is_an_input_error(self) -> None:
        proc = self.gate('--format', 'html', '--report', str(self.tmp))
        self.assertEqual(2, proc.returncode, proc.stderr)
        self.assertIn('cannot write', proc.stderr)


class TestLazyJinja(base.TestCase):

    def test_other_formats_and_commands_do_not_import_it(self) -> None:
        code = '''
import contextlib, io, sys
from symbiosis.cli._app import main
from symbiosis.gate._reports.base import load_report
from tests.test_gate_html import hostile_report
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(['gate', '--help'])
    except SystemExit:
        pass
    main(['api', 'rules'])
load_report('text').render(hostile_report())
load_report('json').render(hostile_report())
before = 'jinja2' in sys.modules
load_report('html').render(hostile_report())
print(before, 'jinja2' in sys.modules)
'''
        proc = subprocess.run(
            [sys.executable, '-c', code], capture_output=True, text=True,
            timeout=120, check=False, cwd=str(base.__file__).rpartition(
                '/tests/')[0])
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual('False True', proc.stdout.strip().splitlines()[-1])


class TestReportHtmlCli(base.TestCase):
    """``symbiosis report html GATE_REPORT``: the page of a JSON report."""

    def run_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', 'report', 'html',
             *args], capture_output=True, text=True, timeout=120,
            cwd=str(self.tmp), check=False)

    def test_same_page_as_the_gate_writes(self) -> None:
        report = synthetic_report(40, 2)
        source = self.tmp / 'gate.json'
        source.write_text(json.dumps(report.to_json()))
        proc = self.run_cli(str(source))
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual(load_report('html').render(
            GateReport.from_json(report.to_json())).decode(), proc.stdout)
        out = self.tmp / 'page.html'
        proc = self.run_cli(str(source), '--output', str(out))
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        self.assertIn('gate mylib: 2.0 &rarr; 2.1, 2.2', out.read_text())

    def test_not_a_gate_report(self) -> None:
        bad = self.tmp / 'bad.json'
        bad.write_text('{"schema_version": 1}')
        proc = self.run_cli(str(bad))
        self.assertEqual(2, proc.returncode)
        self.assertIn('not a gate report', proc.stderr)
