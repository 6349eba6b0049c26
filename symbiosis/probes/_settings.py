"""Declarative probes in ``symbiosis-probes.toml`` or ``pyproject.toml``.

A downstream project describes its command, usage and semver probes in a
``symbiosis-probes.toml`` file, or in the ``[tool.symbiosis.probes]`` table
of its ``pyproject.toml``::

    [tool.symbiosis.probes.commands]
    unit = "pytest -q -x --junitxml={junitxml}"

    [tool.symbiosis.probes.commands.stestr]
    command = "stestr run --subunit"
    format = "subunit"
    timeout = 900
    requires = ["stestr"]

    [tool.symbiosis.probes.usage]
    names = ["tinylib.parse", "tinylib.core.ParseError"]

    [tool.symbiosis.probes.semver]
    baseline = "tinylib==1.0.0"     # default: the gate's baseline

The same tables can live under ``[probes]`` of the project's
``symbiosis.toml`` (or ``.symbiosis.toml``) -- the file every other
capability reads its settings from (:mod:`symbiosis._settings`) -- or,
without any prefix, in a ``symbiosis-probes.toml`` file of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
import pathlib
from typing import Any

from symbiosis._settings import CONFIG_FILE_NAMES
from symbiosis._settings import read_settings_table
from symbiosis.exception import ConfigError

__all__ = [
    'PROBE_SETTINGS_FILES',
    'ProbeSettings',
    'find_probe_settings_files',
    'read_probe_settings',
]

LOG = logging.getLogger(__name__)

#: A file holding only probes (its top-level tables are the probes table).
PROBES_FILE = 'symbiosis-probes.toml'

#: File names searched for in a directory, in this order.
PROBE_SETTINGS_FILES = (PROBES_FILE, *CONFIG_FILE_NAMES, 'pyproject.toml')


class ProbeSettings:
    """The probes table of one settings file.

    :param path: the file.
    :param table: its probes table (empty when it has none).
    :param error: why the file could not be read, if it could not.
    """

    def __init__(
        self,
        path: pathlib.Path,
        table: Mapping[str, Any],
        error: str | None = None,
    ) -> None:
        self.path = path
        self.table = table
        self.error = error

    def section(self, name: str) -> Mapping[str, Any]:
        """Return the sub-table ``name`` (``commands``...), or ``{}``."""
        value = self.table.get(name)
        return value if isinstance(value, Mapping) else {}


def find_probe_settings_files(path: pathlib.Path) -> list[pathlib.Path]:
    """Return the probes config files at ``path`` (a file or a directory).
    """
    if path.is_file():
        return [path] if path.name in PROBE_SETTINGS_FILES or (
            path.suffix == '.toml' and path.name != 'pyproject.toml'
        ) else []
    return [path / n for n in PROBE_SETTINGS_FILES if (path / n).is_file()]


def read_probe_settings(path: pathlib.Path) -> ProbeSettings:
    """Read the probes table of ``path``; errors are kept, not raised.

    ``[tool.symbiosis.probes]`` of a ``pyproject.toml``, ``[probes]`` of
    a ``symbiosis.toml``, or the whole of any other TOML file (such as
    ``symbiosis-probes.toml``).
    """
    section = 'probes' if path.name in (
        *CONFIG_FILE_NAMES, 'pyproject.toml'
    ) else None
    try:
        table = read_settings_table(path, section)
    except ConfigError as err:
        return ProbeSettings(path, {}, error=f'cannot read {path.name}: {err}')
    return ProbeSettings(path, table)
