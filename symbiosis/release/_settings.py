"""Project settings for the release checks.

Read from ``symbiosis.toml`` (or ``.symbiosis.toml``) under ``[release]``,
else from ``pyproject.toml`` under ``[tool.symbiosis.release]`` -- the same
files, in the same order, as the API settings
(:mod:`symbiosis._settings` finds and reads them):

.. code-block:: toml

    [tool.symbiosis.release]
    disable = ["calendar"]                  # checks that do not run
    severity = { notes = "warning" }        # per-check severity
    timezone = "Europe/Paris"               # the maintainer's time zone
    holidays = ["2026-12-25", 2027-01-01]
    freeze = [{ start = 2026-12-18, end = 2027-01-04, reason = "holidays" }]
    requirements = ["requirements.txt", "pyproject.toml"]
    pythons = ["3.10", "3.13"]              # default: from requires-python

A severity override applies to every warning and error of that check;
informational messages stay informational.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import datetime
import pathlib
from typing import TYPE_CHECKING
from typing import Any
import zoneinfo

from symbiosis._settings import array
from symbiosis._settings import check_keys
from symbiosis._settings import find_settings_file
from symbiosis._settings import read_settings_table
from symbiosis._settings import severity_table
from symbiosis._settings import string_array
from symbiosis.exception import ConfigError
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = [
    'FreezeWindow',
    'ReleaseSettings',
    'load_release_settings',
    'release_settings_from_mapping',
]

_KEYS = frozenset(
    {'disable', 'severity', 'timezone', 'holidays', 'freeze',
     'requirements', 'pythons'}
)


@dataclasses.dataclass(frozen=True)
class FreezeWindow:
    """A period in which nothing should be released (both days included).

    :param start: first day of the freeze.
    :param end: last day of the freeze.
    :param reason: shown in the warning.
    """

    start: datetime.date
    end: datetime.date
    reason: str = ''

    def contains(self, day: datetime.date) -> bool:
        """Whether ``day`` falls inside the window."""
        return self.start <= day <= self.end


@dataclasses.dataclass(frozen=True)
class ReleaseSettings:
    """How a project wants its releases checked.

    :param disable: names of the checks that do not run.
    :param severity: per-check severity overrides.
    :param timezone: IANA time zone name (``None``: the machine's).
    :param holidays: days nothing should be released on.
    :param freeze: freeze windows.
    :param requirements: requirement files for the ``pins`` check,
        relative to the repository root (``None``: ``requirements.txt``
        and ``pyproject.toml`` when they exist).
    :param pythons: the supported Python versions (``None``: derived from
        ``requires-python``).
    :param source: the file the settings were read from.
    """

    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = dataclasses.field(
        default_factory=dict
    )
    timezone: str | None = None
    holidays: tuple[datetime.date, ...] = ()
    freeze: tuple[FreezeWindow, ...] = ()
    requirements: tuple[str, ...] | None = None
    pythons: tuple[str, ...] | None = None
    source: str | None = None

    def enabled(self, check: str) -> bool:
        """Whether the check named ``check`` runs."""
        return check not in self.disable

    def tzinfo(self) -> datetime.tzinfo | None:
        """The configured time zone (``None``: the machine's local one).
        """
        if self.timezone is None:
            return None
        return zoneinfo.ZoneInfo(self.timezone)


def load_release_settings(
    project_dir: str | pathlib.Path, config: Config | None = None
) -> ReleaseSettings:
    """Read the release settings of the project in ``project_dir``.

    ``config.project_config['release']`` wins when the caller set it.

    :raises symbiosis.exception.ConfigError: the file is not valid TOML
        or a setting is invalid; the error names the file.
    """
    if config is not None and config.project_config:
        table = config.project_config.get('release')
        if isinstance(table, ReleaseSettings):
            return table
        if isinstance(table, Mapping):
            source = config.project_config.get('source')
            return release_settings_from_mapping(
                table, source=source if isinstance(source, str) else None
            )
    file = find_settings_file(project_dir)
    if file is None:
        return ReleaseSettings()
    return release_settings_from_mapping(
        read_settings_table(file, 'release'), source=str(file)
    )


def release_settings_from_mapping(
    data: Mapping[str, Any], *, source: str | None = None
) -> ReleaseSettings:
    """Build settings from the contents of a ``[release]`` table.

    :raises symbiosis.exception.ConfigError: an unknown key or an invalid
        value.
    """
    check_keys(data, _KEYS, 'release', source)
    timezone = data.get('timezone')
    if timezone is not None:
        if not isinstance(timezone, str):
            raise ConfigError(
                'timezone must be a string', path=source, key='timezone'
            )
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
            raise ConfigError(
                f'unknown time zone {timezone!r}', path=source,
                key='timezone',
            ) from err
    requirements = data.get('requirements')
    pythons = data.get('pythons')
    return ReleaseSettings(
        disable=frozenset(
            _strings(data.get('disable', []), 'disable', source)
        ),
        severity=severity_table(
            data.get('severity', {}), Severity.parse,
            'check = "error|warning|info"', source,
        ),
        timezone=timezone,
        holidays=tuple(
            _date(v, 'holidays', source) for v in array(
                data.get('holidays', []), 'holidays', source)
        ),
        freeze=tuple(_freeze(data.get('freeze', []), source)),
        requirements=None if requirements is None
        else _strings(requirements, 'requirements', source),
        pythons=None if pythons is None
        else _strings(pythons, 'pythons', source),
        source=source,
    )


def _strings(value: Any, key: str, source: str | None) -> tuple[str, ...]:
    # An array first ("must be an array"), then of strings.
    return string_array(array(value, key, source), key, source)


def _date(value: Any, key: str, source: str | None) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(
        f'{key}: {value!r} is not a date (YYYY-MM-DD)', path=source, key=key
    )


def _freeze(value: Any, source: str | None) -> list[FreezeWindow]:
    windows = []
    for entry in array(value, 'freeze', source):
        if not isinstance(entry, Mapping) or not {'start', 'end'} <= set(
            entry
        ):
            raise ConfigError(
                'each freeze entry needs a start and an end date',
                path=source, key='freeze',
            )
        unknown = sorted(set(entry) - {'start', 'end', 'reason'})
        if unknown:
            raise ConfigError(
                f'freeze entry: unknown key(s) {", ".join(unknown)} '
                '(expected start, end, reason)',
                path=source, key='freeze',
            )
        start = _date(entry['start'], 'freeze.start', source)
        end = _date(entry['end'], 'freeze.end', source)
        if end < start:
            raise ConfigError(
                f'freeze window ends ({end}) before it starts ({start})',
                path=source, key='freeze',
            )
        windows.append(
            FreezeWindow(start, end, str(entry.get('reason', '')))
        )
    return windows
