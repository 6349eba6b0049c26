"""List the deprecations a module or package declares, and the overdue ones.

Nothing is registered globally: every helper of
:mod:`symbiosis.deprecation` stores its :class:`DeprecationRecord` on the
object it returns, and :func:`registry` finds them by walking an imported
module's namespace (classes and their members included, and the
already-imported submodules of a package)::

    import mylib
    from symbiosis.deprecation import overdue, registry

    for record in overdue(registry(mylib), '2.0'):
        print(record.path, 'was to be removed in', record.removal)

Walking reads ``__dict__`` entries, never attributes, so it neither
triggers a warning nor runs a property.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
import functools
import importlib
import sys
import types
from typing import Any
from typing import Protocol
from typing import TypeVar

from symbiosis import exception
from symbiosis.deprecation._messages import RECORD_ATTRIBUTE
from symbiosis.deprecation._messages import RECORDS_ATTRIBUTE
from symbiosis.deprecation._messages import DeprecationRecord

__all__ = [
    'overdue',
    'records_of',
    'registry',
]


class _HasRemoval(Protocol):
    @property
    def removal(self) -> str | None: ...


_R = TypeVar('_R', bound=_HasRemoval)


def _own_dict(obj: object) -> dict[str, Any]:
    try:
        namespace = object.__getattribute__(obj, '__dict__')
    except AttributeError:
        return {}
    return namespace if isinstance(namespace, dict) else dict(namespace)


def records_of(obj: object) -> tuple[DeprecationRecord, ...]:
    """Return the records an object carries itself (not its members').

    Understands functions, classes, ``classmethod``/``staticmethod``,
    ``property``/``cached_property`` and the helpers' own objects.
    """
    if isinstance(obj, (classmethod, staticmethod)):
        found = records_of(obj.__func__)
        own = _own_dict(obj).get(RECORD_ATTRIBUTE)
        return found or ((own,) if isinstance(own, DeprecationRecord) else ())
    if isinstance(obj, property):
        return records_of(obj.fget) if obj.fget is not None else ()
    if isinstance(obj, functools.cached_property):
        return records_of(obj.func)
    namespace = _own_dict(obj)
    collected: list[DeprecationRecord] = []
    own = namespace.get(RECORD_ATTRIBUTE)
    if isinstance(own, DeprecationRecord):
        collected.append(own)
    collected.extend(
        r for r in namespace.get(RECORDS_ATTRIBUTE, ())
        if isinstance(r, DeprecationRecord)
    )
    return tuple(collected)


def _walk_class(
    cls: type, seen: set[int], depth: int = 0
) -> Iterator[DeprecationRecord]:
    if id(cls) in seen or depth > 20:
        return
    seen.add(id(cls))
    yield from records_of(cls)
    for value in list(vars(cls).values()):
        if isinstance(value, type):
            yield from _walk_class(value, seen, depth + 1)
        else:
            yield from records_of(value)


def _walk_module(
    module: types.ModuleType, seen: set[int]
) -> Iterator[DeprecationRecord]:
    yield from records_of(module)
    for value in list(vars(module).values()):
        if isinstance(value, types.ModuleType):
            continue  # submodules are walked on their own
        if isinstance(value, type):
            yield from _walk_class(value, seen)
        else:
            yield from records_of(value)


def registry(
    target: types.ModuleType | str,
) -> tuple[DeprecationRecord, ...]:
    """Return every deprecation declared with symbiosis in ``target``.

    :param target: a module or package (or its name, imported if needed);
        for a package, its submodules that are already imported are walked
        too.
    :returns: records sorted by path (then parameter), each once --
        re-exports of the same object are not repeated.
    :raises symbiosis.exception.InputError: a name that cannot be imported.
    """
    if isinstance(target, str):
        try:
            module = importlib.import_module(target)
        except ImportError as err:
            raise exception.InputError(
                f'{target}: cannot import: {err}'
            ) from err
    else:
        module = target
    modules = [module]
    if hasattr(module, '__path__'):
        prefix = module.__name__ + '.'
        modules.extend(
            m for name, m in sorted(sys.modules.copy().items())
            if name.startswith(prefix) and isinstance(m, types.ModuleType)
        )
    seen: set[int] = set()
    unique: dict[tuple[str, str, str | None], DeprecationRecord] = {}
    for mod in modules:
        for record in _walk_module(mod, seen):
            unique.setdefault(
                (record.path, record.kind, record.parameter), record
            )
    return tuple(sorted(
        unique.values(), key=lambda r: (r.path, r.parameter or '')
    ))


def overdue(records: Iterable[_R], version: str) -> list[_R]:
    """Return the records whose removal is due at ``version``.

    A record is overdue when its ``removal`` version is ``<= version``: the
    object should be gone in that release but is still there. Records
    without a removal version, or with one that is not a valid version,
    are never overdue.

    :param records: :class:`DeprecationRecord` objects, or anything with a
        ``removal`` attribute (the API snapshot's deprecation markers
        among them).
    :param version: the version about to be released.
    :raises symbiosis.exception.InputError: ``version`` is not a valid
        version.
    """
    from packaging.version import InvalidVersion
    from packaging.version import Version

    try:
        current = Version(version)
    except InvalidVersion as err:
        raise exception.InputError(
            f'{version!r} is not a valid version (PEP 440)'
        ) from err
    due = []
    for record in records:
        if not record.removal:
            continue
        try:
            removal = Version(record.removal)
        except InvalidVersion:
            continue
        if removal <= current:
            due.append(record)
    return due
