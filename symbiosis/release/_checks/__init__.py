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
from collections.abc import Sequence
import logging
from typing import TYPE_CHECKING
from typing import Any
from typing import ClassVar

from symbiosis.exception import InfrastructureError
from symbiosis.exception import SymbiosisError
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.api._differ import Diff
    from symbiosis.release._context import ReleaseContext

__all__ = ['CHECKS_NAMESPACE', 'Check', 'api_diff', 'first_of', 'load_checks']

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


def api_diff(
    ctx: ReleaseContext,
) -> tuple[Diff | None, SymbiosisError | None]:
    """Return the API diff of ``ctx`` (``None`` without a previous
    release), or why it cannot be computed.

    :raises symbiosis.exception.InfrastructureError: the failure is not
        the project's (the index or a download), so the run stops.
    """
    try:
        return ctx.diff, None
    except InfrastructureError:
        raise
    except SymbiosisError as err:
        return None, err


def first_of(texts: Sequence[str], limit: int, separator: str) -> str:
    """Return the first ``limit`` of ``texts`` joined by ``separator``,
    then how many more there are: ``a, b and 3 more``, ``a; b; and 3
    more`` (a comma is not repeated before "and", a semicolon is).
    """
    text = separator.join(texts[:limit])
    if len(texts) > limit:
        text += separator.rstrip().rstrip(',')
        text += f' and {len(texts) - limit} more'
    return text


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
