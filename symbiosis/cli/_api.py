"""``symbiosis api dump|diff|rules`` and ``symbiosis semver``."""

from __future__ import annotations

import abc
import argparse
from collections.abc import Sequence
import logging
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.cli._base import Command
from symbiosis.cli._base import add_config_option
from symbiosis.cli._base import add_repo_option
from symbiosis.cli._base import warn
from symbiosis.cli._base import warn_first

if TYPE_CHECKING:
    from symbiosis.api._differ import Diff
    from symbiosis.api._model import ExtractionProblem
    from symbiosis.api._model import Snapshot
    from symbiosis.sources._releases import ReleaseState

__all__ = ['ApiDiff', 'ApiDump', 'ApiRules', 'Semver']

LOG = logging.getLogger(__name__)

_TARGET_HELP = (
    'a source tree, a wheel, an sdist, NAME==VERSION (from the index), an '
    'installed NAME, git:REF[:SUBDIR], or a snapshot JSON file'
)


def _warn_incomplete(snapshot: Snapshot) -> None:
    errors = list(snapshot.errors)
    for module in snapshot.modules.values():
        errors.extend(e for e in module.errors if e not in errors)
    _warn(errors, snapshot.complete, snapshot.source or snapshot.name)


def _warn(errors: Sequence[ExtractionProblem], complete: bool,
          label: str) -> None:
    warn_first([str(error) for error in errors])
    if not complete:
        warn(
            f'the snapshot of {label} is incomplete: names in unreadable '
            'files are unknown, not removed'
        )


class _SnapshotCommand(Command):
    def load(self, target: str, parsed_args: argparse.Namespace) -> Snapshot:
        from symbiosis import api

        snapshot = api.load(
            target, config=self.config, repo=getattr(parsed_args, 'repo', None)
        )
        _warn_incomplete(snapshot)
        return snapshot


class ApiDump(_SnapshotCommand):
    """Write the public-API snapshot of a TARGET as JSON.

    The JSON is compact unless ``--indent`` is given: snapshots of large
    distributions run to megabytes, and the compact form is encoded
    several times faster. A tree that has not changed since its last dump
    is written from the cache without being converted again.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``api dump``."""
        parser = super().get_parser(prog_name)
        parser.add_argument('target', metavar='TARGET', help=_TARGET_HELP)
        parser.add_argument(
            '--output', '-o', metavar='FILE',
            help='write the JSON to FILE instead of stdout',
        )
        parser.add_argument(
            '--indent', metavar='N', type=_indent,
            help='indent nested levels by N spaces, for reading '
            '(default: compact JSON)',
        )
        add_repo_option(parser)
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Dump the snapshot; exit 0 (warnings go to stderr)."""
        from symbiosis.api._extract import dump_target

        dump = dump_target(
            parsed_args.target, self.config, repo=parsed_args.repo,
            indent=parsed_args.indent,
        )
        _warn(dump.errors, dump.complete, dump.label)
        if parsed_args.output:
            dump.save(parsed_args.output)
            return exception.EXIT_OK
        stdout = self.app.stdout
        binary = getattr(stdout, 'buffer', None)
        if binary is None:
            # Not a real stream (the app runs inside another program).
            stdout.write(dump.text)
        else:
            # A cached dump's bytes go to stdout as they are.
            stdout.flush()
            dump.write_to(binary)
        return exception.EXIT_OK


def _indent(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 16:
        raise argparse.ArgumentTypeError(
            f'expected a number of spaces from 0 to 16, got {text!r}'
        )
    return value


class _DiffCommand(_SnapshotCommand):
    """A command comparing two TARGETs, OLD and NEW; it says when either
    is a yanked or deleted release."""

    formats: Sequence[str] = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """OLD and NEW, the command's own options, then ``--config`` and
        ``--repo``.
        """
        parser = super().get_parser(prog_name)
        parser.add_argument('old', metavar='OLD', help=_TARGET_HELP)
        parser.add_argument('new', metavar='NEW', help='the same, newer')
        self.add_comparison_options(parser)
        add_config_option(parser)
        add_repo_option(parser)
        return parser

    @abc.abstractmethod
    def add_comparison_options(
        self, parser: argparse.ArgumentParser
    ) -> None:
        """Add the options of this comparison."""

    def compute_diff(self, parsed_args: argparse.Namespace) -> Diff:
        """Load OLD and NEW and diff them with the project's settings."""
        from symbiosis.api._differ import diff_snapshots
        from symbiosis.api._settings import load_settings

        settings = load_settings(parsed_args.config, '.')
        old = self.load(parsed_args.old, parsed_args)
        new = self.load(parsed_args.new, parsed_args)
        return diff_snapshots(old, new, self.config, settings=settings)

    def release_states(
        self, parsed_args: argparse.Namespace
    ) -> dict[str, ReleaseState | None]:
        """What the index says now of OLD and NEW, when they are
        ``NAME==VERSION`` pins (``None``: not a pin, or not known)."""
        from symbiosis.sources._releases import release_state

        return {side: release_state(getattr(parsed_args, side), self.config)
                for side in ('old', 'new')}

    @staticmethod
    def add_release_states(
        data: dict[str, object], states: dict[str, ReleaseState | None]
    ) -> dict[str, object]:
        """Add ``yanked`` and ``deleted``, per side, to a JSON report."""
        data['yanked'] = {side: None if state is None else state.yanked
                          for side, state in states.items()}
        data['deleted'] = {side: None if state is None else state.deleted
                           for side, state in states.items()}
        return data

    @staticmethod
    def release_notes(
        states: dict[str, ReleaseState | None],
        parsed_args: argparse.Namespace,
    ) -> str:
        """One line per side that is yanked or deleted."""
        lines = []
        for side, state in states.items():
            said = None if state is None else state.describe()
            if said is not None:
                lines.append(f'note: {side.upper()} '
                             f'{getattr(parsed_args, side)}: {said}')
        return ''.join(line + '\n' for line in lines)


class ApiDiff(_DiffCommand):
    """Compare the public API of two versions and classify each change."""

    formats = ('text', 'json', 'html')

    def add_comparison_options(
        self, parser: argparse.ArgumentParser
    ) -> None:
        """Options of ``api diff``."""
        parser.add_argument(
            '--fail-on',
            choices=['major', 'minor', 'patch'],
            default='major',
            help='exit 1 when a change of this severity or higher is found '
            '(default: major)',
        )
        parser.add_argument(
            '--output', '-o', metavar='FILE',
            help='write the report to FILE instead of stdout',
        )
        parser.add_argument(
            '--verbose-changes', action='store_true',
            help='text format: show locations of both sides',
        )

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Print the diff; exit 1 when it reaches ``--fail-on``."""
        from symbiosis.api._changes import Bump
        from symbiosis.api._report import format_diff_text

        result = self.compute_diff(parsed_args)
        states = self.release_states(parsed_args)
        if parsed_args.output_format == 'json':
            self.write_json(
                self.add_release_states(result.to_json(), states),
                parsed_args.output)
        elif parsed_args.output_format == 'html':
            from symbiosis.cli._api_html import render_diff_html

            page = render_diff_html(
                result.to_json(), self.release_notes(states, parsed_args),
                cache_dir=self.config.subdir('html'))
            if parsed_args.output:
                from symbiosis._files import write_output

                write_output(parsed_args.output, page)
            else:
                self.write(page)
        else:
            text = format_diff_text(
                result, verbose=parsed_args.verbose_changes
            ) + self.release_notes(states, parsed_args)
            if parsed_args.output:
                from symbiosis._files import write_output

                write_output(parsed_args.output, text)
            else:
                self.write(text)
        if result.fails(Bump(parsed_args.fail_on)):
            return exception.EXIT_PROBLEMS
        return exception.EXIT_OK


class Semver(_DiffCommand):
    """Say which version NEW must at least carry after OLD."""

    def add_comparison_options(
        self, parser: argparse.ArgumentParser
    ) -> None:
        """Options of ``semver``."""
        parser.add_argument(
            '--proposed', metavar='VERSION',
            help="the version NEW will be released as (default: NEW's own "
            'version, when known)',
        )

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Print the verdict; exit 1 when the proposed version is too low.
        """
        from symbiosis.api._report import format_verdict_text
        from symbiosis.api._versioning import verdict

        result = self.compute_diff(parsed_args)
        decision = verdict(
            result.old_snapshot,
            result.new_snapshot,
            proposed=parsed_args.proposed,
            config=self.config,
            diff=result,
        )
        states = self.release_states(parsed_args)
        if parsed_args.output_format == 'json':
            self.write_json(
                self.add_release_states(decision.to_json(), states))
        else:
            self.write(format_verdict_text(decision)
                       + self.release_notes(states, parsed_args))
        if decision.ok is False:
            return exception.EXIT_PROBLEMS
        return exception.EXIT_OK


class ApiRules(Command):
    """List the diff rules: change kind, default severity, description."""

    formats = ('text', 'json')

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Print every rule loaded from ``symbiosis.api._rules``."""
        from symbiosis.api._differ import load_rules
        from symbiosis.cli import _rules_listing as listing

        rules = sorted(load_rules(), key=lambda r: str(r.kind))
        rows = [listing.rule_row(rule) for rule in rules]
        if parsed_args.output_format == 'json':
            self.write_json_text(listing.format_json(rows))
            return exception.EXIT_OK
        for line in listing.format_text(rows):
            self.write(line)
        return exception.EXIT_OK
