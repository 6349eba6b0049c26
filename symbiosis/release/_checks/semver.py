"""``semver``: the proposed version is a big enough bump for the API
changes since the previous release.

The previous release (the latest release tag, or ``--since REF``) and the
working tree are read statically (:func:`symbiosis.api.load`), diffed with
the project's API settings, and judged by
:func:`symbiosis.api._versioning.verdict` (the 0.y rule included). When the
proposed version is not enough, the changes that need more are named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from packaging.version import Version

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.release._checks import Check
from symbiosis.release._checks import api_diff
from symbiosis.release._checks import first_of
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.release._context import ReleaseContext

__all__ = ['SemverCheck', 'provided_bump']

#: How many changes a message names before saying "and N more".
MAX_NAMED = 10


def provided_bump(old_version: str, proposed: str) -> Bump:
    """Return the largest bump ``proposed`` makes over ``old_version``
    (with the 0.y rule: ``0.4.2`` -> ``0.5.0`` provides ``major``).
    """
    from symbiosis.api._versioning import minimum_version

    candidate = Version(proposed)
    for level in (Bump.MAJOR, Bump.MINOR, Bump.PATCH):
        if candidate >= Version(minimum_version(old_version, level)):
            return level
    return Bump.NONE


def _need(bump: Bump) -> str:
    return 'patch' if bump is Bump.NONE else bump.value


def _named(changes: list[Change]) -> str:
    return first_of([c.message for c in changes], MAX_NAMED, '; ')


class SemverCheck(Check):
    """Check the proposed version against the API diff."""

    name = 'semver'
    order = 10

    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        """Diff the previous release with the working tree and judge."""
        from symbiosis.api._versioning import verdict

        if ctx.previous is None:
            yield self.info('skipped: no previous release to compare with')
            return
        if ctx.proposed is None:
            yield self.info('skipped: no proposed version')
            return
        diff, error = api_diff(ctx)
        if error is not None:
            yield self.problem(
                f'cannot compare the API with {ctx.previous.ref}: {error}'
            )
            return
        assert diff is not None
        if not diff.complete:
            yield self.problem(
                'some files could not be read: names in them are unknown, '
                'so the verdict may miss changes',
                Severity.WARNING,
            )
        result = verdict(
            diff.old, diff.new, proposed=ctx.proposed, diff=diff
        )
        ref = ctx.previous.ref
        if result.minimum_version is None:
            yield self.info(
                f'skipped: the version of {ref} is unknown, so the '
                'required bump cannot be checked',
                required_bump=result.required_bump.value,
            )
            return
        if result.ok:
            yield self.info(
                f'the API changes since {ref} need a '
                f'{_need(result.required_bump)} release (at least '
                f'{result.minimum_version}); {ctx.proposed} is enough',
                required_bump=result.required_bump.value,
                minimum_version=result.minimum_version,
            )
            return
        assert diff.old.version is not None
        given = provided_bump(diff.old.version, ctx.proposed)
        culprits = [c for c in result.changes if c.severity > given]
        message = (
            f'{ctx.proposed} is not enough: the API changes since {ref} '
            f'need a {_need(result.required_bump)} release (at least '
            f'{result.minimum_version})'
        )
        if culprits:
            message += f': {_named(culprits)}'
        yield self.problem(
            message,
            required_bump=result.required_bump.value,
            minimum_version=result.minimum_version,
            proposed=ctx.proposed,
            changes=[c.to_json() for c in culprits],
        )
