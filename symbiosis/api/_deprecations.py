"""Deprecation markers recorded in an API snapshot.

The static counterpart of :func:`symbiosis.deprecation.registry`: where
the registry walks an imported module for the records symbiosis's
helpers attach, :func:`snapshot_deprecations` walks a snapshot for the
markers the extractor read from source (any library's, not only
symbiosis's). It lives in :mod:`symbiosis.api` because it reads the API
model; :mod:`symbiosis.deprecation` stays free of it, so libraries that
only deprecate never import the API machinery.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from typing import Any
from typing import NamedTuple

from symbiosis.api._model import Deprecation
from symbiosis.api._model import Location
from symbiosis.api._model import Member
from symbiosis.api._model import Snapshot

__all__ = ['SnapshotDeprecation', 'snapshot_deprecations']


class SnapshotDeprecation(NamedTuple):
    """A deprecation read statically, with the object it marks.

    :param path: dotted path of the deprecated object (or module); for a
        deprecated keyword argument, the function's path followed by
        ``(keyword=)``.
    :param kind: the object's kind (``function``, ``class``, ``module``,
        ``parameter``...).
    :param deprecation: the marker read from the source.
    :param location: where the object is defined, when known.
    """

    path: str
    kind: str
    deprecation: Deprecation
    location: Location | None = None

    @property
    def removal(self) -> str | None:
        """The planned removal version, if given."""
        return self.deprecation.removal

    def to_json(self) -> dict[str, Any]:
        """Return ``path``, ``kind``, the marker's fields and ``location``
        (``None`` values kept, so every entry has the same keys).
        """
        dep = self.deprecation
        return {
            'path': self.path,
            'kind': self.kind,
            'since': dep.since,
            'removal': dep.removal,
            'replacement': dep.replacement,
            'message': dep.message,
            'marker': dep.marker,
            'location': None if self.location is None
            else self.location.to_json(),
        }


def _walk_members(
    members: Iterable[Member], depth: int = 0
) -> Iterator[SnapshotDeprecation]:
    for member in members:
        if member.deprecation is not None:
            yield SnapshotDeprecation(
                member.path, str(member.kind), member.deprecation,
                member.location,
            )
        for alias in getattr(member, 'keyword_aliases', ()):
            if alias.deprecation is not None:
                yield SnapshotDeprecation(
                    f'{member.path}({alias.name}=)', 'parameter',
                    alias.deprecation, member.location,
                )
        inner = getattr(member, 'members', None)
        if inner and depth < 20:
            yield from _walk_members(inner.values(), depth + 1)


def snapshot_deprecations(snapshot: Snapshot) -> list[SnapshotDeprecation]:
    """Return every deprecation marker recorded in an API snapshot.

    Modules, their members (functions, classes, attributes, aliases) and
    class members at any depth, private modules included (a deprecated
    object is often defined privately and re-exported), each path once,
    sorted by path.

    :param snapshot: a snapshot from :func:`symbiosis.api.load`.
    """
    found: dict[str, SnapshotDeprecation] = {}
    for module in snapshot.modules.values():
        if module.deprecation is not None:
            location = Location(module.file, 1) if module.file else None
            found.setdefault(module.name, SnapshotDeprecation(
                module.name, 'module', module.deprecation, location,
            ))
        for entry in _walk_members(module.members.values()):
            found.setdefault(entry.path, entry)
    return [found[path] for path in sorted(found)]
