"""The parent's side of the worker protocol: split a worker's stream.

A worker (:mod:`symbiosis.probes._worker`) writes its protocol messages
into its standard output, merged with what the probes print; the driver
feeds what it reads to a :class:`MarkerSplitter` to tell them apart.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ['MarkerSplitter']


class MarkerSplitter:
    """Split a worker's stream into output bytes and protocol messages.

    See :mod:`symbiosis.probes._worker` for the protocol. Memory stays
    bounded however much a probe prints, with or without newlines.

    :param marker: the run's marker.
    """

    #: A protocol line longer than this is not one: treat it as output.
    MAX_LINE = 1 << 20

    def __init__(self, marker: str) -> None:
        self._token = b'\n' + marker.encode('utf-8') + b' '
        self._pending = bytearray()

    def feed(self, data: bytes) -> list[tuple[str, Any]]:
        """Return ``[('output', bytes) | ('message', dict)]`` for ``data``.

        Garbled protocol lines come back as ``('garbled', bytes)``.
        """
        self._pending += data
        items: list[tuple[str, Any]] = []
        token = self._token
        while True:
            index = self._pending.find(token)
            if index < 0:
                # Keep what could be the start of a token split by a read.
                cut = len(self._pending) - (len(token) - 1)
                if cut > 0:
                    items.append(('output', bytes(self._pending[:cut])))
                    del self._pending[:cut]
                return items
            if index:
                items.append(('output', bytes(self._pending[:index])))
                del self._pending[:index]
            end = self._pending.find(b'\n', len(token))
            if end < 0:
                if len(self._pending) > self.MAX_LINE:
                    items.append(('output', bytes(self._pending)))
                    self._pending.clear()
                return items
            line = bytes(self._pending[len(token):end])
            del self._pending[:end + 1]
            try:
                message = json.loads(line.decode('utf-8', 'replace'))
            except ValueError:
                items.append(('garbled', line))
                continue
            if isinstance(message, dict):
                items.append(('message', message))
            else:
                items.append(('garbled', line))

    def flush(self) -> bytes:
        """Return what is left at end of stream (it is output)."""
        rest = bytes(self._pending)
        self._pending.clear()
        return rest
