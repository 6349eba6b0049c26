"""Source text of small expressions, cheaply.

:func:`ast.get_source_segment` rescans the file for every call, and
writing any expression (:func:`~symbiosis.api._extract.render.render`)
walks it with a visitor object; both dominate a profile of extraction
when used for every annotation and default. The expressions found there
are nearly always names, dotted names, constants and subscripts of
those, so :func:`expr_text` writes those directly and hands the rest to
:mod:`symbiosis.api._extract.render`. The text is the same either way,
and the same on every interpreter, so formatting changes in the analysed
code (spacing, quotes, line breaks) and the interpreter symbiosis runs on
never show up as API changes. Long integers and deeply nested
expressions are written truncated (see :mod:`.render`).
"""

from __future__ import annotations

import ast

from symbiosis.api._extract.render import MAX_DEPTH as MAX_DEPTH
from symbiosis.api._extract.render import MAX_INT_DIGITS as MAX_INT_DIGITS
from symbiosis.api._extract.render import constant_text
from symbiosis.api._extract.render import int_text as int_text
from symbiosis.api._extract.render import render

__all__ = [
    'MAX_DEPTH',
    'MAX_INT_DIGITS',
    'dotted',
    'expr_text',
    'int_text',
    'is_literal',
    'string_items',
]


def dotted(node: ast.expr) -> str | None:
    """Return ``a.b.c`` for a ``Name``/``Attribute`` chain, else ``None``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return '.'.join(reversed(parts))


def _fast(node: ast.expr, depth: int) -> str | None:
    # Rendering of the common annotation and default shapes; ``None``
    # means "let the renderer do it".
    if depth > 20:
        return None
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant):
        return constant_text(node.value, node.kind)
    if isinstance(node, ast.Attribute):
        return dotted(node)
    if isinstance(node, ast.Subscript):
        value = _fast(node.value, depth + 1)
        if value is None:
            return None
        index = node.slice
        if isinstance(index, ast.Tuple) and len(index.elts) > 1:
            items = [_fast(e, depth + 1) for e in index.elts]
            if any(i is None for i in items):
                return None
            inner = ', '.join(items)  # type: ignore[arg-type]
        else:
            if isinstance(index, ast.Tuple):
                return None
            inner = _fast(index, depth + 1)  # type: ignore[assignment]
            if inner is None:
                return None
        return f'{value}[{inner}]'
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        if isinstance(node.right, ast.BinOp):
            return None
        if isinstance(node.left, ast.BinOp) and not isinstance(
            node.left.op, ast.BitOr
        ):
            return None
        left = _fast(node.left, depth + 1)
        right = _fast(node.right, depth + 1)
        if left is None or right is None:
            return None
        return f'{left} | {right}'
    if isinstance(node, ast.List):
        items = [_fast(e, depth + 1) for e in node.elts]
        if any(i is None for i in items):
            return None
        return '[' + ', '.join(items) + ']'  # type: ignore[arg-type]
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, (int, float))
        and not isinstance(node.operand.value, bool)
    ):
        number = _fast(node.operand, depth + 1)
        return None if number is None else f'-{number}'
    return None


def expr_text(node: ast.expr) -> str:
    """Return the source text of ``node``, the same on every interpreter.

    Long integers and deeply nested parts are written truncated (see
    :mod:`.render`); ``...`` when nothing can be written at all.
    """
    text = _fast(node, 0)
    if text is not None:
        return text
    try:
        return render(node)
    except (ValueError, RecursionError, MemoryError):
        # Nothing in the renderer lets these through; should one, the
        # value is unknown rather than the module lost.
        return '...'


_LITERAL_CONTAINERS = (ast.Tuple, ast.List, ast.Set)


def string_items(node: ast.expr | None) -> list[str] | None:
    """The strings of a literal tuple, list or set of string constants.

    ``None`` when ``node`` is not such a container or any item is not a
    string constant.
    """
    if not isinstance(node, _LITERAL_CONTAINERS):
        return None
    items = []
    for elt in node.elts:
        if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
            return None
        items.append(elt.value)
    return items


def is_literal(node: ast.expr, depth: int = 0) -> bool:
    """Whether ``node`` is a literal value worth recording as a constant.

    Numbers (negative ones too), strings, bytes, ``True``/``False``/
    ``None``, tuples, lists, sets and dicts of literals, and the builtin
    containers built from literals (``frozenset()``, ``set([1])``,
    ``dict()``), whose type is as certain as a literal's.
    """
    if depth > 50:
        return False
    if isinstance(node, ast.Constant):
        return node.value is not Ellipsis
    if isinstance(node, ast.UnaryOp) and isinstance(
        node.op, (ast.USub, ast.UAdd)
    ):
        return isinstance(node.operand, ast.Constant) and isinstance(
            node.operand.value, (int, float, complex)
        )
    if isinstance(node, _LITERAL_CONTAINERS):
        return all(is_literal(e, depth + 1) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            k is not None and is_literal(k, depth + 1)
            for k in node.keys
        ) and all(is_literal(v, depth + 1) for v in node.values)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _BUILTIN_CONTAINERS and not node.keywords
            and len(node.args) <= 1):
        return all(is_literal(a, depth + 1) for a in node.args)
    return False


_BUILTIN_CONTAINERS = frozenset(
    {'frozenset', 'set', 'dict', 'list', 'tuple'})
