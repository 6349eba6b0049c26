"""Opening a store: the engine, the connection check, the schema check.

SQLite stores are created and upgraded on first use; another database
must be upgraded on purpose (``symbiosis store upgrade``), since it is
shared. What goes wrong is one line: a URL that is not one is bad input
(exit 2); a store that cannot be reached, lacks its driver or was written
by a newer symbiosis is an infrastructure failure (exit 3).
"""

from __future__ import annotations

import logging
import pathlib
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import exc
from sqlalchemy.engine import make_url

from symbiosis.exception import InfrastructureError
from symbiosis.exception import InputError
from symbiosis.store import _schema

__all__ = ['StoreError', 'connect', 'describe']

LOG = logging.getLogger(__name__)

#: Seconds to wait for a database server before giving up.
CONNECT_TIMEOUT = 10


class StoreError(InfrastructureError):
    """The store cannot be used (exit code 3)."""


def describe(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return url


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    # WAL lets ``history`` read while a gate writes; NORMAL sync keeps a
    # commit per finished job cheap and still survives a killed process.
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=30000')
    cursor.close()


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except exc.ArgumentError as err:
        raise InputError(f'--store {url}: not a database URL') from err
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == 'sqlite':
        database = parsed.database or ''
        if database and database != ':memory:' and not database.startswith(
                'file:'):
            path = pathlib.Path(database).expanduser()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(
                    f'{describe(url)}: cannot create {path.parent}: '
                    f'{err.strerror or err}') from err
    elif parsed.get_backend_name() == 'postgresql':
        options['connect_args'] = {'connect_timeout': CONNECT_TIMEOUT}
    try:
        engine = create_engine(parsed, **options)
    except (exc.NoSuchModuleError, ImportError) as err:
        hint = (" (pip install 'symbiosis[postgresql]')"
                if parsed.get_backend_name() == 'postgresql' else '')
        raise StoreError(
            f'{describe(url)}: no database driver for it: {err}{hint}'
        ) from err
    if engine.dialect.name == 'sqlite':
        event.listen(engine, 'connect', _sqlite_pragmas)
    return engine


def _first_line(err: BaseException) -> str:
    original = getattr(err, 'orig', None) or err
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def connect(url: str, *, upgrade: bool | None = None) -> Engine:
    """Open the store at ``url``, its schema checked (and upgraded).

    :param upgrade: apply missing revisions; ``None`` (the default) does
        so for SQLite only.
    :raises symbiosis.exception.InputError: ``url`` is not a database URL.
    :raises StoreError: the store cannot be reached, lacks its driver, is
        behind and not upgraded.
    :raises symbiosis.store._schema.NewerSchemaError: it was written by a
        newer symbiosis.
    """
    engine = _engine(url)
    where = describe(url)
    if upgrade is None:
        upgrade = engine.dialect.name == 'sqlite'
    try:
        with engine.begin() as connection:
            revision = _schema.current_revision(connection)
            if revision == _schema.HEAD:
                return engine
            if revision is not None and revision not in _schema.REVISIONS:
                raise _schema.NewerSchemaError(where, revision)
            if not upgrade:
                raise StoreError(
                    f'{where}: the store is at schema revision '
                    f'{revision or "none"}, this symbiosis needs '
                    f"{_schema.HEAD}: run 'symbiosis store upgrade "
                    "--store URL'")
            LOG.info('upgrading the store %s from %s to %s', where,
                     revision or 'nothing', _schema.HEAD)
            _schema.upgrade(connection)
    except exc.SQLAlchemyError as err:
        engine.dispose()
        raise StoreError(
            f'{where}: cannot use the store: {_first_line(err)}') from err
    except BaseException:
        engine.dispose()
        raise
    return engine
