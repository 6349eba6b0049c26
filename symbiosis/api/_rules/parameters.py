"""Rules about function parameters.

All parameter rules share one comparison per function, run once per
context and memoised on it; each rule reports the findings of its own
kind. Methods whose kind changed (instance to static...) are left to
``method-kind-changed``: their parameter lists are not comparable.

A finding says *what* changed (:func:`compare_parameters`); whether it
breaks anyone is then judged by calls (:func:`judge_function`): a change
is major only when a call the old function accepted is rejected by the
new one, or binds a positional argument to a different parameter. A
parameter renamed while its old keyword is still accepted -- kept by
``renamed_kwarg``, absorbed by ``**kwargs``, or accepted by the code a
stub describes -- is reported, but as minor.

The comparison lives in :mod:`symbiosis.api._rules._parameter_changes`,
the judging in :mod:`symbiosis.api._rules._parameter_judge`; this module
holds the rules.
"""

from __future__ import annotations

from collections.abc import Iterator
import functools

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._rules._parameter_changes import Finding
from symbiosis.api._rules._parameter_changes import compare_parameters
from symbiosis.api._rules._parameter_judge import judge_function
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import Pair
from symbiosis.api._rules.base import Rule

__all__ = [
    'Finding',
    'ParameterAddedOptional',
    'ParameterAddedRequired',
    'ParameterDefaultAdded',
    'ParameterDefaultChanged',
    'ParameterDefaultRemoved',
    'ParameterKindChanged',
    'ParameterRemoved',
    'ParameterRenamed',
    'ParameterReordered',
    'VarKeywordRemoved',
    'VarPositionalRemoved',
    'bound_parameters',
    'compare_parameters',
    'judge_function',
]

K = ChangeKind


def bound_parameters(ctx: DiffContext, path: str, function: Function) -> int:
    """1 when callers do not pass ``function``'s first parameter (the
    ``self`` or ``cls`` of a method of a class), else 0."""
    parent = ctx.old_objects.get(path.rpartition('.')[0])
    return int(isinstance(parent, Class)
               and function.method_kind != 'staticmethod'
               and bool(function.parameters)
               and function.parameters[0].kind.positional)


def _all_findings(
    ctx: DiffContext,
) -> dict[str, list[tuple[Pair[Function], Finding]]]:
    """Compare every paired function once; findings grouped by kind."""
    by_kind: dict[str, list[tuple[Pair[Function], Finding]]] = {}
    for pair in ctx.paired(Function):
        old, new = pair.old, pair.new
        if (old.parameters == new.parameters
                and old.runtime == new.runtime
                and old.keyword_aliases == new.keyword_aliases):
            continue
        if old.method_kind != new.method_kind:
            continue
        bound = bound_parameters(ctx, pair.path, old)
        for finding in judge_function(pair.path, old, new, bound=bound):
            by_kind.setdefault(finding.kind, []).append((pair, finding))
    return by_kind


class _ParameterRule(Rule):
    """Reports the findings of :func:`compare_parameters` of one kind."""

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        findings: dict[str, list[tuple[Pair[Function], Finding]]] = (
            ctx.memo(_all_findings, functools.partial(_all_findings, ctx))
        )
        for pair, finding in findings.get(self.kind, ()):
            yield ctx.change(
                self, pair.path, finding.message,
                old=pair.old, new=pair.new, severity=finding.severity,
                calls=finding.calls,
            )


class ParameterRemoved(_ParameterRule):
    """A named parameter was removed.

    Example::

        parameter 'timeout' of mylib.Client.connect was removed
    """

    kind = K.PARAMETER_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a parameter was removed'


class ParameterAddedRequired(_ParameterRule):
    """A parameter without a default was added.

    Example::

        required parameter 'region' was added to mylib.connect
    """

    kind = K.PARAMETER_ADDED_REQUIRED.value
    default_severity = Bump.MAJOR
    description = 'a required parameter was added'


class ParameterAddedOptional(_ParameterRule):
    """A parameter with a default (or ``*args``/``**kwargs``) was added.

    Major when it is inserted before existing positional parameters.
    Example::

        optional parameter 'retries' (default 3) was added to mylib.connect
    """

    kind = K.PARAMETER_ADDED_OPTIONAL.value
    default_severity = Bump.MINOR
    description = 'an optional parameter was added'


class ParameterRenamed(_ParameterRule):
    """A positional parameter was renamed, breaking keyword callers.

    Example::

        parameter 'host' of mylib.connect was renamed to 'hostname'
    """

    kind = K.PARAMETER_RENAMED.value
    default_severity = Bump.MAJOR
    description = 'a parameter was renamed'


class ParameterReordered(_ParameterRule):
    """Positional parameters changed order.

    Example::

        positional parameters of mylib.connect were reordered:
        (host, port) -> (port, host)
    """

    kind = K.PARAMETER_REORDERED.value
    default_severity = Bump.MAJOR
    description = 'positional parameters were reordered'


class ParameterKindChanged(_ParameterRule):
    """A parameter became positional-only, keyword-only... .

    Minor when every call that worked still does (keyword-only to
    positional-or-keyword). Example::

        parameter 'port' of mylib.connect changed from
        positional-or-keyword to keyword-only
    """

    kind = K.PARAMETER_KIND_CHANGED.value
    default_severity = Bump.MAJOR
    description = 'a parameter changed kind (positional/keyword)'


class ParameterDefaultRemoved(_ParameterRule):
    """A parameter lost its default and must now be passed.

    Example::

        parameter 'port' of mylib.connect no longer has a default
        (was 80); callers must pass it
    """

    kind = K.PARAMETER_DEFAULT_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'a parameter lost its default'


class ParameterDefaultAdded(_ParameterRule):
    """A required parameter became optional.

    Example::

        parameter 'port' of mylib.connect now has a default (80)
    """

    kind = K.PARAMETER_DEFAULT_ADDED.value
    default_severity = Bump.MINOR
    description = 'a parameter gained a default'


class ParameterDefaultChanged(_ParameterRule):
    """A default value changed (behaviour changes for callers omitting it).

    Example::

        default of parameter 'timeout' of mylib.connect changed from 10
        to 30
    """

    kind = K.PARAMETER_DEFAULT_CHANGED.value
    default_severity = Bump.MINOR
    description = "a parameter's default value changed"


class VarPositionalRemoved(_ParameterRule):
    """``*args`` was removed.

    Example::

        mylib.log no longer accepts *args
    """

    kind = K.VAR_POSITIONAL_REMOVED.value
    default_severity = Bump.MAJOR
    description = '*args was removed'


class VarKeywordRemoved(_ParameterRule):
    """``**kwargs`` was removed.

    Example::

        mylib.log no longer accepts **kwargs
    """

    kind = K.VAR_KEYWORD_REMOVED.value
    default_severity = Bump.MAJOR
    description = '**kwargs was removed'
