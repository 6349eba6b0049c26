"""``symbiosis report ...``: documents made from a gate's JSON report.

``report upstream`` writes a ready-to-file bug report for each regression
(Markdown or JSON), offline; symbiosis files nothing. ``report html``
writes the gate's HTML page of a JSON report (what ``gate --format html``
writes), ``report dashboard`` a static site of the results store's
history. Exit codes of ``report upstream``: ``0``
reports written, or nothing to report because every regression chosen was
left out (flaky, ``infra-error``); ``2`` bad input (not JSON, not a gate
report, no regression, an unknown ``--probe``).
"""

from __future__ import annotations

import argparse
import json
import logging
import pathlib
import sys
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.cli._base import Command

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport

__all__ = ['ReportHtml', 'ReportUpstream', 'read_gate_report']

LOG = logging.getLogger(__name__)


def read_gate_report(path: str) -> GateReport:
    """Read the gate's JSON report at ``path``.

    :raises symbiosis.exception.InputError: it cannot be read, is not
        JSON or not a gate report.
    """
    from symbiosis.gate._model import GateReport

    try:
        text = pathlib.Path(path).read_text(encoding='utf-8')
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, 'strerror', None) or str(err)
        raise exception.InputError(f'{path}: cannot read: {reason}') \
            from err
    try:
        data = json.loads(text)
    except ValueError as err:
        raise exception.InputError(f'{path}: not JSON: {err}') from err
    if not isinstance(data, dict):
        raise exception.InputError(f'{path}: not a gate report')
    try:
        return GateReport.from_json(data)
    except (ValueError, TypeError, AttributeError) as err:
        raise exception.InputError(
            f'{path}: not a gate report: {err}') from err


class ReportUpstream(Command):
    """Write a ready-to-file bug report for each regression of a gate's
    JSON report: reproducer, failure, API diff, where to file it."""

    formats = ('markdown', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``report upstream``."""
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'gate_report', metavar='GATE_REPORT',
            help="a gate's JSON report (gate --format json, or --output)")
        parser.add_argument(
            '--probe', metavar='ID', action='append', default=[],
            help='report this probe only (a probe id, or a result key; '
            'repeatable; default: every regression)')
        parser.add_argument(
            '--output', metavar='FILE',
            help='write the reports to FILE instead of standard output')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Write the reports; say so when there is nothing to report."""
        from symbiosis._files import write_output
        from symbiosis.gate._upstream_report.build import build_reports
        from symbiosis.gate._upstream_report.redact import Redactor
        from symbiosis.gate._upstream_report.render import render_json
        from symbiosis.gate._upstream_report.render import render_markdown

        path = parsed_args.gate_report
        report = read_gate_report(path)
        redact = Redactor.from_environ()
        selection = build_reports(
            report, config=self.config, name=path,
            probes=parsed_args.probe,
            directories=[pathlib.Path(path).resolve().parent,
                         pathlib.Path.cwd()],
            redact=redact)
        if not selection.reports:
            kinds = ', '.join(sorted({c for _, c in selection.skipped}))
            sys.stderr.write(
                f'symbiosis: {path}: nothing to report: '
                f'{len(selection.skipped)} result(s) left out ({kinds}); '
                'flaky and infra-error results are never reported\n')
            return exception.EXIT_OK
        for key, classification in selection.skipped:
            sys.stderr.write(
                f'symbiosis: {key}: {classification}: not reported\n')
        if parsed_args.output_format == 'json':
            self.write_json(render_json(selection, redact(path)),
                            parsed_args.output)
            return exception.EXIT_OK
        text = render_markdown(selection)
        if parsed_args.output:
            write_output(parsed_args.output, text)
        else:
            self.write(text)
        return exception.EXIT_OK


class ReportHtml(Command):
    """Write the HTML page of a gate's JSON report (the page gate
    --format html writes)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``report html``."""
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'gate_report', metavar='GATE_REPORT',
            help="a gate's JSON report (gate --format json, or --output)")
        parser.add_argument(
            '--output', metavar='FILE',
            help='write the page to FILE instead of standard output')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Write the page; exit 0 (2: not a gate report)."""
        from symbiosis._files import check_output
        from symbiosis._files import write_output
        from symbiosis.gate._reports.html import render_page

        if parsed_args.output:
            check_output(parsed_args.output)
        page = render_page(read_gate_report(parsed_args.gate_report),
                           cache_dir=self.config.subdir('html'))
        if parsed_args.output:
            write_output(parsed_args.output, page)
        else:
            self.app.stdout.write(page)
        return exception.EXIT_OK
