"""``mirror:NAME==VERSION``: a wheel from the team's wheel directory."""

from __future__ import annotations

import os
import pathlib

from symbiosis.exception import TargetError
from symbiosis.sources import Source
from symbiosis.sources import SourceTree
from symbiosis.sources import resolve_target


class MirrorSource(Source):
    """Read ``mirror:NAME==VERSION`` from ``$WHEEL_MIRROR``."""

    # Asked before the built-in sources (10 to 50).
    priority = 5

    def accepts(self, target: str) -> bool:
        return target.startswith('mirror:')

    def fetch(self, target: str) -> SourceTree:
        name, _, version = target.removeprefix('mirror:').partition('==')
        mirror = pathlib.Path(os.environ.get('WHEEL_MIRROR', '/srv/wheels'))
        stem = f"{name.replace('-', '_')}-{version}-"
        for wheel in sorted(mirror.glob(f'{stem}*.whl')):
            # The built-in wheel source unpacks it (safely, cached).
            return resolve_target(str(wheel), self.config)
        raise TargetError(target, f'no {name} {version} wheel in {mirror}')
