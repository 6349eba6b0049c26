"""Instance attributes: ``self.x = ...`` in initialising methods."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

from symbiosis.api._extract.scope import Scope
from symbiosis.api._extract.signatures import annotation_text
from symbiosis.api._extract.signatures import normalise_decorators
from symbiosis.api._model import Attribute
from symbiosis.api._model import Member

__all__ = ['InstanceAttributes']


class InstanceAttributes:
    """Finds instance attributes (a mixin of ``BodyBuilder``)."""

    scope: Scope
    members: dict[str, Member]

    if TYPE_CHECKING:
        def path(self, name: str) -> str: ...

    def add_instance_attributes(self, body: Sequence[ast.stmt]) -> None:
        """Record public ``self.x = ...`` attributes set in methods.

        Only initialising methods are read (``__init__``, ``__new__``,
        ``__post_init__``, ``__setstate__``, ``__enter__``, ``setUp`` and
        names starting with ``init``/``setup``, underscores aside): an
        attribute first set elsewhere exists only after some call, and
        reading every method body would cost as much as the rest of
        extraction together.
        """
        for stmt in body:
            if not isinstance(
                stmt, (ast.FunctionDef, ast.AsyncFunctionDef)
            ) or not _initialises(stmt.name):
                continue
            args = stmt.args
            positional = args.posonlyargs or args.args
            if not positional:
                continue
            decorators = normalise_decorators(stmt.decorator_list)
            if {'staticmethod', 'classmethod'} & decorators:
                continue
            self_name = positional[0].arg
            for attr, annotation in _instance_assignments(
                stmt.body, self_name
            ):
                name = attr.attr
                if name.startswith('_') or name in self.members:
                    continue
                self.members[name] = Attribute(
                    name=name,
                    path=self.path(name),
                    location=self.scope.location(attr),
                    annotation=annotation_text(annotation),
                    instance=True,
                )


_INITIALISERS = frozenset(
    {'__init__', '__new__', '__post_init__', '__setstate__', '__enter__',
     '__aenter__', 'setUp', 'asyncSetUp'}
)


def _initialises(name: str) -> bool:
    if name in _INITIALISERS:
        return True
    return name.lstrip('_').lower().startswith(('init', 'setup'))


def _self_targets(target: ast.expr, self_name: str) -> list[ast.Attribute]:
    if isinstance(target, ast.Attribute):
        value = target.value
        if isinstance(value, ast.Name) and value.id == self_name:
            return [target]
        return []
    if isinstance(target, (ast.Tuple, ast.List)):
        found: list[ast.Attribute] = []
        for elt in target.elts:
            found.extend(_self_targets(elt, self_name))
        return found
    return []


_NESTED_BODIES = ('body', 'orelse', 'finalbody')


def _instance_assignments(
    body: Sequence[ast.stmt], self_name: str
) -> list[tuple[ast.Attribute, ast.expr | None]]:
    """``self.x = ...`` statements of a method body.

    Statements are visited, including those of ``if``/``for``/``with``/
    ``try`` blocks, but no expression and no nested function is.
    """
    found: list[tuple[ast.Attribute, ast.expr | None]] = []
    stack: list[Sequence[ast.stmt]] = [body]
    while stack:
        for stmt in stack.pop():
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for attr in _self_targets(target, self_name):
                        found.append((attr, None))
            elif isinstance(stmt, ast.AnnAssign):
                for attr in _self_targets(stmt.target, self_name):
                    found.append((attr, stmt.annotation))
            elif isinstance(
                stmt,
                (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With,
                 ast.AsyncWith, ast.Try),
            ):
                for field in _NESTED_BODIES:
                    block = getattr(stmt, field, None)
                    if block:
                        stack.append(block)
                if isinstance(stmt, ast.Try):
                    stack.extend(h.body for h in stmt.handlers)
            elif isinstance(stmt, ast.Match):
                stack.extend(case.body for case in stmt.cases)
    return found
