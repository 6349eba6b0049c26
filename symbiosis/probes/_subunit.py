"""Read a subunit v2 stream (stestr, testtools, subunit) into outcomes.

The v2 format is a sequence of binary packets; it is parsed here with the
standard library alone. Each packet is::

    0xB3 | flags (2 bytes) | length (varint, whole packet) |
    [timestamp: 4-byte seconds + varint nanoseconds] | [test id] |
    [tags: varint count + strings] | [MIME type] |
    [file content: name + varint length + bytes] | [route code] | CRC32

where strings are a varint length and UTF-8 bytes, and a varint takes 1 to
4 bytes according to the top two bits of its first byte. Bytes between
packets that are not a packet (a stray ``print``) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
import dataclasses
import logging
import struct
import zlib

from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus

__all__ = ['Packet', 'iter_packets', 'parse_subunit']

LOG = logging.getLogger(__name__)

SIGNATURE = 0xB3
FLAG_TEST_ID = 0x0800
FLAG_ROUTE_CODE = 0x0400
FLAG_TIMESTAMP = 0x0200
FLAG_RUNNABLE = 0x0100
FLAG_TAGS = 0x0080
FLAG_FILE_CONTENT = 0x0040
FLAG_MIME_TYPE = 0x0020
FLAG_EOF = 0x0010

#: Status codes (the low three bits of the flags).
STATUSES = (
    None, 'exists', 'inprogress', 'success', 'uxsuccess', 'skip', 'fail',
    'xfail',
)
_FINAL = {
    'success': OutcomeStatus.PASS,
    'xfail': OutcomeStatus.PASS,
    'uxsuccess': OutcomeStatus.FAIL,
    'fail': OutcomeStatus.FAIL,
    'skip': OutcomeStatus.SKIP,
}
_MAX_TEXT = 16 * 1024


@dataclasses.dataclass(frozen=True)
class Packet:
    """One decoded subunit v2 packet."""

    status: str | None
    test_id: str | None = None
    timestamp: float | None = None
    tags: tuple[str, ...] = ()
    mime_type: str | None = None
    file_name: str | None = None
    file_bytes: bytes = b''
    route_code: str | None = None
    runnable: bool = True
    eof: bool = False


class _Malformed(ValueError):
    pass


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise _Malformed('truncated number')
    first = data[pos]
    size = (first >> 6) + 1
    if pos + size > len(data):
        raise _Malformed('truncated number')
    value = first & 0x3F
    for byte in data[pos + 1:pos + size]:
        value = (value << 8) | byte
    return value, pos + size


def _string(data: bytes, pos: int) -> tuple[str, int]:
    length, pos = _varint(data, pos)
    if pos + length > len(data):
        raise _Malformed('string runs past the packet')
    return data[pos:pos + length].decode('utf-8', 'replace'), pos + length


def _decode(packet: bytes, pos: int, flags: int) -> Packet:
    fields: dict[str, object] = {}
    if flags & FLAG_TIMESTAMP:
        (seconds,) = struct.unpack('>I', packet[pos:pos + 4])
        nanos, pos = _varint(packet, pos + 4)
        fields['timestamp'] = seconds + nanos / 1e9
    if flags & FLAG_TEST_ID:
        fields['test_id'], pos = _string(packet, pos)
    if flags & FLAG_TAGS:
        count, pos = _varint(packet, pos)
        tags = []
        for _ in range(count):
            tag, pos = _string(packet, pos)
            tags.append(tag)
        fields['tags'] = tuple(tags)
    if flags & FLAG_MIME_TYPE:
        fields['mime_type'], pos = _string(packet, pos)
    if flags & FLAG_FILE_CONTENT:
        fields['file_name'], pos = _string(packet, pos)
        length, pos = _varint(packet, pos)
        if pos + length > len(packet):
            raise _Malformed('file content runs past the packet')
        fields['file_bytes'] = bytes(packet[pos:pos + length])
        pos += length
    if flags & FLAG_ROUTE_CODE:
        fields['route_code'], pos = _string(packet, pos)
    return Packet(
        status=STATUSES[flags & 0x7],
        runnable=bool(flags & FLAG_RUNNABLE),
        eof=bool(flags & FLAG_EOF),
        **fields,  # type: ignore[arg-type]
    )


def iter_packets(data: bytes) -> Iterator[Packet]:
    """Yield the valid packets of a v2 stream, skipping anything else."""
    pos = 0
    size = len(data)
    while pos < size:
        start = data.find(bytes([SIGNATURE]), pos)
        if start < 0 or start + 4 > size:
            return
        try:
            (flags,) = struct.unpack('>H', data[start + 1:start + 3])
            if flags >> 12 != 0x2:
                raise _Malformed('not version 2')
            length, body = _varint(data, start + 3)
            end = start + length
            if length < 7 or end > size:
                raise _Malformed('bad length')
            packet = data[start:end]
            (crc,) = struct.unpack('>I', packet[-4:])
            if zlib.crc32(packet[:-4]) & 0xFFFFFFFF != crc:
                raise _Malformed('bad checksum')
            decoded = _decode(packet[:-4], body - start, flags)
        except (_Malformed, struct.error) as err:
            LOG.debug('skipping byte %d of a subunit stream: %s', start, err)
            pos = start + 1
            continue
        yield decoded
        pos = end


def parse_subunit(data: bytes) -> list[Outcome]:
    """Return one outcome per test of a subunit v2 stream, in end order.

    ``success``/``xfail`` pass, ``fail``/``uxsuccess`` fail, ``skip`` is
    ``skip``; a test that started but has no final status is an
    ``error`` (its process died). Attachments (tracebacks, captured
    output) become the outcome's traceback and output.
    """
    started: dict[str, float | None] = {}
    files: dict[str, dict[str, bytearray]] = {}
    outcomes: dict[str, Outcome] = {}
    order: list[str] = []
    for packet in iter_packets(data):
        test_id = packet.test_id
        if not test_id:
            continue
        if packet.file_name is not None and packet.file_bytes:
            parts = files.setdefault(test_id, {})
            parts.setdefault(packet.file_name, bytearray()).extend(
                packet.file_bytes[:_MAX_TEXT]
            )
        if packet.status in ('exists', 'inprogress'):
            started.setdefault(test_id, packet.timestamp)
            if test_id not in order:
                order.append(test_id)
            continue
        final = _FINAL.get(packet.status or '')
        if final is None:
            continue
        begin = started.get(test_id)
        duration = 0.0
        if begin is not None and packet.timestamp is not None:
            duration = max(packet.timestamp - begin, 0.0)
        outcomes[test_id] = _outcome(
            test_id, final, packet.status or '', files.get(test_id, {}),
            duration,
        )
        if test_id not in order:
            order.append(test_id)
    result = []
    for test_id in order:
        outcome = outcomes.get(test_id)
        if outcome is None:
            outcome = Outcome(
                test_id, OutcomeStatus.ERROR,
                message='the test started but never finished',
            )
        result.append(outcome)
    return result


def _outcome(
    test_id: str,
    status: OutcomeStatus,
    raw: str,
    files: dict[str, bytearray],
    duration: float,
) -> Outcome:
    traceback = ''
    output_parts = []
    reason = ''
    for name, content in files.items():
        text = bytes(content).decode('utf-8', 'replace')
        if name in ('traceback', 'reason'):
            if name == 'reason':
                reason = text.strip()
            else:
                traceback = text
        else:
            output_parts.append(text)
    message = ''
    if status is OutcomeStatus.SKIP:
        message = reason
    elif status is not OutcomeStatus.PASS:
        lines = traceback.strip().splitlines()
        message = lines[-1] if lines else (
            'unexpected success' if raw == 'uxsuccess' else 'failed'
        )
    return Outcome(
        test_id, status, message=message[:1000],
        traceback=traceback[-_MAX_TEXT:],
        output=''.join(output_parts)[-_MAX_TEXT:],
        duration=duration,
    )
