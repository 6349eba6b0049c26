"""``NAME==VERSION`` TARGETs: a release downloaded from the package index.

The configured index (``config.index_url``, then
``config.extra_index_urls``) is asked for the project page
(:mod:`symbiosis.sources._simple`); of the release's files a pure wheel is
preferred, then any wheel, then the sdist. The download is verified
against the index's sha256 and stored by content under
``config.subdir('downloads')/<sha256>/<filename>``; the choice is
remembered, so resolving the same pin again needs no request at all, and
works offline.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from collections.abc import Sequence
import dataclasses
import hashlib
import http.client
import json
import logging
import os
import pathlib
import re
import sys
import tempfile
import urllib.error

from packaging.tags import sys_tags
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis._files import write_atomic
from symbiosis.config import Config
from symbiosis.exception import DistributionNotFound
from symbiosis.exception import IndexUnreachable
from symbiosis.exception import PackageIndexError
from symbiosis.exception import TargetError
from symbiosis.exception import VersionNotFound
from symbiosis.sources._archives import read_sdist
from symbiosis.sources._archives import read_wheel
from symbiosis.sources._base import Source
from symbiosis.sources._base import SourceTree
from symbiosis.sources._filenames import parse_release_filename
from symbiosis.sources._simple import IndexFile
from symbiosis.sources._simple import fetch_listing
from symbiosis.sources._simple import open_url
from symbiosis.sources._simple import redact
from symbiosis.sources._simple import with_credentials
from symbiosis.sources._unpack import scratch_dir

__all__ = [
    'IndexSource',
    'download_pinned',
    'download_release',
    'fetch_release',
    'nearest_versions',
    'parse_pin',
]

LOG = logging.getLogger(__name__)

#: ``NAME==VERSION`` or ``NAME===VERSION`` (extras are ignored).
PIN_RE = re.compile(
    r'^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*'
    r'(?:\[[^\]]*\])?\s*(?P<op>===|==)\s*(?P<version>[^\s;,]+)\s*$'
)

#: Largest download accepted, in bytes.
MAX_DOWNLOAD = 2 << 30

_CHUNK = 1 << 16


@dataclasses.dataclass(frozen=True)
class _Candidate:
    file: IndexFile
    index_url: str
    wheel_tags: frozenset[str] | None

    def rank(
        self, supported: frozenset[str], prefer_sdist: bool = False
    ) -> tuple[int, int, int, int, str]:
        """Sort key: not yanked, then pure wheels, wheels for this
        interpreter, other Python 3 wheels (closest version first), the
        sdist, and Python-2-only wheels last (their code may not parse).

        With ``prefer_sdist`` the sdist comes first (a project's tests
        are in its sdist, rarely in its wheels).
        """
        tags = self.wheel_tags
        distance = 0
        if tags is None:
            kind = 3 if self.file.filename.endswith('.tar.gz') else 4
        else:
            minors = [_py3_minor(t.split('-', 1)[0]) for t in tags]
            py3 = [m for m in minors if m is not None]
            if not py3:
                kind = 5
            elif any(t.endswith('-none-any') for t in tags):
                kind = 0
            elif tags & supported:
                kind = 1
            else:
                kind = 2
                current = sys.version_info[1]
                distance = min(abs(current - m) for m in py3)
        first = 0 if not prefer_sdist or tags is None else 1
        return (int(self.file.yanked), first, kind, distance,
                self.file.filename)


def _py3_minor(interpreter: str) -> int | None:
    """``cp39`` -> 9, ``py3`` -> current minor; ``None`` for Python 2.

    A compressed tag set (``py2.py3``) counts as Python 3 when any part
    does.
    """
    best: int | None = None
    for part in interpreter.split('.'):
        digits = part.lstrip('abcdefghijklmnopqrstuvwxyz')
        if not digits.startswith('3'):
            continue
        minor = sys.version_info[1] if digits == '3' else int(digits[1:] or 0)
        best = minor if best is None else max(best, minor)
    return best


def parse_pin(target: str) -> tuple[str, str, bool]:
    """Split ``NAME==VERSION`` into ``(NAME, VERSION, arbitrary)``.

    ``arbitrary`` is true for ``===`` (string equality).

    :raises symbiosis.exception.TargetError: ``target`` is not a pin.
    """
    match = PIN_RE.match(target)
    if match is None:
        raise TargetError(target, 'expected NAME==VERSION')
    return match['name'], match['version'], match['op'] == '==='


def nearest_versions(requested: str, available: Iterable[str]) -> list[str]:
    """Return ``available`` ordered by closeness to ``requested``.

    Closeness is the distance in the sorted version list from where
    ``requested`` would be; an unparsable request lists the newest first.
    """
    parsed: set[Version] = set()
    for text in available:
        try:
            parsed.add(Version(text))
        except InvalidVersion:
            continue
    ordered = sorted(parsed)
    try:
        wanted = Version(requested)
    except InvalidVersion:
        return [str(v) for v in reversed(ordered)]
    pos = bisect.bisect_left(ordered, wanted)

    def distance(i: int) -> tuple[int, int]:
        return (i - pos, 1) if i >= pos else (pos - 1 - i, 0)

    return [str(ordered[i]) for i in sorted(range(len(ordered)), key=distance)]


def _same_version(text: str, requested: str, arbitrary: bool) -> bool:
    try:
        return _matches(Version(text), requested, arbitrary)
    except InvalidVersion:
        return text == requested


def _matches(version: Version, requested: str, arbitrary: bool) -> bool:
    if arbitrary:
        return str(version) == requested
    try:
        return version == Version(requested)
    except InvalidVersion:
        return str(version) == requested


def _select(
    files: Sequence[IndexFile],
    index_url: str,
    name: str,
    requested: str,
    arbitrary: bool,
) -> tuple[list[_Candidate], set[str]]:
    wanted = canonicalize_name(name)
    matching: list[_Candidate] = []
    versions: set[str] = set()
    for file in files:
        parsed = parse_release_filename(file.filename, project=name)
        if parsed is None or parsed.name != wanted:
            continue
        if not file.yanked:
            # What is suggested instead of a missing version: never a
            # yanked release.
            versions.add(str(parsed.version))
        if _matches(parsed.version, requested, arbitrary):
            tags = None if parsed.kind == 'sdist' else frozenset(
                str(t) for t in parsed.tags
            )
            matching.append(_Candidate(file, index_url, tags))
    return matching, versions


def download_release(
    file: IndexFile, index_url: str, config: Config, *, target: str
) -> pathlib.Path:
    """Download ``file`` into the content-addressed cache and return it.

    :raises symbiosis.exception.PackageIndexError: the server refused, or
        the file does not match the index's sha256.
    :raises symbiosis.exception.IndexUnreachable: the download failed, or
        ``config.offline`` is set and the file is not cached.
    """
    downloads = config.subdir('downloads') or scratch_dir('downloads')
    if file.sha256:
        cached = downloads / file.sha256 / file.filename
        if cached.is_file():
            LOG.debug('%s: using cached %s', target, cached)
            return cached
    if config.offline:
        raise IndexUnreachable(
            redact(index_url),
            f'offline mode is on and {file.filename} is not in the cache',
        )
    url = with_credentials(file.url, index_url)
    LOG.info('%s: downloading %s', target, redact(file.url))
    digest = hashlib.sha256()
    size = 0
    fd, spool = tempfile.mkstemp(dir=downloads, prefix='.download-')
    tmp = pathlib.Path(spool)
    try:
        with os.fdopen(fd, 'wb') as out, open_url(url, config) as response:
            for chunk in iter(lambda: response.read(_CHUNK), b''):
                size += len(chunk)
                if size > MAX_DOWNLOAD:
                    raise PackageIndexError(
                        redact(file.url), f'larger than {MAX_DOWNLOAD} bytes'
                    )
                digest.update(chunk)
                out.write(chunk)
        actual = digest.hexdigest()
        if file.sha256 and actual != file.sha256:
            raise PackageIndexError(
                redact(file.url),
                f'sha256 mismatch for {file.filename}: the index says '
                f'{file.sha256}, the download is {actual}',
            )
        final = downloads / actual / file.filename
        final.parent.mkdir(exist_ok=True)
        os.replace(tmp, final)
        return final
    except urllib.error.HTTPError as err:
        raise PackageIndexError(
            redact(file.url), f'HTTP {err.code} {err.reason}'
        ) from err
    except (OSError, http.client.HTTPException) as err:
        if isinstance(err, PackageIndexError):
            raise
        raise IndexUnreachable(
            redact(file.url), f'download failed: {err}'
        ) from err
    finally:
        tmp.unlink(missing_ok=True)


@dataclasses.dataclass(frozen=True)
class _Request:
    """A pinned release, asked of ``indexes`` in order.

    :param arbitrary: ``===`` (string equality) rather than ``==``.
    :param prefer_sdist: choose the sdist over wheels when there is one.
    """

    indexes: tuple[str, ...]
    name: str
    version: str
    arbitrary: bool
    prefer_sdist: bool = False


def _pin_record(config: Config, request: _Request) -> pathlib.Path | None:
    downloads = config.subdir('downloads')
    if downloads is None:
        return None
    fields: list[object] = [
        [redact(i) for i in request.indexes],
        canonicalize_name(request.name),
        request.version,
        request.arbitrary,
    ]
    if request.prefer_sdist:
        fields.append('sdist')
    key = json.dumps(fields)
    pins = downloads / 'pins'
    pins.mkdir(exist_ok=True)
    return pins / (hashlib.sha256(key.encode()).hexdigest() + '.json')


def _from_record(record: pathlib.Path | None) -> pathlib.Path | None:
    if record is None or not record.is_file():
        return None
    try:
        data = json.loads(record.read_text(encoding='utf-8'))
        path = record.parent.parent / data['sha256'] / data['filename']
    except (ValueError, KeyError, TypeError, OSError):
        return None
    return path if path.is_file() else None


def _find(target: str, config: Config, request: _Request) -> _Candidate:
    name, version = request.name, request.version
    unreachable: list[IndexUnreachable] = []
    known = False
    available: set[str] = set()
    listed: set[str] = set()
    for index_url in request.indexes:
        try:
            page = fetch_listing(index_url, name, config)
        except IndexUnreachable as err:
            unreachable.append(err)
            continue
        if page is None:
            continue
        known = True
        listed.update(page.versions)
        matching, versions = _select(
            page.files, index_url, name, version, request.arbitrary
        )
        available |= versions
        if matching:
            supported = frozenset(str(t) for t in sys_tags())
            return min(matching, key=lambda c: c.rank(
                supported, request.prefer_sdist))
    if unreachable:
        # The release may well be on the index that could not be asked.
        raise unreachable[0]
    if not known:
        where = 'on the package index ' + ', '.join(
            redact(i) for i in request.indexes)
        raise DistributionNotFound(target, name, where)
    nearest = nearest_versions(version, available)
    if any(_same_version(v, version, request.arbitrary) for v in listed):
        # PEP 700: the index names the version, but none of its files.
        hint = f'; nearest available: {", ".join(nearest[:5])}' \
            if nearest else ''
        raise TargetError(
            target, f'{name} {version} was deleted from the index (it '
            f'lists the version but none of its files){hint}')
    raise VersionNotFound(target, name, version, nearest)


def download_pinned(
    target: str, config: Config, *, prefer_sdist: bool = False
) -> pathlib.Path:
    """Download the release file ``target`` pins and return its path.

    :param prefer_sdist: choose the sdist over wheels when there is one.
    :raises symbiosis.exception.DistributionNotFound: no index has it.
    :raises symbiosis.exception.VersionNotFound: not in that version.
    :raises symbiosis.exception.IndexUnreachable: network failure, or
        offline and not cached.
    :raises symbiosis.exception.PackageIndexError: the index misbehaved.
    """
    request = _Request(
        tuple(dict.fromkeys([config.index_url, *config.extra_index_urls])),
        *parse_pin(target),
        prefer_sdist=prefer_sdist,
    )
    record = _pin_record(config, request)
    path = _from_record(record)
    if path is not None:
        LOG.debug('%s: release already downloaded: %s', target, path)
        return path
    chosen = _find(target, config, request)
    path = download_release(
        chosen.file, chosen.index_url, config, target=target
    )
    if record is not None:
        write_atomic(
            record,
            json.dumps({'filename': path.name, 'sha256': path.parent.name}),
        )
    return path


def fetch_release(
    target: str, config: Config, *, prefer_sdist: bool = False
) -> SourceTree:
    """Download the release pinned by ``target`` and return its tree.

    :param prefer_sdist: read the sdist rather than a wheel when there is
        one.
    :raises symbiosis.exception.DistributionNotFound: no index has it.
    :raises symbiosis.exception.VersionNotFound: not in that version.
    :raises symbiosis.exception.IndexUnreachable: network failure, or
        offline and not cached.
    :raises symbiosis.exception.PackageIndexError: the index misbehaved.
    """
    path = download_pinned(target, config, prefer_sdist=prefer_sdist)
    if path.name.endswith('.whl'):
        return read_wheel(path, target, config)
    return read_sdist(path, target, config)


class IndexSource(Source):
    """Source for ``NAME==VERSION`` pins, downloaded from the index."""

    priority = 40

    def accepts(self, target: str) -> bool:
        """Whether ``target`` is ``NAME==VERSION`` or ``NAME===VERSION``."""
        return PIN_RE.match(target) is not None and not os.path.exists(target)

    def fetch(self, target: str) -> SourceTree:
        """Download and read the release ``target`` pins."""
        return fetch_release(target, self.config)
