"""The small records API objects are made of: kinds, locations,
deprecation markers, parameters and signatures, extraction problems."""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import Any

from symbiosis._enums import TextEnum

__all__ = [
    'RENDERING_VERSION',
    'SCHEMA_VERSION',
    'Deprecation',
    'ExtractionProblem',
    'KeywordAlias',
    'Location',
    'ObjectKind',
    'Parameter',
    'ParameterKind',
    'Signature',
]

SCHEMA_VERSION = 2

#: How expression text (defaults, annotations, values, bases, decorators)
#: is written: raised whenever the text of any expression changes
#: (:mod:`symbiosis.api._extract.render`). Snapshots record it, and one
#: written another way is refused: comparing them would report text
#: written differently as changed code. 1: :func:`ast.unparse` of the
#: interpreter that wrote it (snapshots without the field).
RENDERING_VERSION = 2


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


