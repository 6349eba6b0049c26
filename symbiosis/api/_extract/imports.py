"""A module's imports, and which names they bind are re-exported.

:class:`ImportReader` is the part of
:class:`~symbiosis.api._extract.module.ModuleBuilder` that binds the names
of ``import`` and ``from ... import`` statements, noting how each was
bound: by convention (no ``__all__``), a plain import is not a public
name, an explicit re-export (``import a as a``, ``from . import b``) is,
and a ``from`` import is one only when a package imports it from its own
distribution.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from symbiosis.api._extract.objects import alias_for
from symbiosis.api._extract.scope import Scope
from symbiosis.api._model import Alias
from symbiosis.api._model import Member

__all__ = ['DEFINED', 'ImportReader', 'relative_base']

# How an imported name was bound, which decides whether it is re-exported.
_PLAIN_IMPORT = 'import'      # import a.b / import a.b as c
_FROM_IMPORT = 'from'         # from a import b [as c]
_EXPLICIT = 'explicit'        # import a as a / from a import b as b /
                              # from . import b
DEFINED = 'defined'           # X = other.Name, names served by __getattr__


def relative_base(module: str, is_package: bool, level: int) -> str | None:
    """The package a ``level``-dots relative import starts from.

    In ``pkg/sub/mod.py`` (``pkg.sub.mod``) one dot is ``pkg.sub``; in
    ``pkg/sub/__init__.py`` (``pkg.sub``) one dot is ``pkg.sub`` too.
    Returns ``None`` when the import climbs above the top level.
    """
    parts = module.split('.')
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts) - 1:
        return None
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return '.'.join(parts) or None


class ImportReader:
    """Reads a module's imports (a mixin of ``ModuleBuilder``)."""

    scope: Scope
    prefix: str
    members: dict[str, Member]
    is_package: bool
    bound_by: dict[str, str]
    defined: set[str]
    star_imports: list[str]

    def visit_import(self, node: ast.Import) -> None:
        """``import a.b`` binds ``a``; ``import a.b as c`` binds ``c``."""
        location = self.scope.location(node)
        for alias in node.names:
            if alias.asname:
                name, target = alias.asname, alias.name
                how = _EXPLICIT if alias.asname == alias.name else (
                    _PLAIN_IMPORT
                )
            else:
                name = target = alias.name.partition('.')[0]
                how = _PLAIN_IMPORT
            self.members[name] = alias_for(
                self.scope, name, self.prefix, target, location
            )
            self.scope.names[name] = target
            self.bound_by[name] = how

    def visit_import_from(self, node: ast.ImportFrom) -> None:
        """``from M import n [as m]`` and ``from M import *``."""
        if node.module == '__future__':
            return
        if node.level:
            base = relative_base(self.scope.module, self.is_package,
                                 node.level)
            if base is None:
                source = '.' * node.level + (node.module or '')
            elif node.module:
                source = f'{base}.{node.module}'
            else:
                source = base
        else:
            source = node.module or ''
        location = self.scope.location(node)
        for alias in node.names:
            if alias.name == '*':
                self.star_imports.append(source)
                continue
            name = alias.asname or alias.name
            target = (f'{source}{alias.name}' if source.endswith('.')
                      else f'{source}.{alias.name}')
            explicit = alias.asname == alias.name or (
                node.level and not node.module
            )
            self.members[name] = alias_for(
                self.scope, name, self.prefix, target, location
            )
            self.scope.names[name] = target
            self.bound_by[name] = _EXPLICIT if explicit else _FROM_IMPORT

    def exports(self, members: Mapping[str, Member]) -> tuple[str, ...]:
        """Public names by convention (no ``__all__``)."""
        names = []
        for name, member in members.items():
            if name.startswith('_'):
                continue
            how = self.bound_by.get(name)
            if how in (_PLAIN_IMPORT, _FROM_IMPORT) and name in self.defined:
                names.append(name)
                continue
            if how == _PLAIN_IMPORT:
                continue
            if how == _FROM_IMPORT and not (
                self.is_package and isinstance(member, Alias)
                and member.internal
            ):
                continue
            names.append(name)
        return tuple(names)
