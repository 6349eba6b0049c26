"""Rules about modules: added, removed, and snapshots read incompletely."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._rules.base import AdditionRule
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import RemovalRule
from symbiosis.api._rules.base import Rule

__all__ = ['IncompleteSnapshot', 'ModuleAdded', 'ModuleRemoved']


class ModuleRemoved(RemovalRule):
    """A public module was removed (``removal_kinds = "object"`` only).

    With the default ``removal_kinds = "deprecation"`` the removal is
    reported as ``removed-without-deprecation`` instead. Example::

        module mylib.compat was removed without any prior deprecation
    """

    kind = ChangeKind.MODULE_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a public module was removed'


class ModuleAdded(AdditionRule):
    """A public module appeared.

    Example::

        module mylib.retry was added
    """

    kind = ChangeKind.MODULE_ADDED.value
    default_severity = Bump.MINOR
    description = 'a public module was added'


class IncompleteSnapshot(Rule):
    """A module of either side could not be read fully.

    Names it would define are unknown rather than removed or added, so
    the diff says so instead of guessing. Informational. Example::

        module mylib.fast of mylib 2.0 could not be read fully (extension
        module without a stub); 2 public names missing from it may still
        exist
    """

    kind = ChangeKind.INCOMPLETE_SNAPSHOT.value
    default_severity = Bump.NONE
    description = 'a side could not be read fully; some names are unknown'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one note per incompletely read module."""
        for note in ctx.unknown():
            snapshot = ctx.old if note.side == 'old' else ctx.new
            label = snapshot.name
            if snapshot.version:
                label += f' {snapshot.version}'
            message = (
                f'module {note.module} of {label} could not be read fully '
                f'({note.reason})'
            )
            if note.masked:
                verb = 'missing from' if note.side == 'new' else 'new in'
                count = len(note.masked)
                noun = 'name' if count == 1 else 'names'
                message += (
                    f'; {count} public {noun} {verb} it may '
                    f'{"still" if note.side == "new" else "already"} exist'
                )
            module = snapshot.modules.get(note.module)
            yield ctx.change(
                self,
                note.module,
                message,
                old=module if note.side == 'old' else None,
                new=module if note.side == 'new' else None,
            )
