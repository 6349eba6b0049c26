"""``symbiosis constraints update`` and ``symbiosis watch``.

``constraints update FILE`` gates the releases newer than each pin of a
constraints file and writes it back with the pins whose gate passed
raised and the others held back (a comment names the held release, the
regressed probes and the API-diff explanation). ``watch FILE`` polls the
index and does the same for each new release, once.

Exit codes: ``0`` every pin is current or raised; ``1`` a release was
held back; ``2`` bad input (an unparsable line, reported as FILE:LINE,
the file left untouched); ``3`` a gate reached no verdict or the store
or the index cannot be used; ``130``/``143`` interrupted (``watch``
stops cleanly: ``0`` after ``SIGTERM`` or Ctrl-C between polls).
"""

from __future__ import annotations

import argparse
import sys

from symbiosis import exception
from symbiosis.cli import _values
from symbiosis.cli._base import Command
from symbiosis.cli._base import add_store_option

__all__ = ['ConstraintsUpdate', 'Watch', 'add_gate_options',
           'gate_options']


def add_gate_options(parser: argparse.ArgumentParser) -> None:
    """The options that say how each release is gated."""
    parser.add_argument(
        'file', metavar='FILE',
        help='a constraints file (NAME===VERSION lines) or a requirements '
        'file with exact pins')
    parser.add_argument(
        '--probes', metavar='PATH', action='append', default=[],
        help='probes file or directory (repeatable)')
    parser.add_argument(
        '--downstream', metavar='PATH', action='append', default=[],
        help='a downstream whose tests run against each release '
        '(repeatable)')
    parser.add_argument(
        '--command', metavar='CMD', action='append', default=[],
        help='a command run as a probe, e.g. "pytest -q" (repeatable)')
    parser.add_argument(
        '--only', metavar='NAME', action='append', default=[],
        help='update only this pinned project (repeatable)')
    parser.add_argument(
        '--exclude', metavar='NAME', action='append', default=[],
        help='leave this pinned project alone (repeatable)')
    parser.add_argument(
        '--exclude-newer', metavar='DATE', type=_values.exclude_newer,
        help='ignore releases uploaded after DATE and resolve other '
        "dependencies as of DATE: a date, a timestamp or a duration ('30 "
        "days', P30D; a duration limits the dependencies only)")
    parser.add_argument(
        '--python', metavar='VERSION', action='append', default=[],
        help='Python version of the environments (repeatable)')
    parser.add_argument(
        '--executor', default='thread',
        help="where each gate's jobs run: sync, thread, process or dask "
        '(default: thread)')
    parser.add_argument(
        '--workers', type=_values.positive_int, metavar='N',
        help='parallel jobs per gate (default: the number of cores)')
    parser.add_argument(
        '--scheduler', metavar='ADDRESS',
        help='dask scheduler address (--executor dask)')
    parser.add_argument(
        '--timeout', type=_values.positive_seconds, metavar='SECONDS',
        help='time limit per probe (default: 60)')
    parser.add_argument(
        '--reruns', type=_values.non_negative_int, default=1, metavar='N',
        help='re-run failing probes N times on both sides (default: 1)')
    parser.add_argument(
        '--environment', metavar='KIND',
        help='environment plugin: uv or venv (default: uv if present)')
    add_store_option(parser)


def gate_options(parsed_args: argparse.Namespace) -> object:
    """The :class:`~symbiosis.constraints.GateOptions` of the options.

    :raises symbiosis.exception.InputError: nothing to gate with.
    """
    from symbiosis.constraints._model import GateOptions

    if not (parsed_args.probes or parsed_args.command
            or parsed_args.downstream):
        raise exception.InputError(
            'give --probes PATH, --command CMD or --downstream PATH: '
            'something to gate each release with')
    return GateOptions(
        probes=tuple(parsed_args.probes),
        commands=tuple(parsed_args.command),
        downstreams=tuple(parsed_args.downstream),
        pythons=tuple(parsed_args.python),
        executor=parsed_args.executor, workers=parsed_args.workers,
        scheduler=parsed_args.scheduler, timeout=parsed_args.timeout,
        reruns=parsed_args.reruns, exclude_newer=parsed_args.exclude_newer,
        environment=parsed_args.environment)


def say(message: str) -> None:
    """One line per event on stderr."""
    sys.stderr.write(f'symbiosis: {message}\n')
    sys.stderr.flush()


class ConstraintsUpdate(Command):
    """Raise the pins of a constraints file whose newer releases pass the
    gate; hold back the others."""

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``constraints update``."""
        parser = super().get_parser(prog_name)
        add_gate_options(parser)
        parser.add_argument(
            '--dry-run', action='store_true',
            help='print the unified diff of FILE; write nothing')
        parser.add_argument(
            '--output', metavar='FILE',
            help='write the report to FILE instead of stdout')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Update the file; print what happened to each pin."""
        from symbiosis._interrupts import EXIT_TERMINATED
        from symbiosis._interrupts import Terminated
        from symbiosis._interrupts import terminate_as_interrupt
        from symbiosis.constraints._file import read_constraints
        from symbiosis.constraints._model import GateOptions
        from symbiosis.constraints._update import update_constraints
        from symbiosis.store._store import open_store

        options = gate_options(parsed_args)
        assert isinstance(options, GateOptions)
        # A bad line is reported before the store is opened.
        read_constraints(parsed_args.file)
        quiet = getattr(self.app.options, 'verbose_level', 1) == 0
        with open_store(parsed_args.store) as store:
            try:
                with terminate_as_interrupt():
                    report = update_constraints(
                        parsed_args.file, options, store,
                        config=self.config, only=parsed_args.only,
                        exclude=parsed_args.exclude,
                        dry_run=parsed_args.dry_run,
                        emit=(lambda _: None) if quiet else say)
            except Terminated:
                sys.stderr.write('symbiosis: terminated\n')
                return EXIT_TERMINATED
        if parsed_args.output_format == 'json':
            self.write_json(report.to_json(), parsed_args.output)
            return report.exit_code
        lines = [pin.describe() for pin in report.pins]
        if parsed_args.dry_run:
            for line in lines:
                say(line)
            text = report.diff()
        else:
            text = '\n'.join(lines) or 'no pins to update'
        if parsed_args.output:
            from symbiosis._files import write_output

            write_output(parsed_args.output, text + (
                '' if text.endswith('\n') else '\n'))
        elif text:
            self.write(text)
        return report.exit_code


class Watch(Command):
    """Poll the index for new releases of a constraints file's pins; gate
    each once and update the file."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``watch``."""
        parser = super().get_parser(prog_name)
        add_gate_options(parser)
        parser.add_argument(
            '--interval', type=_values.positive_seconds, default=300.0,
            metavar='SECONDS',
            help='seconds between two polls (default: 300)')
        parser.add_argument(
            '--once', action='store_true',
            help='poll once, update, and exit with the update\'s code')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Poll until stopped (or once)."""
        import threading

        from symbiosis._interrupts import terminate_as_interrupt
        from symbiosis.constraints._file import read_constraints
        from symbiosis.constraints._model import GateOptions
        from symbiosis.constraints._watch import Watcher
        from symbiosis.store._store import open_store

        options = gate_options(parsed_args)
        assert isinstance(options, GateOptions)
        read_constraints(parsed_args.file)
        with open_store(parsed_args.store) as store:
            watcher = Watcher(
                parsed_args.file, options, store, config=self.config,
                only=parsed_args.only, exclude=parsed_args.exclude,
                emit=say)
            thread: threading.Thread | None = None
            try:
                with terminate_as_interrupt():
                    if parsed_args.once:
                        watcher.poll()
                        return watcher.exit_code
                    say(f'watching {parsed_args.file} every '
                        f'{parsed_args.interval:g}s')
                    thread = watcher.start(parsed_args.interval)
                    while thread.is_alive():
                        thread.join(0.5)
            except KeyboardInterrupt:
                # Ctrl-C or SIGTERM: a clean stop, whatever was running.
                say('stopping')
                if thread is not None:
                    watcher.stop(thread)
                else:
                    watcher.stopping.set()
                say('stopped')
        return exception.EXIT_OK
