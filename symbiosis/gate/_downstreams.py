"""Downstream projects of an upstream-mode gate.

A ``--downstream`` is a consumer whose test suite runs against both sides:

* a directory -- a project (installed from it) or just a directory of
  tests (nothing installed); its commands run in it;
* an sdist (``.tar.gz``, ``.zip``...) -- installed from the file and
  unpacked, so its commands run in the unpacked project, where its tests
  are;
* a wheel -- installed from the file; its commands run in the unpacked
  wheel (tests are rarely there: use ``--pyargs``-style commands);
* ``NAME==VERSION`` -- that release from the package index: its sdist is
  downloaded and unpacked for the tests (a wheel when there is no sdist)
  and the release is installed by the installer, exactly as a user gets
  it.

Everything is resolved once, before any environment is built: a release
that does not exist is bad input (exit 2), an unreachable index an
infrastructure error (exit 3), and neither builds anything.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pathlib
from typing import TYPE_CHECKING

from symbiosis import exception

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = ['Downstream', 'resolve_downstream']

LOG = logging.getLogger(__name__)

_PROJECT_FILES = ('pyproject.toml', 'setup.py', 'setup.cfg')


@dataclasses.dataclass(frozen=True)
class Downstream:
    """A downstream project, ready to be installed and tested.

    :param spec: the ``--downstream`` value as given; results name it.
    :param directory: where its commands run and its probes config is
        looked for.
    :param install: what the installer is given (a path or a
        requirement); ``None`` when nothing is installed (a plain
        directory of tests).
    :param fingerprint: a digest of local inputs ('' for index releases,
        which do not change).
    """

    spec: str
    directory: pathlib.Path
    install: str | None
    fingerprint: str = ''


def _is_project(path: pathlib.Path) -> bool:
    return any((path / name).is_file() for name in _PROJECT_FILES)


def _project_dir(root: pathlib.Path, top: pathlib.Path) -> pathlib.Path:
    """The directory above ``root`` (up to ``top``) holding the project."""
    for candidate in (root, *root.parents):
        if _is_project(candidate):
            return candidate
        if candidate == top:
            break
    return root


def _from_directory(spec: str, path: pathlib.Path) -> Downstream:
    from symbiosis.gate._specs import fingerprint_path

    path = path.resolve()
    install: str | None = str(path)
    if not _is_project(path):
        LOG.info('--downstream %s: not a Python project (no pyproject.toml, '
                 'setup.py or setup.cfg); its commands run there, nothing '
                 'of it is installed', spec)
        install = None
    return Downstream(spec, path, install, fingerprint_path(path))


def _from_archive(spec: str, path: pathlib.Path,
                  config: Config) -> Downstream:
    from symbiosis.gate._specs import fingerprint_path

    path = path.resolve()
    directory = _unpacked(spec, path, config)
    return Downstream(spec, directory, str(path), fingerprint_path(path))


def _unpacked(spec: str, archive: pathlib.Path,
              config: Config) -> pathlib.Path:
    """Unpack ``archive`` (safely, into the cache); return its project."""
    from symbiosis.sources._archives import read_sdist
    from symbiosis.sources._archives import read_wheel

    if archive.name.lower().endswith('.whl'):
        return pathlib.Path(read_wheel(archive, spec, config).root)
    tree = read_sdist(archive, spec, config)
    root = pathlib.Path(tree.root)
    return _project_dir(root, root.parent.parent)


def _from_index(spec: str, config: Config) -> Downstream:
    from symbiosis.sources._index import download_pinned

    archive = download_pinned(spec, config, prefer_sdist=True)
    if archive.name.lower().endswith('.whl'):
        LOG.warning('--downstream %s: the index has no sdist, so its tests '
                    'are not available; commands run in its wheel', spec)
    directory = _unpacked(spec, archive, config)
    return Downstream(spec, directory, spec.strip())


def resolve_downstream(spec: str, config: Config) -> Downstream:
    """Resolve a ``--downstream`` value (see the module docstring).

    :raises symbiosis.exception.InputError: it is none of the accepted
        kinds, or names a release that does not exist (exit 2).
    :raises symbiosis.exception.InfrastructureError: the index cannot be
        reached, or offline mode is on and the release is not cached.
    """
    from symbiosis.sources._filenames import SDIST_SUFFIXES
    from symbiosis.sources._index import PIN_RE

    archives = ('.whl', *SDIST_SUFFIXES)
    text = spec.strip()
    if not text:
        raise exception.InputError('--downstream: an empty value')
    path = pathlib.Path(text).expanduser()
    if path.is_dir():
        return _from_directory(spec, path)
    if path.is_file():
        if path.name.lower().endswith(archives):
            return _from_archive(spec, path, config)
        raise exception.InputError(
            f'--downstream {spec}: not a directory, a wheel or an sdist')
    if PIN_RE.match(text):
        return _from_index(text, config)
    looks_local = os.sep in text or text.lower().endswith(archives)
    raise exception.InputError(
        f'--downstream {spec}: no such file or directory' if looks_local
        else f'--downstream {spec}: not a directory, a wheel, an sdist or '
        'NAME==VERSION'
    )
