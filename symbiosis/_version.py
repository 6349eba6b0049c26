"""The installed version of symbiosis, as computed by pbr at build time."""

from __future__ import annotations

import importlib.metadata

__all__ = ['version_string']


def version_string() -> str:
    """Return the version of the installed symbiosis distribution.

    pbr writes the version (derived from git tags) into the distribution's
    metadata when it is built; reading it back needs no git and no pbr.
    """
    try:
        return importlib.metadata.version('symbiosis')
    except importlib.metadata.PackageNotFoundError:
        # Running from a source tree that was never installed.
        return '0.0.0+unknown'
