"""End-to-end gate tests: real environments, real probe processes.

Everything runs offline: upstream versions are the bundled tinylib source
trees or wheels built by the test; environments are created with uv.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from typing import Any

import fixtures

from symbiosis.config import Config
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._runner import run_gate
from tests import base

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / 'symbiosis' / \
    'examples'
TINY_10 = str(EXAMPLES / 'tinylib-1.0')
TINY_11 = str(EXAMPLES / 'tinylib-1.1')
TINY_PROBES = str(EXAMPLES / 'probes_tinylib.py')

PROBE_IDS = {
    'probes_tinylib.py::test_parse_skips_comment_and_blank_lines': 'pass',
    'probes_tinylib.py::test_parse_tolerates_lines_without_separator':
        'regression',
    'probes_tinylib.py::test_parse_error_importable_from_core': 'regression',
    'probes_tinylib.py::test_lock_is_reentrant': 'regression',
    'probes_tinylib.py::test_render_round_trips': 'pass',
}


def _pids_alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        alive.append(pid)
    return alive


class GateTestCase(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.config = Config.from_environ(offline=True)

    def gate_cli(self, *args: str, timeout: float = 120) -> \
            subprocess.CompletedProcess[str]:
        env = dict(os.environ, SYMBIOSIS_OFFLINE='1')
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate',
             *args],
            capture_output=True, text=True, timeout=timeout, env=env,
            cwd=str(self.tmp), check=False,
        )

    def tiny_dists(self, body_1: str, body_2: str) -> tuple[str, str]:
        """Two wheels of a tiny 'gatelib' whose ``value()`` differs."""
        one = self.make_dist('gatelib', '1.0', {
            'gatelib/__init__.py': body_1})
        two = self.make_dist('gatelib', '2.0', {
            'gatelib/__init__.py': body_2})
        return str(one.wheel), str(two.wheel)


class TestTinylibCli(GateTestCase):
    """The acceptance scenario of the issue, as a real subprocess."""

    def test_regressions_exit_1(self) -> None:
        out = self.tmp / 'gate.json'
        proc = self.gate_cli(
            'tinylib', '--baseline', TINY_10, '--candidate', TINY_11,
            '--probes', TINY_PROBES, '--format', 'json',
            '--output', str(out))
        self.assertEqual(1, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual(1, data['schema_version'])
        self.assertEqual('tinylib', data['upstream'])
        self.assertEqual(TINY_10, data['baseline'])
        self.assertEqual(TINY_11, data['candidate'])
        self.assertEqual('regression', data['verdict'])
        got = {r['probe']: r['classification'] for r in data['results']}
        self.assertEqual(PROBE_IDS, got)
        for result in data['results']:
            self.assertEqual(
                {'probe', 'baseline', 'candidate', 'classification',
                 'detail'}, set(result) & {
                    'probe', 'baseline', 'candidate', 'classification',
                    'detail'})
            if result['classification'] == 'regression':
                # Re-run on both sides before the verdict.
                self.assertEqual(2, len(result['candidate']['attempts']))
                self.assertEqual(2, len(result['baseline']['attempts']))
                self.assertIn('candidate: fail', result['detail'])
        self.assertEqual(2, len(data['environments']))
        self.assertIn('total', data['timings'])
        # The API diff explains the failed import, and only that: the
        # other regressions call tinylib.parse without the renamed
        # keyword, and a traceback's file names are no mentions.
        details = {r['probe'].partition('::')[2]: r['detail']
                   for r in data['results']}
        self.assertIn(
            'api diff: tinylib.core.ParseError: tinylib.core.ParseError '
            'moved to tinylib.errors.ParseError',
            details['test_parse_error_importable_from_core'])
        for probe in ('test_parse_tolerates_lines_without_separator',
                      'test_lock_is_reentrant'):
            self.assertNotIn('api diff:', details[probe])
        # --output holds the same report plus the finished jobs.
        saved = json.loads(out.read_text())
        self.assertEqual(got, {r['probe']: r['classification']
                               for r in saved['results']})
        self.assertTrue(saved['complete'])
        self.assertTrue(saved['jobs'])

    def test_same_version_passes(self) -> None:
        proc = self.gate_cli(
            'tinylib', '--baseline', TINY_10, '--candidate', TINY_10,
            '--probes', TINY_PROBES, '--format', 'json')
        self.assertEqual(0, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual('pass', data['verdict'])
        self.assertEqual(
            {'pass'}, {r['classification'] for r in data['results']})

    def test_uninstallable_candidate_is_infra_error(self) -> None:
        broken = self.make_dist(
            'tinylib', '9.0', {'tinylib/__init__.py': ''},
            requires=['no-such-distribution-symbiosis-test>=1'])
        proc = self.gate_cli(
            'tinylib', '--baseline', TINY_10,
            '--candidate', str(broken.wheel), '--probes', TINY_PROBES,
            '--format', 'json')
        self.assertEqual(3, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual('infra-error', data['verdict'])
        self.assertEqual({'infra-error'},
                         {r['classification'] for r in data['results']})
        detail = data['results'][0]['detail']
        self.assertIn('environment could not be built', detail)
        self.assertIn('no-such-distribution-symbiosis-test', json.dumps(
            data['results'][0]['candidate']))

    def test_bad_input_exit_2(self) -> None:
        for args in (
            ['tinylib', '--baseline', TINY_10, '--candidate',
             str(self.tmp / 'missing.whl'), '--probes', TINY_PROBES],
            ['tinylib', '--baseline', TINY_10, '--candidate', TINY_11,
             '--probes', str(self.tmp / 'nope.py')],
            ['tinylib', '--candidate', TINY_11, '--probes', TINY_PROBES],
            ['tinylib', '--baseline', TINY_10, '--candidate', TINY_11,
             '--probes', TINY_PROBES, '--executor', 'nope'],
        ):
            proc = self.gate_cli(*args)
            self.assertEqual(2, proc.returncode, (args, proc.stderr))
            self.assertEqual(1, len(proc.stderr.strip().splitlines()),
                             proc.stderr)

    @base.requires_index
    def test_unknown_version_exit_2(self) -> None:
        env = dict(os.environ)
        env.pop('SYMBIOSIS_OFFLINE', None)
        proc = subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', 'gate', 'six',
             '--baseline', '1.16.0', '--candidate', '0.0.999',
             '--probes', TINY_PROBES],
            capture_output=True, text=True, timeout=120, env=env,
            check=False)
        self.assertEqual(2, proc.returncode, proc.stderr)


class TestGateLibrary(GateTestCase):

    def write_probes(self, text: str) -> str:
        path = self.write_tree({'probes_gate.py': text}, root='probes')
        return str(path / 'probes_gate.py')

    def test_run_gate_timeout_and_fork_hang(self) -> None:
        one, two = self.tiny_dists(
            'def value():\n    return 1\n',
            'import os, time\n'
            'def value():\n'
            '    if os.fork() == 0:\n'
            '        time.sleep(600)\n'
            '    time.sleep(600)\n',
        )
        pidfile = self.tmp / 'pids'
        probes = self.write_probes(f'''
            import os
            import gatelib

            def test_value():
                with open({str(pidfile)!r}, 'a') as fh:
                    fh.write(f'{{os.getpid()}}\\n')
                assert gatelib.value() == 1

            def test_import():
                assert gatelib
        ''')
        events: list[Any] = []
        report = run_gate(
            'gatelib', one, two, [probes], executor='sync', timeout=2,
            reruns=0, config=self.config, progress=events.append)
        by_id = {r.probe: r for r in report.results}
        value = by_id['probes_gate.py::test_value']
        self.assertEqual(Classification.REGRESSION, value.classification)
        self.assertEqual('timeout', value.candidate_status)
        self.assertEqual(Classification.PASS,
                         by_id['probes_gate.py::test_import'].classification)
        self.assertEqual(1, report.exit_code)
        # The hung worker's whole process group is gone.
        pids = [int(p) for p in pidfile.read_text().split()]
        time.sleep(0.2)
        self.assertEqual([], _pids_alive(pids))
        self.assertIn('done', [e.kind for e in events])
        # The report round-trips through JSON.
        again = GateReport.from_json(json.loads(json.dumps(
            report.to_json())))
        self.assertEqual(report.to_json()['results'],
                         again.to_json()['results'])

    def test_a_renamed_keyword_explains_the_calls_it_breaks(self) -> None:
        one, two = self.tiny_dists(
            'def value(strict=False):\n    return 1\n',
            'def value(validate=False):\n    return 2\n')
        probes = self.write_probes('''
            import gatelib

            def test_by_keyword():
                assert gatelib.value(strict=True) == 1

            def test_plain():
                assert gatelib.value() == 1
        ''')
        report = run_gate('gatelib', one, two, [probes], executor='sync',
                          reruns=0, config=self.config)
        details = {r.probe.partition('::')[2]: r.detail
                   for r in report.results}
        rename = ("api diff: gatelib.value: parameter 'strict' of "
                  "gatelib.value was renamed to 'validate'")
        self.assertIn(rename, details['test_by_keyword'])
        self.assertNotIn('api diff:', details['test_plain'])

    def test_bytecode_is_kept_under_the_cache_not_in_trees(self) -> None:
        # Even when the caller's environment says "write no bytecode"
        # (tox does), probes keep it under the cache's prefix.
        self.useFixture(fixtures.EnvironmentVariable(
            'PYTHONDONTWRITEBYTECODE', '1'))
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 1\n')
        probes = self.write_probes('''
            import sys

            import gatelib

            def test_prefix():
                assert sys.pycache_prefix and not sys.dont_write_bytecode
        ''')
        report = run_gate('gatelib', one, two, [probes], executor='sync',
                          reruns=0, config=self.config)
        self.assertEqual([Classification.PASS],
                         [r.classification for r in report.results],
                         report.to_json()['results'])
        pycache = self.tmp / '_cache' / 'pycache'

        def mirrored(path: pathlib.Path) -> pathlib.Path:
            path = path.resolve()
            return pycache / path.relative_to(path.anchor)

        tree = pathlib.Path(probes).parent
        self.assertEqual([], list(tree.rglob('__pycache__')))
        self.assertTrue(list(mirrored(tree).glob('probes_gate.*.pyc')))
        for info in report.environments:
            env = pathlib.Path(info.path)
            # Nothing compiled at build time; what probes imported is
            # compiled once, under the prefix.
            self.assertEqual([], list(env.rglob('gatelib/__pycache__')))
            self.assertTrue(list(mirrored(env).rglob('gatelib/*.pyc')))
        proc = self.gate_cli('--clean')
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertFalse(pycache.exists())

    def test_flaky_and_resume(self) -> None:
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 1\n')
        counter = self.tmp / 'count'
        probes = self.write_probes(f'''
            import gatelib

            def test_flaky():
                with open({str(counter)!r}, 'a') as fh:
                    fh.write('x')
                with open({str(counter)!r}) as fh:
                    runs = len(fh.read())
                assert runs != 2, 'second run fails'
        ''')
        output = str(self.tmp / 'out.json')
        report = run_gate('gatelib', one, two, [probes], executor='thread',
                          workers=1, reruns=1, config=self.config,
                          output=output)
        self.assertEqual(Classification.FLAKY,
                         report.results[0].classification)
        ran = len(counter.read_text())
        # Resuming from the output runs nothing again.
        resumed = run_gate('gatelib', one, two, [probes], executor='sync',
                           reruns=1, config=self.config, resume=output)
        self.assertEqual(ran, len(counter.read_text()))
        self.assertEqual(report.to_json()['results'],
                         resumed.to_json()['results'])

    def test_process_executor_and_downstream_command(self) -> None:
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 2\n')
        consumer = self.write_tree({
            'pyproject.toml': '''
                [build-system]
                requires = ["setuptools>=64"]
                build-backend = "setuptools.build_meta"
                [project]
                name = "consumer"
                version = "0.1"
            ''',
            'check.py': 'import gatelib\nassert gatelib.value() == 1\n',
        }, root='consumer')
        report = run_gate(
            'gatelib', one, two, (),
            commands=[f'{sys.executable} -c "print(1)"',
                      'python check.py'],
            downstreams=[str(consumer)], executor='process', workers=2,
            reruns=0, config=self.config)
        got = {r.probe: r.classification for r in report.results}
        self.assertEqual({
            'commands::command-1': Classification.PASS,
            'commands::command-2': Classification.REGRESSION,
        }, got)
        self.assertEqual({str(consumer)},
                         {r.downstream for r in report.results})


class TestInterrupt(GateTestCase):

    def test_ctrl_c_kills_children_and_keeps_partial_report(self) -> None:
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 1\n')
        pidfile = self.tmp / 'pids'
        probes = self.write_tree({'probes_slow.py': f'''
            import os, time

            def test_quick():
                pass

            def test_slow():
                with open({str(pidfile)!r}, 'a') as fh:
                    fh.write(f'{{os.getpid()}}\\n')
                time.sleep(120)
        '''}, root='probes') / 'probes_slow.py'
        output = self.tmp / 'partial.json'
        env = dict(os.environ, SYMBIOSIS_OFFLINE='1')
        proc = subprocess.Popen(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate',
             'gatelib', '--baseline', one, '--candidate', two,
             '--probes', str(probes), '--output', str(output),
             '--timeout', '300', '--executor', 'thread'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            cwd=str(self.tmp))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if pidfile.exists() and len(pidfile.read_text().split()) >= 2:
                break
            time.sleep(0.1)
        pids = [int(p) for p in pidfile.read_text().split()]
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
        self.assertEqual(130, proc.returncode, err)
        time.sleep(0.3)
        self.assertEqual([], _pids_alive(pids))
        data = json.loads(output.read_text())
        self.assertFalse(data['complete'])
