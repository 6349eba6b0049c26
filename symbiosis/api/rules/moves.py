"""The rule reporting names that moved to another public path."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api.changes import Change
from symbiosis.api.changes import ChangeKind
from symbiosis.api.changes import Severity
from symbiosis.api.rules.base import DiffContext
from symbiosis.api.rules.base import Rule

__all__ = ['NameMoved']


class NameMoved(Rule):
    """A public name disappeared and an object of the same shape and name
    appeared elsewhere in the distribution.

    Old imports break, so it is major, but the message says where to go.
    The removal and the addition are not reported separately. Example::

        mylib.Error moved to mylib.errors.Error
    """

    kind = ChangeKind.NAME_MOVED.value
    default_severity = Severity.MAJOR
    description = 'a name moved to another public path'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per moved path."""
        for removal in ctx.removed():
            if removal.moved_to is None:
                continue
            message = f'{removal.path} moved to {removal.moved_to}'
            if removal.deprecation is not None:
                message += ' (the old path was deprecated)'
            yield ctx.change(
                self,
                removal.path,
                message,
                old=removal.old,
                new=removal.moved,
                new_path=removal.moved_to,
            )
