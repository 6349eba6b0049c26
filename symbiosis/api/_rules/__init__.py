"""Diff rules: one small plugin per change kind.

Rules are loaded from the ``symbiosis.api._rules`` entry-point namespace
(see :func:`symbiosis.api._differ.load_rules`); :func:`builtin_rules` returns
the ones shipped with symbiosis. See :mod:`symbiosis.api._rules.base` for
how to write one.
"""

from __future__ import annotations

from symbiosis.api._rules.base import Addition
from symbiosis.api._rules.base import AdditionRule
from symbiosis.api._rules.base import ApiObject
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import Pair
from symbiosis.api._rules.base import Removal
from symbiosis.api._rules.base import RemovalRule
from symbiosis.api._rules.base import Rule
from symbiosis.api._rules.base import Unknown

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
    from symbiosis.api._rules import attributes
    from symbiosis.api._rules import classes
    from symbiosis.api._rules import deprecations
    from symbiosis.api._rules import enums
    from symbiosis.api._rules import functions
    from symbiosis.api._rules import metadata
    from symbiosis.api._rules import modules
    from symbiosis.api._rules import moves
    from symbiosis.api._rules import names
    from symbiosis.api._rules import parameters

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
