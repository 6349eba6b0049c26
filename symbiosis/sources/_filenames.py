"""What a release file's name says: project, version, wheel or sdist.

Wheels are read by :func:`packaging.utils.parse_wheel_filename`. Sdists
come in more shapes than :func:`packaging.utils.parse_sdist_filename`
knows: besides ``.tar.gz`` and ``.zip``, older releases were uploaded as
``.tgz``, ``.tar.bz2``, ``.tar.xz``, plain ``.tar``... (every suffix in
:data:`SDIST_SUFFIXES`), and before names were normalised in file names
both the project name and the version could contain dashes
(``python-dateutil-2.8.0.tar.gz``, ``foo-1.0-beta.tar.gz``). An sdist
name is split where packaging splits it (at the last dash) when that gives
a valid version; otherwise at the first dash that does. When the project
is known, a split whose name is that project wins, as installers do.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.tags import Tag
    from packaging.utils import NormalizedName
    from packaging.version import Version

__all__ = [
    'SDIST_SUFFIXES',
    'ReleaseFilename',
    'parse_release_filename',
    'sdist_suffix',
]

#: File name suffixes of sdists, the standard ones first.
SDIST_SUFFIXES = (
    '.tar.gz',
    '.zip',
    '.tgz',
    '.tar.bz2',
    '.tbz',
    '.tbz2',
    '.tar.xz',
    '.txz',
    '.tar',
)


@dataclasses.dataclass(frozen=True)
class ReleaseFilename:
    """The parts of a wheel or sdist file name.

    :param name: the project name, normalised (PEP 503).
    :param version: the version.
    :param kind: ``wheel`` or ``sdist``.
    :param tags: a wheel's compatibility tags (empty for an sdist).
    """

    name: NormalizedName
    version: Version
    kind: str
    tags: frozenset[Tag] = frozenset()


def sdist_suffix(filename: str) -> str | None:
    """The sdist suffix ``filename`` ends with (in any case), if any."""
    lowered = filename.lower()
    for suffix in SDIST_SUFFIXES:
        if lowered.endswith(suffix):
            return suffix
    return None


def _version(text: str) -> Version | None:
    from packaging.version import InvalidVersion
    from packaging.version import Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


def _split_sdist(
    stem: str, project: str | None
) -> tuple[NormalizedName, Version] | None:
    from packaging.utils import InvalidSdistFilename
    from packaging.utils import canonicalize_name
    from packaging.utils import parse_sdist_filename
    from packaging.version import InvalidVersion

    dashes = [i for i, char in enumerate(stem) if char == '-']
    if project is not None:
        wanted = canonicalize_name(project)
        for i in dashes:
            if canonicalize_name(stem[:i]) == wanted:
                version = _version(stem[i + 1:])
                if version is not None:
                    return wanted, version
    try:
        name, version = parse_sdist_filename(f'{stem}.tar.gz')
    except (InvalidSdistFilename, InvalidVersion):
        pass
    else:
        if name:
            return name, version
    for i in dashes:
        version = _version(stem[i + 1:])
        if i and version is not None:
            return canonicalize_name(stem[:i]), version
    return None


def parse_release_filename(
    filename: str, *, project: str | None = None
) -> ReleaseFilename | None:
    """Read the project, version and kind from a release file's name.

    :param filename: a wheel or sdist file name (no directory).
    :param project: the project the file is expected to belong to; it
        decides between the splits of a legacy sdist name with dashes
        in its version (``foo-1.0-1.tar.gz``).
    :returns: ``None`` when the name is not that of a wheel or sdist
        (eggs, installers, signatures...) or carries no valid version.
    """
    # packaging is imported here, not with the module: the path source
    # needs only SDIST_SUFFIXES, and packaging.tags (with platform and
    # subprocess) is a large part of a warm ``api dump``'s start-up.
    from packaging.utils import InvalidWheelFilename
    from packaging.utils import parse_wheel_filename
    from packaging.version import InvalidVersion

    if filename.lower().endswith('.whl'):
        try:
            name, version, _build, tags = parse_wheel_filename(filename)
        except (InvalidWheelFilename, InvalidVersion):
            return None
        return ReleaseFilename(name, version, 'wheel', frozenset(tags))
    suffix = sdist_suffix(filename)
    if suffix is None:
        return None
    found = _split_sdist(filename[: -len(suffix)], project)
    if found is None:
        return None
    return ReleaseFilename(found[0], found[1], 'sdist')
