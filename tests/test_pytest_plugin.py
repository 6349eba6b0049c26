"""The pytest plugin: probe suites under pytest, as under stestr."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from xml.etree import ElementTree

from symbiosis.probes._subunit import parse_subunit
from tests import base

PROBES = '''\
import unittest

from symbiosis.probes import probe


def test_passes():
    print('hello from the probe')


def test_fails():
    x = 1
    assert x == 2, 'x is not two'


def test_skips():
    raise unittest.SkipTest('not today')


@probe
def raises():
    {}['missing']


class Case(unittest.TestCase):
    def test_equal(self):
        self.assertEqual(1, 1)
'''

SUITE = '''\
import os

from symbiosis.fixtures._probes import make_load_tests

load_tests = make_load_tests(
    os.path.join(os.path.dirname(__file__), '..', 'probes'))


def test_plain():
    pass
'''

EXPECTED = {
    'probes_up.py::test_passes': 'pass',
    'probes_up.py::test_fails': 'fail',
    'probes_up.py::test_skips': 'skip',
    'probes_up.py::raises': 'fail',
    'probes_up.py::Case::test_equal': 'pass',
}


class TestPytestPlugin(base.TestCase):

    def _suite(self) -> pathlib.Path:
        return self.write_tree({
            'probes/probes_up.py': PROBES,
            'tests/__init__.py': '',
            'tests/test_upstream.py': SUITE,
            '.stestr.conf': '[DEFAULT]\ntest_path=./tests\ntop_dir=./\n',
        }, root='suite')

    def _run(self, root: pathlib.Path,
             *args: str) -> subprocess.CompletedProcess[str]:
        done = self._run_bytes(root, *args)
        return subprocess.CompletedProcess(
            done.args, done.returncode,
            done.stdout.decode('utf-8', 'replace'),
            done.stderr.decode('utf-8', 'replace'))

    def _run_bytes(self, root: pathlib.Path,
                   *args: str) -> subprocess.CompletedProcess[bytes]:
        env = dict(os.environ)
        env.pop('PYTHONPATH', None)
        env.pop('PYTEST_ADDOPTS', None)
        return subprocess.run(
            [sys.executable, '-m', *args], cwd=root, env=env,
            capture_output=True, timeout=300, check=False)

    def test_pytest_and_stestr_run_the_same_probes(self) -> None:
        root = self._suite()
        junit = root / 'pytest.xml'
        done = self._run(root, 'pytest', '-p', 'no:cacheprovider', '-rs',
                         f'--junitxml={junit}', 'tests')
        self.assertEqual(1, done.returncode, done.stdout + done.stderr)
        self.assertIn('2 failed, 3 passed, 1 skipped', done.stdout)
        # The failure shows the probe's message and its own traceback.
        self.assertIn('fail at probes_up.py:12: AssertionError: x is not two',
                      done.stdout)
        self.assertIn("KeyError: 'missing'", done.stdout)
        self.assertIn('SKIPPED [1] probes/probes_up.py:15: not today',
                      done.stdout.replace(os.sep, '/'))
        under_pytest: dict[str, str] = {}
        messages: dict[str, str] = {}
        for case in ElementTree.parse(junit).getroot().iter('testcase'):
            prop = case.find("properties/property[@name='probe']")
            if prop is None:
                self.assertEqual('test_plain', case.get('name'))
                continue
            status = 'pass'
            for tag, name in (('failure', 'fail'), ('error', 'error'),
                              ('skipped', 'skip')):
                found = case.find(tag)
                if found is not None:
                    status = name
                    messages[prop.get('value', '')] = (
                        found.get('message') or '')
            under_pytest[prop.get('value', '')] = status
        self.assertEqual(EXPECTED, under_pytest)

        stream = self._run_bytes(root, 'stestr', 'run', '--subunit')
        under_stestr = {
            o.probe_id.removeprefix('probe:'): o
            for o in parse_subunit(stream.stdout)
        }
        self.assertEqual(
            EXPECTED,
            {k: o.status.value for k, o in under_stestr.items()},
            stream.stderr.decode('utf-8', 'replace'))
        for probe_id, text in (('probes_up.py::test_fails', 'x is not two'),
                               ('probes_up.py::raises', "'missing'"),
                               ('probes_up.py::test_skips', 'not today')):
            self.assertIn(text, messages[probe_id])
            self.assertIn(text, under_stestr[probe_id].message)

    def test_node_ids_select_and_the_marker_filters(self) -> None:
        root = self._suite()
        done = self._run(
            root, 'pytest', '-p', 'no:cacheprovider', '-q',
            'tests/test_upstream.py::probes_up.py::Case::test_equal')
        self.assertEqual(0, done.returncode, done.stdout + done.stderr)
        self.assertIn('1 passed', done.stdout)
        done = self._run(root, 'pytest', '-p', 'no:cacheprovider', '-q',
                         '-m', 'not symbiosis_probe', 'tests')
        self.assertEqual(0, done.returncode, done.stdout + done.stderr)
        self.assertIn('1 passed, 5 deselected', done.stdout)
        done = self._run(root, 'pytest', '-p', 'no:cacheprovider', '-q',
                         '-p', 'no:symbiosis', 'tests')
        self.assertIn('1 passed', done.stdout)
        self.assertNotIn('failed', done.stdout)

    def test_plugin_loads_without_importing_probe_code(self) -> None:
        root = self.write_tree({'test_plain.py': '''
            import sys

            def test_nothing_heavy_was_imported():
                assert 'symbiosis.fixtures._pytest_plugin' in sys.modules
                heavy = {'stevedore', 'testtools', 'fixtures',
                         'symbiosis.fixtures._probes',
                         'symbiosis.probes._jobs'}
                assert not heavy & set(sys.modules), heavy & set(
                    sys.modules)
        '''}, root='plain')
        done = self._run(root, 'pytest', '-p', 'no:cacheprovider', '-q')
        self.assertEqual(0, done.returncode, done.stdout + done.stderr)
        self.assertIn('1 passed', done.stdout)
