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

from symbiosis._lazy_names import attach
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

__getattr__, __dir__ = attach(__name__, submod_attrs={
    '_checks': ['Check'],
    '_context': ['ReleaseContext'],
    '_pins': ['check_pins'],
    '_runner': ['check'],
})
