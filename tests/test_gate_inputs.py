"""Gate inputs end to end: git SPECs, several Pythons, --exclude-newer,
and a worker killed by a signal.

Real git repositories, real uv environments and real probe processes;
nothing needs the package index.
"""

from __future__ import annotations

import json
import logging
import os
import pathlib
import shutil
import subprocess
import sys

import fixtures

from symbiosis.gate._environments.base import MARKER
from symbiosis.gate._environments.interpreters import InterpreterFinder
from symbiosis.gate._environments.interpreters import distinct_interpreters
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._progress import ProgressEvent
from symbiosis.gate._runner import run_gate
from tests import test_gate

PYTHON_VERSION = f'{sys.version_info.major}.{sys.version_info.minor}'


def _git(repo: pathlib.Path, *args: str) -> None:
    subprocess.run(
        ['git', '-c', 'user.name=Gate Test', '-c',
         'user.email=gate@example.invalid', '-c', 'commit.gpgsign=false',
         '-c', 'tag.gpgsign=false', *args],
        cwd=str(repo), check=True, capture_output=True, timeout=60,
    )


class TestGitSpecs(test_gate.GateTestCase):

    def make_repo(self) -> pathlib.Path:
        """A repository holding tinylib 1.0 (tag v1.0) then 1.1 (v1.1)."""
        repo = self.tmp / 'repo'
        repo.mkdir()
        _git(repo, 'init', '-q')
        for version, tree in (('1.0', test_gate.TINY_10),
                              ('1.1', test_gate.TINY_11)):
            for child in repo.iterdir():
                if child.name != '.git':
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            shutil.copytree(tree, repo, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(
                                '__pycache__', '*.egg-info', 'build'))
            _git(repo, 'add', '-A')
            _git(repo, 'commit', '-q', '-m', f'tinylib {version}')
            _git(repo, 'tag', f'v{version}')
        return repo

    def test_git_refs_as_baseline_and_candidate(self) -> None:
        if shutil.which('git') is None:
            self.skipTest('git is not installed')
        repo = self.make_repo()
        report = run_gate(
            'tinylib', 'git:v1.0', 'git:v1.1', [test_gate.TINY_PROBES],
            reruns=0, config=self.config, repo=str(repo), explain=False)
        self.assertEqual('git:v1.0', report.baseline)
        self.assertEqual('git:v1.1', report.candidate)
        got = {r.probe: r.classification.value for r in report.results}
        self.assertEqual(test_gate.PROBE_IDS, got)
        self.assertEqual(1, report.exit_code)
        # Each side is installed from its own export of the commit, never
        # from the working tree.
        installs = {e.side: e.spec for e in report.environments}
        self.assertEqual({'baseline', 'candidate'}, set(installs))
        self.assertNotEqual(installs['baseline'], installs['candidate'])
        for install in installs.values():
            self.assertFalse(install.startswith(str(repo)), install)

    def test_unknown_git_ref_exit_2(self) -> None:
        if shutil.which('git') is None:
            self.skipTest('git is not installed')
        repo = self.make_repo()
        proc = self.gate_cli(
            'tinylib', '--baseline', 'git:v1.0', '--candidate', 'git:v9.9',
            '--probes', test_gate.TINY_PROBES, '--repo', str(repo))
        self.assertEqual(2, proc.returncode, proc.stderr)
        self.assertIn('v9.9', proc.stderr)


class TestPythons(test_gate.GateTestCase):

    def test_same_interpreter_by_path_and_by_version(self) -> None:
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 2\n')
        probes = self.write_tree({'probes_py.py': '''
            import gatelib

            def test_value():
                assert gatelib.value() == 1

            def test_import():
                assert gatelib
        '''}, root='probes') / 'probes_py.py'
        pythons = [sys.executable, PYTHON_VERSION]
        events: list[ProgressEvent] = []
        report = run_gate(
            'gatelib', one, two, [str(probes)], pythons=pythons,
            executor='thread', reruns=0, config=self.config,
            progress=events.append)
        # One interpreter named by its path and by its version is one
        # variant (the first name kept): 2 probes x 2 sides ran once.
        self.assertEqual(('done', 4, 4, 1), (
            events[-1].kind, events[-1].done, events[-1].total,
            events[-1].regressions))
        self.assertEqual(
            [('baseline', sys.executable), ('candidate', sys.executable)],
            [(e.side, e.python) for e in report.environments])
        got = {(r.python, r.probe): r.classification for r in report.results}
        self.assertEqual({
            (None, 'probes_py.py::test_value'): Classification.REGRESSION,
            (None, 'probes_py.py::test_import'): Classification.PASS,
        }, got)
        for result in report.results:
            self.assertEqual(1, len(result.baseline))
            self.assertEqual(1, len(result.candidate))
        # Another interpreter's version stays a variant of its own.
        finder = InterpreterFinder()
        other = next((v for v in ('3.10', '3.11', '3.12', '3.13')
                      if v != PYTHON_VERSION and finder.find(v)), None)
        self.assertEqual((sys.executable,), distinct_interpreters(
            [sys.executable, PYTHON_VERSION, sys.executable]))
        if other is not None:
            self.assertEqual(
                (sys.executable, other),
                distinct_interpreters([sys.executable, PYTHON_VERSION, other]))

    def test_same_python_twice_is_one_variant(self) -> None:
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 1\n')
        probes = self.write_tree({'probes_py.py': '''
            import gatelib

            def test_value():
                assert gatelib.value() == 1
        '''}, root='probes') / 'probes_py.py'
        proc = self.gate_cli(
            'gatelib', '--baseline', one, '--candidate', two,
            '--probes', str(probes), '--python', PYTHON_VERSION,
            '--python', PYTHON_VERSION, '--reruns', '0', '--format', 'json')
        self.assertEqual(0, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual(2, len(data['environments']))
        self.assertEqual(1, len(data['results']))
        result = data['results'][0]
        self.assertEqual('pass', result['classification'])
        self.assertEqual(1, len(result['candidate']['attempts']))


class TestExcludeNewer(test_gate.GateTestCase):

    def test_passed_to_uv_and_part_of_the_environment(self) -> None:
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 1\n')
        probes = self.write_tree({'probes_date.py': '''
            import gatelib

            def test_value():
                assert gatelib.value() == 1
        '''}, root='probes') / 'probes_date.py'
        logger = self.useFixture(fixtures.FakeLogger(
            name='symbiosis.gate._environments.base', level=logging.DEBUG,
            format='%(message)s'))
        date = '2024-01-02'
        dated = run_gate('gatelib', one, two, [str(probes)], reruns=0,
                         exclude_newer=date, config=self.config,
                         environment='uv')
        self.assertEqual('pass', dated.verdict.value)
        installs = [line for line in logger.output.splitlines()
                    if ' pip install ' in line]
        self.assertEqual(2, len(installs), logger.output)
        for line in installs:
            self.assertIn(f'--exclude-newer {date}', line)
        # The marker records the date, and it is part of the key: the
        # same gate without it gets other environments.
        for env in dated.environments:
            marker = json.loads(
                (pathlib.Path(env.path) / MARKER).read_text())
            self.assertEqual(date, marker['spec']['exclude_newer'])
        undated = run_gate('gatelib', one, two, [str(probes)], reruns=0,
                           config=self.config, environment='uv')
        self.assertFalse({e.key for e in dated.environments}
                         & {e.key for e in undated.environments})
        for env in undated.environments:
            marker = json.loads(
                (pathlib.Path(env.path) / MARKER).read_text())
            self.assertIsNone(marker['spec']['exclude_newer'])


class TestInputValues(test_gate.GateTestCase):
    """The values a gate refuses before building anything, as a library
    caller meets them (the command line's are in test_cli_inputs)."""

    #: (value, accepted): the forms uv's --exclude-newer reads, and some
    #: it does not.
    EXCLUDE_NEWER = (
        ('2024-01-02', True), ('2024-01-02T03:04:05Z', True),
        ('2024-01-02T03:04:05+02:00', True), ('2024-01-02 03:04:05Z', True),
        ('20240102', True), ('30 days', True), ('1 week ago', True),
        ('2h 30m', True), ('P30D', True), ('PT24H', True),
        ('yesterday', False), ('2024-13-45', False), ('1 month', False),
        ('P1Y', False), ('1.5 days', False), ('', False),
    )

    def test_exclude_newer_forms_agree_with_uv(self) -> None:
        from symbiosis import exception
        from symbiosis.gate._environments.uv import find_uv
        from symbiosis.gate._inputs import check_exclude_newer

        uv = find_uv()
        for value, accepted in self.EXCLUDE_NEWER:
            if accepted:
                self.assertEqual(value, check_exclude_newer(value))
            else:
                err = self.assertRaises(exception.InputError,
                                        check_exclude_newer, value)
                self.assertIn(repr(value), str(err))
            if uv is None or not value:
                continue
            # The installer is the authority: it reads what is accepted.
            ran = subprocess.run(
                [uv, 'pip', 'compile', '--offline', '--no-header',
                 f'--exclude-newer={value}', '-'],
                input='', capture_output=True, text=True, check=False)
            self.assertEqual(accepted, ran.returncode == 0,
                             f'{value!r}: {ran.stderr}')

    def test_gate_refuses_bad_values(self) -> None:
        from symbiosis import exception
        from symbiosis.gate._runner import Gate

        for options in ({'exclude_newer': 'yesterday'},
                        {'timeout': float('nan')}, {'timeout': 0.0},
                        {'reruns': -1}, {'workers': -2}):
            self.assertRaises(exception.InputError, Gate, 'tinylib',
                              test_gate.TINY_10, test_gate.TINY_11,
                              [test_gate.TINY_PROBES], config=self.config,
                              **options)

    def test_missing_resume_file(self) -> None:
        from symbiosis import exception

        missing = str(self.tmp / 'earlier.json')
        err = self.assertRaises(
            exception.InputError, run_gate, 'tinylib', test_gate.TINY_10,
            test_gate.TINY_11, [test_gate.TINY_PROBES], config=self.config,
            resume=missing)
        self.assertIn(missing, str(err))

    def test_python_that_names_no_interpreter(self) -> None:
        from symbiosis import exception
        from symbiosis.gate._environments.base import load_environment
        from symbiosis.gate._environments.uv import find_uv

        for kind in ['venv'] + (['uv'] if find_uv() else []):
            plugin = load_environment(kind, self.config)
            plugin.check_python(sys.executable)
            plugin.check_python(PYTHON_VERSION)
            for python in (str(self.tmp / 'python'), '9.99'):
                err = self.assertRaises(exception.InputError,
                                        plugin.check_python, python)
                self.assertIn(f'--python {python}: no such interpreter',
                              str(err))


class TestWorkerKilled(test_gate.GateTestCase):
    """A worker killed by a signal (as by the OOM killer) is infra-error.
    """

    PROBES = '''
        import os
        import signal

        import gatelib

        def test_before():
            assert gatelib.value() >= 1

        def test_killed():
            gatelib.maybe_die()

        def test_after():
            assert gatelib.value() >= 1
    '''

    def run_case(self, baseline_dies: bool,
                 candidate_dies: bool) -> GateReport:
        die = ('import os, signal\n'
               'def maybe_die():\n'
               '    os.kill(os.getpid(), signal.SIGKILL)\n')
        live = 'def maybe_die():\n    pass\n'
        one, two = self.tiny_dists(
            'def value():\n    return 1\n' + (die if baseline_dies else live),
            'def value():\n    return 1\n' + (die if candidate_dies else live),
        )
        probes = self.write_tree({'probes_kill.py': self.PROBES},
                                 root='probes') / 'probes_kill.py'
        return run_gate('gatelib', one, two, [str(probes)], reruns=1,
                        executor='thread', config=self.config)

    def test_killed_on_both_sides(self) -> None:
        report = self.run_case(True, True)
        by_id = {r.probe.rpartition('::')[2]: r
                 for r in report.results}
        killed = by_id['test_killed']
        self.assertEqual(Classification.INFRA_ERROR, killed.classification)
        self.assertEqual('infra', killed.candidate_status)
        self.assertEqual('infra', killed.baseline_status)
        outcome = killed.candidate[0]
        self.assertEqual('worker-crashed', outcome.cause)
        self.assertIn('SIGKILL', outcome.message)
        # The probes after it ran in a fresh worker and were judged.
        self.assertEqual(Classification.PASS,
                         by_id['test_before'].classification)
        self.assertEqual(Classification.PASS,
                         by_id['test_after'].classification)
        self.assertEqual('pass',
                         report.verdict.value)

    def test_killed_on_the_candidate_only_is_not_a_regression(self) -> None:
        report = self.run_case(False, True)
        by_id = {r.probe.rpartition('::')[2]: r
                 for r in report.results}
        killed = by_id['test_killed']
        self.assertEqual(Classification.INFRA_ERROR, killed.classification)
        self.assertEqual('pass', killed.baseline_status)
        self.assertEqual('infra', killed.candidate_status)
        # Re-run on both sides before the verdict, crashed both times.
        self.assertEqual(2, len(killed.candidate))
        self.assertEqual(0, report.exit_code)

    def test_only_crashes_exit_3(self) -> None:
        one, two = self.tiny_dists(
            'import os, signal\n'
            'os.kill(os.getpid(), signal.SIGKILL)\n',
            'import os, signal\n'
            'os.kill(os.getpid(), signal.SIGKILL)\n',
        )
        probes = self.write_tree({'probes_kill.py': '''
            import gatelib

            def test_one():
                assert gatelib
        '''}, root='probes') / 'probes_kill.py'
        proc = self.gate_cli(
            'gatelib', '--baseline', one, '--candidate', two,
            '--probes', str(probes), '--reruns', '0', '--format', 'json')
        self.assertEqual(3, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual('infra-error', data['verdict'])
        self.assertEqual(['infra-error'],
                         [r['classification'] for r in data['results']])
        self.assertIn('SIGKILL', data['results'][0]['detail'])
        self.assertNotIn('regression', os.linesep.join(
            r['classification'] for r in data['results']))
