"""A gate that judged nothing never passes: real gates, real processes.

Probes files that do not import, end their worker or hang at import;
commands that cannot run, whose runner is not installed or that run no
test: each gate exits 3 with the verdict ``nothing-judged`` and one line
saying why. A probes file no probe of which can ever run is bad input
(exit 2) before anything is built. An environment that cannot be built
is shown once in the text report, with its build log.
"""

from __future__ import annotations

import json
import subprocess

from symbiosis.gate._model import Classification
from symbiosis.gate._model import Verdict
from symbiosis.gate._runner import run_gate
from tests.test_gate import GateTestCase

GOOD = '''
import gatelib

def test_value():
    assert gatelib.value() == 1
'''


class JudgedTestCase(GateTestCase):

    def setUp(self) -> None:
        super().setUp()
        self.one, self.two = self.tiny_dists(
            'def value():\n    return 1\n', 'def value():\n    return 1\n')

    def probes(self, files: dict[str, str]) -> str:
        return str(self.write_tree(files, root='probes'))

    def gate_json(self, *args: str) -> tuple[
            subprocess.CompletedProcess[str], dict[str, object]]:
        proc = self.gate_cli('gatelib', '--baseline', self.one,
                             '--candidate', self.two, '--reruns', '0',
                             '--format', 'json', *args)
        return proc, json.loads(proc.stdout) if proc.stdout else {}


class TestNothingJudged(JudgedTestCase):

    def test_probes_that_never_load_judge_nothing(self) -> None:
        cases = {
            'raises': ('import gatelib\nraise RuntimeError("no config")\n'
                       '\ndef test_value():\n    pass\n',
                       'cannot import probes_raises.py:2: RuntimeError: '
                       'no config'),
            'exits': ('import os\nos._exit(7)\n\ndef test_value():\n'
                      '    pass\n',
                      'cannot import probes_exits.py: the worker died '
                      'while importing it (exit status 7)'),
            'needs': ('import symbiosis_not_installed_anywhere\n\n'
                      'def test_value():\n    pass\n',
                      "No module named 'symbiosis_not_installed_anywhere'"),
        }
        for name, (text, why) in cases.items():
            path = self.write_tree({f'probes_{name}.py': text},
                                   root=f'probes-{name}')
            proc, data = self.gate_json('--probes', str(path))
            self.assertEqual(3, proc.returncode, (name, proc.stderr))
            self.assertEqual('nothing-judged', data['verdict'], name)
            reason = str(data['verdict_reason'])
            self.assertIn(why, reason, name)
            self.assertTrue(reason.startswith(
                f'the probe could not be judged: probes_{name}.py::'
                'test_value: '), reason)
            self.assertEqual(['infra-error'], [
                r['classification'] for r in data['results']], name)
            # One line on standard error says why, whatever the format.
            self.assertIn(f'symbiosis: nothing-judged: {reason}\n',
                          proc.stderr)

    def test_commands_that_never_ran_a_test_judge_nothing(self) -> None:
        empty = self.write_tree({'tests/__init__.py': ''}, root='empty')
        for command, why in (
            # The environments hold gatelib only: no pytest.
            ('python -m pytest -q', 'the runner is not installed in the '
             'environment'),
            ('symbiosis-no-such-command -q', "cannot run "
             "'symbiosis-no-such-command': command not found"),
            (f'python -m unittest discover -s {empty}/tests -t {empty}',
             'ran no test'),
        ):
            proc, data = self.gate_json('--command', command)
            self.assertEqual(3, proc.returncode, (command, proc.stderr))
            self.assertEqual('nothing-judged', data['verdict'], command)
            self.assertIn(why, str(data['verdict_reason']), command)
            statuses = {(r['baseline']['status'], r['candidate']['status'])
                        for r in data['results']}
            self.assertEqual({('not-run', 'not-run')}, statuses)

    def test_the_text_report_says_why_and_junit_shows_errors(self) -> None:
        path = self.probes({'probes_raises.py':
                            'raise ValueError("bad probes")\n\n'
                            'def test_value():\n    pass\n'})
        proc = self.gate_cli('gatelib', '--baseline', self.one,
                             '--candidate', self.two, '--probes', path)
        self.assertEqual(3, proc.returncode, proc.stderr)
        lines = proc.stdout.rstrip().splitlines()
        self.assertEqual('verdict: nothing-judged', lines[-1])
        self.assertEqual(
            'reason: the probe could not be judged: probes_raises.py::'
            'test_value: cannot import probes_raises.py:1: ValueError: '
            'bad probes', lines[-2])
        junit = self.gate_cli('gatelib', '--baseline', self.one,
                              '--candidate', self.two, '--probes', path,
                              '--format', 'junit')
        self.assertEqual(3, junit.returncode, junit.stderr)
        # Neither side was judged: both testcases are errors, not passes.
        self.assertEqual(2, junit.stdout.count('<error '))
        self.assertIn('errors="1"', junit.stdout)

    def test_one_probe_that_ran_is_a_judgement(self) -> None:
        path = self.probes({
            'probes_good.py': GOOD,
            'probes_raises.py': 'raise ValueError("bad")\n\n'
                                'def test_other():\n    pass\n',
        })
        report = run_gate('gatelib', self.one, self.two, [path],
                          executor='sync', reruns=0, config=self.config)
        self.assertEqual(Verdict.PASS, report.verdict)
        self.assertEqual(0, report.exit_code)
        self.assertEqual(
            '1 of 2 probe(s) judged, none regressed; 1 could not be judged',
            report.verdict_reason)
        got = {r.probe: r.classification for r in report.results}
        self.assertEqual(Classification.INFRA_ERROR,
                         got['probes_raises.py::test_other'])

    def test_a_file_that_loads_on_the_baseline_only_regressed(self) -> None:
        # The upstream is why the candidate cannot load the probes.
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'raise ImportError("gone")\n')
        path = self.probes({'probes_good.py': GOOD})
        report = run_gate('gatelib', one, two, [path], executor='sync',
                          reruns=0, config=self.config)
        self.assertEqual(Verdict.REGRESSION, report.verdict)
        self.assertEqual('fail', report.results[0].candidate_status)


class TestBadProbes(JudgedTestCase):

    def test_probes_none_of_which_can_run_are_bad_input(self) -> None:
        path = self.probes({
            'probes_a.py': 'def test_x():\n    pass\n\nif (:\n',
            'probes_b.py': 'def test_y(:\n    pass\n',
        })
        proc = self.gate_cli('gatelib', '--baseline', self.one,
                             '--candidate', self.two, '--probes', path)
        self.assertEqual(2, proc.returncode, proc.stderr)
        self.assertEqual(
            'symbiosis: error: no probe can run: cannot import '
            'probes_a.py:4: SyntaxError: invalid syntax (and 1 more)',
            proc.stderr.strip())
        # Refused before any environment was built.
        envs = self.tmp / '_cache' / 'envs'
        self.assertFalse(envs.exists() and any(envs.iterdir()))

    def test_a_broken_file_among_good_ones_is_reported(self) -> None:
        path = self.probes({'probes_a.py': 'if (:\n',
                            'probes_good.py': GOOD})
        report = run_gate('gatelib', self.one, self.two, [path],
                          executor='sync', reruns=0, config=self.config)
        self.assertEqual(Verdict.PASS, report.verdict)
        got = {r.probe: r.classification for r in report.results}
        self.assertEqual({'probes_a.py': Classification.INFRA_ERROR,
                          'probes_good.py::test_value':
                              Classification.PASS}, got)


class TestEnvironmentFailures(JudgedTestCase):

    def test_a_failed_environment_is_shown_once(self) -> None:
        broken = self.make_dist(
            'gatelib', '9.0', {'gatelib/__init__.py': ''},
            requires=['no-such-distribution-symbiosis-test>=1'])
        path = self.probes({
            'probes_one.py': GOOD,
            'probes_two.py': GOOD.replace('test_value', 'test_again'),
            'probes_three.py': GOOD.replace('test_value', 'test_more'),
        })
        args = ('gatelib', '--baseline', self.one, '--candidate',
                str(broken.wheel), '--probes', path, '--reruns', '0')
        proc = self.gate_cli(*args)
        self.assertEqual(3, proc.returncode, proc.stderr)
        text = proc.stdout
        self.assertIn('ENVIRONMENT FAILURES (1)', text)
        self.assertIn(f'  candidate: {broken.wheel}', text)
        # The installer's words appear once, in the environment's log,
        # not under every probe.
        shown, _, rest = text.partition('INFRA-ERROR')
        self.assertIn('    | error: No solution found', shown)
        self.assertIn('no-such-distribution-symbiosis-test', shown)
        self.assertNotIn('no-such-distribution-symbiosis-test', rest)
        self.assertIn('    not run here: 3 probe(s): probes_one.py::'
                      'test_value, probes_three.py::test_more, '
                      'probes_two.py::test_again', text)
        self.assertIn('INFRA-ERROR (3)\n  3 not run: an environment could '
                      'not be built (see above)\n', text)
        self.assertIn('verdict: infra-error', text)
        # JSON keeps every probe's data, and lists the failure once.
        data = json.loads(self.gate_cli(*args, '--format', 'json').stdout)
        self.assertEqual(3, len(data['results']))
        self.assertIn('no-such-distribution-symbiosis-test',
                      json.dumps(data['results'][0]['candidate']))
        [failure] = data['environment_failures']
        self.assertEqual('candidate', failure['side'])
        self.assertEqual(str(broken.wheel), failure['spec'])
        self.assertIn('no-such-distribution-symbiosis-test',
                      failure['log'])
        self.assertEqual(3, len(failure['probes']))
        self.assertEqual('infra-error', data['verdict'])
        self.assertIn('candidate: the environment could not be built',
                      data['verdict_reason'])
