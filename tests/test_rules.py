"""One case per change kind: small OLD/NEW snapshots, the change expected.

Each case asserts the kind, path, severity and message of exactly one
change; the cases are turned into one test method each.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from symbiosis.api._changes import Bump
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import ExtractionProblem
from symbiosis.api._model import Snapshot
from symbiosis.api._rules import builtin_rule_classes
from symbiosis.api._settings import ApiSettings
from tests import base
from tests.test_diff_support import alias
from tests.test_diff_support import attr
from tests.test_diff_support import changes_of
from tests.test_diff_support import cls
from tests.test_diff_support import dep
from tests.test_diff_support import diff
from tests.test_diff_support import fn
from tests.test_diff_support import mod
from tests.test_diff_support import p
from tests.test_diff_support import sig
from tests.test_diff_support import snap

K = ChangeKind
MAJOR, MINOR, PATCH, NONE = (
    Bump.MAJOR, Bump.MINOR, Bump.PATCH, Bump.NONE,
)
OBJECT_KINDS = ApiSettings(removal_kinds='object')


def pkg(*members: Any, version: str = '1.0', **kw: Any) -> Snapshot:
    """A one-module snapshot of ``pkg``."""
    return snap(mod('pkg', *members), version=version, **kw)


def _self() -> Any:
    return p('self')


@dataclasses.dataclass(frozen=True)
class Case:
    kind: str
    old: Snapshot
    new: Snapshot
    path: str
    severity: Bump
    message: str
    settings: ApiSettings | None = None
    new_path: str | None = None


def _enum(*members: Any) -> Any:
    return cls('Color', *members, is_enum=True, bases=['enum.Enum'])


def _red(value: str = '1') -> Any:
    return attr('RED', value, enum_member=True)


def _blue() -> Any:
    return attr('BLUE', '2', enum_member=True)


_OVERLOADS = (
    sig(p('x', annotation='int'), returns='int'),
    sig(p('x', annotation='str'), returns='str'),
)
_EPS = {'console_scripts': {'tool': 'pkg.cli:main'}}

CASES: dict[str, Case] = {
    # -- removals -------------------------------------------------------
    'removed_without_deprecation': Case(
        K.REMOVED_WITHOUT_DEPRECATION, pkg(fn('f')), pkg(), 'pkg.f', MAJOR,
        'function pkg.f was removed without any prior deprecation',
    ),
    'removed_after_deprecation': Case(
        K.REMOVED_AFTER_DEPRECATION, pkg(fn('f', deprecation=dep())), pkg(),
        'pkg.f', MAJOR,
        'function pkg.f was removed after deprecation since 1.4 '
        '(removal planned in 2.0)',
    ),
    'module_removed': Case(
        K.MODULE_REMOVED,
        snap(mod('pkg'), mod('pkg.sub', fn('g'))), snap(mod('pkg')),
        'pkg.sub', MAJOR,
        'module pkg.sub was removed without any prior deprecation',
        settings=OBJECT_KINDS,
    ),
    'name_removed': Case(
        K.NAME_REMOVED, pkg(cls('Foo', fn('m', _self()))), pkg(), 'pkg.Foo',
        MAJOR, 'class pkg.Foo was removed without any prior deprecation',
        settings=OBJECT_KINDS,
    ),
    'method_removed': Case(
        K.METHOD_REMOVED, pkg(cls('C', fn('m', _self()))), pkg(cls('C')),
        'pkg.C.m', MAJOR,
        'method pkg.C.m was removed without any prior deprecation',
        settings=OBJECT_KINDS,
    ),
    'attribute_removed': Case(
        K.ATTRIBUTE_REMOVED, pkg(cls('C', attr('x', '1'))), pkg(cls('C')),
        'pkg.C.x', MAJOR,
        'attribute pkg.C.x was removed without any prior deprecation',
        settings=OBJECT_KINDS,
    ),
    'property_removed': Case(
        K.PROPERTY_REMOVED,
        pkg(cls('C', fn('size', _self(), decorators={'property'}))),
        pkg(cls('C')), 'pkg.C.size', MAJOR,
        'property pkg.C.size was removed without any prior deprecation',
        settings=OBJECT_KINDS,
    ),
    'name_moved': Case(
        K.NAME_MOVED,
        snap(mod('pkg', cls('Error', fn('code', _self())))),
        snap(mod('pkg'), mod('pkg.errors', cls('Error', fn('code', _self())))),
        'pkg.Error', MAJOR, 'pkg.Error moved to pkg.errors.Error',
        new_path='pkg.errors.Error',
    ),
    'name_relocated': Case(
        K.NAME_RELOCATED,
        snap(mod('pkg'), mod('pkg.core', fn('parse', p('text')))),
        snap(mod('pkg'),
             mod('pkg.core', alias('parse', 'pkg.parsing.parse'),
                 exports=[]),
             mod('pkg.parsing', fn('parse', p('text')))),
        'pkg.core.parse', PATCH,
        'pkg.core.parse now lives at pkg.parsing.parse; the old path '
        'still resolves',
        new_path='pkg.parsing.parse',
    ),
    'name_unexported': Case(
        K.NAME_UNEXPORTED, pkg(fn('f'), fn('g')),
        snap(mod('pkg', fn('f'), fn('g'), exports=['f'])), 'pkg.g', MINOR,
        'pkg.g is no longer exported; the path still resolves',
    ),
    # -- additions and kinds -----------------------------------------------
    'name_added': Case(
        K.NAME_ADDED, pkg(), pkg(fn('g', p('x'))), 'pkg.g', MINOR,
        'function pkg.g was added',
    ),
    'module_added': Case(
        K.MODULE_ADDED, snap(mod('pkg')),
        snap(mod('pkg'), mod('pkg.sub', fn('g'))), 'pkg.sub', MINOR,
        'module pkg.sub was added',
    ),
    'kind_changed': Case(
        K.KIND_CHANGED, pkg(cls('Foo')), pkg(fn('Foo')), 'pkg.Foo', MAJOR,
        'pkg.Foo changed from a class to a function',
    ),
    'incomplete_snapshot': Case(
        K.INCOMPLETE_SNAPSHOT, pkg(fn('f')),
        snap(mod('pkg', errors=(ExtractionProblem(
            'pkg/__init__.py', 'invalid syntax', 3, 'pkg'),)), version='2.0'),
        'pkg', NONE,
        'module pkg of pkg 2.0 could not be read fully '
        '(pkg/__init__.py:3: invalid syntax); 1 public name missing from '
        'it may still exist',
    ),
    # -- parameters --------------------------------------------------------
    'parameter_removed': Case(
        K.PARAMETER_REMOVED, pkg(fn('f', p('a'), p('b'))),
        pkg(fn('f', p('a'))), 'pkg.f', MAJOR,
        "parameter 'b' of pkg.f was removed",
    ),
    'parameter_added_required': Case(
        K.PARAMETER_ADDED_REQUIRED, pkg(fn('f', p('a'))),
        pkg(fn('f', p('a'), p('b'))), 'pkg.f', MAJOR,
        "required parameter 'b' was added to pkg.f",
    ),
    'parameter_added_optional': Case(
        K.PARAMETER_ADDED_OPTIONAL, pkg(fn('f', p('a'))),
        pkg(fn('f', p('a'), p('b', default='None'))), 'pkg.f', MINOR,
        "optional parameter 'b' (default None) was added to pkg.f",
    ),
    'parameter_renamed': Case(
        K.PARAMETER_RENAMED, pkg(fn('f', p('a'))), pkg(fn('f', p('x'))),
        'pkg.f', MAJOR, "parameter 'a' of pkg.f was renamed to 'x'",
    ),
    'parameter_reordered': Case(
        K.PARAMETER_REORDERED, pkg(fn('f', p('a'), p('b'))),
        pkg(fn('f', p('b'), p('a'))), 'pkg.f', MAJOR,
        'positional parameters of pkg.f were reordered: (a, b) -> (b, a)',
    ),
    'parameter_kind_changed': Case(
        K.PARAMETER_KIND_CHANGED, pkg(fn('f', p('a'))),
        pkg(fn('f', p('a', 'ko'))), 'pkg.f', MAJOR,
        "parameter 'a' of pkg.f changed from positional-or-keyword to "
        'keyword-only',
    ),
    'parameter_default_removed': Case(
        K.PARAMETER_DEFAULT_REMOVED, pkg(fn('f', p('a', default='1'))),
        pkg(fn('f', p('a'))), 'pkg.f', MAJOR,
        "parameter 'a' of pkg.f no longer has a default (was 1); callers "
        'must pass it',
    ),
    'parameter_default_added': Case(
        K.PARAMETER_DEFAULT_ADDED, pkg(fn('f', p('a'))),
        pkg(fn('f', p('a', default='1'))), 'pkg.f', MINOR,
        "parameter 'a' of pkg.f now has a default (1)",
    ),
    'parameter_default_changed': Case(
        K.PARAMETER_DEFAULT_CHANGED, pkg(fn('f', p('a', default='1'))),
        pkg(fn('f', p('a', default='2'))), 'pkg.f', MINOR,
        "default of parameter 'a' of pkg.f changed from 1 to 2",
    ),
    'var_positional_removed': Case(
        K.VAR_POSITIONAL_REMOVED, pkg(fn('f', p('args', '*'))), pkg(fn('f')),
        'pkg.f', MAJOR, 'pkg.f no longer accepts *args',
    ),
    'var_keyword_removed': Case(
        K.VAR_KEYWORD_REMOVED, pkg(fn('f', p('kw', '**'))), pkg(fn('f')),
        'pkg.f', MAJOR, 'pkg.f no longer accepts **kw',
    ),
    # -- functions -------------------------------------------------------
    'async_changed': Case(
        K.ASYNC_CHANGED, pkg(fn('f')), pkg(fn('f', is_async=True)), 'pkg.f',
        MAJOR, 'pkg.f is now async (was sync)',
    ),
    'return_annotation_changed': Case(
        K.RETURN_ANNOTATION_CHANGED, pkg(fn('f', returns='int')),
        pkg(fn('f', returns='str')), 'pkg.f', PATCH,
        'return annotation of pkg.f changed from int to str',
    ),
    'overload_removed': Case(
        K.OVERLOAD_REMOVED,
        pkg(fn('f', p('x'), p('strict', default='False'), overloads=(
            _OVERLOADS[0],
            sig(p('x', annotation='str'), p('strict', default='False'),
                returns='str'),
        ))),
        pkg(fn('f', p('x'), overloads=_OVERLOADS[:1])), 'pkg.f', MAJOR,
        'overload (x: str, strict=False) -> str of pkg.f was removed',
    ),
    'overload_added': Case(
        K.OVERLOAD_ADDED, pkg(fn('f', p('x'), overloads=_OVERLOADS[:1])),
        pkg(fn('f', p('x'), overloads=_OVERLOADS)), 'pkg.f', MINOR,
        'overload (x: str) -> str of pkg.f was added',
    ),
    # -- classes ---------------------------------------------------------
    'class_base_removed': Case(
        K.CLASS_BASE_REMOVED, pkg(cls('E', bases=['ValueError'])),
        pkg(cls('E', bases=['Exception'])), 'pkg.E', MAJOR,
        'class pkg.E no longer derives from ValueError',
    ),
    'class_base_added': Case(
        K.CLASS_BASE_ADDED, pkg(cls('E', bases=['ValueError'])),
        pkg(cls('E', bases=['ValueError', 'builtins.KeyError'])), 'pkg.E',
        MINOR, 'class pkg.E now also derives from builtins.KeyError',
    ),
    'method_kind_changed': Case(
        K.METHOD_KIND_CHANGED, pkg(cls('C', fn('m', _self()))),
        pkg(cls('C', fn('m', decorators={'staticmethod'}))), 'pkg.C.m',
        MAJOR, 'pkg.C.m changed from an instance method to a static method',
    ),
    'final_added': Case(
        K.FINAL_ADDED, pkg(cls('C')), pkg(cls('C', decorators={'final'})),
        'pkg.C', MINOR,
        'class pkg.C is now final; type checkers reject subclasses',
    ),
    'abstract_method_added': Case(
        K.ABSTRACT_METHOD_ADDED, pkg(cls('Base', bases=['abc.ABC'])),
        pkg(cls('Base', fn('run', _self(), decorators={'abstractmethod'}),
                bases=['abc.ABC'])),
        'pkg.Base.run', MAJOR,
        'abstract method pkg.Base.run was added; subclasses must '
        'implement it',
    ),
    # -- enums and constants -----------------------------------------------
    'enum_member_removed': Case(
        K.ENUM_MEMBER_REMOVED, pkg(_enum(_red(), _blue())),
        pkg(_enum(_red())), 'pkg.Color.BLUE', MAJOR,
        'enum member pkg.Color.BLUE was removed without any prior '
        'deprecation',
    ),
    'enum_member_value_changed': Case(
        K.ENUM_MEMBER_VALUE_CHANGED, pkg(_enum(_red())),
        pkg(_enum(_red("'red'"))), 'pkg.Color.RED', MAJOR,
        "value of enum member pkg.Color.RED changed from 1 to 'red'",
    ),
    'enum_member_added': Case(
        K.ENUM_MEMBER_ADDED, pkg(_enum(_red())), pkg(_enum(_red(), _blue())),
        'pkg.Color.BLUE', MINOR, 'enum member pkg.Color.BLUE was added',
    ),
    'constant_value_changed': Case(
        K.CONSTANT_VALUE_CHANGED, pkg(attr('TIMEOUT', '10')),
        pkg(attr('TIMEOUT', '30')), 'pkg.TIMEOUT', MINOR,
        'value of constant pkg.TIMEOUT changed from 10 to 30',
    ),
    # -- metadata ----------------------------------------------------------
    'requires_python_narrowed': Case(
        K.REQUIRES_PYTHON_NARROWED, pkg(requires_python='>=3.8'),
        pkg(requires_python='>=3.10'), 'pkg', MINOR,
        "Requires-Python of pkg narrowed from '>=3.8' to '>=3.10': Python "
        '3.8, 3.9 no longer supported',
    ),
    'requires_python_widened': Case(
        K.REQUIRES_PYTHON_WIDENED, pkg(requires_python='>=3.10'),
        pkg(requires_python='>=3.9'), 'pkg', MINOR,
        "Requires-Python of pkg widened from '>=3.10' to '>=3.9': Python "
        '3.9 now supported',
    ),
    'extra_removed': Case(
        K.EXTRA_REMOVED, pkg(extras=('async', 'cli')), pkg(extras=('cli',)),
        'pkg[async]', MAJOR, "extra 'async' of pkg was removed",
    ),
    'extra_added': Case(
        K.EXTRA_ADDED, pkg(), pkg(extras=('async',)), 'pkg[async]', MINOR,
        "extra 'async' of pkg was added",
    ),
    'entry_point_removed': Case(
        K.ENTRY_POINT_REMOVED, pkg(entry_points=_EPS), pkg(),
        'console_scripts:tool', MAJOR,
        "entry point 'tool' in group console_scripts was removed "
        '(was pkg.cli:main)',
    ),
    'entry_point_added': Case(
        K.ENTRY_POINT_ADDED, pkg(), pkg(entry_points=_EPS),
        'console_scripts:tool', MINOR,
        "entry point 'tool' in group console_scripts was added "
        '(pkg.cli:main)',
    ),
    'entry_point_changed': Case(
        K.ENTRY_POINT_CHANGED, pkg(entry_points=_EPS),
        pkg(entry_points={'console_scripts': {'tool': 'pkg.main:run'}}),
        'console_scripts:tool', PATCH,
        "entry point 'tool' in group console_scripts now points to "
        'pkg.main:run (was pkg.cli:main)',
    ),
    # -- deprecations ------------------------------------------------------
    'deprecated_added': Case(
        K.DEPRECATED_ADDED, pkg(fn('f')),
        pkg(fn('f', deprecation=dep('1.5', '2.0', replacement='pkg.g'))),
        'pkg.f', MINOR,
        'function pkg.f is newly deprecated since 1.5 (removal planned in '
        '2.0); use pkg.g instead',
    ),
}


class TestEachKind(base.TestCase):
    """Generated: ``test_<case>`` for every entry of :data:`CASES`."""

    def check_case(self, case: Case) -> None:
        result = diff(case.old, case.new, case.settings)
        found = changes_of(result, case.kind)
        self.assertEqual(
            1, len(found),
            f'{case.kind}: {[c.to_json() for c in result.changes]}',
        )
        change = found[0]
        self.assertEqual(case.path, change.path)
        self.assertEqual(case.severity, change.severity)
        self.assertEqual(case.message, change.message)
        self.assertEqual(case.new_path, change.new_path)
        self.assertIsNone(change.suppressed)


def _make_test(case: Case) -> Any:
    def test(self: TestEachKind) -> None:
        self.check_case(case)

    return test


for _name, _case in CASES.items():
    setattr(TestEachKind, f'test_{_name}', _make_test(_case))


class TestCoverage(base.TestCase):
    """Every built-in kind has a case above, and a rule."""

    def test_every_kind_has_a_case(self) -> None:
        covered = {str(c.kind) for c in CASES.values()}
        self.assertEqual(set(), {k.value for k in ChangeKind} - covered)

    def test_every_kind_has_exactly_one_rule(self) -> None:
        kinds = [c.kind for c in builtin_rule_classes()]
        self.assertEqual(len(kinds), len(set(kinds)))
        self.assertEqual({k.value for k in ChangeKind}, set(kinds))
        self.assertGreaterEqual(len(kinds), 40)

    def test_every_rule_is_documented_with_an_example(self) -> None:
        for rule in builtin_rule_classes():
            self.assertIn('Example', rule.__doc__ or '', rule.__name__)
            self.assertTrue(rule.description, rule.__name__)


class TestOverloadMatching(base.TestCase):
    def test_refined_annotations_are_the_same_overload(self) -> None:
        old = pkg(fn('f', p('x'), overloads=(
            sig(p('x', annotation='t.Iterable'), returns='str'),
            sig(p('x', annotation='int'), p('y', default='0'),
                returns='int'),
        )))
        new = pkg(fn('f', p('x'), overloads=(
            sig(p('x', annotation='t.Iterable[t.Any]'), returns='str'),
            sig(p('x', annotation='int'), p('y', default='0'),
                returns='int'),
        )))
        result = diff(old, new)
        self.assertEqual([], changes_of(result, K.OVERLOAD_REMOVED.value))
        self.assertEqual([], changes_of(result, K.OVERLOAD_ADDED.value))

    def test_a_variant_whose_calls_still_bind_is_minor(self) -> None:
        old = pkg(fn('f', p('x'), overloads=_OVERLOADS))
        new = pkg(fn('f', p('x'), overloads=_OVERLOADS[:1]))
        [removed] = changes_of(diff(old, new), K.OVERLOAD_REMOVED.value)
        self.assertEqual(MINOR, removed.severity)
        self.assertIn('every call it described is still accepted',
                      removed.message)
        # Folded into one signature (no overloads left): the same.
        folded = pkg(fn('f', p('x', annotation='int | str')))
        removed = changes_of(diff(old, folded), K.OVERLOAD_REMOVED.value)
        self.assertEqual([MINOR, MINOR], [c.severity for c in removed])

    def test_a_dropped_variant_is_still_a_removal(self) -> None:
        old = pkg(fn('f', p('x'), overloads=(
            sig(p('x', annotation='bytes'), returns='str'),
            sig(p('x', annotation='str'), p('strict', default='False'),
                returns='str'),
        )))
        new = pkg(fn('f', p('x'), overloads=(
            sig(p('x', annotation='bytes'), returns='str'),
        )))
        removed = changes_of(diff(old, new), K.OVERLOAD_REMOVED.value)
        self.assertEqual(1, len(removed))
        self.assertIn('strict', removed[0].message)
