"""The installed version of symbiosis, as computed by pbr at build time."""

from __future__ import annotations

import os
import sys

__all__ = ['version_string']

#: The distribution's metadata directories, and the file in each that
#: holds the ``Version:`` header.
_METADATA_FILES = {'.dist-info': 'METADATA', '.egg-info': 'PKG-INFO'}


def version_string() -> str:
    """Return the version of the installed symbiosis distribution.

    pbr writes the version (derived from git tags) into the distribution's
    metadata when it is built; reading it back needs no git and no pbr.
    The metadata directory is read directly when it is found plainly on
    ``sys.path`` (importing :mod:`importlib.metadata` costs more than
    starting the interpreter); anything less plain is left to
    :mod:`importlib.metadata`, which gives the same answer.
    """
    found = _read_version()
    if found is not None:
        return found
    import importlib.metadata

    try:
        return importlib.metadata.version('symbiosis')
    except importlib.metadata.PackageNotFoundError:
        # Running from a source tree that was never installed.
        return '0.0.0+unknown'


def _read_version() -> str | None:
    """The version in the first ``symbiosis`` metadata directory on
    ``sys.path``, in the order :mod:`importlib.metadata` searches;
    ``None`` when the search is not plain (two candidates in one
    directory, a metadata file, an unreadable header)."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or '.')
        except OSError:
            continue
        found = [name for name in names if _is_ours(name)]
        if not found:
            continue
        if len(found) > 1:
            return None
        path = os.path.join(entry or '.', found[0])
        suffix = os.path.splitext(found[0])[1]
        return _header_version(
            os.path.join(path, _METADATA_FILES[suffix.lower()]))
    return None


def _is_ours(name: str) -> bool:
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in ('.dist-info', '.egg-info'):
        return False
    # importlib.metadata compares names case-insensitively, ``-``, ``_``
    # and ``.`` alike; the directory name may carry ``-VERSION``.
    project = stem.partition('-')[0].lower().replace('.', '_')
    return project == 'symbiosis'


def _header_version(path: str) -> str | None:
    try:
        with open(path, encoding='utf-8') as stream:
            for line in stream:
                if not line.strip():
                    # The headers end at the first blank line.
                    return None
                key, _, value = line.partition(':')
                if key.strip().lower() == 'version':
                    return value.strip() or None
    except (OSError, UnicodeDecodeError):
        return None
    return None
