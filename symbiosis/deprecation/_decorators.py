"""Deprecate functions, methods, properties and classes; rename keywords.

:class:`deprecated` follows PEP 702 (``warnings.deprecated`` /
``typing_extensions.deprecated``): the decorated object gets a
``__deprecated__`` attribute and warns when used. On top of PEP 702 it
takes ``since``, ``removal`` and ``replacement``, validates them when the
decorator runs, builds the message once from them and records them on the
object (see :mod:`symbiosis.deprecation._registry`)::

    @deprecated(since='1.4', removal='2.0', replacement='mylib.connect()')
    def open_connection(host): ...

:func:`renamed_kwarg` keeps accepting an old keyword argument name with a
warning. Both can be stacked; stacked helpers collapse into one wrapper, so
every warning points at the caller's line and a call pays for one extra
frame only.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
import functools
import sys
import types
from typing import Any
from typing import TypeVar
from typing import cast
import warnings

from symbiosis.deprecation._messages import RECORD_ATTRIBUTE
from symbiosis.deprecation._messages import RECORDS_ATTRIBUTE
from symbiosis.deprecation._messages import DeprecationRecord
from symbiosis.deprecation._messages import build_message
from symbiosis.deprecation._versions import DeprecationDeclarationError
from symbiosis.deprecation._versions import check_versions
from symbiosis.deprecation._wrappers import NO_MEMO
from symbiosis.deprecation._wrappers import FilterMemo
from symbiosis.deprecation._wrappers import Rename
from symbiosis.deprecation._wrappers import WarningCategory
from symbiosis.deprecation._wrappers import function_kind
from symbiosis.deprecation._wrappers import own_spec
from symbiosis.deprecation._wrappers import qualified_name
from symbiosis.deprecation._wrappers import wrap_callable

__all__ = ['deprecated', 'renamed_kwarg']

_T = TypeVar('_T')

def _mark(obj: object, message: str, record: DeprecationRecord) -> None:
    try:
        setattr(obj, '__deprecated__', message)  # noqa: B010 - any object
        setattr(obj, RECORD_ATTRIBUTE, record)
    except (AttributeError, TypeError) as err:
        raise DeprecationDeclarationError(
            f'cannot be decorated: {err}', what=record.path
        ) from err


def _external_stacklevel() -> int:
    """Stack level of the first frame outside class-creation machinery.

    Used on the rare paths (subclassing) where metaclasses written in
    Python add frames between the warning and the ``class`` statement.
    """
    frame = sys._getframe(2)  # the caller of our caller
    level = 2
    while frame is not None and frame.f_code.co_name in (
        '__new__', '__init__', '__init_subclass__', '__call__',
    ):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _wrap_accessor(
    accessor: Callable[..., Any] | None,
    text: str,
    category: WarningCategory,
    record: DeprecationRecord,
) -> Any:
    if accessor is None or category is None:
        return accessor
    wrapped = wrap_callable(accessor, message=text, category=category)
    _mark(wrapped, text, record)
    return wrapped


class _DeprecatedProperty(property):
    """A deprecated property: accessors added later warn too.

    ``@old.setter`` after ``@deprecated() @property def old`` builds a new
    property; this class wraps the new accessor like the others.
    """

    _symbiosis_deprecation: tuple[str, WarningCategory, DeprecationRecord]

    def _derive(self, prop: property) -> property:
        vars(prop).update(vars(self))
        return prop

    def getter(self, fget: Callable[[Any], Any], /) -> property:
        """Return a copy with another getter, which warns too."""
        return self._derive(super().getter(
            _wrap_accessor(fget, *self._symbiosis_deprecation)
        ))

    def setter(self, fset: Callable[[Any, Any], None], /) -> property:
        """Return a copy with a setter, which warns too."""
        return self._derive(super().setter(
            _wrap_accessor(fset, *self._symbiosis_deprecation)
        ))

    def deleter(self, fdel: Callable[[Any], None], /) -> property:
        """Return a copy with a deleter, which warns too."""
        return self._derive(super().deleter(
            _wrap_accessor(fdel, *self._symbiosis_deprecation)
        ))


class deprecated:
    """Mark a function, method, property or class as deprecated.

    :param message: the author's explanation, appended to the generated
        message. When omitted and the object already carries a PEP 702
        ``__deprecated__`` message (``@typing_extensions.deprecated('...',
        category=None)`` applied first), that message is used.
    :param since: version that announced the deprecation (PEP 440).
    :param removal: version in which the object will be removed; must be
        later than ``since``.
    :param replacement: what to use instead, as users should write it
        (``'mylib.connect()'``).
    :param category: the warning class; ``None`` records the deprecation
        and sets ``__deprecated__`` without warning at runtime (PEP 702).
    :param warn_on_subclass: for classes, also warn when a subclass is
        defined (instantiating the class itself always warns).
    :raises DeprecationDeclarationError: invalid versions, or the object
        cannot be decorated -- raised when the decorator runs.

    Decorated objects:

    * functions and methods warn when called; ``async`` functions warn
      when called and stay coroutine functions;
    * ``classmethod`` / ``staticmethod`` objects, in either decorator order;
    * ``property`` objects warn on get, set and delete;
    * classes warn when instantiated (subclasses do not, unless they are
      defined while ``warn_on_subclass`` is set, which warns at the
      ``class`` statement).

    The message is built once::

        mylib.old() is deprecated since 1.4 and will be removed in 2.0; use
        mylib.new() instead.
    """

    __slots__ = (
        'category', 'message', 'removal', 'replacement', 'since',
        'warn_on_subclass',
    )

    def __init__(
        self,
        message: str | None = None,
        *,
        since: str | None = None,
        removal: str | None = None,
        replacement: str | None = None,
        category: type[Warning] | None = DeprecationWarning,
        warn_on_subclass: bool = False,
    ) -> None:
        if message is not None and not isinstance(message, str):
            hint = ' (use @deprecated() with parentheses)' if callable(
                message
            ) else ''
            raise DeprecationDeclarationError(
                f'message must be a string, not {type(message).__name__}'
                + hint
            )
        if category is not None and not (
            isinstance(category, type) and issubclass(category, Warning)
        ):
            raise DeprecationDeclarationError(
                f'category must be a Warning subclass or None, not '
                f'{category!r}'
            )
        check_versions(since, removal)
        self.message = message
        self.since = since
        self.removal = removal
        self.replacement = replacement
        self.category = category
        self.warn_on_subclass = warn_on_subclass

    def _message_for(
        self, path: str, kind: str, obj: object
    ) -> tuple[str, DeprecationRecord]:
        explanation = self.message
        if explanation is None:
            existing = getattr(obj, '__deprecated__', None)
            explanation = existing if isinstance(existing, str) else None
        text = build_message(
            path, kind, since=self.since, removal=self.removal,
            replacement=self.replacement, message=explanation,
        )
        record = DeprecationRecord(
            path=path, kind=kind, message=text, since=self.since,
            removal=self.removal, replacement=self.replacement,
        )
        return text, record

    def __call__(self, arg: _T, /) -> _T:
        """Decorate ``arg``; see the class documentation."""
        result = self._decorate(arg)
        return cast('_T', result)

    def _decorate(self, obj: Any) -> Any:
        if isinstance(obj, type):
            return self._class(obj)
        if isinstance(obj, (classmethod, staticmethod)):
            func = self._function(obj.__func__)
            wrapped = type(obj)(func)
            _mark(wrapped, func.__deprecated__,
                  getattr(func, RECORD_ATTRIBUTE))
            return wrapped
        if isinstance(obj, property):
            return self._property(obj)
        if isinstance(obj, functools.cached_property):
            # cached_property.__get__ is Python code: one more frame.
            func = self._function(obj.func, 'property', stacklevel=3)
            cached = functools.cached_property(func)
            _mark(cached, func.__deprecated__,
                  getattr(func, RECORD_ATTRIBUTE))
            return cached
        if callable(obj) and not isinstance(obj, types.ModuleType):
            return self._function(obj)
        raise DeprecationDeclarationError(
            f'cannot deprecate a {type(obj).__name__} with @deprecated; '
            'decorate a function, method, property or class (use '
            'moved_attributes() for module constants and moved_module() '
            'for modules)',
            what=repr(obj)[:80],
        )

    def _function(
        self, func: Callable[..., Any], kind: str | None = None,
        stacklevel: int = 2,
    ) -> Any:
        path = qualified_name(func)
        text, record = self._message_for(
            path, kind or function_kind(func), func
        )
        if self.category is None and own_spec(func) is None:
            wrapper: Any = func  # PEP 702: no runtime warning, no wrapper
        else:
            wrapper = wrap_callable(
                func, message=text if self.category else None,
                category=self.category, stacklevel=stacklevel,
            )
        _mark(wrapper, text, record)
        return wrapper

    def _property(self, prop: property) -> property:
        getter = prop.fget
        if getter is None:
            raise DeprecationDeclarationError(
                'cannot deprecate a property without a getter',
                what=repr(prop),
            )
        text, record = self._message_for(
            qualified_name(getter), 'property', getter
        )
        fget, fset, fdel = (
            _wrap_accessor(a, text, self.category, record)
            for a in (prop.fget, prop.fset, prop.fdel)
        )
        result = _DeprecatedProperty(fget, fset, fdel, prop.__doc__)
        result._symbiosis_deprecation = (text, self.category, record)
        _mark(result, text, record)
        return result

    def _class(self, cls: type[Any]) -> type[Any]:
        path = qualified_name(cls)
        text, record = self._message_for(path, 'class', cls)
        category = self.category
        _mark(cls, text, record)
        if category is None:
            return cls
        original_init: Any = cls.__init__
        no_init = original_init is object.__init__
        new: Any = cls.__new__
        takes_no_args = no_init and new is object.__new__
        name = cls.__name__

        # Instantiating the class itself warns; subclasses (which inherit
        # this __init__) do not.
        memo: list[FilterMemo] = [NO_MEMO]

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            if type(self) is cls:
                filters = warnings.filters
                seen = memo[0]
                if not (seen.filters is filters
                        and seen.length == len(filters)
                        and seen.first is (filters[0] if filters else None)):
                    seen = memo[0] = FilterMemo.of(category, filters)
                if not seen.ignored:
                    warnings.warn(text, category, 2)
            if not no_init:
                original_init(self, *args, **kwargs)
            elif takes_no_args and (args or kwargs):
                raise TypeError(f'{name}() takes no arguments')

        if no_init:
            __init__.__qualname__ = f'{cls.__qualname__}.__init__'
            __init__.__module__ = cls.__module__
        else:
            functools.update_wrapper(__init__, original_init)
        try:
            cls.__init__ = __init__
        except (AttributeError, TypeError) as err:
            raise DeprecationDeclarationError(
                f'cannot be decorated: {err}', what=path
            ) from err
        if self.warn_on_subclass:
            self._warn_on_subclass(cls, text, category)
        return cls

    @staticmethod
    def _warn_on_subclass(
        cls: type[Any], text: str, category: type[Warning]
    ) -> None:
        original = cls.__dict__.get('__init_subclass__')
        original_func = getattr(original, '__func__', None)

        def __init_subclass__(sub: type[Any], /, **kwargs: Any) -> None:
            warnings.warn(text, category, _external_stacklevel())
            if original_func is not None:
                original_func(sub, **kwargs)
            else:
                super(cls, sub).__init_subclass__(**kwargs)

        cls.__init_subclass__ = classmethod(  # type: ignore[assignment]
            __init_subclass__
        )


def renamed_kwarg(
    old: str,
    new: str,
    *,
    since: str | None = None,
    removal: str | None = None,
    message: str | None = None,
    category: type[Warning] = DeprecationWarning,
) -> Callable[[_T], _T]:
    """Keep accepting the keyword argument ``old``, renamed ``new``.

    A call passing ``old=`` warns and is forwarded as ``new=``; passing
    both is a :class:`TypeError`. Stack it to rename several arguments::

        @renamed_kwarg('hostname', 'host', since='1.4', removal='2.0')
        def connect(host, port=80): ...

    :param old: the deprecated keyword.
    :param new: the keyword it was renamed to; the function must accept it.
    :param since: version that announced the rename.
    :param removal: version in which ``old`` stops being accepted.
    :param message: an explanation appended to the generated message.
    :param category: the warning class.
    :raises DeprecationDeclarationError: invalid versions, ``new`` not a
        parameter of the function, ``old`` still one, or not a function --
        when the decorator runs.
    """
    check_versions(since, removal, what=f'renamed_kwarg({old!r}, {new!r})')

    def decorate(arg: _T, /) -> _T:
        obj: Any = arg
        if isinstance(obj, (classmethod, staticmethod)):
            return cast('_T', type(obj)(decorate(obj.__func__)))
        if not callable(obj) or isinstance(obj, type):
            raise DeprecationDeclarationError(
                'renamed_kwarg() decorates functions and methods, not '
                f'{type(obj).__name__}',
                what=qualified_name(obj),
            )
        path = qualified_name(obj)
        _check_parameters(obj, old, new, path)
        text = build_message(
            path, 'parameter', parameter=old, since=since, removal=removal,
            replacement=repr(new), message=message,
        )
        record = DeprecationRecord(
            path=path, kind='parameter', message=text, since=since,
            removal=removal, replacement=new, parameter=old,
        )
        wrapper = wrap_callable(
            obj, renames=(Rename(old, new, text, category),)
        )
        setattr(
            wrapper, RECORDS_ATTRIBUTE,
            (*getattr(obj, RECORDS_ATTRIBUTE, ()), record),
        )
        return wrapper  # type: ignore[return-value]

    return decorate


def _check_parameters(
    func: Callable[..., Any], old: str, new: str, path: str
) -> None:
    import inspect

    try:
        params: Mapping[str, Any] = inspect.signature(
            func
        ).parameters
    except (TypeError, ValueError):
        return  # no signature (some builtins): nothing to check
    if old in params:
        raise DeprecationDeclarationError(
            f'{old!r} is still a parameter; remove it before declaring it '
            f'renamed to {new!r}',
            what=path,
        )
    accepts_any = any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )
    target = params.get(new)
    if not accepts_any and (
        target is None
        or target.kind is inspect.Parameter.POSITIONAL_ONLY
    ):
        raise DeprecationDeclarationError(
            f'{new!r} is not a keyword parameter, so {old!r} cannot be '
            'renamed to it',
            what=path,
        )
