"""``symbiosis report upstream``: bug reports made from real gate reports.

The gate runs for real (uv environments, probe processes) on the bundled
tinylib example and on wheels built here; the reports' reproducers are
run as scripts by the environments' interpreters, where they must fail on
the candidate and pass on the baseline.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
import textwrap
from typing import Any

from symbiosis.config import Config
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._upstream_report.build import build_reports
from symbiosis.gate._upstream_report.failure import trim_traceback
from symbiosis.gate._upstream_report.redact import Redactor
from symbiosis.gate._upstream_report.reproducer import cut_probe
from symbiosis.gate._upstream_report.tracker import choose_tracker
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from tests import base

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / 'symbiosis' / \
    'examples'
TINY_REGRESSIONS = (
    'probes_tinylib.py::test_parse_tolerates_lines_without_separator',
    'probes_tinylib.py::test_parse_error_importable_from_core',
    'probes_tinylib.py::test_lock_is_reentrant',
)
#: A secret the gate's probes see in their environment.
TOKEN = 's3cr3t-t0ken-4242'


class CliCase(base.TestCase):

    def cli(self, *args: str, env: dict[str, str] | None = None,
            timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', *args],
            capture_output=True, text=True, timeout=timeout,
            env=dict(os.environ, SYMBIOSIS_OFFLINE='1', **(env or {})),
            cwd=str(self.tmp), check=False)

    def gate(self, *args: str, env: dict[str, str] | None = None
             ) -> pathlib.Path:
        out = self.tmp / 'gate.json'
        proc = self.cli('gate', *args, '--format', 'json', '--output',
                        str(out), env=env)
        self.assertEqual(1, proc.returncode, proc.stderr)
        return out

    def run_script(self, python: str, text: str
                   ) -> subprocess.CompletedProcess[str]:
        script = self.tmp / 'reproduce.py'
        script.write_text(text, encoding='utf-8')
        return subprocess.run(
            [python, str(script)], capture_output=True, text=True,
            timeout=60, cwd=str(self.tmp), check=False,
            env={'PATH': os.environ.get('PATH', '')})

    def interpreters(self, gate_json: pathlib.Path) -> dict[str, str]:
        data = json.loads(gate_json.read_text(encoding='utf-8'))
        return {e['side']: e['interpreter'] for e in data['environments']}


class TestTinylib(CliCase):
    """The bundled example, end to end."""

    def test_reports_every_regression_with_runnable_reproducers(self
                                                                ) -> None:
        gate_json = self.gate(
            'tinylib', '--baseline', str(EXAMPLES / 'tinylib-1.0'),
            '--candidate', str(EXAMPLES / 'tinylib-1.1'),
            '--probes', str(EXAMPLES / 'probes_tinylib.py'))
        proc = self.cli('report', 'upstream', str(gate_json), '-f', 'json')
        self.assertEqual(0, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual(1, data['schema_version'])
        self.assertEqual([], data['skipped'])
        reports = {r['probe']: r for r in data['reports']}
        self.assertEqual(set(TINY_REGRESSIONS), set(reports))
        parse = reports[TINY_REGRESSIONS[0]]
        self.assertEqual(
            "tinylib 1.1.0: parse() raises ParseError: line 1: no '=' "
            '(1.0.0 passed)', parse['title'])
        self.assertEqual({'spec': str(EXAMPLES / 'tinylib-1.1'),
                          'version': '1.1.0'}, parse['candidate'])
        self.assertEqual('1.0.0', parse['baseline']['version'])
        self.assertEqual(
            '.'.join(map(str, sys.version_info[:3])), parse['python'])
        self.assertNotEqual('unknown', parse['platform'])
        # tinylib's metadata names no URL: where to file is unknown.
        self.assertEqual({'url': 'unknown', 'label': '', 'kind': 'unknown',
                          'origin': 'none'}, parse['tracker'])
        self.assertIn('File at: unknown', parse['body'])
        # The traceback keeps the probe's frame and the upstream's only.
        trace = parse['failure']['traceback']
        self.assertIn('File "probes_tinylib.py", line 19', trace)
        self.assertIn('File "site-packages/tinylib/core.py"', trace)
        self.assertNotIn('/envs/', trace)
        moved = reports[TINY_REGRESSIONS[1]]
        self.assertEqual(
            ['tinylib.core.ParseError: tinylib.core.ParseError moved to '
             'tinylib.errors.ParseError'], moved['explanation'])
        self.assertIn('## What the API diff says', moved['body'])
        self.assertEqual([], parse['explanation'])
        self.assertIn('passed with tinylib 1.0.0 (2 of 2 run(s))',
                      parse['baseline_passed'])
        # Each reproducer is a script: it fails on the candidate and
        # passes on the baseline, with nothing but tinylib installed.
        python = self.interpreters(gate_json)
        for probe, report in reports.items():
            repro = report['reproducer']
            self.assertEqual('script', repro['kind'], probe)
            self.assertNotIn('symbiosis', repro['text'].split('"""')[2])
            bad = self.run_script(python['candidate'], repro['text'])
            self.assertEqual(1, bad.returncode, probe)
            self.assertIn(report['failure']['message'].split(' (')[0],
                          bad.stderr)
            good = self.run_script(python['baseline'], repro['text'])
            self.assertEqual(0, good.returncode, good.stderr)
            name = probe.rpartition('::')[2]
            self.assertEqual(f'{name}: passed\n', good.stdout)

    def test_markdown_to_a_file_and_one_probe(self) -> None:
        gate_json = self.gate(
            'tinylib', '--baseline', str(EXAMPLES / 'tinylib-1.0'),
            '--candidate', str(EXAMPLES / 'tinylib-1.1'),
            '--probes', str(EXAMPLES / 'probes_tinylib.py'))
        out = self.tmp / 'issue.md'
        proc = self.cli('report', 'upstream', str(gate_json), '--probe',
                        TINY_REGRESSIONS[2], '--output', str(out))
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        text = out.read_text(encoding='utf-8')
        self.assertTrue(text.startswith(
            '# tinylib 1.1.0: test_lock_is_reentrant fails: Lock '
            'deadlocked when re-acquired (1.0.0 passed)\n'), text)
        for heading in ('## Environment', '## Reproducer', '## Failure',
                        '## On the baseline'):
            self.assertIn(f'\n{heading}\n', text)
        self.assertNotIn('## What the API diff says', text)
        self.assertIn("pip install 'tinylib==1.1.0'", text)
        self.assertEqual(1, len(re.findall('^# ', text, re.MULTILINE)))
        # A passing probe named: nothing to report, said on one line.
        proc = self.cli('report', 'upstream', str(gate_json), '--probe',
                        'probes_tinylib.py::test_render_round_trips')
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        self.assertIn('nothing to report', proc.stderr)
        self.assertEqual(1, len(proc.stderr.splitlines()))


GATELIB_1 = '''
def value():
    return 1


def fetch():
    return 'ok'
'''
GATELIB_2 = '''
import os


def value():
    return 2


def fetch():
    raise RuntimeError(
        'cannot reach https://alice:hunter22@index.example.org/simple '
        'with token ' + os.environ.get('GATELIB_TOKEN', ''))
'''
PROBES = '''
"""Probes of gatelib."""

import gatelib
from symbiosis.probes import probe

EXPECTED = 1


def expected():
    return EXPECTED


@probe(timeout=30)
def test_value():
    assert gatelib.value() == expected(), 'value changed'


def test_fetch():
    assert gatelib.fetch() == 'ok'


def test_unrelated():
    assert True
'''


class TestRealGate(CliCase):
    """Wheels built here, with project URLs, a command probe and
    secrets in the failures."""

    def setUp(self) -> None:
        super().setUp()
        urls = {'Source': 'https://github.com/example/gatelib',
                'Bug Tracker': 'https://tracker.example.org/gatelib'}
        one = self.make_dist('gatelib', '1.0', {
            'gatelib/__init__.py': GATELIB_1}, project_urls=urls)
        two = self.make_dist('gatelib', '2.0', {
            'gatelib/__init__.py': GATELIB_2}, project_urls=urls)
        self.probes = self.tmp / 'probes' / 'probes_gatelib.py'
        self.probes.parent.mkdir()
        self.probes.write_text(textwrap.dedent(PROBES), encoding='utf-8')
        command = ('{python} -c "import gatelib; '
                   'assert gatelib.value() == 1"')
        self.gate_json = self.gate(
            'gatelib', '--baseline', str(one.wheel), '--candidate',
            str(two.wheel), '--probes', str(self.probes),
            '--command', command, '--reruns', '0',
            env={'GATELIB_TOKEN': TOKEN})

    def report(self, *args: str, path: pathlib.Path | None = None
               ) -> dict[str, Any]:
        proc = self.cli(
            'report', 'upstream', str(path or self.gate_json), '-f',
            'json', *args,
            env={'GATELIB_TOKEN': TOKEN, 'HOME': str(self.tmp)})
        self.assertEqual(0, proc.returncode, proc.stderr)
        data: dict[str, Any] = json.loads(proc.stdout)
        return data

    def test_tracker_reproducer_command_and_redaction(self) -> None:
        data = self.report()
        reports = {r['probe']: r for r in data['reports']}
        self.assertEqual({'probes_gatelib.py::test_value',
                          'probes_gatelib.py::test_fetch',
                          'commands::command'}, set(reports))
        value = reports['probes_gatelib.py::test_value']
        self.assertEqual({'url': 'https://tracker.example.org/gatelib',
                          'label': 'Bug Tracker', 'kind': 'tracker',
                          'origin': 'report'}, value['tracker'])
        self.assertIn('File at: <https://tracker.example.org/gatelib>',
                      value['body'])
        self.assertEqual(
            'gatelib 2.0: test_value fails: value changed (1.0 passed)',
            value['title'])
        script = value['reproducer']['text']
        # The helper and the constant it reads come along; the @probe
        # decorator, its import and the other probes stay behind.
        self.assertIn('def expected():', script)
        self.assertIn('EXPECTED = 1', script)
        self.assertNotIn('probe', script.split('"""')[2].replace(
            'test_value', ''))
        self.assertNotIn('test_unrelated', script)
        python = self.interpreters(self.gate_json)
        self.assertEqual(
            1, self.run_script(python['candidate'], script).returncode)
        self.assertEqual(
            0, self.run_script(python['baseline'], script).returncode)
        # The command probe: its command line, and the release to install.
        command = reports['commands::command']['reproducer']
        self.assertEqual('command', command['kind'])
        self.assertIn("pip install 'gatelib==2.0'", command['text'])
        self.assertIn("python -c 'import gatelib; assert gatelib.value() "
                      "== 1'", command['text'])
        self.assertEqual(
            'gatelib 2.0: commands::command fails: exit status 1 '
            '(1.0 passed)', reports['commands::command']['title'])
        self.assertIn('fails with 2.0 and passes with 1.0',
                      command['note'])
        # Secrets: the token, the URL's credentials, the home directory.
        fetch = reports['probes_gatelib.py::test_fetch']
        self.assertEqual('RuntimeError: cannot reach '
                         'https://***@index.example.org/simple with token '
                         '$GATELIB_TOKEN', fetch['failure']['message'])
        self.assertEqual('fetch', fetch['title'].split(': ')[1][:5])
        text = json.dumps(data)
        for secret in (TOKEN, 'hunter22', 'alice', str(self.tmp)):
            self.assertNotIn(secret, text)
        self.assertIn('~/probes/probes_gatelib.py',
                      value['reproducer']['source'])

    def test_older_report_falls_back_to_the_cache(self) -> None:
        data = json.loads(self.gate_json.read_text(encoding='utf-8'))
        del data['context']
        old = self.tmp / 'old.json'
        old.write_text(json.dumps(data), encoding='utf-8')
        report = self.report('--probe', 'probes_gatelib.py::test_value',
                             path=old)['reports'][0]
        # The candidate's environment is still in the cache.
        self.assertEqual('cache', report['tracker']['origin'])
        self.assertEqual('https://tracker.example.org/gatelib',
                         report['tracker']['url'])
        self.assertEqual('unknown', report['platform'])
        # The probes file, found from the traceback.
        self.assertEqual('script', report['reproducer']['kind'])
        # Neither the environments nor the probes file any more.
        for env in data['environments']:
            env['path'] = str(self.tmp / 'gone')
        old.write_text(json.dumps(data), encoding='utf-8')
        self.probes.rename(self.tmp / 'elsewhere.py')
        report = self.report('--probe', 'probes_gatelib.py::test_value',
                             path=old)['reports'][0]
        self.assertEqual('unknown', report['tracker']['url'])
        repro = report['reproducer']
        self.assertEqual('excerpt', repro['kind'])
        self.assertIn('probes_gatelib.py was not found', repro['note'])
        self.assertIn("assert gatelib.value() == expected(), 'value "
                      "changed'", repro['text'])


class TestSeveralCandidates(CliCase):
    """A gate of several candidates: each regression is told against
    the candidate it was found on."""

    def test_each_regression_names_its_own_candidate(self) -> None:
        wheels = {version: self.make_dist('gatelib', version, {
            'gatelib/__init__.py': text}).wheel
            for version, text in (('1.0', GATELIB_1), ('1.5', GATELIB_1),
                                  ('2.0', GATELIB_2))}
        probes = self.tmp / 'probes_gatelib.py'
        probes.write_text(textwrap.dedent(PROBES), encoding='utf-8')
        gate_json = self.gate(
            'gatelib', '--baseline', str(wheels['1.0']), '--candidate',
            str(wheels['1.5']), '--candidate', str(wheels['2.0']),
            '--probes', str(probes), '--reruns', '0')
        proc = self.cli('report', 'upstream', str(gate_json), '-f', 'json')
        self.assertEqual(0, proc.returncode, proc.stderr)
        reports = json.loads(proc.stdout)['reports']
        self.assertEqual(
            {'probes_gatelib.py::test_value',
             'probes_gatelib.py::test_fetch'},
            {r['probe'] for r in reports})
        for report in reports:
            self.assertEqual('2.0', report['candidate']['version'])
            self.assertEqual('1.0', report['baseline']['version'])
            self.assertTrue(report['title'].startswith('gatelib 2.0: '),
                            report['title'])
            self.assertIn("pip install 'gatelib==2.0'",
                          report['reproducer']['text'])


def _outcome(probe: str, status: OutcomeStatus) -> Outcome:
    return Outcome(probe, status, message='' if status is
                   OutcomeStatus.PASS else 'AssertionError: no')


def _result(probe: str, classification: Classification) -> ProbeResult:
    fail = classification is not Classification.PASS
    return ProbeResult(
        probe, (_outcome(probe, OutcomeStatus.PASS),),
        (_outcome(probe, OutcomeStatus.FAIL if fail
                  else OutcomeStatus.PASS),), classification)


class TestBadInput(CliCase):
    """Bad input exits 2 with one line naming it; nothing to report
    exits 0 with one line."""

    def write(self, name: str, data: Any) -> str:
        path = self.tmp / name
        path.write_text(data if isinstance(data, str) else json.dumps(data),
                        encoding='utf-8')
        return str(path)

    def gate_report(self, *results: ProbeResult) -> dict[str, Any]:
        return GateReport('lib', '1.0', '2.0', results=results).to_json()

    def assert_one_line(self, code: int, path: str, *args: str) -> str:
        proc = self.cli('report', 'upstream', path, *args)
        self.assertEqual(code, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        self.assertEqual(1, len(proc.stderr.splitlines()), proc.stderr)
        self.assertIn(path, proc.stderr)
        return proc.stderr

    def test_bad_input(self) -> None:
        self.assertIn('not JSON', self.assert_one_line(
            2, self.write('a.json', '{not json')))
        self.assertIn('not a gate report', self.assert_one_line(
            2, self.write('b.json', {'results': []})))
        self.assertIn('not a gate report', self.assert_one_line(
            2, self.write('c.json', [1, 2])))
        self.assertIn('cannot read', self.assert_one_line(
            2, str(self.tmp / 'missing.json')))
        passing = self.write('pass.json', self.gate_report(
            _result('p.py::test_a', Classification.PASS)))
        self.assertIn('no regression', self.assert_one_line(2, passing))
        regressed = self.write('reg.json', self.gate_report(
            _result('p.py::test_a', Classification.REGRESSION)))
        self.assertIn("no probe 'p.py::test_b'", self.assert_one_line(
            2, regressed, '--probe', 'p.py::test_b'))

    def test_only_flaky_and_infra_errors_exit_0(self) -> None:
        path = self.write('flaky.json', self.gate_report(
            _result('p.py::test_a', Classification.FLAKY),
            _result('p.py::test_b', Classification.INFRA_ERROR),
            _result('p.py::test_c', Classification.PASS)))
        line = self.assert_one_line(0, path)
        self.assertIn('nothing to report: 2 result(s) left out '
                      '(flaky, infra-error)', line)
        line = self.assert_one_line(0, path, '--probe', 'p.py::test_a')
        self.assertIn('(flaky)', line)

    def test_flaky_left_out_beside_a_regression(self) -> None:
        report = GateReport.from_json(self.gate_report(
            _result('p.py::test_a', Classification.FLAKY),
            _result('p.py::test_b', Classification.REGRESSION)))
        found = build_reports(report, config=Config(), name='r.json')
        self.assertEqual(['p.py::test_b'],
                         [r.probe for r in found.reports])
        self.assertEqual((('p.py::test_a', 'flaky'),), found.skipped)
        repro = found.reports[0].reproducer
        self.assertEqual('excerpt', repro.kind)
        self.assertIn('p.py was not found', repro.note)


class TestPieces(base.TestCase):

    def test_redaction(self) -> None:
        redact = Redactor(home='/home/alice', environ={
            'API_TOKEN': 'tok-1234567890', 'SHORT': 'abc', 'DEBUG': '1',
            'COUNT': '123456789', 'WORKSPACE': '/work/project',
            'PWD': '/work'})
        self.assertEqual(
            'File "~/probes/p.py" and ~ but not /home/alicex; '
            'https://***@host/simple, git+ssh://***@forge/x; '
            '$API_TOKEN in tok-1234567890x; abc 1 123456789; '
            '$WORKSPACE/src /work/x',
            redact('File "/home/alice/probes/p.py" and /home/alice but '
                   'not /home/alicex; https://u:p4ss@host/simple, '
                   'git+ssh://token@forge/x; tok-1234567890 in '
                   'tok-1234567890x; abc 1 123456789; /work/project/src '
                   '/work/x'))
        self.assertEqual('', redact(''))

    def test_cut_a_testcase_method(self) -> None:
        text = textwrap.dedent('''
            import unittest

            import lib


            class T(unittest.TestCase):
                def setUp(self):
                    self.x = 1

                def test_a(self):
                    lib.a()

                def test_b(self):
                    lib.b(self.x)
        ''')
        script = cut_probe(text, 'p.py::T::test_b')
        self.assertIn('def setUp(self):', script)
        self.assertIn('def test_b(self):', script)
        self.assertNotIn('test_a', script)
        self.assertIn("unittest.main(argv=[__file__, 'T.test_b'])", script)
        compile(script, 'reproduce.py', 'exec')
        self.assertRaises(LookupError, cut_probe, text, 'p.py::T::test_x')
        self.assertRaises(LookupError, cut_probe, text, 'p.py::T')

    def test_trim_traceback(self) -> None:
        text = textwrap.dedent('''\
            Traceback (most recent call last):
              File "/home/a/probes/p.py", line 3, in test_x
                lib.run()
              File "/env/lib/python3.11/site-packages/lib/core.py", line 9, in run
                helper()
              File "/usr/lib/python3.11/threading.py", line 1, in wait
                x
              File "/usr/lib/python3.11/threading.py", line 2, in inner
                y
            ValueError: boom
        ''')  # noqa: E501 - a real traceback's line
        trimmed, functions = trim_traceback(text, 'p.py', {'lib'})
        self.assertEqual(textwrap.dedent('''\
            Traceback (most recent call last):
              File "p.py", line 3, in test_x
                lib.run()
              File "site-packages/lib/core.py", line 9, in run
                helper()
              [... 2 frame(s) elsewhere ...]
            ValueError: boom'''), trimmed)
        self.assertEqual(['run'], functions)

    def test_tracker_choice(self) -> None:
        def url(urls: dict[str, str]) -> tuple[str | None, str]:
            found = choose_tracker(urls, 'report')
            return found.url, found.kind

        self.assertEqual(('https://bugs.example.org', 'tracker'), url({
            'Homepage': 'https://example.org',
            'Issues': 'https://bugs.example.org'}))
        self.assertEqual(('https://gitlab.com/o/lib/issues', 'forge'), url({
            'Home-page': 'https://example.org',
            'Source Code': 'https://gitlab.com/o/lib.git'}))
        self.assertEqual(('https://example.org', 'home'), url({
            'Home-page': 'https://example.org'}))
        self.assertEqual((None, 'unknown'), url({}))

    def test_context_of_a_command_in_two_downstreams(self) -> None:
        from symbiosis.gate._context import gate_context
        from symbiosis.probes._kinds.command import command_probe

        one = command_probe('command', 'pytest -q', cwd='/d/one')
        two = command_probe('command', 'pytest -q', cwd='/d/two')
        probes = gate_context('lib', [], {'one': [one]})['probes']
        self.assertEqual({'commands::command': {
            'kind': 'command', 'command': 'pytest -q', 'cwd': '/d/one'}},
            probes)
        # Each downstream runs it in its own directory: none is named.
        probes = gate_context('lib', [], {'one': [one], 'two': [two]})[
            'probes']
        self.assertEqual({'commands::command': {
            'kind': 'command', 'command': 'pytest -q'}}, probes)

    def test_titles(self) -> None:
        from symbiosis.gate._upstream_report.failure import failure_title

        hung = Outcome('p.py::test_a', OutcomeStatus.TIMEOUT,
                       cause='probe-timeout')
        self.assertEqual('lib 2.0: test_a hangs (timed out) (1.0 passed)',
                         failure_title('lib', '2.0', '1.0', 'test_a', hung,
                                       []))
        raised = Outcome('p.py::test_a', OutcomeStatus.FAIL,
                         message='lib.errors.Bad: ' + 'x' * 200)
        title = failure_title('lib', '2.0', '1.0', 'test_a', raised,
                              ['<module>', 'run'])
        self.assertTrue(title.startswith('lib 2.0: run() raises Bad: xxx'))
        self.assertTrue(title.endswith('... (1.0 passed)'))
