"""``symbiosis constraints update``: real files, a real local index, real
gates; the store is a SQLite file in the test's directory."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

from symbiosis.constraints._file import read_constraints
from symbiosis.exception import InputError
from tests import base
from tests.indexserver import LocalIndexTestCase
from tests.test_store import job

PROBES = '''\
import uplib


def test_value():
    assert uplib.value() == 1


def test_name():
    assert uplib.NAME == 'uplib'
'''

# Every other line must come back byte for byte: CRLF, markers, comments,
# options, ranges, a pin of another project and trailing blanks.
CONSTRAINTS = (
    b'# upper constraints\r\n'
    b'-c other-constraints.txt\n'
    b'uplib===1.0  # the library under test\n'
    b"oldlib==0.1 ; python_version < '3'\r\n"
    b'ranged>=1.0\n'
    b'\n'
)


class TestConstraintsFile(base.TestCase):

    def write(self, data: bytes) -> pathlib.Path:
        path = self.tmp / 'upper-constraints.txt'
        path.write_bytes(data)
        return path

    def test_pins_and_untouched_lines(self) -> None:
        file = read_constraints(self.write(CONSTRAINTS))
        self.assertEqual([('uplib', '1.0', 3), ('oldlib', '0.1', 4)],
                         [(p.name, p.version, p.line) for p in file.pins])
        self.assertEqual([True, False], [p.applies() for p in file.pins])
        self.assertEqual(CONSTRAINTS.decode(), file.render({}, {}))
        raised = file.render({3: '1.2'}, {3: '2.0: regressed: p'})
        self.assertEqual(
            CONSTRAINTS.decode().replace(
                'uplib===1.0', '# symbiosis: held back uplib===2.0: '
                'regressed: p\nuplib===1.2'), raised)
        # The comment is replaced, not repeated, and removed on request.
        again = read_constraints(self.write(raised.encode()))
        self.assertEqual(raised, again.render({}, {4: '2.0: regressed: p'}))
        self.assertEqual(CONSTRAINTS.decode().replace('1.0', '1.2', 1),
                         again.render({}, {4: None}))

    def test_a_bad_line_is_named_by_file_and_line(self) -> None:
        path = self.write(b'good===1.0\n\nthis is not ( a requirement\n')
        error = self.assertRaises(InputError, read_constraints, path)
        self.assertTrue(str(error).startswith(f'{path}:3: not a '
                                              'requirement'), str(error))


class ConstraintsTestCase(LocalIndexTestCase):

    def setUp(self) -> None:
        super().setUp()
        self.probes = self.tmp / 'probes_uplib.py'
        self.probes.write_text(PROBES)
        self.store = f'sqlite:///{self.tmp}/store.sqlite'

    def publish(self, version: str, value: int) -> None:
        dist = self.make_dist('uplib', version, {
            'uplib/__init__.py':
                f"NAME = 'uplib'\n\ndef value():\n    return {value}\n"})
        self.index.publish(dist.wheel)

    def symbiosis(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, SYMBIOSIS_INDEX_URL=self.index.url + '/simple',
                   SYMBIOSIS_CACHE_DIR=str(self.tmp / 'cache'),
                   SYMBIOSIS_STORE_URL=self.store)
        env.pop('SYMBIOSIS_OFFLINE', None)
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', *args],
            capture_output=True, text=True, timeout=600, env=env,
            cwd=str(self.tmp), check=False)


class TestConstraintsUpdate(ConstraintsTestCase):

    def test_raise_hold_back_and_bisect(self) -> None:
        for version, value in (('1.0', 1), ('1.1', 1), ('1.2', 1),
                               ('2.0', 2)):
            self.publish(version, value)
        path = self.tmp / 'upper-constraints.txt'
        path.write_bytes(CONSTRAINTS)
        # --dry-run: the diff, nothing written.
        dry = self.symbiosis('constraints', 'update', str(path),
                             '--probes', str(self.probes), '--dry-run')
        self.assertEqual(1, dry.returncode, dry.stderr)
        self.assertEqual(CONSTRAINTS, path.read_bytes())
        self.assertIn('-uplib===1.0  # the library under test\n'
                      '+# symbiosis: held back uplib===2.0: regressed: '
                      'probes_uplib.py::test_value\n'
                      '+uplib===1.2  # the library under test\n',
                      dry.stdout)
        result = self.symbiosis('constraints', 'update', str(path),
                                '--probes', str(self.probes), '-f', 'json')
        self.assertEqual(1, result.returncode, result.stderr)
        report = json.loads(result.stdout)
        [pin] = report['pins']
        self.assertEqual(
            {'name': 'uplib', 'pinned': '1.0', 'decision': 'held-back',
             'version': '1.2', 'held': '2.0',
             'regressed': ['probes_uplib.py::test_value']},
            {k: pin[k] for k in ('name', 'pinned', 'decision', 'version',
                                 'held', 'regressed')})
        # The newest, then the two in between: ceil(log2(3)) more.
        self.assertEqual(3, pin['gates'])
        self.assertEqual(
            CONSTRAINTS.replace(
                b'uplib===1.0', b'# symbiosis: held back uplib===2.0: '
                b'regressed: probes_uplib.py::test_value\nuplib===1.2'),
            path.read_bytes())
        history = json.loads(self.symbiosis(
            'history', 'uplib', '-f', 'json').stdout)['runs']
        # The dry run gated too (and recorded it).
        self.assertEqual([('1.0', '2.0', 'regression'),
                          ('1.0', '1.1', 'pass'), ('1.0', '1.2', 'pass')] * 2,
                         [(r['baseline'], r['candidate'], r['verdict'])
                          for r in history])
        # A fixed release moves the pin and drops the comment.
        self.publish('2.1', 1)
        fixed = self.symbiosis('constraints', 'update', str(path),
                               '--probes', str(self.probes))
        self.assertEqual(0, fixed.returncode, fixed.stderr)
        self.assertEqual('uplib: raised 1.2 -> 2.1\n', fixed.stdout)
        self.assertEqual(CONSTRAINTS.replace(b'1.0', b'2.1', 1),
                         path.read_bytes())
        # Nothing newer: current, exit 0, the file unchanged.
        current = self.symbiosis('constraints', 'update', str(path),
                                 '--probes', str(self.probes))
        self.assertEqual((0, 'uplib 2.1: current\n'),
                         (current.returncode, current.stdout))

    def test_flaky_history_does_not_hold_back(self) -> None:
        from symbiosis.store._store import open_store

        self.publish('1.0', 1)
        self.publish('2.0', 2)
        probe = 'probes_uplib.py::test_value'
        with open_store(self.store) as store:
            # An earlier run saw the probe both pass and fail on 2.0.
            earlier = store.recorder('uplib', '1.0', '2.0')
            earlier(job('candidate|||probes_uplib.py|0'),
                    [_outcome(probe, 'fail')])
            earlier(job('candidate|||probes_uplib.py|1'),
                    [_outcome(probe, 'pass')])
            earlier.interrupted('seeded')
        path = self.tmp / 'requirements.txt'
        path.write_text('uplib==1.0\n')
        result = self.symbiosis('constraints', 'update', str(path),
                                '--probes', str(self.probes), '-f', 'json')
        self.assertEqual(0, result.returncode, result.stderr)
        [pin] = json.loads(result.stdout)['pins']
        self.assertEqual(('raised', '2.0'), (pin['decision'],
                                             pin['version']))
        self.assertEqual({probe: '2.0: 1 pass, 1 fail'}, pin['flaky'])
        self.assertEqual('uplib==2.0\n', path.read_text())

    def test_bad_input(self) -> None:
        path = self.tmp / 'c.txt'
        data = b'uplib===1.0\nnot ( valid\n'
        path.write_bytes(data)
        result = self.symbiosis('constraints', 'update', str(path),
                                '--probes', str(self.probes))
        self.assertEqual(2, result.returncode)
        self.assertEqual(f'symbiosis: error: {path}:2: not a requirement',
                         result.stderr.split(": 'not", 1)[0])
        self.assertEqual(data, path.read_bytes())
        for args, words in (
                ([], 'give --probes PATH, --command CMD or --downstream'),
                (['--probes', str(self.probes), '--only', 'nosuch'],
                 '--only nosuch: ')):
            with self.subTest(args=args):
                path.write_bytes(b'uplib===1.0\n')
                result = self.symbiosis('constraints', 'update', str(path),
                                        *args)
                self.assertEqual(2, result.returncode, result.stderr)
                self.assertIn(words, result.stderr)


def _outcome(probe: str, status: str) -> object:
    from symbiosis.probes._model import Outcome
    from symbiosis.probes._model import OutcomeStatus

    return Outcome(probe, OutcomeStatus(status))
