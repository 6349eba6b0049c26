"""``symbiosis probe list``: the probes found in files and directories."""

from __future__ import annotations

import argparse
import logging

from symbiosis import exception
from symbiosis.cli._base import Command
from symbiosis.cli._base import warn

__all__ = ['ProbeList']

LOG = logging.getLogger(__name__)


class ProbeList(Command):
    """List probes (kind and id) found in PATHs by every installed kind."""

    formats = ('text', 'json')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Options of ``probe list``."""
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'paths', metavar='PATH', nargs='*',
            help='probes files, probes configs (symbiosis-probes.toml, '
            'pyproject.toml) or directories (default: the current one)',
        )
        return parser

    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Print the probes; exit 1 when a probes file cannot be read."""
        from symbiosis.probes._jobs import discover
        from symbiosis.probes._jobs import probes_root
        from symbiosis.probes._kinds.base import load_kinds

        paths = list(parsed_args.paths) or ['.']
        kinds = load_kinds()
        probes = discover(paths, kinds=kinds)
        broken = [p for p in probes if p.broken]
        for probe in broken:
            warn(str(probe.broken))
        if parsed_args.output_format == 'json':
            self.write_json({
                'root': str(probes_root(paths)),
                'kinds': [
                    {'name': name, 'description': kind.description}
                    for name, kind in kinds.items()
                ],
                'probes': [p.to_json() for p in probes],
            })
        else:
            width = max((len(p.kind) for p in probes), default=0)
            for probe in probes:
                suffix = '  (unreadable)' if probe.broken else ''
                self.write(f'{probe.kind:<{width}}  {probe.id}{suffix}')
        return exception.EXIT_PROBLEMS if broken else exception.EXIT_OK
