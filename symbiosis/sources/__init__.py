"""Turn a TARGET string into files on disk: a :class:`SourceTree`.

A TARGET is what a user types to name one version of a distribution:

* a path -- a project source tree, a package directory or a module file;
* a wheel (``.whl``) or an sdist (``.tar.gz``, ``.zip``...) file;
* ``NAME==VERSION`` -- downloaded from the configured package index;
* ``NAME`` -- the distribution installed in the running environment;
* ``git:REF[:SUBDIR]`` -- a commit of a local git repository.

Each kind is a :class:`Source` plugin in the ``symbiosis.sources``
stevedore namespace, so other distributions can add schemes. Archives are
unpacked safely (:mod:`symbiosis.sources._unpack`) into a content-addressed
cache under :attr:`symbiosis.config.Config.cache_dir`.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
import os
import pathlib
from typing import TYPE_CHECKING

from symbiosis.exception import TargetError
from symbiosis.sources._base import Source
from symbiosis.sources._base import SourceTree

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = [
    'NAMESPACE',
    'Source',
    'SourceTree',
    'builtin_sources',
    'load_sources',
    'resolve_target',
]

LOG = logging.getLogger(__name__)

#: The stevedore namespace source plugins register in.
NAMESPACE = 'symbiosis.sources'


def builtin_sources() -> list[type[Source]]:
    """Return the source classes shipped with symbiosis, lowest
    ``priority`` first (those its own distribution declares in
    :data:`NAMESPACE`)."""
    from symbiosis import _plugins

    classes: dict[str, type[Source]] = _plugins.load_all(
        NAMESPACE, Source, what='source', builtin=True)
    return [classes[name] for name in _by_priority(classes)]


def load_sources(
    config: Config, repo: pathlib.Path | None = None
) -> list[Source]:
    """Return the source plugins, instantiated, lowest ``priority`` first.

    Plugins come from the ``symbiosis.sources`` entry points.

    :param config: passed to every source.
    :param repo: the git repository for ``git:`` targets.
    :raises symbiosis.exception.PluginLoadError: a source cannot be
        loaded, unless ``SYMBIOSIS_ALLOW_BROKEN_PLUGINS`` is set: it is
        then skipped with a warning.
    """
    from symbiosis import _plugins

    sources: dict[str, Source] = _plugins.load_all(
        NAMESPACE, Source, what='source',
        create=lambda cls: cls(config, repo))
    return [sources[name] for name in _by_priority(sources)]


def _by_priority(plugins: Mapping[str, type[Source] | Source]) -> list[str]:
    """Plugin names, lowest ``priority`` first, then by name."""
    return sorted(plugins, key=lambda name: (plugins[name].priority, name))


def resolve_target(
    target: str,
    config: Config,
    *,
    repo: str | os.PathLike[str] | None = None,
) -> SourceTree:
    """Return the files of ``target`` (see the module docstring for kinds).

    :param target: the TARGET text as the user wrote it.
    :param config: cache, index, offline and timeout settings.
    :param repo: the git repository ``git:`` targets refer to (default:
        the current directory).
    :raises symbiosis.exception.TargetError: the target is of no known
        kind or cannot be read (its subclasses say why:
        :class:`~symbiosis.exception.DistributionNotFound`,
        :class:`~symbiosis.exception.VersionNotFound`,
        :class:`~symbiosis.exception.ArchiveError`,
        :class:`~symbiosis.exception.UnsafeArchive`).
    :raises symbiosis.exception.InfrastructureError: the index is
        unreachable or a tool failed
        (:class:`~symbiosis.exception.IndexUnreachable`, exit code 3).
    """
    if not target or not target.strip():
        raise TargetError(repr(target), 'empty target')
    repo_path = pathlib.Path(repo) if repo is not None else None
    for source in load_sources(config, repo_path):
        if source.accepts(target):
            LOG.debug('%s: read by %s', target, type(source).__name__)
            return source.fetch(target)
    raise TargetError(
        target,
        'not a path, wheel, sdist, NAME==VERSION, installed distribution '
        'name or git:REF[:SUBDIR]',
    )
