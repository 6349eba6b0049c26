"""The part of the file walk that follows upstream instances.

:class:`InstanceTracking` is mixed into
:class:`~symbiosis.usage._walk.UseWalker`. It finds, before the walk
over uses, the local names that may hold upstream instances (so that the
lines mentioning them are visited), and during that walk binds them in
their scope, each with a phrase saying how its type was known (see
:mod:`symbiosis.usage._instances` for what is followed).

A class of the downstream deriving from an upstream class is bound to
that class too, with the names its body defines (``\\0own:`` key): its
calls and its instances' attributes are the upstream class's, except for
what the subclass defines itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from collections.abc import Sequence

from symbiosis.usage._instances import CALL_MARK
from symbiosis.usage._instances import VIA_KEY
from symbiosis.usage._instances import annotation_paths
from symbiosis.usage._instances import annotation_root
from symbiosis.usage._instances import binding_targets
from symbiosis.usage._instances import chain_root
from symbiosis.usage._instances import self_attributes
from symbiosis.usage._instances import self_name

__all__ = ['OWN_KEY', 'Binding', 'Candidate', 'InstanceTracking', 'Span']

#: Scope key prefix of the names a downstream subclass defines itself.
OWN_KEY = '\0own:'
# Class scope keys of the instances ``self.<attribute>`` holds.
_SELF_KEY = '\0self:'
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BODIES = ('body', 'orelse', 'finalbody')
_CONSTRUCTORS = frozenset({'__init__', '__new__'})

#: ``(local name, paths, how known, own names)``: what a statement binds.
Binding = tuple[str, tuple[str, ...], str, tuple[str, ...]]
#: First and last line of a function or class.
Span = tuple[int, int]
#: ``(name, root, span)``: a name a statement may bind, the name its
#: value starts at, and where the name may be read (``None``: anywhere).
Candidate = tuple[str, 'str | None', 'Span | None']
# A statement that may bind, its function or class, the class whose
# methods it is in, and its candidates once read (``None``: not yet).
_Pending = tuple[ast.stmt, 'Span | None', 'Span | None',
                 'tuple[Candidate, ...] | None']
Scope = dict[str, tuple[str, ...]]


# Statements holding blocks, and the fields of those blocks.
_BLOCKS: dict[type[ast.stmt], tuple[str, ...]] = {
    ast.If: ('body', 'orelse'), ast.For: ('body', 'orelse'),
    ast.AsyncFor: ('body', 'orelse'), ast.While: ('body', 'orelse'),
    ast.With: ('body',), ast.AsyncWith: ('body',),
    ast.Try: ('body', 'handlers', 'orelse', 'finalbody'),
    ast.FunctionDef: ('body',), ast.AsyncFunctionDef: ('body',),
    ast.ClassDef: ('body',), ast.Match: ('cases',),
}
if hasattr(ast, 'TryStar'):  # Python 3.11
    _BLOCKS[ast.TryStar] = ('body', 'handlers', 'orelse', 'finalbody')
_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_BINDERS = frozenset({ast.Assign, ast.AnnAssign, ast.With, ast.AsyncWith,
                      ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})


def _children(stmt: ast.stmt, fields: tuple[str, ...]) -> Iterator[ast.stmt]:
    """The statements of ``stmt``'s blocks (handlers' and cases' bodies
    included)."""
    for field in fields:
        for item in getattr(stmt, field):
            if isinstance(item, ast.stmt):
                yield item
            else:
                yield from item.body


def _candidates(stmt: ast.stmt, scope: Span | None, owner: Span | None
                ) -> tuple[Candidate, ...]:
    """``(name, root, span)`` of what ``stmt`` may bind to an instance
    (or, for a class statement, to an upstream base), and where that name
    may be read (``self.x``: in the methods of the class)."""
    if isinstance(stmt, _DEFS):
        args = stmt.args
        span = (stmt.lineno, stmt.end_lineno or stmt.lineno)
        return tuple((arg.arg, annotation_root(arg.annotation), span)
                     for arg in (*args.posonlyargs, *args.args,
                                 *args.kwonlyargs)
                     if arg.annotation is not None)
    if isinstance(stmt, ast.ClassDef):
        return tuple((stmt.name, chain_root(base), scope)
                     for base in stmt.bases)
    locals_ = {t.id for t in getattr(stmt, 'targets', ())
               if isinstance(t, ast.Name)}
    target = getattr(stmt, 'target', None)
    if isinstance(target, ast.Name):
        locals_.add(target.id)
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        locals_.update(i.optional_vars.id for i in stmt.items
                       if isinstance(i.optional_vars, ast.Name))
    root = (annotation_root if isinstance(stmt, ast.AnnAssign)
            else chain_root)
    return tuple((name, root(value), scope if name in locals_ else owner)
                 for name, value in binding_targets(stmt))


def _own_names(node: ast.ClassDef) -> tuple[str, ...]:
    """The names a class body defines."""
    names: list[str] = []
    for stmt in node.body:
        if isinstance(stmt, (*_DEFS, ast.ClassDef)):
            names.append(stmt.name)
        elif isinstance(stmt, ast.Assign):
            names.extend(t.id for t in stmt.targets
                         if isinstance(t, ast.Name))
        elif isinstance(stmt, ast.AnnAssign) and isinstance(
            stmt.target, ast.Name
        ):
            names.append(stmt.target.id)
    return tuple(names)


def _callee(node: ast.expr) -> str:
    """Short source text of a bound value's callee, for explanations."""
    while isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call):
        node = node.func
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + '...'


def _shown(paths: tuple[str, ...]) -> str:
    return paths[0].removesuffix(CALL_MARK) if paths else ''


class InstanceTracking:
    """Instance bindings of :class:`~symbiosis.usage._walk.UseWalker`."""

    bound: set[str]
    scopes: list[tuple[Scope, bool]]

    def touches_stmt(self, node: ast.stmt) -> bool:
        raise NotImplementedError

    def lookup(self, name: str) -> tuple[str, ...]:
        raise NotImplementedError

    # -- walk one ----------------------------------------------------------

    def instance_names(
        self, body: Sequence[ast.stmt]
    ) -> dict[str, list[Span | None]]:
        """Names on candidate lines that may be bound to an upstream
        instance or subclass and are not yet known, with the lines where
        each may be read (``None``: anywhere in the file; else the
        function or class it is bound in): the caller marks the lines
        there that mention them, and asks again (``q = p.child()`` after
        ``p = pkg.Parser()``)."""
        if self._marked is None:
            self._marked = {name: {None} for name in self.bound}
        marked = self._marked
        bound = self.bound
        new: dict[str, list[Span | None]] = {}
        kept: list[_Pending] = []
        for entry in self._binders(body):
            stmt, scope, owner, candidates = entry
            if candidates is None:
                if not self.touches_stmt(stmt):
                    kept.append(entry)
                    continue
                candidates = _candidates(stmt, scope, owner)
            waiting = []
            for candidate in candidates:
                name, root, span = candidate
                spans = marked.get(name)
                if spans is not None and (None in spans or span in spans):
                    continue
                if root in bound and self.touches_stmt(stmt):
                    marked.setdefault(name, set()).add(span)
                    new.setdefault(name, []).append(span)
                    if span is not None and span == owner:
                        self.self_classes.add(span)
                else:
                    waiting.append(candidate)
            if waiting:
                kept.append((stmt, scope, owner, tuple(waiting)))
        self._pending = kept
        bound.update(new)
        return new

    _pending: list[_Pending] | None = None
    _marked: dict[str, set[Span | None]] | None = None

    @property
    def self_classes(self) -> set[Span]:
        """Spans of the classes whose methods assign an upstream
        instance to some ``self.x``."""
        found: set[Span] | None = self.__dict__.get('_self_classes')
        if found is None:
            found = self.__dict__['_self_classes'] = set()
        return found

    def _binders(self, body: Sequence[ast.stmt]) -> list[_Pending]:
        """Every statement that may bind an instance or a subclass, with
        the function or class it is in and the class whose methods it is
        in (read once per file: later rounds only look at those still
        waiting)."""
        if self._pending is not None:
            return self._pending
        found: list[_Pending] = []
        blocks = _BLOCKS
        binders = _BINDERS
        stack: list[tuple[Iterator[ast.stmt], Span | None, Span | None]] = [
            (iter(body), None, None)]
        pop, push = stack.pop, stack.append
        while stack:
            statements, scope, owner = stack[-1]
            for stmt in statements:
                kind = type(stmt)
                if kind in binders:
                    found.append((stmt, scope, owner, None))
                fields = blocks.get(kind)
                if fields is not None:
                    inner = scope
                    if kind in _SCOPES:
                        inner = (stmt.lineno, stmt.end_lineno or stmt.lineno)
                    push((_children(stmt, fields), inner,
                          inner if kind is ast.ClassDef else owner))
                    break
            else:
                pop()
        return found

    # -- walk two ----------------------------------------------------------

    def chain_paths(
        self, node: ast.expr
    ) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
        """The upstream paths a chain of names, attributes and calls
        reaches (a call result written ``()``), how the instance at its
        root was known, and the names a downstream subclass at its root
        defines itself (when the chain is that class or its instance)."""
        ops: list[str] = []
        for _ in range(200):
            if isinstance(node, ast.Await):
                node = node.value
            elif isinstance(node, ast.Attribute):
                ops.append('.' + node.attr)
                node = node.value
            elif isinstance(node, ast.Call):
                ops.append(CALL_MARK)
                node = node.func
            else:
                break
        if not isinstance(node, ast.Name):
            return (), '', ()
        name = node.id
        if ops and ops[-1].startswith('.') and (
            f'{name}{ops[-1]}' in self.bound
        ):
            name += ops.pop()
        elif name not in self.bound:
            return (), '', ()
        paths = self.lookup(name)
        if not paths:
            return (), '', ()
        own = self.lookup(OWN_KEY + name)
        if own and ops and ops[-1] != CALL_MARK and ops[-1][1:] in own:
            return (), '', ()  # the subclass's own attribute
        own = own if ops in ([], [CALL_MARK]) else ()
        tail = ''.join(reversed(ops))
        via = self.lookup(VIA_KEY + name)
        return tuple(p + tail for p in paths), via[0] if via else '', own

    def through_call(self, base: ast.Call, attrs: list[str]
                     ) -> list[tuple[str, str]]:
        """``(path, how known)`` of the uses of ``base(...).<attrs>``
        (``attrs`` innermost last), unless the first attribute is a
        downstream subclass's own."""
        paths, root_via, own = self.chain_paths(base)
        if not paths or attrs[-1] in own:
            return []
        suffix = '.'.join(reversed(attrs))
        via = f'{_callee(base)}(...) on line {base.lineno}'
        if root_via:
            via += f'; {root_via}'
        return [(f'{path}.{suffix}', via) for path in paths]

    def resolved(self, node: ast.expr) -> tuple[str, ...]:
        """:meth:`chain_paths` without the explanation."""
        return self.chain_paths(node)[0]

    def bind(self, binding: Binding) -> None:
        """Bind a local name to upstream paths (``()``: hide outer
        bindings), in the current scope."""
        name, paths, via, own = binding
        scope = self.scopes[-1][0]
        scope[name] = paths
        for key, value in ((VIA_KEY + name, (via,) if via else ()),
                           (OWN_KEY + name, own)):
            if paths and value:
                scope[key] = value
            else:
                scope.pop(key, None)

    def bindings(self, node: ast.stmt) -> list[Binding]:
        """What an assignment, annotated assignment or ``with`` binds
        (``p = 3`` after ``p = pkg.Parser()`` binds nothing, hiding the
        instance)."""
        out: list[Binding] = []
        if isinstance(node, ast.Assign) and isinstance(
            node.value, ast.Constant
        ):
            return [(t.id, (), '', ()) for t in node.targets
                    if isinstance(t, ast.Name) and t.id in self.bound]
        for name, value in binding_targets(node):
            if name not in self.bound:
                continue
            target = (node.targets[0] if isinstance(node, ast.Assign)
                      else getattr(node, 'target', None))
            if isinstance(target, ast.Attribute):
                continue  # self.x: read once per class (class_scope)
            own: tuple[str, ...] = ()
            if isinstance(node, ast.AnnAssign):
                paths = annotation_paths(value, self.resolved)
                via = f'{name}: {_shown(paths)} on line {node.lineno}'
            else:
                paths, root_via, own = self.chain_paths(value)
                paths = tuple(p for p in paths if CALL_MARK in p)
                text = _callee(value)
                via = (f'with {text}(...) as {name} on line {node.lineno}'
                       if isinstance(node, (ast.With, ast.AsyncWith))
                       else f'{name} = {text}(...) on line {node.lineno}')
                if root_via:
                    via += f'; {root_via}'
            out.append((name, paths, via, own))
        return out

    def parameter_bindings(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef,
        local: Scope, every: Sequence[ast.arg],
    ) -> None:
        """Bind ``node``'s parameters annotated with upstream classes, and
        ``self.x`` for the attributes its class assigns, in ``local``."""
        for arg in every:
            if arg.arg in local and arg.annotation is not None:
                paths = annotation_paths(arg.annotation, self.resolved)
                if paths:
                    local[arg.arg] = paths
                    local[VIA_KEY + arg.arg] = (
                        f'parameter {arg.arg}: {_shown(paths)} of '
                        f'{node.name}() on line {arg.lineno}',)
        enclosing, is_class = self.scopes[-1]
        me = self_name(node) if is_class else None
        if me is None:
            return
        for key, paths in enclosing.items():
            if key.startswith(_SELF_KEY):
                name = f'{me}.{key[len(_SELF_KEY):]}'
                self.bound.add(name)
                local[name] = paths
                local[VIA_KEY + name] = enclosing[VIA_KEY + key]

    def class_scope(self, node: ast.ClassDef) -> Scope:
        """The scope of ``node``'s body, holding what its methods assign
        to ``self``."""
        scope: Scope = {}
        span = (node.lineno, node.end_lineno or node.lineno)
        if span not in self.self_classes:
            return scope
        for attr, (paths, via) in self_attributes(
            node, self.resolved, self.touches_stmt
        ).items():
            scope[_SELF_KEY + attr] = paths
            scope[VIA_KEY + _SELF_KEY + attr] = (via,)
        return scope

    def subclass_binding(self, node: ast.ClassDef) -> Binding | None:
        """The binding of a downstream class deriving from upstream
        classes (``None`` for any other class)."""
        if node.name not in self.bound:
            return None
        paths = tuple(p for base in node.bases
                      for p in self.chain_paths(base)[0]
                      if CALL_MARK not in p)
        if not paths:
            return (node.name, (), '', ())
        return (node.name, paths,
                f'{node.name} subclasses {paths[0]} (line {node.lineno})',
                _own_names(node))

    def own_constructor(self, name: str) -> bool:
        """Whether the downstream subclass bound to ``name`` defines its
        own ``__init__`` or ``__new__``."""
        return bool(_CONSTRUCTORS.intersection(
            self.lookup(OWN_KEY + name)))

    def own_attribute(self, name: str, attribute: str) -> bool:
        """Whether ``attribute`` of what ``name`` holds is the downstream
        subclass's own."""
        return attribute in self.lookup(OWN_KEY + name)
