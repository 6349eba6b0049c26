"""The release checks: one plugin per concern.

A check is a small class registered in the ``symbiosis.release.checks``
entry-point namespace::

    [project.entry-points."symbiosis.release.checks"]
    calendar = "symbiosis.release._checks.calendar:CalendarCheck"

It yields :class:`~symbiosis.release._model.Problem` records from a
:class:`~symbiosis.release._context.ReleaseContext`. The project can
disable a check or change the severity of its findings (see
:mod:`symbiosis.release._settings`).
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
import logging
from typing import TYPE_CHECKING
from typing import Any
from typing import ClassVar

from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.release._context import ReleaseContext

__all__ = ['CHECKS_NAMESPACE', 'Check', 'load_checks']

LOG = logging.getLogger(__name__)

#: The stevedore namespace release checks are loaded from.
CHECKS_NAMESPACE = 'symbiosis.release.checks'


class Check(abc.ABC):
    """Base class of a release check.

    Subclasses set :attr:`name` and :attr:`default_severity` and
    implement :meth:`run`.
    """

    #: The name users disable or re-grade the check by.
    name: ClassVar[str] = ''
    #: Severity of the check's findings unless the project overrides it.
    default_severity: ClassVar[Severity] = Severity.ERROR
    #: Position in the report; built-ins use 10, 20, ...
    order: ClassVar[int] = 100

    @abc.abstractmethod
    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        """Yield the problems found in ``ctx``."""

    def problem(
        self,
        message: str,
        severity: Severity | None = None,
        /,
        **details: Any,
    ) -> Problem:
        """Build a problem of this check (default severity unless given).
        """
        return Problem(
            check=self.name,
            severity=severity or self.default_severity,
            message=message,
            details=details,
        )

    def info(self, message: str, /, **details: Any) -> Problem:
        """Build an informational problem of this check."""
        return self.problem(message, Severity.INFO, **details)


def load_checks(namespace: str = CHECKS_NAMESPACE) -> list[Check]:
    """Return one instance of every check registered in ``namespace``, in
    the order they run.

    :raises symbiosis.exception.PluginLoadError: a check cannot be loaded,
        unless ``SYMBIOSIS_ALLOW_BROKEN_PLUGINS`` is set: it is then
        skipped with a warning.
    """
    from symbiosis import _plugins

    checks: dict[str, Check] = _plugins.load_all(
        namespace, Check, what='release check', create=lambda cls: cls())
    return sorted(checks.values(), key=lambda c: (c.order, c.name))
