"""Whether one downstream use still works against a new snapshot.

The diff's rule, applied to the downstream's own lines: a use breaks
only when the path it reaches stops resolving, or when the call it makes
is rejected. Paths are resolved as Python resolves them, by the diff's
own :class:`~symbiosis.api._reach.Reach` (namespaces, imports, the MRO,
module ``__getattr__``); calls are bound by the diff's own binder
(:func:`~symbiosis.api._rules._calls.call_broken`: positional count,
keywords, keyword-compatible renames, the runtime beside a stub).

A use's path may go through instances: the scanner writes ``()`` where a
value is the result of a call (``pkg.Parser().run`` for ``p.run`` after
``p = pkg.Parser()``). Calling a class gives an instance of it; calling a
function or method gives an instance of the class its return annotation
names (in either snapshot); reading an attribute or property annotated
with a class gives an instance of it. Nothing else is inferred: a chain
that goes beyond what the snapshots describe is *unknown*, and an unknown
use is never hit.
"""

from __future__ import annotations

import dataclasses
import re

from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._reach import Reach
from symbiosis.api._rules._calls import Call
from symbiosis.api._rules._calls import broken_calls
from symbiosis.api._rules._calls import call_broken
from symbiosis.api._rules._parameter_changes import describe_changes
from symbiosis.usage._model import Use
from symbiosis.usage._model import UseKind

__all__ = [
    'CALL_MARK',
    'GONE',
    'REJECTED',
    'Reached',
    'Verdict',
    'annotated_class',
    'judge_use',
    'resolve_use',
]

ApiObject = Module | Member

#: The result of a call, in a use's path.
CALL_MARK = '()'
#: :attr:`Verdict.broken`: the path stops resolving.
GONE = 'gone'
#: :attr:`Verdict.broken`: the call is rejected.
REJECTED = 'rejected'
_SELF_TYPES = frozenset({'Self', 'typing.Self', 'typing_extensions.Self'})
_OPTIONAL = re.compile(r'^(?:typing\.)?Optional\[(.*)\]$')
_CONSTRUCTORS = ('__init__', '__new__')


@dataclasses.dataclass(frozen=True)
class Reached:
    """Where a use's path leads in one snapshot.

    :param obj: the object reached (``None``: missing or unknown).
    :param path: its defining path (``pkg._impl.Parser.run``), or the
        path that stopped resolving when ``missing``.
    :param instance: reached as an attribute of an instance (a method
        called through it binds ``self``).
    :param missing: the path does not resolve (``False``: it does, or
        whether it does cannot be known when ``obj`` is ``None``).
    :param notes: how each instance's class was known from a return or
        attribute annotation.
    :param member_of: for a class member, its path under the class it
        was looked up in (``pkg._impl.Child.helper`` for a method
        ``Child`` inherits), which the diff may report it under.
    """

    obj: ApiObject | None
    path: str
    instance: bool = False
    missing: bool = False
    notes: tuple[str, ...] = ()
    member_of: str = ''

    @property
    def unknown(self) -> bool:
        """Whether the snapshot cannot say what the path reaches."""
        return self.obj is None and not self.missing


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What a use's path and call do from OLD to NEW.

    :param broken: ``'gone'`` (the path stops resolving), ``'rejected'``
        (the call is rejected), ``''`` (still works) or ``'unknown'``.
    :param old: the path reached in OLD (its defining path).
    :param new: in NEW: the defining path, or the one that stopped
        resolving.
    :param notes: how instance types were known.
    :param member_of: the OLD member's path under the class it was looked
        up in, when it is a class member.
    """

    broken: str
    old: str = ''
    new: str = ''
    notes: tuple[str, ...] = ()
    member_of: str = ''


def _unknown(path: str, notes: tuple[str, ...] = ()) -> Reached:
    return Reached(None, path, notes=notes)


def _missing(path: str, notes: tuple[str, ...] = ()) -> Reached:
    return Reached(None, path, missing=True, notes=notes)


def _module_of(reach: Reach, path: str) -> Module | None:
    parts = path.split('.')
    for end in range(len(parts), 0, -1):
        module = reach.snapshot.modules.get('.'.join(parts[:end]))
        if module is not None:
            return module
    return None


def annotated_class(
    reach: Reach, text: str | None, where: str, owner: Class | None
) -> Class | None:
    """The distribution's class an annotation ``text`` names, if it
    names one (``Optional[X]`` and ``X | None`` name ``X``; ``Self`` names
    ``owner``), read in the module of ``where``."""
    if not text:
        return None
    text = text.strip().strip('\'"').strip()
    match = _OPTIONAL.match(text)
    if match:
        text = match.group(1).strip()
    parts = [p.strip() for p in text.split('|')]
    parts = [p for p in parts if p not in ('None', '')]
    if len(parts) != 1:
        return None
    name = parts[0].strip('\'"')
    if name in _SELF_TYPES:
        return owner
    if not all(p.isidentifier() for p in name.split('.')):
        return None
    module = _module_of(reach, where)
    candidates = [name]
    if module is not None:
        candidates.insert(0, f'{module.name}.{name}')
    for candidate in candidates:
        found = reach.resolve(candidate)
        if isinstance(found, Class):
            return found
    return None


def _returns(function: Function) -> str | None:
    returns = function.signature.returns
    if returns is None and function.runtime is not None:
        returns = function.runtime.returns
    return returns


class _Walker:
    """Resolves use paths in one snapshot, asking the other for the
    annotations this one lacks."""

    def __init__(self, reach: Reach, other: Reach | None) -> None:
        self.reach = reach
        self.other = other

    def owner(self, path: str) -> Class | None:
        found = self.reach.resolve(path.rpartition('.')[0])
        return found if isinstance(found, Class) else None

    def result_class(self, function: Function) -> tuple[Class | None, str]:
        """The class ``function`` returns an instance of, and how that is
        known."""
        owner = self.owner(function.path)
        cls = annotated_class(self.reach, _returns(function), function.path,
                              owner)
        if cls is None and self.other is not None:
            twin = self.other.resolve(function.path)
            if isinstance(twin, Function):
                twin_owner = self.other.resolve(twin.path.rpartition('.')[0])
                other = annotated_class(
                    self.other, _returns(twin), twin.path,
                    twin_owner if isinstance(twin_owner, Class) else None)
                if other is not None:
                    found = self.reach.resolve(other.path)
                    cls = found if isinstance(found, Class) else None
        how = '' if cls is None else (
            f'{function.path} is annotated to return {cls.path}')
        return cls, how

    def value_class(self, member: ApiObject) -> tuple[Class | None, str]:
        """The class of the value an attribute or property holds."""
        if isinstance(member, Attribute):
            owner = self.owner(member.path)
            cls = annotated_class(self.reach, member.annotation,
                                  member.path, owner)
            return cls, ('' if cls is None else
                         f'{member.path} is annotated {cls.path}')
        if isinstance(member, Function) and member.is_property:
            return self.result_class(member)
        return None, ''

    def start(self, dotted: str) -> Reached:
        """The longest prefix of ``dotted`` that resolves, then the rest
        step by step."""
        parts = dotted.split('.')
        for end in range(len(parts), 0, -1):
            found = self.reach.resolve('.'.join(parts[:end]))
            if found is not None:
                owner = self.owner(_path_of(found))
                if owner is not None and _annotation_only(owner, found):
                    return _missing(_path_of(found))
                current = Reached(found, _path_of(found))
                for part in parts[end:]:
                    current = self.attribute(current, part)
                    if current.obj is None:
                        break
                return current
        return _missing(parts[0])

    def attribute(self, current: Reached, part: str) -> Reached:
        obj = current.obj
        notes = current.notes
        if isinstance(obj, Module):
            found = self.reach.resolve(f'{obj.name}.{part}')
            if found is None:
                return _missing(f'{obj.name}.{part}', notes)
            return Reached(found, _path_of(found), notes=notes)
        if isinstance(obj, Class):
            member = self.reach.members(obj).get(part)
            if member is not None and not current.instance and (
                _annotation_only(obj, member)
            ):
                # ``name: str`` in a class body without a value: the
                # class has no such attribute, only its instances may.
                return _missing(member.path, notes)
            if member is not None:
                return Reached(member, member.path, current.instance,
                               notes=notes, member_of=f'{obj.path}.{part}')
            if (self.reach.unknown_base(obj, part) is not None
                    or self.reach.external_provider(obj, part) is not None):
                return _unknown(f'{obj.path}.{part}', notes)
            return _missing(f'{obj.path}.{part}', notes)
        if obj is not None:
            cls, how = self.value_class(obj)
            if cls is not None:
                return self.attribute(
                    Reached(cls, cls.path, True, notes=(*notes, how)), part)
        return _unknown(f'{current.path}.{part}', notes)

    def call(self, current: Reached) -> Reached:
        """What calling ``current``'s object gives."""
        obj = current.obj
        if isinstance(obj, Class):
            return Reached(obj, obj.path, True, notes=current.notes)
        if isinstance(obj, Function) and not obj.is_property:
            cls, how = self.result_class(obj)
            if cls is not None:
                return Reached(cls, cls.path, True,
                               notes=(*current.notes, how))
        return _unknown(f'{current.path}{CALL_MARK}', current.notes)

    def resolve(self, path: str) -> Reached:
        head, *rest = path.split(CALL_MARK)
        current = self.start(head)
        for segment in rest:
            if current.obj is None:
                return current
            current = self.call(current)
            for part in segment.split('.')[1:]:
                if current.obj is None:
                    return current
                current = self.attribute(current, part)
        return current


def _annotation_only(cls: Class, member: ApiObject) -> bool:
    """Whether ``member`` is only annotated in ``cls``'s body (not an
    attribute of the class itself, except in a named tuple)."""
    return (isinstance(member, Attribute) and member.value is None
            and member.annotation is not None and not member.instance
            and not member.enum_member
            and not any('NamedTuple' in base for base in cls.bases))


def _path_of(obj: ApiObject) -> str:
    return obj.name if isinstance(obj, Module) else obj.path


def resolve_use(reach: Reach, path: str,
                other: Reach | None = None) -> Reached:
    """Where the use path ``path`` leads in ``reach``'s snapshot.

    :param other: the other snapshot's, whose return annotations count
        when this one has none.
    """
    return _Walker(reach, other).resolve(path)


def _bound(reached: Reached, function: Function) -> int:
    """1 when the call binds the function's first parameter itself: a
    method called through an instance, a classmethod (the diff's
    ``bound_parameters``, for one call)."""
    if function.method_kind == 'staticmethod':
        return 0
    if not (function.parameters and function.parameters[0].kind.positional):
        return 0
    return int(reached.instance or function.method_kind == 'classmethod')


def _call_of(use: Use) -> Call | None:
    if use.positional is None or use.keywords is None:
        return None
    return Call(use.positional, frozenset(use.keywords))


def _function_rejects(
    old: Function, new: Function, bound: int, use: Use
) -> bool:
    if old.method_kind != new.method_kind:
        return False
    call = _call_of(use)
    if call is None:
        # ``f(*args)`` or ``f(**kw)``: broken when some call the old
        # function accepted is (the diff's judgement, for any call).
        return bool(broken_calls(old, new, bound)[0])
    _, renames = describe_changes(old.path, old.parameters, new.parameters,
                                  bound)
    return call_broken(old, new, bound, call, renames)


def _rejects(old: Reached, new: Reached, use: Use,
             old_reach: Reach, new_reach: Reach) -> bool:
    """Whether NEW rejects the call ``use`` makes, which OLD accepted."""
    if isinstance(old.obj, Function) and isinstance(new.obj, Function):
        if old.obj.is_property or new.obj.is_property:
            return False
        return _function_rejects(old.obj, new.obj, _bound(old, old.obj),
                                 use)
    if isinstance(old.obj, Class) and isinstance(new.obj, Class):
        old_members = old_reach.members(old.obj)
        new_members = new_reach.members(new.obj)
        for name in _CONSTRUCTORS:
            was, now = old_members.get(name), new_members.get(name)
            if isinstance(was, Function) and isinstance(now, Function) and (
                _function_rejects(was, now, 1, use)
            ):
                return True
    return False


def judge_use(use: Use, old_reach: Reach, new_reach: Reach) -> Verdict:
    """Judge ``use`` from OLD to NEW (see the module docstring)."""
    old = resolve_use(old_reach, use.path, new_reach)
    new = resolve_use(new_reach, use.path, old_reach)
    notes = tuple(dict.fromkeys((*old.notes, *new.notes)))
    if new.missing and new_reach.open_reason(new.path) is None and (
        old.obj is not None or (
            # Beyond what OLD describes, the part NEW lost is still a
            # break (``pkg.CONSTANT.upper``: ``pkg.CONSTANT`` is gone),
            # unless OLD lacked that very part too.
            not (old.missing and old.path == new.path)
            and old_reach.resolve(new.path) is not None)
    ):
        return Verdict(GONE, old.path, new.path, notes, old.member_of)
    if old.obj is None or new.obj is None:
        return Verdict('unknown', old.path, new.path, notes)
    if use.kind == UseKind.CALL.value and _rejects(
        old, new, use, old_reach, new_reach
    ):
        return Verdict(REJECTED, old.path, new.path, notes, old.member_of)
    return Verdict('', old.path, new.path, notes)
