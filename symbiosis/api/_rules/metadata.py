"""Rules about distribution metadata: Requires-Python, extras, entry points.

Paths of these changes are not Python names: ``Requires-Python`` changes
use the distribution name, extras ``name[extra]`` and entry points
``group:name`` (``console_scripts:mytool``), which suppressions can match.
"""

from __future__ import annotations

from collections.abc import Iterator

from packaging.specifiers import InvalidSpecifier
from packaging.version import Version

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._reach import supported_pythons
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import Rule

__all__ = [
    'EntryPointAdded',
    'EntryPointChanged',
    'EntryPointRemoved',
    'ExtraAdded',
    'ExtraRemoved',
    'RequiresPythonNarrowed',
    'RequiresPythonWidened',
    'supported_pythons',
]

def _minors(versions: frozenset[Version]) -> str:
    minors = sorted({(v.major, v.minor) for v in versions})
    return ', '.join(f'{a}.{b}' for a, b in minors)


def _python_sets(
    ctx: DiffContext,
) -> tuple[frozenset[Version], frozenset[Version]] | None:
    was, now = ctx.old.requires_python, ctx.new.requires_python
    if (was or '') == (now or ''):
        return None
    try:
        return supported_pythons(was), supported_pythons(now)
    except InvalidSpecifier:
        return None


def _describe_spec(text: str | None) -> str:
    return f"'{text}'" if text else 'none'


class RequiresPythonNarrowed(Rule):
    """``Requires-Python`` excludes versions it used to accept.

    Minor by default: installers never pick a release whose
    ``Requires-Python`` excludes the running interpreter, so users of the
    dropped versions keep the previous release instead of breaking --
    which is why projects routinely drop Python versions in minor
    releases. Projects that promise more set it to ``major``. Names the
    old release bound only for the dropped versions (``if
    sys.version_info < (3, 8):``) are not removals; the message counts
    them.

    Example::

        Requires-Python of mylib narrowed from '>=3.8' to '>=3.10':
        Python 3.8, 3.9 no longer supported
    """

    kind = ChangeKind.REQUIRES_PYTHON_NARROWED.value
    default_severity = Bump.MINOR
    description = 'Requires-Python dropped supported Python versions'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield a change when some Python version is no longer accepted."""
        sets = _python_sets(ctx)
        if sets is None or not sets[0] - sets[1]:
            return
        message = (
            f'Requires-Python of {ctx.new.name} narrowed from '
            f'{_describe_spec(ctx.old.requires_python)} to '
            f'{_describe_spec(ctx.new.requires_python)}: Python '
            f'{_minors(sets[0] - sets[1])} no longer supported'
        )
        dropped = ctx.surface.python_dropped
        if dropped:
            # Names that existed only for those Pythons went with them.
            count = len(dropped)
            names = ', '.join(dropped[:3]) + (', ...' if count > 3 else '')
            message += (f'; {count} name{"s" if count > 1 else ""} '
                        f'defined only for them went too ({names})')
        yield ctx.change(self, ctx.new.name, message)


class RequiresPythonWidened(Rule):
    """``Requires-Python`` accepts more versions and drops none.

    Example::

        Requires-Python of mylib widened from '>=3.10' to '>=3.9': Python
        3.9 now supported
    """

    kind = ChangeKind.REQUIRES_PYTHON_WIDENED.value
    default_severity = Bump.MINOR
    description = 'Requires-Python accepts more Python versions'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield a change when versions were only added."""
        sets = _python_sets(ctx)
        if sets is None or sets[0] - sets[1] or not sets[1] - sets[0]:
            return
        yield ctx.change(
            self,
            ctx.new.name,
            f'Requires-Python of {ctx.new.name} widened from '
            f'{_describe_spec(ctx.old.requires_python)} to '
            f'{_describe_spec(ctx.new.requires_python)}: Python '
            f'{_minors(sets[1] - sets[0])} now supported',
        )


class ExtraRemoved(Rule):
    """An optional-dependency extra disappeared: ``pip install
    mylib[extra]`` now warns and installs less. Example::

        extra 'async' of mylib was removed
    """

    kind = ChangeKind.EXTRA_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'an extra was removed'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per extra removed."""
        for extra in sorted(set(ctx.old.extras) - set(ctx.new.extras)):
            yield ctx.change(
                self,
                f'{ctx.new.name}[{extra}]',
                f"extra '{extra}' of {ctx.new.name} was removed",
            )


class ExtraAdded(Rule):
    """An optional-dependency extra appeared.

    Example::

        extra 'async' of mylib was added
    """

    kind = ChangeKind.EXTRA_ADDED.value
    default_severity = Bump.MINOR
    description = 'an extra was added'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per extra added."""
        for extra in sorted(set(ctx.new.extras) - set(ctx.old.extras)):
            yield ctx.change(
                self,
                f'{ctx.new.name}[{extra}]',
                f"extra '{extra}' of {ctx.new.name} was added",
            )


def _entry_points(
    groups: dict[str, dict[str, str]] | object,
) -> dict[tuple[str, str], str]:
    flat: dict[tuple[str, str], str] = {}
    if isinstance(groups, dict):
        for group, eps in groups.items():
            for name, value in eps.items():
                flat[str(group), str(name)] = str(value)
    return flat


class EntryPointRemoved(Rule):
    """An entry point (console script, plugin) was removed.

    Example::

        entry point 'mytool' in group console_scripts was removed
    """

    kind = ChangeKind.ENTRY_POINT_REMOVED.value
    default_severity = Bump.MAJOR
    description = 'an entry point was removed'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per entry point removed."""
        old = _entry_points(dict(ctx.old.entry_points))
        new = _entry_points(dict(ctx.new.entry_points))
        for group, name in sorted(old.keys() - new.keys()):
            yield ctx.change(
                self,
                f'{group}:{name}',
                f"entry point '{name}' in group {group} was removed "
                f'(was {old[group, name]})',
            )


class EntryPointAdded(Rule):
    """An entry point was added.

    Example::

        entry point 'mytool' in group console_scripts was added
        (mylib.cli:main)
    """

    kind = ChangeKind.ENTRY_POINT_ADDED.value
    default_severity = Bump.MINOR
    description = 'an entry point was added'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per entry point added."""
        old = _entry_points(dict(ctx.old.entry_points))
        new = _entry_points(dict(ctx.new.entry_points))
        for group, name in sorted(new.keys() - old.keys()):
            yield ctx.change(
                self,
                f'{group}:{name}',
                f"entry point '{name}' in group {group} was added "
                f'({new[group, name]})',
            )


class EntryPointChanged(Rule):
    """An entry point now points at another object. Callers of the
    command or plugin are unaffected unless they load the object by its
    old path, so it is a patch-level note. Example::

        entry point 'mytool' in group console_scripts now points to
        mylib.cli.main:run (was mylib.cli:main)
    """

    kind = ChangeKind.ENTRY_POINT_CHANGED.value
    default_severity = Bump.PATCH
    description = 'an entry point points at a different object'

    def check(self, ctx: DiffContext) -> Iterator[Change]:
        """Yield one change per entry point whose value changed."""
        old = _entry_points(dict(ctx.old.entry_points))
        new = _entry_points(dict(ctx.new.entry_points))
        for key in sorted(old.keys() & new.keys()):
            if old[key] != new[key]:
                group, name = key
                yield ctx.change(
                    self,
                    f'{group}:{name}',
                    f"entry point '{name}' in group {group} now points to "
                    f'{new[key]} (was {old[key]})',
                )
