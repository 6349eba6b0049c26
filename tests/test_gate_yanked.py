"""Yanked and deleted releases, from a real local index (PEP 592, 700).

``gatelib`` 1.0 and 2.0 are fine, 1.1 is yanked ("broken build") and
1.5 was deleted (the index lists the version, but none of its files).
The gate, ``api diff`` and ``semver`` say so; the nearest versions
suggested for a missing one are never yanked.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

from symbiosis import exception
from symbiosis.gate._specs import InstallSpec
from symbiosis.gate._specs import check_release
from symbiosis.sources._index import fetch_release
from symbiosis.sources._releases import ReleaseState
from symbiosis.sources._releases import release_state
from tests.indexserver import LocalIndexTestCase

COMMAND = 'python -c "import gatelib; assert gatelib.value() == 1"'


class YankedTestCase(LocalIndexTestCase):

    def setUp(self) -> None:
        super().setUp()
        self.wheels = {}
        for version, value in (('1.0', 1), ('1.1', 1), ('2.0', 2)):
            dist = self.make_dist('gatelib', version, {
                'gatelib/__init__.py':
                    f'def value():\n    return {value}\n'})
            self.wheels[version] = dist.wheel
        self.serve()

    def serve(self, *, without: tuple[str, ...] = ()) -> None:
        entries = []
        for version, wheel in self.wheels.items():
            if version in without:
                continue
            entry = {'filename': wheel.name,
                     'hashes': {'sha256': self.index.add_file(wheel)}}
            if version == '1.1':
                entry['yanked'] = 'broken build'
            entries.append(entry)
        self.index.add_json_entries(
            'gatelib', entries, versions=['1.0', '1.1', '1.5', '2.0'])

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, SYMBIOSIS_INDEX_URL=self.index.url + '/simple',
                   SYMBIOSIS_CACHE_DIR=str(self.tmp / 'cache'))
        env.pop('SYMBIOSIS_OFFLINE', None)
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', *args],
            capture_output=True, text=True, timeout=180, env=env,
            cwd=str(self.tmp), check=False)


class TestReleaseState(YankedTestCase):

    def test_states(self) -> None:
        config = self.config()
        self.assertEqual(ReleaseState(),
                         release_state('gatelib==1.0', config))
        self.assertEqual(ReleaseState(yanked='broken build'),
                         release_state('gatelib==1.1', config))
        self.assertEqual(ReleaseState(deleted=True),
                         release_state('gatelib==1.5', config))
        self.assertEqual('yanked: broken build',
                         ReleaseState(yanked='broken build').describe())
        self.assertEqual('yanked: no reason given',
                         ReleaseState(yanked='').describe())
        self.assertIsNone(release_state('gatelib>=1', config))
        self.assertIsNone(release_state(str(self.wheels['1.0']), config))
        # Offline with nothing cached, the index cannot say.
        self.assertIsNone(release_state(
            'gatelib==1.1', self.config(offline=True,
                                        cache_dir=self.tmp / 'empty')))

    def test_nearest_versions_are_never_yanked(self) -> None:
        config = self.config()
        err = self.assertRaises(exception.VersionNotFound, fetch_release,
                                'gatelib==1.2', config)
        self.assertIn('nearest available: 1.0, 2.0', str(err))
        err = self.assertRaises(exception.VersionNotFound, check_release,
                                'gatelib', InstallSpec('1.2', 'gatelib==1.2'),
                                config)
        self.assertIn('nearest available: 1.0, 2.0', str(err))

    def test_a_deleted_release_is_named(self) -> None:
        config = self.config()
        for call in (
            lambda: fetch_release('gatelib==1.5', config),
            lambda: check_release('gatelib', InstallSpec(
                '1.5', 'gatelib==1.5'), config),
        ):
            err = self.assertRaises(exception.TargetError, call)
            self.assertIn('gatelib 1.5 was deleted from the index (it lists '
                          'the version but none of its files); nearest '
                          'available: 1.0, 2.0', str(err))
            self.assertEqual(2, err.exit_code)


class TestGateYanked(YankedTestCase):

    def test_a_yanked_candidate_is_said_with_its_reason(self) -> None:
        args = ('gate', 'gatelib', '--baseline', '1.0', '--candidate',
                '1.1', '--command', COMMAND, '--reruns', '0')
        proc = self.cli(*args)
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertIn('yanked: the candidate gatelib 1.1 is yanked on the '
                      'index: broken build\n', proc.stdout)
        self.assertNotIn('the baseline', proc.stdout)
        data = json.loads(self.cli(*args, '--format', 'json').stdout)
        self.assertEqual({'baseline': None, 'candidate': 'broken build'},
                         data['yanked'])
        self.assertEqual('pass', data['verdict'])
        self.assertEqual(['1.1'], [e['version'] for e in data['environments']
                                   if e['side'] == 'candidate'])

    def test_a_deleted_or_missing_release_exits_2(self) -> None:
        for candidate, message in (
            ('1.5', 'symbiosis: error: gatelib==1.5: gatelib 1.5 was '
             'deleted from the index (it lists the version but none of '
             'its files); nearest available: 1.0, 2.0'),
            ('1.2', "symbiosis: error: gatelib==1.2: gatelib has no "
             "release '1.2'; nearest available: 1.0, 2.0"),
        ):
            proc = self.cli('gate', 'gatelib', '--baseline', '1.0',
                            '--candidate', candidate, '--command', COMMAND)
            self.assertEqual(2, proc.returncode, proc.stderr)
            self.assertEqual(message, proc.stderr.strip())


class TestApiYanked(YankedTestCase):

    def test_api_diff_and_semver_say_yanked(self) -> None:
        proc = self.cli('api', 'diff', 'gatelib==1.1', 'gatelib==2.0')
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertIn('note: OLD gatelib==1.1: yanked: broken build\n',
                      proc.stdout)
        self.assertNotIn('NEW', proc.stdout)
        proc = self.cli('api', 'diff', 'gatelib==1.0', 'gatelib==1.1',
                        '--format', 'json')
        data = json.loads(proc.stdout)
        self.assertEqual({'old': None, 'new': 'broken build'},
                         data['yanked'])
        self.assertEqual({'old': False, 'new': False}, data['deleted'])
        self.assertIn('changes', data)
        proc = self.cli('semver', 'gatelib==1.0', 'gatelib==1.1')
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertIn('note: NEW gatelib==1.1: yanked: broken build\n',
                      proc.stdout)
        data = json.loads(self.cli('semver', 'gatelib==1.0', 'gatelib==1.1',
                                   '--format', 'json').stdout)
        self.assertEqual({'old': None, 'new': 'broken build'},
                         data['yanked'])
        self.assertIn('required_bump', data)
        # Local files are no releases: nothing is said of them.
        data = json.loads(self.cli(
            'api', 'diff', str(self.wheels['1.0']), 'gatelib==2.0',
            '--format', 'json').stdout)
        self.assertEqual({'old': None, 'new': None}, data['yanked'])
        self.assertEqual({'old': None, 'new': False}, data['deleted'])

    def test_a_release_deleted_since_it_was_read(self) -> None:
        proc = self.cli('api', 'diff', 'gatelib==1.0', 'gatelib==2.0')
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertNotIn('note:', proc.stdout)
        # 1.0 is deleted; the cached project page has expired.
        self.serve(without=('1.0',))
        shutil.rmtree(pathlib.Path(self.tmp / 'cache' / 'index'))
        proc = self.cli('api', 'diff', 'gatelib==1.0', 'gatelib==2.0')
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertIn('note: OLD gatelib==1.0: deleted from the index\n',
                      proc.stdout)
        data = json.loads(self.cli('semver', 'gatelib==1.0', 'gatelib==2.0',
                                   '--format', 'json').stdout)
        self.assertEqual({'old': True, 'new': False}, data['deleted'])
