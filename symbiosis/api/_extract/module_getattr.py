"""The names a module ``__getattr__`` serves (PEP 562).

:class:`GetattrReader` is the part of
:class:`~symbiosis.api._extract.module.ModuleBuilder` that learns what a
module-level ``__getattr__`` provides -- a ``def`` read by
:mod:`symbiosis.api._extract.dynamic`, or one built by a helper
(``moved_attributes``, ``lazy_loader.attach``) -- and makes members of
the names it serves.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from symbiosis.api._extract import deprecations as static
from symbiosis.api._extract.dynamic import GetattrFacts
from symbiosis.api._extract.dynamic import analyse_getattr
from symbiosis.api._extract.lazy import lazy_attach
from symbiosis.api._extract.objects import alias_for
from symbiosis.api._extract.scope import Scope
from symbiosis.api._model import Attribute
from symbiosis.api._model import Function
from symbiosis.api._model import Location
from symbiosis.api._model import Member

__all__ = ['GetattrReader']


class GetattrReader:
    """Reads a module ``__getattr__`` (a mixin of ``ModuleBuilder``)."""

    scope: Scope
    prefix: str
    members: dict[str, Member]
    literals: dict[str, ast.expr]
    getattr_node: ast.FunctionDef | None
    getattr_bound: GetattrFacts | None
    has_getattr: bool

    if TYPE_CHECKING:
        def path(self, name: str) -> str: ...

    def _moved_attributes(self, node: ast.Assign) -> None:
        """``__getattr__`` built by a helper: symbiosis's
        ``moved_attributes(__name__, {...})``, ``lazy_loader.attach(...)``
        or ``attach_stub`` (whose names the stub read instead lists)."""
        bound = {
            elt.id
            for target in node.targets
            for elt in (target.elts if isinstance(target, ast.Tuple)
                        else [target])
            if isinstance(elt, ast.Name)
        }
        if '__getattr__' not in bound:
            return
        self.has_getattr = True
        value = node.value
        facts = GetattrFacts(opaque=True)
        if isinstance(value, ast.Call):
            func = self.scope.resolve(value.func) or ''
            deprecation = static.deprecation_from_call(
                value, self.scope.names)
            attached = lazy_attach(value, self.scope.module,
                                   self.scope.resolve)
            if attached is not None:
                facts = attached
            elif func.rpartition('.')[2] == 'attach_stub':
                facts = GetattrFacts()
            elif deprecation is not None and len(value.args) >= 2:
                mapping = value.args[1]
                reader_facts = GetattrFacts()
                keys: dict[str, str | None] = {}
                self._collect(mapping, keys, container=True)
                for key, target in keys.items():
                    reader_facts.served[key] = target
                    reader_facts.deprecated[key] = deprecation
                facts = reader_facts
        self.getattr_bound = facts

    def getattr_facts(self) -> tuple[GetattrFacts | None, Location | None]:
        """What the module ``__getattr__`` serves (``None``: there is
        none), and where it is."""
        node = self.getattr_node
        member = self.members.get('__getattr__')
        if node is not None and isinstance(member, Function) and (
            member.location == self.scope.location(node)
        ):
            facts = analyse_getattr(node, self.literals, self.scope.names,
                                    self.scope.resolve)
            return facts, self.scope.location(node)
        if self.getattr_bound is not None:
            return self.getattr_bound, None
        if member is not None:
            # Imported or assigned some other way: nothing can be said.
            return GetattrFacts(opaque=True), None
        return None, None

    def served_by_getattr(
        self, facts: GetattrFacts, location: Location | None
    ) -> dict[str, Member]:
        """Members for the names a module ``__getattr__`` serves."""
        served: dict[str, Member] = {}
        for key, target in facts.served.items():
            bound = self.members.get(key)
            if not key.isidentifier() or (
                bound is not None and not bound.typing_only
            ):
                continue
            deprecation = facts.deprecated.get(key)
            if target is not None:
                served[key] = alias_for(
                    self.scope, key, self.prefix, target,
                    location or Location(self.scope.file, 1),
                    deprecation=deprecation,
                )
            else:
                served[key] = Attribute(
                    name=key, path=self.path(key), location=location,
                    deprecation=deprecation,
                )
        return served

    def _collect(
        self, node: ast.expr, keys: dict[str, str | None],
        container: bool = False,
    ) -> None:
        if isinstance(node, ast.Name) and node.id in self.literals:
            node = self.literals[node.id]
            container = True
        if not container:
            if isinstance(node, ast.Constant) and isinstance(
                node.value, str
            ):
                keys.setdefault(node.value, None)
            return
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=False):
                if isinstance(key, ast.Constant) and isinstance(
                    key.value, str
                ):
                    keys[key.value] = _target_text(value)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            for elt in node.elts:
                if isinstance(elt, ast.Constant) and isinstance(
                    elt.value, str
                ):
                    keys.setdefault(elt.value, None)


def _target_text(node: ast.expr) -> str | None:
    """``'pkg.new.Name'`` or ``('pkg.new', 'Name')`` -> dotted target."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.replace(':', '.')
        if '.' in text and all(p.isidentifier() for p in text.split('.')):
            return text
    if isinstance(node, ast.Tuple) and len(node.elts) == 2:
        parts = [
            e.value for e in node.elts
            if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        if len(parts) == 2:
            return f'{parts[0]}.{parts[1]}'
    return None
