"""Keep old names working after a move or a rename, with a warning.

* :func:`moved` -- a function or class now lives elsewhere; bind the old
  name to a forwarding object that warns (pickles by its old name; a
  moved class can still be subclassed and ``isinstance`` works);
* :class:`moved_method` -- a method (or any attribute) renamed within its
  class: the descriptor learns its class when the class is created, so the
  message names it correctly, and it forwards to the new name (overrides
  in subclasses included);
* :func:`moved_attributes` -- module-level names served lazily through
  PEP 562 ``__getattr__``/``__dir__``, so ``from oldmod import Name``
  keeps working with a warning;
* :func:`moved_module` -- a whole module moved: the old module re-exports
  the new one's public names and warns once, when it is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
import importlib
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
from symbiosis.deprecation._wrappers import qualified_name
from symbiosis.deprecation._wrappers import wrap_callable

__all__ = ['moved', 'moved_attributes', 'moved_method', 'moved_module']

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


def _split_target(target: str) -> tuple[str, str | None]:
    module, sep, attr = target.partition(':')
    if not module or (sep and not attr):
        raise DeprecationDeclarationError(
            "a target is 'package.module:Name' or 'package.module'",
            what=repr(target),
        )
    return module, attr or None


def _resolve(module: str, attr: str | None) -> Any:
    obj: Any = importlib.import_module(module)
    for part in (attr or '').split('.') if attr else ():
        obj = getattr(obj, part)
    return obj


def _check_target(module: str, attr: str | None, what: str) -> None:
    """Fail now if the target surely does not exist.

    The target module is not imported (that could create an import cycle):
    it must be findable, and when it is already fully imported its
    attribute must exist.
    """
    loaded = sys.modules.get(module)
    if loaded is None:
        import importlib.util

        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise DeprecationDeclarationError(
                f'the target module {module!r} cannot be found', what=what
            )
        return
    # A module still executing (an import cycle) may define it later.
    initializing = getattr(
        getattr(loaded, '__spec__', None), '_initializing', False
    )
    if attr is not None and not initializing:
        try:
            _resolve(module, attr)
        except AttributeError as err:
            raise DeprecationDeclarationError(
                f'the target {module}:{attr} does not exist', what=what
            ) from err


def moved_attributes(
    module: str,
    names: Mapping[str, str | object],
    *,
    since: str | None = None,
    removal: str | None = None,
    message: str | None = None,
    category: type[Warning] = DeprecationWarning,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Build a module's PEP 562 ``__getattr__`` and ``__dir__`` for moved
    names.

    At the end of the old module::

        __getattr__, __dir__ = moved_attributes(
            __name__,
            {'Connection': 'mylib.client:Client',   # moved (and renamed)
             'DEFAULT_PORT': 'mylib.client:PORT',
             'legacy': 'mylib.compat'},             # a module
            since='1.4', removal='2.0')

    ``from mylib.old import Connection`` then warns, pointing at that
    import, and returns ``mylib.client.Client``; ``dir(mylib.old)`` lists
    the old names. Targets are imported when first used, so moving a name
    to a module that imports the old one creates no import cycle.

    :param module: the old module's name (pass ``__name__``).
    :param names: old name -> ``'package.module:Name'`` (a dotted ``Name``
        reaches into classes), ``'package.module'``, or the object itself.
    :param since: version that announced the moves.
    :param removal: version that removes the old names.
    :param message: an explanation appended to each message.
    :param category: the warning class.
    :raises DeprecationDeclarationError: invalid versions or targets, a
        target module that cannot be found, or a target attribute missing
        from an already imported module.
    """
    check_versions(since, removal, what=module)
    targets: dict[str, tuple[str | None, str | None, object]] = {}
    records = []
    messages: dict[str, str] = {}
    for old, target in names.items():
        what = f'{module}.{old}'
        if not (isinstance(old, str) and old.isidentifier()):
            raise DeprecationDeclarationError(
                'old names must be identifiers', what=repr(old)
            )
        if isinstance(target, str):
            new_module, attr = _split_target(target)
            _check_target(new_module, attr, what)
            new_path = f'{new_module}.{attr}' if attr else new_module
            targets[old] = (new_module, attr, None)
        else:
            new_path = qualified_name(target)
            targets[old] = (None, None, target)
        messages[old] = build_message(
            what, 'attribute', since=since, removal=removal,
            replacement=new_path, message=message,
        )
        records.append(DeprecationRecord(
            path=what, kind='attribute', message=messages[old],
            since=since, removal=removal, replacement=new_path,
        ))

    def __getattr__(name: str) -> Any:
        try:
            new_module, attr, obj = targets[name]
        except KeyError:
            raise AttributeError(
                f'module {module!r} has no attribute {name!r}'
            ) from None
        warnings.warn(messages[name], category, 2)
        if new_module is None:
            return obj
        try:
            return _resolve(new_module, attr)
        except AttributeError as err:
            raise AttributeError(
                f'module {module!r}: {name!r} moved to '
                f'{new_module}:{attr}, which does not exist: {err}'
            ) from err

    def __dir__() -> list[str]:
        own = sys.modules[module].__dict__ if module in sys.modules else {}
        return sorted(set(own) | set(targets))

    setattr(__getattr__, RECORDS_ATTRIBUTE, tuple(records))
    __getattr__.__qualname__ = __getattr__.__name__ = '__getattr__'
    __getattr__.__module__ = __dir__.__module__ = module
    return __getattr__, __dir__


def moved_module(
    module: str,
    new_module: str,
    *,
    since: str | None = None,
    removal: str | None = None,
    message: str | None = None,
    category: type[Warning] = DeprecationWarning,
) -> types.ModuleType:
    """Turn the calling module into a warning alias of ``new_module``.

    The whole old module is then::

        # mylib/old_client.py
        from symbiosis.deprecation import moved_module
        moved_module(__name__, 'mylib.client', since='1.4', removal='2.0')

    Importing it warns once (pointing at the import statement), copies the
    new module's public names (its ``__all__``, else the names without a
    leading underscore) and serves any other name from the new module.

    :param module: the old module's name (pass ``__name__``).
    :param new_module: where the code lives now.
    :param since: version that announced the move.
    :param removal: version that removes the old module.
    :param message: an explanation appended to the message.
    :param category: the warning class.
    :returns: the new module.
    :raises DeprecationDeclarationError: invalid versions, the old module is
        not being imported, or the new module cannot be imported.
    """
    check_versions(since, removal, what=module)
    old = sys.modules.get(module)
    if old is None:
        raise DeprecationDeclarationError(
            'moved_module() must be called from the module being moved, '
            'with __name__', what=module,
        )
    try:
        new = importlib.import_module(new_module)
    except ImportError as err:
        raise DeprecationDeclarationError(
            f'the new module {new_module!r} cannot be imported: {err}',
            what=module,
        ) from err
    text = build_message(
        module, 'module', since=since, removal=removal,
        replacement=new_module, message=message,
    )
    public = getattr(new, '__all__', None)
    if public is None:
        public = [n for n in vars(new) if not n.startswith('_')]
    namespace = vars(old)
    for name in public:
        if name in vars(new):
            namespace[name] = vars(new)[name]
    if hasattr(new, '__all__'):
        namespace['__all__'] = list(public)
    namespace['__deprecated__'] = text
    namespace[RECORD_ATTRIBUTE] = DeprecationRecord(
        path=module, kind='module', message=text, since=since,
        removal=removal, replacement=new_module,
    )

    def __getattr__(name: str) -> Any:
        try:
            return getattr(new, name)
        except AttributeError:
            raise AttributeError(
                f'module {module!r} has no attribute {name!r}'
            ) from None

    __getattr__.__module__ = module
    namespace.setdefault('__getattr__', __getattr__)
    # 3: this function, the old module's body, the importer (the import
    # machinery's own frames are skipped by the warnings module).
    warnings.warn(text, category, 3)
    return new
