"""On-disk cache of extraction results.

Under ``config.subdir('extract')``:

* ``modules.sqlite`` -- the ``(Module, ModuleLinks)`` extracted from each
  module file, keyed by the SHA-256 of the file's bytes, its module name,
  whether it is a package ``__init__``, the distribution's top-level names
  and the extractor version. Identical files in two versions of a
  distribution (most of them) are parsed once. One SQLite file
  (:class:`~symbiosis.api._extract.store.ModuleStore`), read in one query
  and written in one transaction per run: a file per entry cost more than
  the parsing on a cold run;
* ``manifests/<ab>/<key>.pickle`` -- the module keys of a whole tree, in
  the order of its files, keyed by the sorted ``(path, size, mtime,
  ctime, inode)`` of its module files, its metadata and the extractor
  version (:func:`tree_key`). A warm run reads the files' entries without
  reading or hashing the files. The change time and inode are in the key
  because unpacked archives may carry identical modification times for
  different contents; neither can be set by an archive;
* ``dumps/<ab>/<key>.<format>.json`` -- the finished ``api dump`` text of
  a tree under the same key, so a warm dump converts and encodes nothing
  (its bytes are copied to the output); ``<key>.<format>.pickle`` beside
  it holds the warnings that go with it;
* ``trees/<ab>/<key>.pickle`` -- whole snapshots
  (:meth:`ExtractCache.store_tree`).

Entries are pickles written by
:func:`symbiosis.api._extract.decode.dumps_objects`, several times faster
to load than the same data decoded from JSON. The cache directory is
private to the user and already holds the environments whose code the gate
runs, so reading pickles from it adds no trust boundary. (Snapshots meant
to be kept or shared are written as JSON by ``symbiosis api dump``.)

File entries are written atomically
(``symbiosis._files.write_atomic``) and the SQLite file in transactions,
so concurrent runs never see half an entry; an entry that cannot be read
is a miss, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
import hashlib
import json
import logging
import pathlib
from typing import Any

from symbiosis._files import write_atomic
from symbiosis.api._extract.decode import dumps_objects
from symbiosis.api._extract.decode import loads_objects
from symbiosis.api._extract.module import ModuleLinks
from symbiosis.api._extract.store import ModuleStore
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.config import Config

__all__ = ['ExtractCache', 'module_key']

LOG = logging.getLogger(__name__)


def module_key(
    source: bytes,
    module: str,
    is_package: bool,
    top_level: Iterable[str],
    version: str,
) -> str:
    """Return the cache key of one module file's extraction.

    :param source: the file's bytes.
    :param module: its dotted module name.
    :param is_package: it is a package ``__init__``.
    :param top_level: the distribution's import names (they decide which
        aliases are internal).
    :param version: the extractor version; a new version misses old
        entries.
    """
    digest = hashlib.sha256(source)
    meta = '\0'.join(
        (module, '1' if is_package else '0', ','.join(sorted(top_level)),
         version)
    )
    digest.update(b'\0' + meta.encode())
    return digest.hexdigest()


class ExtractCache:
    """The extraction cache rooted at ``directory``.

    :param directory: where entries are stored (created on demand).
    """

    def __init__(self, directory: pathlib.Path) -> None:
        self.directory = directory
        self._modules = ModuleStore(directory / 'modules.sqlite')

    @classmethod
    def from_config(cls, config: Config) -> ExtractCache | None:
        """Return the cache of ``config``, or ``None`` if caching is off."""
        directory = config.subdir('extract')
        if directory is None:
            return None
        return cls(directory)

    def _path(self, kind: str, key: str) -> pathlib.Path:
        return self.directory / kind / key[:2] / f'{key}.pickle'

    def load_entry(self, kind: str, key: str) -> Any:
        """Return the object stored under ``kind``/``key``, or ``None``.

        A missing, truncated or unreadable entry is a miss, never an error.
        """
        path = self._path(kind, key)
        try:
            with open(path, 'rb') as stream:
                data = stream.read()
        except OSError:
            return None
        try:
            return loads_objects(data)
        except Exception as err:
            LOG.debug('ignoring unreadable cache entry %s: %s', path, err)
            return None

    def file_path(self, kind: str, key: str, suffix: str) -> pathlib.Path:
        """The path of the plain file stored under ``kind``/``key``
        (:meth:`store_file`), whether or not it exists."""
        return self.directory / kind / key[:2] / f'{key}{suffix}'

    def store_file(
        self, kind: str, key: str, suffix: str, data: bytes
    ) -> bool:
        """Store ``data`` as the plain file :meth:`file_path` names,
        atomically (best effort); return whether it was written."""
        path = self.file_path(kind, key, suffix)
        try:
            write_atomic(path, data)
        except OSError as err:
            LOG.debug('cannot write cache entry %s: %s', path, err)
            return False
        return True

    def store_entry(self, kind: str, key: str, obj: Any) -> None:
        """Store ``obj`` under ``kind``/``key`` atomically (best effort)."""
        path = self._path(kind, key)
        try:
            write_atomic(path, dumps_objects(obj))
        except OSError as err:
            # A cache that cannot be written only costs time.
            LOG.debug('cannot write cache entry %s: %s', path, err)

    def load_module(self, key: str) -> tuple[Module, ModuleLinks] | None:
        """Return the stored ``(module, links)`` of a module key."""
        return self.load_modules([key]).get(key)

    def store_module(
        self, key: str, entry: tuple[Module, ModuleLinks]
    ) -> None:
        """Store the ``(module, links)`` extracted from one file."""
        self.store_module_entries([(key, dumps_objects(entry))])

    def load_modules(
        self, keys: Sequence[str]
    ) -> dict[str, tuple[Module, ModuleLinks]]:
        """Return the stored ``(module, links)`` of those ``keys`` found.

        One query for all of them; damaged entries are left out.
        """
        found: dict[str, tuple[Module, ModuleLinks]] = {}
        for key, blob in self._modules.load(keys).items():
            entry = _module_entry(blob)
            if entry is not None:
                found[key] = entry
        return found

    def store_module_entries(self, entries: Iterable[tuple[str, bytes]]
                             ) -> None:
        """Store ``(key, pickled (module, links))`` pairs in one
        transaction (best effort)."""
        self._modules.store(entries)

    def load_tree(self, key: str) -> Snapshot | None:
        """Return the snapshot stored for a tree key, if any."""
        snapshot = self.load_entry('trees', key)
        return snapshot if isinstance(snapshot, Snapshot) else None

    def store_tree(self, key: str, snapshot: Snapshot) -> None:
        """Store a tree's snapshot."""
        self.store_entry('trees', key, snapshot)


def _module_entry(blob: bytes) -> tuple[Module, ModuleLinks] | None:
    try:
        entry = loads_objects(blob)
    except Exception as err:
        LOG.debug('ignoring unreadable cache entry: %s', err)
        return None
    if (
        isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], Module)
        and isinstance(entry[1], ModuleLinks)
    ):
        return entry[0], entry[1]
    return None


def tree_key(
    root: str,
    stamps: Iterable[tuple[str, tuple[int, ...]]],
    metadata: Mapping[str, Any],
    version: str,
) -> str:
    """Return the manifest key of a tree.

    :param root: absolute root directory.
    :param stamps: ``(relative path, stat stamp)`` of every module file.
    :param metadata: the tree's metadata (name, version, top level...).
    :param version: the extractor version.
    """
    digest = hashlib.sha256()
    digest.update(f'{version}\0{root}\0'.encode())
    digest.update(
        json.dumps(metadata, sort_keys=True, default=str).encode()
    )
    for rel, stamp in sorted(stamps):
        digest.update(f'\0{rel}\0{stamp}'.encode())
    return digest.hexdigest()
