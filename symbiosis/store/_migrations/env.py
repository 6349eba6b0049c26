"""Alembic's environment for the store: run on the caller's connection.

:func:`symbiosis.store._schema.upgrade` passes the open connection in
``config.attributes['connection']``; nothing here reads a URL or an ini
file, so migrations run exactly where the store is.
"""

from __future__ import annotations

from alembic import context

from symbiosis.store._models import Base

_connection = context.config.attributes['connection']
context.configure(
    connection=_connection,
    target_metadata=Base.metadata,
    # SQLite alters tables by copying them: later revisions need it.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
