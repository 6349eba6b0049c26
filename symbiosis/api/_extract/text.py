"""Source text of small expressions, cheaply.

:func:`ast.get_source_segment` rescans the file for every call, and
:func:`ast.unparse` builds a visitor object per call; both dominate a
profile of extraction when used for every annotation and default. The
expressions found there are nearly always names, dotted names, constants
and subscripts of those, so :func:`expr_text` renders those directly and
falls back to :func:`ast.unparse` for the rest. The result is the same
text :func:`ast.unparse` gives, so formatting changes in the analysed code
(spacing, quotes, line breaks) never show up as API changes.

Two kinds of expression Python compiles cannot be written back that way,
and are rendered truncated instead, the same way in every interpreter:

* an integer of more than :data:`MAX_INT_DIGITS` digits (a long hex
  literal: ``repr`` refuses to convert it to decimal past
  :func:`sys.get_int_max_str_digits`) is written ``0x`` + its first and
  last hex digits and their count;
* an expression nested more than :data:`MAX_DEPTH` levels deep (a sum of
  900 terms: :func:`ast.unparse` recurses once per level, and the
  interpreter compiles a few thousand) has its deeper parts written
  ``...``.
"""

from __future__ import annotations

import ast
import copy

__all__ = [
    'MAX_DEPTH',
    'MAX_INT_DIGITS',
    'dotted',
    'expr_text',
    'int_text',
    'is_literal',
    'string_items',
]

#: Integers with more digits are written truncated: 640 is the lowest
#: limit :func:`sys.set_int_max_str_digits` accepts, so ``repr`` works on
#: the others in any interpreter.
MAX_INT_DIGITS = 640
_INT_BOUND = 10 ** MAX_INT_DIGITS
#: Parts of an expression nested deeper are written ``...``.
MAX_DEPTH = 50
#: Hex digits kept at each end of a truncated integer.
_KEPT = 16


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


def int_text(value: int) -> str:
    """``repr(value)``, truncated past :data:`MAX_INT_DIGITS` digits.

    ``0x0123456789abcdef...fedcba9876543210 (3000 hex digits)``: what the
    literal starts and ends with, without the quadratic conversion to
    decimal that ``repr`` refuses for long integers.
    """
    if -_INT_BOUND < value < _INT_BOUND:
        return repr(value)
    digits = format(abs(value), 'x')
    sign = '-' if value < 0 else ''
    return (f'{sign}0x{digits[:_KEPT]}...{digits[-_KEPT:]} '
            f'({len(digits)} hex digits)')


def _constant(value: object) -> str | None:
    if value is Ellipsis:
        return '...'
    if isinstance(value, float):
        # unparse writes inf as 1e309; keep its spelling for non-finite.
        return repr(value) if value == value and abs(value) != float(
            'inf') else None
    if isinstance(value, str):
        # repr and unparse agree on plain strings; let unparse choose
        # quotes and escapes for the others.
        if value.isprintable() and not ('"' in value and "'" in value):
            return repr(value)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return int_text(value)
    if isinstance(value, (bytes, bool)) or value is None:
        return repr(value)
    return None


def _fast(node: ast.expr, depth: int) -> str | None:
    # Rendering of the common annotation and default shapes; ``None``
    # means "let ast.unparse do it".
    if depth > 20:
        return None
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and node.kind == 'u':
            return None
        return _constant(node.value)
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
    """Return the source text of ``node`` as :func:`ast.unparse` writes it.

    Long integers and deeply nested parts are written truncated (see the
    module docstring); ``...`` when nothing can be written at all.
    """
    text = _fast(node, 0)
    if text is not None:
        return text
    written: ast.AST = _tamed(node, 0, cut=True) if _untamed(node) else node
    try:
        return ast.unparse(written)
    except (ValueError, RecursionError, MemoryError):
        # Nothing above lets these through; should one, the value is
        # unknown rather than the module lost.
        return '...'


def _huge_int(node: ast.AST) -> bool:
    value = getattr(node, 'value', None)
    return (isinstance(node, ast.Constant) and isinstance(value, int)
            and not -_INT_BOUND < value < _INT_BOUND)


def _untamed(node: ast.expr) -> bool:
    """Whether ``node`` nests deeper than :data:`MAX_DEPTH` or holds a
    long integer (walked without recursion)."""
    stack: list[tuple[ast.AST, int]] = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH or _huge_int(current):
            return True
        stack.extend((child, depth + 1)
                     for child in ast.iter_child_nodes(current))
    return False


def _tamed(node: ast.AST, depth: int, *, cut: bool) -> ast.AST:
    """A copy of ``node`` that :func:`ast.unparse` can write: long
    integers as their :func:`int_text`, expressions deeper than
    :data:`MAX_DEPTH` as ``...`` (recursion bounded by that depth)."""
    if cut and isinstance(node, ast.expr):
        if depth >= MAX_DEPTH and not isinstance(
            node, (ast.Name, ast.Constant)
        ):
            return ast.Constant(value=...)
        if _huge_int(node):
            # A name is written as it is: the truncated text, verbatim.
            return ast.Name(id=int_text(node.value))  # type: ignore[attr-defined]
    # The parts of an f-string must stay strings and replacement fields.
    inner = not isinstance(node, ast.JoinedStr)
    tamed = copy.copy(node)
    for field, value in ast.iter_fields(node):
        if isinstance(value, ast.AST):
            setattr(tamed, field, _tamed(value, depth + 1, cut=inner))
        elif isinstance(value, list):
            setattr(tamed, field, [
                _tamed(item, depth + 1, cut=inner)
                if isinstance(item, ast.AST) else item
                for item in value
            ])
    return tamed


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
