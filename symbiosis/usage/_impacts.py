"""Which downstream uses a breaking upstream change hits: :func:`impact`.

::

    from symbiosis import api
    from symbiosis.usage import impact, scan

    result = api.diff(api.load('tinylib==1.0'), api.load('tinylib==1.1'))
    report = scan('src/', result.new.top_level_names())
    for hit in impact(report.uses, result):
        print(hit)   # app.py:3: uses tinylib.core.ParseError: ... moved to

A use hits a change when

* the used path *is* the changed path, or lies *below* it: the use
  ``x.y.A.method`` is hit by the removal of ``x.y.A`` (or of module
  ``x.y``);
* the use calls a class whose constructor changed: ``x.A(...)`` is hit by
  a change of ``x.A.__init__`` or ``x.A.__new__``;
* the use subclasses a class (``class Mine(x.A)``): everything below
  ``x.A`` is inherited, so any change there hits it;
* the use is a star import of a module: a change to one of the module's
  names hits it.

A change *below* a plain use does not hit it: ``from x import A`` is not
broken by a parameter of ``x.A.method`` (the line calling
``A.method(...)`` is, and it is a use of ``x.A.method``).

A parameter change knows which calls it breaks (its
:class:`~symbiosis.api._changes.CallShape`): renaming ``strict`` hits
``parse(text, strict=True)`` but not ``parse(text)``, removing the second
positional parameter hits calls passing two or more positional
arguments. A call unpacking ``*args`` or ``**kwargs`` is always hit; an
import of the function, or a use below it (``f.cache_clear()``), never;
other references to it (passed as a callback, a decorator) always are,
since the call they lead to is not in sight.

Paths are compared through the aliases of both snapshots: a use of
``x.A`` where ``x/__init__.py`` re-exports ``x._impl.A`` is hit by a change
reported under ``x.A`` or under ``x._impl.A``, and vice versa.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from collections.abc import Sequence
import logging
from typing import TYPE_CHECKING

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._model import Alias
from symbiosis.usage._model import Impact
from symbiosis.usage._model import Use
from symbiosis.usage._model import UseKind

if TYPE_CHECKING:
    from symbiosis.api._differ import Diff
    from symbiosis.api._model import Snapshot

__all__ = ['alias_forms', 'impact']

LOG = logging.getLogger(__name__)

# Changes about the distribution's metadata rather than its code: their
# path is the distribution or an entry point, not something code names.
_METADATA_KINDS = frozenset({
    'incomplete-snapshot', 'requires-python-narrowed',
    'requires-python-widened', 'extra-removed', 'extra-added',
    'entry-point-removed', 'entry-point-added', 'entry-point-changed',
})
_CONSTRUCTORS = ('__init__', '__new__')
_ALIAS_DEPTH = 20


def alias_forms(snapshot: Snapshot, path: str) -> list[str]:
    """Return ``path`` and what it names once internal aliases are followed.

    ``x.A.method`` where ``x.A`` is an alias of ``x._impl.A`` gives
    ``['x.A.method', 'x._impl.A.method']``; chains of aliases are followed
    (cycles and depth are bounded).
    """
    forms = [path]
    current = path
    for _ in range(_ALIAS_DEPTH):
        parts = current.split('.')
        replaced = None
        for end in range(len(parts), 0, -1):
            obj = snapshot.get('.'.join(parts[:end]))
            if obj is None:
                continue
            if isinstance(obj, Alias) and obj.internal and obj.target:
                rest = parts[end:]
                replaced = '.'.join([obj.target, *rest])
            break
        if replaced is None or replaced in forms:
            break
        forms.append(replaced)
        current = replaced
    return forms


class _Index:
    """Breaking changes by every form of their path."""

    def __init__(
        self, changes: Sequence[Change], snapshots: Sequence[Snapshot]
    ) -> None:
        self.snapshots = snapshots
        self.by_form: dict[str, list[tuple[Change, str]]] = {}
        for change in changes:
            for path in change.paths:
                for form in self.forms(path):
                    self.by_form.setdefault(form, []).append((change, form))
        self.keys = sorted(self.by_form)

    def forms(self, path: str) -> list[str]:
        out = [path]
        for snapshot in self.snapshots:
            for form in alias_forms(snapshot, path):
                if form not in out:
                    out.append(form)
        return out

    def below(self, prefix: str) -> Iterable[str]:
        """Indexed forms strictly below ``prefix``."""
        start = prefix + '.'
        index = bisect.bisect_left(self.keys, start)
        while index < len(self.keys) and self.keys[index].startswith(start):
            yield self.keys[index]
            index += 1

    def hits(self, use: Use) -> list[tuple[Change, str | None]]:
        """``(change, suffix)`` of each change hitting ``use``; the suffix
        is the part of the use below the change's path (``None`` when the
        change is below the use)."""
        found: dict[int, tuple[Change, str | None]] = {}
        for form in self.forms(use.path):
            parts = form.split('.')
            for end in range(len(parts), 0, -1):
                prefix = '.'.join(parts[:end])
                for change, _form in self.by_form.get(prefix, ()):
                    suffix = '.'.join(parts[end:])
                    found.setdefault(id(change), (change, suffix))
            if use.kind == UseKind.CALL.value:
                for name in _CONSTRUCTORS:
                    for change, _form in self.by_form.get(
                        f'{form}.{name}', ()
                    ):
                        found.setdefault(id(change), (change, None))
            elif use.kind in (UseKind.BASE.value, UseKind.STAR.value):
                depth = form.count('.') + 1
                for key in self.below(form):
                    if (use.kind == UseKind.STAR.value
                            and key.count('.') != depth):
                        continue
                    for change, _form in self.by_form[key]:
                        found.setdefault(id(change), (change, None))
        return list(found.values())


def _called_as_broken(use: Use, change: Change, suffix: str | None) -> bool:
    """Whether ``use`` is affected the way a parameter change breaks.

    ``suffix`` is the part of the use below the change's path (``''``:
    the use names the changed function; ``None``: the change is below
    the use, as a constructor of a called class).
    """
    shape = change.calls
    if shape is None:
        return True
    if suffix:
        return False  # f.cache_clear(): not a call of f
    if use.kind == UseKind.CALL.value:
        return shape.breaks(use.positional, use.keywords)
    return use.kind != UseKind.IMPORT.value


def _literal(use: Use, change: Change) -> bool:
    return any(use.path == path or use.path.startswith(path + '.')
               for path in change.paths)


def _replacement(change: Change, suffix: str | None) -> str | None:
    if not change.new_path or suffix is None:
        return None
    return f'{change.new_path}.{suffix}' if suffix else change.new_path


def impact(
    uses: Iterable[Use],
    diff: Diff,
    *,
    threshold: Bump | str = Bump.MAJOR,
) -> list[Impact]:
    """Return every use hit by a breaking change of ``diff``.

    :param uses: the downstream's uses (:attr:`UsageReport.uses
        <symbiosis.usage._model.UsageReport.uses>`).
    :param diff: the upstream's API diff (:func:`symbiosis.api.diff`).
    :param threshold: the least severity that counts as breaking; changes
        a project suppressed never count.
    :returns: the impacts, sorted by file and line. When several changes
        of one kind hit a use through different paths (the same removal
        reported under a module and under the package re-exporting it),
        the one naming the path the downstream wrote is kept.
    """
    level = Bump.parse(threshold)
    breaking = [
        c for c in diff.active
        if c.severity >= level and c.kind not in _METADATA_KINDS
    ]
    if not breaking:
        return []
    index = _Index(breaking, (diff.old, diff.new))
    impacts: list[Impact] = []
    for use in uses:
        by_kind: dict[str, list[tuple[Change, str | None]]] = {}
        for change, suffix in index.hits(use):
            if _called_as_broken(use, change, suffix):
                by_kind.setdefault(change.kind, []).append(
                    (change, suffix))
        for group in by_kind.values():
            literal = [h for h in group if _literal(use, h[0])]
            kept = literal or [min(group, key=lambda h: h[0].sort_key)]
            impacts.extend(
                Impact(use, change, _replacement(change, suffix))
                for change, suffix in kept
            )
    impacts.sort(key=lambda i: (i.use.sort_key, i.change.sort_key))
    LOG.debug('%d impacts from %d breaking changes', len(impacts),
              len(breaking))
    return impacts
