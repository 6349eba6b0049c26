"""The floor plan holds: packages import downwards only, never in a cycle.

Run as a script to print the package import graph::

    python -m tests.test_architecture

Every import counts -- at module level, inside functions (lazy imports)
and under ``if TYPE_CHECKING:`` -- because each is a dependency a reader
has to follow and a refactoring has to respect.

Modules stay small, too: one past :data:`MAX_MODULE_LINES` lines is split
by concern, unless it is in :data:`LONG_MODULES` with the reason it must
stay whole.
"""

from __future__ import annotations

import ast
import collections
import pathlib
import sys

from tests import base

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / 'symbiosis'

#: Each unit (a subpackage, or a top-level module) and the layer it sits
#: in. A unit may import units of strictly lower layers only (and itself);
#: the core's modules may also import one another.
LAYERS = {
    'cli': 7,
    'fixtures': 7,
    'constraints': 6,
    'store': 5,
    'gate': 4,
    'probes': 3,
    'usage': 3,
    'release': 3,
    'api': 2,
    'sources': 1,
    'deprecation': 1,
    # The core: configuration, errors and the internal toolbox.
    '__init__': 0,
    'config': 0,
    'exception': 0,
}

_CORE = 0

#: The most lines a module under symbiosis/ may have; past it, split the
#: module by concern.
MAX_MODULE_LINES = 500

#: Modules allowed past :data:`MAX_MODULE_LINES`, each with its reason.
LONG_MODULES = frozenset({
    # Run as a script, by path, inside target environments: it must stay
    # one file that imports nothing but the standard library.
    'symbiosis/probes/_worker.py',
})


def unit_of(module: str) -> str:
    """``symbiosis.api._model`` -> ``api``; top-level modules are units."""
    parts = module.split('.')
    return parts[1] if len(parts) > 1 else '__init__'


def layer_of(unit: str) -> int:
    # Private top-level modules (_settings, _plugins, _process...) are the
    # internal toolbox: the core layer.
    return LAYERS.get(unit, _CORE if unit.startswith('_') else -1)


def import_graph() -> dict[str, dict[str, list[str]]]:
    """unit -> imported unit -> ``file:line`` of each import."""
    graph: dict[str, dict[str, list[str]]] = collections.defaultdict(
        lambda: collections.defaultdict(list))
    for path in sorted(PACKAGE.rglob('*.py')):
        rel = path.relative_to(ROOT)
        if rel.parts[1] == 'examples':
            continue
        parts = list(rel.with_suffix('').parts)
        if parts[-1] == '__init__':
            parts.pop()
        source = unit_of('.'.join(parts))
        tree = ast.parse(path.read_bytes(), str(rel))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                module = node.module or ''
                if module == 'symbiosis':
                    targets = [f'symbiosis.{a.name}' for a in node.names]
                else:
                    targets = [module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if not target.startswith('symbiosis.'):
                    continue
                unit = unit_of(target)
                if unit != source:
                    graph[source][unit].append(f'{rel}:{node.lineno}')
    return graph


def module_lengths(root: pathlib.Path = ROOT) -> dict[str, int]:
    """``symbiosis/...py`` (POSIX, relative to ``root``) -> its lines."""
    return {
        path.relative_to(root).as_posix(): len(
            path.read_bytes().splitlines())
        for path in sorted((root / 'symbiosis').rglob('*.py'))
    }


def long_modules(
    lengths: dict[str, int], allowed: frozenset[str] = LONG_MODULES
) -> list[str]:
    """The modules past :data:`MAX_MODULE_LINES` not in ``allowed``."""
    return [
        f'{rel}: {count} lines' for rel, count in sorted(lengths.items())
        if count > MAX_MODULE_LINES and rel not in allowed
    ]


def format_graph(graph: dict[str, dict[str, list[str]]]) -> str:
    lines = []
    for unit in sorted(graph, key=lambda u: (-layer_of(u), u)):
        targets = ', '.join(sorted(graph[unit],
                                   key=lambda u: (-layer_of(u), u)))
        lines.append(f'{unit} (layer {layer_of(unit)}) -> {targets}')
    return '\n'.join(lines)


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Strongly connected components with more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(unit: str) -> None:
        index[unit] = low[unit] = len(index)
        stack.append(unit)
        on_stack.add(unit)
        for other in graph.get(unit, {}):
            if other not in index:
                visit(other)
                low[unit] = min(low[unit], low[other])
            elif other in on_stack:
                low[unit] = min(low[unit], index[other])
        if low[unit] == index[unit]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == unit:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for unit in sorted(graph):
        if unit not in index:
            visit(unit)
    return found


class TestFloorPlan(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.graph = import_graph()

    def test_every_unit_has_a_layer(self) -> None:
        units = set(self.graph) | {u for t in self.graph.values() for u in t}
        self.assertEqual([], sorted(u for u in units if layer_of(u) < 0),
                         'add the new package to LAYERS')

    def test_no_cycle_between_packages(self) -> None:
        self.assertEqual([], cycles(self.graph), format_graph(self.graph))

    def test_packages_import_downwards_only(self) -> None:
        upward = [
            f'{source} -> {target}: {", ".join(where[:3])}'
            for source, targets in sorted(self.graph.items())
            for target, where in sorted(targets.items())
            if layer_of(target) >= layer_of(source)
            # The core's modules may use one another (without a cycle).
            and not layer_of(source) == layer_of(target) == _CORE
        ]
        self.assertEqual([], upward, format_graph(self.graph))

    def test_cycle_detection_sees_a_cycle(self) -> None:
        # The check itself can fail: a two-package loop is reported.
        graph = {'api': {'deprecation': ['x:1']},
                 'deprecation': {'api': ['y:2']},
                 'cli': {'api': ['z:3']}}
        self.assertEqual([['api', 'deprecation']], cycles(graph))



class TestModuleSize(base.TestCase):

    def test_modules_stay_small(self) -> None:
        self.assertEqual(
            [], long_modules(module_lengths()),
            f'split modules past {MAX_MODULE_LINES} lines by concern')

    def test_long_modules_are_still_long(self) -> None:
        # An entry left behind once its module was split would let the
        # module grow back unnoticed.
        lengths = module_lengths()
        stale = [rel for rel in sorted(LONG_MODULES)
                 if lengths.get(rel, 0) <= MAX_MODULE_LINES]
        self.assertEqual([], stale, 'remove them from LONG_MODULES')

    def test_a_long_module_is_reported(self) -> None:
        # The check itself can fail: a real file one line too long is
        # reported, unless it is allowed.
        package = self.tmp / 'symbiosis'
        package.mkdir()
        (package / 'big.py').write_text(
            'x = 1\n' * (MAX_MODULE_LINES + 1))
        (package / 'small.py').write_text('x = 1\n' * MAX_MODULE_LINES)
        lengths = module_lengths(self.tmp)
        self.assertEqual(
            [f'symbiosis/big.py: {MAX_MODULE_LINES + 1} lines'],
            long_modules(lengths, frozenset()))
        self.assertEqual(
            [], long_modules(lengths, frozenset({'symbiosis/big.py'})))


if __name__ == '__main__':
    sys.stdout.write(format_graph(import_graph()) + '\n')
