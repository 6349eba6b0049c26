"""Progress of a gate run: events from the library, rendering for a CLI.

The gate emits :class:`ProgressEvent` objects to a callback; it never
writes anywhere itself. :class:`ProgressPrinter` is what the command line
plugs in: on a terminal, one status line rewritten in place (probes done
/ total, regressions so far); otherwise quiet, one line per event worth
keeping in a log.
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from typing import TextIO

__all__ = ['ProgressCallback', 'ProgressEvent', 'ProgressPrinter']


@dataclasses.dataclass(frozen=True)
class ProgressEvent:
    """Something happened in a gate run.

    :param kind: ``candidates`` (a candidate range was expanded),
        ``environment`` (one is ready or failed), ``job`` (a job
        finished), ``rerun`` (re-runs start), ``done``.
    :param message: one line for people.
    :param done: probes run so far (all sides and attempts).
    :param total: probes planned so far.
    :param regressions: probes that currently look like regressions.
    """

    kind: str
    message: str
    done: int = 0
    total: int = 0
    regressions: int = 0


#: What the gate calls with each event.
ProgressCallback = Callable[[ProgressEvent], None]


class ProgressPrinter:
    """Render events to a stream (the CLI passes ``sys.stderr``).

    :param stream: where to write.
    :param tty: rewrite one status line in place (default: whether
        ``stream`` is a terminal).
    """

    def __init__(self, stream: TextIO, tty: bool | None = None) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self._width = 0

    def __call__(self, event: ProgressEvent) -> None:
        """Render one event."""
        if self.tty:
            self._status(event)
        elif event.kind != 'job':
            self.stream.write(f'gate: {event.message}\n')
            self.stream.flush()

    def _status(self, event: ProgressEvent) -> None:
        if event.kind in ('candidates', 'environment', 'rerun'):
            self._clear()
            self.stream.write(f'gate: {event.message}\n')
        elif event.kind == 'done':
            self._clear()
            self.stream.write(f'gate: {event.message}\n')
            self.stream.flush()
            return
        line = (f'[{event.done}/{event.total}] probes run, '
                f'{event.regressions} regression'
                f"{'' if event.regressions == 1 else 's'} so far")
        pad = max(0, self._width - len(line))
        self.stream.write('\r' + line + ' ' * pad)
        self._width = len(line)
        self.stream.flush()

    def _clear(self) -> None:
        if self._width:
            self.stream.write('\r' + ' ' * self._width + '\r')
            self._width = 0
