"""TARGETs that are archives: wheels and sdists.

Both are unpacked safely into the content-addressed cache
(:mod:`symbiosis.sources._unpack`). A wheel is read through its
``.dist-info``; an sdist's single top directory is read as a project
source tree, its ``PKG-INFO`` supplying the name and version that a
dynamic ``pyproject.toml`` leaves out.
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
import logging
import pathlib
import shutil

from symbiosis.config import Config
from symbiosis.exception import ArchiveError
from symbiosis.exception import TargetError
from symbiosis.exception import UnsafeArchive
from symbiosis.sources._base import Source
from symbiosis.sources._base import SourceTree
from symbiosis.sources._filenames import SDIST_SUFFIXES
from symbiosis.sources._filenames import parse_release_filename
from symbiosis.sources._local import find_dist_info
from symbiosis.sources._local import read_path
from symbiosis.sources._local import read_wheel_tree
from symbiosis.sources._unpack import DEFAULT_LIMITS
from symbiosis.sources._unpack import UnpackLimits
from symbiosis.sources._unpack import unpack_archive

__all__ = [
    'SdistSource',
    'WheelSource',
    'read_sdist',
    'read_wheel',
]

LOG = logging.getLogger(__name__)

def _name_version(archive: pathlib.Path) -> tuple[str | None, str | None]:
    parsed = parse_release_filename(archive.name)
    if parsed is None:
        return None, None
    return str(parsed.name), str(parsed.version)


def _install_data(target: str) -> Callable[[pathlib.Path], None]:
    """Return a ``prepare`` hook moving ``.data/purelib|platlib`` to root."""

    def prepare(root: pathlib.Path) -> None:
        for data in root.glob('*.data'):
            for scheme in ('purelib', 'platlib'):
                src = data / scheme
                if not src.is_dir():
                    continue
                # Links would point elsewhere once moved; wheels have none.
                for path in src.rglob('*'):
                    if path.is_symlink():
                        raise UnsafeArchive(
                            target,
                            str(path.relative_to(root)),
                            'symbolic link in a wheel',
                        )
                for item in src.iterdir():
                    dest = root / item.name
                    if not dest.exists():
                        item.rename(dest)
                    elif dest.is_dir() and item.is_dir():
                        shutil.copytree(item, dest, dirs_exist_ok=True)

    return prepare


def read_wheel(
    archive: pathlib.Path,
    target: str,
    config: Config,
    *,
    limits: UnpackLimits = DEFAULT_LIMITS,
) -> SourceTree:
    """Unpack the wheel ``archive`` and return its tree.

    :raises symbiosis.exception.ArchiveError: the wheel is corrupted or has
        no ``.dist-info`` directory.
    :raises symbiosis.exception.UnsafeArchive: the wheel is hostile.
    """
    name, version = _name_version(archive)
    root = unpack_archive(
        archive,
        config,
        target=target,
        limits=limits,
        prepare=_install_data(target),
    )
    dist_info = find_dist_info(root, name)
    if dist_info is None:
        raise ArchiveError(
            target, f'{archive.name}: no .dist-info directory (not a wheel)'
        )
    tree = read_wheel_tree(root, target, dist_info)
    return dataclasses.replace(
        tree, name=tree.name or name, version=tree.version or version
    )


def read_sdist(
    archive: pathlib.Path,
    target: str,
    config: Config,
    *,
    limits: UnpackLimits = DEFAULT_LIMITS,
) -> SourceTree:
    """Unpack the sdist ``archive`` and return its project tree.

    :raises symbiosis.exception.ArchiveError: the archive is corrupted.
    :raises symbiosis.exception.UnsafeArchive: the archive is hostile.
    :raises symbiosis.exception.TargetError: it holds no Python code.
    """
    root = unpack_archive(archive, config, target=target, limits=limits)
    entries = [p for p in root.iterdir() if not p.name.startswith('.')]
    top = entries[0] if len(entries) == 1 and entries[0].is_dir() else root
    tree = read_path(top, target)
    name, version = _name_version(archive)
    return dataclasses.replace(
        tree, name=tree.name or name, version=tree.version or version
    )


def _existing(target: str) -> pathlib.Path:
    path = pathlib.Path(target).expanduser()
    if not path.is_file():
        raise TargetError(target, 'no such file')
    return path


class WheelSource(Source):
    """Source for wheel files (``.whl``)."""

    priority = 20

    def accepts(self, target: str) -> bool:
        """Whether ``target`` names a ``.whl`` file."""
        return target.lower().endswith('.whl') and not target.startswith(
            'git:'
        )

    def fetch(self, target: str) -> SourceTree:
        """Unpack and read the wheel ``target``."""
        return read_wheel(_existing(target), target, self.config)


class SdistSource(Source):
    """Source for sdists (``.tar.gz``, ``.tgz``, ``.tar.bz2``, ``.zip``...)."""

    priority = 20

    def accepts(self, target: str) -> bool:
        """Whether ``target`` names an sdist archive file."""
        return target.lower().endswith(SDIST_SUFFIXES) and not (
            target.startswith('git:')
        )

    def fetch(self, target: str) -> SourceTree:
        """Unpack and read the sdist ``target``."""
        return read_sdist(_existing(target), target, self.config)
