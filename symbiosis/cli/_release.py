"""``symbiosis release check|pins|notes``: release hygiene.

``release check`` is the one command to run before tagging; ``release
pins`` checks requirement files on their own; ``release notes --draft``
writes a reno note from the API diff. Exit codes: 0 clean, 1 problems
(error severity), 2 bad input, 3 the index is unreachable.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import logging
import os
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.cli._base import Command

if TYPE_CHECKING:
    from symbiosis.release._model import Problem
    from symbiosis.release._pins import PinProblem

__all__ = ['ReleaseCheck', 'ReleaseNotes', 'ReleasePins']

LOG = logging.getLogger(__name__)


def _add_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--repo', metavar='PATH', default='.',
        help='the project\'s git repository (default: the current '
        'directory)',
    )


def _add_offline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--offline', action='store_true', dest='release_offline',
        help='do not consult the package index (checks that need it are '
        'skipped, and say so)',
    )


def _add_since(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--since', metavar='REF',
        help='the previous release (default: the latest release tag)',
    )


def _has_errors(problems: Sequence[Problem]) -> bool:
    return any(p.severity.value == 'error' for p in problems)


def _write_problems(
    command: Command,
    parsed_args: argparse.Namespace,
    problems: Sequence[Problem],
    footer: str | None,
) -> int:
    """Write ``problems`` (and, as text, ``footer``); return the exit code.
    """
    failed = _has_errors(problems)
    if parsed_args.output_format == 'json':
        command.write_json({
            'ok': not failed,
            'problems': [p.to_json() for p in problems],
        })
    else:
        for problem in problems:
            command.write(str(problem))
        if footer is not None:
            command.write(footer)
    return exception.EXIT_PROBLEMS if failed else exception.EXIT_OK


def _summary(problems: Sequence[Problem]) -> str:
    counts = {'error': 0, 'warning': 0, 'info': 0}
    for problem in problems:
        counts[problem.severity.value] += 1
    return (
        f'{counts["error"]} error(s), {counts["warning"]} warning(s), '
        f'{counts["info"]} note(s)'
    )


class ReleaseCheck(Command):
    """Check a release before tagging it: SemVer, notes, calendar,
    immutability, deprecations and pins.
    """

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``release check``."""
        parser = super().get_parser(prog_name)
        _add_repo(parser)
        parser.add_argument(
            '--proposed', metavar='VERSION',
            help='the version about to be released (default: pbr\'s next '
            'version, else the declared version)',
        )
        parser.add_argument(
            '--date', metavar='ISO8601',
            help='"now" for the calendar check (default: the current time,'
            ' in the configured time zone)',
        )
        _add_since(parser)
        _add_offline(parser)
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Run the checks; exit 1 when one reports an error."""
        from symbiosis.release import check

        offline = parsed_args.release_offline or self.config.offline
        problems = check(
            parsed_args.repo,
            proposed=parsed_args.proposed,
            date=parsed_args.date,
            config=self.config,
            since=parsed_args.since,
            offline=offline,
        )
        verdict = (
            'release blocked' if _has_errors(problems) else 'ready to release'
        )
        return _write_problems(
            self, parsed_args, problems, f'{verdict}: {_summary(problems)}'
        )


class ReleasePins(Command):
    """Check that pinned and ranged requirements can still be installed.
    """

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``release pins``."""
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'files', metavar='FILE', nargs='+',
            help='requirements or constraints files, or pyproject.toml',
        )
        parser.add_argument(
            '--python', metavar='X.Y', action='append', dest='pythons',
            help='a supported Python version (repeatable; default: from '
            'requires-python next to each file)',
        )
        _add_offline(parser)
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Check the files; exit 1 when a requirement has a problem."""
        from symbiosis.release import check_pins

        pythons = None
        if parsed_args.pythons:
            pythons = [
                item.strip() for value in parsed_args.pythons
                for item in value.split(',') if item.strip()
            ]
            for item in pythons:
                parts = item.split('.')
                if len(parts) != 2 or not all(p.isdigit() for p in parts):
                    raise exception.InputError(
                        f'invalid --python {item!r}: expected X.Y'
                    )
        for name in parsed_args.files:
            if not os.path.isfile(name):
                raise exception.InputError(f'{name}: no such file')
        found = check_pins(
            parsed_args.files, config=self.config, pythons=pythons,
            offline=parsed_args.release_offline or self.config.offline,
        )
        problems = [p for p in found if p.problem != 'ignored']
        notes = [p for p in found if p.problem == 'ignored']
        if parsed_args.output_format == 'json':
            self.write_json({
                'problems': [p.to_json() for p in problems],
                'notes': [p.to_json() for p in notes],
            })
        else:
            self._write_text(problems, notes)
        return exception.EXIT_PROBLEMS if problems else exception.EXIT_OK

    def _write_text(
        self, problems: Sequence[PinProblem], notes: Sequence[PinProblem]
    ) -> None:
        for note in notes:
            self.write(f'info: {note}')
        for problem in problems:
            self.write(f'error: {problem}')
        count = len(problems)
        self.write(
            f'{count} problem{"s" if count != 1 else ""}'
            if count else 'every requirement can be installed'
        )


class ReleaseNotes(Command):
    """Check the release notes since the last release, or draft one from
    the API diff (--draft).
    """

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``release notes``."""
        parser = super().get_parser(prog_name)
        _add_repo(parser)
        parser.add_argument(
            '--draft', action='store_true',
            help='write a new reno note from the API changes (never '
            'overwrites a note) and print its path',
        )
        _add_since(parser)
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Draft a note, or check the notes (exit 1 on errors)."""
        if parsed_args.draft:
            return self._draft(parsed_args)
        from symbiosis.release._runner import check_notes

        problems = check_notes(
            parsed_args.repo, config=self.config, since=parsed_args.since,
        )
        problems = [p for p in problems if p.check == 'notes']
        return _write_problems(
            self, parsed_args, problems,
            None if problems else 'the release notes are in order',
        )

    def _draft(self, parsed_args: argparse.Namespace) -> int:
        from symbiosis.release._runner import draft_release_note

        path, ref = draft_release_note(
            parsed_args.repo, since=parsed_args.since, config=self.config
        )
        if parsed_args.output_format == 'json':
            self.write_json({
                'since': ref, 'path': None if path is None else str(path),
            })
        elif path is None:
            self.write(f'no API change since {ref}: nothing to draft')
        else:
            self.write(str(path))
        return exception.EXIT_OK
