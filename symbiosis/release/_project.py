"""The few facts the release checks read from a project's static files.

Name, declared version, ``requires-python`` and whether the project is
built with pbr -- read from ``pyproject.toml``, ``setup.cfg`` and
``setup.py`` text, never by running a build backend or ``setup.py``.
"""

from __future__ import annotations

import configparser
import contextlib
import dataclasses
import pathlib
import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ['ProjectInfo', 'read_project_info']

_PBR_SETUP = re.compile(r'\bpbr\s*=\s*True\b')
# setup.cfg spellings of requires-python, read from [options] (where
# setuptools wants it) then [metadata].
_CFG_REQUIRES_PYTHON = ('python_requires', 'requires_python',
                        'requires-python')


@dataclasses.dataclass(frozen=True)
class ProjectInfo:
    """What the release checks need to know about a project.

    :param name: the distribution name, if declared.
    :param version: the declared version, if static.
    :param requires_python: the ``requires-python`` specifier, if any.
    :param uses_pbr: the project is built with pbr (its version comes
        from git tags and ``Sem-Ver:`` footers).
    """

    name: str | None = None
    version: str | None = None
    requires_python: str | None = None
    uses_pbr: bool = False


def _pyproject(root: pathlib.Path) -> dict[str, Any]:
    file = root / 'pyproject.toml'
    if not file.is_file():
        return {}
    try:
        data: dict[str, Any] = tomllib.loads(
            file.read_text(encoding='utf-8')
        )
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        return {}
    return data


def _setup_cfg(root: pathlib.Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    file = root / 'setup.cfg'
    if file.is_file():
        with contextlib.suppress(configparser.Error):
            parser.read(file, encoding='utf-8')
    return parser


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def read_project_info(root: pathlib.Path) -> ProjectInfo:
    """Read the project in ``root`` (missing facts are ``None``)."""
    data = _pyproject(root)
    project = data.get('project', {})
    project = project if isinstance(project, dict) else {}
    build = data.get('build-system', {})
    backend = build.get('build-backend') if isinstance(build, dict) else None
    cfg = _setup_cfg(root)

    def cfg_value(section: str, *keys: str) -> str | None:
        for key in keys:
            if cfg.has_option(section, key):
                return _text(cfg.get(section, key))
        return None

    setup_py = root / 'setup.py'
    setup_text = ''
    if setup_py.is_file():
        try:
            setup_text = setup_py.read_text(encoding='utf-8')
        except (OSError, UnicodeDecodeError):
            setup_text = ''
    uses_pbr = (
        (isinstance(backend, str) and backend.startswith('pbr'))
        or cfg.has_section('pbr')
        or bool(_PBR_SETUP.search(setup_text))
    )
    return ProjectInfo(
        name=_text(project.get('name')) or cfg_value('metadata', 'name'),
        version=_text(project.get('version'))
        or cfg_value('metadata', 'version'),
        requires_python=_text(project.get('requires-python'))
        or cfg_value('options', *_CFG_REQUIRES_PYTHON)
        or cfg_value('metadata', *_CFG_REQUIRES_PYTHON),
        uses_pbr=uses_pbr,
    )
