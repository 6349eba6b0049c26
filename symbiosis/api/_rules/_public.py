"""The public paths of one snapshot, and the object each reaches.

What :class:`~symbiosis.api._rules.base.DiffContext` compares: public
modules, their exports (aliases followed) and the public members of
classes, inherited ones included; see :func:`public_surface`.
"""

from __future__ import annotations

import dataclasses

from symbiosis.api._model import Alias
from symbiosis.api._model import Class
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.api._model import is_public_member_name
from symbiosis.api._reach import Reach
from symbiosis.api._rules.base import ApiObject
from symbiosis.api._settings import ApiSettings

__all__ = ['Surface', 'public_map', 'public_surface']


@dataclasses.dataclass(frozen=True)
class Surface:
    """The public paths of one snapshot.

    :param objects: public path -> the object it reaches.
    :param inherited: paths that reach a member a class inherits.
    """

    objects: dict[str, ApiObject]
    inherited: frozenset[str]


def public_map(
    snapshot: Snapshot, settings: ApiSettings, reach: Reach | None = None
) -> dict[str, ApiObject]:
    """Return ``{public path: object}`` (see :func:`public_surface`)."""
    return public_surface(snapshot, settings, reach).objects


def public_surface(
    snapshot: Snapshot, settings: ApiSettings, reach: Reach | None = None
) -> Surface:
    """The public paths of ``snapshot`` and what each reaches.

    Public modules, each module's exports (aliases followed) and, for
    classes, their public members -- inherited ones included, through
    the method resolution order -- recursively. Left out: ignored and
    test modules, version metadata names (see
    :class:`~symbiosis.api._settings.ApiSettings`), and bindings made only
    for Pythons the distribution does not support. The first object found
    for a path wins.
    """
    reach = reach if reach is not None else Reach(snapshot)
    objects: dict[str, ApiObject] = {}
    inherited: set[str] = set()

    # Per class: its public members as (name, object, inherited, walk
    # into it), computed once however many paths reach the class.
    shapes: dict[str, list[tuple[str, ApiObject, bool, bool]]] = {}

    def shape(cls: Class) -> list[tuple[str, ApiObject, bool, bool]]:
        found = shapes.get(cls.path)
        if found is not None:
            return found
        own = cls.members
        lineage = {k.path for k in reach.mro(cls)[0]}
        found = shapes[cls.path] = []
        for name, member in reach.members(cls).items():
            if not is_public_member_name(name):
                continue
            inherits = own.get(name) is not member
            obj: ApiObject = member
            if isinstance(member, Alias) and member.internal:
                # A class attribute naming another object (``type_compiler
                # = GenericTypeCompiler``): that object, not walked into.
                target = reach.resolve(member.target)
                if target is not None and not isinstance(target, Module):
                    obj = target
            # Nested classes are walked; a class another one only names
            # is walked where it is defined.
            nested = isinstance(obj, Class) and (
                obj.path.rpartition('.')[0] in lineage)
            found.append((name, obj, inherits, nested))
        return found

    def walk_class(path: str, cls: Class, depth: int) -> None:
        if depth > 10:
            return
        for name, obj, inherits, nested in shape(cls):
            member_path = f'{path}.{name}'
            if member_path in objects:
                continue
            objects[member_path] = obj
            if inherits:
                inherited.add(member_path)
            if nested and isinstance(obj, Class):
                walk_class(member_path, obj, depth + 1)

    for module in sorted(snapshot.modules.values(), key=lambda m: m.name):
        if not module.is_public or settings.is_ignored(module.name) or (
            settings.is_test_module(module.name)
        ):
            continue
        objects.setdefault(module.name, module)
        for name in module.exports:
            if name in settings.version_names:
                continue
            binding = module.members.get(name)
            if binding is not None and not reach.exists(binding):
                continue
            path = f'{module.name}.{name}'
            if path in objects:
                continue
            obj = reach.resolve(path)
            if obj is None:
                continue
            objects[path] = obj
            if isinstance(obj, Class):
                walk_class(path, obj, 0)
    return Surface(objects, frozenset(inherited))
