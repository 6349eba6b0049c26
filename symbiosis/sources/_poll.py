"""Asking the index whether a project page changed (``watch``).

The page is asked for in its PEP 691 JSON form with ``If-None-Match`` and
the ETag of the last answer, so an unchanged project costs one ``304 Not
Modified`` and no body. A changed page is parsed as
:mod:`symbiosis.sources._simple` parses every page, and written to its
page cache, so what reads the project next sees the new release.
"""

from __future__ import annotations

import dataclasses
import http.client
import logging
import urllib.error

from packaging.utils import canonicalize_name

from symbiosis.config import Config
from symbiosis.exception import IndexUnreachable
from symbiosis.exception import PackageIndexError
from symbiosis.sources._simple import ACCEPT
from symbiosis.sources._simple import ProjectPage
from symbiosis.sources._simple import RawPage
from symbiosis.sources._simple import open_url
from symbiosis.sources._simple import parse_project_page
from symbiosis.sources._simple import redact

__all__ = ['Poll', 'poll_project']

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Poll:
    """One poll's answer.

    :param changed: the page differs from the ETag given (or none was).
    :param etag: the page's ETag now (``None``: the index sends none).
    :param page: the page, when it changed; ``None`` when unchanged or
        when the index has no such project.
    """

    changed: bool
    etag: str | None
    page: ProjectPage | None


def poll_project(
    name: str, config: Config, etag: str | None = None
) -> Poll:
    """Ask ``config.index_url`` for project ``name``'s page, unless it
    still has the ETag ``etag``.

    :raises symbiosis.exception.IndexUnreachable: the index cannot be
        reached (offline mode included).
    :raises symbiosis.exception.PackageIndexError: it answered with an
        error or an unreadable page.
    """
    from symbiosis.sources._simple import _cache_file
    from symbiosis.sources._simple import _write_cache

    index_url = config.index_url
    page_url = f'{index_url.rstrip("/")}/{canonicalize_name(name)}/'
    if config.offline:
        raise IndexUnreachable(redact(index_url),
                               'offline mode is on: nothing to poll')
    headers = {'If-None-Match': etag} if etag else {}
    try:
        with open_url(page_url, config, accept=ACCEPT,
                      headers=headers) as response:
            body = response.read()
            content_type = response.headers.get('Content-Type', '')
            new_etag = response.headers.get('ETag')
            final_url = response.geturl()
    except urllib.error.HTTPError as err:
        if err.code == 304:
            return Poll(False, err.headers.get('ETag') or etag, None)
        if err.code in (404, 410):
            return Poll(etag is not None, None, None)
        raise PackageIndexError(
            redact(page_url), f'HTTP {err.code} {err.reason}') from err
    except (OSError, http.client.HTTPException) as err:
        if isinstance(err, IndexUnreachable):
            raise
        raise IndexUnreachable(redact(page_url), str(err)) from err
    raw = RawPage(redact(final_url or page_url), content_type, body)
    _write_cache(_cache_file(config, page_url), raw)
    return Poll(True, new_etag, parse_project_page(raw))
