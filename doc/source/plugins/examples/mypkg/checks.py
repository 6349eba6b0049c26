"""A release check: the project ships a licence file."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.release import Check
from symbiosis.release import Problem
from symbiosis.release import ReleaseContext
from symbiosis.release import Severity

NAMES = ('LICENSE', 'LICENSE.txt', 'LICENSE.rst', 'COPYING')


class LicenseCheck(Check):
    """Fail the release when the repository has no licence file."""

    name = 'license'
    default_severity = Severity.ERROR
    # After the built-in checks (10 to 60).
    order = 200

    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        if not any((ctx.root / name).is_file() for name in NAMES):
            yield self.problem(
                'no licence file at the top of the repository',
                expected=list(NAMES))
