"""Reverse mode: the test requirements a downstream release does not
declare, given on the command line or in the project's settings.

``consumer`` 1.0 on a real local index has tests but no ``test`` extra;
its tests run with ``python -m miniunit``, a runner it does not depend
on. Without it installed, nothing is judged; with it, the regression is
found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from symbiosis import exception
from symbiosis.gate._settings import gate_settings_from_mapping
from symbiosis.gate._settings import load_gate_settings
from tests.test_gate_downstreams import DownstreamTestCase

MINIUNIT = '''\
import unittest

unittest.main(module=None, argv=['miniunit', 'discover', '-s', 'tests',
                                 '-t', '.'])
'''


class TestDownstreamRequires(DownstreamTestCase):

    def setUp(self) -> None:
        super().setUp()
        runner = self.make_dist('miniunit', '1.0', {
            'miniunit/__init__.py': '', 'miniunit/__main__.py': MINIUNIT})
        self.index.publish(runner.wheel)
        self.project = self.tmp / 'project'
        self.project.mkdir()

    def gate_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, SYMBIOSIS_INDEX_URL=self.index.url + '/simple',
                   SYMBIOSIS_CACHE_DIR=str(self.tmp / 'cache'))
        env.pop('SYMBIOSIS_OFFLINE', None)
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate',
             'gatelib', '--baseline', '1.0', '--candidate', '2.0',
             '--reruns', '0', *args], capture_output=True, text=True,
            timeout=180, env=env, cwd=str(self.project), check=False)

    def reverse(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.gate_cli('--downstream', 'consumer==1.0', '--command',
                             'python -m miniunit', '--format', 'json',
                             *args)

    def test_from_the_command_line_and_the_settings(self) -> None:
        proc = self.reverse()
        self.assertEqual(3, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual('nothing-judged', data['verdict'])
        self.assertIn('python -m miniunit: the runner is not installed',
                      data['verdict_reason'])
        proc = self.reverse('--downstream-requires', 'miniunit>=1')
        self.assertEqual(1, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual('regression', data['verdict'])
        self.assertIn('FAIL: test_double',
                      data['results'][0]['candidate']['attempts'][-1][
                          'output'])
        # The same from the project's settings file.
        for name, table in (('symbiosis.toml', '[gate]'),
                            ('pyproject.toml', '[tool.symbiosis.gate]')):
            (self.project / name).write_text(
                f'{table}\ndownstream_requires = ["miniunit>=1"]\n')
            proc = self.reverse()
            self.assertEqual(1, proc.returncode, (name, proc.stderr))
            self.assertEqual('regression',
                             json.loads(proc.stdout)['verdict'])
            (self.project / name).unlink()

    def test_bad_values_exit_2_before_any_build(self) -> None:
        cases = [
            (['--downstream-requires', 'not a requirement!'],
             "--downstream-requires: 'not a requirement!' is not a "
             'requirement'),
            (['--command', 'true', '--downstream-requires', 'miniunit'],
             '--downstream-requires needs --downstream'),
        ]
        for args, message in cases:
            proc = self.gate_cli('--downstream', 'consumer==1.0', *args) \
                if '--command' not in args else self.gate_cli(*args)
            self.assertEqual(2, proc.returncode, proc.stderr)
            self.assertEqual(1, len(proc.stderr.strip().splitlines()),
                             proc.stderr)
            self.assertIn(message, proc.stderr)
        (self.project / 'symbiosis.toml').write_text(
            '[gate]\ndownstream_requires = "miniunit"\n')
        proc = self.reverse()
        self.assertEqual(2, proc.returncode, proc.stderr)
        self.assertIn('symbiosis.toml: downstream_requires must be an array '
                      'of requirements', proc.stderr)
        envs = self.tmp / 'cache' / 'envs'
        self.assertFalse(envs.exists() and any(envs.iterdir()))


class TestGateSettings(DownstreamTestCase):

    def test_tables(self) -> None:
        self.assertEqual((), load_gate_settings(self.tmp).downstream_requires)
        (self.tmp / 'pyproject.toml').write_text(
            '[tool.symbiosis.gate]\ndownstream_requires = ["pytest>=8"]\n')
        got = load_gate_settings(self.tmp)
        self.assertEqual(('pytest>=8',), got.downstream_requires)
        self.assertEqual(str(self.tmp / 'pyproject.toml'), got.source)
        for table, message in (
            ({'downstream-requires': []}, 'unknown setting(s) in the gate '
             'table: downstream-requires'),
            ({'downstream_requires': [1]}, 'must be an array'),
            ({'downstream_requires': ['pytest>=']}, "'pytest>=' is not a "
             'requirement'),
        ):
            err = self.assertRaises(exception.ConfigError,
                                    gate_settings_from_mapping, table,
                                    source='here.toml')
            self.assertIn(message, str(err))
            self.assertTrue(str(err).startswith('here.toml: '))
