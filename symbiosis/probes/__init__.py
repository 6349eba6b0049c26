"""Probes: what a consumer checks of an upstream, and how they run.

``from symbiosis.probes import probe`` is all a probes file needs; it
imports nothing else (the worker provides the same decorator in target
environments where symbiosis is not installed). Everything else here is
loaded on first access::

    from symbiosis import probes

    found = probes.discover(['probes/'])
    for outcome in probes.run_probes(found, '/path/to/env/bin/python'):
        print(outcome.probe_id, outcome.status)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiosis._lazy_names import attach
from symbiosis.probes._decorator import probe

if TYPE_CHECKING:
    from symbiosis.probes._jobs import ProbeJob
    from symbiosis.probes._jobs import discover
    from symbiosis.probes._jobs import run_job
    from symbiosis.probes._jobs import run_probes
    from symbiosis.probes._kinds.base import ProbeKind
    from symbiosis.probes._kinds.base import ProbeRun
    from symbiosis.probes._kinds.base import load_kinds
    from symbiosis.probes._kinds.command import command_probe
    from symbiosis.probes._kinds.static import semver_probe
    from symbiosis.probes._kinds.static import usage_probe
    from symbiosis.probes._model import Cause
    from symbiosis.probes._model import Outcome
    from symbiosis.probes._model import OutcomeStatus
    from symbiosis.probes._model import Probe

__all__ = [
    'Cause',
    'Outcome',
    'OutcomeStatus',
    'Probe',
    'ProbeJob',
    'ProbeKind',
    'ProbeRun',
    'command_probe',
    'discover',
    'load_kinds',
    'probe',
    'run_job',
    'run_probes',
    'semver_probe',
    'usage_probe',
]

__getattr__, __dir__ = attach(__name__, submod_attrs={
    '_jobs': ['ProbeJob', 'discover', 'run_job', 'run_probes'],
    '_kinds.base': ['ProbeKind', 'ProbeRun', 'load_kinds'],
    '_kinds.command': ['command_probe'],
    '_kinds.static': ['semver_probe', 'usage_probe'],
    '_model': ['Cause', 'Outcome', 'OutcomeStatus', 'Probe'],
})
