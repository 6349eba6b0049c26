"""Run the release checks: :func:`check`.

It opens the repository, reads the project's settings, works out the
proposed version and the previous release, then runs every enabled check
(:mod:`symbiosis.release._checks`) on one shared
:class:`~symbiosis.release._context.ReleaseContext`. Findings about the run
itself (a shallow clone, a first release, where the proposed version came
from, offline mode) are reported under the check name ``release``.
"""

from __future__ import annotations

from collections.abc import Collection
import dataclasses
import datetime
import logging
import os
import pathlib

from packaging.version import Version

from symbiosis.config import Config
from symbiosis.exception import InputError
from symbiosis.release._context import PreviousRelease
from symbiosis.release._context import ReleaseContext
from symbiosis.release._gitinfo import Git
from symbiosis.release._gitinfo import Tag
from symbiosis.release._gitinfo import open_repository
from symbiosis.release._gitinfo import parse_tag_version
from symbiosis.release._gitinfo import pbr_next_version
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity
from symbiosis.release._project import ProjectInfo
from symbiosis.release._project import read_project_info
from symbiosis.release._settings import ReleaseSettings
from symbiosis.release._settings import load_release_settings

__all__ = ['check', 'check_notes', 'draft_release_note', 'parse_now']

LOG = logging.getLogger(__name__)

_RUN = 'release'


def parse_now(
    value: datetime.datetime | str | None,
    tz: datetime.tzinfo | None,
) -> datetime.datetime:
    """Return "now" in the time zone ``tz`` (``None``: local time).

    :param value: ``None`` (the current time), an ISO 8601 text
        (``2026-11-27``, ``2026-11-27T16:00+01:00``) or a datetime; naive
        values are read in ``tz``, aware ones converted to it (kept as
        given when ``tz`` is ``None``).
    :raises symbiosis.exception.InputError: ``value`` is not ISO 8601.
    """
    if value is None:
        moment = datetime.datetime.now(datetime.timezone.utc).astimezone()
    elif isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise InputError(
                f'invalid --date {value!r}: expected an ISO 8601 date or '
                'date and time (2026-11-27 or 2026-11-27T16:00+01:00)'
            ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz) if tz is not None else (
            moment.astimezone()
        )
    # Without a configured zone, an explicit offset is the best guess of
    # the maintainer's own.
    return moment.astimezone(tz) if tz is not None else moment


def _check_version(text: str) -> str:
    from symbiosis.api._versioning import parse_version

    try:
        return str(parse_version(text, 'proposed version'))
    except InputError:
        raise InputError(
            f'invalid --proposed {text!r}: not a PEP 440 version'
        ) from None


def _pre_version(project: ProjectInfo) -> Version | None:
    if not project.version:
        return None
    try:
        return Version(project.version)
    except ValueError:
        return None


def _proposed(
    git: Git, tags: list[Tag], project: ProjectInfo, given: str | None
) -> tuple[str | None, str]:
    if given is not None:
        return _check_version(given), 'given'
    if project.uses_pbr or (not project.version and tags):
        nxt = pbr_next_version(git, tags)
        declared = _pre_version(project) if project.uses_pbr else None
        if (declared is not None and nxt.bump != 'none'
                and declared > Version(nxt.version)):
            # pbr pre-versioning: a version in setup.cfg is the target the
            # next release must carry (pbr refuses anything lower).
            return str(declared), 'the version declared for pbr'
        origin = (
            f'the tag {nxt.last_tag} at HEAD' if nxt.bump == 'none'
            else f'pbr: a {nxt.bump} bump from {nxt.last_tag or "0"}, '
            'following the Sem-Ver: footers'
        )
        return nxt.version, origin
    if project.version:
        try:
            return str(Version(project.version)), 'the declared version'
        except ValueError:
            LOG.warning('declared version %r is not PEP 440',
                        project.version)
    return None, ''


def _previous(
    git: Git, tags: list[Tag], proposed: str | None, since: str | None
) -> PreviousRelease | None:
    if since is not None:
        if git.resolve(since) is None:
            raise InputError(
                f'invalid --since {since!r}: no such git revision in '
                f'{git.root}'
            )
        version = parse_tag_version(since)
        return PreviousRelease(since, str(version) if version else None)
    target = Version(proposed) if proposed else None
    head = git.head()
    # A tag of the proposed version on HEAD is the release being made.
    candidates = [
        tag for tag in tags  # highest version first
        if tag.merged and not (tag.commit == head and tag.version == target)
    ]
    below = [t for t in candidates if target is None or t.version < target]
    if not (below or candidates):
        return None
    chosen = (below or candidates)[0]
    return PreviousRelease(chosen.name, str(chosen.version))


def _context(
    repo: str | os.PathLike[str],
    proposed: str | None,
    date: datetime.datetime | str | None,
    config: Config,
    since: str | None,
    offline: bool,
) -> tuple[ReleaseContext, list[Problem]]:
    git = open_repository(repo, config.timeout)
    settings = load_release_settings(git.root, config)
    now = parse_now(date, settings.tzinfo())
    project = read_project_info(git.root)
    notices: list[Problem] = []
    if git.head() is None:
        raise InputError(f'{git.root}: the repository has no commit yet')
    shallow = git.is_shallow()
    if shallow:
        notices.append(Problem(
            _RUN, Severity.WARNING,
            'this is a shallow clone: tags and history may be missing, so '
            'the semver, notes and immutability checks may be incomplete '
            '(fetch with --unshallow --tags)',
        ))
    tags = git.version_tags()
    version, origin = _proposed(git, tags, project, proposed)
    if version is None:
        notices.append(Problem(
            _RUN, Severity.INFO,
            'no proposed version: give --proposed VERSION (the project '
            'declares none and has no version tag)',
        ))
    elif origin != 'given':
        notices.append(Problem(
            _RUN, Severity.INFO, f'proposed version {version} ({origin})',
            {'proposed': version},
        ))
    previous = _previous(git, tags, version, since)
    if previous is None:
        notices.append(Problem(
            _RUN, Severity.INFO,
            'no previous release tag: treating this as the first release '
            '(checks that compare with a previous release are skipped)',
        ))
    if offline:
        notices.append(Problem(
            _RUN, Severity.INFO,
            'offline: checks against the package index are skipped',
        ))
    ctx = ReleaseContext(
        git=git, config=config, settings=settings, project=project,
        now=now, tags=tags, proposed=version, previous=previous,
        offline=offline, shallow=shallow,
    )
    return ctx, notices


def _graded(problem: Problem, settings: ReleaseSettings) -> Problem:
    override = settings.severity.get(problem.check)
    if override is None or problem.severity is Severity.INFO:
        return problem
    return dataclasses.replace(problem, severity=override)


def check(
    repo: str | os.PathLike[str] = '.',
    *,
    proposed: str | None = None,
    date: datetime.datetime | str | None = None,
    config: Config | None = None,
    since: str | None = None,
    offline: bool | None = None,
) -> list[Problem]:
    """Run the release checks on the git repository ``repo``.

    Every check the project has not disabled runs, on one shared
    :class:`ReleaseContext`; findings about the run itself (a first
    release, where the proposed version came from, offline mode) come
    under the check name ``release``.

    :param repo: the project's git repository (or a directory inside it).
    :param proposed: the version about to be released; default: pbr's
        next version for pbr projects (or when the project declares no
        version), else the declared version.
    :param date: "now" for the calendar check (an aware or naive
        datetime, or ISO 8601 text; default: the current time), read in
        the configured time zone when naive.
    :param config: settings (index, cache, timeout); default from the
        environment.
    :param since: the previous release (a git ref); default: the highest
        version tag reachable from HEAD below the proposed version.
    :param offline: skip the checks that need the package index (default:
        ``config.offline``).
    :returns: the problems found, errors first.
    :raises symbiosis.exception.InputError: ``repo`` is not a git
        repository, ``proposed``/``date``/``since`` is invalid, or the
        settings are.
    :raises symbiosis.exception.IndexUnreachable: the index cannot be
        reached (and ``offline`` is not set).
    """
    config = config if config is not None else Config.from_environ()
    offline = config.offline if offline is None else offline
    ctx, problems = _context(repo, proposed, date, config, since, offline)
    return _run(ctx, problems, None)


def check_notes(
    repo: str | os.PathLike[str] = '.',
    *,
    since: str | None = None,
    config: Config | None = None,
) -> list[Problem]:
    """Run the ``notes`` check alone, offline (``release notes``).

    :param since: the previous release as a git ref (default: the latest
        release tag).
    :returns: the problems, errors first (with those of the run itself).
    :raises symbiosis.exception.InputError: not a git repository, an
        invalid ``since``, or invalid settings.
    """
    config = config if config is not None else Config.from_environ()
    ctx, problems = _context(repo, None, None, config, since, True)
    return _run(ctx, problems, ('notes',))


def _run(
    ctx: ReleaseContext,
    problems: list[Problem],
    only: Collection[str] | None,
) -> list[Problem]:
    # Every enabled check (of those named in ``only``), after the
    # findings about the run; sorted errors first.
    from symbiosis.release._checks import load_checks

    for plugin in load_checks():
        if only is not None and plugin.name not in only:
            continue
        if not ctx.settings.enabled(plugin.name):
            problems.append(Problem(
                plugin.name, Severity.INFO, 'disabled by the project',
            ))
            continue
        LOG.debug('running release check %s', plugin.name)
        problems.extend(
            _graded(problem, ctx.settings) for problem in plugin.run(ctx)
        )
    return sorted(problems, key=lambda p: p.sort_key)


def draft_release_note(
    repo: str | os.PathLike[str] = '.',
    *,
    since: str | None = None,
    config: Config | None = None,
) -> tuple[pathlib.Path | None, str]:
    """Draft a reno note from the API changes since the previous release.

    The note is written under ``releasenotes/notes/`` as
    ``api-changes-<16 hex>.yaml`` and never replaces an existing file.

    :param since: the previous release as a git ref (default: the latest
        release tag).
    :returns: the path written (``None`` when there was nothing to
        say) and the ref compared with.
    :raises symbiosis.exception.InputError: not a git repository, or no
        previous release to compare with.
    """
    from symbiosis.release._notes import draft_note
    from symbiosis.release._notes import write_note

    config = config if config is not None else Config.from_environ()
    ctx, _ = _context(repo, None, None, config, since, True)
    # Whatever version comes next, the note covers what changed since
    # the latest release.
    ctx.previous = _previous(ctx.git, ctx.tags, None, since)
    if ctx.previous is None:
        raise InputError(
            f'{ctx.root}: no release tag to compare with: give --since REF'
        )
    diff = ctx.diff
    assert diff is not None
    text = draft_note(diff, since=ctx.previous.ref)
    if text is None:
        return None, ctx.previous.ref
    return write_note(ctx.root, text), ctx.previous.ref
