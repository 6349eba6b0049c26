"""Local, explainable knowledge of which names hold upstream instances.

The scanner follows what a name was bound to, without any whole-program
inference:

* ``p = pkg.Parser()`` and ``p = pkg.make_parser()``: ``p`` holds the
  result of that call (``pkg.Parser()``, ``pkg.make_parser()``: which class
  a factory returns is read from its annotation when the use is judged);
* ``with pkg.Lock() as lock``: ``lock`` holds the result of the call;
* ``def f(p: pkg.Parser)`` and ``p: pkg.Parser = ...``: ``p`` holds an
  instance of the annotated class (``Optional[...]``, ``... | None`` and
  quoted annotations included);
* ``self.client = pkg.Client(...)`` (or a parameter annotated with an
  upstream class) in a method: ``self.client`` holds it in every method
  of that class.

An instance is written as a call result in the use's path:
``p.run(...)`` is a use of ``pkg.Parser().run``, and the use says how the
type was known (:attr:`~symbiosis.usage._model.Use.via`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from collections.abc import Iterator

__all__ = [
    'CALL_MARK',
    'VIA_KEY',
    'annotation_paths',
    'annotation_root',
    'binding_targets',
    'chain_root',
    'self_attributes',
    'self_name',
]

#: The result of a call in a use's path (``pkg.Parser().run``).
CALL_MARK = '()'
#: Prefix of the scope key holding how a local name's type was known.
VIA_KEY = '\0via:'

#: Resolves a Name/Attribute/Call chain to upstream paths.
Resolver = Callable[[ast.expr], tuple[str, ...]]

_OPTIONAL = frozenset({'Optional', 'typing.Optional', 't.Optional'})


def chain_root(node: ast.expr) -> str | None:
    """The name a chain of attributes, calls and subscripts starts at."""
    for _ in range(200):
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Subscript, ast.Await)):
            node = node.value
        else:
            return None
    return None


def annotation_root(node: ast.expr) -> str | None:
    """The name an annotation starts at (quoted ones parsed; the
    ``X`` of ``Optional[X]`` and ``X | None``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value.strip(), mode='eval').body
        except (SyntaxError, ValueError):
            return None
    if isinstance(node, ast.Subscript) and _dotted(node.value) in _OPTIONAL:
        return annotation_root(node.slice)
    if isinstance(node, ast.BinOp):
        return annotation_root(node.left) or annotation_root(node.right)
    return chain_root(node)


def _dotted(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return '.'.join(reversed(parts))


def annotation_paths(node: ast.expr | None, resolve: Resolver
                     ) -> tuple[str, ...]:
    """The upstream classes an annotation names (as instance paths)."""
    if node is None:
        return ()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value.strip(), mode='eval').body
        except (SyntaxError, ValueError):
            return ()
    if isinstance(node, ast.Subscript) and _dotted(node.value) in _OPTIONAL:
        return annotation_paths(node.slice, resolve)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [s for s in (node.left, node.right)
                 if not (isinstance(s, ast.Constant) and s.value is None)]
        if len(sides) == 1:
            return annotation_paths(sides[0], resolve)
        return ()
    if isinstance(node, (ast.Name, ast.Attribute)):
        return tuple(p + CALL_MARK for p in resolve(node)
                     if CALL_MARK not in p)
    return ()


def binding_targets(stmt: ast.stmt) -> Iterator[tuple[str, ast.expr]]:
    """``(name, expression)`` of each name ``stmt`` may bind to an
    instance: the value of an assignment (a call, or a name or attribute
    that may hold one already) or of a ``with`` item, the
    annotation of an annotated assignment; ``self.x`` targets count as
    ``x``. The expressions are not resolved here (the first walk only
    needs the names, to find the lines that mention them)."""
    if isinstance(stmt, ast.Assign):
        if isinstance(stmt.value, (ast.Call, ast.Await, ast.Name,
                                   ast.Attribute)):
            for target in stmt.targets:
                name = _target_name(target)
                if name:
                    yield name, stmt.value
    elif isinstance(stmt, ast.AnnAssign):
        name = _target_name(stmt.target)
        if name:
            yield name, stmt.annotation
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        for item in stmt.items:
            if isinstance(item.optional_vars, ast.Name) and isinstance(
                item.context_expr, ast.Call
            ):
                yield item.optional_vars.id, item.context_expr


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute) and isinstance(
        target.value, ast.Name
    ):
        return target.attr
    return None


def self_name(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The name of a method's instance parameter (``self``), if any."""
    if any(isinstance(d, ast.Name) and d.id in ('staticmethod',
                                                'classmethod')
           for d in node.decorator_list):
        return None
    params = [*node.args.posonlyargs, *node.args.args]
    return params[0].arg if params else None


def self_attributes(
    node: ast.ClassDef, resolve: Resolver,
    touches: Callable[[ast.stmt], bool],
) -> dict[str, tuple[tuple[str, ...], str]]:
    """``attribute -> (instance paths, how)`` for the ``self.attribute =
    ...`` assignments of ``node``'s methods that hold upstream instances
    (only statements ``touches`` accepts are read).
    """
    found: dict[str, tuple[tuple[str, ...], str]] = {}
    for method in node.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        me = self_name(method)
        if me is None or not touches(method):
            continue
        annotated = {
            a.arg: a.annotation for a in (*method.args.posonlyargs,
                                          *method.args.args,
                                          *method.args.kwonlyargs)
            if a.annotation is not None
        }
        for stmt in _statements(method.body, touches):
            value: ast.expr | None
            annotation: ast.expr | None
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, value, annotation = stmt.targets[0], stmt.value, None
            elif isinstance(stmt, ast.AnnAssign):
                target, value, annotation = (stmt.target, stmt.value,
                                             stmt.annotation)
            else:
                continue
            if not (isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == me) or target.attr in found:
                continue
            where = f'in {method.name}() on line {stmt.lineno}'
            name = f'{me}.{target.attr}'
            paths = annotation_paths(annotation, resolve)
            how = f'{name}: {_shown(paths)} {where}'
            if not paths and isinstance(value, ast.Call):
                paths = tuple(p + CALL_MARK for p in resolve(value.func))
                how = f'{name} = {_shown(paths)}(...) {where}'
            elif not paths and isinstance(value, ast.Name) and (
                value.id in annotated
            ):
                paths = annotation_paths(annotated[value.id], resolve)
                how = (f'{name} = {value.id}, a parameter annotated '
                       f'{_shown(paths)}, {where}')
            if paths:
                found[target.attr] = (paths, how)
    return found


def _shown(paths: tuple[str, ...]) -> str:
    return paths[0].removesuffix(CALL_MARK) if paths else ''


def _statements(
    body: list[ast.stmt], touches: Callable[[ast.stmt], bool]
) -> Iterator[ast.stmt]:
    """The statements of ``body`` ``touches`` accepts, nested blocks
    included (not nested functions or classes)."""
    stack = [iter(body)]
    while stack:
        stmt = next(stack[-1], None)
        if stmt is None:
            stack.pop()
            continue
        if not touches(stmt):
            continue
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            continue
        for field in ('body', 'orelse', 'finalbody'):
            block = getattr(stmt, field, None)
            if block:
                stack.append(iter(block))
        for handler in getattr(stmt, 'handlers', ()):
            stack.append(iter(handler.body))
