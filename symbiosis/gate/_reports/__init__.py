"""Gate report writers (``symbiosis.reports`` plugins).

Each plugin turns a :class:`~symbiosis.gate._model.GateReport` into bytes:
``text`` for people, ``json`` for programs, ``junit`` for any CI and
``subunit`` (v2) for stestr/testrepository tooling.
"""

from __future__ import annotations

from symbiosis.gate._reports.base import NAMESPACE
from symbiosis.gate._reports.base import Report
from symbiosis.gate._reports.base import load_report

__all__ = ['NAMESPACE', 'Report', 'load_report']
