"""Everything the release checks share, computed once per run.

A :class:`ReleaseContext` is built by :func:`symbiosis.release.check`
and handed to every check. The expensive parts (the API
snapshots, their diff, the index page of the project) are computed on
first use and kept on the context, never in module state.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import pathlib
from typing import TYPE_CHECKING

from symbiosis.config import Config
from symbiosis.release._gitinfo import Git
from symbiosis.release._gitinfo import Tag
from symbiosis.release._project import ProjectInfo
from symbiosis.release._settings import ReleaseSettings

if TYPE_CHECKING:
    from symbiosis.api._differ import Diff
    from symbiosis.api._model import Snapshot
    from symbiosis.api._settings import ApiSettings
    from symbiosis.sources._releases import ProjectReleases

__all__ = ['PreviousRelease', 'ReleaseContext']

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class PreviousRelease:
    """The release the proposed one follows.

    :param ref: the git ref it was made from (a tag, or ``--since``).
    :param version: its version, when known.
    """

    ref: str
    version: str | None


class ReleaseContext:
    """The shared state of one run of the release checks.

    :param git: the repository.
    :param config: index, cache and timeout settings.
    :param settings: the project's release settings.
    :param project: facts from the project's static files.
    :param now: "now", in the maintainer's time zone.
    :param tags: the repository's version tags, highest first.
    :param proposed: the version about to be released, if known.
    :param previous: the previous release, ``None`` for a first release.
    :param offline: whether the package index may be consulted.
    :param shallow: whether the repository is a shallow clone.
    """

    def __init__(
        self,
        *,
        git: Git,
        config: Config,
        settings: ReleaseSettings,
        project: ProjectInfo,
        now: datetime.datetime,
        tags: list[Tag],
        proposed: str | None,
        previous: PreviousRelease | None,
        offline: bool,
        shallow: bool,
    ) -> None:
        self.git = git
        self.config = config
        self.settings = settings
        self.project = project
        self.now = now
        self.tags = tags
        self.proposed = proposed
        self.previous = previous
        self.offline = offline
        self.shallow = shallow

    @property
    def root(self) -> pathlib.Path:
        """The repository's top-level directory."""
        return self.git.root

    @functools.cached_property
    def head(self) -> str | None:
        """The commit HEAD points at."""
        return self.git.head()

    @functools.cached_property
    def api_settings(self) -> ApiSettings:
        """The project's API diff settings (severity overrides...)."""
        from symbiosis.api._settings import load_settings

        return load_settings(project_dir=str(self.root))

    @functools.cached_property
    def new_snapshot(self) -> Snapshot:
        """The API of the working tree (what is about to be released)."""
        from symbiosis import api

        snapshot = api.load(str(self.root), config=self.config)
        if self.proposed and snapshot.version != self.proposed:
            snapshot = dataclasses.replace(snapshot, version=self.proposed)
        return snapshot

    @functools.cached_property
    def old_snapshot(self) -> Snapshot | None:
        """The API of the previous release (``None``: first release)."""
        from symbiosis import api

        if self.previous is None:
            return None
        snapshot = api.load(
            f'git:{self.previous.ref}', config=self.config, repo=str(self.root)
        )
        if self.previous.version and (
            snapshot.version != self.previous.version
        ):
            snapshot = dataclasses.replace(
                snapshot, version=self.previous.version
            )
        return snapshot

    @functools.cached_property
    def diff(self) -> Diff | None:
        """The API diff from the previous release to the working tree."""
        from symbiosis.api._differ import diff_snapshots

        old = self.old_snapshot
        if old is None:
            return None
        return diff_snapshots(
            old, self.new_snapshot, self.config, settings=self.api_settings
        )

    @functools.cached_property
    def releases(self) -> ProjectReleases | None:
        """What the configured index lists for this project (``None``:
        unknown project, no name, or offline).
        """
        from symbiosis.sources._releases import fetch_releases

        if self.offline or not self.project.name:
            return None
        return fetch_releases(self.project.name, self.config)
