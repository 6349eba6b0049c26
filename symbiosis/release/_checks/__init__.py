"""The release checks: one plugin per concern.

A check is a small class registered in the ``symbiosis.release._checks``
entry-point namespace::

    [project.entry-points."symbiosis.release._checks"]
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

__all__ = ['CHECKS_NAMESPACE', 'Check', 'builtin_checks', 'load_checks']

LOG = logging.getLogger(__name__)

#: The stevedore namespace release checks are loaded from.
CHECKS_NAMESPACE = 'symbiosis.release._checks'

#: Built-in checks, in the order they run.
_BUILTIN = (
    'symbiosis.release._checks.semver:SemverCheck',
    'symbiosis.release._checks.notes:NotesCheck',
    'symbiosis.release._checks.calendar:CalendarCheck',
    'symbiosis.release._checks.immutability:ImmutabilityCheck',
    'symbiosis.release._checks.deprecations:DeprecationsCheck',
    'symbiosis.release._checks.pins:PinsCheck',
)


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


def builtin_checks() -> list[Check]:
    """Return one instance of each built-in check."""
    import importlib

    checks: list[Check] = []
    for spec in _BUILTIN:
        module, _, attr = spec.partition(':')
        checks.append(getattr(importlib.import_module(module), attr)())
    return checks


def load_checks(namespace: str = CHECKS_NAMESPACE) -> list[Check]:
    """Return one instance of every check registered in ``namespace``.

    Falls back to :func:`builtin_checks` when nothing is registered (a
    source checkout that was never installed).
    """
    import stevedore

    manager: stevedore.ExtensionManager[Any] = stevedore.ExtensionManager(
        namespace=namespace,
        invoke_on_load=True,
        on_load_failure_callback=_log_load_failure,
    )
    checks = [ext.obj for ext in manager if isinstance(ext.obj, Check)]
    if not checks:
        LOG.debug('no checks registered in %s; using built-ins', namespace)
        checks = builtin_checks()
    return sorted(checks, key=lambda c: (c.order, c.name))


def _log_load_failure(
    manager: Any, entry_point: Any, err: BaseException
) -> None:
    LOG.warning('cannot load release check %s: %s', entry_point, err)
