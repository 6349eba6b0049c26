"""Build model objects from their JSON or pickled form, fast.

:meth:`Snapshot.from_json <symbiosis.api._model.Snapshot.from_json>` goes
through a keyword constructor per object, which costs more than reading a
whole cached snapshot from disk. The warm path of extraction decodes
tens of thousands of objects, so this module builds the same objects
directly: the frozen classes' instance dictionaries are filled in one
step, and identical parameters (``self``, ``cls``, ``**kwargs``) are
shared, which is safe because every model object is immutable.

The result is equal to what ``from_json`` returns. If the model's fields
ever differ from those this decoder knows, it falls back to ``from_json``
rather than build incomplete objects.

:func:`dumps_objects` / :func:`loads_objects` pickle model objects for the
two places where a snapshot never leaves symbiosis's own hands: results
sent back by extraction worker processes, and the whole-tree entries of
the extraction cache. The small immutable value classes are pickled as
constructor calls (their generated ``__setstate__`` costs a Python call
per field), which makes loading a cached snapshot of SQLAlchemy's size
take about a tenth of a second.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
import copyreg
import dataclasses
import functools
import io
import operator
import pickle
from typing import Any

from symbiosis.api._model import MEMBER_TYPES
from symbiosis.api._model import RENDERING_VERSION
from symbiosis.api._model import SCHEMA_VERSION
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import ExtractionProblem
from symbiosis.api._model import Function
from symbiosis.api._model import KeywordAlias
from symbiosis.api._model import Location
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._model import Signature
from symbiosis.api._model import Snapshot
from symbiosis.api._model.snapshot import snapshot_from_fields

__all__ = [
    'dumps_objects',
    'loads_objects',
    'module_from_json',
    'snapshot_from_json',
]

_BASE = ('name', 'path', 'location', 'deprecation', 'python',
         'typing_only')
_LAYOUT: tuple[tuple[type[Any], tuple[str, ...]], ...] = (
    (Location, ('file', 'line')),
    (Deprecation, ('marker', 'message', 'since', 'removal', 'replacement')),
    (Parameter, ('name', 'kind', 'default', 'annotation')),
    (Signature, ('parameters', 'returns')),
    (ExtractionProblem, ('file', 'message', 'line', 'module')),
    (KeywordAlias, ('name', 'target', 'deprecation')),
    (Function, (*_BASE, 'signature', 'is_async', 'decorators',
                'overloads', 'runtime', 'keyword_aliases')),
    (Attribute, (*_BASE, 'value', 'annotation', 'instance', 'final',
                 'enum_member')),
    (Alias, (*_BASE, 'target', 'internal')),
    (Class, (*_BASE, 'bases', 'members', 'decorators', 'metaclass',
             'is_enum')),
    (Module, ('name', 'file', 'members', 'exports', 'dunder_all',
              'is_package', 'opaque', 'has_getattr', 'deprecation',
              'errors', 'getattr_opaque', 'getattr_forwards', 'refused',
              'dynamic_names')),
)


def _layout_matches() -> bool:
    return all(
        tuple(f.name for f in dataclasses.fields(cls)) == names
        for cls, names in _LAYOUT
    )


_EMPTY: frozenset[str] = frozenset()


class _Decoder:
    """Per-call state: shared immutable parameters and signatures."""

    def __init__(self) -> None:
        self.params: dict[tuple[Any, ...], Parameter] = {}
        self.kinds = {k.value: k for k in ParameterKind}
        self.new = object.__new__

    def location(self, data: Mapping[str, Any] | None) -> Location | None:
        if not data:
            return None
        return Location(data['file'], data['line'])

    def deprecation(
        self, data: Mapping[str, Any] | None
    ) -> Deprecation | None:
        if not data:
            return None
        get = data.get
        return Deprecation(data['marker'], get('message'), get('since'),
                           get('removal'), get('replacement'))

    def signature(self, data: Mapping[str, Any]) -> Signature:
        params = []
        cache = self.params
        for p in data.get('parameters', ()):
            get = p.get
            key = (p['name'], get('kind', 'positional-or-keyword'),
                   get('default'), get('annotation'))
            param = cache.get(key)
            if param is None:
                param = Parameter(key[0], self.kinds[key[1]], key[2], key[3])
                cache[key] = param
            params.append(param)
        return Signature(tuple(params), data.get('returns'))

    def _base(self, cls: type[Any], data: Mapping[str, Any]) -> Any:
        obj = self.new(cls)
        state = vars(obj)
        state['name'] = data['name']
        state['path'] = data['path']
        loc = data.get('location')
        state['location'] = Location(loc['file'], loc['line']) if loc else None
        dep = data.get('deprecation')
        state['deprecation'] = self.deprecation(dep) if dep else None
        state['python'] = data.get('python')
        state['typing_only'] = bool(data.get('typing_only', False))
        return obj

    def member(self, data: Mapping[str, Any]) -> Member:
        kind = data['kind']
        get = data.get
        obj = self._base(MEMBER_TYPES[kind], data)
        state = vars(obj)
        if kind == 'function':
            state['signature'] = self.signature(get('signature', {}))
            state['is_async'] = bool(get('is_async', False))
            decorators = get('decorators')
            state['decorators'] = (frozenset(decorators) if decorators
                                   else _EMPTY)
            overloads = get('overloads')
            state['overloads'] = (
                tuple(self.signature(o) for o in overloads)
                if overloads else ()
            )
            runtime = get('runtime')
            state['runtime'] = (None if runtime is None
                                else self.signature(runtime))
            aliases = get('keyword_aliases')
            state['keyword_aliases'] = (
                tuple(KeywordAlias.from_json(a) for a in aliases)
                if aliases else ()
            )
        elif kind == 'attribute':
            state['value'] = get('value')
            state['annotation'] = get('annotation')
            state['instance'] = bool(get('instance', False))
            state['final'] = bool(get('final', False))
            state['enum_member'] = bool(get('enum_member', False))
        elif kind == 'alias':
            state['target'] = data['target']
            state['internal'] = bool(get('internal', False))
        else:
            state['bases'] = tuple(get('bases', ()))
            state['members'] = {
                k: self.member(v) for k, v in get('members', {}).items()
            }
            decorators = get('decorators')
            state['decorators'] = (frozenset(decorators) if decorators
                                   else _EMPTY)
            state['metaclass'] = get('metaclass')
            state['is_enum'] = bool(get('is_enum', False))
        member: Member = obj
        return member

    def module(self, data: Mapping[str, Any]) -> Module:
        get = data.get
        obj = self.new(Module)
        state = vars(obj)
        state['name'] = data['name']
        state['file'] = get('file', '')
        state['members'] = {
            k: self.member(v) for k, v in get('members', {}).items()
        }
        state['exports'] = tuple(get('exports', ()))
        dunder_all = get('dunder_all')
        state['dunder_all'] = None if dunder_all is None else tuple(
            dunder_all
        )
        state['is_package'] = bool(get('is_package', False))
        state['opaque'] = bool(get('opaque', False))
        state['has_getattr'] = bool(get('has_getattr', False))
        state['deprecation'] = self.deprecation(get('deprecation'))
        state['errors'] = tuple(
            ExtractionProblem.from_json(e) for e in get('errors', ())
        )
        state['getattr_opaque'] = bool(get('getattr_opaque', False))
        state['getattr_forwards'] = tuple(get('getattr_forwards', ()))
        state['refused'] = tuple(get('refused', ()))
        state['dynamic_names'] = bool(get('dynamic_names', False))
        module: Module = obj
        return module


def module_from_json(data: Mapping[str, Any]) -> Module:
    """Equivalent to :meth:`Module.from_json`, faster."""
    if not _layout_matches():
        return Module.from_json(data)
    try:
        return _Decoder().module(data)
    except (KeyError, TypeError, AttributeError) as err:
        raise ValueError(f'malformed module: {err!r}') from err


def snapshot_from_json(data: Mapping[str, Any]) -> Snapshot:
    """Equivalent to :meth:`Snapshot.from_json`, faster.

    :raises ValueError: the data is not a snapshot this release reads.
    """
    if not isinstance(data, Mapping) or not _layout_matches() or tuple(
        f.name for f in dataclasses.fields(Snapshot)
    ) != ('name', 'version', 'requires_python', 'extras', 'entry_points',
          'modules', 'errors', 'source'):
        return Snapshot.from_json(data)
    if data.get('schema_version') != SCHEMA_VERSION or data.get(
        'rendering_version'
    ) != RENDERING_VERSION:
        return Snapshot.from_json(data)  # raises the model's error
    return snapshot_from_fields(Snapshot, data, _Decoder().module)


@functools.cache
def _dispatch_table() -> Mapping[type[Any], Callable[[Any], Any]]:
    # Built once: the picklers only read it.
    table: dict[type[Any], Callable[[Any], Any]] = dict(
        copyreg.dispatch_table
    )
    for cls, names in _LAYOUT[:6]:
        table[cls] = _constructor_reduce(cls, names)
    return table


def _constructor_reduce(
    cls: type[Any], names: tuple[str, ...],
) -> Callable[[Any], tuple[type[Any], tuple[Any, ...]]]:
    # attrgetter collects the fields in C: pickling a snapshot makes
    # tens of thousands of these calls.
    fields = operator.attrgetter(*names)

    def reduce(obj: Any) -> tuple[type[Any], tuple[Any, ...]]:
        return cls, fields(obj)

    return reduce


def dumps_objects(obj: Any) -> bytes:
    """Pickle model objects (a snapshot, modules...) compactly."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(obj)
    return buffer.getvalue()


def loads_objects(data: bytes) -> Any:
    """Load what :func:`dumps_objects` wrote.

    Only for data symbiosis wrote itself: in its private cache directory
    (which also holds the environments whose code the gate runs) or
    received from its own worker processes.
    """
    return pickle.loads(data)  # noqa: S301  # nosec B301 - own cache only
