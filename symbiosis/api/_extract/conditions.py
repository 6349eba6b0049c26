"""Python-version conditions of ``if`` statements, read statically.

Libraries bind names only for some interpreters::

    if sys.version_info >= (3, 8):
        from functools import cached_property
    if six.PY2:
        string_types = basestring

:func:`version_range` turns such a test into the range of Python versions
it holds for, so the extractor can drop Python-2-only branches (never API
of a release read for Python 3) and mark names bound only for some Python
3 versions with a ``Requires-Python``-style specifier (``>=3.8``): a name
that existed only for Pythons the next release no longer supports is not
a removal anyone can notice.

Recognised: comparisons of ``sys.version_info`` (whole, sliced
``[:2]``, ``[0]``, ``.major``) with literal tuples or integers, in either
order; ``not``, ``and``; the usual flags ``PY2``/``PY3``/``PY3K`` (any
module, ``six.PY2`` included) and flags the same module assigns from a
recognised comparison (``PY38 = sys.version_info >= (3, 8)``). Anything
else is *unknown*: both branches are read, as before.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from collections.abc import Mapping
import dataclasses
import re

__all__ = ['VersionRange', 'version_range']

Version = tuple[int, ...]

_PY3: Version = (3,)
# Flag names whose meaning does not depend on where they are defined.
_PY2_FLAG = re.compile(r'^(?:IS_)?PY(?:THON)?_?2\d?$')
_PY3_FLAG = re.compile(r'^(?:IS_)?PY(?:THON)?_?3K?$')


@dataclasses.dataclass(frozen=True)
class VersionRange:
    """Python versions ``lower <= v < upper`` (``None``: unbounded).

    :param exact: the test holds for exactly these versions; ``False``
        when other conditions take part (``PY3 and HAS_SSL``), so the
        ``else`` branch is not the complement.
    """

    lower: Version | None = None
    upper: Version | None = None
    exact: bool = True

    @property
    def python2_only(self) -> bool:
        """No Python 3 version is in the range."""
        return self.upper is not None and self.upper <= _PY3

    @property
    def all_python3(self) -> bool:
        """Every Python 3 version is in the range."""
        return self.upper is None and (
            self.lower is None or self.lower <= _PY3
        )

    def intersect(self, other: VersionRange) -> VersionRange:
        """The versions in both ranges."""
        lower = max((v for v in (self.lower, other.lower) if v is not None),
                    default=None)
        upper = min((v for v in (self.upper, other.upper) if v is not None),
                    default=None)
        return VersionRange(lower, upper, self.exact and other.exact)

    def complement(self) -> VersionRange | None:
        """The versions outside the range, when that is one range."""
        if not self.exact:
            return None
        if self.lower is None and self.upper is not None:
            return VersionRange(self.upper, None)
        if self.upper is None and self.lower is not None:
            return VersionRange(None, self.lower)
        return None

    def specifier(self) -> str | None:
        """``>=3.8,<3.10``-like text; ``None`` when unbounded."""
        parts = []
        if self.lower is not None:
            parts.append('>=' + '.'.join(map(str, self.lower)))
        if self.upper is not None:
            parts.append('<' + '.'.join(map(str, self.upper)))
        return ','.join(parts) or None

    @classmethod
    def parse(cls, text: str) -> VersionRange | None:
        """Read back what :meth:`specifier` wrote (else ``None``)."""
        lower = upper = None
        for part in text.split(','):
            part = part.strip()
            if part.startswith('>='):
                lower = _version(part[2:])
            elif part.startswith('<'):
                upper = _version(part[1:])
            else:
                return None
            if (lower if part.startswith('>=') else upper) is None:
                return None
        return cls(lower, upper)


def _version(text: str) -> Version | None:
    try:
        return tuple(int(p) for p in text.split('.'))
    except ValueError:
        return None


def _int_tuple(node: ast.expr) -> Version | None:
    if isinstance(node, ast.Tuple) and node.elts and all(
        isinstance(e, ast.Constant) and type(e.value) is int
        for e in node.elts
    ):
        return tuple(e.value for e in node.elts)  # type: ignore[attr-defined]
    return None


def _int(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


# What part of sys.version_info an expression reads.
_WHOLE, _MAJOR = 'whole', 'major'


def _version_operand(
    node: ast.expr, resolve: Callable[[ast.expr], str | None]
) -> tuple[str, int] | None:
    """``('whole', 0)``, ``('whole', 2)`` for ``[:2]``, ``('major', 0)``."""
    if resolve(node) == 'sys.version_info':
        return _WHOLE, 0
    if isinstance(node, ast.Attribute) and node.attr == 'major' and (
        resolve(node.value) == 'sys.version_info'
    ):
        return _MAJOR, 0
    if isinstance(node, ast.Subscript) and (
        resolve(node.value) == 'sys.version_info'
    ):
        index = node.slice
        if _int(index) == 0:
            return _MAJOR, 0
        if isinstance(index, ast.Slice) and index.step is None and (
            index.lower is None or _int(index.lower) == 0
        ):
            upper = _int(index.upper) if index.upper is not None else None
            if upper is not None and upper > 0:
                return _WHOLE, upper
    return None


_FLIP = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE,
         ast.GtE: ast.LtE, ast.Eq: ast.Eq}


def _bump(version: Version) -> Version:
    return (*version[:-1], version[-1] + 1)


def _comparison(
    node: ast.Compare, resolve: Callable[[ast.expr], str | None]
) -> VersionRange | None:
    if len(node.ops) != 1:
        return None
    left, op, right = node.left, node.ops[0], node.comparators[0]
    operand = _version_operand(left, resolve)
    if operand is None:
        operand = _version_operand(right, resolve)
        flipped = _FLIP.get(type(op))
        if operand is None or flipped is None:
            return None
        left, right, op = right, left, flipped()
    part, width = operand
    if part == _MAJOR:
        major = _int(right)
        if major is None:
            return None
        value: Version = (major,)
        sized = True
    else:
        tup = _int_tuple(right)
        if tup is None:
            return None
        # sys.version_info[:2] compares as a 2-tuple; the whole tuple is
        # longer than any literal, so (3, 8, 0, ...) > (3, 8).
        sized = bool(width) and len(tup) >= width
        value = tup[:width] if width else tup
    if isinstance(op, ast.GtE):
        return VersionRange(value, None)
    if isinstance(op, ast.Gt):
        return VersionRange(_bump(value) if sized else value, None)
    if isinstance(op, ast.Lt):
        return VersionRange(None, value)
    if isinstance(op, ast.LtE):
        return VersionRange(None, _bump(value) if sized else value)
    if isinstance(op, ast.Eq) and sized:
        return VersionRange(value, _bump(value))
    if isinstance(op, ast.NotEq) and part == _MAJOR and value == (2,):
        return VersionRange(_PY3, None)
    return None


#: Conditions nested deeper (``a and (b and (...))``) are not read.
_MAX_DEPTH = 20


def version_range(
    test: ast.expr,
    resolve: Callable[[ast.expr], str | None],
    flags: Mapping[str, VersionRange],
    _depth: int = 0,
) -> VersionRange | None:
    """The Python versions ``test`` holds for, or ``None`` if unknown.

    :param resolve: the module's name resolution (local name to dotted
        path, through imports).
    :param flags: module-level names assigned a recognised condition.
    """
    if _depth > _MAX_DEPTH:
        return None
    negations = 0
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        # ``not not ... X``, in a loop: Python compiles thousands.
        negations += 1
        test = test.operand
    if negations:
        found = version_range(test, resolve, flags, _depth + 1)
        for _ in range(negations):
            if found is None:
                break
            found = found.complement()
        return found
    if isinstance(test, ast.Compare):
        return _comparison(test, resolve)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        result = VersionRange()
        known, exact = False, True
        for value in test.values:
            part = version_range(value, resolve, flags, _depth + 1)
            if part is None:
                exact = False
            else:
                result = result.intersect(part)
                known = True
        # ``PY3 and HAS_SSL``: the version part still bounds the branch,
        # but the else branch is not its complement.
        if not known:
            return None
        return result if exact else dataclasses.replace(result, exact=False)
    if isinstance(test, ast.Name) and test.id in flags:
        return flags[test.id]
    if isinstance(test, (ast.Name, ast.Attribute)):
        name = resolve(test)
        last = (name or '').rpartition('.')[2]
        if _PY2_FLAG.match(last):
            return VersionRange(None, _PY3)
        if _PY3_FLAG.match(last):
            return VersionRange(_PY3, None)
    return None
