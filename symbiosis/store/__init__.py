"""The results store: what was gated, when, with which verdict.

SQLAlchemy 2.0 models and Alembic migrations shipped with the package;
SQLite in the user's data directory by default, PostgreSQL for teams
(``pip install 'symbiosis[postgresql]'``)::

    from symbiosis import store

    with store.open_store('sqlite:///gates.sqlite') as db:
        for run in db.history('tinylib'):
            print(run.candidate, run.verdict, run.regressed)

Gates record into it as their jobs finish (``symbiosis gate --store``);
``constraints update`` and ``watch`` read it back: a probe's flakiness
and whether it ever passed on a baseline are facts, not guesses.
Importing this package is cheap: SQLAlchemy loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiosis._lazy_names import attach

if TYPE_CHECKING:
    from symbiosis.store._store import RunSummary
    from symbiosis.store._store import Store
    from symbiosis.store._store import open_store

__all__ = ['RunSummary', 'Store', 'open_store']

__getattr__, __dir__ = attach(__name__, submod_attrs={
    '_store': ['RunSummary', 'Store', 'open_store'],
})
