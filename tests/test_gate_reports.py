"""Report writers: text, json, junit, subunit v2 (round-tripped)."""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any
from xml.etree import ElementTree

import subunit
import testtools

from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._reports.base import load_report
from symbiosis.gate._reports.subunit import MAX_ATTACHMENT
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus as S
from symbiosis.probes._subunit import parse_subunit
from tests import base


def _report() -> GateReport:
    ok = Outcome('p.py::ok', S.PASS, duration=0.1)
    bad = Outcome('p.py::lock', S.FAIL, message='AssertionError: deadlock',
                  traceback='Traceback (most recent call last):\n'
                  '  File "p.py", line 3\nAssertionError: deadlock',
                  location='p.py:3')
    crash = Outcome('p.py::crash', S.ERROR, message='worker died',
                    cause='worker-crashed')
    return GateReport(
        upstream='tinylib', baseline='1.0', candidate='1.1',
        results=(
            ProbeResult('p.py::ok', (ok,), (ok,), Classification.PASS,
                        baseline_status='pass', candidate_status='pass'),
            ProbeResult('p.py::lock', (ok,), (bad,),
                        Classification.REGRESSION,
                        detail='candidate: fail: AssertionError: deadlock',
                        baseline_status='pass', candidate_status='fail'),
            ProbeResult('p.py::crash', (ok,), (crash,),
                        Classification.INFRA_ERROR, detail='worker died',
                        baseline_status='pass', candidate_status='infra'),
        ),
        timings={'total': 1.5},
    )


def _events(data: bytes) -> list[dict[str, Any]]:
    """Every packet of a stream as python-subunit decodes it."""
    events: list[dict[str, Any]] = []

    class Record(testtools.StreamResult):
        def status(self, **kwargs: Any) -> None:
            events.append(kwargs)

    subunit.ByteStreamToStreamResult(io.BytesIO(data)).run(Record())
    return events


class TestReports(base.TestCase):

    def test_text_regressions_first(self) -> None:
        text = load_report('text').render(_report()).decode()
        self.assertLess(text.index('REGRESSION'), text.index('INFRA-ERROR'))
        self.assertIn('p.py::lock', text)
        self.assertIn('| AssertionError: deadlock', text)
        self.assertTrue(text.rstrip().endswith('verdict: regression'))

    def test_json_schema(self) -> None:
        data = json.loads(load_report('json').render(_report()))
        self.assertEqual(1, data['schema_version'])
        self.assertEqual('regression', data['verdict'])
        self.assertEqual(
            ['probe', 'baseline', 'candidate', 'classification', 'detail'],
            list(data['results'][0]))
        again = GateReport.from_json(data)
        self.assertEqual(data['results'], again.to_json()['results'])

    def test_junit(self) -> None:
        root = ElementTree.fromstring(load_report('junit').render(_report()))
        suites = root.findall('testsuite')
        self.assertEqual(2, len(suites))
        self.assertEqual(['3', '3'], [s.get('tests') for s in suites])
        candidate = suites[1]
        self.assertEqual('1', candidate.get('failures'))
        self.assertEqual('1', candidate.get('errors'))
        failure = candidate.find('testcase/failure')
        assert failure is not None
        self.assertIn('deadlock', failure.text or '')
        self.assertEqual('0', suites[0].get('failures'))

    def test_subunit_round_trip(self) -> None:
        data = load_report('subunit').render(_report())
        events = _events(data)
        self.assertEqual(12, len(events))
        self.assertNotIn('subunit.parser', {e['test_id'] for e in events})
        lock = [e for e in events if e['test_id'] == 'candidate::p.py::lock']
        self.assertEqual(['inprogress', 'fail'],
                         [e['test_status'] for e in lock])
        self.assertEqual({'classification:regression', 'candidate'},
                         set(lock[1]['test_tags']))
        self.assertEqual('traceback', lock[1]['file_name'])
        outcomes = {o.probe_id: o for o in parse_subunit(data)}
        self.assertEqual(S.PASS, outcomes['baseline::p.py::lock'].status)
        self.assertEqual(S.FAIL, outcomes['candidate::p.py::lock'].status)
        self.assertIn('deadlock', outcomes['candidate::p.py::lock'].traceback
                      + outcomes['candidate::p.py::lock'].message)
        [crash] = [e for e in events
                   if e['test_id'] == 'candidate::p.py::crash'
                   and e['test_status'] == 'fail']
        self.assertIn('infra-error', crash['test_tags'])

    def test_subunit_readable_by_python_subunit(self) -> None:
        data = load_report('subunit').render(_report())
        result = testtools.StreamSummary()
        result.startTestRun()
        subunit.ByteStreamToStreamResult(
            io.BytesIO(data), non_subunit_name='stdout').run(result)
        result.stopTestRun()
        self.assertEqual(6, result.testsRun)
        self.assertEqual(2, len(result.failures) + len(result.errors))

    def test_subunit_long_failure_text_is_capped(self) -> None:
        report = _report()
        lock = report.results[1]
        long = dataclasses.replace(
            lock, detail='x' * (2 * MAX_ATTACHMENT) + ' the end')
        report = dataclasses.replace(report, results=(long,))
        data = load_report('subunit').render(report)
        [attached] = [e['file_bytes'] for e in _events(data)
                      if e['test_id'] == 'candidate::p.py::lock'
                      and e['file_name'] == 'traceback']
        self.assertEqual(MAX_ATTACHMENT, len(attached))
        [outcome] = [o for o in parse_subunit(data)
                     if o.probe_id == 'candidate::p.py::lock']
        self.assertEqual(S.FAIL, outcome.status)

    def test_unknown_format(self) -> None:
        from symbiosis import exception

        self.assertRaises(exception.InputError, load_report, 'html5')
