"""Per-call cost of deprecated functions and classes, and import time.

Run with ``python benchmarks/bench_deprecation.py``. With warnings ignored
(``warnings.simplefilter('ignore')``), it measures in one process the
*overhead* (time per call minus the undecorated call) of:

* a function decorated with ``symbiosis.deprecation.deprecated``,
  ``typing_extensions.deprecated`` and ``debtcollector.removals.remove``;
* instantiating a class decorated with each (``removed_class`` for
  debtcollector).

Targets: symbiosis no worse than typing_extensions (10% measurement
tolerance) and at least 2x lower overhead than debtcollector. Then the
cost of ``import symbiosis.deprecation`` in a fresh interpreter (bytecode
cached in a temporary directory). Prints PASS/FAIL per target; exits 1 if
any fails.
"""

from __future__ import annotations

from collections.abc import Callable
import statistics
import sys
import timeit
from typing import Any
import warnings

from _timing import import_time
import debtcollector.removals
import typing_extensions

from symbiosis.deprecation import deprecated

NUMBER = 200_000
REPEAT = 7
TOLERANCE = 1.10


def plain(x: int) -> int:
    return x


sym_func = deprecated(since='1.0', removal='2.0')(plain)
te_func = typing_extensions.deprecated('plain is deprecated')(plain)
dc_func = debtcollector.removals.remove(version='1.0',
                                        removal_version='2.0')(plain)


class Plain:
    def __init__(self, x: int) -> None:
        self.x = x


def make_class(decorate: Callable[[type[Any]], type[Any]]) -> type[Any]:
    class Decorated:
        def __init__(self, x: int) -> None:
            self.x = x

    return decorate(Decorated)


SymClass = make_class(deprecated(since='1.0', removal='2.0'))
TeClass = make_class(typing_extensions.deprecated('Decorated is deprecated'))
DcClass = make_class(lambda cls: debtcollector.removals.removed_class(
    'Decorated', version='1.0', removal_version='2.0')(cls))


def per_call(func: Callable[[int], Any]) -> float:
    """Best seconds per call of ``func(1)``."""
    timer = timeit.Timer(lambda: func(1))
    return min(timer.repeat(repeat=REPEAT, number=NUMBER)) / NUMBER


def overheads(
    baseline: Callable[[int], Any], candidates: dict[str, Callable[[int], Any]]
) -> dict[str, float]:
    # Interleave the measurements so drifts in machine load hit all.
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(3):
        base = per_call(baseline)
        for name, func in candidates.items():
            samples[name].append(per_call(func) - base)
    return {name: statistics.median(v) for name, v in samples.items()}


def report(title: str, results: dict[str, float]) -> bool:
    sym, te, dc = (results['symbiosis'], results['typing_extensions'],
                   results['debtcollector'])
    print(f'\n{title} (overhead per call, warnings ignored)')
    for name, value in results.items():
        print(f'  {name:<18} {value * 1e9:8.0f} ns')
    vs_te = te / sym if sym > 0 else float('inf')
    vs_dc = dc / sym if sym > 0 else float('inf')
    ok_te = sym <= te * TOLERANCE
    ok_dc = vs_dc >= 2.0
    print(f'  typing_extensions / symbiosis = {vs_te:.2f}x  '
          f"{'PASS' if ok_te else 'FAIL'} (target >= 1.0, 10% tolerance)")
    print(f'  debtcollector / symbiosis     = {vs_dc:.2f}x  '
          f"{'PASS' if ok_dc else 'FAIL'} (target >= 2.0)")
    return ok_te and ok_dc


def main() -> int:
    warnings.simplefilter('ignore')
    ok = report('Function call', overheads(plain, {
        'symbiosis': sym_func,
        'typing_extensions': te_func,
        'debtcollector': dc_func,
    }))
    ok = report('Class instantiation', overheads(Plain, {
        'symbiosis': SymClass,
        'typing_extensions': TeClass,
        'debtcollector': DcClass,
    })) and ok
    print('\nImport time (fresh interpreter, bytecode cached, best of 15)')
    for module in ('symbiosis.deprecation', 'typing_extensions',
                   'debtcollector'):
        print(f'  import {module:<22} {import_time(module):6.2f} ms')
    print(f"\n{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
