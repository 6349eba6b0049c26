"""The ``json`` report: ``schema_version`` 1 (see
:meth:`~symbiosis.gate._model.GateReport.to_json`)."""

from __future__ import annotations

import json

from symbiosis.gate._model import GateReport
from symbiosis.gate._reports.base import Report

__all__ = ['JsonReport']


class JsonReport(Report):
    """The whole report as indented JSON."""

    name = 'json'

    def render(self, report: GateReport) -> bytes:
        """Return the JSON document (UTF-8)."""
        return (json.dumps(report.to_json(), indent=2) + '\n').encode('utf-8')
