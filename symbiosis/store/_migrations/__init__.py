"""Alembic migrations of the store (``env.py`` and ``versions/``).

Shipped in the package and run by :func:`symbiosis.store._schema.upgrade`;
a schema change is a new revision in ``versions/`` whose id is added to
:data:`symbiosis.store._schema.REVISIONS`.
"""
