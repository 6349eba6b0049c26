"""Rules about functions as a whole: async-ness, returns, overloads."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Function
from symbiosis.api._model import Signature
from symbiosis.api._rules._calls import Binder
from symbiosis.api._rules._calls import binders_of
from symbiosis.api._rules._calls import representative_calls
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import Rule
from symbiosis.api._rules.parameters import bound_parameters

__all__ = [
    'AsyncChanged',
    'OverloadAdded',
    'OverloadRemoved',
    'ReturnAnnotationChanged',
    'container_class',
    'format_signature',
    'match_overloads',
]


def format_signature(signature: Signature) -> str:
    """Return ``(x: int, *, y=1) -> str``-like text for messages."""
    parts: list[str] = []
    star_done = False
    previous_kind = None
    for param in signature.parameters:
        kind = param.kind.value
        if previous_kind == 'positional-only' and kind != previous_kind:
            parts.append('/')
        if kind == 'keyword-only' and not star_done:
            parts.append('*')
            star_done = True
        text = param.name
        if kind == 'var-positional':
            text = '*' + text
            star_done = True
        elif kind == 'var-keyword':
            text = '**' + text
        if param.annotation:
            text += f': {param.annotation}'
        if param.default is not None:
            text += f' = {param.default}' if param.annotation else (
                f'={param.default}'
            )
        parts.append(text)
        previous_kind = kind
    if previous_kind == 'positional-only':
        parts.append('/')
    text = f'({", ".join(parts)})'
    if signature.returns:
        text += f' -> {signature.returns}'
    return text


# Decorators that turn an ``async def`` into a plain function returning
# something else (an async context manager).
_SYNC_WRAPPERS = frozenset({'asynccontextmanager', 'contextmanager'})


def _coroutine(function: Function) -> bool:
    """Whether calling ``function`` returns a coroutine."""
    return function.is_async and not (_SYNC_WRAPPERS & function.decorators)


class AsyncChanged(Rule):
    """A function became a coroutine function, or stopped being one.

    Callers must add or drop ``await``. Example::

        mylib.fetch is now async (was sync)
    """

    kind = ChangeKind.ASYNC_CHANGED.value
    default_severity = Bump.MAJOR
    description = 'a function switched between sync and async'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per function whose async-ness flipped."""
        for pair in ctx.paired(Function):
            old_async, new_async = _coroutine(pair.old), _coroutine(pair.new)
            if old_async != new_async:
                now, was = (
                    ('async', 'sync') if new_async else ('sync', 'async')
                )
                yield ctx.change(
                    self, pair.path, f'{pair.path} is now {now} (was {was})',
                    old=pair.old, new=pair.new,
                )


# Container annotations by what callers can do with the result.
_MUTABLE = {'list': 'list', 'List': 'list', 'dict': 'dict', 'Dict': 'dict',
            'set': 'set', 'Set': 'set', 'MutableMapping': 'dict',
            'MutableSequence': 'list', 'MutableSet': 'set',
            'DefaultDict': 'dict', 'defaultdict': 'dict',
            'OrderedDict': 'dict'}
_CONTAINERS = frozenset({
    'tuple', 'Tuple', 'frozenset', 'FrozenSet', 'Mapping', 'Sequence',
    'Iterable', 'Iterator', 'Generator', 'Collection', 'AbstractSet',
    'KeysView', 'ValuesView', 'ItemsView', 'MappingProxyType',
}) | set(_MUTABLE)


def container_class(annotation: str | None) -> str | None:
    """``list`` for ``list[str]``/``typing.List[str]``, ``Mapping`` for
    ``t.Mapping[str, int]``... (``None``: not a container annotation)."""
    if not annotation:
        return None
    head = annotation.strip().strip('\'"').split('[', 1)[0].strip()
    head = head.rpartition('.')[2]
    return head if head in _CONTAINERS else None


class ReturnAnnotationChanged(Rule):
    """The return annotation changed. Patch by default: annotations do
    not change behaviour, but type checkers will notice.

    Minor when a mutable container became another kind of container
    (``list`` to ``tuple``, ``dict`` to ``Mapping``): if the value follows
    the annotation, callers that mutate the result break. Example::

        return annotation of mylib.parse changed from list to
        list[str]
    """

    kind = ChangeKind.RETURN_ANNOTATION_CHANGED.value
    default_severity = Bump.PATCH
    description = 'the return annotation changed'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per function whose return annotation changed."""
        for pair in ctx.paired(Function):
            was, now = pair.old.signature.returns, pair.new.signature.returns
            if was == now:
                continue
            message = (f'return annotation of {pair.path} changed from '
                       f'{was or "none"} to {now or "none"}')
            severity = None
            before, after = container_class(was), container_class(now)
            if before in _MUTABLE and after is not None and (
                _MUTABLE.get(after) != _MUTABLE[before]
            ):
                message += (f'; callers that modify the returned '
                            f'{_MUTABLE[before]} may break')
                severity = Bump.MINOR
            yield ctx.change(self, pair.path, message, old=pair.old,
                             new=pair.new, severity=severity)


def _overload_shape(signature: Signature) -> tuple[tuple[str, str, bool], ...]:
    return tuple(
        (p.name, p.kind.value, p.default is not None)
        for p in signature.parameters
    )


def match_overloads(
    old: Sequence[Signature], new: Sequence[Signature]
) -> tuple[list[Signature], list[Signature]]:
    """Return the overloads only in ``old`` and only in ``new``.

    Identical signatures match first. A remaining OLD overload then
    matches a remaining NEW one of the same shape (parameter names, kinds
    and whether they have defaults): that is the same variant with refined
    annotations (``Iterable`` to ``Iterable[Any]``), not a removal plus
    an addition.
    """
    unmatched_new = list(new)
    unmatched_old: list[Signature] = []
    for signature in old:
        if signature in unmatched_new:
            unmatched_new.remove(signature)
        else:
            unmatched_old.append(signature)
    removed: list[Signature] = []
    for signature in unmatched_old:
        shape = _overload_shape(signature)
        twin = next(
            (s for s in unmatched_new if _overload_shape(s) == shape), None
        )
        if twin is None:
            removed.append(signature)
        else:
            unmatched_new.remove(twin)
    return removed, unmatched_new


def _calls_still_accepted(
    signature: Signature, new: Function, bound: int
) -> bool:
    """Whether every call shape ``signature`` describes binds to ``new``
    (its overloads, or its implementation, or the code beside a stub)."""
    declared, runtime = binders_of(new, bound)
    accepting = runtime or declared
    params = signature.parameters
    binder = Binder(params, bound=bound if params and (
        params[0].kind.positional) else 0)
    return all(any(b.accepts(call) for b in accepting)
               for call in representative_calls(binder))


class OverloadRemoved(Rule):
    """An ``@overload`` variant disappeared.

    Overloads are judged by the calls they describe: a variant folded
    into the others or into a single signature, whose every call shape is
    still accepted, removes nothing at run time -- it is reported as
    minor (type checkers may infer other types). A variant some of whose
    calls no longer bind is major. Example::

        overload (data: bytes) -> str of mylib.parse was removed
    """

    kind = ChangeKind.OVERLOAD_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'an @overload variant was removed'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per overload signature OLD had and NEW lacks."""
        for pair in ctx.paired(Function):
            removed, _ = match_overloads(
                pair.old.overloads, pair.new.overloads
            )
            if not removed:
                continue
            bound = bound_parameters(ctx, pair.path, pair.old)
            for signature in removed:
                message = (f'overload {format_signature(signature)} of '
                           f'{pair.path} was removed')
                severity = None
                if _calls_still_accepted(signature, pair.new, bound):
                    message += '; every call it described is still accepted'
                    severity = Bump.MINOR
                yield ctx.change(
                    self, pair.path, message, old=pair.old, new=pair.new,
                    severity=severity,
                )


class OverloadAdded(Rule):
    """An ``@overload`` variant appeared.

    Example::

        overload (data: str) -> str of mylib.parse was added
    """

    kind = ChangeKind.OVERLOAD_ADDED.value
    default_severity = Bump.MINOR
    description = 'an @overload variant was added'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per overload signature new in NEW."""
        for pair in ctx.paired(Function):
            _, added = match_overloads(pair.old.overloads, pair.new.overloads)
            for signature in added:
                yield ctx.change(
                    self,
                    pair.path,
                    f'overload {format_signature(signature)} of '
                    f'{pair.path} was added',
                    old=pair.old,
                    new=pair.new,
                )
