"""The candidates of a gate: SPECs given, and ranges of releases expanded.

``--candidate SPEC`` may be given several times, and ``--candidate-range
SPEC`` (``'>0.7.15'``) stands for every release of the upstream the index
lists in that range, oldest first: yanked releases are left out (a
release is yanked when every file of it is), and so are pre-releases
unless asked for. A range that matches no release is bad input.
"""

from __future__ import annotations

from collections.abc import Sequence
import logging
from typing import TYPE_CHECKING

from symbiosis import exception

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = ['expand_candidates', 'expand_range']

LOG = logging.getLogger(__name__)


def expand_range(
    upstream: str, text: str, config: Config, *, pre: bool = False
) -> tuple[str, ...]:
    """Every release of ``upstream`` the index lists in the range
    ``text``, oldest first.

    :param pre: include pre-releases (and development releases).
    :raises symbiosis.exception.InputError: ``text`` is not a version
        range, or no release is in it (exit 2).
    :raises symbiosis.exception.DistributionNotFound: no index knows
        ``upstream`` (exit 2).
    :raises symbiosis.exception.InfrastructureError: the index cannot be
        asked (exit 3).
    """
    from packaging.specifiers import InvalidSpecifier
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from symbiosis.sources._releases import fetch_releases
    from symbiosis.sources._simple import redact

    where = f'--candidate-range {text}'
    try:
        specifier = SpecifierSet(text.strip())
    except InvalidSpecifier as err:
        raise exception.InputError(
            f'{where}: not a version range ({err})') from err
    if not len(specifier):
        raise exception.InputError(
            f"{where}: not a version range (such as '>0.7.15')")
    releases = fetch_releases(upstream, config, refresh=not config.offline)
    if releases is None:
        indexes = [config.index_url, *config.extra_index_urls]
        raise exception.DistributionNotFound(
            text, upstream,
            'on the package index ' + ', '.join(redact(i) for i in indexes))
    files: dict[Version, list[bool]] = {}
    for release_file in releases.files:
        if release_file.version is not None:
            files.setdefault(release_file.version, []).append(
                release_file.yanked)
    # A release stays installable while any of its files is not yanked.
    available = sorted(v for v, yanked in files.items() if not all(yanked))
    found = tuple(str(v) for v in specifier.filter(available,
                                                   prereleases=pre))
    if not found:
        skipped = [v for v in available
                   if not pre and v.is_prerelease
                   and specifier.contains(v, prereleases=True)]
        hint = (f'; pre-releases in it: {", ".join(map(str, skipped))} '
                '(give --pre)' if skipped else '')
        final = [v for v in available if pre or not v.is_prerelease]
        newest = (final or available)[-1:]
        latest = f' (latest: {newest[0]})' if newest else ''
        raise exception.InputError(
            f'{where}: no release of {upstream} in that range'
            f'{latest}{hint}')
    LOG.info('%s: %s', where, ', '.join(found))
    return found


def expand_candidates(
    upstream: str,
    candidates: Sequence[str],
    ranges: Sequence[str],
    config: Config,
    *,
    pre: bool = False,
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The candidate SPECs: those given, then each range's releases (each
    SPEC once).

    :returns: the SPECs, and each range with the releases it expanded
        to.
    :raises symbiosis.exception.InputError: a range is not one, or holds
        no release.
    """
    expanded = {text: expand_range(upstream, text, config, pre=pre)
                for text in dict.fromkeys(ranges)}
    specs = dict.fromkeys(
        [*candidates, *(v for found in expanded.values() for v in found)])
    return tuple(specs), expanded
