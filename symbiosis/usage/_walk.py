"""The walks over one parsed file that find an upstream's uses.

:class:`UseWalker` first collects the local names upstream imports bind,
in every scope, then visits the statements and expressions on candidate
lines, resolving each ``Name``/``Attribute`` chain through the bindings in
scope (see :mod:`symbiosis.usage._pyfile` for the whole procedure).

Both walks keep a stack of their own instead of recursing: Python
compiles expressions nested thousands of levels deep (a sum of 900 terms)
and ``elif`` chains thousands of links long, far deeper than recursion
goes, and a file the walk gave up on would hide its uses.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
import itertools
import re
from typing import Any

from symbiosis.usage._bindings import InstanceTracking
from symbiosis.usage._instances import VIA_KEY
from symbiosis.usage._model import UseKind

__all__ = [
    'KIND_RANK',
    'CallArgs',
    'RawUse',
    'UseWalker',
    'call_args',
    'merge_calls',
]

#: What a call passes: ``(positional count, keywords)``; either is
#: ``None`` when the call unpacks ``*args`` or ``**kwargs``.
CallArgs = tuple[int | None, tuple[str, ...] | None]
#: ``(path, line, kind, call, via)``: a use before it is given its file;
#: ``call`` is what the calls of ``path`` on that line pass (``None`` for
#: other uses), ``via`` how an instance's type was known (``None``).
RawUse = tuple[str, int, str, CallArgs | None, str | None]

_IMPORT = UseKind.IMPORT.value
_STAR = UseKind.STAR.value
_NAME = UseKind.NAME.value
_CALL = UseKind.CALL.value
_BASE = UseKind.BASE.value
_DECORATOR = UseKind.DECORATOR.value
_STRING = UseKind.STRING.value
_ENTRY_POINT = UseKind.ENTRY_POINT.value

#: When one line uses a path in two ways, the most telling one is kept
#: (the per-file walk and the tree scan rank them alike).
KIND_RANK = {
    _CALL: 0, _BASE: 1, _DECORATOR: 2, _IMPORT: 3, _STAR: 4,
    _ENTRY_POINT: 5, _STRING: 6, _NAME: 7,
}

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BODIES = ('body', 'orelse', 'finalbody')

# ``[name =] dotted.module[:attr.path] [extras]``, the whole string.
_DOTTED_STRING = re.compile(
    r'\s*(?:[\w.-]+\s*=\s*)?'
    r'([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)'
    r'(?:\s*:\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*))?'
    r'\s*(?:\[[\w\s,.-]*\])?\s*'
)
_MAX_STRING = 300


_Binding = tuple[str, str, str, int, bool]

# What one step of walk two does with its node.
_STMT, _EXPR, _GENERIC, _ENTER, _LEAVE, _BIND = range(6)

#: ``(what, node, kind, call)``: ``kind`` and ``call`` for expressions
#: (``call``: what the call whose callee this is passes); for ``_ENTER``
#: the node is the scope entered.
_Step = tuple[int, Any, str, 'CallArgs | None']
_LEAVE_STEP: _Step = (_LEAVE, None, '', None)


def _import_bindings(
    node: ast.Import | ast.ImportFrom, names: frozenset[str]
) -> list[_Binding]:
    """``(local name, upstream path, kind, line, is a use)`` of an import.

    The local name is empty when nothing is bound (``from x import *``).
    Relative imports are the downstream's own modules and bind nothing
    here.
    """
    out: list[_Binding] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            top = alias.name.partition('.')[0]
            if top not in names:
                continue
            line = getattr(alias, 'lineno', node.lineno)
            if alias.asname:
                out.append((alias.asname, alias.name, _IMPORT, line, True))
            else:
                # ``import x.y`` binds ``x``; the use is ``x.y``.
                out.append((top, top, _IMPORT, line, alias.name == top))
                if alias.name != top:
                    out.append(('', alias.name, _IMPORT, line, True))
        return out
    module = node.module
    if node.level or not module or module.partition('.')[0] not in names:
        return out
    for alias in node.names:
        line = getattr(alias, 'lineno', node.lineno)
        if alias.name == '*':
            out.append(('', module, _STAR, line, True))
        else:
            out.append((alias.asname or alias.name,
                        f'{module}.{alias.name}', _IMPORT, line, True))
    return out


class UseWalker(InstanceTracking):
    """The two walks over one parsed file."""

    def __init__(self, names: frozenset[str], line_count: int) -> None:
        self.names = names
        #: 1 on each candidate line (index: line number).
        self.marks = [0] * (line_count + 1)
        #: ``seen[n]``: number of candidate lines up to line ``n``.
        self.seen = self.marks
        #: Every local name some import in the file binds to the upstream.
        self.bound: set[str] = set()
        self.found: dict[tuple[str, int], str] = {}
        #: What the calls of each ``(path, line)`` pass, merged.
        self.calls: dict[tuple[str, int], CallArgs] = {}
        #: How the instance of each ``(path, line)`` was known.
        self.vias: dict[tuple[str, int], str] = {}
        self.scopes: list[tuple[dict[str, tuple[str, ...]], bool]] = []

    # -- helpers ---------------------------------------------------------

    def mark(self, lines: Iterable[int]) -> None:
        """Add candidate ``lines``."""
        marks = self.marks
        for line in lines:
            if line < len(marks):
                marks[line] = 1
        self.seen = list(itertools.accumulate(marks))

    def touches(self, node: ast.AST) -> bool:
        """Whether a candidate line falls within ``node``'s lines."""
        try:
            first: int = node.lineno  # type: ignore[attr-defined]
            last: int = node.end_lineno  # type: ignore[attr-defined]
        except AttributeError:
            return True
        seen = self.seen
        try:
            return seen[last] > seen[first - 1]
        except (IndexError, TypeError):
            return True

    def touches_stmt(self, node: ast.stmt) -> bool:
        """:meth:`touches`, counting a definition's decorators, which sit
        above its first line."""
        if self.touches(node):
            return True
        decorators = getattr(node, 'decorator_list', None)
        if not decorators:
            return False
        seen = self.seen
        first: int = decorators[0].lineno
        try:
            return seen[node.lineno] > seen[first - 1]
        except IndexError:
            return True

    def add(self, path: str, line: int, kind: str,
            call: CallArgs | None = None, via: str | None = None) -> None:
        """Record a use; ``call``: what a call of ``path`` passes;
        ``via``: how the instance it goes through was known."""
        key = (path, line)
        if via is not None:
            self.vias.setdefault(key, via)
        current = self.found.get(key)
        if current is None or KIND_RANK[kind] < KIND_RANK[current]:
            self.found[key] = kind
        if kind == _CALL and call is not None:
            seen = self.calls.get(key)
            self.calls[key] = call if seen is None else merge_calls(
                seen, call)

    def result(self) -> tuple[RawUse, ...]:
        calls, vias = self.calls, self.vias
        return tuple(sorted(
            (path, line, kind,
             calls.get((path, line)) if kind == _CALL else None,
             vias.get((path, line)))
            for (path, line), kind in self.found.items()
        ))

    def lookup(self, name: str) -> tuple[str, ...]:
        """The upstream paths ``name`` is bound to in the current scope."""
        scopes = self.scopes
        innermost = len(scopes) - 1
        for index in range(innermost, -1, -1):
            mapping, is_class = scopes[index]
            if is_class and index != innermost:
                continue  # class bodies do not leak into methods
            found = mapping.get(name)
            if found is not None:
                return found
        return ()

    # -- walk one: the imports -------------------------------------------

    def collect(
        self, body: Sequence[ast.stmt],
        module: dict[str, tuple[str, ...]] | None,
    ) -> None:
        """Record every binding of an upstream import.

        ``module`` receives the module-level ones (``None`` inside
        functions and classes), so functions defined above an import still
        see it, as they do at run time.
        """
        # The blocks being read, innermost last, each with the mapping
        # its imports bind in.
        stack: list[tuple[Iterator[ast.stmt],
                          dict[str, tuple[str, ...]] | None]] = [
            (iter(body), module)]
        while stack:
            statements, scope = stack[-1]
            stmt = next(statements, None)
            if stmt is None:
                stack.pop()
                continue
            if not self.touches(stmt):
                continue
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for local, path, _kind, _line, _used in _import_bindings(
                    stmt, self.names
                ):
                    if not local:
                        continue
                    self.bound.add(local)
                    if scope is not None:
                        _bind(scope, local, path)
            elif isinstance(stmt, (*_DEFS, ast.ClassDef)):
                stack.append((iter(stmt.body), None))
            else:
                blocks: list[Sequence[ast.stmt]] = [
                    getattr(stmt, field, None) or () for field in _BODIES]
                blocks.extend(h.body for h in getattr(stmt, 'handlers', ()))
                blocks.extend(c.body for c in getattr(stmt, 'cases', ()))
                stack.append((itertools.chain.from_iterable(blocks), scope))

    # -- walk two: the uses ----------------------------------------------

    def run(
        self, body: Sequence[ast.stmt], module: dict[str, tuple[str, ...]]
    ) -> None:
        """Record the uses in ``body``: its statements and expressions on
        candidate lines, in source order, each step pushing the steps its
        parts take (last first) on one stack."""
        self.scopes = [(dict(module), False)]
        work: list[_Step] = []
        self.body(body, work)
        pop, expr, stmt, generic = work.pop, self.expr, self.stmt, (
            self.generic)
        while work:
            what, node, kind, call = pop()
            if what == _EXPR:
                expr(node, kind, call, work)
            elif what == _STMT:
                stmt(node, work)
            elif what == _GENERIC:
                generic(node, work)
            elif what == _ENTER:
                self.scopes.append(node)
            elif what == _BIND:
                self.bind(node)
            else:
                self.scopes.pop()

    def body(self, body: Sequence[ast.stmt], work: list[_Step]) -> None:
        for stmt in reversed(body):
            if self.touches_stmt(stmt):
                work.append((_STMT, stmt, '', None))

    def stmt(self, node: ast.stmt, work: list[_Step]) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            scope = self.scopes[-1][0]
            for local, path, kind, line, used in _import_bindings(
                node, self.names
            ):
                if local:
                    _bind(scope, local, path)
                if used:
                    self.add(path, line, kind)
        elif isinstance(node, _DEFS):
            self.function(node, work)
        elif isinstance(node, ast.ClassDef):
            self.class_(node, work)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for binding in self.bindings(node):
                self.bind(binding)  # before the body runs
            self.generic(node, work)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            # Bound once the value is read: ``p = p.child()``.
            work.extend((_BIND, b, '', None) for b in self.bindings(node))
            self.generic(node, work)
        else:
            self.generic(node, work)

    def function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef,
        work: list[_Step],
    ) -> None:
        args = node.args
        # Parameters hide the outer names they share.
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        if args.vararg:
            every.append(args.vararg)
        if args.kwarg:
            every.append(args.kwarg)
        local: dict[str, tuple[str, ...]] = {
            a.arg: () for a in every if a.arg in self.bound
        }
        self.parameter_bindings(node, local, every)
        # Decorators, parameters and the return annotation in the
        # enclosing scope, then the body in the function's.
        work.append(_LEAVE_STEP)
        self.body(node.body, work)
        work.append((_ENTER, (local, False), '', None))
        if node.returns is not None and self.touches(node.returns):
            work.append((_EXPR, node.returns, _NAME, None))
        work.append((_GENERIC, args, '', None))
        self.decorators(node.decorator_list, work)

    def class_(self, node: ast.ClassDef, work: list[_Step]) -> None:
        binding = self.subclass_binding(node)
        if binding is not None:
            work.append((_BIND, binding, '', None))  # once defined
        work.append(_LEAVE_STEP)
        self.body(node.body, work)
        work.append((_ENTER, (self.class_scope(node), True), '', None))
        for keyword in reversed(node.keywords):
            if self.touches(keyword.value):
                work.append((_EXPR, keyword.value, _NAME, None))
        for base in reversed(node.bases):
            if self.touches(base):
                work.append((_EXPR, base, _BASE, None))
        self.decorators(node.decorator_list, work)

    def decorators(
        self, decorators: Sequence[ast.expr], work: list[_Step]
    ) -> None:
        for decorator in reversed(decorators):
            if self.touches(decorator):
                work.append((_EXPR, decorator, _DECORATOR, None))

    def generic(self, node: ast.AST, work: list[_Step]) -> None:
        """Visit the children of ``node`` that are on candidate lines."""
        # Pushed last child first, so that they are visited in order.
        for field in reversed(node._fields):
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in reversed(value):
                    if isinstance(item, ast.AST):
                        self.child(item, work)
            elif isinstance(value, ast.AST) and field != 'ctx':
                self.child(value, work)

    def child(self, node: ast.AST, work: list[_Step]) -> None:
        if isinstance(node, ast.expr):
            if self.touches(node):
                work.append((_EXPR, node, _NAME, None))
        elif isinstance(node, ast.stmt):
            if self.touches_stmt(node):
                work.append((_STMT, node, '', None))
        elif self.touches(node):
            # except handlers, with items, match cases, keywords,
            # comprehensions, arguments, patterns.
            work.append((_GENERIC, node, '', None))

    def expr(
        self, node: ast.expr, kind: str, call: CallArgs | None,
        work: list[_Step],
    ) -> None:
        if isinstance(node, ast.Attribute):
            attrs = [node.attr]
            base = node.value
            while isinstance(base, ast.Attribute):
                attrs.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name):
                name = base.id
                if name not in self.bound and (
                    f'{name}.{attrs[-1]}' in self.bound
                ):
                    name = f'{name}.{attrs.pop()}'  # self.client.get
                if name in self.bound and attrs and not self.own_attribute(
                    name, attrs[-1]
                ):
                    paths = self.lookup(name)
                    if paths:
                        via = self.lookup(VIA_KEY + name)
                        suffix = '.'.join(reversed(attrs))
                        for path in paths:
                            self.add(f'{path}.{suffix}', node.lineno, kind,
                                     call, via[0] if via else None)
            else:
                if isinstance(base, ast.Call):
                    # ``pkg.Parser(...).run``: the instance is in sight.
                    for path, how in self.through_call(base, attrs):
                        self.add(path, node.lineno, kind, call, how)
                # ``x.f().attr``: the chain starts at what ``x.f()``
                # returns, which names nothing of its own.
                work.append((_EXPR, base, _NAME, None))
        elif isinstance(node, ast.Name):
            if node.id in self.bound and not isinstance(
                node.ctx, ast.Store
            ) and not (kind == _CALL and self.own_constructor(node.id)):
                via = self.lookup(VIA_KEY + node.id)
                for path in self.lookup(node.id):
                    if not path.endswith('()'):  # the instance itself
                        self.add(path, node.lineno, kind, call,
                                 via[0] if via else None)
        elif isinstance(node, ast.Call):
            for keyword in reversed(node.keywords):
                if self.touches(keyword.value):
                    work.append((_EXPR, keyword.value, _NAME, None))
            for arg in reversed(node.args):
                if self.touches(arg):
                    work.append((_EXPR, arg, _NAME, None))
            if kind in (_BASE, _DECORATOR):
                work.append((_EXPR, node.func, kind, None))
            else:
                work.append((_EXPR, node.func, _CALL, call_args(node)))
        elif isinstance(node, ast.Subscript):
            if self.touches(node.slice):
                work.append((_EXPR, node.slice, _NAME, None))
            # ``x.Generic[T]`` as a base is still the base ``x.Generic``.
            work.append((_EXPR, node.value,
                         kind if kind in (_BASE, _DECORATOR) else _NAME,
                         None))
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                self.string(node.value, node.lineno)
        else:
            self.generic(node, work)

    def string(self, value: str, line: int) -> None:
        if len(value) > _MAX_STRING or not ('.' in value or ':' in value):
            return
        match = _DOTTED_STRING.fullmatch(value)
        if match is None:
            return
        module, attr = match.groups()
        if module.partition('.')[0] not in self.names:
            return
        if attr:
            self.add(f'{module}.{attr}', line, _ENTRY_POINT)
        elif '.' in module:
            self.add(module, line, _STRING)


def call_args(node: ast.Call) -> CallArgs:
    """What ``node`` passes: its positional count and keyword names."""
    positional: int | None = len(node.args)
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        positional = None
    keywords: tuple[str, ...] | None = tuple(
        k.arg for k in node.keywords if k.arg is not None)
    if any(k.arg is None for k in node.keywords):
        keywords = None
    return positional, keywords


def merge_calls(one: CallArgs, two: CallArgs) -> CallArgs:
    """Calls of one path on one line, as one: the most positional
    arguments and every keyword (unknown wins)."""
    positional = None if one[0] is None or two[0] is None else max(
        one[0], two[0])
    keywords = None if one[1] is None or two[1] is None else tuple(
        sorted({*one[1], *two[1]}))
    return positional, keywords


def _bind(
    scope: dict[str, tuple[str, ...]], local: str, path: str
) -> None:
    current = scope.get(local, ())
    if path not in current:
        scope[local] = (*current, path)
