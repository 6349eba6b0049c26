"""A gate report as a Markdown table, for a merge request comment."""

from __future__ import annotations

from symbiosis.gate import GateReport
from symbiosis.gate import Report


class MarkdownReport(Report):
    """The verdict, then one row per probe."""

    name = 'markdown'

    def render(self, report: GateReport) -> bytes:
        lines = [
            f'**{report.upstream}** {report.baseline} -> {report.candidate}: '
            f'{report.verdict}',
            '',
            '| probe | result |',
            '| --- | --- |',
        ]
        for result in report.results:
            lines.append(f'| `{result.probe}` | {result.classification} |')
        return ('\n'.join(lines) + '\n').encode('utf-8')
