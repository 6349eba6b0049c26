"""What the configured index knows about a project's releases.

:mod:`symbiosis.sources.simple` lists a project's files for downloading;
the release checks need more of each page: the yank reason (PEP 592), the
``requires-python`` of each file (PEP 503 ``data-requires-python``), the
upload time (PEP 700 ``upload-time``) and the ``versions`` list, which
names releases whose files were all deleted. This module asks for the same
pages (PEP 691 JSON, PEP 503 HTML as fallback) through the same HTTP
helper, :func:`symbiosis.sources.simple.open_url`, and caches them under
``config.subdir('release-index')`` for :data:`PAGE_TTL` seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
import dataclasses
import datetime
import hashlib
import html.parser
import http.client
import json
import logging
import os
import pathlib
import time
from typing import Any
import urllib.error
import urllib.parse

from packaging.utils import InvalidSdistFilename
from packaging.utils import InvalidWheelFilename
from packaging.utils import parse_sdist_filename
from packaging.utils import parse_wheel_filename
from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis.config import Config
from symbiosis.exception import IndexUnreachable
from symbiosis.exception import PackageIndexError
from symbiosis.sources.simple import normalise_name
from symbiosis.sources.simple import open_url
from symbiosis.sources.simple import redact

__all__ = [
    'PAGE_TTL',
    'ProjectReleases',
    'ReleaseFile',
    'fetch_releases',
    'file_version',
]

LOG = logging.getLogger(__name__)

#: Seconds a cached page is trusted (unless offline).
PAGE_TTL = 600.0

_JSON_TYPE = 'application/vnd.pypi.simple.v1+json'
_ACCEPT = f'{_JSON_TYPE}, text/html;q=0.1'


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

    def upload_time(self, version: Version) -> datetime.datetime | None:
        """The earliest upload time of ``version``'s files, if known."""
        times = [
            f.upload_time for f in self.files_of(version)
            if f.upload_time is not None
        ]
        return min(times) if times else None


def file_version(filename: str) -> Version | None:
    """Return the version a wheel or sdist file name carries."""
    try:
        if filename.endswith('.whl'):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None


def _yank(value: Any) -> tuple[bool, str | None]:
    if isinstance(value, str):
        return True, value.strip() or None
    return bool(value), None


def _time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _parse_json(name: str, body: bytes) -> ProjectReleases:
    data = json.loads(body)
    files = []
    for entry in data.get('files', []):
        yanked, reason = _yank(entry.get('yanked'))
        filename = str(entry['filename'])
        files.append(ReleaseFile(
            filename=filename,
            version=file_version(filename),
            yanked=yanked,
            yanked_reason=reason,
            requires_python=entry.get('requires-python') or None,
            upload_time=_time(entry.get('upload-time')),
        ))
    versions = []
    for text in data.get('versions', []) or []:
        try:
            versions.append(Version(str(text)))
        except InvalidVersion:
            LOG.debug('%s: ignoring invalid version %r', name, text)
    return ProjectReleases(name, tuple(files), tuple(versions))


class _Anchors(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.files: list[ReleaseFile] = []
        self._attrs: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        if tag == 'a':
            self._attrs = dict(attrs)
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._attrs is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != 'a' or self._attrs is None:
            return
        attrs, self._attrs = self._attrs, None
        href = (attrs.get('href') or '').partition('#')[0]
        filename = urllib.parse.unquote(
            ''.join(self._text).strip() or href.rsplit('/', 1)[-1]
        )
        yanked = 'data-yanked' in attrs
        reason = (attrs.get('data-yanked') or '').strip() or None
        self.files.append(ReleaseFile(
            filename=filename,
            version=file_version(filename),
            yanked=yanked,
            yanked_reason=reason,
            requires_python=attrs.get('data-requires-python') or None,
        ))


def _parse(name: str, content_type: str, body: bytes) -> ProjectReleases:
    if content_type.split(';', 1)[0].strip() == _JSON_TYPE:
        return _parse_json(name, body)
    parser = _Anchors()
    parser.feed(body.decode('utf-8', errors='replace'))
    parser.close()
    return ProjectReleases(name, tuple(parser.files))


def _cache_path(config: Config, page_url: str) -> pathlib.Path | None:
    cache = config.subdir('release-index')
    if cache is None:
        return None
    return cache / (hashlib.sha256(page_url.encode()).hexdigest() + '.json')


def _read_cache(
    path: pathlib.Path | None, *, any_age: bool
) -> tuple[str, bytes] | None:
    if path is None or not path.is_file():
        return None
    if not any_age and time.time() - path.stat().st_mtime > PAGE_TTL:
        return None
    try:
        data = json.loads(path.read_text(encoding='utf-8'))
        return str(data['content_type']), str(data['body']).encode()
    except (ValueError, KeyError, OSError):
        return None


def _write_cache(
    path: pathlib.Path | None, content_type: str, body: bytes
) -> None:
    if path is None:
        return
    tmp = path.with_name(f'.{path.name}.{os.getpid()}')
    tmp.write_text(
        json.dumps({
            'content_type': content_type,
            'body': body.decode('utf-8', errors='replace'),
        }),
        encoding='utf-8',
    )
    tmp.replace(path)


def _fetch_page(
    index_url: str, name: str, config: Config
) -> ProjectReleases | None:
    page_url = f'{index_url.rstrip("/")}/{normalise_name(name)}/'
    cache = _cache_path(config, redact(page_url))
    cached = _read_cache(cache, any_age=config.offline)
    if cached is None and config.offline:
        raise IndexUnreachable(
            redact(index_url),
            f'offline mode is on and the page of {name!r} is not cached',
        )
    if cached is not None:
        content_type, body = cached
    else:
        LOG.debug('fetching %s', redact(page_url))
        try:
            with open_url(page_url, config, accept=_ACCEPT) as response:
                content_type = response.headers.get('Content-Type', '')
                body = response.read()
        except urllib.error.HTTPError as err:
            if err.code in (404, 410):
                return None
            raise PackageIndexError(
                redact(page_url), f'HTTP {err.code} {err.reason}'
            ) from err
        except (OSError, http.client.HTTPException) as err:
            if isinstance(err, IndexUnreachable):
                raise
            raise IndexUnreachable(redact(page_url), str(err)) from err
        _write_cache(cache, content_type, body)
    try:
        return _parse(name, content_type, body)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise PackageIndexError(
            redact(page_url), f'unreadable project page: {err}'
        ) from err


def fetch_releases(
    name: str, config: Config, indexes: Iterable[str] | None = None
) -> ProjectReleases | None:
    """Return what the configured indexes list for project ``name``.

    Pages of ``config.index_url`` and ``config.extra_index_urls`` are
    merged, as an installer would see them.

    :param indexes: index URLs to ask instead of the configured ones.
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
        page for page in (_fetch_page(url, name, config) for url in urls)
        if page is not None
    ]
    if not pages:
        return None
    return ProjectReleases(
        name,
        tuple(f for page in pages for f in page.files),
        tuple(dict.fromkeys(v for page in pages for v in page.versions)),
    )
