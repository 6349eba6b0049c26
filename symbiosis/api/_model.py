"""The static public-API model: plain, frozen, typed data.

A :class:`Snapshot` describes one version of one distribution as read from
its files, never by importing it::

    Snapshot ── modules ──▶ Module ── members ──▶ Class | Function
                                                  | Attribute | Alias
                                   Class ── members ──▶ (the same kinds)

Every module of the distribution is recorded, private ones included, because
public names are often re-exported from private modules (``from ._impl
import Client``). A module's *public* names are listed in
:attr:`Module.exports`; :meth:`Snapshot.public_objects` walks them, following
:class:`Alias` objects to what they point at.

Objects serialise to JSON with :meth:`Snapshot.to_json` and back with
:meth:`Snapshot.from_json`; ``SCHEMA_VERSION`` changes only with an upgrade
note.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
import dataclasses
import gc
from typing import Any
from typing import ClassVar

from symbiosis._enums import TextEnum

__all__ = [
    'SCHEMA_VERSION',
    'Alias',
    'Attribute',
    'Class',
    'Deprecation',
    'ExtractionProblem',
    'Function',
    'KeywordAlias',
    'Location',
    'Member',
    'Module',
    'ObjectKind',
    'Parameter',
    'ParameterKind',
    'Signature',
    'Snapshot',
]

#: Version of the JSON layout written by :meth:`Snapshot.to_json`.
#: 2 added Python-version conditions, runtime signatures read beside stubs,
#: keyword aliases and what a module ``__getattr__`` serves or refuses.
SCHEMA_VERSION = 2


class ObjectKind(TextEnum):
    """What an API object is."""

    MODULE = 'module'
    CLASS = 'class'
    FUNCTION = 'function'
    ATTRIBUTE = 'attribute'
    ALIAS = 'alias'


class ParameterKind(TextEnum):
    """The kind of a parameter, as :class:`inspect.Parameter` names them."""

    POSITIONAL_ONLY = 'positional-only'
    POSITIONAL_OR_KEYWORD = 'positional-or-keyword'
    VAR_POSITIONAL = 'var-positional'
    KEYWORD_ONLY = 'keyword-only'
    VAR_KEYWORD = 'var-keyword'

    @property
    def positional(self) -> bool:
        """Whether an argument can be passed by position."""
        return self in (
            ParameterKind.POSITIONAL_ONLY,
            ParameterKind.POSITIONAL_OR_KEYWORD,
        )

    @property
    def keyword(self) -> bool:
        """Whether an argument can be passed by keyword."""
        return self in (
            ParameterKind.POSITIONAL_OR_KEYWORD,
            ParameterKind.KEYWORD_ONLY,
        )

    @property
    def variadic(self) -> bool:
        """Whether this is ``*args`` or ``**kwargs``."""
        return self in (
            ParameterKind.VAR_POSITIONAL,
            ParameterKind.VAR_KEYWORD,
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Location:
    """Where an object is defined.

    :param file: path relative to the root of the distribution's files
        (``pkg/sub/mod.py``), so locations compare across versions.
    :param line: 1-based line number.
    """

    file: str
    line: int

    def __str__(self) -> str:
        return f'{self.file}:{self.line}'

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {'file': self.file, 'line': self.line}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Location:
        """Build from the JSON form."""
        return cls(file=str(data['file']), line=int(data['line']))


@dataclasses.dataclass(frozen=True, slots=True)
class Deprecation:
    """A deprecation marker found in the source.

    :param marker: what declared it (``symbiosis``, ``warnings.deprecated``,
        ``typing_extensions.deprecated``, ``debtcollector``,
        ``deprecated``, ``deprecation``, ``warnings.warn``,
        ``module-getattr``).
    :param message: the human message, when a literal one was given.
    :param since: version the deprecation was announced in.
    :param removal: version the object is scheduled to be removed in.
    :param replacement: what to use instead (dotted path or text).
    """

    marker: str
    message: str | None = None
    since: str | None = None
    removal: str | None = None
    replacement: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (``None`` fields left out)."""
        data: dict[str, Any] = {'marker': self.marker}
        if self.message is not None:
            data['message'] = self.message
        if self.since is not None:
            data['since'] = self.since
        if self.removal is not None:
            data['removal'] = self.removal
        if self.replacement is not None:
            data['replacement'] = self.replacement
        return data

    @classmethod
    def from_record(cls, record: Any) -> Deprecation:
        """The marker equivalent to a runtime record.

        :param record: a :class:`symbiosis.deprecation.DeprecationRecord`
            (or anything with its ``marker``, ``message``, ``since``,
            ``removal`` and ``replacement`` fields), so the runtime and
            static views of a deprecation compare.
        """
        return cls(
            marker=record.marker,
            message=record.message,
            since=record.since,
            removal=record.removal,
            replacement=record.replacement,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Deprecation:
        """Build from the JSON form."""
        return cls(
            marker=data['marker'],
            message=data.get('message'),
            since=data.get('since'),
            removal=data.get('removal'),
            replacement=data.get('replacement'),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a function.

    :param default: the default's source text (``None`` when the parameter
        has no default; a default of ``None`` is the text ``'None'``).
    :param annotation: the annotation's source text, if any.
    """

    name: str
    kind: ParameterKind = ParameterKind.POSITIONAL_OR_KEYWORD
    default: str | None = None
    annotation: str | None = None

    @property
    def has_default(self) -> bool:
        """Whether the parameter may be omitted (variadics count too)."""
        return self.default is not None or self.kind.variadic

    @property
    def required(self) -> bool:
        """Whether a caller must pass this parameter."""
        return not self.has_default

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        # The most numerous object of a snapshot: no helper calls.
        data: dict[str, Any] = {'name': self.name, 'kind': self.kind.value}
        if self.default is not None:
            data['default'] = self.default
        if self.annotation is not None:
            data['annotation'] = self.annotation
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Parameter:
        """Build from the JSON form."""
        return cls(
            name=data['name'],
            kind=ParameterKind(data.get('kind', 'positional-or-keyword')),
            default=data.get('default'),
            annotation=data.get('annotation'),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Signature:
    """Parameters and return annotation of one (overload of a) function."""

    parameters: tuple[Parameter, ...] = ()
    returns: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data: dict[str, Any] = {
            'parameters': [p.to_json() for p in self.parameters]
        }
        if self.returns is not None:
            data['returns'] = self.returns
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Signature:
        """Build from the JSON form."""
        return cls(
            parameters=tuple(
                Parameter.from_json(p) for p in data.get('parameters', ())
            ),
            returns=data.get('returns'),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class KeywordAlias:
    """A keyword a function accepts under a name its signature lacks.

    Declared by a decorator that keeps an old keyword working after a
    rename (``renamed_kwarg('hostname', 'host')``), so calls passing the
    old name still bind.

    :param name: the keyword callers may pass (``hostname``).
    :param target: the parameter it feeds (``host``); ``None`` when it is
        accepted and ignored (a removed keyword kept with a warning).
    :param deprecation: the deprecation announced for the old keyword.
    """

    name: str
    target: str | None = None
    deprecation: Deprecation | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data: dict[str, Any] = {'name': self.name}
        if self.target is not None:
            data['target'] = self.target
        if self.deprecation is not None:
            data['deprecation'] = self.deprecation.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KeywordAlias:
        """Build from the JSON form."""
        dep = data.get('deprecation')
        return cls(
            name=data['name'],
            target=data.get('target'),
            deprecation=Deprecation.from_json(dep) if dep else None,
        )


@dataclasses.dataclass(frozen=True, slots=True)
class ExtractionProblem:
    """A file that could not be read; its names are unknown, not removed.

    :param file: path relative to the distribution root.
    :param line: line of the error, when known.
    :param message: what went wrong (``invalid syntax``, ``undecodable
        bytes``...).
    :param module: dotted name of the module the file would define.
    """

    file: str
    message: str
    line: int | None = None
    module: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f'{self.file}:{self.line}'
        return f'{where}: {self.message}'

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data: dict[str, Any] = {'file': self.file}
        if self.line is not None:
            data['line'] = self.line
        data['message'] = self.message
        if self.module is not None:
            data['module'] = self.module
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExtractionProblem:
        """Build from the JSON form."""
        return cls(
            file=data['file'],
            message=data['message'],
            line=data.get('line'),
            module=data.get('module'),
        )


@dataclasses.dataclass(frozen=True)
class _Object:
    """Fields every API object has.

    :param name: the object's own name (last component of ``path``).
    :param path: dotted path where the object is defined
        (``pkg.mod.Class.method``).
    :param python: the Python versions the binding exists for, as a
        ``Requires-Python``-style specifier (``>=3.8``), when it is made
        only under a version check (``if sys.version_info >= (3, 8):``);
        ``None`` when it exists on every Python.
    :param typing_only: bound only under ``if TYPE_CHECKING:``: type
        checkers see it, but it does not exist at run time.
    """

    kind: ClassVar[ObjectKind]

    name: str
    path: str
    location: Location | None = dataclasses.field(
        default=None, compare=False
    )
    deprecation: Deprecation | None = None
    python: str | None = None
    typing_only: bool = False

    def _base_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            'kind': self.kind.value,
            'name': self.name,
            'path': self.path,
        }
        location = self.location
        if location is not None:
            data['location'] = {'file': location.file, 'line': location.line}
        if self.deprecation is not None:
            data['deprecation'] = self.deprecation.to_json()
        if self.python is not None:
            data['python'] = self.python
        if self.typing_only:
            data['typing_only'] = True
        return data

    @staticmethod
    def _base_kwargs(data: Mapping[str, Any]) -> dict[str, Any]:
        loc = data.get('location')
        dep = data.get('deprecation')
        return {
            'name': data['name'],
            'path': data['path'],
            'location': Location.from_json(loc) if loc else None,
            'deprecation': Deprecation.from_json(dep) if dep else None,
            'python': data.get('python'),
            'typing_only': bool(data.get('typing_only', False)),
        }


@dataclasses.dataclass(frozen=True)
class Function(_Object):
    """A function or method.

    :param decorators: the decorators that matter to the API, normalised
        (``property``, ``cached_property``, ``classmethod``,
        ``staticmethod``, ``abstractmethod``, ``final``, ``overload``,
        ``setter``, ``deleter``, ``contextmanager``).
    :param overloads: signatures of its ``@overload`` variants, in source
        order (the implementation is ``signature``).
    :param runtime: when ``signature`` comes from a stub (``.pyi``), the
        signature of the function the module beside it defines, if it
        differs: the calls the code really accepts.
    :param keyword_aliases: keywords accepted besides the parameters'
        own names (old names kept by ``renamed_kwarg``).
    """

    kind: ClassVar[ObjectKind] = ObjectKind.FUNCTION

    signature: Signature = Signature()
    is_async: bool = False
    decorators: frozenset[str] = frozenset()
    overloads: tuple[Signature, ...] = ()
    runtime: Signature | None = None
    keyword_aliases: tuple[KeywordAlias, ...] = ()

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Shortcut for ``signature.parameters``."""
        return self.signature.parameters

    @property
    def is_property(self) -> bool:
        """Whether this is a property (or cached property) getter."""
        return bool({'property', 'cached_property'} & self.decorators)

    @property
    def method_kind(self) -> str:
        """``staticmethod``, ``classmethod``, ``property`` or ``function``."""
        for kind in ('staticmethod', 'classmethod'):
            if kind in self.decorators:
                return kind
        if self.is_property:
            return 'property'
        return 'function'

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data = self._base_json()
        data['signature'] = self.signature.to_json()
        if self.is_async:
            data['is_async'] = True
        if self.decorators:
            data['decorators'] = sorted(self.decorators)
        if self.overloads:
            data['overloads'] = [o.to_json() for o in self.overloads]
        if self.runtime is not None:
            data['runtime'] = self.runtime.to_json()
        if self.keyword_aliases:
            data['keyword_aliases'] = [
                a.to_json() for a in self.keyword_aliases
            ]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Function:
        """Build from the JSON form."""
        return cls(
            **cls._base_kwargs(data),
            signature=Signature.from_json(data.get('signature', {})),
            is_async=bool(data.get('is_async', False)),
            decorators=frozenset(data.get('decorators', ())),
            overloads=tuple(
                Signature.from_json(o) for o in data.get('overloads', ())
            ),
            runtime=(Signature.from_json(data['runtime'])
                     if data.get('runtime') is not None else None),
            keyword_aliases=tuple(
                KeywordAlias.from_json(a)
                for a in data.get('keyword_aliases', ())
            ),
        )


@dataclasses.dataclass(frozen=True)
class Attribute(_Object):
    """A module constant, class variable, instance attribute or enum member.

    :param value: source text of the assigned value when it is a literal
        (numbers, strings, tuples of literals...), else ``None``.
    :param annotation: source text of the annotation, if any.
    :param instance: set on attributes assigned on ``self`` in methods.
    :param final: annotated ``Final``.
    :param enum_member: a member of an :class:`enum.Enum` subclass.
    """

    kind: ClassVar[ObjectKind] = ObjectKind.ATTRIBUTE

    value: str | None = None
    annotation: str | None = None
    instance: bool = False
    final: bool = False
    enum_member: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data = self._base_json()
        if self.value is not None:
            data['value'] = self.value
        if self.annotation is not None:
            data['annotation'] = self.annotation
        if self.instance:
            data['instance'] = True
        if self.final:
            data['final'] = True
        if self.enum_member:
            data['enum_member'] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Attribute:
        """Build from the JSON form."""
        return cls(
            **cls._base_kwargs(data),
            value=data.get('value'),
            annotation=data.get('annotation'),
            instance=bool(data.get('instance', False)),
            final=bool(data.get('final', False)),
            enum_member=bool(data.get('enum_member', False)),
        )


@dataclasses.dataclass(frozen=True)
class Alias(_Object):
    """A name bound to an object defined elsewhere (an import).

    :param target: dotted path of what the name points at
        (``pkg._impl.Client``, ``collections.OrderedDict``).
    :param internal: whether ``target`` is inside the same distribution.
    """

    kind: ClassVar[ObjectKind] = ObjectKind.ALIAS

    target: str = ''
    internal: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data = self._base_json()
        data['target'] = self.target
        if self.internal:
            data['internal'] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Alias:
        """Build from the JSON form."""
        return cls(
            **cls._base_kwargs(data),
            target=data['target'],
            internal=bool(data.get('internal', False)),
        )


@dataclasses.dataclass(frozen=True)
class Class(_Object):
    """A class.

    :param bases: base classes, resolved to dotted paths where the
        extractor could (``pkg.errors.BaseError``, ``Exception``), else
        their source text.
    :param members: every name defined in the class body (and public
        attributes set on ``self``), private ones included.
    :param decorators: normalised decorators (``final``, ``dataclass``...).
    :param metaclass: the ``metaclass=`` keyword's source text.
    :param is_enum: derives from an :mod:`enum` base.
    """

    kind: ClassVar[ObjectKind] = ObjectKind.CLASS

    bases: tuple[str, ...] = ()
    members: Mapping[str, Member] = dataclasses.field(default_factory=dict)
    decorators: frozenset[str] = frozenset()
    metaclass: str | None = None
    is_enum: bool = False

    def public_members(self) -> Iterator[Member]:
        """Yield members whose name is public (no leading underscore).

        Dunder methods other than ``__init__``-like protocol methods are
        included because they are part of how the class is used
        (``__call__``, ``__enter__``, ``__iter__``...).
        """
        for name, member in self.members.items():
            if is_public_member_name(name):
                yield member

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data = self._base_json()
        data['bases'] = list(self.bases)
        data['members'] = {k: v.to_json() for k, v in self.members.items()}
        if self.decorators:
            data['decorators'] = sorted(self.decorators)
        if self.metaclass is not None:
            data['metaclass'] = self.metaclass
        if self.is_enum:
            data['is_enum'] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Class:
        """Build from the JSON form."""
        return cls(
            **cls._base_kwargs(data),
            bases=tuple(data.get('bases', ())),
            members={
                k: member_from_json(v)
                for k, v in data.get('members', {}).items()
            },
            decorators=frozenset(data.get('decorators', ())),
            metaclass=data.get('metaclass'),
            is_enum=bool(data.get('is_enum', False)),
        )


#: Anything that can be a member of a module or class.
Member = Class | Function | Attribute | Alias

#: The class of each member ``kind`` in the JSON form.
MEMBER_TYPES: Mapping[str, type[Any]] = {
    'class': Class,
    'function': Function,
    'attribute': Attribute,
    'alias': Alias,
}


def member_from_json(data: Mapping[str, Any]) -> Member:
    """Build a member of the right type from its JSON form."""
    try:
        factory = MEMBER_TYPES[data['kind']]
    except KeyError as err:
        raise ValueError(f'unknown object kind {data.get("kind")!r}') from err
    member: Member = factory.from_json(data)
    return member


# Dunder names that are part of how a class is used and so count as API.
_PUBLIC_DUNDERS = frozenset(
    {
        '__init__', '__call__', '__enter__', '__exit__', '__aenter__',
        '__aexit__', '__iter__', '__aiter__', '__next__', '__anext__',
        '__len__', '__getitem__', '__setitem__', '__delitem__',
        '__contains__', '__await__', '__bool__', '__hash__', '__eq__',
        '__lt__', '__le__', '__gt__', '__ge__', '__add__', '__sub__',
        '__mul__', '__truediv__', '__or__', '__and__', '__getattr__',
        '__new__', '__fspath__', '__index__', '__int__', '__float__',
        '__str__', '__bytes__', '__reversed__', '__class_getitem__',
    }
)


def is_public_member_name(name: str) -> bool:
    """Whether a class member name is part of the public API."""
    if name.startswith('__') and name.endswith('__'):
        return name in _PUBLIC_DUNDERS
    return not name.startswith('_')


@dataclasses.dataclass(frozen=True)
class Module:
    """A module (or package ``__init__``) of the distribution.

    :param name: dotted module name (``pkg.sub``).
    :param file: path of the file read, relative to the distribution root.
    :param members: every top-level name bound in the module, private ones
        and imports included.
    :param exports: the module's public names, in order: ``__all__`` when
        the module defines one, else the names Python's conventions make
        public (see :mod:`symbiosis.api._extract.snapshot`).
    :param dunder_all: the literal ``__all__`` when defined.
    :param is_package: the file is a package ``__init__``.
    :param opaque: an extension module with no stub: its contents are
        unknown, never "removed".
    :param has_getattr: defines a module-level ``__getattr__`` (PEP 562).
        The names it visibly serves are members; see
        :attr:`getattr_opaque`, :attr:`getattr_forwards` and
        :attr:`refused` for the rest.
    :param getattr_opaque: the ``__getattr__`` may serve names that cannot
        be read from its body: other names missing from the module are
        unknown rather than removed.
    :param getattr_forwards: modules whose names the ``__getattr__``
        hands out (``return getattr(_impl, name)``).
    :param refused: names the ``__getattr__`` deliberately refuses
        (raises for), such as expired aliases.
    :param dynamic_names: the module's public names are built in part at
        run time (an ``__all__`` appended to in a loop, or a star import
        from such a module): names missing from it are unknown rather
        than removed.
    :param errors: problems reading the file (its names are then unknown).
    """

    name: str
    file: str = ''
    members: Mapping[str, Member] = dataclasses.field(default_factory=dict)
    exports: tuple[str, ...] = ()
    dunder_all: tuple[str, ...] | None = None
    is_package: bool = False
    opaque: bool = False
    has_getattr: bool = False
    deprecation: Deprecation | None = None
    errors: tuple[ExtractionProblem, ...] = ()
    getattr_opaque: bool = False
    getattr_forwards: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    dynamic_names: bool = False

    kind: ClassVar[ObjectKind] = ObjectKind.MODULE

    @property
    def path(self) -> str:
        """Same as :attr:`name`, so modules and objects share ``path``."""
        return self.name

    @property
    def is_public(self) -> bool:
        """No component of the dotted name starts with an underscore."""
        return not any(p.startswith('_') for p in self.name.split('.'))

    @property
    def complete(self) -> bool:
        """Whether every name the module binds is known."""
        return not (self.errors or self.opaque)

    @property
    def open(self) -> bool:
        """Whether a name missing from :attr:`members` may still exist:
        the file could not be read, or an opaque ``__getattr__`` may
        serve it."""
        return bool(self.errors or self.opaque or self.getattr_opaque
                    or self.dynamic_names)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data: dict[str, Any] = {
            'kind': 'module',
            'name': self.name,
            'file': self.file,
            'members': {k: v.to_json() for k, v in self.members.items()},
            'exports': list(self.exports),
        }
        if self.dunder_all is not None:
            data['dunder_all'] = list(self.dunder_all)
        for flag in ('is_package', 'opaque', 'has_getattr',
                     'getattr_opaque', 'dynamic_names'):
            if getattr(self, flag):
                data[flag] = True
        if self.deprecation is not None:
            data['deprecation'] = self.deprecation.to_json()
        if self.errors:
            data['errors'] = [e.to_json() for e in self.errors]
        if self.getattr_forwards:
            data['getattr_forwards'] = list(self.getattr_forwards)
        if self.refused:
            data['refused'] = list(self.refused)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Module:
        """Build from the JSON form."""
        dep = data.get('deprecation')
        dunder_all = data.get('dunder_all')
        return cls(
            name=data['name'],
            file=data.get('file', ''),
            members={
                k: member_from_json(v)
                for k, v in data.get('members', {}).items()
            },
            exports=tuple(data.get('exports', ())),
            dunder_all=None if dunder_all is None else tuple(dunder_all),
            is_package=bool(data.get('is_package', False)),
            opaque=bool(data.get('opaque', False)),
            has_getattr=bool(data.get('has_getattr', False)),
            deprecation=Deprecation.from_json(dep) if dep else None,
            errors=tuple(
                ExtractionProblem.from_json(e) for e in data.get('errors', ())
            ),
            getattr_opaque=bool(data.get('getattr_opaque', False)),
            getattr_forwards=tuple(data.get('getattr_forwards', ())),
            refused=tuple(data.get('refused', ())),
            dynamic_names=bool(data.get('dynamic_names', False)),
        )


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The public API of one version of one distribution.

    :param name: distribution name as published (``SQLAlchemy``).
    :param version: its version string, if known.
    :param requires_python: the ``Requires-Python`` specifier text.
    :param extras: names of the optional-dependency extras.
    :param entry_points: ``{group: {name: "module:attr"}}``; console
        scripts and plugins are API too.
    :param modules: every module read, by dotted name.
    :param errors: files that could not be read.
    :param source: how the snapshot was obtained (the TARGET text).
    """

    name: str
    version: str | None = None
    requires_python: str | None = None
    extras: tuple[str, ...] = ()
    entry_points: Mapping[str, Mapping[str, str]] = dataclasses.field(
        default_factory=dict
    )
    modules: Mapping[str, Module] = dataclasses.field(default_factory=dict)
    errors: tuple[ExtractionProblem, ...] = ()
    source: str | None = dataclasses.field(default=None, compare=False)

    @property
    def complete(self) -> bool:
        """Whether every file was read (no syntax errors, no opaque code)."""
        return not self.errors and all(
            m.complete for m in self.modules.values()
        )

    def top_level_names(self) -> frozenset[str]:
        """Top-level import names of the distribution (``pkg``, ``mod``)."""
        return frozenset(n.split('.', 1)[0] for n in self.modules)

    def get(self, path: str) -> Module | Member | None:
        """Return the object defined at dotted ``path``, or ``None``.

        No alias is followed: ``pkg.Client`` where ``pkg/__init__.py`` does
        ``from ._impl import Client`` is the :class:`Alias`.
        """
        if path in self.modules:
            return self.modules[path]
        # Find the longest module prefix, then walk members.
        parts = path.split('.')
        for i in range(len(parts) - 1, 0, -1):
            module = self.modules.get('.'.join(parts[:i]))
            if module is None:
                continue
            obj: Module | Member | None = module
            for part in parts[i:]:
                members = getattr(obj, 'members', None)
                if members is None or part not in members:
                    return None
                obj = members[part]
            return obj
        return None

    def resolve(self, path: str, _depth: int = 0) -> Module | Member | None:
        """Return the object at ``path``, following internal aliases.

        Returns the last :class:`Alias` reached when its target is outside
        the distribution or cannot be found.
        """
        obj = self.get(path)
        if obj is None:
            # ``pkg.sub.Name`` where ``pkg.sub`` is itself an alias of a
            # module, or ``Name`` lives in a class reached by alias.
            head, _, tail = path.rpartition('.')
            if head and _depth < 20:
                parent = self.resolve(head, _depth + 1)
                if parent is not None and not isinstance(parent, Alias):
                    members = getattr(parent, 'members', None)
                    if members is not None and tail in members:
                        obj = members[tail]
            if obj is None:
                return None
        if isinstance(obj, Alias) and obj.internal and _depth < 20:
            target = self.resolve(obj.target, _depth + 1)
            if target is not None:
                return target
        return obj

    def public_objects(self) -> Iterator[tuple[str, Module | Member]]:
        """Yield ``(public path, object)`` for the whole public surface.

        Public modules come first, then each module's exports (aliases
        followed) and, for classes, their public members, recursively.
        Objects reachable under several public paths are yielded once per
        path: each path is a name users can write.
        """
        for module in sorted(self.modules.values(), key=lambda m: m.name):
            if not module.is_public:
                continue
            yield module.name, module
            for name in module.exports:
                path = f'{module.name}.{name}'
                obj = self.resolve(path)
                if obj is None:
                    continue
                yield path, obj
                if isinstance(obj, Class):
                    yield from _walk_class(path, obj, 0)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form, with ``schema_version``."""
        # Hundreds of thousands of small dicts that all stay alive: an
        # automatic collection would traverse them again and again.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._to_json()
        finally:
            if enabled:
                gc.enable()

    def _to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            'schema_version': SCHEMA_VERSION,
            'name': self.name,
            'version': self.version,
            'requires_python': self.requires_python,
            'extras': list(self.extras),
            'entry_points': {
                g: dict(eps) for g, eps in self.entry_points.items()
            },
            'complete': self.complete,
            'modules': {k: v.to_json() for k, v in self.modules.items()},
        }
        if self.errors:
            data['errors'] = [e.to_json() for e in self.errors]
        if self.source is not None:
            data['source'] = self.source
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        """Build from the JSON form written by :meth:`to_json`.

        :raises ValueError: the data is not a snapshot of a schema version
            this release understands.
        """
        if not isinstance(data, Mapping):
            raise ValueError('expected a JSON object')
        version = data.get('schema_version')
        if version != SCHEMA_VERSION:
            hint = ('; write it again with this release\'s '
                    '"symbiosis api dump"'
                    if isinstance(version, int) and version < SCHEMA_VERSION
                    else '')
            raise ValueError(
                f'unsupported schema_version {version!r} '
                f'(this release reads {SCHEMA_VERSION}){hint}'
            )
        try:
            return cls(
                name=data['name'],
                version=data.get('version'),
                requires_python=data.get('requires_python'),
                extras=tuple(data.get('extras', ())),
                entry_points={
                    g: dict(eps)
                    for g, eps in data.get('entry_points', {}).items()
                },
                modules={
                    k: Module.from_json(v)
                    for k, v in data.get('modules', {}).items()
                },
                errors=tuple(
                    ExtractionProblem.from_json(e)
                    for e in data.get('errors', ())
                ),
                source=data.get('source'),
            )
        except (KeyError, TypeError, AttributeError) as err:
            raise ValueError(f'malformed snapshot: {err!r}') from err


def _walk_class(
    path: str, cls: Class, depth: int
) -> Iterator[tuple[str, Member]]:
    if depth > 10:
        return
    for member in cls.public_members():
        member_path = f'{path}.{member.name}'
        yield member_path, member
        if isinstance(member, Class):
            yield from _walk_class(member_path, member, depth + 1)
