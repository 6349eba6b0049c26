"""symbiosis.probes: model, static discovery, parsers and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
import dataclasses
import io
import json
import pickle
import subprocess
import sys
import unittest

from symbiosis.config import Config
from symbiosis.probes import ProbeKind
from symbiosis.probes import ProbeRun
from symbiosis.probes import _jobs as jobs
from symbiosis.probes._junit import parse_junit
from symbiosis.probes._kinds.function import FunctionKind
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from symbiosis.probes._model import Probe
from symbiosis.probes._protocol import MarkerSplitter
from symbiosis.probes._subunit import parse_subunit
from tests import base
from tests.test_cli import run_cli

PROBES = '''\
import unittest

from symbiosis.probes import probe
from symbiosis.probes import probe as check

raise SystemExit('discovery must never import this file')


@probe
def bare():
    pass


@probe(timeout=2.5, requires=['requests>=2'])
def with_options():
    pass


@check(timeout=1)
def aliased():
    pass


def test_plain():
    pass


def helper():
    pass


class Base(unittest.TestCase):
    def test_inherited(self):
        pass


class Derived(Base):
    def test_own(self):
        pass

    def not_a_test(self):
        pass


class NotATest:
    def test_ignored(self):
        pass
'''


class TestModel(base.TestCase):
    def test_probe_round_trips_through_json_and_pickle(self) -> None:
        probe = Probe(
            id='p.py::x', kind='function', source='/p.py', line=3,
            requires=('a>=1',), timeout=2.0, data={'k': [1, 2]},
        )
        again = Probe.from_json(json.loads(json.dumps(probe.to_json())))
        self.assertEqual(probe, again)
        self.assertEqual(probe, pickle.loads(pickle.dumps(probe)))
        self.assertEqual('x', probe.name)
        self.assertIsNone(probe.broken)

    def test_outcome_round_trips(self) -> None:
        outcome = Outcome(
            'p.py::x', OutcomeStatus.TIMEOUT, message='m', output='o',
            truncated=True, duration=1.5, location='p.py:3',
            cause='probe-timeout',
        )
        data = json.loads(json.dumps(outcome.to_json()))
        self.assertEqual('timeout', data['status'])
        self.assertEqual(outcome, Outcome.from_json(data))
        self.assertFalse(outcome.ok)

    def test_job_round_trips_and_pickles(self) -> None:
        job = jobs.ProbeJob(
            probes=(Probe('a.py::t', 'function'),), python='/bin/python3',
            env={'A': '1'}, timeout=3.0, upstream='x==1', label='candidate',
        )
        self.assertEqual(job, jobs.ProbeJob.from_json(
            json.loads(json.dumps(job.to_json()))))
        self.assertEqual(job, pickle.loads(pickle.dumps(job)))

    def test_error_outcomes_share_the_failure(self) -> None:
        from symbiosis.probes._model import Cause
        from symbiosis.probes._model import error_outcomes

        probes = [Probe('a.py::t', 'function'), Probe('a.py::u', 'function')]
        outcomes = error_outcomes(probes, 'cannot start', Cause.SPAWN_FAILED,
                                  output='o')
        self.assertEqual(['a.py::t', 'a.py::u'],
                         [o.probe_id for o in outcomes])
        for outcome in outcomes:
            self.assertEqual(
                ('error', 'cannot start', 'spawn-failed', 'o'),
                (outcome.status, outcome.message, outcome.cause,
                 outcome.output))
            self.assertEqual('spawn-failed', outcome.to_json()['cause'])

    def test_bad_json_is_a_value_error(self) -> None:
        self.assertRaises(ValueError, Probe.from_json, {'id': 'x'})
        self.assertRaises(ValueError, Outcome.from_json,
                          {'probe_id': 'x', 'status': 'exploded'})

    def test_probe_import_is_cheap(self) -> None:
        code = (
            'import sys\nfrom symbiosis.probes import probe\n'
            'heavy = {"stevedore", "cliff", "futurist", "fixtures", '
            '"testtools"}\n'
            'print(sorted(m for m in sys.modules '
            'if m.split(".")[0] in heavy))\n'
        )
        result = subprocess.run([sys.executable, '-c', code],
                                capture_output=True, text=True, check=True)
        self.assertEqual('[]', result.stdout.strip())


class TestDecorator(base.TestCase):
    def test_bare_and_with_options(self) -> None:
        from symbiosis.probes import probe

        @probe
        def one() -> int:
            return 1

        @probe(timeout=3, requires=['x'])
        def two() -> int:
            return 2

        self.assertEqual(1, one())
        self.assertEqual({'timeout': None, 'requires': []},
                         one.__symbiosis_probe__)  # type: ignore[attr-defined]
        self.assertEqual({'timeout': 3.0, 'requires': ['x']},
                         two.__symbiosis_probe__)  # type: ignore[attr-defined]

    def test_bad_options_are_type_errors(self) -> None:
        from symbiosis.probes import probe

        self.assertRaises(TypeError, probe, timeout=-1)
        self.assertRaises(TypeError, probe, timeout='1')
        self.assertRaises(TypeError, probe, requires='requests')


class TestDiscovery(base.TestCase):
    def test_static_discovery_finds_every_probe_form(self) -> None:
        root = self.write_tree({'probes/test_things.py': PROBES})
        found = FunctionKind().discover(str(root / 'probes'))
        by_id = {p.id: p for p in found}
        self.assertEqual([
            'test_things.py::bare',
            'test_things.py::with_options',
            'test_things.py::aliased',
            'test_things.py::test_plain',
            'test_things.py::Base::test_inherited',
            'test_things.py::Derived::test_inherited',
            'test_things.py::Derived::test_own',
        ], [p.id for p in found])
        options = by_id['test_things.py::with_options']
        self.assertEqual(2.5, options.timeout)
        self.assertEqual(('requests>=2',), options.requires)
        self.assertEqual(1.0, by_id['test_things.py::aliased'].timeout)
        self.assertEqual(10, by_id['test_things.py::bare'].line)

    def test_ids_are_relative_to_the_root(self) -> None:
        root = self.write_tree({
            'probes/a/test_x.py': 'def test_one(): pass\n',
            'probes/b/test_x.py': 'def test_one(): pass\n',
            'probes/.hidden/test_h.py': 'def test_h(): pass\n',
            'probes/venv/pyvenv.cfg': '',
            'probes/venv/test_v.py': 'def test_v(): pass\n',
        })
        ids = [p.id for p in jobs.discover([str(root / 'probes')])]
        self.assertEqual(
            ['a/test_x.py::test_one', 'b/test_x.py::test_one'], ids)
        ids = [p.id for p in jobs.discover([str(root / 'probes/a'),
                                            str(root / 'probes/b')])]
        self.assertEqual(
            ['a/test_x.py::test_one', 'b/test_x.py::test_one'], ids)

    def test_syntax_error_is_a_broken_probe_naming_file_and_line(
        self,
    ) -> None:
        root = self.write_tree({
            'bad.py': 'def test_a():\n    pass\n\ndef test_b(:\n',
            'good.py': 'def test_ok(): pass\n',
        })
        found = jobs.discover([str(root)])
        self.assertEqual(['bad.py', 'good.py::test_ok'],
                         [p.id for p in found])
        self.assertIn('bad.py:4', found[0].broken or '')
        self.assertIn('SyntaxError', found[0].broken or '')

    def test_missing_path_is_an_input_error(self) -> None:
        from symbiosis import exception

        self.assertRaises(exception.InputError, jobs.discover,
                          [str(self.tmp / 'nope')])

    def test_command_and_static_probes_from_config(self) -> None:
        root = self.write_tree({
            'symbiosis-probes.toml': '''
                [commands]
                unit = "pytest -q --junitxml={junitxml}"

                [commands.suite]
                command = ["stestr", "run", "--subunit"]
                format = "subunit"
                timeout = 9
                requires = ["stestr"]

                [usage]
                names = ["tinylib.parse"]

                [semver]
                baseline = "tinylib==1.0.0"
            ''',
        })
        found = {p.id: p for p in jobs.discover([str(root)])}
        self.assertEqual({
            'symbiosis-probes.toml::unit', 'symbiosis-probes.toml::suite',
            'symbiosis-probes.toml::usage', 'symbiosis-probes.toml::semver',
        }, set(found))
        suite = found['symbiosis-probes.toml::suite']
        self.assertEqual('command', suite.kind)
        self.assertEqual(9.0, suite.timeout)
        self.assertEqual(('stestr',), suite.requires)
        self.assertEqual(['stestr', 'run', '--subunit'], suite.data['argv'])
        self.assertEqual(['tinylib.parse'],
                         found['symbiosis-probes.toml::usage'].data['names'])

    def test_pyproject_table(self) -> None:
        root = self.write_tree({
            'pyproject.toml': '''
                [project]
                name = "consumer"
                [tool.symbiosis.probes.commands]
                unit = "python -m unittest"
            ''',
        })
        found = jobs.discover([str(root)])
        self.assertEqual(['pyproject.toml::unit'], [p.id for p in found])

    def test_probes_table_of_the_project_settings_file(self) -> None:
        # The file the API and release settings live in holds probes too,
        # under [probes]; its other tables are not probes.
        root = self.write_tree({
            'symbiosis.toml': '''
                [api]
                fail_on = "minor"

                [probes.commands]
                unit = "python -m unittest"

                [probes.usage]
                names = ["tinylib.parse"]
            ''',
        })
        found = {p.id: p for p in jobs.discover([str(root)])}
        self.assertEqual({'symbiosis.toml::unit', 'symbiosis.toml::usage'},
                         set(found))
        self.assertEqual(['tinylib.parse'],
                         found['symbiosis.toml::usage'].data['names'])

    def test_unreadable_settings_file_names_it(self) -> None:
        root = self.write_tree({'symbiosis.toml': '[probes\n'})
        found = jobs.discover([str(root)])
        self.assertEqual(1, len(found), found)
        self.assertIn('symbiosis.toml', found[0].broken or '')


class RecordingKind(ProbeKind):
    """A kind as a plugin writes one: it reports the runs it was given."""

    name = 'recording'
    description = 'passes every probe, keeping each run'

    def __init__(self) -> None:
        self.runs: list[ProbeRun] = []

    def discover(self, path: str, *, root: str | None = None) -> list[Probe]:
        return []

    def run(self, run: ProbeRun) -> Iterator[Outcome]:
        self.runs.append(run)
        for probe in run.probes:
            yield Outcome(probe.id, OutcomeStatus.PASS,
                          message=f'in {run.python} with {run.upstream}')


class TestKindInterface(base.TestCase):
    def test_each_kind_gets_one_run_holding_its_own_probes(self) -> None:
        kind = RecordingKind()
        probes = [Probe('a', 'recording'), Probe('b', 'missing'),
                  Probe('c', 'recording')]
        config = Config(use_cache=False)
        outcomes = list(jobs.run_probes(
            probes, '/env/bin/python', {'A': '1'}, '/work', 5.0,
            upstream='lib==2', baseline='lib==1', config=config,
            kinds={'recording': kind},
        ))
        self.assertEqual([ProbeRun(
            probes=(probes[0], probes[2]), python='/env/bin/python',
            env={'A': '1'}, cwd='/work', timeout=5.0, upstream='lib==2',
            baseline='lib==1', config=config,
        )], kind.runs)
        self.assertEqual(
            [('a', 'pass'), ('c', 'pass'), ('b', 'error')],
            [(o.probe_id, o.status.value) for o in outcomes])
        self.assertEqual('in /env/bin/python with lib==2',
                         outcomes[0].message)

    def test_run_is_frozen_keyword_only_and_defaults_the_rest(self) -> None:
        self.assertRaises(TypeError, ProbeRun, (), '/env/bin/python')
        run = ProbeRun(probes=(), python='/env/bin/python')
        self.assertEqual((None, None, None, None, None, None),
                         (run.env, run.cwd, run.timeout, run.upstream,
                          run.baseline, run.config))
        self.assertRaises(dataclasses.FrozenInstanceError,
                          setattr, run, 'timeout', 1.0)


class TestParsers(base.TestCase):
    def test_junit(self) -> None:
        xml = b'''<?xml version="1.0"?>
        <testsuites><testsuite name="s">
          <testcase classname="t.T" name="test_ok" time="0.5"/>
          <testcase classname="t.T" name="test_bad" file="t.py" line="7">
            <failure message="assert 1 == 2">Traceback...
        AssertionError</failure></testcase>
          <testcase classname="t.T" name="test_skip">
            <skipped message="not today"/></testcase>
          <testcase classname="t.T" name="test_err">
            <error message="fixture broke"/></testcase>
        </testsuite></testsuites>'''
        outcomes = {o.probe_id: o for o in parse_junit(xml)}
        self.assertEqual(OutcomeStatus.PASS, outcomes['t.T.test_ok'].status)
        self.assertEqual(0.5, outcomes['t.T.test_ok'].duration)
        bad = outcomes['t.T.test_bad']
        self.assertEqual(OutcomeStatus.FAIL, bad.status)
        self.assertEqual('assert 1 == 2', bad.message)
        self.assertEqual('t.py:7', bad.location)
        self.assertEqual(OutcomeStatus.SKIP,
                         outcomes['t.T.test_skip'].status)
        self.assertEqual(OutcomeStatus.ERROR,
                         outcomes['t.T.test_err'].status)
        self.assertRaises(ValueError, parse_junit, b'<not xml')

    def test_subunit_v2_stream_with_noise(self) -> None:
        import subunit
        import testtools

        class Sample(unittest.TestCase):
            def test_ok(self) -> None:
                pass

            def test_bad(self) -> None:
                self.assertEqual(1, 2)

            def test_skip(self) -> None:
                self.skipTest('not here')

            @unittest.expectedFailure
            def test_xfail(self) -> None:
                raise AssertionError

        stream = io.BytesIO()
        result = testtools.ExtendedToStreamDecorator(
            subunit.StreamResultToBytes(stream))
        result.startTestRun()
        unittest.TestLoader().loadTestsFromTestCase(Sample).run(result)
        result.stopTestRun()
        data = b'noise\n\xb3\x00' + stream.getvalue() + b'\xb3trailing'
        outcomes = {o.probe_id.rpartition('.')[2]: o
                    for o in parse_subunit(data)}
        self.assertEqual(
            {'test_ok': OutcomeStatus.PASS, 'test_bad': OutcomeStatus.FAIL,
             'test_skip': OutcomeStatus.SKIP,
             'test_xfail': OutcomeStatus.PASS},
            {k: o.status for k, o in outcomes.items()})
        self.assertIn('AssertionError: 1 != 2', outcomes['test_bad'].message)
        self.assertIn('Traceback', outcomes['test_bad'].traceback)
        self.assertEqual('not here', outcomes['test_skip'].message)

    def test_subunit_test_without_end_is_an_error(self) -> None:
        import subunit

        stream = io.BytesIO()
        writer = subunit.StreamResultToBytes(stream)
        writer.status(test_id='t.crashed', test_status='inprogress')
        [outcome] = parse_subunit(stream.getvalue())
        self.assertEqual(OutcomeStatus.ERROR, outcome.status)

    def _three_tests(self) -> tuple[bytes, list[int]]:
        """A stream of three passing tests and where each packet ends."""
        import subunit

        stream = io.BytesIO()
        writer = subunit.StreamResultToBytes(stream)
        ends = []
        for name in ('a', 'b', 'c'):
            for status in ('inprogress', 'success'):
                writer.status(test_id=f't.{name}', test_status=status)
                ends.append(stream.tell())
        return stream.getvalue(), ends

    def test_subunit_damaged_packet_costs_that_packet_only(self) -> None:
        import fixtures

        data, ends = self._three_tests()
        garbled = bytearray(data)
        # Flip a byte of b's final packet: its checksum no longer matches.
        garbled[ends[3] - 6] ^= 0xFF
        logs = self.useFixture(fixtures.FakeLogger(
            name='symbiosis.probes._subunit'))
        outcomes = {o.probe_id: o.status
                    for o in parse_subunit(bytes(garbled))}
        self.assertEqual({'t.a': OutcomeStatus.PASS,
                          't.b': OutcomeStatus.ERROR,
                          't.c': OutcomeStatus.PASS}, outcomes)
        [line] = logs.output.splitlines()
        self.assertIn('1 damaged stretch(es)', line)
        self.assertIn('checksum', line)
        self.assertIn('kept 3 test(s)', line)

    def test_subunit_truncated_stream_keeps_what_was_decoded(self) -> None:
        import fixtures

        data, ends = self._three_tests()
        logs = self.useFixture(fixtures.FakeLogger(
            name='symbiosis.probes._subunit'))
        # Cut inside c's final packet, as a killed writer leaves it.
        outcomes = parse_subunit(data[:ends[5] - 3])
        self.assertEqual(
            [('t.a', OutcomeStatus.PASS), ('t.b', OutcomeStatus.PASS),
             ('t.c', OutcomeStatus.ERROR)],
            [(o.probe_id, o.status) for o in outcomes])
        self.assertEqual('the test started but never finished',
                         outcomes[2].message)
        [line] = logs.output.splitlines()
        self.assertIn('Short read', line)

    def test_subunit_stray_output_is_skipped_quietly(self) -> None:
        import logging

        import fixtures

        data, ends = self._three_tests()
        logs = self.useFixture(fixtures.FakeLogger(
            name='symbiosis.probes._subunit', level=logging.DEBUG))
        # A lone UTF-8 lead byte right before a packet must not hide it.
        noisy = (b'collecting...\n' + data[:ends[1]] + b'print \xc3'
                 + data[ends[1]:] + b'done\n')
        self.assertEqual(
            ['t.a', 't.b', 't.c'],
            [o.probe_id for o in parse_subunit(noisy) if o.ok])
        [line] = logs.output.splitlines()
        self.assertIn('skipped 26 byte(s) that are not packets', line)
        self.assertNotIn('damaged', line)

    def test_marker_split_across_reads(self) -> None:
        marker = '@@m@@'
        stream = (b'out1\n@@m@@ {"event": "start"}\nabc'
                  b'\n@@m@@ {"event": "outcome"}\n\n@@m@@ not json\ntail')
        for size in (1, 3, 7, len(stream)):
            splitter = MarkerSplitter(marker)
            items = []
            for i in range(0, len(stream), size):
                items.extend(splitter.feed(stream[i:i + size]))
            output = b''.join(v for k, v in items if k == 'output')
            output += splitter.flush()
            events = [v['event'] for k, v in items if k == 'message']
            self.assertEqual(['start', 'outcome'], events)
            self.assertEqual(b'out1abctail', output)
            self.assertEqual([b'not json'],
                             [v for k, v in items if k == 'garbled'])


class TestProbeListCommand(base.TestCase):
    def test_text_lists_kind_and_id(self) -> None:
        root = self.write_tree({'probes/test_things.py': PROBES})
        result = run_cli('probe', 'list', str(root / 'probes'))
        self.assertEqual(0, result.returncode, result.stderr)
        lines = result.stdout.splitlines()
        self.assertIn('function  test_things.py::bare', lines)
        self.assertIn('function  test_things.py::Derived::test_own', lines)

    def test_json(self) -> None:
        root = self.write_tree({'probes/test_things.py': PROBES})
        result = run_cli('probe', 'list', str(root / 'probes'),
                         '--format', 'json')
        self.assertEqual(0, result.returncode, result.stderr)
        data = json.loads(result.stdout)
        kinds = {k['name'] for k in data['kinds']}
        self.assertTrue({'function', 'command', 'usage', 'semver'} <= kinds)
        self.assertEqual(7, len(data['probes']))
        self.assertEqual('function', data['probes'][0]['kind'])

    def test_missing_path_is_exit_2_one_line(self) -> None:
        result = run_cli('probe', 'list', str(self.tmp / 'nope'))
        self.assertEqual(2, result.returncode)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(1, len(lines), result.stderr)
        self.assertIn('nope', lines[0])

    def test_unreadable_file_is_exit_1_and_a_warning(self) -> None:
        root = self.write_tree({'bad.py': 'def test_x(:\n',
                                'ok.py': 'def test_y(): pass\n'})
        result = run_cli('probe', 'list', str(root))
        self.assertEqual(1, result.returncode)
        self.assertIn('bad.py:1', result.stderr)
        self.assertIn('ok.py::test_y', result.stdout)
