"""A gate leaves nothing behind, and its probes see the target alone.

Real gates on a tiny library built in the test: probes start sleeping
processes that escape their process group and session (see
:mod:`tests.escapes`); the gate ends normally, is killed with ``SIGKILL``
mid-run, or gets ``SIGTERM``; no process carrying the test's marker may
survive. Then: what a function probe sees of its environment, ``gate
--clean`` next to a running gate, and an environment that vanishes.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import unittest

from symbiosis.gate._environments.uv import find_uv
from symbiosis.gate._model import Classification
from symbiosis.gate._runner import run_gate
from tests import escapes
from tests.test_gate import GateTestCase


def _still_alive(pids: list[int], limit: float = 15.0) -> list[int]:
    """Wait up to ``limit`` seconds for ``pids`` to end; the survivors."""
    deadline = time.monotonic() + limit
    while True:
        alive = [p for p in pids if escapes.pid_alive(p)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


@unittest.skipUnless(escapes.LINUX, 'a child subreaper needs Linux')
class ChaosTestCase(GateTestCase):

    def setUp(self) -> None:
        super().setUp()
        self.marker = escapes.new_marker()
        self.ready = self.tmp / 'ready'
        self.addCleanup(self._no_survivor_left)

    def _no_survivor_left(self) -> None:
        # Whatever a failing test left running is stopped here, by pid.
        pids = escapes.marked(self.marker) + escapes.marked(str(self.tmp))
        if self.ready.exists():
            pids += self.running_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def probes(self, slow: bool = False) -> str:
        """A probes file: one probe escapes three ways; with ``slow``, a
        second one records its worker and keeper, then sleeps."""
        text = f'''
            import os
            import pathlib
            import time

            import gatelib
            from escapes_helper import escape_all

            def test_escapes():
                escape_all({self.marker!r})
                assert gatelib.value() >= 1
        '''
        if slow:
            text += f'''
            def test_slow():
                with open({str(self.ready)!r}, 'a') as fh:
                    fh.write(f'{{os.getpid()}} {{os.getppid()}}\\n')
                time.sleep(300)
            '''
        base = self.write_tree({'probes_chaos.py': text}, root='probes')
        (base / 'escapes_helper.py').write_text(escapes.SOURCE)
        return str(base / 'probes_chaos.py')

    def start_gate(self, *args: str, **env: str) -> subprocess.Popen[str]:
        one, two = self.tiny_dists('def value():\n    return 1\n',
                                   'def value():\n    return 1\n')
        return subprocess.Popen(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate',
             'gatelib', '--baseline', one, '--candidate', two,
             '--timeout', '300', '--reruns', '0', *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=str(self.tmp),
            env=dict(os.environ, SYMBIOSIS_OFFLINE='1', **env))

    def wait_ready(self, gate: subprocess.Popen[str], lines: int) -> None:
        """Wait for ``lines`` slow probes to be running (both sides)."""
        def count() -> int:
            try:
                return len(self.ready.read_text().splitlines())
            except FileNotFoundError:
                return 0

        deadline = time.monotonic() + 180
        while count() < lines:
            if gate.poll() is not None:
                out, err = gate.communicate(timeout=30)
                self.fail(f'the gate ended early ({gate.returncode}): '
                          f'{out}{err}')
            self.assertLess(time.monotonic(), deadline, 'never ready')
            time.sleep(0.05)

    def kill(self, gate: subprocess.Popen[str]) -> None:
        """``SIGKILL`` the gate. Its output is not read: a survivor could
        hold the pipes open."""
        gate.kill()
        gate.wait()
        for stream in (gate.stdout, gate.stderr):
            assert stream is not None
            stream.close()

    def running_pids(self) -> list[int]:
        """The slow probes' workers and their keepers."""
        return [int(p) for line in self.ready.read_text().splitlines()
                for p in line.split()]


class TestEscapes(ChaosTestCase):

    def test_escapees_die_when_their_job_ends(self) -> None:
        # In this process: nothing but the jobs' own keepers can have
        # killed them by the time the gate returns.
        report = run_gate(
            'gatelib', *self.tiny_dists('def value():\n    return 1\n',
                                        'def value():\n    return 2\n'),
            [self.probes()], executor='sync', reruns=0, config=self.config)
        self.assertEqual([Classification.PASS],
                         [r.classification for r in report.results])
        self.assertEqual([], escapes.wait_unmarked(self.marker, 5.0))


class TestKilledGate(ChaosTestCase):

    def kill_mid_run(self, executor: str) -> None:
        output = self.tmp / f'{self.marker}.json'
        gate = self.start_gate('--probes', self.probes(slow=True),
                               '--executor', executor, '--workers', '2',
                               '--output', str(output))
        try:
            self.wait_ready(gate, 2)
            self.assertEqual(6, len(escapes.marked(self.marker)))
        finally:
            self.kill(gate)
        self.assertEqual([], escapes.wait_unmarked(self.marker))
        self.assertEqual([], _still_alive(self.running_pids()))
        # No pool process either: they carry the gate's arguments.
        self.assertEqual([], escapes.wait_unmarked(str(output)))

    def test_sigkill_of_the_gate_leaves_no_process(self) -> None:
        self.kill_mid_run('thread')

    def test_sigkill_leaves_no_process_pool_worker(self) -> None:
        self.kill_mid_run('process')

    def test_sigkill_during_a_build_leaves_no_installer(self) -> None:
        backend = f'''
            import os
            import pathlib
            import subprocess
            import sys
            import time

            def _hang(*args, **kwargs):
                subprocess.Popen(
                    [sys.executable, '-c', 'import time; time.sleep(300)',
                     {self.marker + '-backend'!r}],
                    start_new_session=True)
                pathlib.Path({str(self.ready)!r}).write_text(
                    f'{{os.getpid()}} {{os.getppid()}}\\n')
                time.sleep(300)

            def get_requires_for_build_wheel(config_settings=None):
                return []

            build_wheel = _hang
        '''
        tree = self.write_tree({
            'pyproject.toml': '''
                [build-system]
                requires = []
                build-backend = "sleepy_backend"
                backend-path = ["."]

                [project]
                name = "gatelib"
                version = "3.0"
            ''',
            'sleepy_backend.py': backend,
            'gatelib/__init__.py': 'def value():\n    return 3\n',
        }, root='sleepy')
        one, _two = self.tiny_dists('def value():\n    return 1\n',
                                    'def value():\n    return 1\n')
        gate = subprocess.Popen(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate',
             'gatelib', '--baseline', one, '--candidate', str(tree),
             '--probes', self.probes()],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=str(self.tmp), env=dict(os.environ, SYMBIOSIS_OFFLINE='1'))
        try:
            self.wait_ready(gate, 1)
            # The escapee runs. Processes starting it can carry its
            # arguments for a moment (a fork not yet exec'd, a launcher
            # script's subshells): wait for it to stand alone.
            deadline = time.monotonic() + 10
            while len(escapes.marked(self.marker)) != 1 \
                    and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(1, len(escapes.marked(self.marker)),
                             escapes.describe(escapes.marked(self.marker)))
        finally:
            self.kill(gate)
        self.assertEqual([], escapes.wait_unmarked(self.marker))
        # Nor the installer, nor the backend it runs.
        self.assertEqual([], escapes.wait_unmarked(str(tree)))
        self.assertEqual([], _still_alive(self.running_pids()))


class TestTerminatedGate(ChaosTestCase):

    def test_sigterm_stops_like_ctrl_c_and_exits_143(self) -> None:
        scratch = self.tmp / 'scratch'
        scratch.mkdir()
        output = self.tmp / 'partial.json'
        gate = self.start_gate('--probes', self.probes(slow=True),
                               '--output', str(output), TMPDIR=str(scratch))
        try:
            self.wait_ready(gate, 2)
            gate.send_signal(signal.SIGTERM)
            _out, err = gate.communicate(timeout=60)
        finally:
            if gate.poll() is None:
                self.kill(gate)
        self.assertEqual(143, gate.returncode, err)
        self.assertIn('terminated', err)
        self.assertEqual([], escapes.wait_unmarked(self.marker))
        self.assertEqual([], _still_alive(self.running_pids()))
        data = json.loads(output.read_text())
        self.assertFalse(data['complete'])
        self.assertEqual('incomplete', data['verdict'])
        # Every job ended before the gate did: its scratch went with it.
        self.assertEqual([], [p.name for p in scratch.iterdir()
                              if p.name.startswith('symbiosis-')])


class TestTargetEnvironment(ChaosTestCase):

    def test_function_probes_see_the_target_environment_only(self) -> None:
        extra = self.make_dist('extralib', '1.0', {
            'extralib/__init__.py': 'VALUE = 1\n'})
        tool_bin = os.path.dirname(sys.executable)
        probes = self.write_tree({'probes_env.py': f'''
            import os
            import shutil
            import subprocess
            import sys

            def real(path):
                return os.path.realpath(path)

            def test_python_is_the_target():
                assert real(shutil.which('python')) == real(sys.executable)
                assert real(os.environ['VIRTUAL_ENV']) == real(sys.prefix)
                path = os.environ['PATH'].split(os.pathsep)
                assert path[0] == os.path.dirname(sys.executable)
                assert {tool_bin!r} not in path
                found = subprocess.run(
                    ['python', '-c', 'import sys; print(sys.prefix)'],
                    capture_output=True, text=True, check=True)
                assert real(found.stdout.strip()) == real(sys.prefix)

            def test_symbiosis_dependencies_are_not_there():
                assert subprocess.run(
                    ['python', '-c', 'import stevedore']).returncode != 0

            def test_an_installer_installs_into_the_target():
                assert real(os.environ['VIRTUAL_ENV']) == real(sys.prefix)
                subprocess.run(
                    [{find_uv()!r}, 'pip', 'install', '--offline',
                     '--no-deps', {str(extra.wheel)!r}], check=True)
                subprocess.run(['python', '-c', 'import extralib'],
                               check=True)
        '''}, root='probes') / 'probes_env.py'
        report = run_gate(
            'gatelib', *self.tiny_dists('def value():\n    return 1\n',
                                        'def value():\n    return 1\n'),
            [str(probes)], executor='sync', reruns=0, config=self.config)
        failures = {r.probe: r.detail for r in report.results
                    if r.classification is not Classification.PASS}
        self.assertEqual({}, failures)
        self.assertEqual(3, len(report.results))
        # The tool's own environment was left alone.
        self.assertNotEqual(0, subprocess.run(
            [sys.executable, '-c', 'import extralib']).returncode)


class TestCleanWhileRunning(ChaosTestCase):

    def clean(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', 'gate', '--clean'],
            capture_output=True, text=True, timeout=120, check=False,
            cwd=str(self.tmp))

    def test_clean_keeps_what_a_running_gate_holds(self) -> None:
        probes = self.write_tree({'probes_wait.py': f'''
            import os
            import pathlib
            import sys
            import time

            def test_outlives_a_clean():
                go = pathlib.Path({str(self.tmp / 'go')!r})
                with open({str(self.ready)!r}, 'a') as fh:
                    fh.write(f'{{os.getpid()}} {{os.getppid()}}\\n')
                while not go.exists():
                    time.sleep(0.05)
                assert os.path.exists(sys.executable)
        '''}, root='probes') / 'probes_wait.py'
        gate = self.start_gate('--probes', str(probes))
        try:
            self.wait_ready(gate, 2)
            envs = self.config.cache_dir / 'envs'
            held = sorted(p for p in envs.iterdir() if p.is_dir())
            self.assertEqual(2, len(held))
            cleaned = self.clean()
            self.assertEqual(0, cleaned.returncode, cleaned.stderr)
            self.assertIn('removed 0 cached environment(s)', cleaned.stderr)
            self.assertIn('a running gate uses it', cleaned.stderr)
            self.assertEqual(held, sorted(p for p in envs.iterdir()
                                          if p.is_dir()))
            (self.tmp / 'go').touch()
            out, err = gate.communicate(timeout=120)
        finally:
            if gate.poll() is None:
                self.kill(gate)
        self.assertEqual(0, gate.returncode, out + err)
        # Once the gate is done, the same clean removes them.
        cleaned = self.clean()
        self.assertIn('removed 2 cached environment(s)', cleaned.stderr)
        self.assertEqual([], [p for p in envs.iterdir() if p.is_dir()])


class TestVanishedEnvironment(ChaosTestCase):

    def test_a_vanished_environment_is_infra_error_not_regression(
            self) -> None:
        probes = self.write_tree({'probes_vanish.py': '''
            import shutil
            import sys

            import gatelib

            def test_value():
                if gatelib.value() == 2:
                    # Something removes the candidate's environment.
                    shutil.rmtree(sys.prefix)
                assert gatelib.value() == 1
        '''}, root='probes') / 'probes_vanish.py'
        report = run_gate(
            'gatelib', *self.tiny_dists('def value():\n    return 1\n',
                                        'def value():\n    return 2\n'),
            [str(probes)], executor='sync', reruns=1, config=self.config)
        (result,) = report.results
        self.assertEqual(Classification.INFRA_ERROR, result.classification)
        self.assertIn('vanished', result.detail)
        self.assertEqual(3, report.exit_code)
