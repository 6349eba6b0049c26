"""Builders of small API snapshots for the diff, rule and semver tests.

They construct :mod:`symbiosis.api._model` objects directly, so rule tests
do not depend on the extractor::

    snap(pkg=[fn('connect', p('host'), p('port', default='80'))])

``snap`` gives every object its dotted path and, unless told otherwise,
exports every public top-level name of each module.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
import dataclasses
from typing import Any

from symbiosis.api._changes import Change
from symbiosis.api._differ import Diff
from symbiosis.api._differ import diff_snapshots
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Function
from symbiosis.api._model import Location
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._model import Signature
from symbiosis.api._model import Snapshot
from symbiosis.api._rules import builtin_rules
from symbiosis.api._settings import ApiSettings

__all__ = [
    'alias',
    'attr',
    'changes_of',
    'cls',
    'dep',
    'diff',
    'fn',
    'mod',
    'p',
    'sig',
    'snap',
]

_KINDS = {
    'po': ParameterKind.POSITIONAL_ONLY,
    'pk': ParameterKind.POSITIONAL_OR_KEYWORD,
    'ko': ParameterKind.KEYWORD_ONLY,
    '*': ParameterKind.VAR_POSITIONAL,
    '**': ParameterKind.VAR_KEYWORD,
}


def p(
    name: str,
    kind: str = 'pk',
    default: str | None = None,
    annotation: str | None = None,
) -> Parameter:
    """A parameter; ``kind`` is ``po``, ``pk``, ``ko``, ``*`` or ``**``."""
    return Parameter(name, _KINDS[kind], default, annotation)


def sig(*params: Parameter, returns: str | None = None) -> Signature:
    """A signature."""
    return Signature(tuple(params), returns)


def dep(
    since: str | None = '1.4', removal: str | None = '2.0', **kw: Any
) -> Deprecation:
    """A deprecation marker."""
    return Deprecation(marker='symbiosis', since=since, removal=removal, **kw)


def fn(
    name: str,
    *params: Parameter,
    returns: str | None = None,
    line: int = 1,
    **kw: Any,
) -> Function:
    """A function (path filled in by :func:`snap`)."""
    if 'decorators' in kw:
        kw['decorators'] = frozenset(kw['decorators'])
    return Function(
        name=name,
        path=name,
        location=Location('pkg/__init__.py', line),
        signature=Signature(tuple(params), returns),
        **kw,
    )


def cls(name: str, *members: Member, line: int = 1, **kw: Any) -> Class:
    """A class with ``members``."""
    if 'decorators' in kw:
        kw['decorators'] = frozenset(kw['decorators'])
    if 'bases' in kw:
        kw['bases'] = tuple(kw['bases'])
    return Class(
        name=name,
        path=name,
        location=Location('pkg/__init__.py', line),
        members={m.name: m for m in members},
        **kw,
    )


def attr(name: str, value: str | None = None, **kw: Any) -> Attribute:
    """An attribute, constant or enum member."""
    return Attribute(
        name=name,
        path=name,
        location=Location('pkg/__init__.py', kw.pop('line', 1)),
        value=value,
        **kw,
    )


def alias(name: str, target: str, internal: bool = True, **kw: Any) -> Alias:
    """An import binding ``name`` to ``target``."""
    return Alias(name=name, path=name, target=target, internal=internal, **kw)


def _place(obj: Member, prefix: str) -> Member:
    path = f'{prefix}.{obj.name}'
    file = prefix.split('.')[0] + '/__init__.py'
    changes: dict[str, Any] = {'path': path}
    if obj.location is not None:
        changes['location'] = Location(file, obj.location.line)
    if isinstance(obj, Class):
        changes['members'] = {
            k: _place(v, path) for k, v in obj.members.items()
        }
    return dataclasses.replace(obj, **changes)


def mod(
    name: str,
    *members: Member,
    exports: Iterable[str] | None = None,
    **kw: Any,
) -> Module:
    """A module; exports default to its public member names."""
    placed = {m.name: _place(m, name) for m in members}
    if exports is None:
        exports = [n for n in placed if not n.startswith('_')]
    parts = name.split('.')
    file = '/'.join(parts) + ('/__init__.py' if len(parts) == 1 else '.py')
    return Module(
        name=name,
        file=kw.pop('file', file),
        members=placed,
        exports=tuple(exports),
        is_package=len(parts) == 1,
        **kw,
    )


def snap(
    *modules: Module,
    name: str = 'pkg',
    version: str | None = '1.0',
    **kw: Any,
) -> Snapshot:
    """A snapshot of ``modules``."""
    return Snapshot(
        name=name,
        version=version,
        modules={m.name: m for m in modules},
        **kw,
    )


def diff(
    old: Snapshot, new: Snapshot, settings: ApiSettings | None = None
) -> Diff:
    """Diff with the built-in rules (no entry-point scan)."""
    return diff_snapshots(old, new, rules=builtin_rules(), settings=settings)


def changes_of(result: Diff, kind: str | None = None) -> list[Change]:
    """The changes of ``kind`` (all when ``None``)."""
    return [c for c in result.changes if kind is None or c.kind == kind]


def kinds(result: Diff) -> Mapping[str, int]:
    """``{kind: count}`` of a diff."""
    counts: dict[str, int] = {}
    for change in result.changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    return counts
