"""A small client for the package index "simple" API.

It asks for the PEP 691 JSON form (``application/vnd.pypi.simple.v1+json``)
and reads the PEP 503 HTML form when that is what the index serves. Only
the standard library is used (:mod:`urllib`), with the configured
timeout; credentials in an index URL (``https://user:token@host/simple``)
are sent as HTTP basic auth and never logged. Project pages are cached
for :data:`PAGE_TTL` seconds.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
import dataclasses
import hashlib
import html.parser
import http.client
import json
import logging
import os
import pathlib
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from symbiosis.config import Config
from symbiosis.exception import IndexUnreachable
from symbiosis.exception import PackageIndexError

__all__ = [
    'PAGE_TTL',
    'IndexFile',
    'fetch_project_page',
    'normalise_name',
    'open_url',
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
    """

    filename: str
    url: str
    sha256: str | None = None
    yanked: bool = False


def normalise_name(name: str) -> str:
    """Return ``name`` normalised per PEP 503 (``Foo.Bar`` -> ``foo-bar``)."""
    return re.sub(r'[-_.]+', '-', name).lower()


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
    url: str, config: Config, *, accept: str = '*/*'
) -> http.client.HTTPResponse:
    """Open ``url`` (``http``, ``https`` or ``file``) with the timeout.

    :raises urllib.error.HTTPError: the server answered with an error.
    :raises symbiosis.exception.IndexUnreachable: it could not be reached.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ('http', 'https', 'file'):
        raise IndexUnreachable(
            redact(url), f'unsupported scheme {parts.scheme!r}'
        )
    headers = {'Accept': accept, 'User-Agent': 'symbiosis'}
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
        href = self._attrs.get('href') or ''
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
                yanked='data-yanked' in self._attrs,
            )
        )
        self._attrs = None


def _parse_json(page_url: str, body: bytes) -> Iterator[IndexFile]:
    data = json.loads(body)
    for entry in data.get('files', []):
        hashes = entry.get('hashes') or {}
        url = urllib.parse.urljoin(page_url, entry['url']).partition('#')[0]
        yield IndexFile(
            filename=entry['filename'],
            url=url,
            sha256=(hashes.get('sha256') or '').lower() or None,
            yanked=bool(entry.get('yanked')),
        )


def _parse(page_url: str, content_type: str, body: bytes) -> list[IndexFile]:
    if content_type.split(';', 1)[0].strip() == JSON_TYPE:
        return list(_parse_json(page_url, body))
    parser = _LinkParser(page_url)
    parser.feed(body.decode('utf-8', errors='replace'))
    parser.close()
    return parser.files


def _cache_file(config: Config, page_url: str) -> pathlib.Path | None:
    cache = config.subdir('index')
    if cache is None:
        return None
    return cache / (hashlib.sha256(page_url.encode()).hexdigest() + '.json')


def _read_cache(
    path: pathlib.Path | None, *, any_age: bool
) -> tuple[str, str, bytes] | None:
    if path is None or not path.is_file():
        return None
    if not any_age and time.time() - path.stat().st_mtime > PAGE_TTL:
        return None
    try:
        data = json.loads(path.read_text(encoding='utf-8'))
        return (
            str(data['url']),
            str(data['content_type']),
            str(data['body']).encode(),
        )
    except (ValueError, KeyError, OSError):
        return None


def _write_cache(
    path: pathlib.Path | None, url: str, content_type: str, body: bytes
) -> None:
    if path is None:
        return
    tmp = path.with_name(f'.{path.name}.{os.getpid()}')
    tmp.write_text(
        json.dumps(
            {
                'url': url,
                'content_type': content_type,
                'body': body.decode('utf-8', errors='replace'),
            }
        ),
        encoding='utf-8',
    )
    tmp.replace(path)


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
    page_url = f'{index_url.rstrip("/")}/{normalise_name(name)}/'
    cache = _cache_file(config, page_url)
    cached = _read_cache(cache, any_age=config.offline)
    if cached is None and config.offline:
        raise IndexUnreachable(
            redact(index_url),
            f'offline mode is on and the page of {name!r} is not cached',
        )
    if cached is not None:
        LOG.debug('using cached index page %s', redact(page_url))
        page_url, content_type, body = cached
    else:
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
        page_url = redact(final_url or page_url)
        _write_cache(cache, page_url, content_type, body)
    try:
        return _parse(redact(page_url), content_type, body)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise PackageIndexError(
            redact(page_url), f'unreadable project page: {err}'
        ) from err
