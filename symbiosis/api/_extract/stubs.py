"""A stub and the code beside it: types from one, run-time facts from the
other.

When a module ships both ``mod.pyi`` and ``mod.py``, the stub gives the
typed API and is read first; but stubs routinely leave out what only the
code shows -- a ``warnings.warn(..., DeprecationWarning)`` in a function
body, a ``**kwargs`` that absorbs old keywords, a module ``__getattr__``
that keeps old names working. :func:`merge_runtime` folds those facts
into the stub's module:

* deprecations of the runtime objects, where the stub declares none;
* the runtime signature of a function whose parameters differ from the
  stub's (by names, kinds and defaults), as
  :attr:`~symbiosis.api._model.Function.runtime`, so calls are judged by
  what the code accepts;
* keyword aliases (``renamed_kwarg``) declared on the code;
* the module ``__getattr__`` facts when the code defines one;
* methods the stub declares on a class that the code's class neither
  defines nor inherits (every base read, no metaclass, decorator or
  attribute hook) are *typing only*: they do not exist at run time;
* names the code binds that the stub leaves out, as members (they
  resolve at run time); those the code makes public (its ``__all__``, or
  its own public definitions) are exports too -- stubs often leave out
  deprecated names, and their removal must not go unseen.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from collections.abc import Mapping
import dataclasses
import typing
from typing import Any

from symbiosis.api._model import Alias
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._model import Signature

__all__ = ['Lookup', 'merge_runtime']

_MAX_DEPTH = 30

#: Finds the object a dotted path names among the extracted modules
#: (the runtime module often imports its functions from elsewhere:
#: ``from ._make import make_class``).
Lookup = Callable[[str], Member | None]


def _shape(signature: Signature) -> tuple[tuple[str, str, bool], ...]:
    return tuple((p.name, p.kind.value, p.default is not None)
                 for p in signature.parameters)


def _merge_member(stub: Member, runtime: Member, depth: int,
                  lookup: Lookup | None) -> Member:
    if isinstance(runtime, Alias) and runtime.internal and (
        lookup is not None and not isinstance(stub, Alias)
    ):
        found = lookup(runtime.target)
        if found is not None:
            runtime = found
    changes: dict[str, Any] = {}
    if stub.deprecation is None and runtime.deprecation is not None:
        changes['deprecation'] = runtime.deprecation
    if isinstance(stub, Function) and isinstance(runtime, Function):
        if _shape(stub.signature) != _shape(runtime.signature) or (
            stub.overloads and 'overload' in stub.decorators
        ):
            changes['runtime'] = runtime.signature
        if not stub.keyword_aliases and runtime.keyword_aliases:
            changes['keyword_aliases'] = runtime.keyword_aliases
    elif (isinstance(stub, Class) and isinstance(runtime, Class)
          and depth < _MAX_DEPTH):
        members = _merge_members(
            stub.members, runtime.members, depth + 1, lookup)
        if lookup is not None and _plain(runtime):
            for name, member in members.items():
                if (isinstance(member, Function) and not member.typing_only
                        and name not in runtime.members
                        and not name.startswith('__')
                        and _provided(name, runtime.bases, lookup, 0)
                        is False):
                    # Declared by the stub only: type checkers see it,
                    # the running code has no such method.
                    members[name] = dataclasses.replace(
                        member, typing_only=True)
        changes['members'] = members
    return dataclasses.replace(stub, **changes) if changes else stub


def _plain(cls: Class) -> bool:
    """A class whose members are all written in class bodies: no
    metaclass, no class decorator, no attribute hook."""
    return (cls.metaclass is None and not cls.decorators
            and '__getattr__' not in cls.members
            and '__getattribute__' not in cls.members)


def _provided(name: str, bases: tuple[str, ...], lookup: Lookup,
              depth: int) -> bool | None:
    """Whether a base in ``bases`` (or theirs) provides ``name``;
    ``None`` when one of them cannot be read."""
    if depth > _MAX_DEPTH:
        return None
    for text in bases:
        base = text.partition('[')[0]
        if base in ('object', 'builtins.object', 'typing.Generic'):
            continue
        builtin = _builtin_members(base)
        if builtin is not None:
            if name in builtin:
                return True
            continue
        found = lookup(base)
        if not isinstance(found, Class) or not _plain(found):
            return None
        if name in found.members:
            return True
        deeper = _provided(name, found.bases, lookup, depth + 1)
        if deeper is not False:
            return deeper
    return False


def _builtin_members(base: str) -> frozenset[str] | None:
    """The attribute names of a builtin class (``dict``,
    ``typing.Dict``...), ``None`` for any other name."""
    module, _, attr = base.rpartition('.')
    if module not in ('', 'builtins', 'typing'):
        return None
    obj = getattr(builtins if module != 'typing' else typing, attr, None)
    obj = getattr(obj, '__origin__', obj)
    return frozenset(dir(obj)) if isinstance(obj, type) and (
        obj.__module__ == 'builtins') else None


def _merge_members(
    stub: Mapping[str, Member], runtime: Mapping[str, Member], depth: int,
    lookup: Lookup | None,
) -> dict[str, Member]:
    merged: dict[str, Member] = {}
    for name, member in stub.items():
        other = runtime.get(name)
        merged[name] = (member if other is None
                        else _merge_member(member, other, depth, lookup))
    for name, member in runtime.items():
        merged.setdefault(name, member)
    return merged


def merge_runtime(stub: Module, runtime: Module,
                  lookup: Lookup | None = None) -> Module:
    """``stub`` with the run-time facts of ``runtime`` (the module read
    from the ``.py`` beside it). A runtime file that cannot be read adds
    nothing.

    :param lookup: resolves the runtime module's imports from within the
        distribution, so a function the stub declares and the code
        imports from a private module is compared with its definition.
    """
    if runtime.errors:
        return stub
    changes: dict[str, Any] = {
        'members': _merge_members(stub.members, runtime.members, 0,
                                  lookup),
    }
    if stub.deprecation is None and runtime.deprecation is not None:
        changes['deprecation'] = runtime.deprecation
    # What the code makes public is API too, whatever the stub lists:
    # stubs often leave deprecated names out, and hiding their removal
    # would hide a break.
    extra = tuple(n for n in runtime.exports if n not in stub.exports)
    if extra:
        changes['exports'] = (*stub.exports, *extra)
    if runtime.has_getattr:
        changes.update(
            has_getattr=True,
            getattr_opaque=runtime.getattr_opaque or stub.getattr_opaque,
            getattr_forwards=tuple(dict.fromkeys(
                (*stub.getattr_forwards, *runtime.getattr_forwards))),
            refused=tuple(dict.fromkeys((*stub.refused, *runtime.refused))),
        )
    return dataclasses.replace(stub, **changes)
