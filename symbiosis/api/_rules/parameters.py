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
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
import dataclasses
import functools

from symbiosis.api._changes import Bump
from symbiosis.api._changes import CallShape
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._rules._calls import Call
from symbiosis.api._rules._calls import broken_calls
from symbiosis.api._rules.attributes import literal_type
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


@dataclasses.dataclass(frozen=True)
class Finding:
    """One parameter difference: its kind, message and graded severity.

    :param severity: ``None`` to use the rule's default.
    :param calls: the calls it breaks (``None``: every call).
    """

    kind: str
    message: str
    severity: Bump | None = None
    calls: CallShape | None = None


def _star(param: Parameter) -> str:
    if param.kind is ParameterKind.VAR_POSITIONAL:
        return f'*{param.name}'
    if param.kind is ParameterKind.VAR_KEYWORD:
        return f'**{param.name}'
    return param.name


def compare_parameters(
    path: str,
    old: Sequence[Parameter],
    new: Sequence[Parameter],
    *,
    bound: int = 0,
) -> list[Finding]:
    """Compare two parameter lists of the function at ``path``.

    Renames are recognised by position, kind and default (see
    :func:`same_parameter`); renaming a positional-only parameter is not
    a change, since callers cannot use its name. Each finding's
    :class:`CallShape` is what the change *would* break; see
    :func:`judge_function` for what it does break.

    :param bound: leading parameters a call does not pass (1 for the
        ``self`` or ``cls`` of a method): positions in each finding's
        :class:`CallShape` are counted without them.
    """
    return _describe(path, old, new, bound)[0]


def _name_tokens(name: str) -> set[str]:
    return {t for t in name.lower().split('_') if t}


def same_parameter(was: Parameter, now: Parameter) -> bool:
    """Whether ``now`` is ``was`` under another name.

    Same kind and the same need for a value (both required or both
    optional), and one more sign they are the same: both required (a
    required argument is identified by its position), the same default
    or annotation, a default of the same literal type, or related names
    (``host``/``hostname``, ``max_size``/``size``).
    """
    if was.kind is not now.kind or was.required != now.required:
        return False
    if was.required:
        return True
    if was.default == now.default:
        return True
    if was.annotation and was.annotation == now.annotation:
        return True
    kind = literal_type(was.default)
    if kind is not None and kind == literal_type(now.default):
        return True
    a, b = was.name.lower(), now.name.lower()
    return a in b or b in a or bool(_name_tokens(a) & _name_tokens(b))


def _describe(
    path: str,
    old: Sequence[Parameter],
    new: Sequence[Parameter],
    bound: int,
) -> tuple[list[Finding], dict[str, str]]:
    """The findings, and the renames found (old name -> new name)."""

    def from_position(index: int) -> int:
        """The positional-argument count that reaches slot ``index``."""
        return max(1, index - bound + 1)

    found: list[Finding] = []
    old_kinds = {p.kind for p in old}
    new_kinds = {p.kind for p in new}
    for kind, change in (
        (ParameterKind.VAR_POSITIONAL, K.VAR_POSITIONAL_REMOVED),
        (ParameterKind.VAR_KEYWORD, K.VAR_KEYWORD_REMOVED),
    ):
        if kind in old_kinds and kind not in new_kinds:
            name = _star(next(p for p in old if p.kind is kind))
            named = sum(1 for p in old if p.kind.positional)
            # Extra positional arguments break; unknown keywords cannot
            # be told from named ones here, so every call counts.
            calls = (CallShape(positional=from_position(named))
                     if kind is ParameterKind.VAR_POSITIONAL else None)
            found.append(Finding(
                change.value, f'{path} no longer accepts {name}',
                calls=calls,
            ))
        elif kind in new_kinds and kind not in old_kinds:
            name = _star(next(p for p in new if p.kind is kind))
            found.append(Finding(
                K.PARAMETER_ADDED_OPTIONAL.value,
                f'{path} now accepts {name}',
            ))

    old_named = [p for p in old if not p.kind.variadic]
    new_named = [p for p in new if not p.kind.variadic]
    old_by = {p.name: p for p in old_named}
    new_by = {p.name: p for p in new_named}
    removed = [p for p in old_named if p.name not in new_by]
    added = [p for p in new_named if p.name not in old_by]
    common = [(p, new_by[p.name]) for p in old_named if p.name in new_by]

    old_pos = [p for p in old_named if p.kind.positional]
    new_pos = [p for p in new_named if p.kind.positional]
    renames: dict[str, str] = {}
    pairs = [
        (was, new_pos[index]) for index, was in enumerate(old_pos)
        if index < len(new_pos) and was in removed
        and new_pos[index] in added
    ]
    old_kw = [p for p in removed if p.kind is ParameterKind.KEYWORD_ONLY]
    new_kw = [p for p in added if p.kind is ParameterKind.KEYWORD_ONLY]
    if len(old_kw) == 1 and len(new_kw) == 1:
        pairs.append((old_kw[0], new_kw[0]))
    for was, now in pairs:
        if not same_parameter(was, now):
            continue
        removed.remove(was)
        added.remove(now)
        renames[was.name] = now.name
        if was.kind is not ParameterKind.POSITIONAL_ONLY:
            found.append(Finding(
                K.PARAMETER_RENAMED.value,
                f"parameter '{was.name}' of {path} was renamed to "
                f"'{now.name}'",
                calls=CallShape(keywords=(was.name,)),
            ))
        common.append((was, now))

    # ``f(x, old=None)`` -> ``f(x, new=None, *, old=None)``: the slot was
    # renamed and the old name kept as a keyword-only alias.
    aliased: set[str] = set()
    for index, was in enumerate(old_pos):
        kept = new_by.get(was.name)
        if (index >= len(new_pos) or kept is None
                or kept.kind is not ParameterKind.KEYWORD_ONLY
                or was.kind is not ParameterKind.POSITIONAL_OR_KEYWORD):
            continue
        now = new_pos[index]
        if now not in added or not same_parameter(was, dataclasses.replace(
                now, kind=was.kind)):
            continue
        added.remove(now)
        aliased.add(was.name)
        renames[was.name] = now.name
        found.append(Finding(
            K.PARAMETER_RENAMED.value,
            f"parameter '{was.name}' of {path} was renamed to "
            f"'{now.name}'",
            calls=CallShape(keywords=(was.name,)),
        ))

    for param in removed:
        found.append(Finding(
            K.PARAMETER_REMOVED.value,
            f"parameter '{param.name}' of {path} was removed",
            calls=CallShape(
                keywords=(param.name,) if param.kind.keyword else (),
                positional=(from_position(old_pos.index(param))
                            if param.kind.positional else None),
            ),
        ))
    common_pos = {now.name for was, now in common
                  if was.kind.positional and now.kind.positional}
    for param in added:
        if param.required:
            found.append(Finding(
                K.PARAMETER_ADDED_REQUIRED.value,
                f"required parameter '{param.name}' was added to {path}",
            ))
            continue
        message = (
            f"optional parameter '{param.name}' "
            f'(default {param.default}) was added to {path}'
        )
        severity = None
        calls = None
        if param.kind.positional:
            index = new_pos.index(param)
            after = [p.name for p in new_pos[index + 1:]
                     if p.name in common_pos]
            if after:
                # Existing positional arguments now land in the new slot.
                message += (
                    f", before '{after[0]}', shifting positional arguments"
                )
                severity = Bump.MAJOR
                calls = CallShape(positional=from_position(index))
        found.append(Finding(
            K.PARAMETER_ADDED_OPTIONAL.value, message, severity, calls
        ))

    for was, now in common:
        if was.name in aliased:
            continue
        found.extend(_compare_one(
            path, was, now,
            old_pos.index(was) if was in old_pos else None, from_position,
        ))

    # Compare the order of the parameters that stayed positional, under
    # their old names (a rename at the same index is not a reordering).
    positional = [
        (old_pos.index(was), new_pos.index(now), was.name)
        for was, now in common
        if was.kind.positional and now.kind.positional
    ]
    old_order = [name for _, _, name in sorted(positional)]
    new_order = [name for _, _, name in sorted(
        positional, key=lambda item: item[1]
    )]
    if old_order != new_order:
        moved = [min(o, n) for o, n, _ in positional if o != n]
        found.append(Finding(
            K.PARAMETER_REORDERED.value,
            f'positional parameters of {path} were reordered: '
            f'({", ".join(old_order)}) -> ({", ".join(new_order)})',
            calls=CallShape(positional=from_position(min(moved)))
            if moved else None,
        ))
    return found, renames


_DEFAULT_MAJOR = frozenset({
    K.PARAMETER_REMOVED.value, K.PARAMETER_ADDED_REQUIRED.value,
    K.PARAMETER_RENAMED.value, K.PARAMETER_REORDERED.value,
    K.PARAMETER_KIND_CHANGED.value, K.PARAMETER_DEFAULT_REMOVED.value,
    K.VAR_POSITIONAL_REMOVED.value, K.VAR_KEYWORD_REMOVED.value,
})


def _is_major(finding: Finding) -> bool:
    if finding.severity is not None:
        return finding.severity is Bump.MAJOR
    return finding.kind in _DEFAULT_MAJOR


def _hits(finding: Finding, calls: Sequence[Call]) -> list[Call]:
    shape = finding.calls
    if shape is None:
        return list(calls)
    return [c for c in calls
            if shape.breaks(c.positional, tuple(c.keywords))]


def _narrowed(shape: CallShape | None, hits: Sequence[Call]
              ) -> CallShape | None:
    """``shape`` restricted to the calls that do break."""
    if shape is None:
        return None
    keywords = tuple(k for k in shape.keywords
                     if any(k in c.keywords for c in hits))
    threshold = shape.positional
    positional = None
    if threshold is not None:
        counts = [c.positional for c in hits if c.positional >= threshold]
        positional = min(counts) if counts else None
    if not keywords and positional is None:
        return shape
    return CallShape(keywords=keywords, positional=positional)


def _why_compatible(new: Function, finding: Finding) -> str:
    keywords = set(finding.calls.keywords) if finding.calls else set()
    aliases = {a.name for a in new.keyword_aliases}
    # An old name kept as a keyword-only parameter accepts it too.
    aliases.update(p.name for p in new.parameters if p.kind.keyword)
    if keywords and keywords <= aliases:
        return 'the old keyword is still accepted'
    signatures = [new.signature, *(
        [new.runtime] if new.runtime is not None else [])]
    if keywords and any(
        p.kind is ParameterKind.VAR_KEYWORD
        for s in signatures for p in s.parameters
    ):
        return 'calls passing it are still accepted through **kwargs'
    if new.runtime is not None:
        return 'the code beside the stub still accepts every such call'
    return 'every call it accepted still binds'


# Protocol methods that callers do call with keyword arguments.
_KEYWORD_DUNDERS = frozenset({'__init__', '__new__', '__call__'})


def _subject(finding: Finding) -> tuple[str, str]:
    """``(kind, parameter)`` a finding is about (the first quoted name of
    its message), to tell a stub's finding from the same one in code."""
    _, quote, rest = finding.message.partition("'")
    name = rest.partition("'")[0] if quote else finding.message
    return finding.kind, name


def _forwards_anything(function: Function, bound: int) -> bool:
    """Whether ``function`` takes only ``*args`` and ``**kwargs``."""
    params = function.parameters[bound:]
    kinds = {p.kind for p in params}
    return kinds == {ParameterKind.VAR_POSITIONAL,
                     ParameterKind.VAR_KEYWORD}


def judge_function(
    path: str, old: Function, new: Function, *, bound: int = 0
) -> list[Finding]:
    """The parameter findings of ``old`` -> ``new``, graded by the calls
    they break.

    A finding that would be major is kept major only if some call the old
    function accepted is rejected by the new one, or binds a positional
    argument to a different parameter; its :class:`CallShape` is narrowed
    to those calls. Otherwise it is minor, and its message says why (the
    old keyword is still accepted, ``**kwargs`` absorbs it, the runtime
    beside a stub accepts it).

    Two kinds of calls are not counted: keyword arguments to protocol
    methods (``__getitem__(key=...)`` is never written; only
    ``__init__``, ``__new__`` and ``__call__`` are called by keyword), and
    any call of an old signature that took only ``*args, **kwargs``: it
    forwarded whatever it got, so which calls were valid is not known.
    """
    findings, renames = _describe(path, old.parameters, new.parameters,
                                  bound)
    if old.runtime is not None or new.runtime is not None:
        # What the code beside a stub changed, if the stub did not say.
        code, code_renames = _describe(
            path, (old.runtime or old.signature).parameters,
            (new.runtime or new.signature).parameters, bound)
        seen = {_subject(f) for f in findings}
        findings.extend(f for f in code if _subject(f) not in seen)
        renames = {**code_renames, **renames}
    findings.extend(_alias_findings(path, old, new))
    if not findings:
        return findings
    broken, typing_only = broken_calls(old, new, bound, renames)
    name = path.rpartition('.')[2]
    if name.startswith('__') and name.endswith('__') and (
        name not in _KEYWORD_DUNDERS
    ):
        broken = [c for c in broken if not c.keywords]
        typing_only = [c for c in typing_only if not c.keywords]
    forwarding = _forwards_anything(old, bound)
    graded: list[Finding] = []
    for finding in findings:
        if not _is_major(finding):
            graded.append(finding)
            continue
        if forwarding:
            graded.append(dataclasses.replace(
                finding, severity=Bump.MINOR,
                message=f'{finding.message}; the old signature took any '
                'arguments (*args, **kwargs)'))
            continue
        hits = _hits(finding, broken)
        if hits:
            graded.append(dataclasses.replace(
                finding, calls=_narrowed(finding.calls, hits)))
        elif _hits(finding, typing_only):
            graded.append(dataclasses.replace(
                finding, severity=Bump.MINOR,
                message=finding.message + '; the code still accepts '
                'every such call, only type checkers reject them'))
        else:
            graded.append(dataclasses.replace(
                finding, severity=Bump.MINOR,
                message=f'{finding.message}; {_why_compatible(new, finding)}'
            ))
    return graded


def _alias_findings(
    path: str, old: Function, new: Function
) -> list[Finding]:
    """Keywords a ``renamed_kwarg`` kept working and NEW no longer takes.
    """
    names = {p.name for p in new.parameters}
    kept = {a.name for a in new.keyword_aliases}
    return [
        Finding(
            K.PARAMETER_REMOVED.value,
            f"deprecated keyword '{alias.name}' of {path} is no longer "
            'accepted',
            calls=CallShape(keywords=(alias.name,)),
        )
        for alias in old.keyword_aliases
        if alias.name not in kept and alias.name not in names
    ]


def _compare_one(
    path: str,
    was: Parameter,
    now: Parameter,
    old_index: int | None,
    from_position: Callable[[int], int],
) -> list[Finding]:
    found: list[Finding] = []
    name = now.name
    if was.kind is not now.kind:
        lost_position = was.kind.positional and not now.kind.positional
        lost_keyword = was.kind.keyword and not now.kind.keyword
        widened = not lost_position and not lost_keyword
        calls = None
        if not widened:
            calls = CallShape(
                keywords=(was.name,) if lost_keyword else (),
                positional=(from_position(old_index)
                            if lost_position and old_index is not None
                            else None),
            )
        found.append(Finding(
            K.PARAMETER_KIND_CHANGED.value,
            f"parameter '{name}' of {path} changed from {was.kind} to "
            f'{now.kind}',
            Bump.MINOR if widened else None,
            calls,
        ))
    if was.default is None and now.default is not None:
        found.append(Finding(
            K.PARAMETER_DEFAULT_ADDED.value,
            f"parameter '{name}' of {path} now has a default "
            f'({now.default})',
        ))
    elif was.default is not None and now.default is None:
        found.append(Finding(
            K.PARAMETER_DEFAULT_REMOVED.value,
            f"parameter '{name}' of {path} no longer has a default "
            f'(was {was.default}); callers must pass it',
        ))
    elif was.default != now.default:
        found.append(Finding(
            K.PARAMETER_DEFAULT_CHANGED.value,
            f"default of parameter '{name}' of {path} changed from "
            f'{was.default} to {now.default}',
        ))
    return found


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
