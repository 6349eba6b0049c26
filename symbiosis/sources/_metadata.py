"""Read built-distribution metadata: METADATA/PKG-INFO, entry points, RECORD.

These readers work on text, so the same code serves a wheel's
``.dist-info``, an sdist's ``PKG-INFO`` and an installed distribution.
Nothing here imports or executes the distribution.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
import configparser
import dataclasses
import pathlib

from symbiosis.sources._base import SourceTree

__all__ = [
    'CoreMetadata',
    'described_tree',
    'existing_top_level',
    'merge_entry_points',
    'parse_core_metadata',
    'parse_entry_points',
    'top_level_from_paths',
]

#: Suffixes of files that are importable modules.
MODULE_SUFFIXES = ('.py', '.pyi', '.so', '.pyd')


@dataclasses.dataclass(frozen=True)
class CoreMetadata:
    """The fields of core metadata symbiosis uses.

    :param name: ``Name``.
    :param version: ``Version``.
    :param requires_python: ``Requires-Python``.
    :param extras: ``Provides-Extra`` values, in order.
    """

    name: str | None = None
    version: str | None = None
    requires_python: str | None = None
    extras: tuple[str, ...] = ()


def described_tree(
    target: str,
    root: pathlib.Path,
    top_level: tuple[str, ...],
    core: CoreMetadata,
    entry_points: Mapping[str, Mapping[str, str]],
) -> SourceTree:
    """Return the :class:`SourceTree` of ``root`` that ``core`` and
    ``entry_points`` describe (a wheel's or an installed distribution's).
    """
    return SourceTree(
        target=target,
        root=root,
        top_level=top_level,
        name=core.name,
        version=core.version,
        requires_python=core.requires_python,
        extras=core.extras,
        entry_points=entry_points,
    )


def parse_core_metadata(text: str) -> CoreMetadata:
    """Parse a ``METADATA`` or ``PKG-INFO`` file (RFC 822 style headers).

    Missing or ``UNKNOWN`` fields become ``None``.
    """
    # Imported here: the email package is a large part of the start-up
    # of a warm ``api dump`` of a source tree, which has no such file.
    import email.parser

    message = email.parser.HeaderParser().parsestr(text)

    def field(key: str) -> str | None:
        value = message.get(key)
        if value is None:
            return None
        value = str(value).strip()
        return value if value and value != 'UNKNOWN' else None

    extras = [str(e).strip() for e in message.get_all('Provides-Extra', [])]
    return CoreMetadata(
        name=field('Name'),
        version=field('Version'),
        requires_python=field('Requires-Python'),
        extras=tuple(dict.fromkeys(e for e in extras if e)),
    )


def parse_entry_points(text: str) -> dict[str, dict[str, str]]:
    """Parse ``entry_points.txt`` (INI) into ``{group: {name: value}}``.

    A malformed file yields what could be read before the error.
    """
    parser = configparser.ConfigParser(
        delimiters=('=',), interpolation=None, strict=False
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    return {
        group: {k.strip(): v.strip() for k, v in parser.items(group)}
        for group in parser.sections()
    }


def _module_name(filename: str) -> str | None:
    for suffix in MODULE_SUFFIXES:
        if filename.endswith(suffix):
            # ``mod.cpython-311-x86_64-linux-gnu.so`` -> ``mod``
            stem = filename[: -len(suffix)].split('.', 1)[0]
            return stem if stem.isidentifier() else None
    return None


def top_level_from_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """Return the import names installed by the files ``paths``.

    ``paths`` are RECORD-style paths relative to the install root:
    ``.dist-info`` directories and paths outside the root are ignored,
    and ``<name>.data/purelib``/``platlib`` contents count as if they were
    at the root.
    """
    names: dict[str, None] = {}
    for raw in paths:
        parts = [p for p in raw.replace('\\', '/').split('/') if p]
        if (
            not parts
            or parts[0] in ('..', '.')
            or parts[0].endswith('.dist-info')
        ):
            continue
        if parts[0].endswith('.data'):
            if len(parts) < 3 or parts[1] not in ('purelib', 'platlib'):
                continue
            parts = parts[2:]
        if parts[0] == '__pycache__' or parts[0].startswith('__editable__'):
            # Import hooks of editable installs, not the distribution's code.
            continue
        if len(parts) > 1:
            head = parts[0]
            if head.isidentifier() or head.endswith('-stubs'):
                names[head] = None
        else:
            module = _module_name(parts[0])
            if module is not None:
                names[module] = None
    return tuple(names)


def existing_top_level(
    root: pathlib.Path, names: Iterable[str]
) -> tuple[str, ...]:
    """Return the ``names`` that exist under ``root`` as package or module.

    ``top_level.txt`` is written by the build tool and is sometimes stale
    (names of build helpers, nested paths); only what is there counts.
    """
    found: dict[str, None] = {}
    for name in names:
        name = name.strip().replace('\\', '/').split('/', 1)[0]
        if not name or name in found:
            continue
        if (root / name).is_dir():
            found[name] = None
            continue
        try:
            entries = list(root.glob(f'{name}.*'))
        except ValueError:  # an odd name that is not a valid pattern
            continue
        if any(_module_name(p.name) == name for p in entries):
            found[name] = None
    return tuple(found)


def merge_entry_points(
    *sources: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """Merge entry point maps, earlier sources winning per name."""
    merged: dict[str, dict[str, str]] = {}
    for source in sources:
        for group, eps in source.items():
            into = merged.setdefault(group, {})
            for name, value in eps.items():
                into.setdefault(name, value)
    return merged
