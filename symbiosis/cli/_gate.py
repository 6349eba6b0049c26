"""``symbiosis gate``: the same probes against a baseline and a candidate
(or several: ``--candidate`` repeated, ``--candidate-range``).

Exit codes: ``0`` no regression, ``1`` regressions, ``2`` bad input (an
unknown upstream or version included, probes none of which can run),
``3`` no verdict reached (``infra-error``: the infrastructure failed;
``nothing-judged``: no probe ran on both sides; ``incomplete``: a partial
report); interrupted, ``130`` (Ctrl-C) or ``143`` (``SIGTERM``), after the
partial report is written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.cli import _values
from symbiosis.cli._base import Command
from symbiosis.cli._base import add_repo_option
from symbiosis.cli._base import add_store_option

if TYPE_CHECKING:
    from symbiosis.gate._model import GateReport
    from symbiosis.gate._runner import Gate as GateRun

__all__ = ['Gate']

LOG = logging.getLogger(__name__)

_SPEC_HELP = (
    'a version of UPSTREAM (1.4.2), a requirement (>=2.1,<3), a source '
    'tree, a wheel, an sdist or git:REF[:SUBDIR]'
)


def _check_options(parsed_args: argparse.Namespace) -> None:
    """What argparse cannot check alone, checked before any work."""
    import os

    if parsed_args.report is not None:
        from symbiosis._files import check_output

        check_output(parsed_args.report)
    if parsed_args.max_age is not None and not parsed_args.clean:
        raise exception.InputError(
            '--max-age DAYS limits --clean: give both, or neither')
    resume = parsed_args.resume
    if resume is not None and not os.path.isfile(resume):
        reason = ('is a directory' if os.path.isdir(resume)
                  else 'no such file')
        raise exception.InputError(
            f'--resume {resume}: {reason} (give the --output file of an '
            'earlier run)')


def _run_recorded(gate: GateRun, store_url: str | None) -> GateReport:
    """Run ``gate``; with ``--store``, record it as its jobs finish."""
    if store_url is None:
        return gate.run()
    from symbiosis.store._store import open_store

    with open_store(store_url) as store:
        recorder = store.recorder(gate.upstream, gate.baseline,
                                  gate.candidate)
        gate.on_job = recorder
        try:
            report = gate.run()
        except KeyboardInterrupt:
            recorder.interrupted('interrupted')
            raise
        recorder.finish(report)
    return report


class Gate(Command):
    """Run probes against a baseline and a candidate of UPSTREAM; report
    regressions, fixes, flaky probes and infrastructure errors."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``gate``."""
        from symbiosis.gate._reports.base import report_formats

        # Every installed report plugin is a --format choice.
        self.formats = tuple(report_formats())
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'upstream', metavar='UPSTREAM', nargs='?',
            help='the upstream distribution name')
        parser.add_argument('--baseline', metavar='SPEC', help=_SPEC_HELP)
        parser.add_argument(
            '--candidate', metavar='SPEC', action='append', default=[],
            help=_SPEC_HELP + ' (repeatable: each candidate is judged '
            'against the one baseline)')
        parser.add_argument(
            '--candidate-range', metavar='SPEC', action='append',
            default=[],
            help="every release of UPSTREAM in a version range ('>0.7.15')"
            ' is a candidate (repeatable; yanked releases are left out, '
            'and pre-releases unless --pre)')
        parser.add_argument(
            '--pre', action='store_true',
            help='--candidate-range includes pre-releases')
        parser.add_argument(
            '--probes', metavar='PATH', action='append', default=[],
            help='probes file or directory (repeatable)')
        parser.add_argument(
            '--command', metavar='CMD', action='append', default=[],
            help='a command run as a probe, e.g. "pytest -q" (repeatable; '
            'run in each downstream directory)')
        parser.add_argument(
            '--downstream', metavar='PATH', action='append', default=[],
            help='a downstream whose tests run against each side '
            '(repeatable: upstream mode): a directory, an sdist, a wheel or '
            'NAME==VERSION from the index')
        parser.add_argument(
            '--downstream-requires', metavar='REQ', action='append',
            default=[],
            help='a requirement installed with every downstream, such as '
            'the test runner a release without a test extra needs '
            '(repeatable; added to downstream_requires of the [gate] '
            'settings)')
        parser.add_argument(
            '--python', metavar='VERSION', action='append', default=[],
            help='Python version of the environments (repeatable; '
            "default: symbiosis's own)")
        parser.add_argument(
            '--executor', default='thread',
            help='sync, thread, process or dask (default: thread)')
        parser.add_argument(
            '--workers', type=_values.positive_int, metavar='N',
            help='parallel jobs, 1 or more (default: the number of cores)')
        parser.add_argument(
            '--scheduler', metavar='ADDRESS',
            help='dask scheduler address (--executor dask; default: a '
            'local cluster)')
        parser.add_argument(
            '--timeout', type=_values.positive_seconds, metavar='SECONDS',
            help='time limit per probe (default: 60)')
        parser.add_argument(
            '--reruns', type=_values.non_negative_int, default=1,
            metavar='N',
            help='re-run failing probes N times on both sides before a '
            'verdict (default: 1)')
        parser.add_argument(
            '--exclude-newer', metavar='DATE', type=_values.exclude_newer,
            help='resolve other dependencies as of DATE (uv): a date, an '
            "RFC 3339 timestamp or a duration back from now ('30 days', "
            'P30D)')
        parser.add_argument(
            '--refresh', action='store_true',
            help='ask the package index about exact pins (NAME==VERSION) '
            'even when their environments are cached (a range is always '
            'checked)')
        parser.add_argument(
            '--environment', metavar='KIND',
            help='environment plugin: uv or venv (default: uv if present)')
        parser.add_argument(
            '--output', metavar='FILE',
            help='write the JSON report to FILE as results arrive')
        parser.add_argument(
            '--report', metavar='FILE',
            help='write the report, in the --format chosen, to FILE '
            'instead of standard output (--output stays the JSON '
            'journal --resume reads)')
        parser.add_argument(
            '--resume', metavar='FILE',
            help='skip the jobs FILE (an earlier --output; it must exist) '
            'already holds')
        parser.add_argument(
            '--clean', action='store_true',
            help='remove cached environments first (only those unused for '
            '--max-age days when given)')
        parser.add_argument(
            '--max-age', type=_values.non_negative_days, metavar='DAYS',
            help='with --clean: the age limit in days (0 or more)')
        add_repo_option(parser, 'SPECs')
        add_store_option(parser, 'record the run in, as jobs finish '
                         '(only when given)')
        return parser

    def _clean(self, parsed_args: argparse.Namespace) -> None:
        from symbiosis.gate._environments.base import clean_bytecode
        from symbiosis.gate._environments.base import clean_environments

        root = self.config.subdir('envs')
        pycache = self.config.subdir('pycache')
        if root is None or pycache is None:
            return
        max_age = (None if parsed_args.max_age is None
                   else parsed_args.max_age * 86400.0)
        removed = clean_environments(root, max_age)
        # Everything, or the bytecode of the environments removed.
        clean_bytecode(pycache, None if max_age is None else removed)
        sys.stderr.write(
            f'symbiosis: removed {len(removed)} cached environment(s)\n')

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Run the gate, print the report, exit with its verdict's code."""
        from symbiosis.gate._model import Verdict
        from symbiosis.gate._progress import ProgressPrinter
        from symbiosis.gate._reports.base import load_report
        from symbiosis.gate._runner import Gate as GateRun
        from symbiosis.gate._settings import load_gate_settings

        _check_options(parsed_args)
        if parsed_args.clean:
            self._clean(parsed_args)
            if parsed_args.upstream is None:
                return exception.EXIT_OK
        missing = [name for name, value in (
            ('UPSTREAM', parsed_args.upstream),
            ('--baseline', parsed_args.baseline),
            ('--candidate', parsed_args.candidate
             or parsed_args.candidate_range)) if not value]
        if missing:
            raise exception.InputError(
                f"gate needs {', '.join(missing)} (see 'symbiosis gate "
                "--help')")
        if parsed_args.downstream_requires and not parsed_args.downstream:
            raise exception.InputError(
                '--downstream-requires needs --downstream')
        if parsed_args.pre and not parsed_args.candidate_range:
            raise exception.InputError('--pre needs --candidate-range')
        settings = load_gate_settings('.')
        writer = load_report(parsed_args.output_format)
        from symbiosis.gate._reports.html import HtmlReport

        if isinstance(writer, HtmlReport):
            writer.cache_dir = self.config.subdir('html')
        quiet = getattr(self.app.options, 'verbose_level', 1) == 0
        gate = GateRun(
            parsed_args.upstream, parsed_args.baseline,
            parsed_args.candidate,
            candidate_ranges=parsed_args.candidate_range,
            pre=parsed_args.pre,
            probes_paths=parsed_args.probes,
            commands=parsed_args.command,
            downstreams=parsed_args.downstream,
            downstream_requires=[*settings.downstream_requires,
                                 *parsed_args.downstream_requires],
            pythons=parsed_args.python,
            executor=parsed_args.executor,
            workers=parsed_args.workers,
            timeout=parsed_args.timeout,
            reruns=parsed_args.reruns,
            exclude_newer=parsed_args.exclude_newer,
            config=self.config,
            output=parsed_args.output,
            resume=parsed_args.resume,
            scheduler=parsed_args.scheduler,
            environment=parsed_args.environment,
            progress=None if quiet else ProgressPrinter(sys.stderr),
            repo=parsed_args.repo,
            refresh=parsed_args.refresh,
        )
        from symbiosis._interrupts import EXIT_TERMINATED
        from symbiosis._interrupts import Terminated
        from symbiosis._interrupts import terminate_as_interrupt

        try:
            with terminate_as_interrupt():
                report = _run_recorded(gate, parsed_args.store)
        except Terminated:
            sys.stderr.write('symbiosis: terminated\n')
            return EXIT_TERMINATED
        if report.verdict in (Verdict.INFRA_ERROR, Verdict.NOTHING_JUDGED):
            # Whatever the format, one line says why nothing was judged.
            sys.stderr.write(
                f'symbiosis: {report.verdict}: {report.verdict_reason}\n')
        data = writer.render(report)
        if parsed_args.report is not None:
            from symbiosis._files import write_output

            write_output(parsed_args.report, data)
        elif writer.binary:
            self.app.stdout.flush()
            out = getattr(self.app.stdout, 'buffer', None) or sys.stdout.buffer
            out.write(data)
            out.flush()
        else:
            self.app.stdout.write(data.decode('utf-8'))
        return report.exit_code
