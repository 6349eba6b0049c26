"""The store's schema version: what the database holds, what the code
knows, and the Alembic upgrade between them.

The revisions the code knows are listed in :data:`REVISIONS` (oldest
first; a test compares the list with ``_migrations/versions``), so the
common case -- a store already at :data:`HEAD` -- is one ``SELECT`` and
no Alembic import. A store whose revision is not in the list was written
by a newer symbiosis: it is refused, never written to.
"""

from __future__ import annotations

import pathlib

from sqlalchemy import Connection
from sqlalchemy import inspect
from sqlalchemy import text

from symbiosis.exception import InfrastructureError

__all__ = [
    'HEAD',
    'REVISIONS',
    'NewerSchemaError',
    'current_revision',
    'upgrade',
]

#: Every revision in ``_migrations/versions``, oldest first.
REVISIONS: tuple[str, ...] = ('0001',)

#: The revision this code writes.
HEAD = REVISIONS[-1]

MIGRATIONS = pathlib.Path(__file__).resolve().parent / '_migrations'


class NewerSchemaError(InfrastructureError):
    """The store was written by a newer symbiosis (exit code 3).

    :param where: the store (its URL, without a password).
    :param revision: the schema revision it holds.
    """

    def __init__(self, where: str, revision: str) -> None:
        self.where = where
        self.revision = revision
        super().__init__(
            f'{where}: the store has schema revision {revision}, newer '
            f'than this symbiosis knows ({HEAD}): upgrade symbiosis to use '
            'it (nothing was written)')


def current_revision(connection: Connection) -> str | None:
    """The revision the database holds (``None``: no schema yet)."""
    if not inspect(connection).has_table('alembic_version'):
        return None
    row = connection.execute(
        text('SELECT version_num FROM alembic_version')).first()
    return None if row is None else str(row[0])


def upgrade(connection: Connection) -> None:
    """Apply every revision the database lacks, in its transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS))
    config.attributes['connection'] = connection
    command.upgrade(config, 'head')
