"""The gate: run the same probes against a baseline and a candidate.

``symbiosis.gate`` builds one isolated environment per side (and per
Python and downstream), runs every probe in both, re-runs failures on both
sides and classifies each probe (``pass``, ``regression``, ``fixed``,
``still-failing``, ``flaky``, ``infra-error``, ``timeout``)::

    from symbiosis import gate

    report = gate.run_gate(
        'tinylib', baseline='1.0.0', candidate='1.1.0',
        probes_paths=['probes/'],
    )
    print(report.verdict, [r.probe for r in report.regressions])

Its extension points are plugins deriving from :class:`Environment`
(where probes run), :class:`ExecutorFactory` (how jobs are spread) and
:class:`Report` (``--format``). Importing this package is cheap: the names
below load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from symbiosis._lazy_names import load_lazy_name

if TYPE_CHECKING:
    from symbiosis._executors import ExecutorFactory
    from symbiosis.gate._environments.base import Environment
    from symbiosis.gate._environments.base import EnvironmentBuildError
    from symbiosis.gate._environments.base import EnvironmentSpec
    from symbiosis.gate._model import Classification
    from symbiosis.gate._model import GateReport
    from symbiosis.gate._model import ProbeResult
    from symbiosis.gate._model import Verdict
    from symbiosis.gate._reports.base import Report
    from symbiosis.gate._runner import Gate
    from symbiosis.gate._runner import run_gate

__all__ = [
    'Classification',
    'Environment',
    'EnvironmentBuildError',
    'EnvironmentSpec',
    'ExecutorFactory',
    'Gate',
    'GateReport',
    'ProbeResult',
    'Report',
    'Verdict',
    'run_gate',
]

# Public name -> the submodule defining it (read-only).
_LAZY = {
    'Classification': 'symbiosis.gate._model',
    'GateReport': 'symbiosis.gate._model',
    'ProbeResult': 'symbiosis.gate._model',
    'Verdict': 'symbiosis.gate._model',
    'Gate': 'symbiosis.gate._runner',
    'run_gate': 'symbiosis.gate._runner',
    # Plugin base classes (environments, executors, reports).
    'Environment': 'symbiosis.gate._environments.base',
    'EnvironmentBuildError': 'symbiosis.gate._environments.base',
    'EnvironmentSpec': 'symbiosis.gate._environments.base',
    'ExecutorFactory': 'symbiosis._executors',
    'Report': 'symbiosis.gate._reports.base',
}


def __getattr__(name: str) -> Any:
    return load_lazy_name(__name__, name, _LAZY.get(name))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
