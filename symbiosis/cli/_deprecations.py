"""``symbiosis deprecations list|overdue``: deprecations read from source.

Both commands read the TARGET statically (its API snapshot, see
:func:`symbiosis.api.load`); nothing is imported or run.

``deprecations overdue TARGET --version VERSION`` is the check to run
before tagging VERSION: it exits 1 when something scheduled for removal in
VERSION (or earlier) is still there.
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.cli._base import Command
from symbiosis.cli._base import add_repo_option
from symbiosis.cli._base import warn

if TYPE_CHECKING:
    from symbiosis.api._deprecations import SnapshotDeprecation

__all__ = ['DeprecationsList', 'DeprecationsOverdue']

LOG = logging.getLogger(__name__)

_TARGET_HELP = (
    'a source tree, a wheel, an sdist, NAME==VERSION (from the index), an '
    'installed NAME, git:REF[:SUBDIR], or a snapshot JSON file'
)


def _describe(entry: SnapshotDeprecation) -> str:
    dep = entry.deprecation
    where = f'{entry.location}: ' if entry.location is not None else ''
    details = []
    if dep.since:
        details.append(f'since {dep.since}')
    if dep.removal:
        details.append(f'removal in {dep.removal}')
    if dep.replacement:
        details.append(f'use {dep.replacement}')
    text = f'{where}{entry.path}'
    if details:
        text += ': ' + ', '.join(details)
    return f'{text} [{dep.marker}]'


class _DeprecationsCommand(Command):
    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options shared by the ``deprecations`` commands."""
        parser = super().get_parser(prog_name)
        parser.add_argument('target', metavar='TARGET', help=_TARGET_HELP)
        add_repo_option(parser)
        return parser

    def deprecations(
        self, parsed_args: argparse.Namespace
    ) -> list[SnapshotDeprecation]:
        """Load the TARGET's snapshot and return its deprecations."""
        from symbiosis import api
        from symbiosis.api._deprecations import snapshot_deprecations

        snapshot = api.load(parsed_args.target, config=self.config,
                            repo=parsed_args.repo)
        if not snapshot.complete:
            warn(
                f'the snapshot of {snapshot.source or snapshot.name} is '
                'incomplete: deprecations in unreadable files are not listed'
            )
        return snapshot_deprecations(snapshot)


class DeprecationsList(_DeprecationsCommand):
    """List every deprecation in TARGET, with since, removal and location.
    """

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Print the deprecations; exit 0."""
        entries = self.deprecations(parsed_args)
        if parsed_args.output_format == 'json':
            self.write_json([e.to_json() for e in entries])
            return exception.EXIT_OK
        for entry in entries:
            self.write(_describe(entry))
        count = len(entries)
        self.write(f'{count} deprecation{"s" if count != 1 else ""}')
        return exception.EXIT_OK


class DeprecationsOverdue(_DeprecationsCommand):
    """List deprecations due for removal by VERSION (exit 1 if any)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``deprecations overdue``."""
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--version', required=True, metavar='VERSION',
            dest='release_version',
            help='the version about to be released: deprecations whose '
            'removal version is at or below it are overdue',
        )
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Print the overdue deprecations; exit 1 when there are some."""
        from symbiosis.deprecation._registry import overdue
        from symbiosis.deprecation._versions import parse_version

        version = parsed_args.release_version
        try:
            parse_version(version, field='--version')
        except exception.InputError as err:
            raise exception.InputError(
                f'--version {version!r} is not a valid version (PEP 440)'
            ) from err
        entries = self.deprecations(parsed_args)
        due = overdue(entries, version)
        if parsed_args.output_format == 'json':
            self.write_json([e.to_json() for e in due])
        else:
            for entry in due:
                self.write(_describe(entry))
            if due:
                self.write(
                    f'{len(due)} deprecation{"s" if len(due) != 1 else ""} '
                    f'overdue for removal in {version}'
                )
            else:
                self.write(f'no deprecation is overdue for {version}')
        return exception.EXIT_PROBLEMS if due else exception.EXIT_OK
