"""One module file to a :class:`~symbiosis.api._model.Module`.

:func:`extract_file` is pure (bytes in, data out), so its result can be
cached by the file's content and computed in worker processes. What needs
other modules -- star imports, ``__all__`` built from other modules'
``__all__`` -- is returned as :class:`ModuleLinks` for
:mod:`symbiosis.api._extract.link` to resolve.

Public names follow Python's conventions (see
:mod:`symbiosis.api._extract.snapshot` for the full rules).

:class:`ModuleBuilder` reads imports with :mod:`.imports`, ``__all__``
with :mod:`.dunder_all` and a module ``__getattr__`` with
:mod:`.module_getattr`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from collections.abc import Mapping
import dataclasses
from typing import Any

from symbiosis.api._extract import deprecations as static
from symbiosis.api._extract.conditions import version_range
from symbiosis.api._extract.dunder_all import AllPart
from symbiosis.api._extract.dunder_all import DunderAllReader
from symbiosis.api._extract.dynamic import GetattrFacts
from symbiosis.api._extract.factories import FactoryCall
from symbiosis.api._extract.factories import factory_facts
from symbiosis.api._extract.imports import DEFINED
from symbiosis.api._extract.imports import ImportReader
from symbiosis.api._extract.module_getattr import GetattrReader
from symbiosis.api._extract.objects import BodyBuilder
from symbiosis.api._extract.objects import alias_for
from symbiosis.api._extract.parsing import parse_source
from symbiosis.api._extract.scope import Scope
from symbiosis.api._extract.text import string_items
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import ExtractionProblem
from symbiosis.api._model import Location
from symbiosis.api._model import Member
from symbiosis.api._model import Module

__all__ = ['ModuleLinks', 'extract_file', 'parse_error']


@dataclasses.dataclass(frozen=True)
class ModuleLinks:
    """What a module needs from other modules to be complete.

    :param star_imports: absolute names of modules star-imported, in
        order.
    :param all_parts: the pieces of an ``__all__`` that concatenates other
        modules' ``__all__`` (``None`` when it does not).
    :param all_dynamic: the module's ``__all__`` is built in part at run
        time (appended to in a loop, computed): which names it lists is
        not known.
    :param wrappers: the module's functions that copy the signature of a
        callable they are given (see :mod:`.factories`).
    :param calls: module-level calls that may build public callables.
    """

    star_imports: tuple[str, ...] = ()
    all_parts: tuple[AllPart, ...] | None = None
    all_dynamic: bool = False
    wrappers: tuple[str, ...] = ()
    calls: tuple[FactoryCall, ...] = ()

    def __bool__(self) -> bool:
        return (bool(self.star_imports) or self.all_parts is not None
                or self.all_dynamic or bool(self.wrappers)
                or bool(self.calls))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data: dict[str, Any] = {}
        if self.star_imports:
            data['star_imports'] = list(self.star_imports)
        if self.all_parts is not None:
            data['all_parts'] = [list(p) for p in self.all_parts]
        if self.all_dynamic:
            data['all_dynamic'] = True
        if self.wrappers:
            data['wrappers'] = list(self.wrappers)
        if self.calls:
            data['calls'] = [[k, n, c, t, list(m)]
                             for k, n, c, t, m in self.calls]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModuleLinks:
        """Build from the JSON form."""
        parts = data.get('all_parts')
        return cls(
            star_imports=tuple(data.get('star_imports', ())),
            all_parts=None if parts is None else tuple(
                (str(k), str(v)) for k, v in parts
            ),
            all_dynamic=bool(data.get('all_dynamic', False)),
            wrappers=tuple(data.get('wrappers', ())),
            calls=tuple(
                (str(k), str(n), str(c), str(t), tuple(m))
                for k, n, c, t, m in data.get('calls', ())
            ),
        )


class ModuleBuilder(
    ImportReader, DunderAllReader, GetattrReader, BodyBuilder
):
    """The :class:`BodyBuilder` of a module body: imports, ``__all__``,
    ``del``, module ``__getattr__`` and module-level deprecations too.
    """

    def __init__(self, scope: Scope, is_package: bool) -> None:
        super().__init__(scope, scope.module)
        self.is_package = is_package
        self.bound_by: dict[str, str] = {}
        # Names bound by a definition or assignment somewhere, even if an
        # import rebinds them later (``HAS_SNI = False`` then
        # ``try: from ssl import HAS_SNI``): the module's own names.
        self.defined: set[str] = set()
        self.star_imports: list[str] = []
        self.all_parts: list[AllPart] | None = None
        self.all_dynamic = False
        self.deprecation: Deprecation | None = None
        self.getattr_node: ast.FunctionDef | None = None
        # Set when __getattr__ is bound by something other than a def
        # (a helper call, an import): the facts it is known to serve, or
        # None when nothing can be said.
        self.getattr_bound: GetattrFacts | None = None
        self.has_getattr = False
        self.literals: dict[str, ast.expr] = {}

    def bind(self, name: str, member: Member) -> None:
        """Bind a module-level name; definitions join the name map."""
        self.members[name] = member
        self.defined.add(name)
        self.bound_by.pop(name, None)
        if isinstance(member, Alias):
            self.scope.names[name] = member.target
            self.bound_by[name] = DEFINED
        elif not isinstance(member, Attribute):
            self.scope.names[name] = member.path

    def rebind(self, name: str, member: Member) -> None:
        """Put back an earlier definition, in the name map too."""
        self.members[name] = member
        self.bound_by.pop(name, None)
        if not isinstance(member, Attribute):
            self.scope.names[name] = member.path

    def visit(self, stmt: ast.stmt) -> None:
        """Visit one module-level statement."""
        if isinstance(stmt, ast.Import):
            self.visit_import(stmt)
        elif isinstance(stmt, ast.ImportFrom):
            self.visit_import_from(stmt)
        elif isinstance(stmt, ast.Expr):
            self.visit_expr(stmt)
        elif isinstance(stmt, ast.AugAssign):
            target = stmt.target
            if isinstance(target, ast.Name) and target.id == '__all__':
                self.extend_all(self.all_pieces(stmt.value))
        elif isinstance(stmt, ast.FunctionDef) and stmt.name == '__getattr__':
            self.getattr_node = stmt
            super().visit(stmt)
        else:
            if isinstance(stmt, ast.For):
                self.visit_namespace_loop(stmt)
            super().visit(stmt)

    def visit_namespace_loop(self, node: ast.For) -> None:
        """``for name in ('a', 'b'): globals()[name] = make(name)``: each
        literal name is bound (what to, is not known); ``setattr(Cls,
        name, ...)`` in such a loop adds them to a class of the module."""
        if not isinstance(node.target, ast.Name):
            return
        names = self._literal_strings(node.iter)
        if not names:
            return
        loop = node.target.id
        for stmt in node.body:
            if isinstance(stmt, ast.Expr):
                self._setattr_in_loop(stmt, loop, names)
            if not isinstance(stmt, ast.Assign):
                continue
            for target in stmt.targets:
                if (isinstance(target, ast.Subscript)
                        and isinstance(target.slice, ast.Name)
                        and target.slice.id == loop
                        and isinstance(target.value, ast.Call)
                        and isinstance(target.value.func, ast.Name)
                        and target.value.func.id in ('globals', 'locals',
                                                     'vars')
                        and not target.value.args):
                    for name in names:
                        self.bind(name, Attribute(
                            name=name, path=self.path(name),
                            location=self.scope.location(stmt)))
                    return

    def _setattr_in_loop(self, stmt: ast.Expr, loop: str,
                         names: list[str]) -> None:
        call = stmt.value
        if not (isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == 'setattr' and len(call.args) == 3
                and isinstance(call.args[0], ast.Name)
                and isinstance(call.args[1], ast.Name)
                and call.args[1].id == loop):
            return
        cls = self.members.get(call.args[0].id)
        if not isinstance(cls, Class):
            return
        added = {
            name: Attribute(name=name, path=f'{cls.path}.{name}',
                            location=self.scope.location(stmt))
            for name in names if name not in cls.members
        }
        if added:
            self.members[call.args[0].id] = dataclasses.replace(
                cls, members={**cls.members, **added})

    def _literal_strings(self, node: ast.expr) -> list[str]:
        if isinstance(node, ast.Name) and node.id in self.literals:
            node = self.literals[node.id]
        return [n for n in string_items(node) or () if n.isidentifier()]

    def visit_expr(self, node: ast.Expr) -> None:
        """``__all__.extend(...)``/``append``/``remove``; warnings."""
        value = node.value
        if not isinstance(value, ast.Call):
            return
        func = value.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == '__all__'
        ):
            arg = value.args[0] if len(value.args) == 1 else None
            if func.attr == 'extend' and arg is not None:
                self.extend_all(self.all_pieces(arg))
            elif func.attr == 'append' and arg is not None:
                self.extend_all(self.all_pieces(ast.List(elts=[arg])))
            elif (
                func.attr == 'remove'
                and isinstance(arg, ast.Constant)
                and self.all_parts is not None
            ):
                part = ('name', arg.value)
                if part in self.all_parts:
                    self.all_parts.remove(part)
            else:
                self.all_dynamic = True
            return
        if self.deprecation is None:
            self.deprecation = static.deprecation_from_statement(
                node, self.scope.names
            )

    def visit_assign(self, node: ast.Assign) -> None:
        """Record bindings; ``__all__ = ...`` defines the public names."""
        self._moved_attributes(node)
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == '__all__':
                pieces = self.all_pieces(node.value)
                self.all_parts = pieces
                self.all_dynamic = pieces is None
                return
        value = node.value
        if isinstance(value, (ast.Dict, ast.Set, ast.List, ast.Tuple)):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.literals[target.id] = value
        elif isinstance(value, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
            versions = version_range(value, self.scope.resolve,
                                     self.scope.flags)
            if versions is not None:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.scope.flags[target.id] = versions
        super().visit_assign(node)

    def visit_annassign(self, node: ast.AnnAssign) -> None:
        """``__all__: list[str] = [...]`` counts as ``__all__``."""
        target = node.target
        if isinstance(target, ast.Name) and target.id == '__all__':
            if node.value is not None:
                pieces = self.all_pieces(node.value)
                self.all_parts = pieces
                self.all_dynamic = pieces is None
            return
        super().visit_annassign(node)

    def assigned(
        self, name: str, node: ast.stmt, value: ast.expr
    ) -> Member:
        """``X = imported.Name`` is an alias; moved_* helpers deprecate."""
        location = self.scope.location(node)
        if isinstance(value, (ast.Name, ast.Attribute)):
            root: ast.expr = value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in self.scope.names:
                target = self.scope.resolve(value)
                if target is not None and target != self.path(name):
                    return alias_for(
                        self.scope, name, self.prefix, target, location
                    )
        member = super().assigned(name, node, value)
        dep = member.deprecation
        if dep is not None and dep.replacement and '.' in dep.replacement:
            return alias_for(
                self.scope, name, self.prefix, dep.replacement, location,
                deprecation=dep,
            )
        return member

    # -- results -------------------------------------------------------------

    def finish(self, file: str) -> tuple[Module, ModuleLinks]:
        """Return the module and what it needs from other modules."""
        members = dict(self.members)
        served = []
        facts, where = self.getattr_facts()
        if facts is not None:
            for name, member in self.served_by_getattr(facts, where).items():
                members[name] = member
                self.bound_by[name] = DEFINED
                served.append(name)
        dunder_all: tuple[str, ...] | None = None
        all_parts: tuple[AllPart, ...] | None = None
        if self.all_parts is not None and not self.all_dynamic:
            if all(kind == 'name' for kind, _ in self.all_parts):
                dunder_all = tuple(
                    dict.fromkeys(name for _, name in self.all_parts)
                )
            else:
                all_parts = tuple(self.all_parts)
        if facts is not None and facts.serves_all and dunder_all:
            where = where or Location(self.scope.file, 1)
            for name in dunder_all:
                if name not in members and name.isidentifier():
                    members[name] = Attribute(
                        name=name, path=self.path(name), location=where,
                        deprecation=facts.all_deprecation)
                    served.append(name)
        exports = dunder_all if dunder_all is not None else self.exports(
            members
        )
        if dunder_all is not None:
            # Names a PEP 562 __getattr__ serves exist only so old imports
            # keep working: they are API even when __all__ leaves them out.
            exports += tuple(
                name for name in served
                if not name.startswith('_') and name not in dunder_all
            )
        module = Module(
            name=self.scope.module,
            file=file,
            members=members,
            exports=exports,
            dunder_all=dunder_all,
            is_package=self.is_package,
            has_getattr=facts is not None,
            deprecation=self.deprecation,
            getattr_opaque=facts is not None and facts.opaque,
            getattr_forwards=() if facts is None else tuple(
                dict.fromkeys(facts.forwards)),
            refused=() if facts is None else tuple(
                n for n in facts.refused if n not in members),
        )
        return module, ModuleLinks(tuple(self.star_imports), all_parts,
                                   self.all_dynamic)


def _error(
    file: str, module: str, message: str, line: int | None
) -> ExtractionProblem:
    return ExtractionProblem(file=file, message=message, line=line,
                           module=module)


def parse_error(
    file: str, module: str, err: BaseException
) -> ExtractionProblem:
    if isinstance(err, SyntaxError):
        msg = err.msg or 'invalid syntax'
        if 'codec' in msg or 'unicode error' in msg or 'encoding' in msg:
            return _error(file, module, f'undecodable source: {msg}',
                          err.lineno)
        return _error(file, module, f'syntax error: {msg}', err.lineno)
    if isinstance(err, RecursionError):
        return _error(file, module, 'code nested too deeply to read', None)
    if isinstance(err, MemoryError):
        return _error(file, module, 'file too large or complex to read',
                      None)
    return _error(file, module, f'cannot read source: {err}', None)


def extract_file(
    rel_path: str,
    module_name: str,
    source: bytes,
    is_package: bool,
    top_level: Iterable[str],
) -> tuple[Module, ModuleLinks]:
    """Extract one module from its source bytes; never raises.

    Encoding is detected as the interpreter does (a BOM, a PEP 263 coding
    cookie, else UTF-8). A file that cannot be decoded or parsed gives a
    module with one :class:`ExtractionProblem` and no names.
    """
    try:
        tree = parse_source(source, rel_path)
    except (SyntaxError, ValueError, RecursionError, MemoryError,
            OverflowError) as err:
        error = parse_error(rel_path, module_name, err)
        return (
            Module(name=module_name, file=rel_path, is_package=is_package,
                   errors=(error,)),
            ModuleLinks(),
        )
    scope = Scope(module_name, rel_path, frozenset(top_level))
    builder = ModuleBuilder(scope, is_package)
    try:
        builder.visit_body(tree.body)
        module, links = builder.finish(rel_path)
        wrappers, calls = factory_facts(tree.body, scope, module.members,
                                        source)
        if wrappers or calls:
            links = dataclasses.replace(links, wrappers=wrappers,
                                        calls=calls)
        return module, links
    except RecursionError as err:
        error = parse_error(rel_path, module_name, err)
        return (
            Module(name=module_name, file=rel_path, is_package=is_package,
                   errors=(error,)),
            ModuleLinks(),
        )
