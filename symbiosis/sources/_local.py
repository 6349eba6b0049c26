"""TARGETs that are paths: source trees, package directories, module files.

A path may name

* a project source tree (``pyproject.toml``, ``setup.cfg``, ``setup.py``
  or ``PKG-INFO``; ``src/`` layout too), read by
  :func:`symbiosis.sources._project.read_project`;
* a bare package directory (one with ``__init__.py``): its parent is the
  root and its name the only import name;
* a single module file (``.py``/``.pyi``);
* an unpacked wheel or a ``site-packages``-like directory holding a
  ``.dist-info`` directory, read like a wheel;
* any other directory of packages and modules, read by layout.
"""

from __future__ import annotations

import logging
import os
import pathlib

from symbiosis.exception import TargetError
from symbiosis.sources._base import Source
from symbiosis.sources._base import SourceTree
from symbiosis.sources._filenames import SDIST_SUFFIXES
from symbiosis.sources._layout import scan_layout
from symbiosis.sources._metadata import CoreMetadata
from symbiosis.sources._metadata import described_tree
from symbiosis.sources._metadata import existing_top_level
from symbiosis.sources._metadata import parse_core_metadata
from symbiosis.sources._metadata import parse_entry_points
from symbiosis.sources._metadata import top_level_from_paths
from symbiosis.sources._project import is_project
from symbiosis.sources._project import read_project

__all__ = ['PathSource', 'find_dist_info', 'read_path', 'read_wheel_tree']

LOG = logging.getLogger(__name__)

#: Suffixes handled by the archive sources rather than this one.
ARCHIVE_SUFFIXES = ('.whl', *SDIST_SUFFIXES)


def find_dist_info(
    root: pathlib.Path, name: str | None = None
) -> pathlib.Path | None:
    """Return the ``*.dist-info`` directory under ``root``.

    :param name: prefer the one of this distribution (normalised as in
        wheel file names) when there are several.
    """
    found = sorted(p for p in root.glob('*.dist-info') if p.is_dir())
    if name is not None:
        wanted = name.lower().replace('-', '_').replace('.', '_')
        for path in found:
            if path.name.split('-', 1)[0].lower() == wanted:
                return path
    return found[0] if found else None


def _read_text(path: pathlib.Path) -> str | None:
    if path.is_file():
        return path.read_text(encoding='utf-8', errors='replace')
    return None


def read_wheel_tree(
    root: pathlib.Path, target: str, dist_info: pathlib.Path
) -> SourceTree:
    """Return the tree of an unpacked wheel (or installed files) at ``root``.

    Metadata comes from ``dist_info``: ``METADATA``, ``entry_points.txt``
    and the import names from ``top_level.txt``, else ``RECORD``, else the
    layout of ``root``.

    :raises symbiosis.exception.TargetError: no import name is found.
    """
    meta = parse_core_metadata(_read_text(dist_info / 'METADATA') or '')
    eps = parse_entry_points(_read_text(dist_info / 'entry_points.txt') or '')
    top: tuple[str, ...] = ()
    listed = _read_text(dist_info / 'top_level.txt')
    if listed:
        top = existing_top_level(root, listed.split())
    if not top:
        record = _read_text(dist_info / 'RECORD') or ''
        paths = [
            line.rsplit(',', 2)[0]
            for line in record.splitlines()
            if line.strip()
        ]
        top = existing_top_level(root, top_level_from_paths(paths))
    if not top:
        top = scan_layout(root, dist_name=meta.name)
    if not top:
        raise TargetError(
            target, f'no Python package or module found in {root}'
        )
    return described_tree(target, root, top, meta, eps)


def read_path(
    path: pathlib.Path,
    target: str,
    *,
    defaults: CoreMetadata | None = None,
) -> SourceTree:
    """Return the :class:`SourceTree` of a local file or directory.

    :param path: the file or directory (see the module docstring).
    :param target: the TARGET text, recorded on the tree.
    :param defaults: metadata known from elsewhere, winning over files.
    :raises symbiosis.exception.TargetError: ``path`` does not exist or
        holds no Python code.
    """
    if path.is_file():
        stem, _, suffix = path.name.rpartition('.')
        if suffix not in ('py', 'pyi') or not stem.isidentifier():
            raise TargetError(
                target, 'not a Python module, project directory or archive'
            )
        return SourceTree(
            target=target, root=path.parent.resolve(), top_level=(stem,)
        )
    if not path.is_dir():
        raise TargetError(target, 'no such file or directory')
    path = path.resolve()
    if is_project(path):
        return read_project(path, target, defaults=defaults)
    if (path / '__init__.py').is_file() or (path / '__init__.pyi').is_file():
        if not path.name.isidentifier():
            raise TargetError(
                target, f'{path.name!r} is not an importable package name'
            )
        return SourceTree(
            target=target, root=path.parent, top_level=(path.name,)
        )
    dist_info = find_dist_info(path)
    if dist_info is not None:
        return read_wheel_tree(path, target, dist_info)
    names = scan_layout(path)
    if not names:
        raise TargetError(
            target, f'no Python package or module found in {path}'
        )
    return SourceTree(target=target, root=path, top_level=names)


def looks_like_path(target: str) -> bool:
    """Whether ``target`` is meant as a path, existing or not."""
    if target.startswith('git:') or '==' in target:
        return False
    if os.path.exists(target):
        return True
    return (
        '/' in target
        or os.sep in target
        or target.startswith(('.', '~'))
        or target.endswith(('.py', '.pyi'))
    )


class PathSource(Source):
    """Source for directories and module files on the local disk."""

    priority = 30

    def accepts(self, target: str) -> bool:
        """Whether ``target`` is a path that is not an archive."""
        return looks_like_path(target) and not target.lower().endswith(
            ARCHIVE_SUFFIXES
        )

    def fetch(self, target: str) -> SourceTree:
        """Read the directory or module file ``target``."""
        return read_path(pathlib.Path(target).expanduser(), target)
