"""The ``junit`` report: one testcase per probe and side.

Each side is a ``<testsuite>`` (``baseline``, ``candidate``). CI systems
turn failures red, so only what the gate blames is a failure: the
candidate testcase of a regression is a ``<failure>``, a side that could
not be judged (an infrastructure failure, a probe that never ran) an
``<error>``; other outcomes pass, with the
classification and the side's status in ``<properties>`` and
``<system-out>``.
"""

from __future__ import annotations

from xml.etree import ElementTree

from symbiosis.gate import _classify
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Side
from symbiosis.gate._reports.base import Report
from symbiosis.gate._reports.text import excerpt

__all__ = ['JunitReport']


def _testcase(
    suite: ElementTree.Element, result: ProbeResult, side: Side
) -> tuple[int, int]:
    attempts = result.baseline if side is Side.BASELINE else result.candidate
    status = (result.baseline_status if side is Side.BASELINE
              else result.candidate_status)
    case = ElementTree.SubElement(suite, 'testcase', {
        'classname': f'{side.value}',
        'name': result.key,
        'time': f'{sum(o.duration for o in attempts):.3f}',
    })
    props = ElementTree.SubElement(case, 'properties')
    for name, value in (('classification', result.classification.value),
                        ('status', status)):
        ElementTree.SubElement(props, 'property',
                               {'name': name, 'value': value})
    failures = errors = 0
    if (result.classification is Classification.REGRESSION
            and side is Side.CANDIDATE):
        node = ElementTree.SubElement(case, 'failure', {
            'message': f'regression: {result.detail.splitlines()[0]}'
            if result.detail else 'regression',
            'type': 'regression',
        })
        node.text = excerpt(result, 60)
        failures = 1
    elif (result.classification is Classification.INFRA_ERROR
          and status != _classify.PASS):
        # Not judged on this side: the infrastructure failed, or the
        # probe never ran (its file did not load, its command could not
        # run or ran no test).
        node = ElementTree.SubElement(case, 'error', {
            'message': result.detail.splitlines()[0] if result.detail
            else 'infrastructure error',
            'type': 'infra-error',
        })
        node.text = '\n'.join(o.message for o in attempts)
        errors = 1
    if result.detail:
        out = ElementTree.SubElement(case, 'system-out')
        out.text = f'{result.classification.value}\n{result.detail}'
    return failures, errors


class JunitReport(Report):
    """JUnit XML, understood by every CI."""

    name = 'junit'

    def render(self, report: GateReport) -> bytes:
        """Return the XML document (UTF-8)."""
        root = ElementTree.Element('testsuites', {
            'name': f'symbiosis gate {report.upstream}',
        })
        for side in (Side.BASELINE, Side.CANDIDATE):
            spec = (report.baseline if side is Side.BASELINE
                    else report.candidate)
            suite = ElementTree.SubElement(root, 'testsuite', {
                'name': f'{side.value} ({report.upstream} {spec})',
            })
            failures = errors = 0
            for result in report.results:
                f, e = _testcase(suite, result, side)
                failures += f
                errors += e
            suite.set('tests', str(len(report.results)))
            suite.set('failures', str(failures))
            suite.set('errors', str(errors))
        ElementTree.indent(root)
        body = ElementTree.tostring(root, encoding='unicode')
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + body
                + '\n').encode('utf-8')
