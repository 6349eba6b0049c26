"""symbiosis.gate._tally: what a run gathers, and the report made of it."""

from __future__ import annotations

from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import Side
from symbiosis.gate._plan import PlannedJob
from symbiosis.gate._plan import Variant
from symbiosis.gate._plan import plan_jobs
from symbiosis.gate._tally import Tally
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from symbiosis.probes._model import Probe
from tests import base

PASS = OutcomeStatus.PASS
FAIL = OutcomeStatus.FAIL

PROBES = (Probe('t.py::a', 'function'), Probe('t.py::b', 'function'),
          Probe('suite', 'command'))


def job(side: Side, attempt: int = 0) -> PlannedJob:
    """The one job running t.py's probes on ``side``."""
    [planned] = plan_jobs([Variant(side)], {None: PROBES[:2]}, attempt)
    return planned


class TestTally(base.TestCase):
    def report(self, tally: Tally, complete: bool) -> GateReport:
        return tally.report(upstream='lib', baseline='1', candidate='2',
                            executor='sync', name_pythons=False,
                            complete=complete)

    def test_partial_report_holds_probes_run_on_both_sides(self) -> None:
        tally = Tally()
        tally.expect([job(Side.BASELINE), job(Side.CANDIDATE)])
        self.assertEqual(4, tally.total)
        tally.record(job(Side.BASELINE), [Outcome('t.py::a', PASS),
                                          Outcome('t.py::b', PASS)])
        self.assertEqual([], list(self.report(tally, False).results))
        self.assertEqual(['t.py::a', 't.py::b'],
                         [r.probe for r in self.report(tally, True).results])
        tally.record(job(Side.CANDIDATE), [Outcome('t.py::a', PASS),
                                           Outcome('t.py::b', FAIL)])
        self.assertEqual(4, tally.done)
        self.assertEqual(1, tally.regressions())
        report = self.report(tally, False)
        self.assertEqual(
            [('t.py::a', Classification.PASS),
             ('t.py::b', Classification.REGRESSION)],
            [(r.probe, r.classification) for r in report.results])
        self.assertFalse(report.complete)

    def test_a_rerun_that_passes_clears_the_regression(self) -> None:
        tally = Tally()
        tally.record(job(Side.BASELINE), [Outcome('t.py::b', PASS)])
        tally.record(job(Side.CANDIDATE), [Outcome('t.py::b', FAIL)])
        self.assertEqual(1, tally.regressions())
        self.assertEqual({None: [PROBES[1]]},
                         tally.rerun_selection({None: PROBES}))
        tally.record(job(Side.BASELINE, 1), [Outcome('t.py::b', PASS)])
        tally.record(job(Side.CANDIDATE, 1), [Outcome('t.py::b', PASS)])
        self.assertEqual(0, tally.regressions())
        [result] = self.report(tally, True).results
        self.assertEqual(Classification.FLAKY, result.classification)

    def test_rerun_selection_finds_a_command_by_its_tests(self) -> None:
        tally = Tally()
        tally.record(job(Side.BASELINE), [Outcome('suite::test_x', PASS)])
        tally.record(job(Side.CANDIDATE), [Outcome('suite::test_x', FAIL)])
        self.assertEqual({None: [PROBES[2]]},
                         tally.rerun_selection({None: PROBES}))
