"""A gate of several candidates: ``--candidate`` repeated and
``--candidate-range``, against one baseline run once.

The releases are real wheels built by the test and served by a local
index (a range is expanded from the index); the gate runs as a real
subprocess, as users run it.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap
from typing import Any

from symbiosis import exception
from symbiosis.gate._candidates import expand_range
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import Side
from symbiosis.gate._model import Verdict
from symbiosis.gate._plan import Variant
from symbiosis.gate._plan import plan_jobs
from symbiosis.gate._plan import variants
from symbiosis.gate._runner import run_gate
from symbiosis.gate._tally import Tally
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from symbiosis.probes._model import Probe
from tests import base
from tests.indexserver import LocalIndexTestCase

PASS = OutcomeStatus.PASS
FAIL = OutcomeStatus.FAIL

#: value() of each release: 1.2 breaks it, 1.4 (yanked) and 1.3rc1
#: (a pre-release) are never picked by a range unless asked.
VALUES = {'1.0': 1, '1.1': 1, '1.2': 2, '1.3rc1': 1, '1.4': 1}

#: Every probe run appends the version it ran against to this file.
PROBES = '''
import importlib.metadata

import candlib


def _ran():
    with open({log!r}, 'a') as fh:
        fh.write(importlib.metadata.version('candlib') + '\\n')


def test_value():
    _ran()
    assert candlib.value() == 1


def test_import():
    assert candlib.value() in (1, 2)
'''


def _job(side: Side, candidate: str | None, attempt: int = 0) -> Any:
    [planned] = plan_jobs([Variant(side, candidate=candidate)],
                          {None: [Probe('t.py::a', 'function')]}, attempt)
    return planned


class TestMatrixInMemory(base.TestCase):
    """The plan, tally and report of several candidates, as data."""

    def test_variants_put_one_baseline_beside_every_candidate(self) -> None:
        got = [(v.side.value, v.python, v.candidate)
               for v in variants(['3.10', '3.11'], [], ['1.1', '1.2'])]
        self.assertEqual([
            ('baseline', '3.10', None), ('candidate', '3.10', '1.1'),
            ('candidate', '3.10', '1.2'), ('baseline', '3.11', None),
            ('candidate', '3.11', '1.1'), ('candidate', '3.11', '1.2'),
        ], got)
        # A gate of one keeps its job keys (old journals still resume).
        self.assertEqual('candidate|||function:t.py|0',
                         _job(Side.CANDIDATE, None).key)
        self.assertEqual('candidate|||function:t.py|0|1.2',
                         _job(Side.CANDIDATE, '1.2').key)

    def tally(self) -> Tally:
        tally = Tally()
        tally.record(_job(Side.BASELINE, None), [Outcome('t.py::a', PASS)])
        tally.record(_job(Side.CANDIDATE, '1.1'), [Outcome('t.py::a', PASS)])
        tally.record(_job(Side.CANDIDATE, '1.2'), [Outcome('t.py::a', FAIL)])
        return tally

    def report(self, tally: Tally) -> GateReport:
        return tally.report(
            upstream='lib', baseline='1.0', candidate='>1.0',
            executor='sync', name_pythons=False, complete=True,
            candidates=('1.1', '1.2'), ranges={'>1.0': ('1.1', '1.2')})

    def test_worst_candidate_decides_and_reruns_go_where_needed(
            self) -> None:
        tally = self.tally()
        self.assertEqual(1, tally.regressions())
        matrix = [Variant(Side.BASELINE), Variant(Side.CANDIDATE, None,
                                                  None, '1.1'),
                  Variant(Side.CANDIDATE, None, None, '1.2')]
        again = tally.rerun_jobs(
            matrix, {None: [Probe('t.py::a', 'function')]}, 1)
        # The baseline and the failing candidate; not the passing one.
        self.assertEqual(['baseline|||function:t.py|1',
                          'candidate|||function:t.py|1|1.2'],
                         [j.key for j in again])
        report = self.report(tally)
        self.assertEqual(Verdict.REGRESSION, report.verdict)
        self.assertEqual(1, report.exit_code)
        self.assertIn('1.2: 1 of 1 probe(s) regressed', report.verdict_reason)
        self.assertEqual(['t.py::a @1.1', 't.py::a @1.2'],
                         [r.key for r in report.results])
        self.assertEqual(Verdict.PASS, report.for_candidate('1.1').verdict)
        self.assertRaises(ValueError, report.for_candidate, '1.3')
        data = report.to_json()
        self.assertEqual({'t.py::a': {'1.1': 'pass', '1.2': 'regression'}},
                         data['matrix'])
        self.assertEqual(['pass', 'regression'],
                         [c['verdict'] for c in data['candidates']])
        self.assertEqual({'>1.0': ['1.1', '1.2']}, data['candidate_ranges'])
        again_report = GateReport.from_json(json.loads(json.dumps(data)))
        self.assertEqual(data, again_report.to_json())

    def test_infra_error_is_worse_than_a_pass(self) -> None:
        tally = Tally()
        tally.record(_job(Side.BASELINE, None), [Outcome('t.py::a', PASS)])
        tally.record(_job(Side.CANDIDATE, '1.1'), [Outcome('t.py::a', PASS)])
        tally.record(_job(Side.CANDIDATE, '1.2'), [Outcome(
            't.py::a', OutcomeStatus.ERROR, cause='env-build-failed')])
        report = self.report(tally)
        self.assertEqual(Verdict.INFRA_ERROR, report.verdict)
        self.assertEqual(3, report.exit_code)

    def test_a_gate_of_one_only_adds_fields(self) -> None:
        tally = Tally()
        tally.record(_job(Side.BASELINE, None), [Outcome('t.py::a', PASS)])
        tally.record(_job(Side.CANDIDATE, None), [Outcome('t.py::a', FAIL)])
        report = tally.report(upstream='lib', baseline='1.0',
                              candidate='1.1', executor='sync',
                              name_pythons=False, complete=True)
        data = report.to_json()
        self.assertEqual('1.1', data['candidate'])
        self.assertNotIn('candidate_spec', data['results'][0])
        self.assertEqual('t.py::a', report.results[0].key)
        self.assertEqual([('1.1', 'regression', 1)], [
            (c['spec'], c['verdict'], c['exit_code'])
            for c in data['candidates']])
        self.assertEqual({'t.py::a': {'1.1': 'regression'}}, data['matrix'])
        self.assertEqual({}, data['candidate_ranges'])
        self.assertEqual((), GateReport.from_json(data).candidates)
        self.assertIs(report, report.for_candidate('1.1'))


class CandidatesTestCase(LocalIndexTestCase):
    """``candlib`` 1.0 to 1.4 on a local index, 1.4 yanked."""

    def setUp(self) -> None:
        super().setUp()
        entries = []
        self.wheels: dict[str, pathlib.Path] = {}
        for version, value in VALUES.items():
            wheel = self.make_dist('candlib', version, {
                'candlib/__init__.py':
                    f'def value():\n    return {value}\n'}).wheel
            self.wheels[version] = wheel
            entry: dict[str, Any] = {
                'filename': wheel.name,
                'hashes': {'sha256': self.index.add_file(wheel)}}
            if version == '1.4':
                entry['yanked'] = 'wrong value'
            entries.append(entry)
        self.index.add_json_entries('candlib', entries)
        self.log = self.tmp / 'ran.txt'
        self.probes = self.tmp / 'probes_candlib.py'
        self.probes.write_text(PROBES.format(log=str(self.log)),
                               encoding='utf-8')

    def gate(self, *args: str, quiet: bool = True,
             ) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, SYMBIOSIS_INDEX_URL=self.index.url + '/simple')
        env.pop('SYMBIOSIS_OFFLINE', None)
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app',
             *(['-q'] if quiet else []), 'gate', 'candlib', *args],
            capture_output=True, text=True, timeout=300, env=env,
            cwd=str(self.tmp), check=False)

    def runs(self) -> list[str]:
        """The versions test_value ran against since the last call."""
        try:
            lines = self.log.read_text(encoding='utf-8').splitlines()
        except FileNotFoundError:
            return []
        self.log.unlink()
        return sorted(lines)


class TestExpandRange(CandidatesTestCase):

    def test_releases_in_range_without_yanked_or_pre(self) -> None:
        config = self.config()
        self.assertEqual(('1.1', '1.2'),
                         expand_range('candlib', '>1.0', config))
        self.assertEqual(('1.1', '1.2', '1.3rc1'),
                         expand_range('candlib', '>1.0', config, pre=True))
        self.assertEqual(('1.0', '1.1'),
                         expand_range('candlib', '>=1.0,<1.2', config))

    def test_bad_ranges_name_the_input(self) -> None:
        config = self.config()
        for text, expected in (
                ('>2.0', '--candidate-range >2.0: no release of candlib '
                 'in that range (latest: 1.2)'),
                ('>1.2,<1.4', 'pre-releases in it: 1.3rc1 (give --pre)'),
                ('1.1', '--candidate-range 1.1: not a version range'),
                ('', 'not a version range')):
            with self.subTest(text=text):
                err = self.assertRaises(exception.InputError, expand_range,
                                        'candlib', text, config)
                self.assertIn(expected, str(err))


class TestCandidatesCli(CandidatesTestCase):

    def test_range_gates_every_release_against_one_baseline(self) -> None:
        output = self.tmp / 'out.json'
        proc = self.gate('--baseline', '1.0', '--candidate-range', '>1.0',
                         '--candidate', str(self.wheels['1.3rc1']),
                         '--probes', str(self.probes), '--format', 'json',
                         '--output', str(output), '--reruns', '0')
        self.assertEqual(1, proc.returncode, proc.stderr)
        report = json.loads(proc.stdout)
        # The baseline ran once; each candidate once.
        self.assertEqual(['1.0', '1.1', '1.2', '1.3rc1'], self.runs())
        specs = [str(self.wheels['1.3rc1']), '1.1', '1.2']
        self.assertEqual(specs, [c['spec'] for c in report['candidates']])
        self.assertEqual(['pass', 'pass', 'regression'],
                         [c['verdict'] for c in report['candidates']])
        self.assertEqual([['1.3rc1'], ['1.1'], ['1.2']],
                         [c['installed'] for c in report['candidates']])
        self.assertEqual({'>1.0': ['1.1', '1.2']},
                         report['candidate_ranges'])
        self.assertEqual(
            {spec: 'regression' if spec == '1.2' else 'pass'
             for spec in specs},
            report['matrix']['probes_candlib.py::test_value'])
        self.assertEqual('regression', report['verdict'])
        self.assertEqual(f"{self.wheels['1.3rc1']}, >1.0",
                         report['candidate'])
        # Every field of a gate of one is there, with its meaning.
        for field in ('schema_version', 'upstream', 'baseline', 'verdict',
                      'verdict_reason', 'complete', 'counts', 'results',
                      'environments', 'environment_failures', 'timings',
                      'executor', 'yanked'):
            self.assertIn(field, report)
        self.assertEqual(6, len(report['results']))
        self.assertEqual(1, report['counts']['regression'])
        self.assertEqual(4, len(report['environments']))
        self.assertEqual(
            1, [e['side'] for e in report['environments']].count('baseline'))
        # Resumed, nothing recorded runs again; the report is the same.
        resumed = self.gate(
            '--baseline', '1.0', '--candidate-range', '>1.0',
            '--candidate', str(self.wheels['1.3rc1']),
            '--probes', str(self.probes), '--format', 'json',
            '--resume', str(output), '--reruns', '0')
        self.assertEqual(1, resumed.returncode, resumed.stderr)
        self.assertEqual([], self.runs())
        self.assertEqual(report['results'],
                         json.loads(resumed.stdout)['results'])

    def test_text_report_shows_the_matrix_and_expansion(self) -> None:
        proc = self.gate('--baseline', '1.0', '--candidate-range', '>=1.1',
                         '--probes', str(self.probes), '--reruns', '0',
                         quiet=False)
        self.assertEqual(1, proc.returncode, proc.stderr)
        self.assertIn('gate: --candidate-range >=1.1: 1.1, 1.2\n',
                      proc.stderr)
        out = proc.stdout
        self.assertIn('candidate range >=1.1: 1.1, 1.2\n', out)
        self.assertIn('MATRIX (2 probe(s) x 2 candidate(s))', out)
        matrix = out.split('MATRIX')[1].splitlines()
        self.assertEqual(['probe', '1.1', '1.2'], matrix[1].split())
        row = next(line for line in matrix
                   if line.strip().startswith(
                       'probes_candlib.py::test_value '))
        self.assertEqual(['probes_candlib.py::test_value', 'pass',
                          'regression'], row.split())
        self.assertIn('candidate 1.1: pass (exit 0)', out)
        self.assertIn('candidate 1.2: regression (exit 1)', out)
        self.assertTrue(out.endswith('verdict: regression\n'), out)

    def test_passing_candidates_exit_0(self) -> None:
        proc = self.gate('--baseline', '1.0', '--candidate', '1.1',
                         '--candidate', '1.0', '--probes',
                         str(self.probes), '--format', 'json')
        self.assertEqual(0, proc.returncode, proc.stderr)
        report = json.loads(proc.stdout)
        self.assertEqual(['1.1', '1.0'],
                         [c['spec'] for c in report['candidates']])
        self.assertEqual('pass', report['verdict'])

    def test_bad_input_exit_2_naming_it(self) -> None:
        for args, expected in (
                (('--candidate-range', '>9'),
                 '--candidate-range >9: no release of candlib'),
                (('--candidate', '1.1', '--candidate-range', 'oops'),
                 '--candidate-range oops: not a version range'),
                (('--candidate', '1.1', '--candidate', 'no such thing'),
                 'no such thing: not a version of candlib'),
                (('--candidate', '1.1', '--pre'),
                 '--pre needs --candidate-range')):
            with self.subTest(args=args):
                proc = self.gate('--baseline', '1.0', *args, '--probes',
                                 str(self.probes))
                self.assertEqual(2, proc.returncode, proc.stderr)
                [line] = proc.stderr.splitlines()
                self.assertIn(expected, line)
                self.assertEqual([], self.runs())


class TestDownstreamCandidates(base.TestCase):
    """Reverse mode composes: each downstream against every candidate."""

    def test_downstream_commands_per_candidate(self) -> None:
        wheels = [str(self.make_dist('revlib', version, {
            'revlib/__init__.py': f'def value():\n    return {value}\n'},
        ).wheel) for version, value in (('1.0', 1), ('1.1', 1), ('1.2', 2))]
        consumer = self.write_tree({
            'check.py': textwrap.dedent('''
                import revlib
                assert revlib.value() == 1
            '''),
        }, root='consumer')
        report = run_gate(
            'revlib', wheels[0], wheels[1:], (),
            commands=['python check.py'], downstreams=[str(consumer)],
            reruns=0, config=None, explain=False)
        self.assertEqual(
            {(wheels[1], Classification.PASS),
             (wheels[2], Classification.REGRESSION)},
            {(r.candidate_spec, r.classification) for r in report.results})
        self.assertEqual({str(consumer)},
                         {r.downstream for r in report.results})
        self.assertEqual(Verdict.REGRESSION, report.verdict)
        self.assertEqual(3, len(report.environments))
