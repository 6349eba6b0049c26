"""Release hygiene: checks to run before tagging, pin checks, draft notes.

Two entry points cover most uses::

    from symbiosis import release

    problems = release.check('.', proposed='2.0.0')
    pin_problems = release.check_pins(['requirements.txt'], config=config)

Each check (semver, notes, calendar, immutability, deprecations, pins) is
a plugin in the ``symbiosis.release.checks`` entry-point namespace: a
:class:`Check` subclass reading the :class:`ReleaseContext` of the run.
Importing this package is cheap: the checks, git and the index client
load when :func:`check` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from symbiosis._lazy_names import load_lazy_name
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.release._checks import Check
    from symbiosis.release._context import ReleaseContext
    from symbiosis.release._pins import check_pins
    from symbiosis.release._runner import check

__all__ = [
    'Check',
    'Problem',
    'ReleaseContext',
    'Severity',
    'check',
    'check_pins',
]

# Public name -> the submodule defining it (read-only): the entry points
# and the release-check plugin interface, loaded on first use.
_LAZY = {
    'check': 'symbiosis.release._runner',
    'check_pins': 'symbiosis.release._pins',
    'Check': 'symbiosis.release._checks',
    'ReleaseContext': 'symbiosis.release._context',
}


def __getattr__(name: str) -> Any:
    return load_lazy_name(__name__, name, _LAZY.get(name))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

