"""Diff rules: one small plugin per change kind.

Rules are loaded from the ``symbiosis.api.rules`` entry-point namespace
(see :func:`symbiosis.api.differ.load_rules`); :func:`builtin_rules` returns
the ones shipped with symbiosis. See :mod:`symbiosis.api.rules.base` for
how to write one.
"""

from __future__ import annotations

from symbiosis.api.rules.base import Addition
from symbiosis.api.rules.base import AdditionRule
from symbiosis.api.rules.base import ApiObject
from symbiosis.api.rules.base import DiffContext
from symbiosis.api.rules.base import Pair
from symbiosis.api.rules.base import Removal
from symbiosis.api.rules.base import RemovalRule
from symbiosis.api.rules.base import Rule
from symbiosis.api.rules.base import Unknown

__all__ = [
    'Addition',
    'AdditionRule',
    'ApiObject',
    'DiffContext',
    'Pair',
    'Removal',
    'RemovalRule',
    'Rule',
    'Unknown',
    'builtin_rule_classes',
    'builtin_rules',
]


def builtin_rule_classes() -> tuple[type[Rule], ...]:
    """Return the rule classes shipped with symbiosis, one per kind."""
    from symbiosis.api.rules import attributes
    from symbiosis.api.rules import classes
    from symbiosis.api.rules import deprecations
    from symbiosis.api.rules import enums
    from symbiosis.api.rules import functions
    from symbiosis.api.rules import metadata
    from symbiosis.api.rules import modules
    from symbiosis.api.rules import moves
    from symbiosis.api.rules import names
    from symbiosis.api.rules import parameters

    found: list[type[Rule]] = []
    for module in (
        modules, names, moves, parameters, functions, classes, enums,
        attributes, metadata, deprecations,
    ):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, Rule):
                found.append(obj)
    return tuple(found)


def builtin_rules() -> list[Rule]:
    """Return an instance of every built-in rule."""
    return [cls() for cls in builtin_rule_classes()]
