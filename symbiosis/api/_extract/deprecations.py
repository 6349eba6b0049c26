"""Recognise deprecation markers in source code, without importing it.

The extractor (:mod:`symbiosis.api._extract.snapshot`) hands the
functions here the
AST nodes it already has (a decorator list, the first statements of a
body, a module-level call) together with the module's *name map*: local
name -> absolute dotted path, built from its imports and definitions
(``from debtcollector import removals`` maps ``removals`` to
``debtcollector.removals``). Names are resolved through that map, so an
aliased import is recognised as well as the canonical spelling.

Families recognised, with the :attr:`~symbiosis.api._model.Deprecation.marker`
each one yields:

* ``symbiosis`` -- :mod:`symbiosis.deprecation`'s own helpers
  (``deprecated(message=None, *, since=, removal=, replacement=)``,
  ``moved...``);
* ``warnings.deprecated`` / ``typing_extensions.deprecated`` -- PEP 702;
* ``debtcollector`` -- ``removals.remove``, ``removals.removed_class``,
  ``removals.removed_property``, ``removals.removed_module``,
  ``moves.moved_function``/``moved_class``/``moved_method``/
  ``moved_property``/``moved_read_only_property`` and
  ``debtcollector.deprecate`` (``version=`` / ``removal_version=``);
* ``deprecated`` -- the ``deprecated`` package (``@deprecated(version=,
  reason=)``, ``deprecated.sphinx.deprecated``);
* ``deprecation`` -- the ``deprecation`` package
  (``@deprecation.deprecated(deprecated_in=, removed_in=, details=)``);
* ``warnings.warn`` -- an explicit ``warnings.warn(...,
  DeprecationWarning | PendingDeprecationWarning | FutureWarning)`` among
  the first statements of a body;
* any other decorator named ``deprecated`` or call whose name contains
  ``deprecat`` (``util.deprecated("1.4", "...")``,
  ``warn_deprecated(...)``): the marker is its dotted name, a version-like
  literal argument is read as ``since``.

Markers that deprecate a *keyword argument* rather than the object
(``renamed_kwarg``, ``removed_kwarg``) are reported by
:func:`deprecated_kwargs_from_decorators`, never as the object's own
deprecation.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from collections.abc import Sequence
import logging
import re

from symbiosis.api._extract.text import dotted
from symbiosis.api._extract.text import int_text
from symbiosis.api._model import Deprecation

__all__ = [
    'deprecated_kwargs_from_decorators',
    'deprecation_from_body',
    'deprecation_from_call',
    'deprecation_from_decorators',
    'deprecation_from_statement',
    'dotted_name',
]

LOG = logging.getLogger(__name__)

_WARNING_CATEGORIES = frozenset(
    {'DeprecationWarning', 'PendingDeprecationWarning', 'FutureWarning'}
)
_KWARG_MARKERS = frozenset(
    {'renamed_kwarg', 'removed_kwarg', 'renamed_parameter',
     'removed_parameter', 'deprecated_kwarg', 'deprecated_parameter',
     'rename_parameter', 'delete_parameter', 'deprecate_kwarg'}
)
# Markers whose first argument is the version (matplotlib's _api helpers),
# so the old and new names come one position later.
_KWARG_SINCE_FIRST = frozenset({'rename_parameter', 'delete_parameter'})
_DEBTCOLLECTOR_OBJECT_MARKERS = frozenset(
    {'remove', 'removed_class', 'removed_property', 'removed_module',
     'moved_function', 'moved_class', 'moved_method', 'moved_property',
     'moved_read_only_property', 'deprecate'}
)
# Positional parameters of the debtcollector helpers that name what to
# use instead, by helper.
_DEBTCOLLECTOR_REPLACEMENT_ARG = {
    'moved_function': 0,
    'moved_class': 0,
    'moved_method': 0,
    'moved_property': 0,
    'moved_read_only_property': 1,
    'removed_class': 1,
    'removed_module': 1,
}
_VERSION_RE = re.compile(r'^v?\d+(\.\d+)*([a-z]+\d*)?$')
_SINCE_RE = re.compile(
    r'\b(?:since|as of|in)\s+(?:version\s+|release\s+)?v?'
    r'(\d+(?:\.\d+)+)', re.IGNORECASE
)
_REMOVAL_RE = re.compile(
    r'\b(?:removed|removal|dropped|deleted)\b[^.;]*?\b(?:in|by)\s+'
    r'(?:version\s+|release\s+)?v?(\d+(?:\.\d+)+)', re.IGNORECASE
)
# How many statements after a docstring may carry an explicit warning.
_BODY_LOOKAHEAD = 3


def dotted_name(node: ast.expr, names: Mapping[str, str]) -> str | None:
    """Return the absolute dotted name of a ``Name``/``Attribute`` chain.

    The first component is looked up in ``names`` (``removals.remove`` with
    ``removals -> debtcollector.removals`` gives
    ``debtcollector.removals.remove``); unknown first components are kept
    as written. Returns ``None`` for any other expression.
    """
    written = dotted(node)
    if written is None:
        return None
    first, dot, rest = written.partition('.')
    return names.get(first, first) + dot + rest


def _literal_text(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return int_text(value)
        if isinstance(value, float):
            return str(value)
    return None


def _arguments(
    call: ast.Call,
) -> tuple[list[ast.expr], dict[str, ast.expr]]:
    keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    return list(call.args), keywords


def _arg(
    args: Sequence[ast.expr],
    keywords: Mapping[str, ast.expr],
    name: str,
    position: int | None = None,
) -> ast.expr | None:
    if name in keywords:
        return keywords[name]
    if position is not None and position < len(args):
        arg = args[position]
        if not isinstance(arg, ast.Starred):
            return arg
    return None


def _text_or_path(
    node: ast.expr | None, names: Mapping[str, str]
) -> str | None:
    if node is None:
        return None
    text = _literal_text(node)
    if text is not None:
        return text
    return dotted_name(node, names)


def _from_message(marker: str, message: str | None) -> Deprecation:
    """A deprecation whose versions are read from its message, if any."""
    since = removal = None
    if message:
        found = _SINCE_RE.search(message)
        since = found.group(1) if found else None
        found = _REMOVAL_RE.search(message)
        removal = found.group(1) if found else None
    return Deprecation(
        marker=marker, message=message, since=since, removal=removal
    )


def _family(target: str) -> tuple[str, str]:
    """Split a resolved callee into (family, helper name)."""
    helper = target.rpartition('.')[2]
    if target.startswith('symbiosis.deprecation'):
        return 'symbiosis', helper
    if target in ('warnings.deprecated', 'typing_extensions.deprecated'):
        return target, helper
    if target.startswith('debtcollector'):
        return 'debtcollector', helper
    if target in ('deprecated', 'deprecated.deprecated') or (
        target.startswith(('deprecated.classic.', 'deprecated.sphinx.'))
    ):
        return 'deprecated', helper
    if target in ('deprecation.deprecated', 'deprecation.fail_if_not_removed'):
        return 'deprecation', helper
    return 'other', helper


def deprecation_from_call(
    call: ast.Call | ast.expr, names: Mapping[str, str]
) -> Deprecation | None:
    """Read a deprecation from a marker call (or bare marker name).

    ``call`` is a decorator expression (``@deprecated``,
    ``@removals.remove(version='1.2')``) or the value of a module-level
    assignment (``Old = moves.moved_class(New, 'Old', __name__,
    version='1.2', removal_version='2.0')``). ``replacement`` is the
    dotted path of what a ``moved_*`` helper points at.

    Returns ``None`` when the call is not a recognised object-level
    marker.
    """
    if isinstance(call, ast.Call):
        target = dotted_name(call.func, names)
        args, keywords = _arguments(call)
    else:
        target = dotted_name(call, names)
        args, keywords = [], {}
    if target is None:
        return None
    family, helper = _family(target)
    if helper in _KWARG_MARKERS:
        return None

    def text(name: str, position: int | None = None) -> str | None:
        return _literal_text(_arg(args, keywords, name, position))

    if family == 'symbiosis':
        replacement = _text_or_path(_arg(args, keywords, 'replacement'),
                                    names)
        message = text('message')
        if helper == 'deprecated':
            message = message or text('message', 0)
        elif helper == 'moved_module':
            replacement = replacement or text('new_module', 1)
        elif helper == 'moved_attributes':
            replacement = None
        elif replacement is None and args:
            replacement = _text_or_path(args[0], names)
        return Deprecation(
            marker='symbiosis',
            message=message,
            since=text('since'),
            removal=text('removal'),
            replacement=replacement,
        )
    if family in ('warnings.deprecated', 'typing_extensions.deprecated'):
        return Deprecation(marker=family, message=text('message', 0))
    if family == 'debtcollector':
        if helper not in _DEBTCOLLECTOR_OBJECT_MARKERS:
            return None
        position = _DEBTCOLLECTOR_REPLACEMENT_ARG.get(helper)
        replacement = _text_or_path(
            _arg(args, keywords, 'replacement', position), names
        )
        if helper == 'moved_method' and replacement is None:
            replacement = text('new_method_name')
        return Deprecation(
            marker='debtcollector',
            message=text('message'),
            since=text('version'),
            removal=text('removal_version'),
            replacement=replacement,
        )
    if family == 'deprecated':
        if helper != 'deprecated':
            return None
        sphinx = target.startswith('deprecated.sphinx.')
        return Deprecation(
            marker='deprecated',
            message=text('reason', 0),
            since=text('version', 1 if sphinx else None),
        )
    if family == 'deprecation':
        if helper != 'deprecated':
            return None
        return Deprecation(
            marker='deprecation',
            message=text('details'),
            since=text('deprecated_in'),
            removal=text('removed_in'),
        )
    return _generic(target, helper, args, keywords, names)


def _since_and_message(
    args: Sequence[ast.expr],
) -> tuple[str | None, str | None]:
    # A helper's literal positional arguments: the first that looks like
    # a version is "since", the first other text the message.
    since = message = None
    for arg in args:
        value = _literal_text(arg)
        if value is None:
            continue
        if since is None and _VERSION_RE.match(value):
            since = value
        elif message is None:
            message = value
    return since, message


def _keyword_text(
    value: str | None, keywords: Mapping[str, ast.expr], keys: Sequence[str]
) -> str | None:
    # ``value`` unless empty, else the first literal text passed under one
    # of ``keys`` (in that order of preference).
    for key in keys:
        value = value or _literal_text(keywords.get(key))
    return value


def _generic(
    target: str,
    helper: str,
    args: Sequence[ast.expr],
    keywords: Mapping[str, ast.expr],
    names: Mapping[str, str],
) -> Deprecation | None:
    """A project's own ``deprecated`` helper: read what can be read."""
    if helper.lstrip('_') != 'deprecated':
        return None
    since, message = _since_and_message(args)
    since = _keyword_text(since, keywords, ('since', 'version',
                                            'deprecated_in'))
    removal = _keyword_text(None, keywords, ('removal', 'removal_version',
                                             'removed_in'))
    message = _keyword_text(message, keywords, ('message', 'reason',
                                                'details'))
    replacement = _text_or_path(
        keywords.get('replacement') or keywords.get('alternative'), names
    )
    found = _from_message(target, message)
    return Deprecation(
        marker=target,
        message=message,
        since=since or found.since,
        removal=removal or found.removal,
        replacement=replacement,
    )


def deprecation_from_decorators(
    decorators: Sequence[ast.expr], names: Mapping[str, str]
) -> Deprecation | None:
    """Return the deprecation declared by one of ``decorators``, if any.

    :param decorators: a ``FunctionDef``/``ClassDef`` ``decorator_list``.
    :param names: the module's name map (local name -> dotted path).
    """
    for decorator in decorators:
        found = deprecation_from_call(decorator, names)
        if found is not None:
            return found
    return None


def deprecated_kwargs_from_decorators(
    decorators: Sequence[ast.expr], names: Mapping[str, str]
) -> dict[str, Deprecation]:
    """Return ``{keyword: deprecation}`` for kwarg-level markers.

    ``@renames.renamed_kwarg('old', 'new', version='1.2')`` yields
    ``{'old': Deprecation(..., replacement='new')}``; the decorated
    function itself is not deprecated.
    """
    found: dict[str, Deprecation] = {}
    for decorator in decorators:
        if not isinstance(decorator, ast.Call):
            continue
        target = dotted_name(decorator.func, names)
        if target is None:
            continue
        family, helper = _family(target)
        if helper not in _KWARG_MARKERS:
            continue
        args, keywords = _arguments(decorator)
        shift = 1 if helper in _KWARG_SINCE_FIRST else 0
        old = _literal_text(
            _arg(args, keywords, 'old_name', shift)
            or keywords.get('old') or keywords.get('old_arg_name')
            or keywords.get('name')
        )
        if old is None:
            continue
        renamed = 'rename' in helper or helper == 'deprecate_kwarg'
        since = _literal_text(
            keywords.get('version') or keywords.get('since')
        )
        if shift and since is None and args:
            since = _literal_text(args[0])
        found[old] = Deprecation(
            marker='other' if family == 'other' else family,
            message=_literal_text(keywords.get('message')),
            since=since,
            removal=_literal_text(
                keywords.get('removal_version') or keywords.get('removal')
            ),
            replacement=(
                _literal_text(
                    _arg(args, keywords, 'new_name', 1 + shift)
                    or keywords.get('new') or keywords.get('new_arg_name')
                )
                if renamed else None
            ),
        )
    return found


def _warning_category(
    node: ast.expr | None, names: Mapping[str, str]
) -> bool:
    if node is None:
        return False
    name = dotted_name(node, names)
    if name is None:
        return False
    last = name.rpartition('.')[2]
    return last in _WARNING_CATEGORIES or last.endswith('DeprecationWarning')


def deprecation_from_statement(
    stmt: ast.stmt, names: Mapping[str, str]
) -> Deprecation | None:
    """Read a deprecation from one statement that issues a warning.

    Recognises ``warnings.warn(msg, DeprecationWarning)`` (also
    ``category=``, ``PendingDeprecationWarning``, ``FutureWarning``, and
    ``warnings.warn(DeprecationWarning(msg))``), debtcollector's
    ``deprecate()``/``removed_module()`` and calls to functions whose name
    contains ``deprecat`` (``warn_deprecated('...', '1.4')``).
    """
    if not isinstance(stmt, ast.Expr) or not isinstance(
        stmt.value, ast.Call
    ):
        return None
    call = stmt.value
    target = dotted_name(call.func, names)
    if target is None:
        return None
    args, keywords = _arguments(call)
    if target in ('warnings.warn', 'warnings.warn_explicit'):
        first = _arg(args, keywords, 'message', 0)
        category = _arg(args, keywords, 'category', 1)
        if isinstance(first, ast.Call) and _warning_category(
            first.func, names
        ):
            message = _literal_text(first.args[0]) if first.args else None
            return _from_message('warnings.warn', message)
        if _warning_category(category, names):
            return _from_message('warnings.warn', _literal_text(first))
        return None
    family, helper = _family(target)
    if family == 'debtcollector' and helper in (
        'deprecate', 'removed_module'
    ):
        return deprecation_from_call(call, names)
    if family == 'symbiosis' and (
        'deprecat' in helper or helper == 'moved_module'
    ):
        return deprecation_from_call(call, names)
    if 'deprecat' in helper.lower() and helper not in _KWARG_MARKERS:
        since, message = _since_and_message(args)
        found = _from_message(target, message)
        since = _keyword_text(since, keywords, ('version', 'since',
                                                'deprecated_in'))
        removal = _keyword_text(None, keywords, ('removal_version',
                                                 'removal', 'removed_in'))
        return Deprecation(
            marker=target,
            message=message,
            since=since or found.since,
            removal=removal or found.removal,
        )
    return None


def deprecation_from_body(
    body: Sequence[ast.stmt], names: Mapping[str, str]
) -> Deprecation | None:
    """Return the deprecation a function body announces, if any.

    Only the first few statements after the docstring are looked at: a
    deprecation warning is issued before the work, and reading no further
    keeps extraction linear in the size of the signatures, not of the code.
    """
    start = 0
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        start = 1
    for stmt in body[start:start + _BODY_LOOKAHEAD]:
        found = deprecation_from_statement(stmt, names)
        if found is not None:
            return found
    return None
