"""Read JUnit XML (pytest ``--junitxml``, most CI tools) into outcomes."""

from __future__ import annotations

import logging
import pathlib
from xml.etree import ElementTree

from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus

__all__ = ['parse_junit']

LOG = logging.getLogger(__name__)

_MAX_TEXT = 16 * 1024


def _test_id(case: ElementTree.Element) -> str:
    classname = case.get('classname') or ''
    name = case.get('name') or '?'
    return f'{classname}.{name}' if classname else name


def parse_junit(data: bytes | str | pathlib.Path) -> list[Outcome]:
    """Return one outcome per ``<testcase>`` of a JUnit XML report.

    ``<failure>`` is ``fail``, ``<error>`` is ``error``, ``<skipped>`` is
    ``skip``, anything else ``pass``. Ids are ``classname.name``.

    :param data: the XML, or the path of the report.
    :raises ValueError: the report is not well-formed XML.
    """
    if isinstance(data, pathlib.Path):
        data = data.read_bytes()
    try:
        # The report was written by a test run symbiosis itself started;
        # expat refuses external entities and bounds entity expansion.
        root = ElementTree.fromstring(data)  # noqa: S314  # nosec B314
    except ElementTree.ParseError as err:
        raise ValueError(f'not a JUnit XML report: {err}') from err
    outcomes: list[Outcome] = []
    for case in root.iter('testcase'):
        status = OutcomeStatus.PASS
        message = ''
        text = ''
        for child in case:
            tag = child.tag
            if tag in ('failure', 'error', 'skipped'):
                status = {
                    'failure': OutcomeStatus.FAIL,
                    'error': OutcomeStatus.ERROR,
                    'skipped': OutcomeStatus.SKIP,
                }[tag]
                message = (child.get('message') or '').strip()
                text = (child.text or '').strip()
                if status is not OutcomeStatus.SKIP:
                    break
        output = ''.join(
            (child.text or '') for child in case
            if child.tag in ('system-out', 'system-err')
        )
        location = None
        if case.get('file') and case.get('line'):
            location = f"{case.get('file')}:{case.get('line')}"
        try:
            duration = float(case.get('time') or 0.0)
        except ValueError:
            duration = 0.0
        if not message and text:
            message = text.splitlines()[-1].strip()
        outcomes.append(Outcome(
            probe_id=_test_id(case),
            status=status,
            message=message[:1000],
            traceback=text[-_MAX_TEXT:],
            output=output[-_MAX_TEXT:],
            truncated=len(output) > _MAX_TEXT,
            duration=duration,
            location=location,
        ))
    return outcomes
