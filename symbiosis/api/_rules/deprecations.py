"""Rules about the deprecation lifecycle.

A deprecation marker read from the source (see
:class:`symbiosis.api._model.Deprecation`) turns a later removal into
``removed-after-deprecation``: still major by default, but a project whose
policy allows removing deprecated names in a minor release can say so
with one override::

    [api]
    severity = { "removed-after-deprecation" = "minor" }
"""

from __future__ import annotations

from collections.abc import Iterator

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Alias
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Function
from symbiosis.api._model import Snapshot
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import RemovalRule
from symbiosis.api._rules.base import Rule
from symbiosis.api._rules.base import deprecation_text

__all__ = [
    'DeprecatedAdded',
    'RemovedAfterDeprecation',
    'RemovedWithoutDeprecation',
]


def _own_deprecation(
    snapshot: Snapshot, path: str, obj: object
) -> Deprecation | None:
    """The deprecation of the object itself or of the binding at
    ``path`` (a deprecated alias), not of enclosing objects.
    """
    deprecation = getattr(obj, 'deprecation', None)
    if isinstance(deprecation, Deprecation):
        return deprecation
    if getattr(obj, 'path', path) == path:
        return None  # not reached through an alias
    binding = snapshot.get(path)
    if isinstance(binding, Alias) and binding.deprecation is not None:
        return binding.deprecation
    return None


class DeprecatedAdded(Rule):
    """A public object is newly deprecated: users get warnings and should
    plan for its removal. Example::

        function mylib.connect is newly deprecated since 1.5 (removal
        planned in 2.0); use mylib.Client.connect instead
    """

    kind = ChangeKind.DEPRECATED_ADDED.value
    default_severity = Bump.MINOR
    description = 'an object was newly deprecated'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per object deprecated in NEW but not OLD."""
        for path, old, new in ctx.surface.pairs:
            if isinstance(new, Function) and isinstance(old, Function):
                yield from self._keywords(ctx, path, old, new)
            now = _own_deprecation(ctx.new, path, new)
            if now is None or _own_deprecation(ctx.old, path, old):
                continue
            message = f'{ctx.describe(path, new)} is newly deprecated'
            when = deprecation_text(now)
            if when:
                message += f' {when}'
            if now.replacement:
                message += f'; use {now.replacement} instead'
            yield ctx.change(self, path, message, old=old, new=new)

    def _keywords(self, ctx: DiffContext, path: str, old: Function,
                  new: Function) -> Iterator[Change]:
        """Keywords newly kept working under a deprecated old name."""
        before = {a.name for a in old.keyword_aliases}
        for alias in new.keyword_aliases:
            if alias.name in before or alias.deprecation is None:
                continue
            message = (f"keyword '{alias.name}' of "
                       f'{ctx.describe(path, new)} is newly deprecated')
            when = deprecation_text(alias.deprecation)
            if when:
                message += f' {when}'
            if alias.target:
                message += f"; use '{alias.target}' instead"
            yield ctx.change(self, path, message, old=old, new=new)


class RemovedAfterDeprecation(RemovalRule):
    """A public path was removed after being deprecated.

    Example::

        function mylib.connect was removed after deprecation since 1.4
        (removal planned in 2.0)
    """

    kind = ChangeKind.REMOVED_AFTER_DEPRECATION.value
    default_severity = Bump.MAJOR
    description = 'a deprecated object was removed'


class RemovedWithoutDeprecation(RemovalRule):
    """A public path was removed with no prior deprecation: users had no
    warning. With ``removal_kinds = "object"`` these are reported as
    ``module-removed``, ``name-removed``, ``method-removed``... instead.
    Example::

        class mylib.Client was removed without any prior deprecation
    """

    kind = ChangeKind.REMOVED_WITHOUT_DEPRECATION.value
    default_severity = Bump.MAJOR
    description = 'an object was removed without prior deprecation'
