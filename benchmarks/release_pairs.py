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
"""How well ``symbiosis.api`` judges real releases.

Usage::

    python benchmarks/release_pairs.py [--only NAME ...] [--json FILE]
                                       [--verbose]

For every pair of :mod:`release_corpus` it loads both releases from the
package index (``symbiosis.api.load('NAME==VERSION')``, downloads cached
under ``benchmarks/.data/cache``), diffs them and compares the outcome with
what the changelog documents:

* the verdict: does the diff require a major bump (``required_bump``)?
* each documented break: is there a change of severity ``major`` at that
  path, inside it (``pkg.Cls.meth`` for ``pkg.Cls``), or a removal/move of
  an enclosing module or class that covers it?

It prints per-pair lines, recall and precision of the major verdict, recall
of the named breaks, and every major change reported on a compatible pair
(a false positive) with its kind, path and message. Always exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import release_corpus
from release_corpus import ReleasePair

__all__ = ['PairResult', 'judge_pair', 'main', 'match_breaks']

DATA_DIR = pathlib.Path(__file__).resolve().parent / '.data'
CACHE_DIR = DATA_DIR / 'cache'

# Change kinds that remove or relocate a whole object, and so cover
# everything inside it.
_COVERING_KINDS = frozenset({
    'module-removed', 'name-removed', 'name-moved', 'kind-changed',
    'removed-after-deprecation', 'removed-without-deprecation',
    'method-removed', 'attribute-removed', 'property-removed',
})
# Kinds about the distribution as a whole: their path says nothing about
# which object broke.
_DIST_KINDS = frozenset({
    'requires-python-narrowed', 'requires-python-widened', 'extra-removed',
    'extra-added', 'entry-point-removed', 'entry-point-added',
    'entry-point-changed', 'incomplete-snapshot',
})


def _value(obj: Any) -> str:
    return str(getattr(obj, 'value', obj))


def _is_major(change: Any) -> bool:
    return _value(change.severity) == 'major'


def _active(diff: Any) -> tuple[Any, ...]:
    active = getattr(diff, 'active', None)
    return tuple(active) if active is not None else tuple(diff.changes)


def _relates(change: Any, path: str) -> str | None:
    """How ``change`` bears on ``path``: 'exact', 'inside', 'covers'."""
    kind = _value(change.kind)
    if kind in _DIST_KINDS:
        return None
    for cpath in (change.path, *getattr(change, 'also', ())):
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
    """Split ``pair``'s expected breaks into found and missed.

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

    @property
    def verdict_ok(self) -> bool:
        """Whether the major verdict matches the corpus."""
        return self.got_major is self.pair.expected_major

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            'name': self.pair.name, 'old': self.pair.old,
            'new': self.pair.new,
            'expected_major': self.pair.expected_major,
            'got_major': self.got_major,
            'required_bump': self.required_bump,
            'expected_breaks': [list(s) for s in self.pair.expected_breaks],
            'found': self.found, 'missed': self.missed, 'near': self.near,
            'major_changes': self.major_changes,
            'change_count': self.change_count, 'complete': self.complete,
            'seconds': round(self.seconds, 2), 'error': self.error,
        }


def _change_json(change: Any) -> dict[str, Any]:
    return {
        'kind': _value(change.kind), 'path': change.path,
        'severity': _value(change.severity), 'message': change.message,
        'new_path': getattr(change, 'new_path', None),
    }


def _diff(old: Any, new: Any) -> Any:
    try:
        from symbiosis.api.differ import diff_snapshots
    except ImportError:
        from symbiosis import api

        return api.diff(old, new)
    return diff_snapshots(old, new)


def judge_pair(pair: ReleasePair, config: Any) -> PairResult:
    """Load, diff and score one pair."""
    from symbiosis import api

    result = PairResult(pair)
    start = time.perf_counter()
    try:
        old = api.load(f'{pair.name}=={pair.old}', config)
        new = api.load(f'{pair.name}=={pair.new}', config)
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
    return result


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def summarise(results: list[PairResult]) -> dict[str, Any]:
    """Return the verdict and break metrics over ``results``."""
    ran = [r for r in results if r.error is None]
    tp = sum(1 for r in ran if r.pair.expected_major and r.got_major)
    fn = sum(1 for r in ran if r.pair.expected_major and not r.got_major)
    fp = sum(1 for r in ran if not r.pair.expected_major and r.got_major)
    tn = sum(1 for r in ran
             if not r.pair.expected_major and not r.got_major)
    breaks = sum(len(r.pair.expected_breaks) for r in ran)
    found = sum(len(r.found) for r in ran)
    return {
        'pairs': len(results), 'ran': len(ran),
        'errors': len(results) - len(ran),
        'tp': tp, 'fn': fn, 'fp': fp, 'tn': tn,
        'verdict_recall': _ratio(tp, tp + fn),
        'verdict_precision': _ratio(tp, tp + fp),
        'verdict_accuracy': _ratio(tp + tn, len(ran)),
        'breaks_expected': breaks, 'breaks_found': found,
        'break_recall': _ratio(found, breaks),
    }


def _pct(value: float | None) -> str:
    return '-' if value is None else f'{100 * value:.0f}%'


def report(results: list[PairResult], verbose: bool) -> None:
    """Print the per-pair lines, the summary and the details."""
    print(f'{"pair":36} {"expect":6} {"got":6} {"ok":3} {"breaks":>7} '
          f'{"major":>5} {"all":>5} {"sec":>5}')
    for r in results:
        exp = 'major' if r.pair.expected_major else 'compat'
        if r.error:
            print(f'{r.pair.key:36} {exp:6} ERROR  {r.error[:60]}')
            continue
        got = r.required_bump or '-'
        ok = 'ok' if r.verdict_ok else 'NO'
        brk = (f'{len(r.found)}/{len(r.pair.expected_breaks)}'
               if r.pair.expected_breaks else '')
        print(f'{r.pair.key:36} {exp:6} {got:6} {ok:3} {brk:>7} '
              f'{len(r.major_changes):>5} {r.change_count:>5} '
              f'{r.seconds:>5.1f}' + ('' if r.complete in (None, True)
                                      else '  (incomplete snapshot)'))

    s = summarise(results)
    print()
    print(f'pairs {s["pairs"]} (ran {s["ran"]}, errors {s["errors"]}); '
          f'verdict recall {_pct(s["verdict_recall"])} '
          f'({s["tp"]}/{s["tp"] + s["fn"]}), precision '
          f'{_pct(s["verdict_precision"])} ({s["tp"]}/{s["tp"] + s["fp"]}), '
          f'accuracy {_pct(s["verdict_accuracy"])}; named breaks found '
          f'{s["breaks_found"]}/{s["breaks_expected"]} '
          f'({_pct(s["break_recall"])})')

    missed = [r for r in results if r.missed and r.error is None]
    if missed:
        print('\nMissed breaks (and the non-major changes touching them):')
        for r in missed:
            for label in r.missed:
                print(f'  {r.pair.key}: {label}')
                for c in r.near.get(label, [])[:5]:
                    print(f'      {c["severity"]:5} {c["kind"]:28} '
                          f'{c["path"]}  {c["message"]}')

    fps = [r for r in results if r.error is None
           and not r.pair.expected_major and r.major_changes]
    if fps:
        print('\nFalse positives on compatible pairs:')
        for r in fps:
            print(f'  {r.pair.key}:')
            for c in r.major_changes[:40]:
                print(f'      {c["kind"]:28} {c["path"]}  {c["message"]}')
            if len(r.major_changes) > 40:
                print(f'      ... and {len(r.major_changes) - 40} more')

    if verbose:
        print('\nMajor changes on breaking pairs:')
        for r in results:
            if r.error or not r.pair.expected_major:
                continue
            print(f'  {r.pair.key}:')
            for c in r.major_changes[:60]:
                print(f'      {c["kind"]:28} {c["path"]}  {c["message"]}')
            if len(r.major_changes) > 60:
                print(f'      ... and {len(r.major_changes) - 60} more')

    errors = [r for r in results if r.error]
    if errors:
        print('\nErrors:')
        for r in errors:
            print(f'  {r.pair.key}: {r.error}')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', nargs='+', metavar='NAME',
                        help='distribution names to run (default: all)')
    parser.add_argument('--json', metavar='FILE',
                        help='also write the results as JSON')
    parser.add_argument('--verbose', action='store_true',
                        help='list the major changes of breaking pairs too')
    parser.add_argument('--cache-dir', default=str(CACHE_DIR),
                        help='download and extraction cache '
                             '(default: %(default)s)')
    args = parser.parse_args(argv)

    from symbiosis.config import Config

    config = Config.from_environ(cache_dir=pathlib.Path(args.cache_dir))
    pairs = [p for p in release_corpus.CORPUS
             if not args.only or p.name in args.only]
    results = []
    for pair in pairs:
        print(f'{pair.key} ...', file=sys.stderr, flush=True)
        results.append(judge_pair(pair, config))
    report(results, args.verbose)
    if args.json:
        data = {
            'date': time.strftime('%Y-%m-%d'),
            'summary': summarise(results),
            'pairs': [r.to_json() for r in results],
        }
        pathlib.Path(args.json).write_text(json.dumps(data, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
