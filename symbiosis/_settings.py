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
:mod:`symbiosis.probes._settings`).
"""

from __future__ import annotations

from collections.abc import Mapping
import pathlib
import sys
from typing import Any

from symbiosis.exception import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    'CONFIG_FILE_NAMES',
    'find_settings_file',
    'read_settings_table',
]

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
