"""symbiosis.probes run for real: the worker, timeouts, crashes, venvs."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import time
import unittest

from symbiosis.probes import _jobs as jobs
from symbiosis.probes._driver import WORKER_PATH
from symbiosis.probes._driver import worker_env
from symbiosis.probes._model import Cause
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from tests import base
from tests.escapes import pid_alive

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / (
    'symbiosis/examples')

BASIC = '''\
import sys
import unittest

from symbiosis.probes import probe


def test_passes():
    print('hello from the probe')


def test_fails():
    x = 1
    assert x == 2, 'x is not two'


def test_raises():
    {}['missing']


@probe
def exits():
    sys.exit(4)


def test_skips():
    raise unittest.SkipTest('not today')


async def test_async():
    assert True


class Case(unittest.TestCase):
    def test_equal(self):
        self.assertEqual(1, 1)

    def test_unequal(self):
        self.assertEqual(1, 2)

    @unittest.skip('nope')
    def test_skipped(self):
        pass
'''


def run(directory: pathlib.Path, python: str = sys.executable,
        timeout: float | None = 10.0,
        env: dict[str, str] | None = None) -> dict[str, Outcome]:
    probes = jobs.discover([str(directory)])
    outcomes = list(jobs.run_probes(probes, python, env, None, timeout))
    by_id = {o.probe_id: o for o in outcomes}
    # Every probe gets exactly one outcome.
    assert len(by_id) == len(outcomes), [o.probe_id for o in outcomes]
    return by_id


class TestWorker(base.TestCase):
    def test_statuses_messages_locations_and_output(self) -> None:
        root = self.write_tree({'test_basic.py': BASIC})
        out = run(root)
        status = {k: o.status.value for k, o in out.items()}
        self.assertEqual({
            'test_basic.py::test_passes': 'pass',
            'test_basic.py::test_fails': 'fail',
            'test_basic.py::test_raises': 'fail',
            'test_basic.py::exits': 'error',
            'test_basic.py::test_skips': 'skip',
            'test_basic.py::test_async': 'pass',
            'test_basic.py::Case::test_equal': 'pass',
            'test_basic.py::Case::test_unequal': 'fail',
            'test_basic.py::Case::test_skipped': 'skip',
        }, status)
        self.assertEqual('hello from the probe\n',
                         out['test_basic.py::test_passes'].output)
        fails = out['test_basic.py::test_fails']
        self.assertEqual('AssertionError: x is not two', fails.message)
        self.assertEqual('test_basic.py:13', fails.location)
        self.assertIn("assert x == 2, 'x is not two'", fails.traceback)
        self.assertNotIn('_worker.py', fails.traceback)
        self.assertEqual("KeyError: 'missing'",
                         out['test_basic.py::test_raises'].message)
        exits = out['test_basic.py::exits']
        self.assertEqual('the probe called sys.exit(4)', exits.message)
        self.assertEqual(Cause.EXITED.value, exits.cause)
        unequal = out['test_basic.py::Case::test_unequal']
        self.assertEqual('AssertionError: 1 != 2', unequal.message)
        self.assertEqual('test_basic.py:38', unequal.location)
        self.assertEqual('nope', out['test_basic.py::Case::test_skipped']
                         .message)

    def test_worker_runs_as_a_script_with_marker_lines(self) -> None:
        root = self.write_tree({'test_basic.py': BASIC})
        result = subprocess.run(
            [sys.executable, WORKER_PATH, '--probes-file',
             str(root / 'test_basic.py'), '--select',
             'test_basic.py::test_passes', '--marker', '@@M@@'],
            capture_output=True, text=True, timeout=30,
        )
        self.assertEqual(0, result.returncode, result.stderr)
        lines = [line for line in result.stdout.splitlines() if line]
        self.assertEqual('@@M@@ {"event": "importing"}', lines[0])
        self.assertEqual('hello from the probe', lines[2])
        self.assertTrue(lines[1].startswith('@@M@@ {"event": "start"'))
        self.assertIn('"status": "pass"', lines[3])
        self.assertEqual('@@M@@ {"event": "done"}', lines[4])

    def test_hanging_probe_times_out_and_the_rest_still_run(self) -> None:
        root = self.write_tree({'test_hang.py': '''
            import time
            from symbiosis.probes import probe

            def test_before():
                pass

            @probe(timeout=0.5)
            def hangs():
                print('about to hang', flush=True)
                time.sleep(60)

            def test_after():
                pass
        '''})
        started = time.monotonic()
        out = run(root)
        self.assertLess(time.monotonic() - started, 10)
        hang = out['test_hang.py::hangs']
        self.assertEqual(OutcomeStatus.TIMEOUT, hang.status)
        self.assertEqual(Cause.PROBE_TIMEOUT.value, hang.cause)
        self.assertIn('about to hang', hang.output)
        self.assertEqual(OutcomeStatus.PASS,
                         out['test_hang.py::test_before'].status)
        self.assertEqual(OutcomeStatus.PASS,
                         out['test_hang.py::test_after'].status)

    def test_forked_grandchild_is_killed_with_the_group(self) -> None:
        pidfile = self.tmp / 'grandchild.pid'
        root = self.write_tree({'test_fork.py': f'''
            import subprocess, sys, time

            def test_forks_and_hangs():
                child = subprocess.Popen(
                    [sys.executable, '-c', 'import time; time.sleep(120)'])
                with open({str(pidfile)!r}, 'w') as fh:
                    fh.write(str(child.pid))
                time.sleep(120)

            def test_forks_and_returns():
                subprocess.Popen(
                    [sys.executable, '-c', 'import time; time.sleep(120)'])
        '''})
        out = run(root, timeout=2.0)
        self.assertEqual(OutcomeStatus.TIMEOUT,
                         out['test_fork.py::test_forks_and_hangs'].status)
        self.assertEqual(OutcomeStatus.PASS,
                         out['test_fork.py::test_forks_and_returns'].status)
        pid = int(pidfile.read_text())
        deadline = time.monotonic() + 5
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(pid_alive(pid), f'grandchild {pid} survived')

    def test_crashes_are_errors_and_the_rest_still_run(self) -> None:
        root = self.write_tree({'test_crash.py': '''
            import ctypes, os

            def test_one():
                pass

            def test_os_exit():
                print('going down')
                os._exit(3)

            def test_between():
                pass

            def test_segfault():
                ctypes.string_at(0)

            def test_last():
                pass
        '''})
        out = run(root)
        os_exit = out['test_crash.py::test_os_exit']
        self.assertEqual(OutcomeStatus.ERROR, os_exit.status)
        self.assertEqual(Cause.WORKER_CRASHED.value, os_exit.cause)
        self.assertIn('exit status 3', os_exit.message)
        self.assertIn('going down', os_exit.output)
        segv = out['test_crash.py::test_segfault']
        self.assertEqual(OutcomeStatus.ERROR, segv.status)
        self.assertIn('SIGSEGV', segv.message)
        self.assertIn('Fatal Python error', segv.output)
        for name in ('test_one', 'test_between', 'test_last'):
            self.assertEqual(OutcomeStatus.PASS,
                             out[f'test_crash.py::{name}'].status)

    def test_megabytes_of_output_are_bounded(self) -> None:
        root = self.write_tree({'test_loud.py': '''
            import os, sys

            def test_loud():
                sys.stdout.write('FIRST')
                sys.stdout.flush()
                chunk = b'x' * (1024 * 1024)
                for _ in range(50):
                    os.write(1, chunk)
                print('LAST')

            def test_quiet():
                pass
        '''})
        out = run(root, timeout=30)
        loud = out['test_loud.py::test_loud']
        self.assertEqual(OutcomeStatus.PASS, loud.status)
        self.assertTrue(loud.truncated)
        self.assertLess(len(loud.output), 70 * 1024)
        self.assertTrue(loud.output.startswith('FIRST'))
        self.assertTrue(loud.output.rstrip().endswith('LAST'))
        self.assertEqual(OutcomeStatus.PASS,
                         out['test_loud.py::test_quiet'].status)

    def test_import_errors_name_file_and_line_others_run(self) -> None:
        root = self.write_tree({
            'test_a_syntax.py': 'def test_x():\n    pass\n\nif (:\n',
            'test_b_import.py': 'import os\nimport no_such_module_here\n'
                                '\ndef test_y():\n    pass\n',
            'test_c_fine.py': 'def test_z():\n    pass\n',
        })
        out = run(root)
        syntax = out['test_a_syntax.py']
        self.assertEqual(OutcomeStatus.ERROR, syntax.status)
        self.assertIn('test_a_syntax.py:4', syntax.message)
        imp = out['test_b_import.py::test_y']
        self.assertEqual(OutcomeStatus.ERROR, imp.status)
        self.assertEqual(Cause.IMPORT_ERROR.value, imp.cause)
        self.assertEqual('test_b_import.py:2', imp.location)
        self.assertIn('no_such_module_here', imp.message)
        self.assertEqual(OutcomeStatus.PASS,
                         out['test_c_fine.py::test_z'].status)

    def test_a_file_that_ends_or_hangs_the_worker_at_import(self) -> None:
        # Not a crash of the infrastructure: the probes file never
        # loaded, and none of its probes ran.
        root = self.write_tree({
            'test_exits.py': 'import os\nprint("bye", flush=True)\n'
                             'os._exit(3)\n\ndef test_x():\n    pass\n\n'
                             'def test_y():\n    pass\n',
            'test_hangs.py': 'import time\ntime.sleep(60)\n\n'
                             'def test_z():\n    pass\n',
        })
        out = run(root, timeout=1.0)
        for probe_id in ('test_exits.py::test_x', 'test_exits.py::test_y'):
            outcome = out[probe_id]
            self.assertEqual(OutcomeStatus.ERROR, outcome.status)
            self.assertEqual(Cause.IMPORT_ERROR.value, outcome.cause)
            self.assertEqual('cannot import test_exits.py: the worker died '
                             'while importing it (exit status 3)',
                             outcome.message)
            self.assertIn('bye', outcome.output)
        hang = out['test_hangs.py::test_z']
        self.assertEqual(OutcomeStatus.TIMEOUT, hang.status)
        self.assertEqual(Cause.IMPORT_ERROR.value, hang.cause)

    def test_function_probes_start_lean(self) -> None:
        # The worker starts once per job: for plain function probes it
        # loads none of the costly modules the interpreter did not
        # already have at start-up.
        heavy = ['argparse', 'inspect', 'tempfile', 'traceback', 'typing',
                 'unittest']
        startup = subprocess.run(
            [sys.executable, '-c',
             'import sys; print(" ".join(sorted(sys.modules)))'],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.split()
        expected = sorted(set(heavy) - set(startup))
        self.assertNotEqual([], expected)
        root = self.write_tree({'test_lean.py': f'''
            import sys

            def test_lean():
                loaded = [m for m in {expected!r} if m in sys.modules]
                assert not loaded, loaded

            def test_fails_after():
                assert False, 'loaded on demand'
        '''})
        out = run(root)
        self.assertEqual(OutcomeStatus.PASS,
                         out['test_lean.py::test_lean'].status,
                         out['test_lean.py::test_lean'].message)
        # Failures still get their message and traceback.
        failed = out['test_lean.py::test_fails_after']
        self.assertEqual('AssertionError: loaded on demand', failed.message)
        self.assertIn("assert False, 'loaded on demand'", failed.traceback)

    def test_worker_env_bytecode(self) -> None:
        base_env = {'PATH': '/bin', 'PYTHONDONTWRITEBYTECODE': '1'}
        plain = worker_env({'PATH': '/bin'})
        self.assertEqual('1', plain['PYTHONDONTWRITEBYTECODE'])
        self.assertNotIn('PYTHONPYCACHEPREFIX', plain)
        kept = worker_env(base_env, pycache='/c/pycache')
        self.assertEqual('/c/pycache', kept['PYTHONPYCACHEPREFIX'])
        self.assertNotIn('PYTHONDONTWRITEBYTECODE', kept)
        # Passed on again (as probe kinds do), it stays as it is.
        self.assertEqual(kept, worker_env(kept))

    def test_worker_env_puts_the_target_in_front_alone(self) -> None:
        target = self.tmp / 'target'
        (target / 'bin').mkdir(parents=True)
        (target / 'pyvenv.cfg').write_text('home = /usr/bin\n')
        python = str(target / 'bin' / 'python')
        active = str(self.tmp / 'active')
        env = worker_env({
            'PATH': os.pathsep.join([f'{active}/bin', '/usr/bin',
                                     str(target / 'bin'), '/bin']),
            'VIRTUAL_ENV': active, 'CONDA_PREFIX': '/opt/conda',
        }, python=python)
        self.assertEqual([str(target / 'bin'), '/usr/bin', '/bin'],
                         env['PATH'].split(os.pathsep))
        self.assertEqual(str(target), env['VIRTUAL_ENV'])
        self.assertNotIn('CONDA_PREFIX', env)
        # Passed on again, it stays as it is.
        self.assertEqual(env, worker_env(env, python=python))
        # An interpreter outside any virtual environment: none is named.
        plain = worker_env({'PATH': '/bin', 'VIRTUAL_ENV': active},
                           python='/usr/bin/python3')
        self.assertNotIn('VIRTUAL_ENV', plain)
        self.assertEqual(['/usr/bin', '/bin'],
                         plain['PATH'].split(os.pathsep))

    def test_missing_interpreter_is_a_spawn_error(self) -> None:
        root = self.write_tree({'test_x.py': 'def test_x(): pass\n'})
        out = run(root, python=str(self.tmp / 'no-python'))
        self.assertEqual(Cause.SPAWN_FAILED.value,
                         out['test_x.py::test_x'].cause)


class TestTargetEnvironment(base.TestCase):
    """The worker in a real venv that has none of symbiosis's packages."""

    def setUp(self) -> None:
        super().setUp()
        venv = self.tmp / 'venv'
        subprocess.run(
            [sys.executable, '-m', 'venv', '--without-pip', str(venv)],
            check=True, timeout=120,
        )
        self.python = str(venv / 'bin' / 'python')
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith('PYTHON')}

    def test_symbiosis_dependencies_are_not_visible(self) -> None:
        root = self.write_tree({'test_env.py': '''
            import importlib.metadata
            import sys

            from symbiosis.probes import probe

            @probe(timeout=20)
            def stevedore_is_absent():
                try:
                    importlib.metadata.version('stevedore')
                except importlib.metadata.PackageNotFoundError:
                    return
                raise AssertionError('stevedore is visible')

            def test_symbiosis_is_only_the_shim():
                import symbiosis.probes
                assert not hasattr(symbiosis.probes, 'discover')
                for name in ('stevedore', 'cliff', 'futurist', 'testtools'):
                    try:
                        __import__(name)
                    except ImportError:
                        continue
                    raise AssertionError(name + ' is importable')

            def test_runs_in_the_venv():
                assert sys.prefix != sys.base_prefix, sys.prefix
        '''})
        out = run(root, python=self.python, env=self.env, timeout=20)
        for outcome in out.values():
            self.assertEqual(OutcomeStatus.PASS, outcome.status,
                             f'{outcome.probe_id}: {outcome.message}\n'
                             f'{outcome.traceback}')
        self.assertEqual(3, len(out))

    def test_tinylib_versions_on_the_path(self) -> None:
        results = {}
        for version in ('1.0', '1.1'):
            env = dict(self.env)
            env['PYTHONPATH'] = str(EXAMPLES / f'tinylib-{version}')
            probes = jobs.discover([str(EXAMPLES / 'probes_tinylib.py')])
            results[version] = {
                o.probe_id.partition('::')[2]: o
                for o in jobs.run_probes(probes, self.python, env, None, 20)
            }
        self.assertEqual({OutcomeStatus.PASS},
                         {o.status for o in results['1.0'].values()})
        new = results['1.1']
        self.assertEqual(OutcomeStatus.FAIL,
                         new['test_lock_is_reentrant'].status)
        self.assertIn('deadlocked', new['test_lock_is_reentrant'].message)
        self.assertEqual(
            OutcomeStatus.FAIL,
            new['test_parse_tolerates_lines_without_separator'].status)
        self.assertEqual(
            OutcomeStatus.FAIL,
            new['test_parse_error_importable_from_core'].status)
        self.assertEqual(OutcomeStatus.PASS,
                         new['test_render_round_trips'].status)


class TestCommandKind(base.TestCase):
    def _run(self, config: str, files: dict[str, str] | None = None,
             timeout: float | None = 60) -> dict[str, Outcome]:
        tree = {'symbiosis-probes.toml': config}
        tree.update(files or {})
        root = self.write_tree(tree)
        probes = [p for p in jobs.discover([str(root)])
                  if p.kind == 'command']
        outcomes = list(jobs.run_probes(probes, sys.executable, None, None,
                                        timeout))
        return {o.probe_id.removeprefix('symbiosis-probes.toml::'): o
                for o in outcomes}

    def test_exit_code_without_report(self) -> None:
        out = self._run('''
            [commands]
            ok = ["{python}", "-c", "print('fine')"]
            bad = ["{python}", "-c", "import sys; sys.exit(5)"]
            missing = "no-such-program-anywhere --flag"
        ''')
        self.assertEqual(OutcomeStatus.PASS, out['ok'].status)
        self.assertEqual('fine\n', out['ok'].output)
        self.assertEqual(OutcomeStatus.FAIL, out['bad'].status)
        self.assertIn('exit status 5', out['bad'].message)
        self.assertEqual(OutcomeStatus.ERROR, out['missing'].status)
        # A command that is not there never ran: not an infrastructure
        # failure, not a judgement.
        self.assertEqual(Cause.NOT_RUNNABLE.value, out['missing'].cause)
        self.assertEqual(
            "cannot run 'no-such-program-anywhere': command not found in "
            'the environment or on PATH', out['missing'].message)

    def test_commands_that_never_ran_a_test(self) -> None:
        out = self._run('''
            [commands]
            runner = ["{python}", "-m", "symbiosis_no_such_runner", "-q"]
            dependency = ["{python}", "-m", "runner"]
            shell = ["sh", "-c", "symbiosis-no-such-command --flag"]
            empty = ["{python}", "-m", "unittest", "discover", "-s", "none"]
            empty-junit = ["{python}", "-m", "pytest", "-q", "-p",
                           "no:cacheprovider", "--junitxml={junitxml}",
                           "none"]
            some = ["{python}", "-m", "unittest", "discover", "-s", "tests",
                    "-t", "."]
        ''', {
            # The runner is there; what it imports is not: a failure.
            'runner.py': 'import symbiosis_missing_dependency\n',
            'none/__init__.py': '',
            'tests/__init__.py': '',
            'tests/test_one.py': '''
                import unittest

                class T(unittest.TestCase):
                    def test_one(self):
                        pass
            ''',
        })
        runner = out['runner']
        self.assertEqual(Cause.NOT_RUNNABLE.value, runner.cause)
        self.assertIn('-m symbiosis_no_such_runner -q: the runner is not '
                      'installed in the environment (', runner.message)
        self.assertIn('No module named symbiosis_no_such_runner',
                      runner.message)
        self.assertEqual(OutcomeStatus.FAIL, out['dependency'].status)
        self.assertIsNone(out['dependency'].cause)
        shell = out['shell']
        self.assertEqual(Cause.NOT_RUNNABLE.value, shell.cause)
        self.assertIn('command not found', shell.message)
        self.assertIn('symbiosis-no-such-command', shell.message)
        for name in ('empty', 'empty-junit'):
            self.assertEqual(OutcomeStatus.ERROR, out[name].status, name)
            self.assertEqual(Cause.NO_TESTS.value, out[name].cause, name)
            self.assertIn('ran no test', out[name].message)
        self.assertEqual(OutcomeStatus.PASS, out['some'].status)

    def test_pytest_junit_gives_one_outcome_per_test(self) -> None:
        out = self._run('''
            [commands]
            unit = ["{python}", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--junitxml={junitxml}", "tests"]
        ''', {'tests/test_mod.py': '''
            import pytest

            def test_good():
                pass

            def test_bad():
                assert 1 == 2

            @pytest.mark.skip(reason='later')
            def test_later():
                pass
        '''})
        statuses = {k.removeprefix('unit::'): o.status.value
                    for k, o in out.items()}
        self.assertEqual({
            'tests.test_mod.test_good': 'pass',
            'tests.test_mod.test_bad': 'fail',
            'tests.test_mod.test_later': 'skip',
        }, statuses)

    def test_subunit_from_stdout(self) -> None:
        out = self._run('''
            [commands.unit]
            command = ["{python}", "-m", "subunit.run", "test_mod"]
            format = "subunit"
        ''', {'test_mod.py': '''
            import unittest

            class T(unittest.TestCase):
                def test_good(self):
                    pass

                def test_bad(self):
                    self.fail('broken')
        '''})
        self.assertEqual(
            {'unit::test_mod.T.test_good': 'pass',
             'unit::test_mod.T.test_bad': 'fail'},
            {k: o.status.value for k, o in out.items()})
        self.assertIn('broken', out['unit::test_mod.T.test_bad'].message)

    def test_timeout_kills_the_command_group(self) -> None:
        pidfile = self.tmp / 'child.pid'
        script = (
            'import subprocess, sys, time\n'
            'c = subprocess.Popen([sys.executable, "-c", '
            '"import time; time.sleep(120)"])\n'
            f'open({str(pidfile)!r}, "w").write(str(c.pid))\n'
            'time.sleep(120)\n'
        )
        started = time.monotonic()
        out = self._run('''
            [commands.slow]
            command = ["{python}", "slow.py"]
            timeout = 1
        ''', {'slow.py': script})
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(OutcomeStatus.TIMEOUT, out['slow'].status)
        pid = int(pidfile.read_text())
        from tests.escapes import pid_alive

        deadline = time.monotonic() + 5
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(pid_alive(pid))


class TestFixtures(base.TestCase):
    def test_probes_fixture_runs_probes_in_a_worker_and_in_process(
        self,
    ) -> None:
        from symbiosis.fixtures import ProbesFixture

        root = self.write_tree({'test_fx.py': '''
            def test_good():
                pass

            def test_bad():
                assert False, 'bad'
        '''})
        for in_process in (False, True):
            fixture = self.useFixture(
                ProbesFixture(str(root), in_process=in_process))
            self.assertEqual(['test_fx.py::test_good', 'test_fx.py::test_bad'],
                             [p.id for p in fixture.probes])
            statuses = {o.probe_id: o.status for o in fixture.run()}
            self.assertEqual(OutcomeStatus.FAIL,
                             statuses['test_fx.py::test_bad'])
            self.assertEqual(OutcomeStatus.PASS,
                             statuses['test_fx.py::test_good'])

    def test_probe_suite_is_one_test_per_probe(self) -> None:
        import testtools

        from symbiosis.fixtures import make_load_tests

        root = self.write_tree({'test_fx.py': '''
            import unittest

            def test_good():
                pass

            def test_bad():
                assert False, 'bad'

            def test_skipped():
                raise unittest.SkipTest('later')
        '''})
        load_tests = make_load_tests(str(root))
        suite = load_tests(unittest.TestLoader(), unittest.TestSuite(), None)
        result = testtools.TestResult()
        suite.run(result)
        self.assertEqual(3, result.testsRun)
        self.assertEqual(['probe:test_fx.py::test_bad'],
                         [t.id() for t, _ in result.failures])
        self.assertEqual(['later'], list(result.skip_reasons))


class TestStaticKinds(base.TestCase):
    old = str(EXAMPLES / 'tinylib-1.0')
    new = str(EXAMPLES / 'tinylib-1.1')

    def test_usage_probe_names_missing_names(self) -> None:
        from symbiosis.probes import usage_probe

        probe = usage_probe(['tinylib.parse', 'tinylib.legacy_parse',
                             'tinylib.core.ParseError'])
        [ok] = jobs.run_probes([probe], sys.executable, upstream=self.old)
        self.assertEqual(OutcomeStatus.PASS, ok.status, ok.message)
        [bad] = jobs.run_probes([probe], sys.executable, upstream=self.new)
        self.assertEqual(OutcomeStatus.FAIL, bad.status)
        self.assertIn('tinylib.legacy_parse', bad.message)
        self.assertIn('tinylib.core.ParseError', bad.message)
        self.assertNotIn('tinylib.parse:', bad.message)

    def test_semver_probe_fails_on_a_breaking_minor(self) -> None:
        from symbiosis.probes import semver_probe

        probe = semver_probe()
        [same] = jobs.run_probes([probe], sys.executable, upstream=self.old,
                                 baseline=self.old)
        self.assertEqual(OutcomeStatus.PASS, same.status, same.message)
        [bad] = jobs.run_probes([probe], sys.executable, upstream=self.new,
                                baseline=self.old)
        self.assertEqual(OutcomeStatus.FAIL, bad.status)
        self.assertIn('too low', bad.message)

    def test_missing_upstream_is_an_error_outcome(self) -> None:
        from symbiosis.probes import usage_probe

        [outcome] = jobs.run_probes([usage_probe(['x'])], sys.executable)
        self.assertEqual(OutcomeStatus.ERROR, outcome.status)
