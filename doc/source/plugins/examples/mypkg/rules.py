"""A project policy as a diff rule: internal names stay private."""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api import Bump
from symbiosis.api import Change
from symbiosis.api import DiffContext
from symbiosis.api import Rule


class InternalNameExposed(Rule):
    """A public name saying it is internal was added::

        mylib.internal_cache looks internal but was added to the public API
    """

    kind = 'internal-name-exposed'
    default_severity = Bump.MINOR
    description = 'a public name containing "internal" was added'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        for addition in ctx.added():
            if 'internal' in addition.path.rpartition('.')[2]:
                yield ctx.change(
                    self, addition.path,
                    f'{addition.path} looks internal but was added to the '
                    'public API',
                    new=addition.new,
                )
