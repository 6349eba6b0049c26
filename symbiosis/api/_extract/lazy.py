"""``__getattr__`` built by a helper of the ``lazy_loader.attach`` shape.

``lazy_loader.attach(__name__, submodules=[...], submod_attrs={...})``
(and symbiosis's own ``symbiosis._lazy_names.attach``) returns a module
``__getattr__`` serving submodules and the names each submodule defines;
the call's literal arguments say which, so they are read here without
running anything.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from symbiosis.api._extract.dynamic import GetattrFacts
from symbiosis.api._extract.dynamic import literal_string
from symbiosis.api._extract.text import string_items

__all__ = ['lazy_attach']


def lazy_attach(
    call: ast.Call, module: str, resolve: Callable[[ast.expr], str | None],
) -> GetattrFacts | None:
    """``lazy_loader.attach(__name__, submodules=..., submod_attrs=...)``.

    Returns ``None`` when ``call`` is not such a call or its arguments are
    not literal.
    """
    func = resolve(call.func) or ''
    if func.rpartition('.')[2] != 'attach' or 'lazy' not in func:
        return None
    facts = GetattrFacts()
    arguments = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    positional = list(call.args[1:])
    submodules = arguments.get('submodules') or (
        positional[0] if positional else None)
    attrs = arguments.get('submod_attrs') or (
        positional[1] if len(positional) > 1 else None)
    if not _is_none(submodules):
        names = _identifiers(submodules)
        if names is None:
            return None
        for name in names:
            facts.served[name] = f'{module}.{name}'
    if isinstance(attrs, ast.Dict):
        for key, value in zip(attrs.keys, attrs.values, strict=False):
            sub = literal_string(key) if key is not None else None
            names = _identifiers(value)
            if sub is None or names is None:
                return None
            home = _relative_module(module, sub)
            for name in names:
                facts.served[name] = f'{home}.{name}'
    elif not _is_none(attrs):
        return None
    return facts


def _relative_module(package: str, sub: str) -> str:
    """``sub`` named relative to ``package`` as after ``from .``: a
    leading dot goes one package up (``'._util'`` in ``pkg.sub`` is
    ``pkg._util``)."""
    stripped = sub.lstrip('.')
    up = len(sub) - len(stripped)
    base = package.rsplit('.', up)[0] if up else package
    return f'{base}.{stripped}'


def _is_none(node: ast.expr | None) -> bool:
    """An argument left out or passed as ``None``."""
    return node is None or (
        isinstance(node, ast.Constant) and node.value is None
    )


def _identifiers(node: ast.expr | None) -> list[str] | None:
    """A literal container of identifier strings, else ``None``."""
    items = string_items(node)
    if items is None or not all(item.isidentifier() for item in items):
        return None
    return items
