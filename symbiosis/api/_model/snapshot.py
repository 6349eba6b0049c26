"""A module of the distribution, and the snapshot of all of them."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
import dataclasses
import gc
from typing import Any
from typing import ClassVar

from symbiosis.api._model.members import Alias
from symbiosis.api._model.members import Class
from symbiosis.api._model.members import Member
from symbiosis.api._model.members import member_from_json
from symbiosis.api._model.records import RENDERING_VERSION
from symbiosis.api._model.records import SCHEMA_VERSION
from symbiosis.api._model.records import Deprecation
from symbiosis.api._model.records import ExtractionProblem
from symbiosis.api._model.records import ObjectKind

__all__ = ['Module', 'Snapshot', 'check_rendering', 'snapshot_from_fields']


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
            'rendering_version': RENDERING_VERSION,
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
            this release understands, or its expressions were written
            another way (``rendering_version``).
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
        check_rendering(data)
        return snapshot_from_fields(cls, data, Module.from_json)


def check_rendering(data: Mapping[str, Any]) -> None:
    """Refuse the JSON form of a snapshot whose expression text was
    written another way than this release writes it.

    Its defaults, annotations and values would differ from a snapshot
    taken now as text only, and a diff would report them as changed.

    :raises ValueError: it was (no ``rendering_version``: version 1).
    """
    rendering = data.get('rendering_version', 1)
    if rendering != RENDERING_VERSION:
        raise ValueError(
            f'snapshot expressions written with rendering_version '
            f'{rendering!r} (this release writes {RENDERING_VERSION}, and '
            'compares only snapshots written alike); write it again with '
            'this release\'s "symbiosis api dump"'
        )


def snapshot_from_fields(
    cls: type[Snapshot],
    data: Mapping[str, Any],
    read_module: Callable[[Mapping[str, Any]], Module],
) -> Snapshot:
    """Build a ``cls`` from the JSON form of a snapshot whose schema
    version was checked, reading each module with ``read_module``
    (:meth:`Module.from_json`, or a faster equivalent).

    :raises ValueError: the data is malformed.
    """
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
                k: read_module(v) for k, v in data.get('modules', {}).items()
            },
            errors=tuple(
                ExtractionProblem.from_json(e) for e in data.get('errors', ())
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
