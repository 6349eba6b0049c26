"""Which import names a distribution provides: :func:`find_import_names`.

A distribution's name often differs from what code imports
(``PyYAML`` -> ``yaml``, ``python-dateutil`` -> ``dateutil``, one
distribution -> several packages), so the names come from the upstream's
own metadata, in this order:

1. API snapshots of the upstream, when the caller has them (their
   :meth:`~symbiosis.api._model.Snapshot.top_level_names`);
2. a TARGET that cannot be a distribution name (a path with a
   separator, a wheel, an sdist, ``NAME==VERSION``, ``git:REF``, a
   snapshot JSON file), read through :mod:`symbiosis.sources`;
3. the installed distribution of that name: its ``top_level.txt``, else
   the files its ``RECORD`` lists; failing that, a file or directory of
   that name, as a TARGET;
4. only when none of these is available, the normalised distribution name
   (``my-lib`` -> ``my_lib``), with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
import dataclasses
import importlib.metadata
import logging
import os
import pathlib
import re
from typing import TYPE_CHECKING

from symbiosis import exception

if TYPE_CHECKING:
    from symbiosis.api._model import Snapshot
    from symbiosis.config import Config

__all__ = ['ImportNames', 'find_import_names', 'installed_import_names']

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ImportNames:
    """The import names of an upstream and where they were found.

    :param names: top-level import names, sorted.
    :param source: ``snapshot``, ``target``, ``installed`` or ``guess``.
    :param warning: set when the names are a guess.
    """

    names: tuple[str, ...]
    source: str
    warning: str | None = None


def _clean(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({
        n.strip() for n in names if n.strip().isidentifier()
    }))


def installed_import_names(name: str) -> tuple[str, ...] | None:
    """Return the import names of the installed distribution ``name``.

    From its ``top_level.txt`` when it has one, else from the files its
    ``RECORD`` lists. ``None`` when no such distribution is installed (or
    it says nothing usable).
    """
    try:
        dist = importlib.metadata.distribution(name)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None
    text = dist.read_text('top_level.txt')
    if text:
        names = _clean(text.split())
        if names:
            return names
    files = dist.files
    if files:
        from symbiosis.sources._metadata import top_level_from_paths

        names = _clean(top_level_from_paths(str(f) for f in files))
        if names:
            return names
    return None


def _is_target(upstream: str) -> bool:
    """Whether ``upstream`` can only be a TARGET, not a distribution name.
    """
    from symbiosis.sources._filenames import SDIST_SUFFIXES

    return (
        upstream.startswith(('git:', '.', '~'))
        or os.sep in upstream
        or '/' in upstream
        or upstream.lower().endswith(('.whl', '.json', *SDIST_SUFFIXES))
        or bool(re.search(r'[=<>~!]=', upstream))
    )


def _target_import_names(
    upstream: str, config: Config | None, repo: str | None
) -> tuple[str, ...]:
    from symbiosis.api._loader import is_snapshot_file
    from symbiosis.api._loader import read_snapshot_file

    if is_snapshot_file(upstream):
        return _clean(read_snapshot_file(upstream).top_level_names())
    from symbiosis.config import Config
    from symbiosis.sources import resolve_target

    cfg = config if config is not None else Config.from_environ()
    tree = resolve_target(upstream, cfg,
                          repo=None if repo is None else pathlib.Path(repo))
    return _clean(tree.top_level)


def find_import_names(
    upstream: str,
    *,
    config: Config | None = None,
    snapshots: Iterable[Snapshot] = (),
    repo: str | None = None,
) -> ImportNames:
    """Return the top-level import names of the distribution ``upstream``.

    :param upstream: a distribution name (``PyYAML``) or any TARGET.
    :param config: settings, for reading TARGETs.
    :param snapshots: snapshots of the upstream already loaded (with
        ``--against``); their names win.
    :param repo: the git repository for ``git:`` targets.
    :raises symbiosis.exception.SymbiosisError: ``upstream`` is a TARGET
        that cannot be read.
    """
    from_snapshots = _clean(
        n for s in snapshots for n in s.top_level_names()
    )
    if from_snapshots:
        return ImportNames(from_snapshots, 'snapshot')
    if _is_target(upstream):
        names = _target_import_names(upstream, config, repo)
        if names:
            return ImportNames(names, 'target')
        raise exception.TargetError(upstream, 'provides no import names')
    installed = installed_import_names(upstream)
    if installed:
        return ImportNames(installed, 'installed')
    if os.path.exists(upstream):
        # A bare name that is no installed distribution but a directory
        # or file here: a source tree or archive.
        names = _target_import_names(upstream, config, repo)
        if names:
            return ImportNames(names, 'target')
    from packaging.utils import canonicalize_name

    guess = canonicalize_name(upstream).replace('-', '_')
    if not guess.isidentifier():
        raise exception.InputError(
            f'{upstream}: not a distribution name, and no such file or '
            'directory'
        )
    warning = (
        f'{upstream} is not installed and no --against snapshots were '
        f'given: assuming its import name is {guess!r}'
    )
    LOG.debug(warning)
    return ImportNames((guess,), 'guess', warning)
