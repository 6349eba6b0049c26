"""``deprecations``: nothing overdue for removal ships in the release.

A deprecation whose removal version is at or below the proposed version
but whose object is still there breaks the promise made to users: either
remove it, or push its removal to a later version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from symbiosis.release._checks import Check
from symbiosis.release._model import Problem

if TYPE_CHECKING:
    from symbiosis.release._context import ReleaseContext

__all__ = ['DeprecationsCheck']


class DeprecationsCheck(Check):
    """Report deprecations due for removal by the proposed version."""

    name = 'deprecations'
    order = 50

    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        """List the overdue deprecations of the working tree."""
        from symbiosis.api._deprecations import snapshot_deprecations
        from symbiosis.deprecation._registry import overdue

        if ctx.proposed is None:
            yield self.info('skipped: no proposed version')
            return
        snapshot = ctx.new_snapshot
        for entry in overdue(snapshot_deprecations(snapshot), ctx.proposed):
            where = f'{entry.location}: ' if entry.location else ''
            yield self.problem(
                f'{where}{entry.path} was to be removed in {entry.removal} '
                f'but is still there in {ctx.proposed}: remove it, or push '
                'its removal to a later version',
                path=entry.path,
                removal=entry.removal,
                location=None if entry.location is None
                else entry.location.to_json(),
            )
