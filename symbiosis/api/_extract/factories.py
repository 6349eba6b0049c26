"""Callables built at import time by calls the distribution makes.

Some public callables are not written as ``def``: they are the result of
a call made when the module is imported. Two shapes are common and can
be read statically:

* a **wrapper factory** -- a function of the distribution whose body
  copies the signature of a callable it is given (it calls
  ``functools.wraps``/``update_wrapper`` or reads the callable's
  signature with ``inspect.signature``/``getfullargspec``) and builds a
  function (a nested ``def`` or ``lambda``, or code run by ``exec``):
  ``insert = public_factory(Insert, ...)`` is a function with the
  signature of ``Insert(...)``; the same factory used as a class
  decorator with a class of the distribution and literal lists of that
  class's member names (``@proxy_methods(Session, methods=['add'])``)
  gives the decorated class those members, as plain functions;
* a **callable instance** -- ``maximum = _extrema_operation(...)`` where
  the class (of the distribution) defines ``__call__``: the name is
  called with the signature of ``__call__``.

Whether a factory copies signatures, and what the class or callable is,
is known only once every module of the snapshot is read: each file
records the facts (:func:`factory_facts`), :func:`apply_factories` binds
the members when the snapshot is linked. Anything it cannot resolve stays
an attribute of unknown kind, never a guess.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses

from symbiosis.api._extract.scope import Scope
from symbiosis.api._extract.text import string_items
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._model import Signature

__all__ = ['FactoryCall', 'apply_factories', 'factory_facts']

#: ``(kind, name, callee, target, names)``: ``kind`` is ``'assign'``
#: (``name = callee(target, ...)``) or ``'decorate'`` (``@callee(target,
#: ..., [names])`` on class ``name``); ``target`` is the dotted path of
#: the first positional argument (``''`` when it is not a name).
FactoryCall = tuple[str, str, str, str, tuple[str, ...]]

# Calls that copy or read a callable's signature.
_SIGNATURE_COPIERS = frozenset({
    'wraps', 'update_wrapper', 'signature', 'getfullargspec',
    'getargspec', 'inspect_getfullargspec',
})
# Cheap test on the file's bytes before any function body is walked.
_MARKERS = (b'wraps', b'update_wrapper', b'signature', b'argspec')
_MAX_DEPTH = 12


def _copies_signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function takes a callable, reads its signature and
    builds a function from it (a nested ``def`` or ``lambda``, or code
    given to ``exec``)."""
    args = node.args
    if not (args.posonlyargs or args.args):
        return False
    reads = builds = False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = (func.attr if isinstance(func, ast.Attribute)
                    else func.id if isinstance(func, ast.Name) else None)
            reads = reads or name in _SIGNATURE_COPIERS
            builds = builds or name == 'exec'
        elif sub is not node and isinstance(
            sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        ):
            builds = True
        if reads and builds:
            return True
    return False


def _first_target(call: ast.Call, scope: Scope) -> str:
    if not call.args or isinstance(call.args[0], ast.Starred):
        return ''
    return scope.resolve(call.args[0]) or ''


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _member_names(call: ast.Call) -> tuple[str, ...]:
    names: list[str] = []
    for value in (*call.args[1:], *(k.value for k in call.keywords)):
        names.extend(n for n in string_items(value) or ()
                     if n.isidentifier())
    return tuple(dict.fromkeys(names))


def factory_facts(
    body: Sequence[ast.stmt],
    scope: Scope,
    members: Mapping[str, Member],
    source: bytes,
) -> tuple[tuple[str, ...], tuple[FactoryCall, ...]]:
    """Read one module's wrapper factories and factory calls.

    :param body: the module's top-level statements.
    :param scope: its scope, once the whole body was read.
    :param members: its members (only names still bound to what the call
        made are recorded).
    :param source: the file's bytes (a cheap first test).
    :returns: the names of the module's functions that copy a callable's
        signature, and the calls that may build public callables.
    """
    wrappers: list[str] = []
    if any(marker in source for marker in _MARKERS):
        wrappers = [
            stmt.name for stmt in body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
            and _copies_signature(stmt)
        ]
    calls: list[FactoryCall] = []
    stub = scope.file.endswith('.pyi')
    for stmt in body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            if len(stmt.targets) != 1 or not isinstance(
                stmt.targets[0], ast.Name
            ):
                continue
            name = stmt.targets[0].id
            member = members.get(name)
            if not (isinstance(member, Attribute) and member.value is None
                    and member.location is not None
                    and member.location.line == stmt.lineno):
                continue
            callee = scope.resolve(stmt.value.func)
            if callee is None or not scope.is_internal(callee):
                continue
            calls.append(('assign', name, callee,
                          _first_target(stmt.value, scope), ()))
        elif (isinstance(stmt, ast.AnnAssign) and stub
              and isinstance(stmt.target, ast.Name)
              and (stmt.value is None or _is_ellipsis(stmt.value))):
            # ``maximum: _extrema_operation`` in a stub: an instance.
            callee = scope.resolve(stmt.annotation)
            if callee is not None and scope.is_internal(callee):
                calls.append(('assign', stmt.target.id, callee, '', ()))
        elif isinstance(stmt, ast.ClassDef):
            for deco in stmt.decorator_list:
                if not isinstance(deco, ast.Call):
                    continue
                callee = scope.resolve(deco.func)
                target = _first_target(deco, scope)
                names = _member_names(deco)
                if callee and target and names and scope.is_internal(
                    callee
                ):
                    calls.append(('decorate', stmt.name, callee, target,
                                  names))
    return tuple(wrappers), tuple(calls)


class _Resolver:
    """Dotted paths to objects of the linked modules."""

    def __init__(self, modules: Mapping[str, Module]) -> None:
        self.modules = modules

    def lookup(self, path: str, depth: int = 0) -> Member | None:
        if depth > _MAX_DEPTH or not path:
            return None
        parts = path.split('.')
        for end in range(len(parts) - 1, 0, -1):
            module = self.modules.get('.'.join(parts[:end]))
            if module is None:
                continue
            members: Mapping[str, Member] = module.members
            obj: Member | None = None
            for part in parts[end:]:
                obj = members.get(part)
                if isinstance(obj, Alias) and obj.internal:
                    obj = self.lookup(obj.target, depth + 1)
                if obj is None:
                    return None
                members = obj.members if isinstance(obj, Class) else {}
            return obj
        return None

    def member(self, cls: Class, name: str) -> Member | None:
        """``name`` on ``cls`` through its bases (breadth first); ``None``
        when not found or a base cannot be read."""
        queue: list[Class] = [cls]
        seen: set[str] = set()
        while queue and len(seen) < 50:
            current = queue.pop(0)
            if current.path in seen:
                continue
            seen.add(current.path)
            found = current.members.get(name)
            if found is not None:
                return found
            for base in current.bases:
                if base in ('object', 'builtins.object'):
                    continue
                parent = self.lookup(base)
                if not isinstance(parent, Class):
                    return None
                queue.append(parent)
        return None


def _drop_first(signature: Signature) -> Signature:
    return dataclasses.replace(signature,
                               parameters=signature.parameters[1:])


def _bound(function: Function) -> tuple[Signature, Signature | None]:
    """The signature of ``function`` once bound (its first parameter
    dropped), as calling an instance or a class sees it, and the same of
    the code's signature when a stub gave the first."""
    runtime = function.runtime
    return (_drop_first(function.signature),
            None if runtime is None else _drop_first(runtime))


def _made(
    attr: Attribute, source: Function, signature: Signature,
    runtime: Signature | None = None,
) -> Function:
    # A wrapper is a plain function, whatever it wraps.
    return Function(
        name=attr.name, path=attr.path, location=attr.location,
        deprecation=attr.deprecation or source.deprecation,
        python=attr.python, typing_only=attr.typing_only,
        signature=signature,
        keyword_aliases=source.keyword_aliases, runtime=runtime,
    )


def _wrapped_signature(
    resolver: _Resolver, target: str
) -> tuple[Function, Signature, Signature | None] | None:
    obj = resolver.lookup(target)
    if isinstance(obj, Class):
        init = resolver.member(obj, '__init__')
        if isinstance(init, Function):
            return (init, *_bound(init))
        return None
    if not isinstance(obj, Function):
        return None
    owner = resolver.lookup(target.rpartition('.')[0])
    if isinstance(owner, Class) and 'classmethod' in obj.decorators:
        return (obj, *_bound(obj))
    return obj, obj.signature, obj.runtime


def _instance_call(
    resolver: _Resolver, callee: str
) -> Function | None:
    cls = resolver.lookup(callee)
    if not isinstance(cls, Class) or cls.is_enum or cls.metaclass:
        return None
    if resolver.member(cls, '__new__') is not None:
        return None
    call = resolver.member(cls, '__call__')
    if isinstance(call, Function) and not call.decorators & {
        'staticmethod', 'classmethod', 'property'
    }:
        return call
    return None


def _proxy_members(
    resolver: _Resolver, cls: Class, target: Class, names: tuple[str, ...]
) -> dict[str, Member]:
    added: dict[str, Member] = {}
    for name in names:
        if name in cls.members:
            continue
        found = resolver.member(target, name)
        path = f'{cls.path}.{name}'
        if isinstance(found, Function):
            added[name] = dataclasses.replace(
                found, path=path, is_async=False, location=cls.location)
        elif isinstance(found, Attribute) and not found.enum_member:
            added[name] = dataclasses.replace(
                found, path=path, location=cls.location)
    return added


def apply_factories(
    modules: dict[str, Module],
    facts: Mapping[str, tuple[tuple[str, ...], tuple[FactoryCall, ...]]],
    canonical: Callable[[str], str],
) -> None:
    """Bind the callables the recorded factory calls build, in place.

    :param modules: the linked modules by name.
    :param facts: per module, what :func:`factory_facts` found.
    :param canonical: a dotted path through the distribution's aliases.
    """
    wrappers = {f'{module}.{name}' for module, (names, _) in facts.items()
                for name in names}
    resolver = _Resolver(modules)
    for module_name, (_, calls) in facts.items():
        module = modules.get(module_name)
        if module is None or not calls:
            continue
        updates: dict[str, Member] = {}
        for kind, name, callee, target, names in calls:
            current = module.members.get(name)
            callee = canonical(callee)
            if kind == 'decorate':
                wrapped = resolver.lookup(canonical(target))
                if (callee in wrappers and isinstance(current, Class)
                        and isinstance(wrapped, Class)):
                    added = _proxy_members(resolver, current, wrapped, names)
                    if added:
                        updates[name] = dataclasses.replace(
                            current, members={**current.members, **added})
                continue
            if not isinstance(current, Attribute):
                continue
            if callee in wrappers and target:
                copied = _wrapped_signature(resolver, canonical(target))
                if copied is not None:
                    updates[name] = _made(current, *copied)
                continue
            call = _instance_call(resolver, callee)
            if call is not None:
                updates[name] = _made(current, call, *_bound(call))
        if updates:
            modules[module_name] = dataclasses.replace(
                module, members={**module.members, **updates})
