"""Functions, parameters and classes from their AST nodes.

Only what defines the API is visited: signatures, decorators, class
bodies, and -- for instance attributes -- the statements of method bodies
(never their expressions). Everything here works on one module's
:class:`~symbiosis.api._extract.scope.Scope` and returns model objects.

:class:`BodyBuilder` gets the handling of ``if`` blocks from
:mod:`.branches` and the discovery of instance attributes from
:mod:`.instances`; signatures and decorators are read by :mod:`.signatures`,
enumerations recognised and numbered by :mod:`.enums`.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
import dataclasses

from symbiosis.api._extract import deprecations as static
from symbiosis.api._extract.branches import ConditionalBlocks
from symbiosis.api._extract.enums import ENUM_BASES
from symbiosis.api._extract.enums import number_auto_members
from symbiosis.api._extract.instances import InstanceAttributes
from symbiosis.api._extract.scope import Scope
from symbiosis.api._extract.signatures import build_signature
from symbiosis.api._extract.signatures import normalise_decorators
from symbiosis.api._extract.text import dotted
from symbiosis.api._extract.text import expr_text
from symbiosis.api._extract.text import is_literal
from symbiosis.api._extract.values import value_type
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Function
from symbiosis.api._model import KeywordAlias
from symbiosis.api._model import Location
from symbiosis.api._model import Member
from symbiosis.api._model import Signature

__all__ = ['BodyBuilder', 'alias_for']

_MAX_CLASS_DEPTH = 30


def _is_final(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    name = dotted(annotation)
    return name is not None and name.rpartition('.')[2] == 'Final'


class BodyBuilder(ConditionalBlocks, InstanceAttributes):
    """Collects the members bound by a module or class body.

    ``if``/``try``/``with``/``for`` blocks are entered: a name bound in any
    branch is a member (the union of what every branch defines), the last
    binding in source order wins. Branches taken only on Python 2 are
    skipped; names bound only in a branch for some Python 3 versions carry
    those versions (:attr:`~symbiosis.api._model.Class.python`).

    :param scope: the module's scope.
    :param prefix: dotted path members are defined under.
    :param in_enum: the body is an enum class's.
    :param depth: class nesting depth.
    """

    def __init__(
        self, scope: Scope, prefix: str, *, in_enum: bool = False,
        depth: int = 0,
    ) -> None:
        self.scope = scope
        self.prefix = prefix
        self.in_enum = in_enum
        self.depth = depth
        self.members: dict[str, Member] = {}
        self._overloads: dict[str, list[Signature]] = {}

    # -- statements common to modules and classes -------------------------

    def visit_body(self, body: Sequence[ast.stmt]) -> None:
        """Visit every statement of ``body`` in order."""
        for stmt in body:
            self.visit(stmt)

    def visit(self, stmt: ast.stmt) -> None:
        """Visit one statement."""
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.add_function(stmt)
        elif isinstance(stmt, ast.ClassDef):
            self.add_class(stmt)
        elif isinstance(stmt, ast.Assign):
            self.visit_assign(stmt)
        elif isinstance(stmt, ast.AnnAssign):
            self.visit_annassign(stmt)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    self.members.pop(target.id, None)
        elif isinstance(stmt, ast.If):
            self.visit_if(stmt)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == 'TryStar':
            self.visit_body(stmt.body)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                self.visit_body(handler.body)
            self.visit_body(stmt.orelse)  # type: ignore[attr-defined]
            self.visit_body(stmt.finalbody)  # type: ignore[attr-defined]
        elif isinstance(
            stmt, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)
        ):
            self.visit_body(stmt.body)
            if not isinstance(stmt, (ast.With, ast.AsyncWith)):
                self.visit_body(stmt.orelse)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                self.visit_body(case.body)

    def path(self, name: str) -> str:
        """Dotted path of member ``name``."""
        return f'{self.prefix}.{name}'

    def add_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> Function:
        """Record a ``def``, gathering ``@overload`` variants."""
        name = node.name
        decorators = normalise_decorators(node.decorator_list)
        signature = build_signature(node.args, node.returns,
                                    self.scope.parameters)
        existing = self.members.get(name)
        if ('setter' in decorators or 'deleter' in decorators) and (
            isinstance(existing, Function) and existing.is_property
        ):
            # ``@x.setter`` completes the property; it is not a new member.
            updated = dataclasses.replace(
                existing,
                decorators=existing.decorators
                | (decorators & {'setter', 'deleter'}),
            )
            self.members[name] = updated
            return updated
        deprecation = static.deprecation_from_decorators(
            node.decorator_list, self.scope.names
        ) or static.deprecation_from_body(node.body, self.scope.names)
        if 'overload' in decorators:
            variants = self._overloads.setdefault(name, [])
            variants.append(signature)
            overloads = tuple(variants)
        else:
            overloads = tuple(self._overloads.pop(name, ()))
        aliases: tuple[KeywordAlias, ...] = ()
        if node.decorator_list:
            aliases = tuple(
                KeywordAlias(old, dep.replacement, dep)
                for old, dep in static.deprecated_kwargs_from_decorators(
                    node.decorator_list, self.scope.names
                ).items()
            )
        function = Function(
            name=name,
            path=self.path(name),
            location=self.scope.location(node),
            deprecation=deprecation,
            signature=signature,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            decorators=decorators,
            overloads=overloads,
            keyword_aliases=aliases,
        )
        self.bind(name, function)
        return function

    def bind(self, name: str, member: Member) -> None:
        """Bind ``name`` (a later binding replaces an earlier one)."""
        self.members[name] = member

    def add_class(self, node: ast.ClassDef) -> Class | None:
        """Record a ``class`` statement."""
        if self.depth >= _MAX_CLASS_DEPTH:
            return None
        scope = self.scope
        bases_list: list[str] = []
        metaclass = None
        for base in node.bases:
            expanded = self._with_metaclass(base)
            if expanded is None:
                bases_list.append(self._base(base))
            else:
                metaclass, more = expanded
                bases_list.extend(more)
        bases = tuple(bases_list)
        for keyword in node.keywords:
            if keyword.arg == 'metaclass':
                metaclass = scope.resolve(keyword.value) or expr_text(
                    keyword.value
                )
        path = self.path(node.name)
        is_enum = any(
            b in ENUM_BASES or b in scope.enums for b in bases
        ) or (metaclass is not None and metaclass.endswith('EnumMeta'))
        if is_enum:
            scope.enums.add(path)
        body = BodyBuilder(
            scope, path, in_enum=is_enum, depth=self.depth + 1
        )
        body.visit_body(node.body)
        body.add_instance_attributes(node.body)
        if is_enum:
            number_auto_members(body.members, bases)
        deprecation = static.deprecation_from_decorators(
            node.decorator_list, scope.names
        )
        init = body.members.get('__init__')
        if deprecation is None and isinstance(init, Function):
            deprecation = init.deprecation
        cls = Class(
            name=node.name,
            path=path,
            location=scope.location(node),
            deprecation=deprecation,
            bases=bases,
            members=body.members,
            decorators=normalise_decorators(node.decorator_list),
            metaclass=metaclass,
            is_enum=is_enum,
        )
        self.bind(node.name, cls)
        return cls

    def _with_metaclass(
        self, node: ast.expr
    ) -> tuple[str | None, list[str]] | None:
        """``six.with_metaclass(Meta, Base, ...)`` (and ``future``'s):
        the metaclass and the real bases; ``None`` for any other base."""
        if not isinstance(node, ast.Call) or not node.args:
            return None
        func = self.scope.resolve(node.func) or ''
        if func.rpartition('.')[2] != 'with_metaclass':
            return None
        meta = self.scope.resolve(node.args[0]) or expr_text(node.args[0])
        return meta, [self._base(arg) for arg in node.args[1:]]

    def _base(self, node: ast.expr) -> str:
        if isinstance(node, ast.Subscript):
            value = self.scope.resolve(node.value)
            if value is not None:
                return f'{value}[{expr_text(node.slice)}]'
        return self.scope.resolve(node) or expr_text(node)

    def visit_assign(self, node: ast.Assign) -> None:
        """Record ``name = value`` bindings (tuple targets included)."""
        value = node.value
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.bind(target.id, self.assigned(target.id, node, value))
            elif isinstance(target, (ast.Tuple, ast.List)):
                for elt in target.elts:
                    if isinstance(elt, ast.Starred):
                        elt = elt.value
                    if isinstance(elt, ast.Name):
                        self.bind(
                            elt.id,
                            Attribute(
                                name=elt.id,
                                path=self.path(elt.id),
                                location=self.scope.location(node),
                            ),
                        )

    def visit_annassign(self, node: ast.AnnAssign) -> None:
        """Record ``name: annotation [= value]``."""
        if not isinstance(node.target, ast.Name):
            return
        name = node.target.id
        if self.in_enum and node.value is not None and _enum_name(name):
            self.bind(name, self._enum_member(name, node, node.value))
            return
        value = node.value
        self.bind(
            name,
            Attribute(
                name=name,
                path=self.path(name),
                location=self.scope.location(node),
                value=expr_text(value)
                if value is not None and is_literal(value) else None,
                annotation=expr_text(node.annotation),
                final=_is_final(node.annotation),
            ),
        )

    def _enum_member(
        self, name: str, node: ast.stmt, value: ast.expr
    ) -> Attribute:
        return Attribute(
            name=name,
            path=self.path(name),
            location=self.scope.location(node),
            value=expr_text(value),
            enum_member=True,
        )

    def assigned(
        self, name: str, node: ast.stmt, value: ast.expr
    ) -> Member:
        """The member a ``name = value`` statement binds."""
        if self.in_enum and _enum_name(name):
            return self._enum_member(name, node, value)
        location = self.scope.location(node)
        path = self.path(name)
        deprecation: Deprecation | None = None
        if isinstance(value, ast.Call):
            deprecation = static.deprecation_from_call(
                value, self.scope.names
            )
            # ``disconnect = moved_method('close')`` in a class: the same
            # method under its old name, deprecated.
            target = self.members.get(
                deprecation.replacement or '') if (
                deprecation is not None and self.depth) else None
            if isinstance(target, Function):
                return dataclasses.replace(
                    target, name=name, path=path, location=location,
                    deprecation=deprecation)
        elif isinstance(value, ast.Name) and value.id in self.members:
            # ``get = fetch`` in a class: the same function, another name.
            same = self.members.get(value.id)
            if isinstance(same, Function) and self.depth:
                return dataclasses.replace(same, name=name, path=path)
        if self.depth and isinstance(value, (ast.Name, ast.Attribute)):
            # ``type_compiler = compiler.GenericTypeCompiler`` in a class:
            # the class attribute is that object.
            root: ast.expr = value
            while isinstance(root, ast.Attribute):
                root = root.value
            dotted_target = (self.scope.resolve(value)
                             if isinstance(root, ast.Name)
                             and root.id in self.scope.names else None)
            if dotted_target is not None:
                return alias_for(self.scope, name, self.prefix,
                                 dotted_target, location)
        if is_literal(value):
            return Attribute(name=name, path=path, location=location,
                             deprecation=deprecation,
                             value=expr_text(value))
        known = value_type(value, self.scope, self.scope.value_types)
        if not self.depth:
            if known is None:
                self.scope.value_types.pop(name, None)
            else:
                self.scope.value_types[name] = known
        return Attribute(name=name, path=path, location=location,
                         deprecation=deprecation, value_type=known)


def _enum_name(name: str) -> bool:
    return not name.startswith('_')


def alias_for(
    scope: Scope, name: str, prefix: str, target: str, location: Location,
    deprecation: Deprecation | None = None,
) -> Alias:
    """An :class:`Alias` bound at ``prefix.name`` pointing at ``target``."""
    return Alias(
        name=name,
        path=f'{prefix}.{name}',
        location=location,
        deprecation=deprecation,
        target=target,
        internal=scope.is_internal(target),
    )
