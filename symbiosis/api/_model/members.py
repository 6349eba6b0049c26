"""The members of modules and classes: functions, classes, attributes
and aliases, and their JSON form."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
import dataclasses
from typing import Any
from typing import ClassVar

from symbiosis.api._model.records import Deprecation
from symbiosis.api._model.records import KeywordAlias
from symbiosis.api._model.records import Location
from symbiosis.api._model.records import ObjectKind
from symbiosis.api._model.records import Parameter
from symbiosis.api._model.records import Signature

__all__ = [
    'MEMBER_TYPES',
    'Alias',
    'Attribute',
    'Class',
    'Function',
    'Member',
    'is_public_member_name',
    'member_from_json',
]


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

    # Signature is frozen: one shared empty default is safe.
    signature: Signature = Signature()  # noqa: RUF009
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
    :param value_type: the type of a value that is not a literal, when it
        is certain (``str`` for ``os.path.join(...)``, ``pathlib.Path``
        for ``Path(...)``).
    """

    kind: ClassVar[ObjectKind] = ObjectKind.ATTRIBUTE

    value: str | None = None
    annotation: str | None = None
    instance: bool = False
    final: bool = False
    enum_member: bool = False
    value_type: str | None = None

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
        if self.value_type is not None:
            data['value_type'] = self.value_type
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
            value_type=data.get('value_type'),
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


