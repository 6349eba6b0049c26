"""Project settings for the API diff: severity overrides and suppressions.

A project tunes the diff in ``symbiosis.toml`` (or ``.symbiosis.toml``)
under a top-level ``[api]`` table, or in ``pyproject.toml`` under
``[tool.symbiosis.api]``:

.. code-block:: toml

    [api]
    # Per-kind severity overrides.
    severity = { "parameter-default-changed" = "major" }
    # Modules whose names are never part of the public API.
    ignore_modules = ["mylib._vendor.*"]
    # "deprecation" (default): removals are removed-after-deprecation or
    # removed-without-deprecation; "object": removals without deprecation
    # are reported by what was removed (module-removed, method-removed...).
    removal_kinds = "deprecation"
    # Default for ``--fail-on``.
    fail_on = "major"
    # Not API by default (set to [] to judge them): test packages shipped
    # inside the distribution, and version metadata names, whose value a
    # patch release changes.
    test_modules = ["tests", "test", "conftest", "*.tests", "*.test",
                    "*.conftest", "*.tests.*", "*.test.*", "tests.*",
                    "test.*"]
    version_names = ["__version__", "VERSION", "version_info",
                     "__version_tuple__"]

    [[api.suppress]]
    kind = "name-removed"            # optional
    path = "mylib.compat.*"          # exact path or fnmatch glob
    reason = "compat shims are documented as unstable"   # mandatory

A suppressed change stays in the diff, marked with its reason, and does not
count towards the required bump.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
import dataclasses
import fnmatch
import logging
import pathlib
from typing import Any

from symbiosis._settings import CONFIG_FILE_NAMES
from symbiosis._settings import check_keys
from symbiosis._settings import find_settings_file
from symbiosis._settings import parsed_string
from symbiosis._settings import read_settings_table
from symbiosis._settings import severity_table
from symbiosis._settings import string_array
from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.exception import ConfigError

__all__ = [
    'CONFIG_FILE_NAMES',
    'DEFAULT_TEST_MODULES',
    'DEFAULT_VERSION_NAMES',
    'REMOVAL_KINDS',
    'ApiSettings',
    'Suppression',
    'load_settings',
    'settings_from_mapping',
]

LOG = logging.getLogger(__name__)

#: Accepted values of ``removal_kinds``.
REMOVAL_KINDS = ('deprecation', 'object')

#: Modules that are not API unless a project says otherwise: test
#: packages shipped inside the distribution (globs of dotted names).
DEFAULT_TEST_MODULES = (
    'tests', 'test', 'conftest', '*.tests', '*.test', '*.conftest',
    '*.tests.*', '*.test.*', 'tests.*', 'test.*',
)
#: Module-level names that are version metadata, not API: a patch
#: release changes their value.
DEFAULT_VERSION_NAMES = (
    '__version__', 'VERSION', 'version_info', '__version_tuple__',
)

_API_KEYS = frozenset(
    {'severity', 'suppress', 'ignore_modules', 'removal_kinds', 'fail_on',
     'test_modules', 'version_names'}
)
_SUPPRESS_KEYS = frozenset({'kind', 'path', 'reason'})
_KNOWN_KINDS = frozenset(k.value for k in ChangeKind)


@dataclasses.dataclass(frozen=True)
class Suppression:
    """One ``[[api.suppress]]`` entry.

    :param reason: why the change is acceptable; shown in every report.
    :param kind: the change kind it applies to (any when ``None``).
    :param path: exact public path or :mod:`fnmatch` glob (any when
        ``None``; at least one of ``kind`` and ``path`` is set).
    """

    reason: str
    kind: str | None = None
    path: str | None = None

    def matches(self, change: Change) -> bool:
        """Whether this entry suppresses ``change``.

        The path (or glob) must match every public path of the changed
        object (:attr:`Change.paths`): suppressing ``pkg.compat.*`` does
        not hide the removal of an object also public as ``pkg.Thing``.
        A move also matches by its destination.
        """
        if self.kind is not None and self.kind != change.kind:
            return False
        pattern = self.path
        if pattern is None:
            return True

        def hit(path: str) -> bool:
            return path == pattern or fnmatch.fnmatchcase(path, pattern)

        if change.new_path is not None and hit(change.new_path):
            return True
        return all(hit(path) for path in change.paths)


@dataclasses.dataclass(frozen=True)
class ApiSettings:
    """How a project wants its API diff judged.

    :param severity: per-kind severity overrides.
    :param suppress: suppression entries, first match wins.
    :param ignore_modules: globs of dotted module names whose contents
        are left out of the public surface (``mylib._vendor.*``).
    :param removal_kinds: ``deprecation`` or ``object`` (see the module
        documentation).
    :param fail_on: the project's default ``--fail-on`` threshold.
    :param test_modules: globs of dotted module names that are tests
        shipped in the distribution, not API.
    :param version_names: module-level names that are version metadata,
        not API.
    :param source: the file the settings were read from.
    """

    severity: Mapping[str, Bump] = dataclasses.field(
        default_factory=dict
    )
    suppress: tuple[Suppression, ...] = ()
    ignore_modules: tuple[str, ...] = ()
    removal_kinds: str = 'deprecation'
    fail_on: Bump | None = None
    test_modules: tuple[str, ...] = DEFAULT_TEST_MODULES
    version_names: frozenset[str] = frozenset(DEFAULT_VERSION_NAMES)
    source: str | None = None

    def severity_for(self, kind: str, default: Bump) -> Bump:
        """Return the severity of ``kind`` after overrides."""
        return self.severity.get(str(kind), default)

    def suppression_for(self, change: Change) -> Suppression | None:
        """Return the first suppression matching ``change``, if any."""
        for entry in self.suppress:
            if entry.matches(change):
                return entry
        return None

    def apply(self, change: Change) -> Change:
        """Return ``change`` with its severity overridden and suppression
        reason set, as this project configures them.
        """
        severity = self.severity_for(change.kind, change.severity)
        entry = self.suppression_for(change)
        reason = entry.reason if entry is not None else change.suppressed
        if severity is change.severity and reason == change.suppressed:
            return change
        return dataclasses.replace(
            change, severity=severity, suppressed=reason
        )

    def is_test_module(self, module: str) -> bool:
        """Whether ``module`` matches :attr:`test_modules`."""
        return any(
            fnmatch.fnmatchcase(module, pattern)
            for pattern in self.test_modules
        )

    def is_ignored(self, module: str) -> bool:
        """Whether ``module`` or one of its parents matches
        :attr:`ignore_modules`.
        """
        if not self.ignore_modules:
            return False
        parts = module.split('.')
        for i in range(1, len(parts) + 1):
            prefix = '.'.join(parts[:i])
            if any(
                fnmatch.fnmatchcase(prefix, pattern)
                for pattern in self.ignore_modules
            ):
                return True
        return False


def load_settings(
    path: str | None = None, project_dir: str | None = None
) -> ApiSettings:
    """Read the API settings of a project.

    :param path: an explicit config file (``--config FILE``): a
        ``symbiosis.toml``-style file with an ``[api]`` table, or a
        ``pyproject.toml`` (read from ``[tool.symbiosis.api]``).
    :param project_dir: when no ``path`` is given, the directory searched
        for ``symbiosis.toml``, ``.symbiosis.toml`` then ``pyproject.toml``.
    :returns: the settings, or the defaults when nothing is configured.
    :raises symbiosis.exception.ConfigError: the file is missing (when
        explicit), is not valid TOML, or holds an invalid setting; the
        error names the file.
    """
    if path is not None:
        file = pathlib.Path(path)
        if not file.is_file():
            raise ConfigError('no such configuration file', path=str(file))
        return _settings_from_file(file)
    if project_dir is None:
        return ApiSettings()
    found = find_settings_file(project_dir)
    if found is None:
        return ApiSettings()
    return _settings_from_file(found)


def _settings_from_file(file: pathlib.Path) -> ApiSettings:
    return settings_from_mapping(
        read_settings_table(file, 'api'), source=str(file)
    )


def settings_from_mapping(
    data: Mapping[str, Any], *, source: str | None = None
) -> ApiSettings:
    """Build settings from the contents of an ``[api]`` table.

    Also used for :attr:`symbiosis.config.Config.project_config` (pass
    its ``api`` table).

    :param source: the file the table came from, for error messages.
    :raises symbiosis.exception.ConfigError: an unknown key or an invalid
        value.
    """
    check_keys(data, _API_KEYS, 'api', source)
    fail_on = data.get('fail_on')
    return ApiSettings(
        severity=_severity_overrides(data.get('severity', {}), source),
        suppress=tuple(_suppressions(data.get('suppress', []), source)),
        ignore_modules=string_array(
            data.get('ignore_modules', []), 'ignore_modules', source
        ),
        removal_kinds=_removal_kinds(
            data.get('removal_kinds', 'deprecation'), source
        ),
        fail_on=None if fail_on is None
        else parsed_string(fail_on, Bump.parse, 'fail_on', source),
        test_modules=string_array(
            data.get('test_modules', list(DEFAULT_TEST_MODULES)),
            'test_modules', source,
        ),
        version_names=frozenset(string_array(
            data.get('version_names', list(DEFAULT_VERSION_NAMES)),
            'version_names', source,
        )),
        source=source,
    )


def _severity_overrides(
    value: Any, source: str | None
) -> dict[str, Bump]:
    overrides = severity_table(
        value, Bump.parse, 'kind = "major|minor|patch|none"', source
    )
    for kind in overrides:
        if kind not in _KNOWN_KINDS:
            # Third-party rules add kinds of their own, so this is only
            # worth a hint (a typo would otherwise go unnoticed).
            LOG.warning(
                '%s: severity override for %r, which no built-in rule '
                'reports', source or 'settings', kind,
            )
    return overrides


def _suppressions(
    value: Any, source: str | None
) -> Iterable[Suppression]:
    if not isinstance(value, list):
        raise ConfigError(
            'suppress must be an array of tables ([[api.suppress]])',
            path=source,
            key='suppress',
        )
    for index, entry in enumerate(value, 1):
        where = f'suppress entry #{index}'
        if not isinstance(entry, Mapping):
            raise ConfigError(
                f'{where} must be a table', path=source, key='suppress'
            )
        described = ', '.join(f'{k}={v!r}' for k, v in entry.items())
        where = f'{where} ({described})' if described else where
        unknown = sorted(set(entry) - _SUPPRESS_KEYS)
        if unknown:
            raise ConfigError(
                f'{where}: unknown key(s) {", ".join(unknown)} '
                '(expected kind, path, reason)',
                path=source,
                key='suppress',
            )
        reason = entry.get('reason')
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(
                f'{where}: a suppression needs a non-empty "reason"',
                path=source,
                key='suppress',
            )
        kind = entry.get('kind')
        path = entry.get('path')
        for key, item in (('kind', kind), ('path', path)):
            if item is not None and (not isinstance(item, str) or not item):
                raise ConfigError(
                    f'{where}: {key} must be a non-empty string',
                    path=source,
                    key='suppress',
                )
        if kind is None and path is None:
            raise ConfigError(
                f'{where}: give a kind, a path or both',
                path=source,
                key='suppress',
            )
        yield Suppression(reason=reason.strip(), kind=kind, path=path)


def _removal_kinds(value: Any, source: str | None) -> str:
    if value not in REMOVAL_KINDS:
        raise ConfigError(
            f'removal_kinds must be one of {", ".join(REMOVAL_KINDS)}, '
            f'not {value!r}',
            path=source,
            key='removal_kinds',
        )
    return str(value)
