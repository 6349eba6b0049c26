"""Which downstream uses a breaking upstream change hits: :func:`impact`.

::

    from symbiosis import api
    from symbiosis.usage import impact, scan

    result = api.diff(api.load('tinylib==1.0'), api.load('tinylib==1.1'))
    report = scan('src/', result.new.top_level_names())
    for hit in impact(report.uses, result):
        print(hit)   # app.py:3: uses tinylib.core.ParseError: ... moved to

A use is hit when it stops working between the diff's two snapshots, as
:func:`~symbiosis.usage._judge.judge_use` decides with the diff's own
path resolution and call binding: the path it reaches stops resolving
(``x.y.A.method`` after ``x.y.A`` or module ``x.y`` is removed or moved
away), or the call it makes is rejected (``parse(text, strict=True)``
after ``strict`` became ``validate``, but not ``parse(text)``, nor the
call when ``strict`` is still accepted). A class statement, a star
import, a callback passed on and an import of a function are hit only
when their own paths stop resolving.

The diff's changes say *why*: the impact carries the change reported
under the path the use reaches (or one of its parents, or the
constructor of a called class), preferring a parameter change for a
rejected call and a removal or move for a path gone. A use whose break
is explained only by suppressed changes, or by changes below the
threshold, is not hit; one the diff explains by no change at all gets a
change built from the judgement.

Changes are found through the aliases of both snapshots: a use of ``x.A``
where ``x/__init__.py`` re-exports ``x._impl.A`` is explained by a change
reported under ``x.A`` or under ``x._impl.A``, and vice versa.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from collections.abc import Sequence
import dataclasses
import logging
from typing import TYPE_CHECKING

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Alias
from symbiosis.api._model import Class
from symbiosis.api._reach import Reach
from symbiosis.usage._judge import CALL_MARK
from symbiosis.usage._judge import GONE
from symbiosis.usage._judge import REJECTED
from symbiosis.usage._judge import Verdict
from symbiosis.usage._judge import judge_use
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
# Changes about the calls a function accepts.
_CALL_KINDS = frozenset({
    'parameter-removed', 'parameter-added-required', 'parameter-renamed',
    'parameter-reordered', 'parameter-kind-changed',
    'parameter-default-removed', 'var-positional-removed',
    'var-keyword-removed', 'overload-removed', 'method-kind-changed',
})


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


def _literal(use: Use, change: Change) -> bool:
    return any(use.path == path or use.path.startswith(path + '.')
               for path in change.paths)


def _replacement(change: Change, suffix: str | None) -> str | None:
    if not change.new_path or suffix is None:
        return None
    return f'{change.new_path}.{suffix}' if suffix else change.new_path


def _related(
    use: Use, verdict: Verdict, index: _Index
) -> list[tuple[Change, str | None]]:
    """The changes of the diff about what ``use`` reaches."""
    paths = [] if CALL_MARK in use.path else [use.path]
    paths += [verdict.old, verdict.new, verdict.member_of]
    found: dict[int, tuple[Change, str | None]] = {}
    for path in dict.fromkeys(p for p in paths if p):
        probe = dataclasses.replace(use, path=path)
        for change, suffix in index.hits(probe):
            found.setdefault(id(change), (change, suffix))
    return list(found.values())


def _explaining(
    use: Use, verdict: Verdict, related: list[tuple[Change, str | None]]
) -> list[tuple[Change, str | None]]:
    """The related changes that explain the verdict, best first."""
    if verdict.broken == REJECTED:
        calls = [h for h in related if h[0].kind in _CALL_KINDS]
        fitting = [h for h in calls if h[0].calls is None
                   or h[0].calls.breaks(use.positional, use.keywords)]
        found = fitting or calls
    else:
        # Gone: a change at or above the path that stopped resolving.
        found = [h for h in related if h[1] is not None
                 and h[0].kind not in _CALL_KINDS]
    # The most specific: reported under the longest part of the path
    # (``pkg.Parser.feed``, not a removed alias of ``pkg.Parser``).
    least = min((len(h[1] or '') for h in found), default=0)
    return [h for h in found if len(h[1] or '') == least]


def _synthetic(use: Use, verdict: Verdict, diff: Diff) -> Change:
    """A change for a break the diff reports under no related path."""
    if verdict.broken == REJECTED:
        return Change(
            ChangeKind.PARAMETER_REMOVED.value, verdict.old, Bump.MAJOR,
            f'{verdict.new} no longer accepts a call passing '
            f'{_shape(use)}')
    old = Reach(diff.old).resolve(verdict.new)
    kind = ChangeKind.NAME_REMOVED
    if old is not None and '.' in verdict.new:
        parent = Reach(diff.old).resolve(verdict.new.rpartition('.')[0])
        if isinstance(parent, Class):
            kind = (ChangeKind.METHOD_REMOVED
                    if old.kind.value == 'function'
                    else ChangeKind.ATTRIBUTE_REMOVED)
    return Change(kind.value, verdict.new, Bump.MAJOR,
                  f'{verdict.new} no longer resolves')


def _shape(use: Use) -> str:
    parts = [f'{use.positional} positional argument'
             + ('' if use.positional == 1 else 's')]
    parts += [f'{k}=' for k in use.keywords or ()]
    return ', '.join(parts)


def impact(
    uses: Iterable[Use],
    diff: Diff,
    *,
    threshold: Bump | str = Bump.MAJOR,
) -> list[Impact]:
    """Return every use that stops working between the diff's snapshots.

    Each use is judged by :func:`~symbiosis.usage._judge.judge_use`: it is
    hit when the path it reaches stops resolving, or when the call it
    makes is rejected; the diff's changes about that path say why.

    :param uses: the downstream's uses (:attr:`UsageReport.uses
        <symbiosis.usage._model.UsageReport.uses>`).
    :param diff: the upstream's API diff (:func:`symbiosis.api.diff`).
    :param threshold: the least severity that counts as breaking; a use
        whose break the diff explains only by suppressed changes, or by
        changes below the threshold, is not hit.
    :returns: the impacts, sorted by file and line. When several changes
        of one kind explain a use through different paths (the same
        removal reported under a module and under the package re-exporting
        it), the one naming the path the downstream wrote is kept.
    """
    level = Bump.parse(threshold)
    changes = [c for c in diff.changes if c.kind not in _METADATA_KINDS]
    index = _Index(changes, (diff.old, diff.new))
    old_reach, new_reach = Reach(diff.old), Reach(diff.new)
    impacts: list[Impact] = []
    for use in uses:
        verdict = judge_use(use, old_reach, new_reach)
        if verdict.broken not in (GONE, REJECTED):
            continue
        known_by = '; '.join(filter(None, (use.via, *verdict.notes))) or None
        explaining = _explaining(use, verdict, _related(use, verdict, index))
        if not explaining:
            if level <= Bump.MAJOR:
                impacts.append(Impact(use, _synthetic(use, verdict, diff),
                                      known_by=known_by))
            continue
        counted = [h for h in explaining if h[0].suppressed is None
                   and h[0].severity >= level]
        by_kind: dict[str, list[tuple[Change, str | None]]] = {}
        for change, suffix in counted:
            by_kind.setdefault(change.kind, []).append((change, suffix))
        for group in by_kind.values():
            literal = [h for h in group if _literal(use, h[0])]
            kept = literal or [min(group, key=lambda h: h[0].sort_key)]
            impacts.extend(
                Impact(use, change, _replacement(change, suffix),
                       known_by=known_by)
                for change, suffix in kept
            )
    impacts.sort(key=lambda i: (i.use.sort_key, i.change.sort_key))
    LOG.debug('%d impacts of %d changes', len(impacts), len(changes))
    return impacts
