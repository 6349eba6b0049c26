"""What the release checks report: :class:`Problem` and :class:`Severity`.

A problem names the check that found it, how serious it is and a sentence
the maintainer can act on; extra data (a file, a line, a version) travels
in :attr:`Problem.details` and is merged into the JSON form::

    {"check": "calendar", "severity": "warning",
     "message": "2026-11-27 is a Friday: ...", "weekday": "Friday"}
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import types
from typing import Any

from symbiosis._enums import TextEnum
from symbiosis._enums import parse_member

__all__ = ['Problem', 'Severity']


class Severity(TextEnum):
    """How serious a problem is; only ``error`` fails the release."""

    ERROR = 'error'
    WARNING = 'warning'
    INFO = 'info'

    @property
    def rank(self) -> int:
        """``2`` for errors, ``1`` for warnings, ``0`` for information."""
        return _RANKS[self.value]

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Return the severity named ``value`` (case-insensitive).

        :raises ValueError: ``value`` names no severity.
        """
        return parse_member(cls, value, 'severity')


_RANKS = types.MappingProxyType({'error': 2, 'warning': 1, 'info': 0})


@dataclasses.dataclass(frozen=True)
class Problem:
    """One finding of a release check.

    :param check: the check's name (``semver``, ``calendar``...), or
        ``release`` for findings about the run itself (shallow clone,
        first release).
    :param severity: how serious it is, after project overrides.
    :param message: a sentence the maintainer can act on.
    :param details: extra JSON-able fields (``file``, ``line``,
        ``version``...), merged into :meth:`to_json`.
    """

    check: str
    severity: Severity
    message: str
    details: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """Most severe first, then by check and message."""
        return (-self.severity.rank, self.check, self.message)

    def to_json(self) -> dict[str, Any]:
        """Return ``{check, severity, message, ...details}``."""
        data: dict[str, Any] = {
            'check': self.check,
            'severity': self.severity.value,
            'message': self.message,
        }
        for key, value in self.details.items():
            data.setdefault(key, value)
        return data

    def __str__(self) -> str:
        return f'{self.severity}: {self.check}: {self.message}'
