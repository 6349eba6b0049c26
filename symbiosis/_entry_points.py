"""Read installed entry points without :mod:`importlib.metadata`.

:mod:`symbiosis._plugins` loads plugins; importing it (with stevedore and
:mod:`importlib.metadata`, which brings the ``email`` package) costs more
than a short command's whole work. A command the program answers from a
table (``symbiosis api rules``) only has to know that the installed
entry points are the ones in its table: :func:`read_groups` finds them
the way :mod:`importlib.metadata` does -- the ``*.dist-info`` and
``*.egg-info`` directories on :data:`sys.path` -- and parses their
``entry_points.txt``. When it cannot be sure of seeing what
:mod:`importlib.metadata` would (a finder that adds distributions of its
own, a zip file on the path, a file it cannot read), it says so and the
caller takes the full path.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
import os
import sys

__all__ = ['EntryPointLine', 'own_entry_points', 'read_groups']


class EntryPointLine:
    """One entry point as an ``entry_points.txt`` declares it.

    :param distribution: the distribution's normalised name
        (``symbiosis``), from its metadata directory's name.
    :param location: the metadata directory.
    """

    # A plain class: dataclasses would import inspect, a start-up cost.
    __slots__ = ('distribution', 'group', 'location', 'name', 'value')

    def __init__(self, distribution: str, location: str, group: str,
                 name: str, value: str) -> None:
        self.distribution = distribution
        self.location = location
        self.group = group
        self.name = name
        self.value = value

    def __repr__(self) -> str:
        return (f'<{self.group} {self.name} = {self.value} '
                f'({self.location})>')


def read_groups(
    wanted: Callable[[str], bool],
    path: Iterable[str] | None = None,
) -> list[EntryPointLine] | None:
    """The entry points of the groups ``wanted`` accepts, in the order
    :mod:`importlib.metadata` finds them.

    :param path: the directories searched (default: :data:`sys.path`).
    :returns: ``None`` when :mod:`importlib.metadata` could see other
        distributions (a finder on :data:`sys.meta_path` that lists its
        own, a zip file on the path) or a metadata file cannot be read.
    """
    if _other_finders():
        return None
    found: list[EntryPointLine] = []
    for root in sys.path if path is None else path:
        directory = root or '.'
        try:
            children = os.listdir(directory)
        except OSError:
            if os.path.isfile(directory):
                return None  # a zip file: importlib.metadata reads it
            continue
        base = os.path.basename(directory).lower()
        for child in children:
            low = child.lower()
            if low.endswith(('.dist-info', '.egg-info')):
                name = low.rpartition('.')[0].partition('-')[0]
            elif low == 'egg-info' and base.endswith('.egg'):
                name = base.rpartition('.')[0].partition('-')[0]
            else:
                continue
            location = os.path.join(directory, child)
            text = _read(location)
            if text is None:
                return None
            for group, key, value in _parse(text):
                if not wanted(group):
                    continue
                if value is None:
                    return None  # importlib.metadata fails on the line
                found.append(EntryPointLine(
                    _normalise(name), location, group, key, value))
    return found


def own_entry_points(
    distribution: str, groups: Iterable[str],
) -> set[tuple[str, str, str]] | None:
    """The ``(group, name, value)`` entry points ``distribution``
    declares in ``groups``, when no other distribution declares any there.

    ``distribution``'s are those of its first metadata directory on the
    path (as :func:`importlib.metadata.distribution` finds it); a copy
    further on must declare nothing else.

    :returns: ``None`` when another distribution (or another copy) adds
        an entry point to ``groups``, or they cannot be read cheaply.
    """
    wanted = frozenset(groups)
    lines = read_groups(wanted.__contains__)
    if lines is None:
        return None
    own = next((line.location for line in lines
                if line.distribution == distribution), None)
    declared = {(line.group, line.name, line.value) for line in lines
                if line.location == own}
    if any(line.distribution != distribution
           or (line.group, line.name, line.value) not in declared
           for line in lines):
        return None
    return declared


def _other_finders() -> bool:
    """Whether a finder other than the path finder lists distributions.

    The ``importlib_metadata`` backport adds one when imported (dask
    does): it reads the same directories of the path, so it is not
    another.
    """
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if (finder is PathFinder
                or getattr(finder, 'find_distributions', None) is None):
            continue
        cls = finder if isinstance(finder, type) else type(finder)
        if (cls.__module__, cls.__qualname__) != (
                'importlib_metadata', 'MetadataPathFinder'):
            return True
    return False


def _read(location: str) -> str | None:
    """The text of ``location``'s ``entry_points.txt`` (``''``: none)."""
    try:
        with open(os.path.join(location, 'entry_points.txt'),
                  encoding='utf-8') as stream:
            return stream.read()
    except (FileNotFoundError, NotADirectoryError):
        return ''
    except (OSError, UnicodeDecodeError):
        return None


def _parse(text: str) -> Iterator[tuple[str, str, str | None]]:
    """``(group, name, value)`` per line, as importlib.metadata reads the
    file: stripped lines, ``#`` comments, ``[group]`` headers (``value``
    is ``None`` on a line without ``=``)."""
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('[') and line.endswith(']'):
            group = line.strip('[]')
            continue
        if group is None:
            continue
        name, equals, value = line.partition('=')
        yield group, name.strip(), value.strip() if equals else None


def _normalise(name: str) -> str:
    # As packaging's canonicalize_name, for the separators metadata
    # directory names use.
    return '-'.join(
        part for part in name.replace('_', '-').replace('.', '-').split('-')
        if part)
