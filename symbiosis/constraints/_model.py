"""What ``constraints update`` decides, pin by pin, as data."""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import difflib
from typing import Any

from symbiosis import exception

__all__ = ['GateOptions', 'PinUpdate', 'UpdateReport']


@dataclasses.dataclass(frozen=True)
class GateOptions:
    """How each release is gated (the options of ``symbiosis gate``).

    At least one of ``probes``, ``commands`` or ``downstreams`` is needed.
    """

    probes: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    downstreams: tuple[str, ...] = ()
    pythons: tuple[str, ...] = ()
    executor: str = 'thread'
    workers: int | None = None
    scheduler: str | None = None
    timeout: float | None = None
    reruns: int = 1
    exclude_newer: str | None = None
    environment: str | None = None


@dataclasses.dataclass(frozen=True)
class PinUpdate:
    """What happened to one pin.

    :param name: the project, as the file writes it.
    :param line: the pin's line.
    :param pinned: the version pinned before.
    :param decision: ``current`` (no newer release), ``raised``,
        ``held-back`` (the newest was held back; ``version`` may still be
        raised to a newer release that passed), ``no-verdict`` (the gate
        could not judge: the pin stays).
    :param version: the version pinned after.
    :param held: the release held back, if any.
    :param regressed: the probes that regressed on it.
    :param flaky: probes whose failure was discounted, with the evidence
        of the store's history (or ``never passed on a baseline``).
    :param explanation: the API diff's explanation of the regression.
    :param gates: how many gates ran.
    :param reason: one line for ``no-verdict``.
    """

    name: str
    line: int
    pinned: str
    decision: str
    version: str
    held: str | None = None
    regressed: tuple[str, ...] = ()
    flaky: Mapping[str, str] = dataclasses.field(default_factory=dict)
    explanation: str = ''
    gates: int = 0
    reason: str = ''

    def held_comment(self) -> str | None:
        """The comment above a held-back pin (after ``NAME===``)."""
        if self.held is None:
            return None
        text = f'{self.held}: regressed: {", ".join(self.regressed)}'
        if self.explanation:
            text += f'; {self.explanation}'
        return text

    def describe(self) -> str:
        """One line for people."""
        if self.decision == 'current':
            return f'{self.name} {self.pinned}: current'
        if self.decision == 'raised':
            return f'{self.name}: raised {self.pinned} -> {self.version}'
        if self.decision == 'no-verdict':
            return f'{self.name} {self.pinned}: no verdict: {self.reason}'
        moved = (f'raised {self.pinned} -> {self.version}, '
                 if self.version != self.pinned else f'{self.pinned}: ')
        return (f'{self.name}: {moved}held back {self.held} '
                f'(regressed: {", ".join(self.regressed)})'
                + (f'; {self.explanation}' if self.explanation else ''))

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            'name': self.name, 'line': self.line, 'pinned': self.pinned,
            'decision': self.decision, 'version': self.version,
            'held': self.held, 'regressed': list(self.regressed),
            'flaky': dict(self.flaky), 'explanation': self.explanation,
            'gates': self.gates, 'reason': self.reason,
        }


@dataclasses.dataclass(frozen=True)
class UpdateReport:
    """An update of one constraints file.

    :param file: the file.
    :param pins: one entry per pin considered.
    :param before: the file's text before.
    :param after: its text after (what was, or would be, written).
    :param written: whether the file was written.
    """

    file: str
    pins: tuple[PinUpdate, ...]
    before: str
    after: str
    written: bool = False

    @property
    def exit_code(self) -> int:
        """``3`` when a gate reached no verdict, ``1`` when a release was
        held back, else ``0``."""
        if any(p.decision == 'no-verdict' for p in self.pins):
            return exception.EXIT_INFRA
        if any(p.decision == 'held-back' for p in self.pins):
            return exception.EXIT_PROBLEMS
        return exception.EXIT_OK

    def diff(self) -> str:
        """The unified diff of the file's change."""
        return ''.join(difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            f'a/{self.file}', f'b/{self.file}'))

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``--format json``)."""
        return {
            'file': self.file,
            'changed': self.before != self.after,
            'written': self.written,
            'exit_code': self.exit_code,
            'pins': [p.to_json() for p in self.pins],
            'diff': self.diff(),
        }
