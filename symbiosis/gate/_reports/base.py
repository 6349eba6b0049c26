"""The report plugin base and its loader."""

from __future__ import annotations

import abc
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport

__all__ = ['NAMESPACE', 'Report', 'load_report', 'report_formats']

LOG = logging.getLogger(__name__)

#: The stevedore namespace of report writers.
NAMESPACE = 'symbiosis.reports'


class Report(abc.ABC):
    """A report format; subclass and register in ``symbiosis.reports``."""

    #: Its name, as given to ``--format``.
    name: str = ''
    #: Whether the output is binary (not text a terminal can show).
    binary: bool = False

    @abc.abstractmethod
    def render(self, report: GateReport) -> bytes:
        """Return ``report`` in this format."""


def load_report(name: str) -> Report:
    """Load the report plugin ``name``.

    :raises symbiosis.exception.ConfigError: no such format is installed,
        or it cannot be loaded.
    """
    from symbiosis import _plugins

    plugin: Report = _plugins.load(
        NAMESPACE, name, Report, what='report format',
        create=lambda cls: cls())
    return plugin


def report_formats() -> list[str]:
    """The names of the installed report formats, ``text`` first (nothing
    is imported)."""
    from symbiosis import _plugins

    return sorted(_plugins.names(NAMESPACE), key=lambda n: (n != 'text', n))
