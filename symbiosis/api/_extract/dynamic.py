"""What a module ``__getattr__`` (PEP 562) serves, refuses, or hides.

A module-level ``__getattr__`` is called for names the module does not
bind. Whether a name missing from the module's members still resolves
depends on its body, so :func:`analyse_getattr` reads it:

* names it **serves** -- ``if name == 'old': return new``,
  ``if name in _MOVED: return _MOVED[name]``, ``return _LAZY[name]``
  (keys of literal tables, the module's own or a literal bound at module
  level) -- are reachable, deprecated when the branch warns;
* names it **refuses** -- ``if name in _EXPIRED: raise AttributeError(...)``
  -- are deliberately gone;
* a last ``return getattr(other_module, name)`` **forwards** every other
  name to that module; a last ``return importlib.import_module(...)``
  serves submodules only;
* a body that ends by raising is *closed*: no other name resolves.
  Anything else (a helper call, a table built at run time) is *opaque*:
  other missing names are unknown, never removed.

Module-level helpers that build a ``__getattr__`` are recognised too:
``lazy_loader.attach(__name__, submodules=[...], submod_attrs={...})``
and symbiosis's own ``moved_attributes`` (read by the module builder;
the ``attach`` helpers are read in :mod:`.lazy`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses

from symbiosis.api._extract import deprecations as static
from symbiosis.api._extract.text import string_items
from symbiosis.api._model import Deprecation

__all__ = ['GetattrFacts', 'analyse_getattr', 'literal_string']

# A table whose keys cannot be read statically.
_UNKNOWN = None


@dataclasses.dataclass
class GetattrFacts:
    """What a ``__getattr__`` does with the names it is asked for.

    :param served: name -> dotted target it hands out (``None`` when the
        value is not a dotted path).
    :param deprecated: the deprecation announced for served names.
    :param refused: names it raises for on purpose.
    :param forwards: modules every other name is looked up in.
    :param opaque: it may serve names that cannot be listed.
    :param serves_all: it hands out the names of the module's own
        ``__all__`` (``return helper(..., all=__all__, attribute=name)``,
        a deprecated-submodule shim) and refuses the others.
    :param all_deprecation: the deprecation it announces for them.
    """

    served: dict[str, str | None] = dataclasses.field(default_factory=dict)
    deprecated: dict[str, Deprecation] = dataclasses.field(
        default_factory=dict)
    refused: list[str] = dataclasses.field(default_factory=list)
    forwards: list[str] = dataclasses.field(default_factory=list)
    opaque: bool = False
    serves_all: bool = False
    all_deprecation: Deprecation | None = None


def literal_string(node: ast.expr) -> str | None:
    """The value of a string literal, else ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _target_text(node: ast.expr | None) -> str | None:
    """``'pkg.new.Name'`` or ``('pkg.new', 'Name')`` -> dotted target."""
    if node is None:
        return None
    text = literal_string(node)
    if text is not None:
        text = text.replace(':', '.')
        if '.' in text and all(p.isidentifier() for p in text.split('.')):
            return text
        return None
    if isinstance(node, ast.Tuple) and len(node.elts) == 2:
        parts = [literal_string(e) for e in node.elts]
        if parts[0] is not None and parts[1] is not None:
            return f'{parts[0]}.{parts[1]}'
    return None


class _Reader:
    """Reads one ``__getattr__`` body."""

    def __init__(
        self,
        param: str,
        literals: Mapping[str, ast.expr],
        names: Mapping[str, str],
        resolve: Callable[[ast.expr], str | None],
    ) -> None:
        self.param = param
        self.literals = literals
        self.names = names
        self.resolve = resolve
        self.facts = GetattrFacts()

    # -- tables and tests -------------------------------------------------

    def is_param(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id == self.param

    def table(self, node: ast.expr) -> dict[str, str | None] | None:
        """Keys (and dotted values) of a literal container, else ``None``.
        """
        if isinstance(node, ast.Name) and node.id in self.literals:
            node = self.literals[node.id]
        if isinstance(node, ast.Attribute) and node.attr in (
            'keys', 'values', 'items'
        ):
            return None
        keys: dict[str, str | None] = {}
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=False):
                text = literal_string(key) if key is not None else None
                if text is None:
                    return None
                keys[text] = _target_text(value) or self._dotted(value)
            return keys
        items = string_items(node)
        return None if items is None else dict.fromkeys(items)

    def _dotted(self, node: ast.expr) -> str | None:
        if isinstance(node, (ast.Name, ast.Attribute)):
            return self.resolve(node)
        return None

    def keys_of(self, test: ast.expr) -> dict[str, str | None] | bool | None:
        """Names ``test`` selects: a dict, ``_UNKNOWN`` (``None``) for an
        unreadable selection, ``False`` when it does not test the name."""
        if isinstance(test, ast.BoolOp):
            found: dict[str, str | None] = {}
            tested = False
            for value in test.values:
                part = self.keys_of(value)
                if part is False:
                    continue
                tested = True
                if part is None:
                    if isinstance(test.op, ast.Or):
                        return _UNKNOWN
                    continue
                assert isinstance(part, dict)
                found.update(part)
            return found if tested else False
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            left, op, right = test.left, test.ops[0], test.comparators[0]
            if isinstance(op, ast.Eq):
                if self.is_param(right):
                    left, right = right, left
                if self.is_param(left):
                    text = literal_string(right)
                    return {text: None} if text is not None else _UNKNOWN
            elif isinstance(op, ast.In) and self.is_param(left):
                return self.table(right)
        if self.mentions(test):
            return _UNKNOWN
        return False

    def mentions(self, node: ast.AST) -> bool:
        return any(self.is_param(n) for n in ast.walk(node)
                   if isinstance(n, ast.Name))

    def lookup_table(self, node: ast.AST) -> dict[str, str | None] | None:
        """Keys of ``TABLE[name]`` / ``TABLE.get(name)`` in ``node``.

        When a call is handed both the name itself and the looked-up
        value (``getattr(import_module(TABLE[name]), name)``, or a helper
        like ``load(__name__, name, TABLE.get(name))``), the table maps
        names to the *modules defining them*: the served target is then
        ``module.name``, not the module.
        """
        for sub in ast.walk(node):
            lookup: ast.expr | None = None
            if isinstance(sub, ast.Subscript) and self.is_param(sub.slice):
                lookup = sub.value
            elif (isinstance(sub, ast.Call)
                    and isinstance(sub.func, ast.Attribute)
                    and sub.func.attr in ('get', 'pop')
                    and sub.args and self.is_param(sub.args[0])):
                lookup = sub.func.value
            if lookup is None:
                continue
            table = self.table(lookup)
            if table is not None and self._member_of_value(node, sub):
                table = {key: f'{value}.{key}' if value else value
                         for key, value in table.items()}
            return table
        return None

    def _member_of_value(self, node: ast.AST, lookup: ast.AST) -> bool:
        """A call in ``node`` takes the bare name and, separately, an
        argument containing ``lookup``."""
        for call in ast.walk(node):
            if not isinstance(call, ast.Call):
                continue
            args = [*call.args, *(k.value for k in call.keywords)]
            if not any(self.is_param(arg) for arg in args):
                continue
            if any(lookup in ast.walk(arg) for arg in args
                   if not self.is_param(arg)):
                return True
        return False

    def warns(self, body: Sequence[ast.stmt]) -> Deprecation | None:
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Expr):
                    found = static.deprecation_from_statement(
                        sub, self.names)
                    if found is not None:
                        return Deprecation(
                            marker='module-getattr', message=found.message,
                            since=found.since, removal=found.removal,
                            replacement=found.replacement)
        return None

    # -- outcomes ----------------------------------------------------------

    def serve(self, keys: Mapping[str, str | None],
              deprecation: Deprecation | None) -> None:
        for key, target in keys.items():
            if not key.isidentifier():
                continue
            if target is not None or key not in self.facts.served:
                self.facts.served[key] = target
            if deprecation is not None:
                self.facts.deprecated.setdefault(key, deprecation)

    def refuse(self, keys: Mapping[str, str | None]) -> None:
        for key in keys:
            if key.isidentifier() and key not in self.facts.refused:
                self.facts.refused.append(key)

    def returned_target(self, body: Sequence[ast.stmt]) -> str | None:
        """The dotted path a branch returns (``return new``)."""
        for stmt in reversed(body):
            if isinstance(stmt, ast.Return) and stmt.value is not None:
                return self._dotted(stmt.value)
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                continue
        return None

    # -- the body ------------------------------------------------------------

    def block(self, body: Sequence[ast.stmt], top: bool) -> str:
        """Read ``body``; return how it ends: ``raise``, ``return`` or
        ``falls``. At the top level the ending decides closed/opaque."""
        ending = 'falls'
        for stmt in body:
            ending = self.statement(stmt)
        if top:
            self.finish(body, ending)
        return ending

    def statement(self, stmt: ast.stmt) -> str:
        if isinstance(stmt, ast.Raise):
            return 'raise'
        if isinstance(stmt, ast.Return):
            return 'return'
        if isinstance(stmt, ast.If):
            return self.branch(stmt)
        if isinstance(stmt, ast.Try):
            return self.attempt(stmt)
        return 'falls'

    def branch(self, stmt: ast.If) -> str:
        """Read an ``if`` and its ``elif`` chain (in a loop: Python
        compiles chains thousands of links long); return how it ends."""
        # Per link: how its body ends when its test does not read the
        # name (the chain then ends as all its blocks do), else None.
        bodies: list[str | None] = []
        link = stmt
        while True:
            keys = self.keys_of(link.test)
            if keys is False:
                bodies.append(self.block(link.body, top=False))
            else:
                self.selected(link, keys)
                bodies.append(None)
            orelse = link.orelse
            if len(orelse) == 1 and isinstance(orelse[0], ast.If):
                link = orelse[0]
                continue
            ending = self.block(orelse, top=False)
            break
        for body in reversed(bodies):
            ending = body if body is not None and body == ending else (
                'falls')
        return ending

    def selected(
        self, stmt: ast.If, keys: dict[str, str | None] | bool | None
    ) -> None:
        """An ``if`` whose test selects names (``keys``; ``None``: which
        is unknown): served when its body returns, refused when it
        raises."""
        body_end = _ending(stmt.body)
        if body_end == 'return':
            if keys is _UNKNOWN:
                table = self.lookup_table_in(stmt.body)
                if table is None:
                    self.facts.opaque = True
                else:
                    self.serve(table, self.warns(stmt.body))
            else:
                assert isinstance(keys, dict)
                target = self.returned_target(stmt.body)
                table = self.lookup_table_in(stmt.body)
                served = dict(keys)
                for key in served:
                    if table is not None and table.get(key):
                        served[key] = table[key]
                    elif target is not None and len(served) == 1:
                        served[key] = target
                self.serve(served, self.warns(stmt.body))
        elif body_end == 'raise' and isinstance(keys, dict):
            self.refuse(keys)

    def lookup_table_in(
        self, body: Sequence[ast.stmt]
    ) -> dict[str, str | None] | None:
        for stmt in body:
            table = self.lookup_table(stmt)
            if table is not None:
                return table
        return None

    def attempt(self, stmt: ast.Try) -> str:
        """``try: value = TABLE[name] except KeyError: ... else: return``.
        """
        table = self.lookup_table_in(stmt.body)
        ends = [_ending(stmt.body), _ending(stmt.orelse)]
        if 'return' in ends:
            if table is not None:
                self.serve(table, self.warns([*stmt.body, *stmt.orelse]))
            elif any(self.mentions(s) for s in stmt.body):
                self.facts.opaque = True
        for handler in stmt.handlers:
            self.block(handler.body, top=False)
        if _ending(stmt.body) == 'return' and all(
            _ending(h.body) == 'raise' for h in stmt.handlers
        ):
            return 'raise'
        return 'falls'

    def finish(self, body: Sequence[ast.stmt], ending: str) -> None:
        if ending == 'raise':
            return
        last = body[-1] if body else None
        if ending == 'return' and isinstance(last, ast.Return):
            value = last.value
            if value is not None and self.forwarded(value):
                return
            table = self.lookup_table(value) if value is not None else None
            if table is not None:
                self.serve(table, self.warns(body))
                return
        self.facts.opaque = True

    def forwarded(self, value: ast.expr) -> bool:
        """``getattr(module, name)`` or ``import_module(... name ...)``."""
        if not isinstance(value, ast.Call):
            return False
        func = self._dotted(value.func) or ''
        if func.rpartition('.')[2] == 'import_module' and any(
            self.mentions(arg) for arg in value.args
        ):
            return True  # submodules only: they are modules anyway
        if func == 'getattr' and len(value.args) == 2 and self.is_param(
            value.args[1]
        ):
            source = value.args[0]
            if isinstance(source, ast.Call):
                inner = self._dotted(source.func) or ''
                if inner.rpartition('.')[2] == 'import_module' and (
                    source.args
                ):
                    text = literal_string(source.args[0])
                    if text is not None and not text.startswith('.'):
                        self.facts.forwards.append(text)
                        return True
                return False
            target = self._dotted(source)
            if target is not None:
                self.facts.forwards.append(target)
                return True
        return False


def _ending(body: Sequence[ast.stmt]) -> str:
    """How a block ends, looking through trailing ``if``/``else`` (an
    ``elif`` chain in a loop)."""
    firsts: list[str] = []
    last = body[-1] if body else None
    while isinstance(last, ast.If) and last.orelse:
        firsts.append(_ending(last.body))
        last = last.orelse[-1]
    ending = ('raise' if isinstance(last, ast.Raise) else 'return'
              if isinstance(last, ast.Return) else 'falls')
    for first in reversed(firsts):
        ending = first if first == ending else 'falls'
    return ending


def analyse_getattr(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    literals: Mapping[str, ast.expr],
    names: Mapping[str, str],
    resolve: Callable[[ast.expr], str | None],
) -> GetattrFacts:
    """Read a module ``__getattr__``'s body (see the module docstring).

    :param literals: module-level names bound to literal containers.
    :param names: the module's name map (for deprecation markers).
    :param resolve: dotted-path resolution of name expressions.
    """
    args = node.args.posonlyargs + node.args.args
    if not args:
        return GetattrFacts(opaque=True)
    reader = _Reader(args[0].arg, literals, names, resolve)
    reader.block(node.body, top=True)
    facts = reader.facts
    for name in facts.refused:
        facts.served.pop(name, None)
    if facts.opaque and any(isinstance(n, ast.Name) and n.id == '__all__'
                            for n in ast.walk(node)):
        # A helper consulting the module's __all__ serves those names.
        facts.opaque = False
        facts.serves_all = True
        if any(isinstance(n, ast.Call) and 'deprecat' in (
                resolve(n.func) or '').rpartition('.')[2].lower()
               for n in ast.walk(node)):
            facts.all_deprecation = Deprecation(marker='module-getattr')
    return facts
