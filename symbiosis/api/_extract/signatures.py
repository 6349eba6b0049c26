"""Signatures and decorators of ``def`` statements, from their nodes."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from symbiosis.api._extract.text import dotted
from symbiosis.api._extract.text import expr_text
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._model import Signature

__all__ = ['annotation_text', 'build_signature', 'normalise_decorators']

# Decorators that matter to the API, by last dotted component.
_KEPT_DECORATORS = frozenset(
    {'property', 'cached_property', 'classmethod', 'staticmethod',
     'abstractmethod', 'final', 'overload', 'setter', 'deleter',
     'contextmanager', 'asynccontextmanager', 'dataclass',
     'total_ordering', 'unique', 'runtime_checkable', 'override',
     'singledispatch', 'singledispatchmethod'}
)
_COMPOUND_DECORATORS = {
    'abstractproperty': ('property', 'abstractmethod'),
    'abstractclassmethod': ('classmethod', 'abstractmethod'),
    'abstractstaticmethod': ('staticmethod', 'abstractmethod'),
}


def normalise_decorators(
    decorators: Sequence[ast.expr],
) -> frozenset[str]:
    """Return the API-relevant decorators by their last name.

    ``functools.cached_property`` -> ``cached_property``, ``x.setter`` ->
    ``setter``, ``abc.abstractmethod`` -> ``abstractmethod``,
    ``typing_extensions.final`` -> ``final``,
    ``dataclasses.dataclass(frozen=True)`` -> ``dataclass``; any other
    decorator ending in ``property`` (``memoized_property``,
    ``hybrid_property``) reads as ``property``.
    """
    found: set[str] = set()
    for decorator in decorators:
        if isinstance(decorator, ast.Call):
            decorator = decorator.func
        name = dotted(decorator)
        if name is None:
            continue
        last = name.rpartition('.')[2]
        if last in _KEPT_DECORATORS:
            found.add(last)
        elif last in _COMPOUND_DECORATORS:
            found.update(_COMPOUND_DECORATORS[last])
        elif last.endswith('property') and not last.startswith(
            ('moved_', 'removed_')
        ):
            found.add('property')
    return frozenset(found)


def annotation_text(node: ast.expr | None) -> str | None:
    return None if node is None else expr_text(node)


_POSITIONAL_ONLY = ParameterKind.POSITIONAL_ONLY
_POSITIONAL_OR_KEYWORD = ParameterKind.POSITIONAL_OR_KEYWORD
_VAR_POSITIONAL = ParameterKind.VAR_POSITIONAL
_KEYWORD_ONLY = ParameterKind.KEYWORD_ONLY
_VAR_KEYWORD = ParameterKind.VAR_KEYWORD


def build_signature(
    args: ast.arguments,
    returns: ast.expr | None,
    shared: dict[tuple[str, ParameterKind, str | None, str | None],
                 Parameter] | None = None,
) -> Signature:
    """Build a :class:`Signature` from a function's ``arguments``.

    :param shared: equal parameters built earlier (``self``, ``cls``,
        ``**kwargs``...), reused since parameters are immutable.
    """
    params: list[Parameter] = []
    table = {} if shared is None else shared

    def add(
        name: str, kind: ParameterKind, default: ast.expr | None,
        annotation: ast.expr | None,
    ) -> None:
        key = (
            name, kind,
            None if default is None else expr_text(default),
            None if annotation is None else expr_text(annotation),
        )
        param = table.get(key)
        if param is None:
            param = table[key] = Parameter(*key)
        params.append(param)

    positional = args.posonlyargs + args.args
    defaults = args.defaults
    first_default = len(positional) - len(defaults)
    n_posonly = len(args.posonlyargs)
    for index, arg in enumerate(positional):
        add(
            arg.arg,
            _POSITIONAL_ONLY if index < n_posonly else _POSITIONAL_OR_KEYWORD,
            defaults[index - first_default] if index >= first_default
            else None,
            arg.annotation,
        )
    if args.vararg is not None:
        add(args.vararg.arg, _VAR_POSITIONAL, None, args.vararg.annotation)
    kw_pairs = zip(args.kwonlyargs, args.kw_defaults, strict=False)
    for arg, kw_default in kw_pairs:
        add(arg.arg, _KEYWORD_ONLY, kw_default, arg.annotation)
    if args.kwarg is not None:
        add(args.kwarg.arg, _VAR_KEYWORD, None, args.kwarg.annotation)
    return Signature(tuple(params), annotation_text(returns))
