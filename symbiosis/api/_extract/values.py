"""The type of a value that is not a literal, when it is certain.

A constant bound to ``os.path.join(...)`` is a ``str`` and one bound to
``Path(__file__).parent / 'x'`` a :class:`pathlib.Path`, literal or not:
code that concatenates it, or calls ``str`` methods on it, breaks when one
becomes the other. Only calls whose result type never varies are read:
the builtin constructors, ``os.path`` functions returning strings, string
formatting, and :mod:`pathlib` paths with the operations that keep them
paths. Anything else has no known type.
"""

from __future__ import annotations

import ast

from symbiosis.api._extract.scope import Scope

__all__ = ['value_type']

_PATH = 'pathlib.Path'

# Callables (resolved dotted names) and the type of what they return.
_RETURNS = {
    **{f'os.path.{name}': 'str' for name in (
        'join', 'dirname', 'abspath', 'realpath', 'basename', 'normpath',
        'expanduser', 'expandvars', 'relpath', 'normcase')},
    'os.getcwd': 'str',
    **{name: name for name in (
        'str', 'int', 'float', 'bool', 'bytes', 'tuple', 'list', 'dict',
        'set', 'frozenset', 'complex', 'bytearray')},
    **{f'pathlib.{name}': _PATH for name in (
        'Path', 'PurePath', 'PosixPath', 'WindowsPath', 'PurePosixPath',
        'PureWindowsPath')},
}
# Methods and attributes of a path that give a path again.
_PATH_METHODS = frozenset({
    'resolve', 'absolute', 'joinpath', 'with_name', 'with_suffix',
    'with_stem', 'expanduser', 'relative_to',
})
_STR_METHODS = frozenset({
    'format', 'join', 'lower', 'upper', 'strip', 'replace', 'rstrip',
    'lstrip', 'title',
})
_MAX_DEPTH = 20


def value_type(node: ast.expr, scope: Scope,
               known: dict[str, str] | None = None,
               depth: int = 0) -> str | None:
    """The type name of ``node``'s value (``str``, ``pathlib.Path`` ...)
    when it is certain, else ``None``.

    :param known: module-level names already known to hold a type.
    """
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.JoinedStr):
        return 'str'
    if isinstance(node, ast.Name):
        return (known or {}).get(node.id)
    if isinstance(node, ast.BinOp):
        left = value_type(node.left, scope, known, depth + 1)
        if left == _PATH and isinstance(node.op, ast.Div):
            return _PATH
        if left == 'str' and isinstance(node.op, (ast.Add, ast.Mod)):
            return 'str'
        if isinstance(node.left, ast.Constant) and isinstance(
            node.left.value, str
        ) and isinstance(node.op, ast.Mod):
            return 'str'
        return None
    if isinstance(node, ast.Attribute):
        if node.attr == 'parent' and value_type(
            node.value, scope, known, depth + 1
        ) == _PATH:
            return _PATH
        return None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Constant) and isinstance(owner.value, str):
            return 'str' if func.attr in _STR_METHODS else None
        if func.attr in _PATH_METHODS and value_type(
            owner, scope, known, depth + 1
        ) == _PATH:
            return _PATH
    if isinstance(func, ast.Name) and func.id in (known or {}):
        return None
    name = scope.resolve(func)
    return None if name is None else _RETURNS.get(name)
