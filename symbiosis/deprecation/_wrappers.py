"""Wrappers behind the deprecation helpers: one per decorated callable.

:func:`wrap_callable` builds the single wrapper that warns and/or maps
renamed keyword arguments; stacking symbiosis helpers merges into it
rather than nesting wrappers, so every warning points at the caller and a
call pays for one extra frame. While the warning filters ignore the
category outright, the wrapper skips ``warnings.warn`` altogether (see
:class:`FilterMemo`).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
import functools
import types
from typing import Any
from typing import NamedTuple
import warnings

from symbiosis.deprecation._messages import RECORD_ATTRIBUTE
from symbiosis.deprecation._messages import RECORDS_ATTRIBUTE

__all__ = [
    'NO_MEMO',
    'FilterMemo',
    'Rename',
    'WarningCategory',
    'function_kind',
    'own_spec',
    'qualified_name',
    'wrap_callable',
]

# Warning categories are classes; ``None`` (PEP 702) means "record and set
# ``__deprecated__`` but never warn at runtime".
WarningCategory = type[Warning] | None


class Rename(NamedTuple):
    old: str
    new: str
    message: str
    category: type[Warning]


class _Spec(NamedTuple):
    """What one symbiosis wrapper does, so stacking can merge wrappers."""

    wrapper: Callable[..., Any]
    base: Callable[..., Any]
    message: str | None
    category: WarningCategory
    renames: tuple[Rename, ...]


_SPEC_ATTRIBUTE = '_symbiosis_wrapper_spec'


class FilterMemo(NamedTuple):
    """Whether the warning filters, as last seen, ignore a category
    everywhere.

    ``warnings.warn`` costs about a microsecond even when its warning is
    ignored. Each wrapper keeps one memo (in its closure, not in a global)
    and skips the call while the filters it was computed from are still in
    place: the same list object, the same length and the same first entry.
    Every ``warnings`` function that changes the filters (``simplefilter``,
    ``filterwarnings``, ``resetwarnings``, ``catch_warnings``) changes one
    of those; only assigning to an existing entry other than the first
    would go unnoticed.
    """

    filters: object
    length: int
    first: object
    ignored: bool

    @classmethod
    def of(
        cls, category: type[Warning], filters: Sequence[Any]
    ) -> FilterMemo:
        """Compute the memo for ``category`` under ``filters``."""
        return cls(filters, len(filters), filters[0] if filters else None,
                   _ignored_everywhere(category, filters))


def _ignored_everywhere(
    category: type[Warning], filters: Sequence[Any]
) -> bool:
    """Whether ``filters`` ignore ``category`` whatever the message, module
    and line (otherwise ``warnings.warn`` must decide).
    """
    for action, message, kind, module, lineno in filters:
        if not issubclass(category, kind):
            continue
        if message is None and module is None and not lineno:
            return bool(action == 'ignore')
        if action != 'ignore':
            return False  # a narrower filter may show it: let warn decide
    return False


NO_MEMO = FilterMemo(None, -1, None, False)


def qualified_name(obj: object) -> str:
    """Return ``module.qualname`` of ``obj`` (its ``repr`` as a last resort).
    """
    qualname = getattr(obj, '__qualname__', None) or getattr(
        obj, '__name__', None
    )
    if not isinstance(qualname, str):
        return repr(obj)
    module = getattr(obj, '__module__', None)
    return f'{module}.{qualname}' if isinstance(module, str) else qualname


def function_kind(func: object) -> str:
    owner = getattr(func, '__qualname__', '').rpartition('.')[0]
    return 'method' if owner and not owner.endswith('<locals>') else 'function'


def _apply_renames(
    path: str, renames: tuple[Rename, ...], kwargs: dict[str, Any]
) -> None:
    for rename in renames:
        if rename.old in kwargs:
            if rename.new in kwargs:
                raise TypeError(
                    f'{path}() got values for both {rename.old!r} '
                    f'(deprecated) and {rename.new!r}; pass only '
                    f'{rename.new!r}'
                )
            # 3: this helper, the wrapper, the caller.
            warnings.warn(rename.message, rename.category, 3)
            kwargs[rename.new] = kwargs.pop(rename.old)


class _CoroutineFunction:
    """A deprecated ``async def`` that warns when *called*.

    An ``async def`` wrapper would only warn when awaited; a plain wrapper
    would no longer be a coroutine function. This callable warns at the
    call and still answers ``inspect.iscoroutinefunction()`` truthfully:
    it carries the wrapped function's code object, as the inspect module
    checks.
    """

    __wrapped__: Callable[..., Any]
    __qualname__: str

    def __init__(
        self,
        func: Callable[..., Any],
        message: str | None,
        category: WarningCategory,
        renames: tuple[Rename, ...],
    ) -> None:
        functools.update_wrapper(self, func)
        self.__code__ = getattr(func, '__code__', None)
        self.__defaults__ = getattr(func, '__defaults__', None)
        self.__kwdefaults__ = getattr(func, '__kwdefaults__', None)
        self._message = message
        self._category = category
        self._renames = renames
        self._path = qualified_name(func)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._message is not None and self._category is not None:
            warnings.warn(self._message, self._category, 2)
        if kwargs and self._renames:
            _apply_renames(self._path, self._renames, kwargs)
        return self.__wrapped__(*args, **kwargs)

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return types.MethodType(self, instance)

    def __reduce__(self) -> str:
        # Pickle by reference, as functions are.
        return self.__qualname__

    def __repr__(self) -> str:
        return f'<deprecated coroutine function {self._path}>'


def _build_wrapper(
    base: Callable[..., Any],
    message: str | None,
    category: WarningCategory,
    renames: tuple[Rename, ...],
    stacklevel: int = 2,
) -> Callable[..., Any]:
    """One wrapper that warns with ``message`` and maps ``renames``."""
    import inspect  # at decoration time only: keeps the import cheap

    wrapper: Callable[..., Any]
    if inspect.iscoroutinefunction(base):
        wrapper = _CoroutineFunction(base, message, category, renames)
    else:
        warns = message is not None and category is not None
        path = qualified_name(base)
        if not renames and warns:
            memo: list[FilterMemo] = [NO_MEMO]

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                # Inlined FilterMemo.is_current() (this is the hot path).
                filters = warnings.filters
                seen = memo[0]
                if not (seen.filters is filters
                        and seen.length == len(filters)
                        and seen.first is (filters[0] if filters else None)):
                    seen = memo[0] = FilterMemo.of(category, filters)  # type: ignore[arg-type]
                if not seen.ignored:
                    warnings.warn(message, category, stacklevel)  # type: ignore[arg-type]
                return base(*args, **kwargs)
        elif not renames:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return base(*args, **kwargs)
        elif not warns:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if kwargs:
                    _apply_renames(path, renames, kwargs)
                return base(*args, **kwargs)
        else:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, category, 2)  # type: ignore[arg-type]
                if kwargs:
                    _apply_renames(path, renames, kwargs)
                return base(*args, **kwargs)
        functools.update_wrapper(wrapper, base)
    setattr(
        wrapper, _SPEC_ATTRIBUTE,
        _Spec(wrapper, base, message, category, renames),
    )
    return wrapper


def own_spec(func: object) -> _Spec | None:
    """The spec of ``func`` if ``func`` itself is a symbiosis wrapper.

    ``functools.wraps`` copies ``__dict__``, so a foreign decorator around
    one of ours carries our spec too: only the wrapper it names counts.
    """
    spec = getattr(func, _SPEC_ATTRIBUTE, None)
    if isinstance(spec, _Spec) and spec.wrapper is func:
        return spec
    return None


def wrap_callable(
    func: Callable[..., Any],
    *,
    message: str | None = None,
    category: WarningCategory = None,
    renames: tuple[Rename, ...] = (),
    stacklevel: int = 2,
) -> Callable[..., Any]:
    """Wrap ``func`` to warn with ``message`` and/or map renamed keywords.

    When ``func`` is already a symbiosis wrapper, the result wraps the
    original function once, with both behaviours.

    :param stacklevel: where the warning points, from the wrapper (2: its
        caller); only for a wrapper without renames.
    """
    spec = own_spec(func)
    if spec is not None:
        base = spec.base
        if message is None:
            message, category = spec.message, spec.category
        renames = spec.renames + renames
    else:
        base = func
    carried = {
        name: value
        for name in ('__deprecated__', RECORD_ATTRIBUTE, RECORDS_ATTRIBUTE)
        if (value := getattr(func, name, None)) is not None
    }
    wrapper = _build_wrapper(base, message, category, renames, stacklevel)
    for name, value in carried.items():
        setattr(wrapper, name, value)
    return wrapper
