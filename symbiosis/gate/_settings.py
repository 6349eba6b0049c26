"""Project settings for the gate.

Read from ``symbiosis.toml`` (or ``.symbiosis.toml``) under ``[gate]``,
else from ``pyproject.toml`` under ``[tool.symbiosis.gate]`` -- the files
:mod:`symbiosis._settings` finds and reads for every capability:

.. code-block:: toml

    [tool.symbiosis.gate]
    # Installed with every downstream (upstream mode): the test
    # requirements a release without a ``test`` extra does not declare.
    downstream_requires = ["pytest", "testtools>=2.5"]
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import pathlib
from typing import Any

from symbiosis._settings import find_settings_file
from symbiosis._settings import read_settings_table
from symbiosis.exception import ConfigError
from symbiosis.exception import InputError

__all__ = ['GateSettings', 'check_requirements',
           'gate_settings_from_mapping', 'load_gate_settings',
           'requirement_problem']

_KEYS = frozenset({'downstream_requires'})


@dataclasses.dataclass(frozen=True)
class GateSettings:
    """What a project wants of its gates.

    :param downstream_requires: requirements (PEP 508) installed with
        every downstream.
    :param source: the file the settings were read from.
    """

    downstream_requires: tuple[str, ...] = ()
    source: str | None = None


def load_gate_settings(project_dir: str | pathlib.Path) -> GateSettings:
    """Read the gate settings of the project in ``project_dir``.

    :raises symbiosis.exception.ConfigError: the file is not valid TOML
        or a setting is invalid; the error names the file.
    """
    file = find_settings_file(project_dir)
    if file is None:
        return GateSettings()
    return gate_settings_from_mapping(
        read_settings_table(file, 'gate'), source=str(file))


def gate_settings_from_mapping(
    data: Mapping[str, Any], *, source: str | None = None
) -> GateSettings:
    """Build settings from the contents of a ``[gate]`` table.

    :raises symbiosis.exception.ConfigError: an unknown key or an invalid
        value.
    """
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ConfigError(
            f'unknown setting(s) in the gate table: {", ".join(unknown)} '
            f'(expected {", ".join(sorted(_KEYS))})',
            path=source, key=unknown[0])
    key = 'downstream_requires'
    value = data.get(key, [])
    if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(f'{key} must be an array of requirements',
                          path=source, key=key)
    for item in value:
        problem = requirement_problem(item)
        if problem is not None:
            raise ConfigError(f'{key}: {problem}', path=source, key=key)
    return GateSettings(
        downstream_requires=tuple(item.strip() for item in value),
        source=source)


def requirement_problem(text: str) -> str | None:
    """Why ``text`` is not a PEP 508 requirement, if it is not."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement

    try:
        Requirement(text)
    except InvalidRequirement as err:
        # packaging points at the spot on further lines: keep one.
        why = str(err).strip().splitlines()[0] if str(err).strip() else ''
        return f'{text!r} is not a requirement: {why}'
    return None


def check_requirements(
    requirements: Sequence[str], what: str
) -> tuple[str, ...]:
    """Return ``requirements`` stripped, each once, in order.

    :param what: the option they come from, named in the error.
    :raises symbiosis.exception.InputError: one is not a requirement.
    """
    kept = tuple(dict.fromkeys(r.strip() for r in requirements))
    for requirement in kept:
        problem = requirement_problem(requirement)
        if problem is not None:
            raise InputError(f'{what}: {problem}')
    return kept
