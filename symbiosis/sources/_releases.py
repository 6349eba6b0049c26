"""What the configured index knows about a project's releases.

:mod:`symbiosis.sources._simple` reads the index pages (and caches them);
this module groups their files by release for the release checks and the
gate: the yank reason (PEP 592), the ``requires-python`` of each file
(PEP 503 ``data-requires-python``), the upload time (PEP 700
``upload-time``) and the ``versions`` list, which names releases whose
files were all deleted. A file's version is read from its name by
:func:`symbiosis.sources._filenames.parse_release_filename`.

:func:`release_state` says what the index says *now* of the release a
``NAME==VERSION`` TARGET names -- yanked (and why) or deleted -- for
reports of releases read from the cache or pinned on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
import dataclasses
import datetime
import logging

from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis.config import Config
from symbiosis.sources._filenames import parse_release_filename
from symbiosis.sources._simple import IndexFile
from symbiosis.sources._simple import ProjectPage
from symbiosis.sources._simple import fetch_listing

__all__ = [
    'ProjectReleases',
    'ReleaseFile',
    'ReleaseState',
    'fetch_releases',
    'release_state',
]

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ReleaseFile:
    """One file of a release, as the index lists it.

    :param filename: the file name.
    :param version: the version its name carries (``None``: unparseable).
    :param yanked: whether it is yanked.
    :param yanked_reason: the reason the index gives, if any.
    :param requires_python: the file's ``Requires-Python``, if given.
    :param upload_time: when it was uploaded, if the index says.
    """

    filename: str
    version: Version | None
    yanked: bool = False
    yanked_reason: str | None = None
    requires_python: str | None = None
    upload_time: datetime.datetime | None = None

    @property
    def is_wheel(self) -> bool:
        """Whether the file is a wheel."""
        return self.filename.endswith('.whl')


@dataclasses.dataclass(frozen=True)
class ProjectReleases:
    """A project's releases on the configured index(es).

    :param name: the project name asked for.
    :param files: every file listed, from every index.
    :param versions: versions the index lists, with or without files
        (PEP 700 ``versions``; empty when the index does not say).
    """

    name: str
    files: tuple[ReleaseFile, ...] = ()
    versions: tuple[Version, ...] = ()

    def all_versions(self) -> list[Version]:
        """Every version seen, in files or in the versions list, sorted."""
        found = set(self.versions)
        found.update(f.version for f in self.files if f.version is not None)
        return sorted(found)

    def files_of(self, version: Version) -> list[ReleaseFile]:
        """The files of ``version`` (empty for a deleted release)."""
        return [f for f in self.files if f.version == version]

    def state_of(self, version: Version) -> ReleaseState:
        """Whether ``version`` is yanked (every file of it is, PEP 592)
        or has no file listed any more."""
        files = self.files_of(version)
        if not files:
            return ReleaseState(deleted=True)
        if all(f.yanked for f in files):
            reasons = dict.fromkeys(
                f.yanked_reason for f in files if f.yanked_reason)
            return ReleaseState(yanked='; '.join(reasons))
        return ReleaseState()

    def upload_time(self, version: Version) -> datetime.datetime | None:
        """The earliest upload time of ``version``'s files, if known."""
        times = [
            f.upload_time for f in self.files_of(version)
            if f.upload_time is not None
        ]
        return min(times) if times else None


@dataclasses.dataclass(frozen=True)
class ReleaseState:
    """What the index says of one release.

    :param yanked: ``None`` when it is not yanked; else the reason the
        index gives (``''`` when it gives none).
    :param deleted: the index lists no file of it (of a release known to
        have existed: its files were deleted).
    """

    yanked: str | None = None
    deleted: bool = False

    def describe(self) -> str | None:
        """``yanked: REASON``, ``deleted from the index`` or ``None``."""
        if self.deleted:
            return 'deleted from the index'
        if self.yanked is not None:
            return f'yanked: {self.yanked or "no reason given"}'
        return None


def _release_file(file: IndexFile, project: str) -> ReleaseFile:
    parsed = parse_release_filename(file.filename, project=project)
    return ReleaseFile(
        filename=file.filename,
        version=parsed.version if parsed is not None else None,
        yanked=file.yanked,
        yanked_reason=file.yanked_reason,
        requires_python=file.requires_python,
        upload_time=file.upload_time,
    )


def _releases(name: str, page: ProjectPage) -> ProjectReleases:
    versions = []
    for text in page.versions:
        try:
            versions.append(Version(text))
        except InvalidVersion:
            LOG.debug('%s: ignoring invalid version %r', name, text)
    return ProjectReleases(
        name,
        tuple(_release_file(f, name) for f in page.files),
        tuple(versions),
    )


def fetch_releases(
    name: str,
    config: Config,
    indexes: Iterable[str] | None = None,
    *,
    refresh: bool = False,
) -> ProjectReleases | None:
    """Return what the configured indexes list for project ``name``.

    Pages of ``config.index_url`` and ``config.extra_index_urls`` are
    merged, as an installer would see them.

    :param indexes: index URLs to ask instead of the configured ones.
    :param refresh: ask the indexes even when their pages are cached
        (not offline).
    :returns: ``None`` when no index knows the project.
    :raises symbiosis.exception.IndexUnreachable: an index cannot be
        reached (or offline mode is on and the page is not cached).
    :raises symbiosis.exception.PackageIndexError: an index answered with
        an error or an unreadable page.
    """
    urls = list(indexes) if indexes is not None else [
        config.index_url, *config.extra_index_urls
    ]
    pages = [
        _releases(name, page)
        for page in (fetch_listing(url, name, config, refresh=refresh)
                     for url in urls)
        if page is not None
    ]
    if not pages:
        return None
    return ProjectReleases(
        name,
        tuple(f for page in pages for f in page.files),
        tuple(dict.fromkeys(v for page in pages for v in page.versions)),
    )


def release_state(target: str, config: Config) -> ReleaseState | None:
    """What the configured index says now of the release ``target`` pins.

    The project page may come from the cache (as
    :func:`fetch_releases` reads it); offline without a cached page, or
    with the index out of reach, nothing is known.

    :param target: a ``NAME==VERSION`` (or ``===``) TARGET; anything else
        (a path, a requirement, an installed name) gives ``None``.
    :returns: ``None`` when ``target`` is not a pin or the index cannot
        be asked.
    """
    import os

    from symbiosis.exception import SymbiosisError
    from symbiosis.sources._index import PIN_RE

    match = PIN_RE.match(target)
    if match is None or os.path.exists(target):
        return None
    try:
        version = Version(match['version'])
    except InvalidVersion:
        return None
    try:
        releases = fetch_releases(match['name'], config)
    except SymbiosisError as err:
        LOG.debug('%s: the index cannot say whether it is yanked: %s',
                  target, err)
        return None
    if releases is None:
        return ReleaseState(deleted=True)
    return releases.state_of(version)
