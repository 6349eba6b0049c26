"""The files of a downstream: its Python sources and packaging metadata.

The downstream may be a directory (every ``.py`` file under it, skipping
version-control, virtualenv, build and cache directories), a single
``.py`` file, or a wheel or sdist (unpacked through
:func:`symbiosis.sources.resolve_target`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pathlib

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.usage._entrypoints import CONFIG_FILES

__all__ = [
    'SKIPPED_DIRS',
    'DownstreamFiles',
    'downstream_files',
    'find_downstream_files',
]

LOG = logging.getLogger(__name__)

#: Directories never entered: version control, environments, builds,
#: caches and installed packages.
SKIPPED_DIRS = frozenset({
    '.git', '.hg', '.svn', '.tox', '.nox', '.venv', 'venv', '.eggs',
    'build', 'node_modules', '__pycache__', 'site-packages',
    'dist-packages', '.mypy_cache', '.pytest_cache', '.ruff_cache',
})


@dataclasses.dataclass(frozen=True)
class DownstreamFiles:
    """A downstream's root, ``.py`` files and packaging metadata files."""

    root: pathlib.Path
    python: list[tuple[str, str, int]]  # absolute path, rel, size
    config: list[tuple[str, str]]  # absolute path, rel
    stamps: dict[str, tuple[int, int, int]] = dataclasses.field(
        default_factory=dict)


def find_downstream_files(
    root: pathlib.Path | str,
    stamps: dict[str, tuple[int, int, int]] | None = None,
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str]]]:
    """Return the Python and metadata files of the downstream ``root``.

    :param stamps: filled in with each ``.py`` file's ``(mtime_ns,
        ctime_ns, inode)`` by its relative path, when given.

    :returns: ``([(path, rel, size)], [(path, rel)])``: absolute paths,
        POSIX paths relative to ``root`` and sizes of the ``.py`` files, and
        the ``setup.cfg``/``pyproject.toml``/``entry_points.txt`` files.
        Skips :data:`SKIPPED_DIRS`, directories holding a ``pyvenv.cfg``
        (virtual environments under any name) and symbolic links to
        directories.
    """
    python: list[tuple[str, str, int]] = []
    config: list[tuple[str, str]] = []
    stack: list[tuple[str, str]] = [(os.fspath(root), '')]
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as err:
            LOG.debug('cannot list %s: %s', directory, err)
            continue
        if prefix and any(e.name == 'pyvenv.cfg' for e in entries):
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIPPED_DIRS:
                        subdirs.append((entry.path, f'{prefix}{name}/'))
                    continue
                if name.endswith('.py'):
                    stat = entry.stat()
                    python.append((entry.path, prefix + name, stat.st_size))
                    if stamps is not None:
                        stamps[prefix + name] = (
                            stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
                elif name in CONFIG_FILES:
                    config.append((entry.path, prefix + name))
            except OSError:
                continue
        stack.extend(sorted(subdirs, reverse=True))
    return python, config


def downstream_files(
    path: str | os.PathLike[str], config: Config
) -> DownstreamFiles:
    """The files of the downstream at ``path`` (see the module)."""
    text = os.fspath(path)
    target = pathlib.Path(text)
    if not target.exists():
        raise exception.TargetError(text, 'no such file or directory')
    if target.is_dir():
        root = target
    elif target.suffix in ('.py', '.pyi'):
        size = target.stat().st_size
        return DownstreamFiles(
            target.parent, [(str(target), target.name, size)], [])
    else:
        root = _unpack(text, config)
    stamps: dict[str, tuple[int, int, int]] = {}
    python, metadata = find_downstream_files(root, stamps)
    return DownstreamFiles(root, python, metadata, stamps)


def _unpack(target: str, config: Config) -> pathlib.Path:
    """The root of an archive's files, through the sources layer."""
    try:
        from symbiosis.sources import resolve_target
    except ImportError as err:  # pragma: no cover - sources not installed
        raise exception.TargetError(
            target, 'cannot read archives: symbiosis.sources is unavailable'
        ) from err
    tree = resolve_target(target, config)
    return pathlib.Path(tree.root)
