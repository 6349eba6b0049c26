"""``symbiosis store upgrade`` and ``symbiosis history``.

``store upgrade`` applies the store's schema migrations (SQLite stores
are upgraded on first use; a shared database is upgraded on purpose).
``history`` lists what was gated, when, with which verdict, which probes
regressed and which flaked.

Exit codes: ``0`` done; ``2`` bad input (a URL that is not one, a bad
``--since``); ``3`` the store cannot be reached or used -- including a
store written by a newer symbiosis, which is never written to.
"""

from __future__ import annotations

import argparse
import datetime

from symbiosis import exception
from symbiosis.cli._base import Command
from symbiosis.cli._base import add_store_option

__all__ = ['History', 'StoreUpgrade', 'since_date']


def since_date(text: str) -> datetime.datetime:
    """``--since``: a date or an ISO 8601 timestamp (UTC unless it
    says)."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError as err:
        raise argparse.ArgumentTypeError(
            f'expected a date (2026-05-01) or a timestamp '
            f'(2026-05-01T12:00:00Z), got {text!r}') from err
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


class StoreUpgrade(Command):
    """Apply the results store's schema migrations."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``store upgrade``."""
        parser = super().get_parser(prog_name)
        add_store_option(parser, 'upgrade')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Upgrade the store; say where it is and at which revision."""
        from symbiosis.store._schema import HEAD
        from symbiosis.store._store import open_store

        with open_store(parsed_args.store, upgrade=True) as store:
            self.write(f'{store.url}: schema revision {HEAD}')
        return exception.EXIT_OK


class History(Command):
    """List the gate runs the results store recorded."""

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``history``."""
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'upstream', metavar='UPSTREAM', nargs='?',
            help='only the runs of this upstream distribution')
        add_store_option(parser, 'read')
        parser.add_argument(
            '--since', metavar='DATE', type=since_date,
            help='only runs started at or after DATE (2026-05-01 or an '
            'ISO 8601 timestamp; UTC unless it says)')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Print the runs, oldest first."""
        from symbiosis.store._store import open_store

        with open_store(parsed_args.store) as store:
            runs = store.history(parsed_args.upstream, parsed_args.since)
        if parsed_args.output_format == 'json':
            self.write_json({'runs': [run.to_json() for run in runs]})
            return exception.EXIT_OK
        lines = []
        for run in runs:
            data = run.to_json()
            line = (f"{data['started']}  #{run.id} {run.upstream} "
                    f'{run.baseline} -> {run.candidate}: {run.verdict}')
            if run.regressed:
                line += f"; regressed: {', '.join(run.regressed)}"
            if run.flaky:
                line += f"; flaky: {', '.join(run.flaky)}"
            lines.append(line)
        self.write('\n'.join(lines) if lines else 'no gate runs recorded')
        return exception.EXIT_OK
