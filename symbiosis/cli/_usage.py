"""``symbiosis usage``: where a downstream uses an upstream, and what breaks.

::

    symbiosis usage DOWNSTREAM_PATH --upstream DIST [--against OLD NEW]
                    [--format text|json] [--repo PATH] [--config FILE]

Exit codes: 0 when no breaking change hits a use (always 0 without
``--against``), 1 when one does, 2 for bad input (a downstream path that
does not exist, an unreadable TARGET), 3 for infrastructure failures.
Files that cannot be parsed are warnings on stderr; the others are still
scanned.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.cli._base import Command
from symbiosis.cli._base import add_config_option
from symbiosis.cli._base import add_repo_option
from symbiosis.cli._base import warn
from symbiosis.cli._base import warn_first

if TYPE_CHECKING:
    from symbiosis.api._differ import Diff
    from symbiosis.api._model import Snapshot
    from symbiosis.usage._model import UsageReport

__all__ = ['Usage']

LOG = logging.getLogger(__name__)

_TARGET_HELP = (
    'a source tree, a wheel, an sdist, NAME==VERSION, an installed NAME, '
    'git:REF[:SUBDIR], or a snapshot JSON file'
)


def _warn_incomplete(snapshot: Snapshot) -> None:
    if not snapshot.complete:
        warn(
            f'the snapshot of {snapshot.source or snapshot.name} is '
            'incomplete: names in its unreadable files are unknown, not '
            'removed'
        )


class Usage(Command):
    """Find where a downstream project uses an upstream's names.

    With --against OLD NEW, report the uses that a breaking change between
    the two upstream versions hits, and exit 1 when there is one.
    """

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``usage``."""
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'downstream', metavar='DOWNSTREAM_PATH',
            help='the downstream project: a directory, a .py file, a wheel '
            'or an sdist',
        )
        parser.add_argument(
            '--upstream', required=True, metavar='DIST',
            help='the upstream distribution: a name (its import names come '
            'from its metadata) or a TARGET',
        )
        parser.add_argument(
            '--against', nargs=2, metavar=('OLD', 'NEW'),
            help='two versions of the upstream (each ' + _TARGET_HELP
            + '): report the uses their breaking changes hit',
        )
        add_repo_option(parser)
        add_config_option(parser, 'project settings for the diff')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Scan, compare when asked, print; exit 1 when a change hits."""
        from symbiosis.usage._names import find_import_names
        from symbiosis.usage._scanner import scan

        downstream: str = parsed_args.downstream
        if not os.path.exists(downstream):
            raise exception.TargetError(downstream,
                                        'no such file or directory')
        diff = None
        snapshots: tuple[Snapshot, ...] = ()
        if parsed_args.against:
            diff = self._diff(parsed_args)
            snapshots = (diff.old, diff.new)
        names = find_import_names(
            parsed_args.upstream, config=self.config, snapshots=snapshots,
            repo=parsed_args.repo,
        )
        if names.warning:
            warn(names.warning)
        report = scan(downstream, names.names, self.config,
                      upstream=parsed_args.upstream)
        if diff is not None:
            from symbiosis.usage._impacts import impact

            old, new = parsed_args.against
            report = report.with_impacts(tuple(impact(report.uses, diff)),
                                         (old, new))
        self._warn_errors(report)
        if parsed_args.output_format == 'json':
            self.write_json(report.to_json())
        else:
            from symbiosis.usage._report import format_usage_text

            self.write(format_usage_text(report))
        if report.impacts:
            return exception.EXIT_PROBLEMS
        return exception.EXIT_OK

    def _diff(self, parsed_args: argparse.Namespace) -> Diff:
        from symbiosis import api
        from symbiosis.api._differ import diff_snapshots
        from symbiosis.api._settings import load_settings

        settings = load_settings(parsed_args.config, '.')
        old_target, new_target = parsed_args.against
        old = api.load(old_target, config=self.config, repo=parsed_args.repo)
        _warn_incomplete(old)
        new = api.load(new_target, config=self.config, repo=parsed_args.repo)
        _warn_incomplete(new)
        return diff_snapshots(old, new, self.config, settings=settings)

    @staticmethod
    def _warn_errors(report: UsageReport) -> None:
        warn_first([f'{error} (file skipped)' for error in report.errors],
                   'more files that could not be read')
