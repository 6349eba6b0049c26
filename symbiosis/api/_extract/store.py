"""Per-file extraction results, many at a time, in one SQLite file.

A cold run of a large tree produces hundreds of entries at once; writing
each as its own file (directory, temporary file, rename) costs more than
parsing on some disks. :class:`ModuleStore` keeps them in one
``modules.sqlite`` (standard library :mod:`sqlite3`) and reads or writes a
whole tree's worth in one query or one transaction.

The store is a cache, so it never fails a run:

* concurrent runs are serialised by SQLite's own locking; a writer that
  cannot get the lock within :data:`LOCK_TIMEOUT` seconds skips storing;
* a damaged database file (truncated, overwritten) reads as empty and is
  replaced by a fresh one on the next write;
* an entry that does not unpickle is a miss for its caller (see
  :class:`symbiosis.api._cache.ExtractCache`).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
import contextlib
import logging
import os
import pathlib
import sqlite3

__all__ = ['LOCK_TIMEOUT', 'ModuleStore']

LOG = logging.getLogger(__name__)

#: Seconds a run waits for another run's write transaction.
LOCK_TIMEOUT = 10.0

# Keys per SELECT, well under SQLite's bound-parameter limit.
_BATCH = 500

_SCHEMA = ('CREATE TABLE IF NOT EXISTS entries '
           '(key TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID')


class ModuleStore:
    """Blobs by key in the SQLite file ``path``.

    :param path: the database file (created with its directory on the
        first write).
    """

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT,
                               isolation_level=None)
        try:
            # Losing the last transaction on a power cut only costs a
            # re-parse; a damaged file is detected and replaced.
            conn.execute('PRAGMA synchronous=OFF')
            conn.execute(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        return conn

    def load(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Return the stored blobs of those ``keys`` that are present."""
        found: dict[str, bytes] = {}
        if not keys or not self.path.is_file():
            return found
        try:
            with contextlib.closing(self._connect()) as conn:
                for start in range(0, len(keys), _BATCH):
                    batch = keys[start:start + _BATCH]
                    marks = ','.join('?' * len(batch))
                    rows = conn.execute(
                        f'SELECT key, data FROM entries '  # noqa: S608
                        f'WHERE key IN ({marks})',  # nosec B608 - only ?s
                        batch,
                    )
                    found.update(rows)
        except sqlite3.Error as err:
            LOG.debug('ignoring unreadable cache %s: %s', self.path, err)
        return found

    def store(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store ``(key, blob)`` pairs in one transaction (best effort)."""
        items = list(items)
        if not items:
            return
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.closing(self._connect()) as conn:
                    conn.execute('BEGIN IMMEDIATE')
                    try:
                        conn.executemany(
                            'INSERT OR REPLACE INTO entries VALUES (?, ?)',
                            items,
                        )
                    except BaseException:
                        conn.execute('ROLLBACK')
                        raise
                    conn.execute('COMMIT')
                return
            except sqlite3.OperationalError as err:
                # Locked by another run for too long, disk full...: the
                # entries are only a cache.
                LOG.debug('cannot write cache %s: %s', self.path, err)
                return
            except sqlite3.DatabaseError as err:
                if attempt == 2:
                    LOG.debug('cannot write cache %s: %s', self.path, err)
                    return
                LOG.debug('replacing damaged cache %s: %s', self.path, err)
                self._discard()
            except OSError as err:
                LOG.debug('cannot write cache %s: %s', self.path, err)
                return

    def _discard(self) -> None:
        for suffix in ('', '-journal', '-wal', '-shm'):
            with contextlib.suppress(OSError):
                os.unlink(f'{self.path}{suffix}')
