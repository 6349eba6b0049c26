"""Finding and reading a project's symbiosis settings files.

symbiosis has two kinds of configuration, and only two:

* *how to run* -- cache, package index, workers, offline -- is one
  :class:`symbiosis.config.Config`, built by the command line from its
  options and the environment (or by a library caller);
* *what the project wants* is its **settings file**: ``symbiosis.toml``
  (or ``.symbiosis.toml``), else ``pyproject.toml``. Each capability keeps
  a table of its own in it -- ``[api]``, ``[release]``, ``[probes]`` (in
  ``pyproject.toml``: ``[tool.symbiosis.api]``...).

This module finds the file and returns a capability's table; what the
keys mean is up to that capability's ``_settings`` module
(:mod:`symbiosis.api._settings`, :mod:`symbiosis.release._settings`,
:mod:`symbiosis.probes._settings`), which validates the values with the
readers below (:func:`check_keys`, :func:`array`, :func:`string_array`,
:func:`parsed_string`, :func:`severity_table`), so that every table
reports a wrong value in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Mapping
import pathlib
import sys
from typing import Any
from typing import TypeVar

from symbiosis.exception import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    'CONFIG_FILE_NAMES',
    'array',
    'check_keys',
    'find_settings_file',
    'parsed_string',
    'read_settings_table',
    'severity_table',
    'string_array',
]

T = TypeVar('T')

#: Files looked for in a project directory, in order, before
#: ``pyproject.toml``.
CONFIG_FILE_NAMES = ('symbiosis.toml', '.symbiosis.toml')


def find_settings_file(
    project_dir: str | pathlib.Path,
) -> pathlib.Path | None:
    """Return the settings file of the project in ``project_dir``.

    ``symbiosis.toml``, ``.symbiosis.toml`` then ``pyproject.toml``: the
    first that exists, or ``None``.
    """
    directory = pathlib.Path(project_dir)
    for name in (*CONFIG_FILE_NAMES, 'pyproject.toml'):
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def read_settings_table(
    file: pathlib.Path, section: str | None
) -> Mapping[str, Any]:
    """Return the ``section`` table of the settings file ``file``.

    ``[section]`` of a ``symbiosis.toml``-style file, or
    ``[tool.symbiosis.<section>]`` of a ``pyproject.toml``; an empty
    table when there is none. With ``section=None`` the whole file is
    the table (a file devoted to one capability).

    :raises symbiosis.exception.ConfigError: the file cannot be read, is
        not valid TOML, or the section is not a table; the error names the
        file.
    """
    source = str(file)
    try:
        text = file.read_text(encoding='utf-8')
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f'invalid TOML: {err}', path=source) from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f'cannot read: {err}', path=source) from err
    if section is None:
        return data
    if file.name == 'pyproject.toml':
        table: Any = data.get('tool', {}).get('symbiosis', {}).get(section, {})
        key = f'tool.symbiosis.{section}'
    else:
        table = data.get(section, {})
        key = section
    if not isinstance(table, Mapping):
        raise ConfigError(f'[{key}] must be a table', path=source, key=key)
    return table


def check_keys(
    data: Mapping[str, Any],
    known: Collection[str],
    table: str,
    source: str | None,
) -> None:
    """Reject the keys of the ``table`` table that are not ``known``.

    :param source: the file the table came from, for the message.
    :raises symbiosis.exception.ConfigError: an unknown key, named with
        the keys expected.
    """
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(
            f'unknown setting(s) in the {table} table: {", ".join(unknown)} '
            f'(expected {", ".join(sorted(known))})',
            path=source,
            key=unknown[0],
        )


def array(value: Any, key: str, source: str | None) -> list[Any]:
    """Return ``value``, the setting ``key``, when it is a TOML array.

    :raises symbiosis.exception.ConfigError: it is not.
    """
    if not isinstance(value, list):
        raise ConfigError(f'{key} must be an array', path=source, key=key)
    return value


def string_array(value: Any, key: str, source: str | None) -> tuple[str, ...]:
    """Return ``value``, the setting ``key``, when it is an array of
    non-empty strings.

    :raises symbiosis.exception.ConfigError: it is not.
    """
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item for item in value
    ):
        raise ConfigError(
            f'{key} must be an array of strings', path=source, key=key
        )
    return tuple(value)


def parsed_string(
    value: Any, parse: Callable[[str], T], key: str, source: str | None
) -> T:
    """Return ``parse(value)`` for the string setting ``key``.

    :param parse: reads the text; raises :class:`ValueError` with the
        reason when it is wrong (``Bump.parse``, ``Severity.parse``).
    :raises symbiosis.exception.ConfigError: ``value`` is not a string, or
        ``parse`` rejects it.
    """
    if not isinstance(value, str):
        raise ConfigError(f'{key} must be a string', path=source, key=key)
    try:
        return parse(value)
    except ValueError as err:
        raise ConfigError(f'{key}: {err}', path=source, key=key) from None


def severity_table(
    value: Any,
    parse: Callable[[str], T],
    entries: str,
    source: str | None,
) -> dict[str, T]:
    """Return the ``severity`` table: ``{name: level}``, each level read
    by ``parse`` (see :func:`parsed_string`).

    :param entries: what an entry looks like, for the message
        (``check = "error|warning|info"``).
    :raises symbiosis.exception.ConfigError: ``value`` is not a table, or
        a level is not a string ``parse`` accepts.
    """
    if not isinstance(value, Mapping):
        raise ConfigError(
            f'severity must be a table of {entries}',
            path=source,
            key='severity',
        )
    return {
        str(name): parsed_string(level, parse, f'severity.{name}', source)
        for name, level in value.items()
    }
