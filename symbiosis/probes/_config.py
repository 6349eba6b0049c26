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

(in ``symbiosis-probes.toml`` the same tables without the
``tool.symbiosis.probes`` prefix).
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
import pathlib
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ['CONFIG_FILES', 'ProbesConfig', 'find_config_files', 'read_config']

LOG = logging.getLogger(__name__)

#: File names searched for in a directory, in this order.
CONFIG_FILES = ('symbiosis-probes.toml', 'pyproject.toml')


class ProbesConfig:
    """The probes table of one file.

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


def find_config_files(path: pathlib.Path) -> list[pathlib.Path]:
    """Return the probes config files at ``path`` (a file or a directory).
    """
    if path.is_file():
        return [path] if path.name in CONFIG_FILES or (
            path.suffix == '.toml' and path.name != 'pyproject.toml'
        ) else []
    return [path / n for n in CONFIG_FILES if (path / n).is_file()]


def read_config(path: pathlib.Path) -> ProbesConfig:
    """Read the probes table of ``path``; errors are kept, not raised."""
    try:
        data = tomllib.loads(path.read_text(encoding='utf-8'))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        return ProbesConfig(path, {}, error=f'cannot read {path.name}: {err}')
    if path.name == 'pyproject.toml':
        table: Any = data.get('tool', {}).get('symbiosis', {}).get('probes')
    else:
        table = data
    return ProbesConfig(path, table if isinstance(table, Mapping) else {})
