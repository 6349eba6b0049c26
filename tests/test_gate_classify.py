"""Table-driven tests of the gate's pure classification."""

from __future__ import annotations

from symbiosis.gate import _classify
from symbiosis.gate._model import Classification as C
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Verdict
from symbiosis.probes._model import Cause
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus as S
from tests import base

P = Outcome('p', S.PASS)
F = Outcome('p', S.FAIL, message='AssertionError')
E = Outcome('p', S.ERROR, message='ImportError', cause='import-error')
T = Outcome('p', S.TIMEOUT, cause=Cause.PROBE_TIMEOUT.value)
K = Outcome('p', S.SKIP)
CRASH = Outcome('p', S.ERROR, cause=Cause.WORKER_CRASHED.value)
SPAWN = Outcome('p', S.ERROR, cause=Cause.SPAWN_FAILED.value)
ENV = Outcome('p', S.ERROR, cause=_classify.ENV_BUILD_FAILED)
VANISHED = Outcome('p', S.ERROR, cause=_classify.ENV_VANISHED)
RUN_TIMEOUT = Outcome('p', S.TIMEOUT, cause=Cause.RUN_TIMEOUT.value)
HANG = Outcome('p', S.TIMEOUT, message='timed out while importing',
               cause='import-error')
GONE = Outcome('p', S.ERROR, cause=Cause.NOT_FOUND.value)
NOT_RUNNABLE = Outcome('p', S.ERROR, message='no runner',
                       cause=Cause.NOT_RUNNABLE.value)
NO_TESTS = Outcome('p', S.ERROR, message='ran no test',
                   cause=Cause.NO_TESTS.value)
INVALID = Outcome('p', S.ERROR, cause=Cause.INVALID.value)

CASES = [
    # (baseline attempts, candidate attempts, classification)
    ([P], [P], C.PASS),
    ([P], [K], C.PASS),
    ([P], [F], C.REGRESSION),
    ([P], [E], C.REGRESSION),
    ([P], [T], C.REGRESSION),          # a hang on the candidate only
    ([P, P], [F, F], C.REGRESSION),
    ([F], [P], C.FIXED),
    ([T], [P], C.FIXED),
    ([F], [F], C.STILL_FAILING),
    ([E], [F], C.STILL_FAILING),
    ([T], [F], C.STILL_FAILING),
    ([F], [T], C.TIMEOUT),
    ([T], [T], C.TIMEOUT),
    ([P, P], [F, P], C.FLAKY),
    ([F, P], [F, F], C.FLAKY),
    ([P], [CRASH], C.INFRA_ERROR),
    ([P], [SPAWN], C.INFRA_ERROR),
    ([ENV], [F], C.INFRA_ERROR),
    ([P], [ENV], C.INFRA_ERROR),
    ([P], [RUN_TIMEOUT], C.INFRA_ERROR),
    ([P], [CRASH, P], C.PASS),         # an infra hiccup, then a real run
    ([P], [CRASH, F], C.REGRESSION),
    ([P], [VANISHED], C.INFRA_ERROR),  # the environment vanished
    # The re-run could run on neither side: nothing confirms the
    # regression.
    ([P, SPAWN], [F, SPAWN], C.INFRA_ERROR),
    ([P, VANISHED], [F, VANISHED], C.INFRA_ERROR),
    ([P, P, CRASH], [F, F, CRASH], C.INFRA_ERROR),
    # One side's re-run ran: it still judges.
    ([P, P], [F, CRASH], C.REGRESSION),
    ([P, CRASH], [F, F], C.REGRESSION),
    ([P], [], C.REGRESSION),           # the candidate lost the test
    ([], [P], C.FIXED),
    # A probes file that loads on neither side judged nothing; on one
    # side only, the upstream may be why.
    ([E], [E], C.INFRA_ERROR),
    ([E, E], [E, E], C.INFRA_ERROR),
    ([HANG], [E], C.INFRA_ERROR),
    ([GONE], [GONE], C.INFRA_ERROR),
    ([P], [HANG], C.REGRESSION),
    ([HANG], [P], C.FIXED),
    ([E], [CRASH], C.INFRA_ERROR),
    # A command that could not run or ran no test judged nothing there.
    ([NOT_RUNNABLE], [NOT_RUNNABLE], C.INFRA_ERROR),
    ([P], [NOT_RUNNABLE], C.INFRA_ERROR),
    ([NOT_RUNNABLE], [P], C.INFRA_ERROR),
    ([NO_TESTS], [NO_TESTS], C.INFRA_ERROR),
    ([P], [NO_TESTS], C.INFRA_ERROR),
    ([INVALID], [INVALID], C.INFRA_ERROR),
    ([NO_TESTS, P], [P], C.PASS),      # a real run counts
]


class TestClassify(base.TestCase):

    def test_table(self) -> None:
        for baseline, candidate, expected in CASES:
            got, _b, _c = _classify.classify(baseline, candidate)
            self.assertEqual(
                expected, got,
                f'{[o.status.value for o in baseline]} vs '
                f'{[o.status.value for o in candidate]}')

    def test_infra_is_never_a_regression(self) -> None:
        for infra in (CRASH, SPAWN, ENV, VANISHED, RUN_TIMEOUT):
            for other in (P, F, T, E):
                for pair in (([other], [infra]), ([infra], [other])):
                    self.assertIsNot(
                        C.REGRESSION, _classify.classify(*pair)[0])

    def test_side_status(self) -> None:
        self.assertEqual('pass', _classify.side_status([P, K]))
        self.assertEqual('flaky', _classify.side_status([P, F]))
        self.assertEqual('infra', _classify.side_status([CRASH]))
        self.assertEqual('timeout', _classify.side_status([T, T]))
        self.assertEqual('missing', _classify.side_status([]))
        self.assertEqual('not-run', _classify.side_status([NO_TESTS]))
        self.assertEqual('infra', _classify.side_status([NO_TESTS, CRASH]))
        self.assertEqual('fail', _classify.side_status([E]))

    def test_needs_rerun(self) -> None:
        self.assertFalse(_classify.needs_rerun([P], [P]))
        self.assertTrue(_classify.needs_rerun([P], [F]))
        self.assertTrue(_classify.needs_rerun([F], [P]))
        self.assertTrue(_classify.needs_rerun([P], [CRASH]))
        self.assertFalse(_classify.needs_rerun([ENV], [P]))

    def test_exit_codes(self) -> None:
        self.assertEqual(0, Verdict.PASS.exit_code)
        self.assertEqual(1, Verdict.REGRESSION.exit_code)
        self.assertEqual(3, Verdict.INFRA_ERROR.exit_code)
        self.assertEqual(3, Verdict.NOTHING_JUDGED.exit_code)

    def test_judge(self) -> None:
        def result(probe: str, baseline: list[Outcome],
                   candidate: list[Outcome]) -> ProbeResult:
            classification, b, c = _classify.classify(baseline, candidate)
            return ProbeResult(probe, tuple(baseline), tuple(candidate),
                               classification, baseline_status=b,
                               candidate_status=c)

        ok = result('a', [P], [P])
        flaky = result('f', [P, P], [F, P])
        fixed = result('x', [F], [P])
        broken = result('b', [E], [E])
        runner = result('c', [NOT_RUNNABLE], [NOT_RUNNABLE])
        env = result('d', [P], [ENV])
        table = [
            ([ok, broken], Verdict.PASS,
             '1 of 2 probe(s) judged, none regressed; 1 could not be '
             'judged'),
            ([ok, result('r', [P], [F])], Verdict.REGRESSION,
             '1 of 2 probe(s) regressed (first: r)'),
            ([broken], Verdict.NOTHING_JUDGED,
             'the probe could not be judged: b: ImportError'),
            ([runner, broken], Verdict.NOTHING_JUDGED,
             'none of the 2 probes could be judged; first: c: no runner'),
            ([broken, env], Verdict.INFRA_ERROR,
             'none of the 2 probes could be judged; first: d: candidate: '
             'env-build-failed'),
            ([flaky, fixed], Verdict.PASS,
             '2 of 2 probe(s) judged, none regressed'),
            ([env, env], Verdict.INFRA_ERROR,
             'none of the 2 probes could be judged; first: d: candidate: '
             'env-build-failed'),
            ([], Verdict.NOTHING_JUDGED, 'no probe ran'),
        ]
        for results, verdict, reason in table:
            self.assertEqual((verdict, reason), _classify.judge(results))
            report = GateReport('lib', '1', '2', results=tuple(results))
            self.assertEqual(verdict, report.verdict)
            self.assertEqual(reason, report.to_json()['verdict_reason'])
            self.assertEqual(verdict.value, report.to_json()['verdict'])

    def test_describe(self) -> None:
        text = _classify.describe(C.REGRESSION, [P], [F])
        self.assertIn('candidate: fail: AssertionError', text)
        self.assertEqual('', _classify.describe(C.PASS, [P], [P]))
        self.assertIn('candidate attempts: fail, pass',
                      _classify.describe(C.FLAKY, [P, P], [F, P]))
        self.assertIn('nothing confirmed a regression', _classify.describe(
            C.INFRA_ERROR, [P, SPAWN], [F, SPAWN]))

    def test_a_partial_report_reaches_no_verdict(self) -> None:
        from symbiosis.gate._model import GateReport
        from symbiosis.gate._model import ProbeResult

        regressed = ProbeResult('p', (P,), (F,), C.REGRESSION)
        partial = GateReport('lib', '1', '2', (regressed,), complete=False)
        self.assertEqual(Verdict.INCOMPLETE, partial.verdict)
        self.assertEqual(3, partial.exit_code)
        data = partial.to_json()
        self.assertEqual(('incomplete', False),
                         (data['verdict'], data['complete']))
        self.assertEqual(Verdict.INCOMPLETE,
                         GateReport.from_json(data).verdict)
        self.assertEqual(Verdict.REGRESSION, GateReport(
            'lib', '1', '2', (regressed,)).verdict)
