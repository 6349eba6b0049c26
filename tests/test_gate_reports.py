"""Report writers: text, json, junit, subunit v2 (round-tripped)."""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree

from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._reports.base import load_report
from symbiosis.gate._reports.subunit import encode_packet
from symbiosis.gate._reports.subunit import varint
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus as S
from symbiosis.probes._subunit import iter_packets
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
        packets = list(iter_packets(data))
        self.assertEqual(12, len(packets))
        outcomes = {o.probe_id: o for o in parse_subunit(data)}
        self.assertEqual(S.PASS, outcomes['baseline::p.py::lock'].status)
        self.assertEqual(S.FAIL, outcomes['candidate::p.py::lock'].status)
        self.assertIn('deadlock', outcomes['candidate::p.py::lock'].traceback
                      + outcomes['candidate::p.py::lock'].message)

    def test_subunit_readable_by_python_subunit(self) -> None:
        try:
            import subunit
            import testtools
        except ImportError:
            self.skipTest('python-subunit is not installed')
        data = load_report('subunit').render(_report())
        result = testtools.StreamSummary()
        result.startTestRun()
        subunit.ByteStreamToStreamResult(
            io.BytesIO(data), non_subunit_name='stdout').run(result)
        result.stopTestRun()
        self.assertEqual(6, result.testsRun)
        self.assertEqual(2, len(result.failures) + len(result.errors))

    def test_varint_and_large_packets(self) -> None:
        for value in (0, 63, 64, 16383, 16384, 4194303, 4194304):
            self.assertTrue(1 <= len(varint(value)) <= 4)
        packet = encode_packet('t', 'fail',
                               attachment=('traceback', b'x' * 70000))
        (decoded,) = list(iter_packets(packet))
        self.assertEqual('t', decoded.test_id)

    def test_unknown_format(self) -> None:
        from symbiosis import exception

        self.assertRaises(exception.InputError, load_report, 'html5')
