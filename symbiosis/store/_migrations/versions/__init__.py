"""The store's schema revisions, oldest first (read by Alembic)."""
