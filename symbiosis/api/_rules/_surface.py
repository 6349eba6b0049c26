"""Match the public surfaces of two snapshots: pairs, removals, moves.

Computed once per :class:`~symbiosis.api._rules.base.DiffContext` with dict
lookups only, so a snapshot of ten thousand public paths diffs in well
under a second:

* a path on both sides is a *pair* (or a *kind change* when the object's
  type differs);
* a path only in OLD is a *removal*, unless the NEW module that would
  define it could not be read fully (then it is *unknown*); only the
  outermost removed path is kept, so a removed class is one change, not
  one per method;
* a removal whose name reappears elsewhere in NEW with the same shape is a
  *move*, found through an index of added paths bucketed by (type, name).

Each side's public paths come from :mod:`symbiosis.api._rules._public`;
moves and relocations are found by
:mod:`symbiosis.api._rules._surface_moves`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Mapping
import dataclasses
from typing import TYPE_CHECKING

from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Function
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.api._reach import Reach
from symbiosis.api._rules._surface_moves import find_moves
from symbiosis.api._rules._surface_moves import home_index
from symbiosis.api._rules._surface_moves import relocation_of
from symbiosis.api._rules.base import Addition
from symbiosis.api._rules.base import ApiObject
from symbiosis.api._rules.base import Relocation
from symbiosis.api._rules.base import Removal
from symbiosis.api._rules.base import SurfaceDiff
from symbiosis.api._rules.base import Unknown

if TYPE_CHECKING:
    from symbiosis.api._rules.base import DiffContext

__all__ = ['compare']


def _preferred(
    inherited: frozenset[str],
) -> Callable[[str], tuple[bool, int, str]]:
    """Sort key: a member where it is defined before the same member
    reached through a subclass, then the shortest path (memoised: every
    path is sorted several times)."""
    keys: dict[str, tuple[bool, int, str]] = {}

    def key(path: str) -> tuple[bool, int, str]:
        found = keys.get(path)
        if found is None:
            found = keys[path] = (path in inherited, path.count('.'), path)
        return found
    return key


def compare(ctx: DiffContext) -> SurfaceDiff:
    """Match ``ctx.old_objects`` with ``ctx.new_objects``."""
    old_map, new_map = ctx.old_objects, ctx.new_objects
    inherited = ctx.old_surface.inherited | ctx.new_surface.inherited
    order = _preferred(inherited)
    removed = [p for p in old_map if p not in new_map]
    added = [p for p in new_map if p not in old_map]
    blocked = set(removed)
    blocked.update(added)

    pairs: list[tuple[str, ApiObject, ApiObject]] = []
    kind_changes: list[tuple[str, ApiObject, ApiObject]] = []
    seen: dict[tuple[type, str, str], str] = {}
    pair_also: dict[str, list[str]] = defaultdict(list)

    def pair(path: str, old: ApiObject, new: ApiObject) -> None:
        key = (type(old), old.path, new.path)
        first = seen.get(key)
        if first is None:
            seen[key] = path
            pairs.append((path, old, new))
        else:
            pair_also[first].append(path)

    for path in sorted((p for p in old_map if p in new_map), key=order):
        if _under(path, blocked):
            blocked.add(path)
            continue
        old, new = old_map[path], new_map[path]
        if type(old) is not type(new):
            # What is inside a changed (or now external) object is not
            # compared member by member.
            blocked.add(path)
            if not isinstance(old, Alias) and not isinstance(new, Alias):
                kind_changes.append((path, old, new))
            continue
        pair(path, old, new)

    masked: dict[tuple[str, str], list[str]] = defaultdict(list)
    reasons: dict[tuple[str, str], str] = {}
    relocations: list[Relocation] = []
    python_dropped: list[str] = []
    new_homes = home_index(new_map, order)

    top_removed: list[str] = []
    # Parents first: what a relocated object holds is compared member by
    # member, under the path it had.
    relocated: set[str] = set()
    for path in sorted(removed, key=lambda p: (p.count('.'), order(p))):
        if _under(path, blocked):
            continue
        old = old_map[path]
        if not _exists_in(ctx, path, old):
            python_dropped.append(path)
            continue
        reached = _reached(ctx, path, old)
        if reached is not None:
            if not _under(path, relocated):
                relocation = relocation_of(path, old, reached, new_homes)
                if relocation is not None:
                    relocations.append(relocation)
            if isinstance(reached, (Class, Module)) and (
                type(reached) is type(old)
            ):
                relocated.add(path)
                blocked.discard(path)
            if type(reached) is type(old) and not isinstance(
                reached, Alias
            ):
                pair(path, old, reached)
            elif not isinstance(reached, Alias) and not isinstance(
                old, Alias
            ):
                kind_changes.append((path, old, reached))
            continue
        # A module's file is there or not: nothing makes its absence
        # uncertain, not even a __getattr__ in its package.
        unknown = (None if isinstance(old, Module) and old.name == path
                   else ctx.new_reach.open_reason(path))
        if unknown is not None:
            masked['new', unknown[0]].append(path)
            reasons['new', unknown[0]] = unknown[1]
        else:
            top_removed.append(path)
    known_added: list[str] = []
    top_added: set[str] = set()
    for path in added:
        nested = _under(path, blocked)
        if nested and not isinstance(
            new_map.get(path.rpartition('.')[0]), Module
        ):
            continue  # inside an added object; moves are of module names
        if ctx.old_reach.resolve(path) is not None:
            continue  # reachable before: not new API
        unknown = ctx.old_reach.open_reason(path)
        if unknown is not None:
            if not _under(path, blocked):
                masked['old', unknown[0]].append(path)
                reasons['old', unknown[0]] = unknown[1]
            continue
        known_added.append(path)
        if not nested:
            top_added.add(path)

    top_removed, removed_also = _group_paths(top_removed, old_map, order)
    top_added_paths, added_also = _group_paths(
        [p for p in added if p in top_added], new_map, order
    )
    moves = find_moves(top_removed, known_added, old_map, new_map)
    moved_from = {target: source for source, target in moves.items()}
    moved_from.update(
        (r.new_path, r.path) for r in relocations if r.new_path is not None
    )
    removals = tuple(
        dataclasses.replace(
            _removal(ctx, path, moves.get(path)),
            also=removed_also.get(path, ()),
        )
        for path in top_removed
    )
    additions = tuple(
        Addition(
            path=path,
            new=new_map[path],
            kind=_addition_kind(new_map[path]),
            moved_from=next(
                (
                    moved_from[p]
                    for p in (path, *added_also.get(path, ()))
                    if p in moved_from
                ),
                None,
            ),
            parent=new_map.get(path.rpartition('.')[0]),
            also=added_also.get(path, ()),
        )
        for path in top_added_paths
    )
    return SurfaceDiff(
        pairs=tuple(pairs),
        pair_also={p: tuple(sorted(o)) for p, o in pair_also.items()},
        kind_changes=tuple(kind_changes),
        removals=removals,
        additions=additions,
        unknown=_unknown_notes(
            ('old', _unknown_modules(ctx.old), ctx.old),
            ('new', _unknown_modules(ctx.new), ctx.new),
            masked=masked, reasons=reasons,
        ),
        relocations=tuple(relocations),
        python_dropped=tuple(python_dropped),
    )


def _exists_in(ctx: DiffContext, path: str, old: ApiObject) -> bool:
    """Whether ``path``'s binding in OLD exists on a Python NEW still
    supports (a name defined only for dropped Pythons is not a removal
    anyone can notice)."""
    supported = ctx.new_reach.supported
    if supported is None:
        return True
    for obj in (ctx.old_reach.binding(path), old):
        spec = getattr(obj, 'python', None)
        if spec is not None and not Reach.python_overlaps(spec, supported):
            return False
    return True


def _reached(
    ctx: DiffContext, path: str, old: ApiObject
) -> ApiObject | None:
    """What ``path`` still resolves to in NEW, though it is no longer one
    of NEW's public paths (``None``: it does not resolve)."""
    reached = ctx.new_reach.resolve(path)
    if reached is not None:
        if isinstance(old, Module) and not isinstance(reached, Module):
            # ``import pkg.sub`` fails even if ``pkg.sub`` is an attribute.
            return None
        return reached
    head, _, tail = path.rpartition('.')
    parent = ctx.new_reach.resolve(head) if head else None
    if isinstance(parent, Class):
        provider = ctx.new_reach.external_provider(parent, tail)
        if provider is not None:
            # Inherited from a standard-library base (an override removed).
            return Alias(name=tail, path=path, target=f'{provider}.{tail}')
    return None


def _group_paths(
    paths: list[str], objects: Mapping[str, ApiObject],
    order: Callable[[str], tuple[bool, int, str]],
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Fold paths naming the same object into its preferred path (where
    it is defined rather than inherited, then the shortest).

    A package re-exporting ``pkg.client.Client`` as ``pkg.Client`` has
    one object under two public paths; when it goes, that is one change.
    Returns the kept paths (in their original order) and, for each, the
    other paths of its object.
    """
    groups: dict[tuple[type, str], list[str]] = defaultdict(list)
    for path in paths:
        obj = objects[path]
        if isinstance(obj, Alias):
            # An external alias is its own object, not the target's.
            groups[type(obj), path].append(path)
        else:
            groups[type(obj), obj.path].append(path)
    kept: set[str] = set()
    also: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        best = min(members, key=order)
        kept.add(best)
        others = tuple(sorted(p for p in members if p != best))
        if others:
            also[best] = others
    return [p for p in paths if p in kept], also


def _under(path: str, blocked: set[str]) -> bool:
    """Whether a proper prefix of ``path`` is in ``blocked``."""
    head = path.rpartition('.')[0]
    while head:
        if head in blocked:
            return True
        head = head.rpartition('.')[0]
    return False


def _removal(ctx: DiffContext, path: str, moved_to: str | None) -> Removal:
    obj = ctx.old_objects[path]
    parent = ctx.old_objects.get(path.rpartition('.')[0])
    deprecation = _deprecation(ctx.old, ctx.old_objects, path)
    if moved_to is not None:
        kind = ChangeKind.NAME_MOVED
    elif deprecation is not None:
        kind = ChangeKind.REMOVED_AFTER_DEPRECATION
    elif isinstance(obj, Attribute) and obj.enum_member:
        kind = ChangeKind.ENUM_MEMBER_REMOVED
    elif ctx.settings.removal_kinds == 'object':
        kind = _object_removal_kind(obj, parent)
    else:
        kind = ChangeKind.REMOVED_WITHOUT_DEPRECATION
    return Removal(
        path=path,
        old=obj,
        kind=kind.value,
        deprecation=deprecation,
        moved_to=moved_to,
        moved=None if moved_to is None else ctx.new_objects[moved_to],
        parent=parent,
    )


def _object_removal_kind(
    obj: ApiObject, parent: ApiObject | None
) -> ChangeKind:
    if isinstance(obj, Module):
        return ChangeKind.MODULE_REMOVED
    if isinstance(parent, Class):
        if isinstance(obj, Function):
            if obj.is_property:
                return ChangeKind.PROPERTY_REMOVED
            return ChangeKind.METHOD_REMOVED
        if isinstance(obj, Attribute):
            return ChangeKind.ATTRIBUTE_REMOVED
    return ChangeKind.NAME_REMOVED


def _addition_kind(obj: ApiObject) -> str:
    if isinstance(obj, Module):
        return ChangeKind.MODULE_ADDED.value
    if isinstance(obj, Attribute) and obj.enum_member:
        return ChangeKind.ENUM_MEMBER_ADDED.value
    return ChangeKind.NAME_ADDED.value


def _deprecation(
    snapshot: Snapshot, objects: Mapping[str, ApiObject], path: str
) -> Deprecation | None:
    """The deprecation of ``path`` or of the nearest enclosing object.

    The binding itself is checked as well as what it resolves to: a name
    re-exported through a deprecating alias is deprecated there.
    """
    current = path
    while current:
        for obj in (snapshot.get(current), objects.get(current)):
            deprecation = getattr(obj, 'deprecation', None)
            if isinstance(deprecation, Deprecation):
                return deprecation
        current = current.rpartition('.')[0]
    return None


def _unknown_modules(snapshot: Snapshot) -> dict[str, str]:
    """Map module names whose names are not all known to the reason."""
    unknown: dict[str, str] = {}
    for module in snapshot.modules.values():
        if module.errors:
            unknown[module.name] = str(module.errors[0])
        elif module.opaque:
            unknown[module.name] = 'extension module without a stub'
        elif module.getattr_opaque:
            unknown[module.name] = (
                'its module __getattr__ may provide names dynamically'
            )
    for error in snapshot.errors:
        unknown.setdefault(error.module or error.file, str(error))
    return unknown


def _unknown_notes(
    *sides: tuple[str, dict[str, str], Snapshot],
    masked: Mapping[tuple[str, str], list[str]],
    reasons: Mapping[tuple[str, str], str],
) -> tuple[Unknown, ...]:
    notes: list[Unknown] = []
    for side, unknown, snapshot in sides:
        hidden = {module for s, module in masked if s == side}
        for module in sorted(set(unknown) | hidden):
            paths = tuple(masked.get((side, module), ()))
            dynamic = (
                module in snapshot.modules
                and snapshot.modules[module].complete
            )
            # A module __getattr__ is common and harmless; only mention it
            # when it actually hid a removal or an addition.
            if dynamic and not paths:
                continue
            reason = reasons.get((side, module)) or unknown.get(module, '')
            notes.append(Unknown(side, module, reason, paths))
    return tuple(notes)
