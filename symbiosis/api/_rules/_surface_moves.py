"""Moves and relocations: where a path that left the surface went.

A removed path whose name reappears elsewhere in NEW with the same shape
is a *move* (:func:`find_moves`, through an index of added paths
bucketed by type and name); a path that left NEW's public surface but
still resolves is a *relocation* (:func:`relocation_of`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping

from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._model import Module
from symbiosis.api._rules.base import ApiObject
from symbiosis.api._rules.base import Relocation

__all__ = ['find_moves', 'home_index', 'relocation_of', 'same_shape']

# How much of a class's (or module's) public names must survive for a
# removed and an added object to count as the same one moved.
_MOVE_OVERLAP = 0.5


def home_index(
    objects: Mapping[str, ApiObject],
    order: Callable[[str], tuple[bool, int, str]],
) -> dict[int, str]:
    """id(object) -> its preferred public path."""
    homes: dict[int, str] = {}
    for path in sorted(objects, key=order):
        homes.setdefault(id(objects[path]), path)
    return homes


def relocation_of(
    path: str, old: ApiObject, new: ApiObject, homes: Mapping[int, str]
) -> Relocation | None:
    """The note for a path that left NEW's public surface but still
    resolves: its object moved (``name-relocated``) or is no longer
    exported (``name-unexported``)."""
    if isinstance(new, Alias) and not new.internal:
        home: str | None = new.target
    else:
        home = homes.get(id(new))
    same = (type(old) is type(new) and old.path == new.path
            and not isinstance(new, Alias))
    kind = (ChangeKind.NAME_UNEXPORTED if same
            else ChangeKind.NAME_RELOCATED)
    if home == path:
        return None
    return Relocation(path=path, old=old, new=new, kind=kind.value,
                      new_path=home)


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


def find_moves(
    removed: list[str],
    added: list[str],
    old_map: Mapping[str, ApiObject],
    new_map: Mapping[str, ApiObject],
) -> dict[str, str]:
    """Removed paths whose object reappears elsewhere with the same shape.

    Only names of modules move: a method or attribute that left its class
    is not "moved" to an unrelated class that has one of the same name.
    """
    if not removed or not added:
        return {}

    def module_level(path: str, objects: Mapping[str, ApiObject]) -> bool:
        parent = objects.get(path.rpartition('.')[0])
        return parent is None or isinstance(parent, Module)

    buckets: dict[tuple[type, str], list[str]] = defaultdict(list)
    for path in added:
        if not module_level(path, new_map):
            continue
        obj = new_map[path]
        buckets[type(obj), path.rpartition('.')[2]].append(path)
    moves: dict[str, str] = {}
    for path in removed:
        if not module_level(path, old_map):
            continue
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
