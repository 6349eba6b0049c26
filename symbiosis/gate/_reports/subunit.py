"""The ``subunit`` report: a subunit v2 stream, written by python-subunit.

One test per probe and side, id ``<side>::<probe id>``: an
``inprogress`` packet, then the final status with the failure text
attached as a ``traceback`` file. The status follows the side's own
outcome (``success``, ``fail``, ``skip``); tags say the classification,
so ``stestr last --subunit | subunit-filter`` tooling can pick
regressions out.
"""

from __future__ import annotations

import datetime
import io
import time
from typing import Any

from symbiosis.gate import _classify
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Side
from symbiosis.gate._reports.base import Report
from symbiosis.gate._reports.text import excerpt

__all__ = ['MAX_ATTACHMENT', 'SubunitReport']

#: Bytes of failure text attached per test (packets are at most 4 MiB).
MAX_ATTACHMENT = 64 * 1024
_MIME_TYPE = 'text/plain;charset=utf8'


def _when(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


def _side_status(status: str) -> str:
    if status == 'pass':
        return 'success'
    return 'fail'


def _write(writer: Any, result: ProbeResult, side: Side,
           when: float) -> None:
    attempts = result.baseline if side is Side.BASELINE else result.candidate
    status = (result.baseline_status if side is Side.BASELINE
              else result.candidate_status)
    test_id = f'{side.value}::{result.key}'
    tags = [f'classification:{result.classification.value}', side.value]
    if (result.classification is Classification.INFRA_ERROR
            and status != _classify.PASS):
        tags.append('infra-error')
    started = when - sum(o.duration for o in attempts)
    # runnable=False keeps the flags of the streams this report has
    # always written (consumers read the status, not that flag).
    writer.status(test_id=test_id, test_status='inprogress',
                  timestamp=_when(started), runnable=False)
    final = _side_status(status)
    text = ''
    if final != 'success':
        text = '\n'.join(filter(None, [result.detail, excerpt(result, 60)]))
    attachment: dict[str, Any] = {}
    if text:
        attachment = {
            'file_name': 'traceback',
            'file_bytes': text.encode('utf-8')[-MAX_ATTACHMENT:],
            'mime_type': _MIME_TYPE,
            'eof': True,
        }
    # A list, not a set: the tags keep their order in the stream.
    writer.status(test_id=test_id, test_status=final, test_tags=tags,
                  timestamp=_when(when), runnable=False, **attachment)


class SubunitReport(Report):
    """A subunit v2 byte stream."""

    name = 'subunit'
    binary = True

    def render(self, report: GateReport) -> bytes:
        """Return the stream."""
        import subunit

        stream = io.BytesIO()
        writer = subunit.StreamResultToBytes(stream)
        when = time.time()
        for result in report.results:
            for side in (Side.BASELINE, Side.CANDIDATE):
                _write(writer, result, side, when)
        return stream.getvalue()
