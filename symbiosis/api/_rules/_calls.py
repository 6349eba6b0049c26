"""Which calls a function accepts, judged by binding them as Python does.

The parameter rules describe *what* changed in a signature; whether that
breaks anyone is a question about calls: a change is breaking only when a
call the old function accepted is rejected by the new one. This module
answers it without running anything:

* :class:`Binder` binds a call *shape* (how many positional arguments,
  which keywords) to a signature the way the interpreter does -- too many
  positionals without ``*args``, an unknown keyword without ``**kwargs``,
  a value given twice, a required parameter left out are errors --
  including keywords kept working by ``renamed_kwarg`` and the runtime
  signature a stub may hide;
* :func:`representative_calls` lists the shapes that exercise every
  parameter of the old signature (the minimal call, each optional
  parameter by position and by keyword, each required one by keyword,
  an extra positional for ``*args``, an extra keyword for ``**kwargs``);
* :func:`broken_calls` returns those the old function accepts and the new
  one rejects -- or accepts with a positional argument landing in another
  parameter (``f(a, timeout)`` becoming ``f(a, retries)``), which no
  error reveals.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses

from symbiosis.api._model import Function
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._model import Signature

__all__ = [
    'Binder',
    'Call',
    'binders_of',
    'broken_calls',
    'call_broken',
    'representative_calls',
]

#: A keyword no signature names, standing for "any other keyword".
EXTRA_KEYWORD = '\0extra'


@dataclasses.dataclass(frozen=True, order=True)
class Call:
    """The shape of a call: positional count and keyword names (without
    the ``self`` or ``cls`` a method call binds implicitly)."""

    positional: int
    keywords: frozenset[str] = frozenset()

    def __str__(self) -> str:
        args = [f'arg{i + 1}' for i in range(self.positional)]
        args += [
            '**extra' if k == EXTRA_KEYWORD else f'{k}=...'
            for k in sorted(self.keywords)
        ]
        return f'({", ".join(args)})'


class Binder:
    """Binds call shapes to one signature.

    :param parameters: the signature's parameters.
    :param bound: leading parameters callers do not pass (``self``).
    :param aliases: extra keyword -> the parameter it feeds (``None``:
        accepted and dropped).
    """

    def __init__(
        self,
        parameters: Sequence[Parameter],
        *,
        bound: int = 0,
        aliases: Iterable[tuple[str, str | None]] = (),
    ) -> None:
        params = list(parameters[bound:])
        self.parameters = params
        self.positional = [p for p in params if p.kind.positional]
        self.var_positional = any(
            p.kind is ParameterKind.VAR_POSITIONAL for p in params)
        self.var_keyword = any(
            p.kind is ParameterKind.VAR_KEYWORD for p in params)
        self.by_keyword = {p.name: p for p in params if p.kind.keyword}
        self.required = [p.name for p in params if p.required]
        self.aliases = dict(aliases)

    def accepts(self, call: Call) -> bool:
        """Whether a call of this shape binds without a ``TypeError``."""
        if call.positional > len(self.positional) and (
            not self.var_positional
        ):
            return False
        filled = {p.name for p in self.positional[:call.positional]}
        for keyword in call.keywords:
            name: str | None = keyword
            if keyword in self.aliases and keyword not in self.by_keyword:
                name = self.aliases[keyword]
                if name is None:
                    continue
            param = self.by_keyword.get(name) if name is not None else None
            if param is None:
                if self.var_keyword:
                    continue
                return False
            if param.name in filled:
                return False  # got multiple values
            filled.add(param.name)
        return all(name in filled for name in self.required)

    def slot(self, index: int) -> str:
        """The parameter the ``index``-th positional argument binds to
        (``*`` for ``*args``)."""
        if index < len(self.positional):
            return self.positional[index].name
        return '*'


def representative_calls(binder: Binder) -> list[Call]:
    """Call shapes that exercise every parameter of ``binder``'s
    signature, each accepted by it."""
    positional = binder.positional
    required_positional = sum(1 for p in positional if p.required)
    required_keywords = frozenset(
        p.name for p in binder.parameters
        if p.kind is ParameterKind.KEYWORD_ONLY and p.required
    )
    shapes: set[Call] = {Call(required_positional, required_keywords)}
    # Required positional-or-keyword parameters passed by keyword (from
    # some index on, since keywords follow positionals).
    for start in range(required_positional):
        tail = positional[start:required_positional]
        if all(p.kind.keyword for p in tail):
            shapes.add(Call(start, required_keywords
                            | {p.name for p in tail}))
    for index in range(required_positional, len(positional)):
        param = positional[index]
        shapes.add(Call(index + 1, required_keywords))
        if param.kind.keyword:
            shapes.add(Call(required_positional,
                            required_keywords | {param.name}))
    for param in binder.parameters:
        if param.kind is ParameterKind.KEYWORD_ONLY and not param.required:
            shapes.add(Call(required_positional,
                            required_keywords | {param.name}))
    if binder.var_positional:
        shapes.add(Call(len(positional) + 1, required_keywords))
    if binder.var_keyword:
        shapes.add(Call(required_positional,
                        required_keywords | {EXTRA_KEYWORD}))
    for alias, target in binder.aliases.items():
        if alias in binder.by_keyword:
            continue
        names = [p.name for p in positional[:required_positional]]
        if target in names:
            start = names.index(target)
            after = {p.name for p in positional[start + 1:
                                                required_positional]}
            shapes.add(Call(start, required_keywords | {alias} | after))
        else:
            shapes.add(Call(required_positional,
                            required_keywords | {alias}))
    return sorted(c for c in shapes if binder.accepts(c))


def binders_of(function: Function, bound: int) -> tuple[list[Binder],
                                                       list[Binder]]:
    """The binders of ``function``: ``(declared, runtime)``.

    *declared* is what its signature (or, for a stub's overloads without
    an implementation, any overload) accepts; *runtime* what the code
    beside a stub accepts, empty when the signature is the code's own.
    """
    aliases = [(a.name, a.target) for a in function.keyword_aliases]

    def binder(signature: Signature) -> Binder:
        return Binder(signature.parameters, bound=_bound(signature, bound),
                      aliases=aliases)

    if function.overloads and 'overload' in function.decorators:
        declared = [binder(s) for s in function.overloads]
    else:
        declared = [binder(function.signature)]
    runtime = ([binder(function.runtime)]
               if function.runtime is not None else [])
    return declared, runtime


def _bound(signature: Signature, bound: int) -> int:
    params = signature.parameters
    if bound and params and params[0].kind.positional:
        return bound
    return 0


def _any(binders: Sequence[Binder], call: Call) -> bool:
    return any(b.accepts(call) for b in binders)


def _misbinds(old: Binder, new: Binder, call: Call,
              renames: Mapping[str, str]) -> bool:
    for index in range(call.positional):
        was = old.slot(index)
        if renames.get(was, was) != new.slot(index):
            return True
    return False


def broken_calls(
    old: Function, new: Function, bound: int,
    renames: Mapping[str, str] | None = None,
) -> tuple[list[Call], list[Call]]:
    """Calls ``old`` accepted that ``new`` rejects or binds differently.

    Calls are judged by the code: the runtime signature when a stub hides
    it, on both sides. Returns ``(broken, typing_only)``: *broken* are
    rejected by the new code, or bind a positional argument to another
    parameter; *typing_only* are accepted by the new code but rejected by
    the new stub, so only type checkers object.

    :param bound: 1 when callers do not pass the first parameter (the
        ``self``/``cls`` of a method), else 0.
    :param renames: parameters known to be renamed (old -> new name), so
        a positional argument reaching the renamed one is not misbound.
    """
    renames = renames or {}
    old_declared, old_runtime = binders_of(old, bound)
    new_declared, new_runtime = binders_of(new, bound)
    calls: set[Call] = set()
    for binder in old_declared:
        calls.update(representative_calls(binder))
    for binder in old_runtime:
        calls.update(representative_calls(binder))
    old_code = old_runtime or old_declared
    new_code = new_runtime or new_declared
    broken: list[Call] = []
    typing_only: list[Call] = []
    for call in sorted(calls):
        # What the code accepted is what ran; a stub only types it.
        if not _any(old_code, call):
            continue
        if _rejected(old_code, new_code, call, renames):
            broken.append(call)
        elif new_runtime and not _any(new_declared, call):
            typing_only.append(call)
    return broken, typing_only


def _rejected(old_code: Sequence[Binder], new_code: Sequence[Binder],
              call: Call, renames: Mapping[str, str]) -> bool:
    """Whether the new code rejects ``call`` or binds one of its
    positional arguments to another parameter."""
    # Which parameter a positional lands in is only compared between two
    # single signatures; overloads differ by types, not slots.
    slots = (old_code[0], new_code[0]) if (
        len(old_code) == 1 and len(new_code) == 1) else None
    return not _any(new_code, call) or (
        slots is not None and _misbinds(*slots, call, renames))


def call_broken(
    old: Function, new: Function, bound: int, call: Call,
    renames: Mapping[str, str] | None = None,
) -> bool:
    """Whether one ``call`` the old code accepted is broken by ``new``.

    The test :func:`broken_calls` applies to each representative call,
    applied to a call a downstream really makes: ``False`` when the old
    code did not accept it either.
    """
    old_declared, old_runtime = binders_of(old, bound)
    new_declared, new_runtime = binders_of(new, bound)
    old_code = old_runtime or old_declared
    if not _any(old_code, call):
        return False
    return _rejected(old_code, new_runtime or new_declared, call,
                     renames or {})
