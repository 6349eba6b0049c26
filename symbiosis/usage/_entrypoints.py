"""Find upstream names in a downstream's packaging metadata.

Entry points name code as ``module:attr`` strings, and a plugin the
downstream registers against an upstream's class (or a console script that
runs an upstream's function) is a use of that code. Read here, line by
line so each use keeps its line number:

* ``setup.cfg``: ``[options.entry_points]`` and pbr's ``[entry_points]``;
* ``pyproject.toml``: ``[project.scripts]``, ``[project.gui-scripts]``,
  ``[project.entry-points.*]`` and poetry's ``[tool.poetry.scripts]`` and
  ``[tool.poetry.plugins.*]``;
* ``entry_points.txt`` of a built distribution's metadata.

A value ``x.y:func.attr`` is the use ``x.y.func.attr`` when ``x`` is one
of the upstream's import names.
"""

from __future__ import annotations

from collections.abc import Iterator
import re

from symbiosis.usage._model import UseKind
from symbiosis.usage._walk import RawUse

__all__ = ['CONFIG_FILES', 'scan_config']

#: File names read by :func:`scan_config`.
CONFIG_FILES = frozenset({'setup.cfg', 'pyproject.toml', 'entry_points.txt'})

_SECTION = re.compile(r'\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?')
_VALUE = re.compile(
    r'([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*:\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)'
)
_TOML_SECTIONS = ('project.scripts', 'project.gui-scripts',
                  'tool.poetry.scripts')
_TOML_PREFIXES = ('project.entry-points', 'tool.poetry.plugins')


def _relevant(filename: str, section: str) -> bool:
    section = section.replace('"', '').replace("'", '').replace(' ', '')
    if filename == 'entry_points.txt':
        return True
    if filename == 'setup.cfg':
        return section in ('options.entry_points', 'entry_points')
    return section in _TOML_SECTIONS or section.startswith(_TOML_PREFIXES)


def _values(text: str, filename: str) -> Iterator[tuple[int, str, str]]:
    section = ''
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if not stripped or stripped[0] in '#;':
            continue
        header = _SECTION.fullmatch(line)
        if header is not None and '=' not in line:
            section = header.group(1)
            continue
        if not _relevant(filename, section) or '=' not in line:
            continue
        # ``name = module:attr``, or an inline table of several.
        for match in _VALUE.finditer(line, line.index('=') + 1):
            yield number, match.group(1), match.group(2)


def scan_config(
    source: bytes, filename: str, names: frozenset[str]
) -> tuple[RawUse, ...]:
    """Return the entry-point uses of ``names`` in one metadata file.

    :param source: the file's bytes (UTF-8; undecodable bytes are
        replaced).
    :param filename: its base name, one of :data:`CONFIG_FILES`.
    :param names: the upstream's top-level import names.
    """
    text = source.decode('utf-8', errors='replace')
    kind = UseKind.ENTRY_POINT.value
    found: dict[tuple[str, int], str] = {}
    for line, module, attr in _values(text, filename):
        if module.partition('.')[0] in names:
            found[(f'{module}.{attr}', line)] = kind
    return tuple(sorted((p, n, k, None, None) for (p, n), k in found.items()))
