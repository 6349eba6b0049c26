"""The ``subunit`` report: a subunit v2 stream, written with the stdlib.

One test per probe and side, id ``<side>::<probe id>``: an
``inprogress`` packet, then the final status with the failure text
attached as a ``traceback`` file. The status follows the side's own
outcome (``success``, ``fail``, ``skip``); tags say the classification,
so ``stestr last --subunit | subunit-filter`` tooling can pick
regressions out.
"""

from __future__ import annotations

from collections.abc import Sequence
import struct
import time
import zlib

from symbiosis.gate import _classify as cls
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Side
from symbiosis.gate._reports.base import Report
from symbiosis.gate._reports.text import excerpt

__all__ = ['SubunitReport', 'encode_packet', 'varint']

_SIGNATURE = 0xB3
_VERSION = 0x2000
_FLAG_TEST_ID = 0x0800
_FLAG_TIMESTAMP = 0x0200
_FLAG_TAGS = 0x0080
_FLAG_FILE_CONTENT = 0x0040
_FLAG_MIME_TYPE = 0x0020
_FLAG_EOF = 0x0010
_STATUS = {'inprogress': 2, 'success': 3, 'skip': 5, 'fail': 6}
#: Bytes of failure text attached per test (packets are at most 4 MiB).
MAX_ATTACHMENT = 64 * 1024


def varint(value: int) -> bytes:
    """Encode ``value`` as a subunit v2 variable-length number."""
    if value < 0x40:
        return bytes([value])
    if value < 0x4000:
        return struct.pack('>H', value | 0x4000)
    if value < 0x400000:
        return bytes([0x80 | (value >> 16)]) + struct.pack(
            '>H', value & 0xFFFF)
    if value < 0x40000000:
        return struct.pack('>I', value | 0xC0000000)
    raise ValueError(f'{value} is too large for a subunit number')


def _string(text: str) -> bytes:
    data = text.encode('utf-8')
    return varint(len(data)) + data


def encode_packet(
    test_id: str,
    status: str,
    *,
    timestamp: float | None = None,
    tags: Sequence[str] = (),
    attachment: tuple[str, bytes] | None = None,
    mime_type: str = 'text/plain;charset=utf8',
) -> bytes:
    """Return one subunit v2 packet.

    :param test_id: the test.
    :param status: ``inprogress``, ``success``, ``skip`` or ``fail``.
    :param timestamp: seconds since the epoch (default: now).
    :param tags: tags to attach.
    :param attachment: a ``(file name, bytes)`` to attach (final chunk).
    :param mime_type: the attachment's MIME type.
    """
    flags = _VERSION | _FLAG_TEST_ID | _FLAG_TIMESTAMP | _STATUS[status]
    now = time.time() if timestamp is None else timestamp
    seconds = int(now)
    body = struct.pack('>I', seconds) + varint(
        int((now - seconds) * 1e9) & 0x3FFFFFFF)
    body += _string(test_id)
    if tags:
        flags |= _FLAG_TAGS
        body += varint(len(tags)) + b''.join(_string(t) for t in tags)
    if attachment is not None:
        flags |= _FLAG_MIME_TYPE | _FLAG_FILE_CONTENT | _FLAG_EOF
        name, data = attachment
        body += _string(mime_type)
        body += _string(name) + varint(len(data)) + data
    # The length counts the whole packet, its own bytes included.
    base = 1 + 2 + len(body) + 4
    size = b''
    for width in (1, 2, 3, 4):
        size = varint(base + width)
        if len(size) == width:
            break
    head = struct.pack('>BH', _SIGNATURE, flags) + size
    packet = head + body
    return packet + struct.pack('>I', zlib.crc32(packet) & 0xFFFFFFFF)


def _side_status(status: str) -> str:
    if status == 'pass':
        return 'success'
    return 'fail'


def _packets(result: ProbeResult, side: Side, when: float) -> bytes:
    attempts = result.baseline if side is Side.BASELINE else result.candidate
    status = (result.baseline_status if side is Side.BASELINE
              else result.candidate_status)
    test_id = f'{side.value}::{result.key}'
    tags = [f'classification:{result.classification.value}', side.value]
    if status == cls.INFRA:
        tags.append('infra-error')
    started = when - sum(o.duration for o in attempts)
    data = encode_packet(test_id, 'inprogress', timestamp=started)
    final = _side_status(status)
    text = ''
    if final != 'success':
        text = '\n'.join(filter(None, [result.detail, excerpt(result, 60)]))
    attachment = None
    if text:
        attachment = ('traceback', text.encode('utf-8')[-MAX_ATTACHMENT:])
    return data + encode_packet(test_id, final, timestamp=when, tags=tags,
                                attachment=attachment)


class SubunitReport(Report):
    """A subunit v2 byte stream."""

    name = 'subunit'
    binary = True

    def render(self, report: GateReport) -> bytes:
        """Return the stream."""
        when = time.time()
        return b''.join(
            _packets(result, side, when)
            for result in report.results
            for side in (Side.BASELINE, Side.CANDIDATE)
        )
