"""Keep a module's old names working after they, or it, moved.

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
import warnings

from symbiosis.deprecation._messages import RECORD_ATTRIBUTE
from symbiosis.deprecation._messages import RECORDS_ATTRIBUTE
from symbiosis.deprecation._messages import DeprecationRecord
from symbiosis.deprecation._messages import build_message
from symbiosis.deprecation._versions import DeprecationDeclarationError
from symbiosis.deprecation._versions import check_versions
from symbiosis.deprecation._wrappers import qualified_name

__all__ = ['moved_attributes', 'moved_module']


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
