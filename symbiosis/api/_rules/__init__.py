"""Diff rules: one small plugin per change kind.

Rules are loaded from the ``symbiosis.api.rules`` entry-point namespace
(see :func:`symbiosis.api._differ.load_rules`); :func:`builtin_rules` returns
the ones shipped with symbiosis. See :mod:`symbiosis.api._rules.base` for
how to write one.
"""

from __future__ import annotations

from symbiosis.api._rules.base import Rule

__all__ = ['builtin_rule_classes', 'builtin_rules']


def builtin_rule_classes() -> tuple[type[Rule], ...]:
    """Return the rule classes shipped with symbiosis, one per kind: those
    its own distribution declares in the ``symbiosis.api.rules``
    namespace, by entry point name."""
    from symbiosis import _plugins
    from symbiosis.api._differ import RULES_NAMESPACE

    classes: dict[str, type[Rule]] = _plugins.load_all(
        RULES_NAMESPACE, Rule, what='diff rule', builtin=True)
    return tuple(classes.values())


def builtin_rules() -> list[Rule]:
    """Return an instance of every built-in rule."""
    return [cls() for cls in builtin_rule_classes()]
