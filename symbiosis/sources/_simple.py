"""A small client for the package index "simple" API.

It asks for the PEP 691 JSON form (``application/vnd.pypi.simple.v1+json``)
and reads the PEP 503 HTML form when that is what the index serves. Only
the standard library is used (:mod:`urllib`), with the configured
timeout; credentials in an index URL (``https://user:token@host/simple``)
are sent as HTTP basic auth and never logged. Project pages are cached
under ``config.subdir('index')`` for :data:`PAGE_TTL` seconds.

This is the one client of the simple API: downloads
(:mod:`symbiosis.sources._index`) and release listings
(:mod:`symbiosis.sources._releases`, read by the release checks and the
gate) both read pages through it.
"""

from __future__ import annotations

import base64
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
import urllib.request

from packaging.utils import canonicalize_name

from symbiosis._files import write_atomic
from symbiosis.config import Config
from symbiosis.exception import IndexUnreachable
from symbiosis.exception import PackageIndexError

__all__ = [
    'PAGE_TTL',
    'IndexFile',
    'ProjectPage',
    'RawPage',
    'fetch_listing',
    'fetch_project_page',
    'fetch_raw_page',
    'open_url',
    'parse_project_page',
    'redact',
    'with_credentials',
]

LOG = logging.getLogger(__name__)

#: Seconds a cached project page is trusted (unless offline).
PAGE_TTL = 600.0

JSON_TYPE = 'application/vnd.pypi.simple.v1+json'
ACCEPT = f'{JSON_TYPE}, text/html;q=0.1'


@dataclasses.dataclass(frozen=True)
class IndexFile:
    """One file listed on a project page.

    :param filename: the file name (``pkg-1.0-py3-none-any.whl``).
    :param url: absolute download URL, without the hash fragment.
    :param sha256: the hex digest the index gives, if any.
    :param yanked: whether the file is yanked (PEP 592).
    :param yanked_reason: the reason the index gives, if any.
    :param requires_python: the file's ``Requires-Python`` (PEP 503
        ``data-requires-python``), if given.
    :param upload_time: when it was uploaded (PEP 700 ``upload-time``),
        if the index says.
    """

    filename: str
    url: str
    sha256: str | None = None
    yanked: bool = False
    yanked_reason: str | None = None
    requires_python: str | None = None
    upload_time: datetime.datetime | None = None


@dataclasses.dataclass(frozen=True)
class RawPage:
    """A project page as the index served it (or as it was cached).

    :param url: the page URL after redirects, without credentials; links
        on the page are relative to it.
    :param content_type: the ``Content-Type`` the index answered with.
    :param body: the page itself.
    """

    url: str
    content_type: str
    body: bytes


@dataclasses.dataclass(frozen=True)
class ProjectPage:
    """What one index lists for a project.

    :param url: the page URL, without credentials.
    :param files: the files listed.
    :param versions: the versions the index names, with or without files
        (PEP 700 ``versions``, as given; empty when the index does not
        say, as PEP 503 HTML pages never do).
    """

    url: str
    files: tuple[IndexFile, ...] = ()
    versions: tuple[str, ...] = ()


def redact(url: str) -> str:
    """Return ``url`` without its user and password, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ''
    if parts.port:
        host += f':{parts.port}'
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def with_credentials(url: str, index_url: str) -> str:
    """Return ``url`` with the user and password of ``index_url``.

    Only when both are on the same host and ``url`` has none of its own:
    files of a private index need the index's credentials, files on
    another host must not see them.
    """
    index = urllib.parse.urlsplit(index_url)
    parts = urllib.parse.urlsplit(url)
    if index.username is None or parts.username is not None:
        return url
    if (parts.hostname, parts.port) != (index.hostname, index.port):
        return url
    userinfo = index.netloc.rpartition('@')[0]
    return urllib.parse.urlunsplit(
        parts._replace(netloc=f'{userinfo}@{parts.netloc}')
    )


def open_url(
    url: str, config: Config, *, accept: str = '*/*',
    headers: dict[str, str] | None = None,
) -> http.client.HTTPResponse:
    """Open ``url`` (``http``, ``https`` or ``file``) with the timeout.

    :param headers: more request headers (``If-None-Match``).

    :raises urllib.error.HTTPError: the server answered with an error.
    :raises symbiosis.exception.IndexUnreachable: it could not be reached.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ('http', 'https', 'file'):
        raise IndexUnreachable(
            redact(url), f'unsupported scheme {parts.scheme!r}'
        )
    headers = {**(headers or {}), 'Accept': accept,
               'User-Agent': 'symbiosis'}
    if parts.username is not None:
        token = f'{urllib.parse.unquote(parts.username)}:' + (
            urllib.parse.unquote(parts.password or '')
        )
        headers['Authorization'] = (
            'Basic ' + base64.b64encode(token.encode()).decode()
        )
        url = redact(url)
    if parts.scheme == 'file':
        path = urllib.request.url2pathname(parts.path)
        if os.path.isdir(path):
            # A directory-based index (pip's ``file://`` indexes).
            url = urllib.parse.urljoin(url.rstrip('/') + '/', 'index.html')
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked
    try:
        # A fresh opener per call: proxy settings are read from the
        # environment now, and no process-wide opener is installed.
        opener = urllib.request.build_opener()
        response: http.client.HTTPResponse = opener.open(
            request, timeout=config.timeout
        )
    except urllib.error.HTTPError:
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        reason = getattr(err, 'reason', err)
        raise IndexUnreachable(
            redact(url), f'cannot connect: {reason}'
        ) from err
    return response


class _LinkParser(html.parser.HTMLParser):
    """Collects the anchors of a PEP 503 page."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.files: list[IndexFile] = []
        self._attrs: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        if tag == 'base':
            href = dict(attrs).get('href')
            if href:
                self.base = urllib.parse.urljoin(self.base, href)
        elif tag == 'a':
            self._attrs = dict(attrs)
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._attrs is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != 'a' or self._attrs is None:
            return
        attrs, self._attrs = self._attrs, None
        href = attrs.get('href') or ''
        url, _, fragment = urllib.parse.urljoin(self.base, href).partition('#')
        digest = None
        if fragment.startswith('sha256='):
            digest = fragment.removeprefix('sha256=').lower()
        filename = ''.join(self._text).strip() or url.rsplit('/', 1)[-1]
        self.files.append(
            IndexFile(
                filename=urllib.parse.unquote(filename),
                url=url,
                sha256=digest,
                yanked='data-yanked' in attrs,
                yanked_reason=(attrs.get('data-yanked') or '').strip()
                or None,
                requires_python=attrs.get('data-requires-python') or None,
            )
        )


def _yank(value: Any) -> tuple[bool, str | None]:
    # PEP 691: a string (the reason) means yanked, as ``true`` does.
    if isinstance(value, str):
        return True, value.strip() or None
    return bool(value), None


def _upload_time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _parse_json(page_url: str, body: bytes) -> ProjectPage:
    data = json.loads(body)
    files = []
    for entry in data.get('files', []):
        hashes = entry.get('hashes') or {}
        url = urllib.parse.urljoin(page_url, entry['url']).partition('#')[0]
        yanked, reason = _yank(entry.get('yanked'))
        files.append(
            IndexFile(
                filename=str(entry['filename']),
                url=url,
                sha256=(hashes.get('sha256') or '').lower() or None,
                yanked=yanked,
                yanked_reason=reason,
                requires_python=entry.get('requires-python') or None,
                upload_time=_upload_time(entry.get('upload-time')),
            )
        )
    versions = tuple(str(v) for v in data.get('versions', []) or [])
    return ProjectPage(page_url, tuple(files), versions)


def parse_project_page(page: RawPage) -> ProjectPage:
    """Read a PEP 691 JSON or PEP 503 HTML project page.

    :raises symbiosis.exception.PackageIndexError: the page is unreadable.
    """
    url = redact(page.url)
    try:
        if page.content_type.split(';', 1)[0].strip() == JSON_TYPE:
            return _parse_json(url, page.body)
        parser = _LinkParser(url)
        parser.feed(page.body.decode('utf-8', errors='replace'))
        parser.close()
        return ProjectPage(url, tuple(parser.files))
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise PackageIndexError(
            url, f'unreadable project page: {err}'
        ) from err


def _cache_file(config: Config, page_url: str) -> pathlib.Path | None:
    cache = config.subdir('index')
    if cache is None:
        return None
    return cache / (hashlib.sha256(page_url.encode()).hexdigest() + '.json')


def _read_cache(path: pathlib.Path | None, *, any_age: bool) -> RawPage | None:
    if path is None or not path.is_file():
        return None
    if not any_age and time.time() - path.stat().st_mtime > PAGE_TTL:
        return None
    try:
        data = json.loads(path.read_text(encoding='utf-8'))
        return RawPage(
            str(data['url']),
            str(data['content_type']),
            str(data['body']).encode(),
        )
    except (ValueError, KeyError, OSError):
        return None


def _write_cache(path: pathlib.Path | None, page: RawPage) -> None:
    if path is None:
        return
    write_atomic(
        path,
        json.dumps(
            {
                'url': page.url,
                'content_type': page.content_type,
                'body': page.body.decode('utf-8', errors='replace'),
            }
        ),
    )


def fetch_raw_page(
    index_url: str, name: str, config: Config, *, refresh: bool = False
) -> RawPage | None:
    """Return the page the index ``index_url`` serves for project ``name``.

    The page comes from the cache when it is younger than
    :data:`PAGE_TTL` (of any age when ``config.offline`` is set), and is
    cached when fetched.

    :param refresh: fetch the page even when a young copy is cached
        (offline, the cached copy is still used).

    :returns: ``None`` when the index has no such project (404/410).
    :raises symbiosis.exception.IndexUnreachable: the index cannot be
        reached, or ``config.offline`` is set and the page is not cached.
    :raises symbiosis.exception.PackageIndexError: the index answered with
        another error.
    """
    page_url = f'{index_url.rstrip("/")}/{canonicalize_name(name)}/'
    cache = _cache_file(config, page_url)
    cached = None if refresh and not config.offline else _read_cache(
        cache, any_age=config.offline)
    if cached is not None:
        LOG.debug('using cached index page %s', redact(page_url))
        return cached
    if config.offline:
        raise IndexUnreachable(
            redact(index_url),
            f'offline mode is on and the page of {name!r} is not cached',
        )
    LOG.debug('fetching %s', redact(page_url))
    try:
        with open_url(page_url, config, accept=ACCEPT) as response:
            content_type = response.headers.get('Content-Type', '')
            body = response.read()
            final_url = response.geturl()
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
    # Links are resolved against the redirected URL, and credentials
    # never reach the cache (index.py adds them back for downloads).
    page = RawPage(redact(final_url or page_url), content_type, body)
    _write_cache(cache, page)
    return page


def fetch_listing(
    index_url: str, name: str, config: Config, *, refresh: bool = False
) -> ProjectPage | None:
    """Return what the index ``index_url`` lists for project ``name``.

    :func:`fetch_raw_page` (``refresh`` is passed on) read by
    :func:`parse_project_page`.

    :returns: ``None`` when the index has no such project (404/410).
    :raises symbiosis.exception.IndexUnreachable: as
        :func:`fetch_raw_page`.
    :raises symbiosis.exception.PackageIndexError: the index answered with
        another error or an unreadable page.
    """
    page = fetch_raw_page(index_url, name, config, refresh=refresh)
    return None if page is None else parse_project_page(page)


def fetch_project_page(
    index_url: str, name: str, config: Config
) -> list[IndexFile] | None:
    """Return the files the index ``index_url`` lists for project ``name``.

    :returns: ``None`` when the index has no such project (404/410).
    :raises symbiosis.exception.IndexUnreachable: the index cannot be
        reached, or ``config.offline`` is set and the page is not cached.
    :raises symbiosis.exception.PackageIndexError: the index answered with
        another error or an unreadable page.
    """
    page = fetch_listing(index_url, name, config)
    return None if page is None else list(page.files)
