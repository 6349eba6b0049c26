"""Rules about names that moved: gone from the old path (``name-moved``)
or still reachable there (``name-relocated``, ``name-unexported``)."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import Relocation
from symbiosis.api._rules.base import Rule

__all__ = ['NameMoved', 'NameRelocated', 'NameUnexported']


class NameMoved(Rule):
    """A public name disappeared and an object of the same shape and name
    appeared elsewhere in the distribution.

    Old imports break, so it is major, but the message says where to go.
    The removal and the addition are not reported separately. Example::

        mylib.Error moved to mylib.errors.Error
    """

    kind = ChangeKind.NAME_MOVED.value
    default_severity = Bump.MAJOR
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


class _RelocationRule(Rule):
    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per relocation of this rule's kind."""
        for relocation in ctx.relocated():
            if relocation.kind == self.kind:
                yield ctx.change(
                    self,
                    relocation.path,
                    self.message(relocation),
                    old=relocation.old,
                    new=relocation.new,
                    new_path=relocation.new_path,
                )

    def message(self, relocation: Relocation) -> str:
        """Return the message for ``relocation``."""
        raise NotImplementedError


class NameRelocated(_RelocationRule):
    """A public name's definition moved elsewhere, but the old path still
    resolves (the old module imports it from its new home): nothing that
    worked breaks. Example::

        mylib.core.ParseError now lives at mylib.errors.ParseError; the
        old path still resolves
    """

    kind = ChangeKind.NAME_RELOCATED.value
    default_severity = Bump.PATCH
    description = 'a name moved but its old path still resolves'

    def message(self, relocation: Relocation) -> str:
        """Name the new home when it is known."""
        if relocation.new_path:
            return (f'{relocation.path} now lives at {relocation.new_path}; '
                    'the old path still resolves')
        return (f'{relocation.path} is no longer defined there; the old '
                'path still resolves')


class NameUnexported(_RelocationRule):
    """A public name is no longer exported by its module (left out of
    ``__all__``), though the path still resolves: ``from module import
    *`` no longer binds it. Example::

        mylib.util.helper is no longer exported; the path still resolves
    """

    kind = ChangeKind.NAME_UNEXPORTED.value
    default_severity = Bump.MINOR
    description = 'a name is no longer exported but still resolves'

    def message(self, relocation: Relocation) -> str:
        """Say what still works."""
        return (f'{relocation.path} is no longer exported; the path still '
                'resolves')
