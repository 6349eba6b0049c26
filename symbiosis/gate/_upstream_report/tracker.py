"""Where to file a bug report: the upstream's issue tracker.

The upstream's metadata says it: a ``Project-URL`` labelled as a tracker
(``Bug Tracker``, ``Issues``, ``Bugs``...) is used as it is; otherwise the
issues page of its ``Source`` (or ``Repository``, ``Homepage``,
``Home-page``) on a known code forge; otherwise its home page, said to be
one. The URLs come from the gate report's ``context`` (recorded when the
gate ran), else, for an older report, from what symbiosis's cache still
holds offline: an environment the report names, a downloaded release, a
source tree given as a SPEC.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import pathlib
import re
import sys
from typing import TYPE_CHECKING
import urllib.parse

from symbiosis.gate._context import HOME_PAGE
from symbiosis.gate._context import metadata_urls
from symbiosis.gate._context import read_project_urls

if TYPE_CHECKING:
    from symbiosis.config import Config
    from symbiosis.gate._model import GateReport

__all__ = ['Tracker', 'choose_tracker', 'find_project_urls']

#: Normalised ``Project-URL`` labels of issue trackers, best first.
TRACKER_LABELS = ('bugtracker', 'issuetracker', 'issues', 'bugs',
                  'bugreports', 'tracker', 'bugreport', 'issue')
#: Normalised labels of the source or home page, best first.
SOURCE_LABELS = ('source', 'sourcecode', 'repository', 'code', 'github',
                 'gitlab', 'homepage', 'home')
#: Code forges whose ``/<owner>/<name>`` pages have an ``/issues`` page.
FORGES = frozenset({'github.com', 'gitlab.com', 'codeberg.org',
                    'bitbucket.org'})


@dataclasses.dataclass(frozen=True)
class Tracker:
    """Where to file.

    :param url: the URL, or ``None`` (unknown).
    :param label: the metadata field it came from (``Bug Tracker``,
        ``Source``, ``Home-page``).
    :param kind: ``tracker`` (the metadata names an issue tracker),
        ``forge`` (the issues page of the source repository), ``home``
        (only a home page is known) or ``unknown``.
    :param origin: where the metadata was read: ``report`` (the gate
        recorded it), ``cache`` (symbiosis's cache), ``spec`` (the
        ``pyproject.toml`` of a source tree given as a SPEC) or ``none``.
    """

    url: str | None
    label: str = ''
    kind: str = 'unknown'
    origin: str = 'none'


def _normalise(label: str) -> str:
    return re.sub(r'[^a-z0-9]', '', label.lower())


def _forge_issues(url: str) -> str | None:
    parsed = urllib.parse.urlsplit(url)
    host = (parsed.hostname or '').lower().removeprefix('www.')
    parts = [p for p in parsed.path.split('/') if p]
    if host not in FORGES or len(parts) < 2:
        return None
    name = parts[1].removesuffix('.git')
    return f'https://{host}/{parts[0]}/{name}/issues'


def choose_tracker(urls: Mapping[str, str], origin: str) -> Tracker:
    """The tracker the project URLs ``urls`` (``label -> URL``) name."""
    by_label = {_normalise(label): (label, url)
                for label, url in urls.items()
                if url.startswith(('https://', 'http://'))}
    for wanted in TRACKER_LABELS:
        if wanted in by_label:
            label, url = by_label[wanted]
            return Tracker(url, label, 'tracker', origin)
    sources = [by_label[w] for w in SOURCE_LABELS if w in by_label]
    sources += [(label, url) for label, url in by_label.values()
                if (label, url) not in sources]
    for label, url in sources:
        issues = _forge_issues(url)
        if issues:
            return Tracker(issues, label, 'forge', origin)
    home = by_label.get(_normalise(HOME_PAGE)) or by_label.get('homepage')
    if home:
        return Tracker(home[1], home[0], 'home', origin)
    return Tracker(None)


def _pyproject_urls(path: pathlib.Path) -> dict[str, str] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        data = tomllib.loads(
            (path / 'pyproject.toml').read_text(encoding='utf-8'))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    urls = data.get('project', {}).get('urls')
    if not isinstance(urls, dict):
        return None
    return {str(k): str(v) for k, v in urls.items()}


def _downloaded_urls(
    report: GateReport, config: Config
) -> dict[str, str] | None:
    """Project URLs of a release of the upstream downloaded to the cache
    (a wheel's ``METADATA``)."""
    import zipfile

    from packaging.utils import canonicalize_name

    downloads = config.subdir('downloads')
    if downloads is None or not downloads.is_dir():
        return None
    wanted = canonicalize_name(report.upstream)
    versions = report.installed_versions().get('candidate', set())
    for wheel in sorted(downloads.glob('*/*.whl')):
        name, _, rest = wheel.name.partition('-')
        version = rest.partition('-')[0]
        if canonicalize_name(name) != wanted or (
                versions and version not in versions):
            continue
        try:
            with zipfile.ZipFile(wheel) as archive:
                member = next(n for n in archive.namelist()
                              if n.endswith('.dist-info/METADATA'))
                text = archive.read(member).decode('utf-8')
        except (OSError, zipfile.BadZipFile, StopIteration,
                UnicodeDecodeError):
            continue
        return metadata_urls(text)
    return None


def find_project_urls(
    report: GateReport, config: Config
) -> tuple[dict[str, str], str]:
    """The upstream's project URLs and where they were found (``report``,
    ``cache``, ``spec`` or ``none``); nothing is downloaded."""
    recorded = report.context.get('project_urls')
    if isinstance(recorded, Mapping) and recorded:
        return {str(k): str(v) for k, v in recorded.items()}, 'report'
    envs = sorted(report.environments, key=lambda e: e.side != 'candidate')
    for env in envs:
        found = read_project_urls(env.path, report.upstream) \
            if env.path else None
        if found:
            return found, 'cache'
    found = _downloaded_urls(report, config)
    if found:
        return found, 'cache'
    for spec in (report.candidate, report.baseline):
        path = pathlib.Path(spec)
        if path.is_dir():
            found = _pyproject_urls(path)
            if found:
                return found, 'spec'
    return {}, 'none'
