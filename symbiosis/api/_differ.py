"""Compare two API snapshots: :func:`diff_snapshots` and :class:`Diff`.

::

    from symbiosis.api._differ import diff_snapshots

    result = diff_snapshots(old, new)
    result.required_bump          # Bump.MAJOR
    for change in result.changes:
        print(change.severity, change.kind, change.message)

Each change kind is found by one rule (:mod:`symbiosis.api._rules`), loaded
from the ``symbiosis.api.rules`` entry-point namespace so other
distributions can add their own. Project settings
(:mod:`symbiosis.api._settings`) then override severities and mark
suppressed changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import logging
from typing import TYPE_CHECKING
from typing import Any

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._model import Snapshot
from symbiosis.api._rules.base import DiffContext
from symbiosis.api._rules.base import Rule
from symbiosis.api._settings import ApiSettings
from symbiosis.api._settings import settings_from_mapping

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = [
    'DIFF_SCHEMA_VERSION',
    'RULES_NAMESPACE',
    'Diff',
    'diff_snapshots',
    'load_rules',
    'settings_from_config',
]

LOG = logging.getLogger(__name__)

#: The stevedore namespace diff rules are loaded from.
RULES_NAMESPACE = 'symbiosis.api.rules'

#: Version of the JSON layout written by :meth:`Diff.to_json`.
DIFF_SCHEMA_VERSION = 1


@dataclasses.dataclass(frozen=True)
class Diff:
    """The changes between two snapshots.

    :param old: the earlier snapshot.
    :param new: the later snapshot.
    :param changes: every change found, suppressed ones included (their
        :attr:`~symbiosis.api._changes.Change.suppressed` is set), most
        severe first, then by path.
    """

    old: Snapshot
    new: Snapshot
    changes: tuple[Change, ...] = ()

    @property
    def old_snapshot(self) -> Snapshot:
        """Same as :attr:`old`."""
        return self.old

    @property
    def new_snapshot(self) -> Snapshot:
        """Same as :attr:`new`."""
        return self.new

    @property
    def active(self) -> tuple[Change, ...]:
        """The changes that are not suppressed."""
        return tuple(c for c in self.changes if c.suppressed is None)

    @property
    def suppressed(self) -> tuple[Change, ...]:
        """The changes a project suppression accepted."""
        return tuple(c for c in self.changes if c.suppressed is not None)

    @property
    def required_bump(self) -> Bump:
        """The most severe unsuppressed change (``NONE`` if there is none).
        """
        return max(
            (c.severity for c in self.changes if c.suppressed is None),
            default=Bump.NONE,
        )

    @property
    def complete(self) -> bool:
        """Whether both snapshots were read fully."""
        return self.old.complete and self.new.complete

    def fails(self, threshold: Bump | str) -> bool:
        """Whether an unsuppressed change reaches ``threshold``
        (``--fail-on major|minor|patch``).

        :raises ValueError: ``threshold`` names no severity.
        """
        level = Bump.parse(threshold)
        if level is Bump.NONE:
            return False
        return self.required_bump >= level

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form.

        Keys: ``schema_version``, ``old`` and ``new`` (``{name, version}``),
        ``required_bump``, ``complete``, ``changes`` (unsuppressed) and
        ``suppressed`` (each with its ``suppressed`` reason).
        """
        return {
            'schema_version': DIFF_SCHEMA_VERSION,
            'old': _side_json(self.old),
            'new': _side_json(self.new),
            'required_bump': self.required_bump.value,
            'complete': self.complete,
            'changes': [c.to_json() for c in self.active],
            'suppressed': [c.to_json() for c in self.suppressed],
        }


def _side_json(snapshot: Snapshot) -> dict[str, Any]:
    return {'name': snapshot.name, 'version': snapshot.version}


def load_rules(namespace: str = RULES_NAMESPACE) -> list[Rule]:
    """Return one instance of every rule registered in ``namespace``.

    Nothing is cached: pass the list to :func:`diff_snapshots`
    (``rules=``) to reuse it across diffs.

    :raises symbiosis.exception.PluginLoadError: a rule cannot be loaded
        (a diff without it would miss breaks), unless
        ``SYMBIOSIS_ALLOW_BROKEN_PLUGINS`` is set: it is then skipped with
        a warning.
    """
    from symbiosis import _plugins

    rules: dict[str, Rule] = _plugins.load_all(
        namespace, Rule, what='diff rule', create=lambda cls: cls())
    return sorted(rules.values(), key=lambda r: str(r.kind))


def settings_from_config(config: Config | None) -> ApiSettings:
    """Return the API settings carried by ``config.project_config``.

    ``project_config`` holds the ``[tool.symbiosis]`` table (or a
    config file's top level); its ``api`` table is read.
    """
    if config is None:
        return ApiSettings()
    project = config.project_config
    table = project.get('api', {}) if project else {}
    if isinstance(table, ApiSettings):
        return table
    if not isinstance(table, Mapping) or not table:
        return ApiSettings()
    source = project.get('source') if project else None
    return settings_from_mapping(
        table, source=source if isinstance(source, str) else None
    )


def diff_snapshots(
    old: Snapshot,
    new: Snapshot,
    config: Config | None = None,
    *,
    rules: Sequence[Rule] | None = None,
    settings: ApiSettings | None = None,
) -> Diff:
    """Compare ``old`` with ``new``.

    :param config: carries the project settings (``project_config``) when
        ``settings`` is not given.
    :param rules: the rules to run (default: :func:`load_rules`).
    :param settings: severity overrides, suppressions and ignored modules.
    :returns: the :class:`Diff`, changes most severe first.
    :raises symbiosis.exception.ConfigError: the settings in ``config``
        are invalid.
    """
    if settings is None:
        settings = settings_from_config(config)
    if rules is None:
        rules = load_rules()
    ctx = DiffContext(old, new, settings)
    changes = _run(rules, ctx)
    final = sorted(
        (settings.apply(change) for change in changes),
        key=lambda c: c.sort_key,
    )
    return Diff(old=old, new=new, changes=tuple(final))


def _run(rules: Iterable[Rule], ctx: DiffContext) -> list[Change]:
    changes: list[Change] = []
    seen: set[tuple[str, str, str]] = set()
    for rule in rules:
        for change in rule.check(ctx):
            key = (change.kind, change.path, change.message)
            # Two registrations of the same rule must not double-report.
            if key not in seen:
                seen.add(key)
                changes.append(change)
    return changes
