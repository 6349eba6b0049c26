"""``immutability``: once it's out, it's out.

A published release must never be replaced: consumers have pinned it,
mirrors and caches hold it. So the proposed version must not already be
a tag (on another commit than the one being released) nor be on the
configured index -- not even yanked, not even with all its files deleted.
And a release tag must keep pointing at what was published: a tag dated
after its version's first upload was moved; a published version without
its tag lost it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from packaging.version import Version

from symbiosis.release._checks import Check
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.release._context import ReleaseContext
    from symbiosis.sources._releases import ProjectReleases

__all__ = ['IMMUTABLE', 'ImmutabilityCheck']

#: The lesson every finding repeats.
IMMUTABLE = "once it's out, it's out — release a new version instead"


class ImmutabilityCheck(Check):
    """Refuse to re-release a version; report moved or deleted tags."""

    name = 'immutability'
    order = 40

    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        """Compare the proposed version with tags and the index."""
        if ctx.proposed is not None:
            yield from self._tagged(ctx, Version(ctx.proposed))
        if ctx.offline:
            yield self.info('offline: the package index was not checked')
            return
        if not ctx.project.name:
            yield self.info(
                'skipped the index: the project declares no name'
            )
            return
        releases = ctx.releases
        if releases is None:
            yield self.info(
                f'{ctx.project.name} is not on the configured index yet'
            )
            return
        if ctx.proposed is not None:
            yield from self._published(ctx, releases, Version(ctx.proposed))
        yield from self._moved(ctx, releases)

    def _tagged(
        self, ctx: ReleaseContext, proposed: Version
    ) -> Iterator[Problem]:
        for tag in ctx.tags:
            if tag.version != proposed or tag.commit == ctx.head:
                continue
            yield self.problem(
                f'version {proposed} is already tagged ({tag.name} at '
                f'{tag.commit[:12]}, not the commit being released): '
                f'{IMMUTABLE}',
                tag=tag.name, commit=tag.commit,
            )

    def _published(
        self,
        ctx: ReleaseContext,
        releases: ProjectReleases,
        proposed: Version,
    ) -> Iterator[Problem]:
        if proposed not in releases.all_versions():
            return
        files = releases.files_of(proposed)
        if not files:
            state = 'its files were deleted, but the version stays taken'
        elif all(f.yanked for f in files):
            state = 'yanked'
        else:
            state = 'published'
        yield self.problem(
            f'{releases.name} {proposed} is already on the configured '
            f'index ({state}): {IMMUTABLE}',
            version=str(proposed), state=state.split(',')[0],
        )

    def _moved(
        self, ctx: ReleaseContext, releases: ProjectReleases
    ) -> Iterator[Problem]:
        tagged = {tag.version: tag for tag in ctx.tags}
        for version, tag in sorted(tagged.items()):
            uploaded = releases.upload_time(version)
            if uploaded is None or tag.date is None:
                continue
            if tag.date > uploaded:
                yield self.problem(
                    f'tag {tag.name} was moved after it was published: it '
                    f'is dated {tag.date.isoformat()} but {version} was '
                    f'uploaded {uploaded.isoformat()}; restore the tag to '
                    f'the published commit -- {IMMUTABLE}',
                    Severity.WARNING,
                    tag=tag.name, commit=tag.commit,
                    tag_date=tag.date.isoformat(),
                    upload_time=uploaded.isoformat(),
                )
        if not tagged or ctx.shallow:
            return
        oldest = min(tagged)
        for version in releases.all_versions():
            if version < oldest or version in tagged:
                continue
            if ctx.proposed is not None and version == Version(ctx.proposed):
                continue
            yield self.problem(
                f'{releases.name} {version} is on the configured index but '
                f'has no tag here: was the tag deleted? Restore it so the '
                'published release stays traceable',
                Severity.WARNING, version=str(version),
            )
