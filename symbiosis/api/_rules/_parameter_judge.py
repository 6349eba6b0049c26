"""Whether a parameter change breaks calls: :func:`judge_function`.

A finding of :mod:`symbiosis.api._rules._parameter_changes` that would be
major stays major only when a call the old function accepted is rejected
by the new one (see :mod:`symbiosis.api._rules._calls`); otherwise it is
minor, and its message says why.
"""

from __future__ import annotations

from collections.abc import Sequence
import dataclasses

from symbiosis.api._changes import Bump
from symbiosis.api._changes import CallShape
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Function
from symbiosis.api._model import ParameterKind
from symbiosis.api._rules._calls import Call
from symbiosis.api._rules._calls import broken_calls
from symbiosis.api._rules._parameter_changes import Finding
from symbiosis.api._rules._parameter_changes import describe_changes

__all__ = ['judge_function']

K = ChangeKind


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
    findings, renames = describe_changes(path, old.parameters, new.parameters,
                                  bound)
    if old.runtime is not None or new.runtime is not None:
        # What the code beside a stub changed, if the stub did not say.
        code, code_renames = describe_changes(
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
