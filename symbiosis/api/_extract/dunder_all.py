"""What a module's ``__all__`` lists, read from its statements.

:class:`DunderAllReader` is the part of
:class:`~symbiosis.api._extract.module.ModuleBuilder` that turns the
expressions assigned or added to ``__all__`` into :data:`AllPart` pieces,
or gives up (``None``) when the list is built at run time.
"""

from __future__ import annotations

import ast

from symbiosis.api._extract.scope import Scope

__all__ = ['AllPart', 'DunderAllReader']

#: Expressions nested deeper (``[*[*[...]]]``) are not read.
_MAX_DEPTH = 20

#: One piece of an ``__all__``: ``('name', 'Client')``, ``('all',
#: 'pkg.sub')`` for ``pkg.sub.__all__``, or ``('dir', '')`` for the
#: module's own public names (``[s for s in dir() if ...]``).
AllPart = tuple[str, str]


class DunderAllReader:
    """Reads ``__all__`` (a mixin of ``ModuleBuilder``)."""

    scope: Scope
    literals: dict[str, ast.expr]
    all_parts: list[AllPart] | None
    all_dynamic: bool

    def extend_all(self, pieces: list[AllPart] | None) -> None:
        """Add to ``__all__`` (``+=``, ``extend``, ``append``)."""
        if pieces is None:
            self.all_dynamic = True
        elif self.all_parts is None:
            self.all_parts = pieces
        else:
            self.all_parts.extend(pieces)

    def all_pieces(
        self, node: ast.expr, depth: int = 0
    ) -> list[AllPart] | None:
        """What ``node`` contributes to ``__all__``, or ``None`` if not
        statically known."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            # ``a + b + c`` nests to the left: read in a loop, as Python
            # compiles sums of thousands of terms.
            terms = [node.right]
            left = node.left
            while isinstance(left, ast.BinOp) and isinstance(
                left.op, ast.Add
            ):
                terms.append(left.right)
                left = left.left
            terms.append(left)
            summed: list[AllPart] = []
            for term in reversed(terms):
                found = self.all_pieces(term, depth + 1)
                if found is None:
                    return None
                summed.extend(found)
            return summed
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            pieces: list[AllPart] = []
            for elt in node.elts:
                if isinstance(elt, ast.Constant) and isinstance(
                    elt.value, str
                ):
                    pieces.append(('name', elt.value))
                elif isinstance(elt, ast.Starred):
                    inner = self.all_pieces(elt.value, depth + 1)
                    if inner is None:
                        return None
                    pieces.extend(inner)
                else:
                    return None
            return pieces
        if (
            isinstance(node, ast.Attribute)
            and node.attr == '__all__'
        ):
            module = self.scope.resolve(node.value)
            if module is not None:
                return [('all', module)]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ('list', 'tuple', 'sorted')
            and len(node.args) == 1
            and not node.keywords
        ):
            return self.all_pieces(node.args[0], depth + 1)
        if isinstance(node, ast.Name) and node.id in self.literals:
            return self.all_pieces(self.literals[node.id], depth + 1)
        if _lists_namespace(node):
            # ``[s for s in dir() if not s.startswith('_')]``: every
            # public name bound so far, star imports included.
            return [('dir', '')]
        return None


def _lists_namespace(node: ast.expr) -> bool:
    """``[n for n in dir() if not n.startswith('_')]`` (or over
    ``globals()``/``vars()``): the module's public names."""
    if not isinstance(node, (ast.ListComp, ast.SetComp)) or len(
        node.generators
    ) != 1:
        return False
    source = node.generators[0].iter
    if isinstance(source, ast.Call) and isinstance(
        source.func, ast.Name
    ) and source.func.id in ('list', 'sorted') and len(source.args) == 1:
        source = source.args[0]
    return (isinstance(source, ast.Call) and not source.args
            and isinstance(source.func, ast.Name)
            and source.func.id in ('dir', 'globals', 'vars'))
