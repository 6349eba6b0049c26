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

from symbiosis._lazy_names import attach

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

__getattr__, __dir__ = attach(__name__, submod_attrs={
    '_environments.base': [
        'Environment',
        'EnvironmentBuildError',
        'EnvironmentSpec',
    ],
    '_model': ['Classification', 'GateReport', 'ProbeResult', 'Verdict'],
    '_reports.base': ['Report'],
    '_runner': ['Gate', 'run_gate'],
    '._executors': ['ExecutorFactory'],
})
