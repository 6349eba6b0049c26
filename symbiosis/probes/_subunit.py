"""Read a subunit v2 stream (stestr, testtools, subunit) into outcomes.

Packets are decoded by python-subunit's ``ByteStreamToStreamResult``;
this module adds what a gate needs on top of it:

* bytes that are not a packet (a stray ``print`` on a stream written to
  standard output) are skipped up to the next packet signature;
* a damaged packet (bad checksum, a length running past the end, a
  truncated stream) costs that packet only: decoding resumes at the byte
  after its signature, what was decoded is kept, and the damage is
  reported in one log line;
* a test that started but has no final status is an ``error`` (its
  process died).

This runs in symbiosis's own process (command probes read the stream
their command wrote), never in the stdlib-only worker.
"""

from __future__ import annotations

import datetime
import logging
import struct

import testtools

from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus

__all__ = ['SubunitDamage', 'decode_subunit', 'parse_subunit']

LOG = logging.getLogger(__name__)

SIGNATURE = b'\xb3'
_FINAL = {
    'success': OutcomeStatus.PASS,
    'xfail': OutcomeStatus.PASS,
    'uxsuccess': OutcomeStatus.FAIL,
    'fail': OutcomeStatus.FAIL,
    'skip': OutcomeStatus.SKIP,
}
_MAX_TEXT = 16 * 1024
# python-subunit names the pseudo-test that carries a packet it could not
# decode, and labels non-packet bytes with the name it is given.
_PARSER_ID = 'subunit.parser'
_NOISE = 'symbiosis.non-subunit'


class SubunitDamage:
    """What a stream held besides good packets: counted, never fatal.

    ``skipped_bytes`` counts every byte that is not part of a decoded
    packet; ``damaged`` counts the stretches where a packet began but
    could not be decoded (one flipped byte is one stretch, however many
    false starts decoding it took), ``first_error`` says why the first
    one failed.
    """

    def __init__(self) -> None:
        self.skipped_bytes = 0
        self.damaged = 0
        self.first_error = ''

    def __bool__(self) -> bool:
        return bool(self.skipped_bytes or self.damaged)

    def describe(self) -> str:
        """One line saying what was skipped."""
        text = f'skipped {self.skipped_bytes} byte(s) that are not packets'
        if self.damaged:
            text += (f', {self.damaged} damaged stretch(es) '
                     f'(first: {self.first_error})')
        return text


class _Source:
    """``read`` over an in-memory stream, for the packet decoder.

    No ``fileno``: python-subunit then reads non-packet bytes one at a
    time, so the first of them reaches :class:`_Sink` at once.
    """

    def __init__(self, data: bytes, pos: int) -> None:
        self._data = data
        self.pos = pos

    def read(self, size: int = -1) -> bytes:
        # A damaged length field can ask for a negative count, which
        # would otherwise mean "everything": make it a short read.
        size = max(size, 0)
        chunk = self._data[self.pos:self.pos + size]
        self.pos += len(chunk)
        return chunk


class _Resync(Exception):
    """Stop decoding: the bytes at the mark are not a good packet."""

    def __init__(self, error: str = '') -> None:
        super().__init__(error)
        self.error = error


class _Sink(testtools.StreamResult):
    """Pass decoded events on; stop at the first non-packet byte.

    ``mark`` is where the next packet starts: the end of the last one
    decoded, so a failure can resume one byte past it.
    """

    def __init__(self, source: _Source, target: _Collector) -> None:
        super().__init__()
        self._source = source
        self._target = target
        self.mark = source.pos
        self.decoded = 0

    def status(
        self,
        test_id: str | None = None,
        test_status: str | None = None,
        test_tags: set[str] | None = None,
        runnable: bool = True,
        file_name: str | None = None,
        file_bytes: bytes | None = None,
        eof: bool = False,
        mime_type: str | None = None,
        route_code: str | None = None,
        timestamp: datetime.datetime | None = None,
    ) -> None:
        """Record one decoded packet (``file_bytes`` may be a view)."""
        if file_name == _NOISE:
            raise _Resync()
        if test_id == _PARSER_ID and file_name is not None:
            if file_name == 'Parser Error':
                raise _Resync(bytes(file_bytes or b'').decode(
                    'utf-8', 'replace'))
            return  # the undecodable bytes; the error follows
        self._target.event(test_id, test_status, file_name, file_bytes,
                           timestamp)
        self.mark = self._source.pos
        self.decoded += 1


class _Collector:
    """Test outcomes from a stream of status events, in start order."""

    def __init__(self) -> None:
        self.started: dict[str, datetime.datetime | None] = {}
        self.files: dict[str, dict[str, bytearray]] = {}
        self.outcomes: dict[str, Outcome] = {}
        # Insertion-ordered: a test's place is its first event.
        self.order: dict[str, None] = {}

    def event(
        self,
        test_id: str | None,
        test_status: str | None,
        file_name: str | None,
        file_bytes: bytes | None,
        timestamp: datetime.datetime | None,
    ) -> None:
        if not test_id:
            return
        if file_name is not None and file_bytes:
            parts = self.files.setdefault(test_id, {})
            parts.setdefault(file_name, bytearray()).extend(
                file_bytes[:_MAX_TEXT])
        if test_status in ('exists', 'inprogress'):
            self.started.setdefault(test_id, timestamp)
            self.order.setdefault(test_id)
            return
        final = _FINAL.get(test_status or '')
        if final is None:
            return
        begin = self.started.get(test_id)
        duration = 0.0
        if begin is not None and timestamp is not None:
            duration = max((timestamp - begin).total_seconds(), 0.0)
        self.outcomes[test_id] = _outcome(
            test_id, final, test_status or '', self.files.get(test_id, {}),
            duration)
        self.order.setdefault(test_id)

    def results(self) -> list[Outcome]:
        result = []
        for test_id in self.order:
            outcome = self.outcomes.get(test_id)
            if outcome is None:
                outcome = Outcome(
                    test_id, OutcomeStatus.ERROR,
                    message='the test started but never finished',
                )
            result.append(outcome)
        return result


def decode_subunit(data: bytes) -> tuple[list[Outcome], SubunitDamage]:
    """Return a stream's outcomes and what had to be skipped to get them.

    :param data: the whole stream.
    """
    import subunit

    collector = _Collector()
    damage = SubunitDamage()
    in_damage = False
    pos = 0
    while pos < len(data):
        start = data.find(SIGNATURE, pos)
        if start < 0:
            damage.skipped_bytes += len(data) - pos
            break
        damage.skipped_bytes += start - pos
        source = _Source(data, start)
        sink = _Sink(source, collector)
        error = ''
        try:
            subunit.ByteStreamToStreamResult(
                source, non_subunit_name=_NOISE).run(sink)
        except _Resync as stop:
            error = stop.error
        except (struct.error, ValueError, IndexError, OverflowError) as err:
            # Fields running past a packet whose checksum still matched.
            error = str(err) or type(err).__name__
        if sink.decoded:
            in_damage = False
        if not error:
            # The end, or a byte that is not a packet after the last one.
            pos = sink.mark
            continue
        if not in_damage:
            damage.damaged += 1
            damage.first_error = damage.first_error or error
        in_damage = True
        # Resume one byte past the signature that began the bad packet.
        damage.skipped_bytes += 1
        pos = sink.mark + 1
    return collector.results(), damage


def parse_subunit(data: bytes) -> list[Outcome]:
    """Return one outcome per test of a subunit v2 stream, in start order.

    ``success``/``xfail`` pass, ``fail``/``uxsuccess`` fail, ``skip`` is
    ``skip``; a test that started but has no final status is an
    ``error`` (its process died). Attachments (tracebacks, captured
    output) become the outcome's traceback and output. Anything that is
    not a good packet is skipped and reported in one log line: a
    warning when packets were damaged, a debug line for stray bytes.
    """
    outcomes, damage = decode_subunit(data)
    if damage.damaged:
        LOG.warning('subunit stream: %s; kept %d test(s)',
                    damage.describe(), len(outcomes))
    elif damage:
        LOG.debug('subunit stream: %s', damage.describe())
    return outcomes


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
