"""What the release checks read from git: tags, history, new files.

Git is run by ``symbiosis._git``; the analysed project is never imported.
:func:`pbr_next_version` computes the version pbr would give the next
release, following pbr's rules for ``Sem-Ver:`` commit footers since the
last tag:

* ``Sem-Ver: api-break`` -> major bump;
* ``Sem-Ver: feature`` or ``Sem-Ver: deprecation`` -> minor bump;
* ``Sem-Ver: bugfix`` (or nothing) -> patch bump.

Several symbols may be given on one line, separated by commas; the
largest bump wins. With no tag at all the base version is ``0``.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import pathlib

from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis import _git
from symbiosis.exception import InputError

__all__ = [
    'Git',
    'NextVersion',
    'Tag',
    'open_repository',
    'parse_tag_version',
    'pbr_next_version',
]

LOG = logging.getLogger(__name__)

_BUMPS = {'bugfix': 1, 'feature': 2, 'deprecation': 2, 'api-break': 3}


def parse_tag_version(name: str) -> Version | None:
    """Return the version a tag names (``1.2.0`` or ``v1.2.0``), if any."""
    text = name[1:] if name[:1] in ('v', 'V') else name
    try:
        return Version(text)
    except InvalidVersion:
        return None


@dataclasses.dataclass(frozen=True)
class Tag:
    """A tag whose name is a version.

    :param name: the tag name.
    :param version: the version it names.
    :param commit: the commit it points at (peeled).
    :param date: the later of its tagger date (annotated tags) and its
        commit's date; a tag moved after publication has a late date.
    :param merged: whether the commit is an ancestor of HEAD.
    """

    name: str
    version: Version
    commit: str
    date: datetime.datetime | None
    merged: bool


@dataclasses.dataclass(frozen=True)
class NextVersion:
    """The version pbr would compute for the next release.

    :param version: the version text.
    :param last_tag: the tag it is computed from (``None``: no tag).
    :param bump: ``major``, ``minor``, ``patch`` or ``none`` (HEAD is
        tagged).
    """

    version: str
    last_tag: str | None
    bump: str


class Git(_git.Git):
    """Runs git in one repository and reads what the release checks need.

    :param root: the repository's top-level directory.
    :param timeout: seconds each command may take.
    """

    def __init__(
        self, root: pathlib.Path, timeout: float = _git.MIN_TIMEOUT
    ) -> None:
        super().__init__(root, timeout=timeout)
        self.root = root

    def is_shallow(self) -> bool:
        """Whether the repository is a shallow clone."""
        return self.output('rev-parse', '--is-shallow-repository') == 'true'

    def version_tags(self) -> list[Tag]:
        """Every tag whose name is a version, highest version first."""
        listing = self.output(
            'for-each-ref', 'refs/tags',
            '--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)'
            '%00%(taggerdate:iso-strict)%00%(committerdate:iso-strict)'
            '%00%(*committerdate:iso-strict)',
        )
        if not listing:
            return []
        merged = set()
        if self.head() is not None:
            merged = set(
                (self.output('tag', '--merged', 'HEAD') or '').split()
            )
        tags = []
        for line in listing.splitlines():
            fields = line.split('\0')
            if len(fields) != 6:
                continue
            name, obj, peeled, tagged, committed, peeled_date = fields
            version = parse_tag_version(name)
            if version is None:
                continue
            dates = [
                d for d in map(_parse_date, (tagged, committed, peeled_date))
                if d is not None
            ]
            tags.append(Tag(
                name=name,
                version=version,
                commit=peeled or obj,
                date=max(dates) if dates else None,
                merged=name in merged,
            ))
        tags.sort(key=lambda t: t.version, reverse=True)
        return tags

    def semver_symbols(self, since: str | None) -> set[str]:
        """The ``Sem-Ver:`` symbols of the commits after ``since``."""
        spec = f'{since}..HEAD' if since else 'HEAD'
        log = self.output('log', '--pretty=%B', spec, '--') or ''
        symbols: set[str] = set()
        for line in log.splitlines():
            text = line.strip().lower()
            if text.startswith('sem-ver:'):
                symbols.update(
                    s.strip() for s in text[len('sem-ver:'):].split(',')
                    if s.strip()
                )
        return symbols

    def added_files(self, since: str | None, path: str) -> list[str]:
        """Files under ``path`` added after ``since``, uncommitted new
        files included (paths relative to the repository root).
        """
        found: list[str] = []
        if since is not None:
            committed = self.output(
                'diff', '--name-only', '--diff-filter=A',
                f'{since}..HEAD', '--', path,
            )
            found.extend((committed or '').splitlines())
        else:
            tracked = self.output('ls-files', '--', path)
            found.extend((tracked or '').splitlines())
        status = self.output(
            'status', '--porcelain', '--untracked-files=all', '--', path
        )
        for line in (status or '').splitlines():
            if line[:2] in ('??', 'A ', 'AM'):
                found.append(line[3:].strip().strip('"'))
        return sorted(dict.fromkeys(f for f in found if f))


def _parse_date(text: str) -> datetime.datetime | None:
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def open_repository(
    path: str | os.PathLike[str], timeout: float = _git.MIN_TIMEOUT
) -> Git:
    """Return a :class:`Git` for the repository containing ``path``.

    :raises symbiosis.exception.InputError: ``path`` is not inside a git
        repository.
    """
    where = pathlib.Path(path).expanduser()
    if not where.is_dir():
        raise InputError(f'{where} is not a git repository (no such '
                         'directory)')
    top = _git.Git(where, timeout=timeout).toplevel()
    if top is None:
        raise InputError(f'{where} is not a git repository')
    return Git(top, timeout)


def pbr_next_version(git: Git, tags: list[Tag] | None = None) -> NextVersion:
    """Compute the next release version the way pbr does.

    When HEAD carries a version tag, that is the version. Otherwise the
    last version tag reachable from HEAD is bumped by the largest
    ``Sem-Ver:`` footer since it (a patch bump by default); a pre-release
    tag only gets its pre-release number bumped by a patch-level change,
    as pbr does.

    :param tags: the repository's version tags, when already read.
    """
    tags = git.version_tags() if tags is None else tags
    head = git.head()
    at_head = [t for t in tags if head is not None and t.commit == head]
    if at_head:
        return NextVersion(str(at_head[0].version), at_head[0].name, 'none')
    merged = [t for t in tags if t.merged]
    last = merged[0] if merged else None
    symbols = git.semver_symbols(last.name if last else None)
    unknown = symbols - set(_BUMPS)
    if unknown:
        LOG.info('unknown Sem-Ver symbol(s): %s', ', '.join(sorted(unknown)))
    level = max((_BUMPS[s] for s in symbols if s in _BUMPS), default=1)
    base = last.version if last else Version('0')
    major, minor, micro = (*base.release, 0, 0)[:3]
    if level == 3:
        text = f'{major + 1}.0.0'
    elif level == 2:
        text = f'{major}.{minor + 1}.0'
    elif base.pre is not None:
        kind, number = base.pre
        text = f'{major}.{minor}.{micro}{kind}{number + 1}'
    else:
        text = f'{major}.{minor}.{micro + 1}'
    if base.epoch:
        text = f'{base.epoch}!{text}'
    bump = {3: 'major', 2: 'minor', 1: 'patch'}[level]
    return NextVersion(text, last.name if last else None, bump)
