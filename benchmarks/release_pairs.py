#!/usr/bin/env python3
# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.
"""How well ``symbiosis.api`` judges real releases, against execution.

Usage::

    python benchmarks/release_pairs.py [--only NAME ...]
        [--split tuning|held-out|all] [--no-oracle] [--show-held-out]
        [--json FILE] [--verbose]

For every pair of :mod:`release_corpus` it loads both releases from the
package index (``symbiosis.api.load('NAME==VERSION')``, downloads cached
under ``benchmarks/.data/cache``) and diffs them statically. Then it asks
the dynamic oracle (:mod:`oracle`: both releases installed in their own
environments, with the dependencies of their day, imported and
introspected) what really breaks, and scores the static diff at the level
users see -- each reported change:

* **change-level precision**: every *major* change the diff reports is
  *confirmed* (the oracle finds a break at one of its paths), *changed*
  (the oracle sees the path differ without a call being rejected: a
  reordering that silently rebinds positional arguments, say),
  *false* (the oracle sees the path identical in both releases) or
  *unverifiable* (the oracle cannot see the path: an instance attribute,
  a stub-only name, a module failing to import). Precision is
  ``1 - false / (confirmed + changed + false)``;
* **change-level recall**: the oracle's breaks, grouped by the object
  they are about (one removed base-class method reached through twenty
  subclasses is one break), found by a major change at the same path,
  one of its ``also`` paths, or an enclosing removal;
* **verdict**: ``required_bump == 'major'`` against the corpus's
  hand-checked answer (the changelog, cross-checked with the oracle).

It also reports, as before, the changelog-documented breaks found.

Pairs marked ``held_out`` are not looked at while tuning: ``--split
held-out`` prints their figures only, unless ``--show-held-out``.
Always exits 0.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Callable
import dataclasses
import json
import pathlib
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import oracle
import release_corpus
from release_corpus import ReleasePair

__all__ = ['PairResult', 'judge_pair', 'main', 'match_breaks',
           'score_changes']

DATA_DIR = pathlib.Path(__file__).resolve().parent / '.data'
CACHE_DIR = DATA_DIR / 'cache'

# Change kinds that remove or relocate a whole object, and so cover
# everything inside it.
_COVERING_KINDS = frozenset({
    'module-removed', 'name-removed', 'name-moved', 'kind-changed',
    'removed-after-deprecation', 'removed-without-deprecation',
    'method-removed', 'attribute-removed', 'property-removed',
    'enum-member-removed',
})
# Kinds about the distribution as a whole: their path says nothing about
# which object broke.
_DIST_KINDS = frozenset({
    'requires-python-narrowed', 'requires-python-widened', 'extra-removed',
    'extra-added', 'entry-point-removed', 'entry-point-added',
    'entry-point-changed', 'incomplete-snapshot',
})
# Verdicts of a major change, by what the oracle sees.
CONFIRMED, CHANGED, FALSE, UNVERIFIABLE = (
    'confirmed', 'changed', 'false', 'unverifiable')


def _value(obj: Any) -> str:
    return str(getattr(obj, 'value', obj))


def _is_major(change: Any) -> bool:
    return _value(change.severity) == 'major'


def _active(diff: Any) -> tuple[Any, ...]:
    active = getattr(diff, 'active', None)
    return tuple(active) if active is not None else tuple(diff.changes)


def _paths(change: Any) -> tuple[str, ...]:
    return (change.path, *getattr(change, 'also', ()))


def _relates(change: Any, path: str) -> str | None:
    """How ``change`` bears on ``path``: 'exact', 'inside', 'covers'."""
    kind = _value(change.kind)
    if kind in _DIST_KINDS:
        return None
    for cpath in _paths(change):
        if not cpath:
            continue
        if cpath == path:
            return 'exact'
        if cpath.startswith(path + '.'):
            return 'inside'
        if path.startswith(cpath + '.') and kind in _COVERING_KINDS:
            return 'covers'
    return None


def match_breaks(pair: ReleasePair, changes: tuple[Any, ...]
                 ) -> tuple[list[str], list[str], dict[str, list[Any]]]:
    """Split ``pair``'s changelog-documented breaks into found and missed.

    :returns: ``(found, missed, near)``; ``near`` maps a missed break to
        the non-major changes that touch it (to see why it was missed).
    """
    found, missed, near = [], [], {}
    for spellings in pair.expected_breaks:
        label = spellings[0]
        hits = [c for c in changes if _is_major(c)
                and any(_relates(c, s) for s in spellings)]
        if hits:
            found.append(label)
            continue
        missed.append(label)
        near[label] = [c for c in changes
                       if any(_relates(c, s) for s in spellings)]
    return found, missed, near


# -- scoring against the oracle ---------------------------------------------

def _essence(record: dict[str, Any] | None) -> Any:
    """What users can observe of an oracle record (not where it lives)."""
    if record is None:
        return None
    mro = sorted({e[2] for e in record.get('mro') or () if e and e[2]
                  and not e[2].startswith('_')})
    return (record.get('kind'), json.dumps(record.get('signature')),
            bool(record.get('is_async')), mro,
            sorted(record.get('abstract') or ()), record.get('value'),
            record.get('type'))


def _break_index(breaks: list[dict[str, Any]]
                 ) -> dict[str, list[dict[str, Any]]]:
    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for brk in breaks:
        index[brk['path']].append(brk)
    return index


def _prefixes(path: str) -> list[str]:
    parts = path.split('.')
    return ['.'.join(parts[:i]) for i in range(1, len(parts))]


def _external_member(brk: dict[str, Any], cpath: str,
                     old_objects: dict[str, Any]) -> bool:
    """Whether ``brk`` removed a member ``cpath`` inherited from a class
    outside the distribution (``dict.items``), which the diff explains by
    the lost base rather than member by member."""
    if brk['kind'] != 'removed' or brk['path'].rpartition('.')[0] != cpath:
        return False
    record = old_objects.get(brk['path']) or {}
    owner = old_objects.get(cpath) or {}
    top = (owner.get('defined_in') or cpath).partition('.')[0]
    return not (record.get('defined_in') or '').startswith(top + '.')


def _oracle_hits(change: Any, index: dict[str, list[dict[str, Any]]],
                 old_objects: dict[str, Any]) -> list[dict[str, Any]]:
    """The oracle breaks a static change accounts for."""
    kind = _value(change.kind)
    hits: list[dict[str, Any]] = []
    for cpath in _paths(change):
        hits.extend(index.get(cpath, ()))
        # A removal the oracle reports on an enclosing object.
        for prefix in _prefixes(cpath):
            hits.extend(b for b in index.get(prefix, ())
                        if b['kind'] in ('removed', 'kind'))
        parent = cpath.rpartition('.')[0]
        if kind == 'abstract-method-added':
            hits.extend(b for b in index.get(parent, ())
                        if b['kind'] == 'abstract')
        if cpath.endswith('.__init__'):
            hits.extend(b for b in index.get(parent, ())
                        if b['kind'] in ('call', 'kind'))
        if kind == 'class-base-removed':
            prefix = cpath + '.'
            hits.extend(b for path, found in index.items()
                        if path.startswith(prefix) for b in found
                        if _external_member(b, cpath, old_objects))
    if kind in _COVERING_KINDS:
        # Breaks the oracle lists inside an object the diff removed.
        for cpath in _paths(change):
            prefix = cpath + '.'
            hits.extend(b for path, found in index.items()
                        if path.startswith(prefix) for b in found)
    return hits


def _group_key(brk: dict[str, Any], old_objects: dict[str, Any],
               top_level: frozenset[str]) -> str:
    """One object's break, whatever path reaches it.

    Members are grouped by where they are defined, so a base-class method
    reached through twenty subclasses is one break; a member a class
    inherits from outside the distribution (``dict.items``) is grouped
    with its class instead, since ``dict.items`` lost by two unrelated
    classes is two breaks.
    """
    path = brk['path']
    record = old_objects.get(path) or {}
    where = record.get('defined_in') or path
    head, _, name = path.rpartition('.')
    owner = old_objects.get(head) or {}
    if name == '__init__' or where.partition('.')[0] not in top_level:
        where = f'{owner.get("defined_in") or head}.{name}'
    return f'{brk["kind"]} {where}'


def score_changes(
    changes: tuple[Any, ...],
    result: dict[str, Any],
    old_surface: dict[str, Any],
    new_surface: dict[str, Any],
    resolved: dict[str, dict[str, Any]],
    documented: tuple[tuple[str, ...], ...] = (),
    kept_keywords: Callable[[str], frozenset[str]] | None = None,
) -> dict[str, Any]:
    """Verdict of each major change, and the oracle's breaks found.

    :param result: :func:`oracle.compare` of the two surfaces.
    :param resolved: NEW's answers for OLD paths missing from its
        surface (:func:`oracle.resolve`).
    :param documented: the pair's changelog-documented breaks (checked
        by hand in the released files): a change at one of their paths is
        confirmed even where introspection sees nothing.
    :param kept_keywords: the keywords a decorator of the NEW function at
        a path declares it still accepts (``rename_parameter``,
        ``renamed_kwarg``). Introspection cannot see them -- the wrapper
        shows the new signature -- so an oracle ``call`` break made only
        of such keywords is set aside as a blind spot, not counted.
    """
    breaks = result['breaks']
    index = _break_index(breaks)
    unknown = {u['path'] for u in result['unknown']}
    old_objects = old_surface['objects']
    new_objects = new_surface['objects']
    verdicts: list[dict[str, Any]] = []
    explained: set[int] = set()
    for change in changes:
        if not _is_major(change) or _value(change.kind) in _DIST_KINDS:
            continue
        hits = _oracle_hits(change, index, old_objects)
        explained.update(id(b) for b in hits)
        paths = [p for p in _paths(change) if p in old_objects
                 and p not in unknown
                 and not any(q in unknown for q in _prefixes(p))]
        if hits:
            verdict = CONFIRMED
        elif any(_relates(change, s) == 'exact'
                 for spellings in documented for s in spellings):
            # A break the changelog documents and the files show, which
            # introspection cannot see (a decorator that kept an old
            # keyword working left the signature unchanged).
            verdict = CONFIRMED
        elif not paths:
            verdict = UNVERIFIABLE
        else:
            differs = False
            for path in paths:
                new = new_objects.get(path)
                if new is None:
                    answer = resolved.get(path) or {}
                    new = answer.get('record')
                    if answer.get('status') != 'ok':
                        differs = True
                if _essence(old_objects[path]) != _essence(new):
                    differs = True
            verdict = CHANGED if differs else FALSE
        verdicts.append({'kind': _value(change.kind), 'path': change.path,
                         'message': change.message, 'verdict': verdict})
    top_level = frozenset(old_surface.get('top_level') or {
        path.partition('.')[0] for path in old_objects})
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    blind: list[dict[str, Any]] = []
    for brk in breaks:
        if (kept_keywords is not None and brk['kind'] == 'call'
                and brk.get('positional') is None and brk.get('keywords')
                and set(brk['keywords']) <= kept_keywords(brk['path'])):
            blind.append({'path': brk['path'], 'detail': brk['detail'],
                          'reason': 'keywords a decorator still accepts'})
            continue
        groups[_group_key(brk, old_objects, top_level)].append(brk)
    missed = {key: found for key, found in groups.items()
              if not any(id(b) in explained for b in found)}
    return {
        'verdicts': verdicts,
        'oracle_breaks': len(breaks),
        'oracle_groups': len(groups),
        'groups_found': len(groups) - len(missed),
        'missed': [{'group': key, 'paths': [b['path'] for b in found][:8],
                    'detail': found[0]['detail']}
                   for key, found in sorted(missed.items())],
        'unknown': len(result['unknown']),
        'blind': blind,
    }


# -- one pair ---------------------------------------------------------------

@dataclasses.dataclass
class PairResult:
    """The outcome for one :class:`ReleasePair`."""

    pair: ReleasePair
    got_major: bool | None = None
    required_bump: str | None = None
    found: list[str] = dataclasses.field(default_factory=list)
    missed: list[str] = dataclasses.field(default_factory=list)
    near: dict[str, list[dict[str, Any]]] = dataclasses.field(
        default_factory=dict)
    major_changes: list[dict[str, Any]] = dataclasses.field(
        default_factory=list)
    change_count: int = 0
    complete: bool | None = None
    seconds: float = 0.0
    error: str | None = None
    oracle: dict[str, Any] | None = None
    oracle_error: str | None = None
    oracle_major: bool | None = None

    @property
    def verdict_ok(self) -> bool:
        """Whether the major verdict matches the corpus."""
        return self.got_major is self.pair.expected_major

    def count(self, verdict: str) -> int:
        """How many major changes got ``verdict`` from the oracle."""
        if self.oracle is None:
            return 0
        return sum(1 for v in self.oracle['verdicts']
                   if v['verdict'] == verdict)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            'name': self.pair.name, 'old': self.pair.old,
            'new': self.pair.new, 'held_out': self.pair.held_out,
            'expected_major': self.pair.expected_major,
            'got_major': self.got_major,
            'oracle_major': self.oracle_major,
            'required_bump': self.required_bump,
            'expected_breaks': [list(s) for s in self.pair.expected_breaks],
            'found': self.found, 'missed': self.missed, 'near': self.near,
            'major_changes': self.major_changes,
            'change_count': self.change_count, 'complete': self.complete,
            'seconds': round(self.seconds, 2), 'error': self.error,
            'oracle': self.oracle, 'oracle_error': self.oracle_error,
        }


def _change_json(change: Any) -> dict[str, Any]:
    return {
        'kind': _value(change.kind), 'path': change.path,
        'severity': _value(change.severity), 'message': change.message,
        'new_path': getattr(change, 'new_path', None),
    }


def _diff(old: Any, new: Any) -> Any:
    from symbiosis import api

    return api.diff(old, new)


def _keyword_aliases(
    snapshot: Any,
) -> Callable[[str], frozenset[str]] | None:
    try:
        from symbiosis.api._model import Function
        from symbiosis.api._reach import Reach
    except ImportError:
        return None  # a symbiosis without keyword aliases

    reach = Reach(snapshot)

    def kept(path: str) -> frozenset[str]:
        found = reach.resolve(path)
        if not isinstance(found, Function):
            return frozenset()
        return frozenset(a.name for a in found.keyword_aliases)

    return kept


def _run_oracle(pair: ReleasePair, changes: tuple[Any, ...],
                new_snapshot: Any = None,
                ) -> tuple[dict[str, Any] | None, bool | None, str | None]:
    old = oracle.surface(pair.name, pair.old, python=pair.python)
    new = oracle.surface(pair.name, pair.new, python=pair.python)
    for side in (old, new):
        problem = side.get('install_error') or side.get('worker_error')
        if problem:
            return None, None, f'{side["version"]}: {problem}'[:300]
    result = oracle.compare(old, new)
    if result.get('error'):
        return None, None, str(result['error'])[:300]
    missing = {p: (old['objects'][p].get('module') or p)
               for c in changes for p in _paths(c)
               if p in old['objects'] and p not in new['objects']}
    resolved = (oracle.resolve(pair.name, pair.new, missing,
                               python=pair.python) if missing else {})
    scored = score_changes(
        changes, result, old, new, resolved, pair.expected_breaks,
        None if new_snapshot is None else _keyword_aliases(new_snapshot))
    return scored, bool(result['breaks']), None


def judge_pair(pair: ReleasePair, config: Any,
               use_oracle: bool = True) -> PairResult:
    """Load, diff and score one pair."""
    from symbiosis import api

    result = PairResult(pair)
    start = time.perf_counter()
    try:
        old = api.load(f'{pair.name}=={pair.old}', config=config)
        new = api.load(f'{pair.name}=={pair.new}', config=config)
        diff = _diff(old, new)
    except Exception as err:
        result.error = f'{type(err).__name__}: {err}'
        result.seconds = time.perf_counter() - start
        return result
    result.seconds = time.perf_counter() - start
    changes = _active(diff)
    result.required_bump = _value(diff.required_bump)
    result.got_major = result.required_bump == 'major'
    result.change_count = len(changes)
    result.complete = getattr(diff, 'complete', None)
    result.major_changes = [_change_json(c) for c in changes
                            if _is_major(c)]
    found, missed, near = match_breaks(pair, changes)
    result.found, result.missed = found, missed
    result.near = {k: [_change_json(c) for c in v] for k, v in near.items()}
    if use_oracle:
        try:
            result.oracle, result.oracle_major, result.oracle_error = (
                _run_oracle(pair, changes, new))
        except Exception as err:
            result.oracle_error = f'{type(err).__name__}: {err}'
    return result


# -- summary ------------------------------------------------------------------

def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def summarise(results: list[PairResult]) -> dict[str, Any]:
    """Return the verdict, change-level and named-break metrics."""
    ran = [r for r in results if r.error is None]
    tp = sum(1 for r in ran if r.pair.expected_major and r.got_major)
    fn = sum(1 for r in ran if r.pair.expected_major and not r.got_major)
    fp = sum(1 for r in ran if not r.pair.expected_major and r.got_major)
    tn = sum(1 for r in ran
             if not r.pair.expected_major and not r.got_major)
    breaks = sum(len(r.pair.expected_breaks) for r in ran)
    found = sum(len(r.found) for r in ran)
    judged = [r for r in ran if r.oracle is not None]
    counts = {v: sum(r.count(v) for r in judged)
              for v in (CONFIRMED, CHANGED, FALSE, UNVERIFIABLE)}
    decided = counts[CONFIRMED] + counts[CHANGED] + counts[FALSE]
    groups = sum(r.oracle['oracle_groups'] for r in judged if r.oracle)
    groups_found = sum(r.oracle['groups_found'] for r in judged
                       if r.oracle)
    return {
        'pairs': len(results), 'ran': len(ran),
        'errors': len(results) - len(ran),
        'tp': tp, 'fn': fn, 'fp': fp, 'tn': tn,
        'verdict_recall': _ratio(tp, tp + fn),
        'verdict_precision': _ratio(tp, tp + fp),
        'verdict_accuracy': _ratio(tp + tn, len(ran)),
        'breaks_expected': breaks, 'breaks_found': found,
        'break_recall': _ratio(found, breaks),
        'oracle_pairs': len(judged),
        'oracle_errors': sum(1 for r in ran if r.oracle_error),
        'changes': counts,
        'change_precision': (None if not decided
                             else 1 - counts[FALSE] / decided),
        'oracle_groups': groups, 'oracle_groups_found': groups_found,
        'change_recall': _ratio(groups_found, groups),
        'oracle_verdict_disagreements': [
            r.pair.key for r in judged
            if r.oracle_major is not r.pair.expected_major],
    }


def _pct(value: float | None, digits: int = 0) -> str:
    return '-' if value is None else f'{100 * value:.{digits}f}%'


def _target(value: float | None, target: float) -> str:
    if value is None:
        return ''
    return ' PASS' if value >= target else ' FAIL'


def report(results: list[PairResult], verbose: bool,
           show_held_out: bool = False) -> None:
    """Print the per-pair lines, the summary and the details."""
    print(f'{"pair":40} {"expect":6} {"got":6} {"ok":3} {"named":>6} '
          f'{"major":>5} {"conf":>4} {"chg":>3} {"false":>5} {"unv":>4} '
          f'{"orcl":>5} {"miss":>4} {"sec":>5}')
    for r in results:
        exp = 'major' if r.pair.expected_major else 'compat'
        key = r.pair.key + (' [H]' if r.pair.held_out else '')
        if r.error:
            print(f'{key:40} {exp:6} ERROR  {r.error[:60]}')
            continue
        got = r.required_bump or '-'
        ok = 'ok' if r.verdict_ok else 'NO'
        named = (f'{len(r.found)}/{len(r.pair.expected_breaks)}'
                 if r.pair.expected_breaks else '')
        if r.oracle is not None:
            o = r.oracle
            cols = (f'{r.count(CONFIRMED):>4} {r.count(CHANGED):>3} '
                    f'{r.count(FALSE):>5} {r.count(UNVERIFIABLE):>4} '
                    f'{o["oracle_groups"]:>5} '
                    f'{o["oracle_groups"] - o["groups_found"]:>4}')
        else:
            cols = f'{"oracle: " + (r.oracle_error or "off"):>32}'[:32]
        print(f'{key:40} {exp:6} {got:6} {ok:3} {named:>6} '
              f'{len(r.major_changes):>5} {cols} {r.seconds:>5.1f}')

    s = summarise(results)
    c = s['changes']
    print()
    print(f'pairs {s["pairs"]} (ran {s["ran"]}, errors {s["errors"]}, '
          f'oracle on {s["oracle_pairs"]})')
    print(f'verdict: accuracy {_pct(s["verdict_accuracy"])}'
          f'{_target(s["verdict_accuracy"], 1.0)} '
          f'(recall {s["tp"]}/{s["tp"] + s["fn"]}, precision '
          f'{s["tp"]}/{s["tp"] + s["fp"]})')
    print(f'change-level precision {_pct(s["change_precision"], 1)}'
          f'{_target(s["change_precision"], 0.98)} '
          f'({c[CONFIRMED]} confirmed, {c[CHANGED]} changed, '
          f'{c[FALSE]} false; {c[UNVERIFIABLE]} unverifiable)')
    print(f'change-level recall {_pct(s["change_recall"], 1)}'
          f'{_target(s["change_recall"], 0.97)} '
          f'({s["oracle_groups_found"]}/{s["oracle_groups"]} oracle breaks)')
    print(f'changelog breaks found {s["breaks_found"]}/'
          f'{s["breaks_expected"]} ({_pct(s["break_recall"])})')
    if s['oracle_verdict_disagreements']:
        print('oracle verdict differs from the corpus on: '
              + ', '.join(s['oracle_verdict_disagreements']))

    def shown(r: PairResult) -> bool:
        return r.error is None and (show_held_out or not r.pair.held_out)

    missed = [r for r in results if shown(r) and r.missed]
    if missed:
        print('\nMissed changelog breaks (and the changes touching them):')
        for r in missed:
            for label in r.missed:
                print(f'  {r.pair.key}: {label}')
                for ch in r.near.get(label, [])[:5]:
                    print(f'      {ch["severity"]:5} {ch["kind"]:28} '
                          f'{ch["path"]}  {ch["message"]}')
    falses = [(r, v) for r in results if shown(r) and r.oracle
              for v in r.oracle['verdicts'] if v['verdict'] == FALSE]
    if falses:
        print('\nMajor changes the oracle sees identical in both releases:')
        for r, v in falses[:200]:
            print(f'  {r.pair.key}: {v["kind"]:28} {v["path"]}  '
                  f'{v["message"][:160]}')
    gaps = [(r, m) for r in results if shown(r) and r.oracle
            for m in r.oracle['missed']]
    if gaps:
        print('\nOracle breaks no major change accounts for:')
        for r, m in gaps[:200]:
            print(f'  {r.pair.key}: {m["group"]}  ({m["detail"][:140]})')
        if len(gaps) > 200:
            print(f'  ... and {len(gaps) - 200} more')
    if verbose:
        for verdict in (CHANGED, UNVERIFIABLE):
            rows = [(r, v) for r in results if shown(r) and r.oracle
                    for v in r.oracle['verdicts']
                    if v['verdict'] == verdict]
            if rows:
                print(f'\nMajor changes judged {verdict}:')
                for r, v in rows[:150]:
                    print(f'  {r.pair.key}: {v["kind"]:28} {v["path"]}  '
                          f'{v["message"][:140]}')
    errors = [r for r in results if r.error or r.oracle_error]
    if errors:
        print('\nErrors:')
        for r in errors:
            print(f'  {r.pair.key}: {r.error or r.oracle_error}')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', nargs='+', metavar='NAME',
                        help='distribution names to run (default: all)')
    parser.add_argument('--split', choices=('tuning', 'held-out', 'all'),
                        default='all',
                        help='which pairs: those used for tuning, the '
                             'held-out ones, or all (default)')
    parser.add_argument('--no-oracle', action='store_true',
                        help='skip the dynamic oracle (verdict and '
                             'changelog breaks only)')
    parser.add_argument('--show-held-out', action='store_true',
                        help='print the details of held-out pairs too')
    parser.add_argument('--json', metavar='FILE',
                        help='also write the results as JSON')
    parser.add_argument('--verbose', action='store_true',
                        help='list changed and unverifiable changes too')
    parser.add_argument('--cache-dir', default=str(CACHE_DIR),
                        help='download and extraction cache '
                             '(default: %(default)s)')
    args = parser.parse_args(argv)

    from symbiosis.config import Config

    config = Config.from_environ(cache_dir=pathlib.Path(args.cache_dir))
    pairs = [p for p in release_corpus.CORPUS
             if (not args.only or p.name in args.only)
             and (args.split == 'all'
                  or p.held_out == (args.split == 'held-out'))]
    results = []
    for pair in pairs:
        print(f'{pair.key} ...', file=sys.stderr, flush=True)
        results.append(judge_pair(pair, config, not args.no_oracle))
    report(results, args.verbose, args.show_held_out)
    if args.json:
        data = {
            'date': time.strftime('%Y-%m-%d'),
            'split': args.split,
            'summary': summarise(results),
            'pairs': [r.to_json() for r in results
                      if args.show_held_out or not r.pair.held_out],
        }
        pathlib.Path(args.json).write_text(json.dumps(data, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
