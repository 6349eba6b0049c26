"""Turn a gate SPEC into what an installer understands.

A SPEC is a version of the upstream (``0.7.16`` -> ``UPSTREAM==0.7.16``),
a requirement (``>=2.1,<3`` -> ``UPSTREAM>=2.1,<3``; ``UPSTREAM==1.0`` as
is), or a TARGET: a source tree, a wheel or an sdist (installed from its
path) or ``git:REF[:SUBDIR]`` (checked out with
:func:`symbiosis.sources.resolve_target`, then installed from that tree).
Local inputs get a content fingerprint so a changed tree gets a fresh
environment.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import hashlib
import logging
import os
import pathlib
import re
from typing import TYPE_CHECKING

from symbiosis import exception

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    from symbiosis.config import Config
    from symbiosis.gate._plan import Slot
    from symbiosis.sources._releases import ProjectReleases

__all__ = ['InstallSpec', 'check_release', 'check_specs', 'fingerprint_path',
           'is_exact', 'resolve_spec', 'yank_reason', 'yank_reasons']

LOG = logging.getLogger(__name__)

_ARCHIVES = ('.whl', '.tar.gz', '.zip', '.tgz', '.tar.bz2')
_SKIPPED = frozenset({'.git', '.hg', '__pycache__', '.tox', '.nox',
                      '.venv', 'venv', 'build', 'dist', '.mypy_cache',
                      '.ruff_cache', '.stestr', '.eggs'})
_PROJECT_FILES = ('pyproject.toml', 'setup.py', 'setup.cfg')


@dataclasses.dataclass(frozen=True)
class InstallSpec:
    """A resolved SPEC.

    :param spec: the SPEC as given.
    :param install: the installer argument (a requirement or a path).
    :param local: whether ``install`` is a local path.
    :param fingerprint: digest of a local input's content ('' otherwise).
    """

    spec: str
    install: str
    local: bool = False
    fingerprint: str = ''


def fingerprint_path(path: pathlib.Path) -> str:
    """Return a SHA-256 digest of a file or a source tree's files.

    Version-control, cache and build directories are skipped.
    """
    digest = hashlib.sha256()
    if path.is_file():
        with open(path, 'rb') as handle:
            for block in iter(lambda: handle.read(1 << 20), b''):
                digest.update(block)
        return digest.hexdigest()
    for current, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED
                         and not d.endswith('.egg-info'))
        for name in sorted(files):
            if name.endswith(('.pyc', '.pyo')):
                continue
            file = pathlib.Path(current) / name
            digest.update(file.relative_to(path).as_posix().encode())
            digest.update(b'\0')
            try:
                digest.update(file.read_bytes())
            except OSError:
                continue
            digest.update(b'\0')
    return digest.hexdigest()


def _is_project(path: pathlib.Path) -> bool:
    return any((path / f).is_file() for f in _PROJECT_FILES)


def _project_root(root: pathlib.Path) -> pathlib.Path | None:
    for candidate in (root, *list(root.parents)[:2]):
        if _is_project(candidate):
            return candidate
    return None


def _installed_from(spec: str, path: pathlib.Path) -> InstallSpec:
    # A local project or archive, installed from its path.
    return InstallSpec(spec, str(path), True, fingerprint_path(path))


def _local(spec: str, path: pathlib.Path) -> InstallSpec:
    path = path.resolve()
    if path.is_dir():
        if not _is_project(path):
            raise exception.TargetError(
                spec, 'not a Python project (no pyproject.toml, setup.py '
                'or setup.cfg)'
            )
    elif not path.name.endswith(_ARCHIVES):
        raise exception.TargetError(
            spec, 'not a source tree, a wheel or an sdist'
        )
    else:
        _check_archive(spec, path)
    return _installed_from(spec, path)


def _from_git(text: str, config: Config, repo: str | None) -> InstallSpec:
    try:
        from symbiosis.sources import resolve_target  # type: ignore[attr-defined,unused-ignore]
    except ImportError as err:  # pragma: no cover - sources not installed
        raise exception.InputError(
            f'{text}: git targets need symbiosis.sources'
        ) from err
    tree = resolve_target(
        text, config, repo=pathlib.Path(repo) if repo else None)
    root = _project_root(pathlib.Path(tree.root))
    if root is None:
        raise exception.TargetError(
            text, 'the checkout has no pyproject.toml, setup.py or setup.cfg'
        )
    return _installed_from(text, root)


def _check_archive(spec: str, path: pathlib.Path) -> None:
    """An empty or corrupted wheel or sdist is bad input, named now --
    not an installer failure once environments are being built."""
    from symbiosis.sources._unpack import check_archive

    names = check_archive(path, target=spec)
    if path.name.endswith('.whl') and not any(
            '.dist-info/' in name for name in names):
        raise exception.ArchiveError(
            spec, 'no .dist-info directory (not a wheel)')


def resolve_spec(
    upstream: str,
    spec: str,
    config: Config,
    *,
    repo: str | None = None,
) -> InstallSpec:
    """Resolve ``spec`` for the distribution ``upstream``.

    :raises symbiosis.exception.InputError: the SPEC is neither a version,
        a requirement nor an existing TARGET.
    """
    text = spec.strip()
    if not text:
        raise exception.InputError('an empty SPEC')
    if text.startswith('git:'):
        return _from_git(text, config, repo)
    path = pathlib.Path(text).expanduser()
    if path.exists():
        return _local(text, path)
    # Only a SPEC that is not a path needs the version grammar (a
    # noticeable share of a warm gate of local trees or wheels).
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement
    from packaging.specifiers import InvalidSpecifier
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion
    from packaging.version import Version

    try:
        Version(text)
    except InvalidVersion:
        pass
    else:
        return InstallSpec(text, f'{upstream}=={text}')
    if re.match(r'^\s*(===|==|!=|~=|<=|>=|<|>)', text):
        try:
            SpecifierSet(text)
        except InvalidSpecifier as err:
            raise exception.InputError(f'{text}: {err}') from err
        return InstallSpec(text, f'{upstream}{text}')
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        requirement = None
    if requirement is not None and canonicalize_name(
            requirement.name) == canonicalize_name(upstream):
        return InstallSpec(text, text)
    looks_local = os.sep in text or text.endswith(_ARCHIVES)
    raise exception.InputError(
        f'{text}: no such file or directory' if looks_local else
        f'{text}: not a version of {upstream}, a requirement, a path, a '
        'wheel, an sdist or git:REF'
    )


def check_release(
    upstream: str,
    spec: InstallSpec,
    config: Config,
    *,
    other_sources: Sequence[str] = (),
    cached: bool = False,
) -> str | None:
    """Fail early when no release of ``upstream`` matches ``spec``.

    Only SPECs installed from the index (a version or a requirement) are
    checked, against the configured indexes' project pages: for a pinned
    version the cached page first, a fresh one when the cached page has no
    match (a release may be newer than the cache); for a range a fresh page,
    since its newest release is what it resolves to. Offline, a cached page is
    enough to tell that a version does not exist. When the index cannot be
    asked (offline without a cached page, unreachable) nothing is decided here:
    the installer has the last word, and its failure is an infrastructure
    error.

    :param other_sources: what else the installer finds releases in
        (``UV_FIND_LINKS``...); when any, nothing is checked.
    :param cached: the environments of an exact pin are cached: the
        cached page is read whatever its age, and the index asked only
        when that page does not list the release (nothing is installed
        from the index, so a round trip would only repeat what the
        cache says).
    :returns: the newest release the index lists that matches (what an
        installer would most likely pick), or ``None`` when nothing was
        checked.

    :raises symbiosis.exception.DistributionNotFound: no index knows
        ``upstream`` (exit 2).
    :raises symbiosis.exception.VersionNotFound: a pinned version does not
        exist; the nearest ones (never yanked) are named (exit 2).
    :raises symbiosis.exception.TargetError: a pinned version was deleted
        from the index (exit 2).
    :raises symbiosis.exception.InputError: no release matches a
        requirement (exit 2).
    """
    if spec.local:
        return None
    if other_sources:
        LOG.debug('%s %s: not checked on the index: the installer also '
                  'uses %s', upstream, spec.spec, ', '.join(other_sources))
        return None
    if cached and is_exact(spec) and not config.offline:
        try:
            return check_release(upstream, spec, _offline(config),
                                 other_sources=other_sources)
        except exception.InputError:
            LOG.debug('%s %s: not on the cached index page; asking the '
                      'index', upstream, spec.spec)
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement

    from symbiosis.sources._index import nearest_versions
    from symbiosis.sources._releases import fetch_releases
    from symbiosis.sources._simple import redact

    try:
        requirement = Requirement(spec.install)
    except InvalidRequirement:
        return None
    releases: ProjectReleases | None = None
    # A pin's page may come from the cache (fetched again before saying
    # "no such release"); a range's newest release needs a fresh page.
    for refresh in (False, True) if is_exact(spec) else (True,):
        if refresh and config.offline and releases is not None:
            break
        try:
            releases = fetch_releases(upstream, config, refresh=refresh)
        except exception.InfrastructureError as err:
            LOG.debug('%s %s: not checked on the index: %s', upstream,
                      spec.spec, err)
            return None
        best = None if releases is None else _best(requirement, releases)
        if best is not None:
            return best
    if releases is None:
        indexes = [config.index_url, *config.extra_index_urls]
        raise exception.DistributionNotFound(
            spec.spec, upstream,
            'on the package index ' + ', '.join(redact(i) for i in indexes))
    # Never suggest a yanked release instead.
    available = [str(v) for v in sorted(
        {f.version for f in releases.files
         if f.version is not None and not f.yanked})]
    pins = _pins(requirement.specifier)
    if len(requirement.specifier) == 1 and pins:
        nearest = nearest_versions(pins[0], available)
        if _deleted(releases, pins[0]):
            hint = (f'; nearest available: {", ".join(nearest[:5])}'
                    if nearest else '')
            raise exception.TargetError(
                spec.install, f'{upstream} {pins[0]} was deleted from the '
                f'index (it lists the version but none of its files){hint}')
        raise exception.VersionNotFound(
            spec.install, upstream, pins[0], nearest)
    latest = f' (latest: {available[-1]})' if available else ''
    raise exception.InputError(
        f'{spec.spec}: no release of {upstream} matches '
        f'{requirement.specifier}{latest}')


def check_specs(
    upstream: str,
    specs: dict[Slot, InstallSpec],
    config: Config,
    *,
    other_sources: Sequence[str] = (),
    cached: Collection[str] = (),
) -> dict[str, str]:
    """Check every SPEC of a gate against the index, before anything is
    built (see :func:`check_release`; each install SPEC is asked once).

    A requirement (``>=2.1,<3``) resolves to whatever is newest: the
    release it resolves to now joins its fingerprint in ``specs``
    (updated in place), so a new release gets a new environment instead
    of the cached one.

    :returns: the yank reason of each SPEC pinning a yanked release (see
        :func:`yank_reasons`).
    """
    resolved = {
        install: check_release(upstream, spec, config,
                               other_sources=other_sources,
                               cached=install in cached)
        for install, spec in {s.install: s for s in specs.values()}.items()
    }
    # A release pinned on purpose may be yanked: say so (and why).
    yanked = yank_reasons(upstream, specs, resolved, config, cached=cached)
    for slot, spec in specs.items():
        newest = resolved[spec.install]
        if newest is not None and not is_exact(spec):
            specs[slot] = dataclasses.replace(
                spec, fingerprint=f'{spec.fingerprint}newest={newest}')
    return yanked


def _offline(config: Config) -> Config:
    """``config`` reading index pages from the cache alone."""
    return dataclasses.replace(config, offline=True)


def _deleted(releases: ProjectReleases, version: str) -> bool:
    """Whether the index names ``version`` (PEP 700) without a file."""
    from packaging.version import InvalidVersion
    from packaging.version import Version

    try:
        wanted = Version(version)
    except InvalidVersion:
        return False
    return wanted in releases.versions and not releases.files_of(wanted)


def yank_reason(spec: InstallSpec, config: Config) -> str | None:
    """The yank reason of the release an exact pin installs (``''``
    when the index gives none); ``None`` when it is not yanked, or not a
    pin, or the index cannot say.

    Read from the project page :func:`check_release` fetched (cached).
    """
    from symbiosis.sources._releases import release_state

    if spec.local or not is_exact(spec):
        return None
    state = release_state(spec.install, config)
    return None if state is None else state.yanked


def yank_reasons(
    upstream: str,
    specs: Mapping[Slot, InstallSpec],
    resolved: Mapping[str, str | None],
    config: Config,
    *,
    cached: Collection[str] = (),
) -> dict[str, str]:
    """Each side's yank reason, for the sides pinning a yanked release
    (a candidate of a gate of several under its SPEC).

    :param resolved: what :func:`check_release` said of each install
        SPEC (``None``: the index was not asked, so neither is it here).
    :param cached: install SPECs read from the cached index page alone
        (see :func:`check_release`).
    """
    found: dict[str, str] = {}
    for (side, candidate), spec in specs.items():
        if resolved.get(spec.install) is None:
            continue
        reason = yank_reason(spec, _offline(config)
                             if spec.install in cached else config)
        if reason is not None:
            LOG.info('the %s %s %s is yanked: %s', side, upstream,
                     spec.spec, reason or 'no reason given')
            found[side.value if candidate is None else candidate] = reason
    return found


def is_exact(spec: InstallSpec) -> bool:
    """Whether ``spec`` pins one version (``==1.0``), so that the same
    SPEC always installs the same release."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement

    if spec.local:
        return True
    try:
        specifier = Requirement(spec.install).specifier
    except InvalidRequirement:
        return False
    return bool(_pins(specifier))


def _pins(specifier: SpecifierSet) -> list[str]:
    """The versions ``specifier`` pins exactly (``==1.0``, ``===1.0``;
    not ``==1.*``)."""
    return [s.version for s in specifier
            if s.operator in ('==', '===') and '*' not in s.version]


def _best(requirement: Requirement, releases: ProjectReleases) -> str | None:
    """The newest installable release satisfying ``requirement``.

    Yanked files count only for an exact pin (PEP 592).
    """
    specifier = requirement.specifier
    pinned = bool(_pins(specifier))
    versions = {f.version for f in releases.files
                if f.version is not None and (pinned or not f.yanked)}
    matching = list(specifier.filter(versions))
    return str(max(matching)) if matching else None
