"""Render diffs and verdicts as text or JSON-ready dicts.

The functions return strings and dicts; printing them is the caller's
business (the command line's)::

    mylib 1.0 -> 2.0: required bump: major
      [major] removed-without-deprecation  mylib.Foo: class mylib.Foo was
      removed without any prior deprecation (mylib/__init__.py:12)
"""

from __future__ import annotations

from collections.abc import Iterable
import types
from typing import Any

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._differ import Diff
from symbiosis.api._model import Snapshot
from symbiosis.api._versioning import SemverVerdict

__all__ = [
    'format_change',
    'format_diff_json',
    'format_diff_text',
    'format_verdict_json',
    'format_verdict_text',
]

_ORDER = (Bump.MAJOR, Bump.MINOR, Bump.PATCH, Bump.NONE)
_HEADINGS = types.MappingProxyType({
    Bump.MAJOR: 'major (breaking) changes',
    Bump.MINOR: 'minor (compatible) changes',
    Bump.PATCH: 'patch-level changes',
    Bump.NONE: 'notes',
})


def _label(snapshot: Snapshot) -> str:
    if snapshot.version:
        return f'{snapshot.name} {snapshot.version}'
    return snapshot.name


def _versions(diff: Diff) -> str:
    old, new = diff.old, diff.new
    if old.name == new.name:
        return (
            f'{old.name} {old.version or "(unknown)"} -> '
            f'{new.version or "(unknown)"}'
        )
    return f'{_label(old)} -> {_label(new)}'


def format_change(change: Change, *, verbose: bool = False) -> str:
    """Return the one-line form of a change.

    ``[major] parameter-removed  mylib.f: parameter 'x' of mylib.f was
    removed (mylib/__init__.py:3)``; ``verbose`` adds the OLD location.
    """
    line = (
        f'[{change.severity.value}] {change.kind}  {change.path}: '
        f'{change.message}'
    )
    where = []
    if change.location is not None:
        where.append(str(change.location))
    if (
        verbose
        and change.old_location is not None
        and change.old_location != change.location
    ):
        where.append(f'was {change.old_location}')
    if where:
        line += f' ({", ".join(where)})'
    return line


def _module_of(change: Change, modules: Iterable[str]) -> str:
    """The longest module name that prefixes the change's path."""
    known = set(modules)
    current = change.path
    while current:
        if current in known:
            return current
        current = current.rpartition('.')[0]
    return ''


def format_diff_text(diff: Diff, verbose: bool = False) -> str:
    """Return a human-readable report of ``diff``.

    Changes are grouped by severity, then by module; suppressed changes
    follow with their reasons. ``verbose`` adds module headings and OLD
    locations.
    """
    lines = [f'{_versions(diff)}: required bump: {diff.required_bump}']
    active = diff.active
    if not active:
        lines.append('  no public API changes')
    modules = set(diff.old.modules) | set(diff.new.modules)
    for severity in _ORDER:
        group = [c for c in active if c.severity is severity]
        if not group:
            continue
        lines.append(f'{_HEADINGS[severity]} ({len(group)}):')
        group.sort(key=lambda c: (_module_of(c, modules), c.path, c.kind))
        current: str | None = None
        for change in group:
            module = _module_of(change, modules)
            if verbose and module != current:
                lines.append(f'  {module or "(distribution)"}:')
                current = module
            indent = '    ' if verbose else '  '
            lines.append(indent + format_change(change, verbose=verbose))
    suppressed = diff.suppressed
    if suppressed:
        lines.append(f'suppressed ({len(suppressed)}):')
        for change in suppressed:
            lines.append(
                f'  {format_change(change, verbose=verbose)} '
                f'-- suppressed: {change.suppressed}'
            )
    if not diff.complete:
        lines.append(
            'warning: a side could not be read fully; names in unreadable '
            'modules are reported as unknown, not removed'
        )
    return '\n'.join(lines) + '\n'


def format_diff_json(diff: Diff) -> dict[str, Any]:
    """Return the JSON-ready form of ``diff`` (see :meth:`Diff.to_json`)."""
    return diff.to_json()


def format_verdict_text(verdict: SemverVerdict) -> str:
    """Return a human-readable SemVer verdict."""
    lines = [f'required bump: {verdict.required_bump}']
    minimum = verdict.minimum_version or '(old version unknown)'
    lines.append(f'minimum version: {minimum}')
    proposed = verdict.proposed or '(unknown)'
    if verdict.ok is None:
        status = 'cannot tell'
    elif verdict.ok:
        status = 'OK'
    else:
        status = f'NOT OK: needs at least {verdict.minimum_version}'
    lines.append(f'proposed version: {proposed}: {status}')
    if verdict.changes:
        lines.append(f'because of ({len(verdict.changes)}):')
        shown = sorted(verdict.changes, key=lambda c: c.sort_key)
        for change in shown:
            if change.severity is verdict.required_bump:
                lines.append(f'  {format_change(change)}')
        others = sum(
            1 for c in shown if c.severity is not verdict.required_bump
        )
        if others:
            lines.append(f'  and {others} less severe change(s)')
    return '\n'.join(lines) + '\n'


def format_verdict_json(verdict: SemverVerdict) -> dict[str, Any]:
    """Return the JSON-ready form of ``verdict``."""
    return verdict.to_json()
