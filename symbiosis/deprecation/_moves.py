"""Keep old names working after a move or a rename, with a warning.

* :func:`moved` -- a function or class now lives elsewhere; bind the old
  name to a forwarding object that warns (pickles by its old name; a
  moved class can still be subclassed and ``isinstance`` works);
* :class:`moved_method` -- a method (or any attribute) renamed within its
  class: the descriptor learns its class when the class is created, so the
  message names it correctly, and it forwards to the new name (overrides
  in subclasses included).

Names of a module, or a whole module, moved are handled by
:mod:`symbiosis.deprecation._module_moves`.
"""

from __future__ import annotations

from typing import Any
from typing import TypeVar
from typing import cast
import warnings

from symbiosis.deprecation._messages import RECORD_ATTRIBUTE
from symbiosis.deprecation._messages import DeprecationRecord
from symbiosis.deprecation._messages import build_message
from symbiosis.deprecation._versions import DeprecationDeclarationError
from symbiosis.deprecation._versions import check_versions
from symbiosis.deprecation._wrappers import qualified_name
from symbiosis.deprecation._wrappers import wrap_callable

__all__ = ['moved', 'moved_method']

_T = TypeVar('_T')


def moved(
    new: _T,
    old_name: str,
    old_module: str,
    *,
    since: str | None = None,
    removal: str | None = None,
    message: str | None = None,
    category: type[Warning] = DeprecationWarning,
) -> _T:
    """Return a stand-in for ``new`` under its old name, that warns.

    Bind the result to the old name in the old module::

        # mylib/old.py
        from mylib.client import Client, connect
        connect_to = moved(connect, 'connect_to', __name__, since='1.4',
                           removal='2.0')
        Connection = moved(Client, 'Connection', __name__, since='1.4')

    A function stand-in warns when called and forwards; its
    ``__qualname__``/``__module__`` are the old ones, so it pickles by
    reference. A class stand-in is a thin subclass of ``new`` that warns on
    instantiation (returning a ``new`` instance) and when subclassed;
    ``isinstance(x, Old)`` and ``issubclass(New, Old)`` hold.

    :param new: the object at its new place.
    :param old_name: the old name (a qualified name, ``Outer.Inner``, for
        nested classes).
    :param old_module: the old module's name (pass ``__name__``).
    :param since: version that announced the move.
    :param removal: version that removes the old name.
    :param message: an explanation appended to the generated message.
    :param category: the warning class.
    :raises DeprecationDeclarationError: invalid versions or names, or
        ``new`` is neither a class nor callable (or a class that cannot be
        subclassed, such as an enum with members: use
        :func:`moved_attributes`).
    """
    old_path = f'{old_module}.{old_name}'
    check_versions(since, removal, what=old_path)
    if not (isinstance(old_name, str) and all(
        part.isidentifier() for part in old_name.split('.')
    )) or not isinstance(old_module, str):
        raise DeprecationDeclarationError(
            'old_name must be a (dotted) identifier and old_module a '
            'module name', what=repr(old_name),
        )
    new_path = qualified_name(new)
    is_class = isinstance(new, type)
    kind = 'class' if is_class else 'function'
    text = build_message(
        old_path, kind, since=since, removal=removal,
        replacement=new_path if is_class else f'{new_path}()',
        message=message,
    )
    record = DeprecationRecord(
        path=old_path, kind=kind, message=text, since=since,
        removal=removal, replacement=new_path,
    )
    if is_class:
        return cast('_T', _moved_class(
            cast('type[Any]', new), old_name, old_module, text, category,
            record,
        ))
    if not callable(new):
        raise DeprecationDeclarationError(
            f'moved() takes a function or a class, not '
            f'{type(new).__name__}; use moved_attributes() for other '
            'objects',
            what=old_path,
        )
    wrapper: Any = wrap_callable(new, message=text, category=category)
    wrapper.__name__ = old_name.rpartition('.')[2]
    wrapper.__qualname__ = old_name
    wrapper.__module__ = old_module
    wrapper.__deprecated__ = text
    setattr(wrapper, RECORD_ATTRIBUTE, record)
    return cast('_T', wrapper)


def _moved_class(
    new: type[Any],
    old_name: str,
    old_module: str,
    text: str,
    category: type[Warning],
    record: DeprecationRecord,
) -> type[Any]:
    meta: Any = type(new)

    # A metaclass derived from the new class's own, so the stand-in is
    # usable wherever the new class is: construction forwards to the new
    # class, type checks are delegated to it.
    def __call__(cls: Any, *args: Any, **kwargs: Any) -> Any:
        if cls is stand_in:
            warnings.warn(text, category, 2)
            return new(*args, **kwargs)
        return super(moved_meta, cls).__call__(*args, **kwargs)

    def __instancecheck__(cls: Any, instance: object) -> bool:
        if cls is stand_in:
            return isinstance(instance, new)
        return bool(super(moved_meta, cls).__instancecheck__(instance))

    def __subclasscheck__(cls: Any, subclass: type) -> bool:
        if cls is stand_in:
            return issubclass(subclass, new)
        return bool(super(moved_meta, cls).__subclasscheck__(subclass))

    def __init__(cls: Any, name: str, bases: tuple[type, ...],
                 namespace: dict[str, Any], **kwargs: Any) -> None:
        super(moved_meta, cls).__init__(name, bases, namespace, **kwargs)
        # Direct subclasses of the stand-in only (not the stand-in being
        # created, nor subclasses of subclasses).
        if any(vars(base).get(RECORD_ATTRIBUTE) is record
               for base in bases) and namespace.get(
                   RECORD_ATTRIBUTE) is not record:
            warnings.warn(text, category, 2)

    metameta: Any = type(meta)
    moved_meta: Any = metameta(
        f'Moved{meta.__name__.capitalize()}', (meta,), {
            '__module__': __name__,
            '__call__': __call__,
            '__instancecheck__': __instancecheck__,
            '__subclasscheck__': __subclasscheck__,
            '__init__': __init__,
        },
    )
    namespace = {
        '__module__': old_module,
        '__qualname__': old_name,
        '__doc__': new.__doc__,
        '__slots__': (),
        '__deprecated__': text,
        RECORD_ATTRIBUTE: record,
    }
    try:
        stand_in: type[Any] = moved_meta(
            old_name.rpartition('.')[2], (new,), namespace
        )
    except TypeError as err:
        raise DeprecationDeclarationError(
            f'cannot stand in for {qualified_name(new)} ({err}); serve '
            'the old name with moved_attributes() instead',
            what=f'{old_module}.{old_name}',
        ) from err
    return stand_in


class moved_method:
    """A class attribute renamed (or moved) to ``new_name``, forwarding.

    Assign it in the class body, under the old name::

        class Client:
            def close(self): ...
            disconnect = moved_method('close', since='1.4', removal='2.0')

    Reading ``obj.disconnect`` (or ``Client.disconnect``) warns and returns
    ``obj.close`` -- a subclass's override included -- so calls, bound
    methods and properties all keep working; setting and deleting forward
    too. The message names the class the attribute is defined on
    (``mylib.Client.disconnect``), whatever the instance's class.

    :param new_name: the attribute's new name in the same class.
    :param since: version that announced the rename.
    :param removal: version that removes the old name.
    :param message: an explanation appended to the generated message.
    :param category: the warning class.
    :raises DeprecationDeclarationError: invalid versions (at once), or no
        attribute ``new_name`` in the class (when the class is created;
        Python < 3.12 wraps it in a ``RuntimeError``).
    """

    def __init__(
        self,
        new_name: str,
        *,
        since: str | None = None,
        removal: str | None = None,
        message: str | None = None,
        category: type[Warning] = DeprecationWarning,
    ) -> None:
        check_versions(since, removal, what=f'moved_method({new_name!r})')
        if not (isinstance(new_name, str) and new_name.isidentifier()):
            raise DeprecationDeclarationError(
                'new_name must be an attribute name', what=repr(new_name)
            )
        self.new_name = new_name
        self.since = since
        self.removal = removal
        self.explanation = message
        self.category = category
        self.message = ''

    def __set_name__(self, owner: type, name: str) -> None:
        """Learn the class and the old name; check ``new_name`` exists."""
        prefix = qualified_name(owner)
        if not hasattr(owner, self.new_name):
            raise DeprecationDeclarationError(
                f'moved to {self.new_name!r}, which {prefix} does not have',
                what=f'{prefix}.{name}',
            )
        target = getattr(owner, self.new_name, None)
        kind = 'method' if callable(target) else 'attribute'
        suffix = '()' if kind == 'method' else ''
        self.message = build_message(
            f'{prefix}.{name}', kind, since=self.since,
            removal=self.removal,
            replacement=f'{prefix}.{self.new_name}{suffix}',
            message=self.explanation,
        )
        self.__deprecated__ = self.message
        setattr(self, RECORD_ATTRIBUTE, DeprecationRecord(
            path=f'{prefix}.{name}', kind=kind, message=self.message,
            since=self.since, removal=self.removal,
            replacement=f'{prefix}.{self.new_name}',
        ))

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        """Warn, then return the attribute under its new name."""
        warnings.warn(self.message, self.category, 2)
        return getattr(owner if instance is None else instance,
                       self.new_name)

    def __set__(self, instance: object, value: object) -> None:
        """Warn, then set the attribute under its new name."""
        warnings.warn(self.message, self.category, 2)
        setattr(instance, self.new_name, value)

    def __delete__(self, instance: object) -> None:
        """Warn, then delete the attribute under its new name."""
        warnings.warn(self.message, self.category, 2)
        delattr(instance, self.new_name)
