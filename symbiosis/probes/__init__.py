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

from typing import Any

from symbiosis._lazy_names import load_lazy_name
from symbiosis.probes.decorator import probe

__all__ = [
    'Cause',
    'Outcome',
    'OutcomeStatus',
    'Probe',
    'ProbeJob',
    'ProbeKind',
    'command_probe',
    'discover',
    'load_kinds',
    'probe',
    'run_job',
    'run_probes',
    'semver_probe',
    'usage_probe',
]

_LAZY = {
    'Cause': 'symbiosis.probes.model',
    'Outcome': 'symbiosis.probes.model',
    'OutcomeStatus': 'symbiosis.probes.model',
    'Probe': 'symbiosis.probes.model',
    'ProbeJob': 'symbiosis.probes.jobs',
    'discover': 'symbiosis.probes.jobs',
    'run_job': 'symbiosis.probes.jobs',
    'run_probes': 'symbiosis.probes.jobs',
    'ProbeKind': 'symbiosis.probes.kinds.base',
    'load_kinds': 'symbiosis.probes.kinds.base',
    'command_probe': 'symbiosis.probes.kinds.command',
    'semver_probe': 'symbiosis.probes.kinds.static',
    'usage_probe': 'symbiosis.probes.kinds.static',
}


def __getattr__(name: str) -> Any:
    return load_lazy_name(__name__, name, _LAZY.get(name))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
