"""TARGETs that name a distribution installed in the running environment.

The files are located through :mod:`importlib.metadata` and read from
disk; nothing is imported. An editable install whose ``direct_url.json``
points at a local directory is read as that project source tree, with the
installed metadata (name, version, extras...) winning.
"""

from __future__ import annotations

import ast
import dataclasses
from importlib import metadata as importlib_metadata
import json
import logging
import pathlib
import re
import sys
import urllib.parse
import urllib.request

from symbiosis.exception import DistributionNotFound
from symbiosis.exception import TargetError
from symbiosis.sources._base import Source
from symbiosis.sources._base import SourceTree
from symbiosis.sources._local import looks_like_path
from symbiosis.sources._local import read_path
from symbiosis.sources._metadata import CoreMetadata
from symbiosis.sources._metadata import described_tree
from symbiosis.sources._metadata import existing_top_level
from symbiosis.sources._metadata import top_level_from_paths

__all__ = ['InstalledSource', 'read_installed']

LOG = logging.getLogger(__name__)

#: A distribution name (PEP 508).
NAME_RE = re.compile(r'^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$', re.I)


def _field(meta: importlib_metadata.PackageMetadata, key: str) -> str | None:
    try:
        value = meta[key]
    except KeyError:
        return None
    return None if value is None else str(value)


def _core(dist: importlib_metadata.Distribution) -> CoreMetadata:
    meta = dist.metadata
    extras = meta.get_all('Provides-Extra') or []
    # Missing fields are None in some importlib.metadata versions and a
    # KeyError in others.
    return CoreMetadata(
        name=_field(meta, 'Name') or dist.name,
        version=dist.version,
        requires_python=_field(meta, 'Requires-Python'),
        extras=tuple(dict.fromkeys(str(e) for e in extras)),
    )


def _entry_points(
    dist: importlib_metadata.Distribution,
) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for ep in dist.entry_points:
        groups.setdefault(ep.group, {})[ep.name] = ep.value
    return groups


def _editable_dir(
    dist: importlib_metadata.Distribution,
) -> pathlib.Path | None:
    """Return the project directory of an editable install, if any."""
    text = dist.read_text('direct_url.json')
    if not text:
        return None
    try:
        info = json.loads(text)
    except ValueError:
        return None
    if not isinstance(info, dict):
        return None
    url = str(info.get('url', ''))
    dir_info = info.get('dir_info')
    editable = isinstance(dir_info, dict) and dir_info.get('editable')
    if not editable or not url.startswith('file:'):
        return None
    path = pathlib.Path(
        urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    )
    return path if path.is_dir() else None


def _finder_mapping(
    dist: importlib_metadata.Distribution, root: pathlib.Path
) -> tuple[pathlib.Path, tuple[str, ...]] | None:
    """Read the ``MAPPING`` of a setuptools editable finder, statically.

    PEP 660 editable installs by setuptools put a
    ``__editable___<name>_finder.py`` module in ``site-packages`` whose
    ``MAPPING`` literal maps import names to their source directories.
    """
    for file in dist.files or ():
        name = file.name
        if not (
            name.startswith('__editable__') and name.endswith('_finder.py')
        ):
            continue
        try:
            tree = ast.parse((root / str(file)).read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in tree.body:
            targets: list[ast.expr]
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            elif isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            else:
                continue
            if not any(
                isinstance(t, ast.Name) and t.id == 'MAPPING' for t in targets
            ):
                continue
            try:
                mapping = ast.literal_eval(value)
            except ValueError:
                continue
            if not isinstance(mapping, dict) or not mapping:
                continue
            paths = [pathlib.Path(str(p)) for p in mapping.values()]
            base = paths[0].parent
            names = existing_top_level(
                base,
                [
                    p.name.removesuffix('.py')
                    for p in paths
                    if p.parent == base
                ],
            )
            if names:
                return base, names
    return None


def read_installed(name: str, target: str | None = None) -> SourceTree:
    """Return the tree of the installed distribution ``name``.

    :param target: the TARGET text (defaults to ``name``).
    :raises symbiosis.exception.DistributionNotFound: it is not installed.
    :raises symbiosis.exception.TargetError: its files cannot be found.
    """
    target = target or name
    try:
        dist = importlib_metadata.distribution(name)
    except importlib_metadata.PackageNotFoundError as err:
        raise DistributionNotFound(
            target, name, f'installed in this environment ({sys.prefix})'
        ) from err
    core = _core(dist)
    entry_points = _entry_points(dist)
    project = _editable_dir(dist)
    if project is not None:
        LOG.debug('%s: editable install of %s', target, project)
        tree = read_path(project, target, defaults=core)
        return described_tree(
            target, tree.root, tree.top_level,
            dataclasses.replace(core, extras=core.extras or tree.extras),
            entry_points or dict(tree.entry_points),
        )
    root = pathlib.Path(str(dist.locate_file(''))).resolve()
    listed = dist.read_text('top_level.txt')
    top: tuple[str, ...] = ()
    if listed:
        top = existing_top_level(root, listed.split())
    if not top and dist.files:
        top = existing_top_level(
            root, top_level_from_paths(str(f) for f in dist.files)
        )
    if not top:
        found = _finder_mapping(dist, root)
        if found is not None:
            root, top = found
    if not top:
        raise TargetError(
            target,
            f'cannot find the files of the installed {core.name} '
            f'{core.version} under {root}',
        )
    return described_tree(target, root, top, core, entry_points)


class InstalledSource(Source):
    """Source for a bare distribution name, read from the environment."""

    priority = 50

    def accepts(self, target: str) -> bool:
        """Whether ``target`` is a distribution name and not a path."""
        return bool(NAME_RE.match(target)) and not looks_like_path(target)

    def fetch(self, target: str) -> SourceTree:
        """Read the installed distribution named ``target``."""
        return read_installed(target)
