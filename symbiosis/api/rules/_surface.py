"""Match the public surfaces of two snapshots: pairs, removals, moves.

Computed once per :class:`~symbiosis.api.rules.base.DiffContext` with dict
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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Mapping
import dataclasses
from typing import TYPE_CHECKING

from symbiosis.api.changes import ChangeKind
from symbiosis.api.model import Alias
from symbiosis.api.model import Attribute
from symbiosis.api.model import Class
from symbiosis.api.model import Deprecation
from symbiosis.api.model import Function
from symbiosis.api.model import Module
from symbiosis.api.model import Snapshot
from symbiosis.api.rules.base import Addition
from symbiosis.api.rules.base import ApiObject
from symbiosis.api.rules.base import Removal
from symbiosis.api.rules.base import SurfaceDiff
from symbiosis.api.rules.base import Unknown
from symbiosis.api.settings import ApiSettings

if TYPE_CHECKING:
    from symbiosis.api.rules.base import DiffContext

__all__ = ['compare', 'public_map', 'same_shape']

# How much of a class's (or module's) public names must survive for a
# removed and an added object to count as the same one moved.
_MOVE_OVERLAP = 0.5


def public_map(
    snapshot: Snapshot, settings: ApiSettings
) -> dict[str, ApiObject]:
    """Return ``{public path: object}``, leaving out ignored modules.

    The first object yielded for a path wins.
    """
    objects: dict[str, ApiObject] = {}
    ignored = False
    for path, obj in snapshot.public_objects():
        # public_objects() yields each module, then everything under it.
        if isinstance(obj, Module) and obj.name == path:
            ignored = settings.is_ignored(path)
        if not ignored and path not in objects:
            objects[path] = obj
    return objects


def compare(ctx: DiffContext) -> SurfaceDiff:
    """Match ``ctx.old_objects`` with ``ctx.new_objects``."""
    old_map, new_map = ctx.old_objects, ctx.new_objects
    removed = [p for p in old_map if p not in new_map]
    added = [p for p in new_map if p not in old_map]
    blocked = set(removed)
    blocked.update(added)

    pairs: list[tuple[str, ApiObject, ApiObject]] = []
    kind_changes: list[tuple[str, ApiObject, ApiObject]] = []
    seen: dict[tuple[type, str, str], str] = {}
    pair_also: dict[str, list[str]] = defaultdict(list)
    common = sorted(
        (p for p in old_map if p in new_map),
        key=lambda p: (p.count('.'), p),
    )
    for path in common:
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
        key = (type(old), old.path, new.path)
        first = seen.get(key)
        if first is None:
            seen[key] = path
            pairs.append((path, old, new))
        else:
            pair_also[first].append(path)

    masked: dict[tuple[str, str], list[str]] = defaultdict(list)
    reasons: dict[tuple[str, str], str] = {}
    old_unknown = _unknown_modules(ctx.old)
    new_unknown = _unknown_modules(ctx.new)

    top_removed: list[str] = []
    for path in removed:
        if _under(path, blocked):
            continue
        unknown = _unknown_at(ctx.new, new_unknown, path)
        if unknown is not None:
            masked['new', unknown[0]].append(path)
            reasons['new', unknown[0]] = unknown[1]
        else:
            top_removed.append(path)
    known_added: list[str] = []
    top_added: set[str] = set()
    for path in added:
        unknown = _unknown_at(ctx.old, old_unknown, path)
        if unknown is not None:
            if not _under(path, blocked):
                masked['old', unknown[0]].append(path)
                reasons['old', unknown[0]] = unknown[1]
            continue
        known_added.append(path)
        if not _under(path, blocked):
            top_added.add(path)

    top_removed, removed_also = _group_paths(top_removed, old_map)
    top_added_paths, added_also = _group_paths(
        [p for p in added if p in top_added], new_map
    )
    moves = _find_moves(top_removed, known_added, old_map, new_map)
    moved_from = {target: source for source, target in moves.items()}
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
            ('old', old_unknown, ctx.old), ('new', new_unknown, ctx.new),
            masked=masked, reasons=reasons,
        ),
    )


def _group_paths(
    paths: list[str], objects: Mapping[str, ApiObject]
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Fold paths naming the same object into its shortest path.

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
        best = min(members, key=lambda p: (p.count('.'), p))
        kept.add(best)
        others = tuple(sorted(p for p in members if p != best))
        if others:
            also[best] = others
    return [p for p in paths if p in kept], also


def same_shape(old: ApiObject, new: ApiObject) -> bool:
    """Whether ``new`` looks like ``old`` moved elsewhere.

    Same type, and: the same parameter names and kinds for functions;
    mostly the same public member names for classes and modules; the same
    value for attributes; the same target for external aliases.
    """
    if type(old) is not type(new):
        return False
    if isinstance(old, Function) and isinstance(new, Function):
        return old.is_async == new.is_async and [
            (p.name, p.kind) for p in old.parameters
        ] == [(p.name, p.kind) for p in new.parameters]
    if isinstance(old, Class) and isinstance(new, Class):
        return _overlap(
            (m.name for m in old.public_members()),
            (m.name for m in new.public_members()),
        )
    if isinstance(old, Module) and isinstance(new, Module):
        return _overlap(old.exports, new.exports)
    if isinstance(old, Attribute) and isinstance(new, Attribute):
        return (old.value, old.enum_member) == (new.value, new.enum_member)
    if isinstance(old, Alias) and isinstance(new, Alias):
        return old.target == new.target
    return False


def _overlap(old: Iterable[str], new: Iterable[str]) -> bool:
    a, b = set(old), set(new)
    if not a and not b:
        return True
    return len(a & b) / len(a | b) >= _MOVE_OVERLAP


def _under(path: str, blocked: set[str]) -> bool:
    """Whether a proper prefix of ``path`` is in ``blocked``."""
    head = path.rpartition('.')[0]
    while head:
        if head in blocked:
            return True
        head = head.rpartition('.')[0]
    return False


def _find_moves(
    removed: list[str],
    added: list[str],
    old_map: Mapping[str, ApiObject],
    new_map: Mapping[str, ApiObject],
) -> dict[str, str]:
    if not removed or not added:
        return {}
    buckets: dict[tuple[type, str], list[str]] = defaultdict(list)
    for path in added:
        obj = new_map[path]
        buckets[type(obj), path.rpartition('.')[2]].append(path)
    moves: dict[str, str] = {}
    for path in removed:
        obj = old_map[path]
        candidates = [
            target
            for target in buckets.get((type(obj), path.rpartition('.')[2]), ())
            if same_shape(obj, new_map[target])
        ]
        if candidates:
            # The shortest public path is the one users will write.
            moves[path] = min(candidates, key=lambda p: (p.count('.'), p))
    return moves


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
        elif module.has_getattr:
            unknown[module.name] = (
                'its module __getattr__ may provide names dynamically'
            )
    for error in snapshot.errors:
        unknown.setdefault(error.module or error.file, str(error))
    return unknown


def _unknown_at(
    snapshot: Snapshot, unknown: Mapping[str, str], path: str
) -> tuple[str, str] | None:
    """Return ``(module, reason)`` when ``path``'s absence proves nothing.

    That is when the module that would define it (or the module a
    re-exporting alias points into) could not be read fully, or when the
    module still exports the name but it no longer resolves.
    """
    binding = snapshot.get(path)
    if isinstance(binding, Alias) and binding.internal:
        target = _longest_known(binding.target, unknown, snapshot)
        if target is not None and target in unknown:
            return target, unknown[target]
    parts = path.split('.')
    for i in range(len(parts), 0, -1):
        prefix = '.'.join(parts[:i])
        if prefix in unknown:
            return prefix, unknown[prefix]
        module = snapshot.modules.get(prefix)
        if module is not None:
            if i == len(parts) - 1 and parts[i] in module.exports:
                return prefix, f'{path} is exported but cannot be resolved'
            return None
    return None


def _longest_known(
    path: str, unknown: Mapping[str, str], snapshot: Snapshot
) -> str | None:
    current = path
    while current:
        if current in unknown or current in snapshot.modules:
            return current
        current = current.rpartition('.')[0]
    return None


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
