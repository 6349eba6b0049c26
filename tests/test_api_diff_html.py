"""``symbiosis api diff --format html``, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

from tests import base
from tests.test_gate import TINY_10 as OLD
from tests.test_gate import TINY_11 as NEW
from tests.test_gate_html import _Page
from tests.test_gate_html import external_references


def api_diff(*args: str, cwd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, '-m', 'symbiosis.cli._app', 'api', 'diff', OLD,
         NEW, *args], capture_output=True, text=True, timeout=120,
        cwd=cwd, check=False)


class TestApiDiffHtml(base.TestCase):

    def test_grouped_by_severity_with_locations_and_calls(self) -> None:
        proc = api_diff('--format', 'html', cwd=str(self.tmp))
        self.assertEqual(1, proc.returncode, proc.stderr)
        page = proc.stdout
        data = json.loads(api_diff('--format', 'json',
                                   cwd=str(self.tmp)).stdout)
        self.assertIn('api diff: tinylib 1.0.0 &rarr; 1.1.0', page)
        self.assertIn('required bump: <span class="badge c-major">major'
                      '</span>', page)
        self.assertEqual([], external_references(
            page.replace('href="#major"', '').replace(
                'href="#minor"', '')))
        parsed = _Page(page)
        groups = [str(a['data-severity']) for t, a in parsed.tags
                  if 'data-severity' in a]
        self.assertEqual(['major', 'minor'], groups)
        rows = [str(a['data-change']) for t, a in parsed.tags
                if 'data-change' in a]
        self.assertEqual(len(data['changes']), len(rows))
        # Most severe first, as the JSON counts them.
        majors = sum(1 for c in data['changes'] if c['severity'] == 'major')
        self.assertTrue(all(
            kind in {c['kind'] for c in data['changes']
                     if c['severity'] == 'major'}
            for kind in rows[:majors]))
        for change in data['changes']:
            self.assertIn(change['message'].replace("'", '&#39;'), page)
            where = change['location']
            self.assertIn(f"{where['file']}:{where['line']}", page)
        # The calls each breaking change breaks.
        self.assertIn('calls passing blocking= or passing 1 or more '
                      'positional arguments', page)
        self.assertIn('every use of tinylib.core.ParseError', page)
        self.assertIn('was tinylib/core.py:7', page)

    def test_output_file(self) -> None:
        out = self.tmp / 'diff.html'
        proc = api_diff('-f', 'html', '--output', str(out),
                        cwd=str(self.tmp))
        self.assertEqual(1, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        self.assertIn('tinylib.legacy_parse', out.read_text())
        # Under --fail-on the exit code follows the diff as before.
        proc = api_diff('-f', 'html', cwd=str(self.tmp))
        same = api_diff('-f', 'text', cwd=str(self.tmp))
        self.assertEqual(same.returncode, proc.returncode)
