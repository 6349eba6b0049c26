"""The report plugin base and its loader."""

from __future__ import annotations

import abc
import logging
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport

__all__ = ['NAMESPACE', 'Report', 'load_report']

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

    :raises symbiosis.exception.InputError: no such format is installed.
    """
    from stevedore import driver
    from stevedore import exception as stevedore_exc

    try:
        manager: Any = driver.DriverManager(
            NAMESPACE, name, invoke_on_load=True)
    except stevedore_exc.NoMatches as err:
        from stevedore import extension

        known = sorted(extension.ExtensionManager(NAMESPACE).names())
        raise exception.InputError(
            f'unknown report format {name!r}; installed: '
            f"{', '.join(known) or 'none'}"
        ) from err
    plugin: Report = manager.driver
    return plugin
