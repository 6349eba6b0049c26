"""``symbiosis api count TARGET``: how many public names TARGET has."""

from __future__ import annotations

import argparse

from symbiosis import api
from symbiosis.cli import Command


class ApiCount(Command):
    """Count the public names of TARGET."""

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('target', metavar='TARGET')
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        # A TargetError becomes one line on stderr and exit code 2.
        snapshot = api.load(parsed_args.target, config=self.config)
        count = sum(1 for _ in snapshot.public_objects())
        if parsed_args.output_format == 'json':
            self.write_json({'target': parsed_args.target, 'public': count})
        else:
            self.write(f'{parsed_args.target}: {count} public names')
        return 0
