"""Behaviour of the diff beyond single kinds: pairing, moves, unknowns,
settings, ordering, JSON and text rendering, speed.
"""

from __future__ import annotations

import time

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._changes import ChangeKind
from symbiosis.api._differ import diff_snapshots
from symbiosis.api._differ import load_rules
from symbiosis.api._differ import settings_from_config
from symbiosis.api._model import Location
from symbiosis.api._model import Parameter
from symbiosis.api._model import Snapshot
from symbiosis.api._report import format_change
from symbiosis.api._report import format_diff_text
from symbiosis.api._rules import builtin_rules
from symbiosis.api._settings import ApiSettings
from symbiosis.api._settings import Suppression
from symbiosis.config import Config
from tests import base
from tests.test_diff_support import alias
from tests.test_diff_support import attr
from tests.test_diff_support import changes_of
from tests.test_diff_support import cls
from tests.test_diff_support import dep
from tests.test_diff_support import diff
from tests.test_diff_support import fn
from tests.test_diff_support import kinds
from tests.test_diff_support import mod
from tests.test_diff_support import p
from tests.test_diff_support import snap

K = ChangeKind


class TestSurface(base.TestCase):
    """What is compared, and what is not reported twice."""

    def test_identical_snapshots_have_no_changes(self) -> None:
        old = snap(mod('pkg', fn('f', p('a')), cls('C', fn('m', p('self')))))
        result = diff(old, old)
        self.assertEqual((), result.changes)
        self.assertEqual(Bump.NONE, result.required_bump)
        self.assertFalse(result.fails('patch'))

    def test_removed_class_is_reported_once(self) -> None:
        old = snap(mod('pkg', cls('C', fn('a', p('self')), attr('x', '1'))))
        result = diff(old, snap(mod('pkg')))
        self.assertEqual(['pkg.C'], [c.path for c in result.changes])

    def test_removed_module_is_reported_once(self) -> None:
        old = snap(mod('pkg'), mod('pkg.sub', fn('f'), cls('C')))
        result = diff(old, snap(mod('pkg')))
        self.assertEqual(['pkg.sub'], [c.path for c in result.changes])
        self.assertEqual(
            'module pkg.sub was removed without any prior deprecation',
            result.changes[0].message,
        )

    def test_method_removal_inherits_class_deprecation(self) -> None:
        old = snap(mod('pkg', cls('C', fn('m', p('self')),
                                  deprecation=dep('1.1', None))))
        new = snap(mod('pkg', cls('C', deprecation=dep('1.1', None))))
        [change] = diff(old, new).changes
        self.assertEqual(K.REMOVED_AFTER_DEPRECATION, change.kind)
        self.assertEqual(
            'method pkg.C.m was removed after deprecation since 1.1',
            change.message,
        )

    def test_alias_target_moved_but_path_resolves(self) -> None:
        old = snap(
            mod('pkg', alias('Client', 'pkg._a.Client')),
            mod('pkg._a', cls('Client', fn('get', p('self'), p('url')))),
        )
        new = snap(
            mod('pkg', alias('Client', 'pkg._b.Client')),
            mod('pkg._b', cls('Client', fn('get', p('self'), p('url')))),
        )
        self.assertEqual((), diff(old, new).changes)

    def test_object_under_two_paths_reported_once(self) -> None:
        def version(*params: Parameter) -> Snapshot:
            return snap(
                mod('pkg', alias('f', 'pkg._impl.f')),
                mod('pkg.api', alias('f', 'pkg._impl.f')),
                mod('pkg._impl', fn('f', *params)),
            )

        result = diff(version(p('a'), p('b')), version(p('a')))
        self.assertEqual(
            [(K.PARAMETER_REMOVED, 'pkg.f')],
            [(c.kind, c.path) for c in result.changes],
        )

    def test_name_dropped_from_all_but_defined_still_resolves(self) -> None:
        old = snap(mod('pkg', fn('f'), fn('g')))
        new = snap(mod('pkg', fn('f'), fn('g'), exports=['f']))
        [change] = diff(old, new).changes
        self.assertEqual(('pkg.g', K.NAME_UNEXPORTED, Bump.MINOR),
                         (change.path, change.kind, change.severity))

    def test_name_dropped_from_all_and_undefined_is_removed(self) -> None:
        old = snap(mod('pkg', fn('f'), fn('g')))
        new = snap(mod('pkg', fn('f'), exports=['f']))
        [change] = diff(old, new).changes
        self.assertEqual(('pkg.g', K.REMOVED_WITHOUT_DEPRECATION),
                         (change.path, change.kind))

    def test_external_alias_children_not_compared(self) -> None:
        old = snap(mod('pkg', cls('OrderedDict', fn('x', p('self')))))
        new = snap(mod('pkg', alias('OrderedDict', 'collections.OrderedDict',
                                    internal=False)))
        self.assertEqual((), diff(old, new).changes)

    def test_ignore_modules(self) -> None:
        old = snap(mod('pkg'), mod('pkg.vendor', fn('f')),
                   mod('pkg.vendor.six', fn('g')))
        new = snap(mod('pkg'))
        settings = ApiSettings(ignore_modules=('pkg.vendor',))
        self.assertEqual((), diff(old, new, settings).changes)


class TestUnknown(base.TestCase):
    """Names of unreadable modules are unknown, never removed."""

    def test_opaque_getattr_hides_removal(self) -> None:
        old = snap(mod('pkg', fn('f'), fn('g')))
        new = snap(mod('pkg', fn('g'), has_getattr=True,
                       getattr_opaque=True), version='2.0')
        result = diff(old, new)
        self.assertEqual({K.INCOMPLETE_SNAPSHOT: 1}, dict(kinds(result)))
        self.assertIn('module __getattr__', result.changes[0].message)
        self.assertEqual(Bump.NONE, result.required_bump)

    def test_closed_getattr_hides_nothing(self) -> None:
        old = snap(mod('pkg', fn('f'), fn('g')))
        new = snap(mod('pkg', fn('g'), has_getattr=True), version='2.0')
        self.assertEqual({K.REMOVED_WITHOUT_DEPRECATION: 1},
                         dict(kinds(diff(old, new))))

    def test_getattr_never_hides_a_removed_submodule(self) -> None:
        old = snap(mod('pkg'), mod('pkg.sub', fn('f')))
        new = snap(mod('pkg', has_getattr=True, getattr_opaque=True))
        [change] = diff(old, new).changes
        self.assertEqual(('pkg.sub', K.REMOVED_WITHOUT_DEPRECATION),
                         (change.path, change.kind))

    def test_getattr_without_effect_is_silent(self) -> None:
        old = snap(mod('pkg', fn('g'), has_getattr=True,
                       getattr_opaque=True))
        self.assertEqual((), diff(old, old).changes)

    def test_opaque_module(self) -> None:
        old = snap(mod('pkg'), mod('pkg.fast', fn('f')))
        new = snap(mod('pkg'), mod('pkg.fast', opaque=True))
        result = diff(old, new)
        self.assertEqual([K.INCOMPLETE_SNAPSHOT],
                         [c.kind for c in result.changes])
        self.assertFalse(result.complete)

    def test_reexport_from_broken_module_is_unknown(self) -> None:
        from symbiosis.api._model import ExtractionProblem

        error = ExtractionProblem('pkg/_impl.py', 'invalid syntax', 2,
                                'pkg._impl')
        old = snap(mod('pkg', alias('f', 'pkg._impl.f')),
                   mod('pkg._impl', fn('f')))
        new = snap(mod('pkg', alias('f', 'pkg._impl.f')),
                   mod('pkg._impl', errors=(error,)))
        result = diff(old, new)
        self.assertEqual([(K.INCOMPLETE_SNAPSHOT, 'pkg._impl')],
                         [(c.kind, c.path) for c in result.changes])

    def test_incomplete_old_side_hides_additions(self) -> None:
        old = snap(mod('pkg', opaque=True))
        new = snap(mod('pkg', fn('f')))
        result = diff(old, new)
        self.assertEqual([K.INCOMPLETE_SNAPSHOT],
                         [c.kind for c in result.changes])
        self.assertIn('may already exist', result.changes[0].message)


class TestMoves(base.TestCase):

    def test_move_suppresses_removal_and_addition(self) -> None:
        old = snap(mod('pkg', fn('helper', p('x'))))
        new = snap(mod('pkg'), mod('pkg.util', fn('helper', p('x'))))
        result = diff(old, new)
        self.assertEqual(
            {K.NAME_MOVED: 1, K.MODULE_ADDED: 1}, dict(kinds(result))
        )

    def test_different_shape_is_not_a_move(self) -> None:
        old = snap(mod('pkg'), mod('pkg.a', fn('helper', p('x'))))
        new = snap(mod('pkg'), mod('pkg.a'),
                   mod('pkg.b', fn('helper', p('y'), p('z'))))
        result = diff(old, new)
        self.assertEqual([], changes_of(result, K.NAME_MOVED))
        self.assertEqual(1, len(changes_of(
            result, K.REMOVED_WITHOUT_DEPRECATION)))

    def test_class_move_tolerates_some_member_changes(self) -> None:
        members = [fn(n, p('self')) for n in ('a', 'b', 'c')]
        old = snap(mod('pkg', cls('Thing', *members)))
        new = snap(mod('pkg'), mod('pkg.things', cls(
            'Thing', *members[:2], fn('d', p('self')))))
        [moved] = changes_of(diff(old, new), K.NAME_MOVED)
        self.assertEqual('pkg.things.Thing', moved.new_path)
        self.assertEqual(
            Location('pkg/__init__.py', 1), moved.location
        )


class TestParameters(base.TestCase):

    def test_positional_only_rename_is_not_a_change(self) -> None:
        old = snap(mod('pkg', fn('f', p('a', 'po'))))
        new = snap(mod('pkg', fn('f', p('b', 'po'))))
        self.assertEqual((), diff(old, new).changes)

    def test_optional_inserted_before_positional_is_major(self) -> None:
        old = snap(mod('pkg', fn('f', p('a'), p('b', default='1'))))
        new = snap(mod('pkg', fn('f', p('a'), p('x', default='None'),
                                 p('b', default='1'))))
        [change] = diff(old, new).changes
        self.assertEqual(K.PARAMETER_ADDED_OPTIONAL, change.kind)
        self.assertEqual(Bump.MAJOR, change.severity)
        self.assertIn("before 'b'", change.message)

    def test_keyword_only_to_positional_is_minor(self) -> None:
        old = snap(mod('pkg', fn('f', p('a', 'ko'))))
        new = snap(mod('pkg', fn('f', p('a'))))
        [change] = diff(old, new).changes
        self.assertEqual((K.PARAMETER_KIND_CHANGED, Bump.MINOR),
                         (change.kind, change.severity))

    def test_added_var_keyword_is_optional(self) -> None:
        old = snap(mod('pkg', fn('f')))
        new = snap(mod('pkg', fn('f', p('kwargs', '**'))))
        [change] = diff(old, new).changes
        self.assertEqual('pkg.f now accepts **kwargs', change.message)
        self.assertEqual(Bump.MINOR, change.severity)

    def test_method_kind_change_skips_parameter_noise(self) -> None:
        old = snap(mod('pkg', cls('C', fn('m', p('self'), p('x')))))
        new = snap(mod('pkg', cls('C', fn('m', p('x'),
                                          decorators={'staticmethod'}))))
        self.assertEqual([K.METHOD_KIND_CHANGED],
                         [c.kind for c in diff(old, new).changes])

    def test_attribute_to_property_is_minor(self) -> None:
        old = snap(mod('pkg', cls('C', attr('size', instance=True))))
        new = snap(mod('pkg', cls('C', fn('size', p('self'),
                                          decorators={'property'}))))
        [change] = diff(old, new).changes
        self.assertEqual((K.KIND_CHANGED, Bump.MINOR),
                         (change.kind, change.severity))
        self.assertEqual(
            'pkg.C.size changed from an attribute to a property',
            change.message,
        )


class TestSettingsApplied(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.old = snap(mod('pkg', fn('f', p('a', default='1')), fn('g')))
        self.new = snap(mod('pkg', fn('f', p('a', default='2'))))

    def test_severity_override(self) -> None:
        settings = ApiSettings(
            severity={'parameter-default-changed': Bump.MAJOR}
        )
        result = diff(self.old, self.new, settings)
        [change] = changes_of(result, K.PARAMETER_DEFAULT_CHANGED)
        self.assertEqual(Bump.MAJOR, change.severity)

    def test_suppression_keeps_change_but_not_bump(self) -> None:
        settings = ApiSettings(suppress=(
            Suppression('g was internal', path='pkg.g'),
        ))
        result = diff(self.old, self.new, settings)
        self.assertEqual(2, len(result.changes))
        [suppressed] = result.suppressed
        self.assertEqual('g was internal', suppressed.suppressed)
        self.assertEqual(Bump.MINOR, result.required_bump)
        self.assertFalse(result.fails('major'))
        self.assertTrue(result.fails(Bump.MINOR))
        data = result.to_json()
        self.assertEqual(['pkg.f'], [c['path'] for c in data['changes']])
        self.assertEqual(['pkg.g'], [c['path'] for c in data['suppressed']])

    def test_suppression_by_kind_and_glob(self) -> None:
        settings = ApiSettings(suppress=(
            Suppression('ok', kind=K.PARAMETER_DEFAULT_CHANGED.value,
                        path='pkg.*'),
        ))
        result = diff(self.old, self.new, settings)
        self.assertEqual([K.PARAMETER_DEFAULT_CHANGED],
                         [c.kind for c in result.suppressed])

    def test_settings_from_config(self) -> None:
        config = Config(project_config={
            'api': {'severity': {'name-added': 'patch'}},
        })
        settings = settings_from_config(config)
        self.assertEqual(Bump.PATCH, settings.severity['name-added'])
        result = diff_snapshots(
            snap(mod('pkg')), snap(mod('pkg', fn('f'))), config,
            rules=builtin_rules(),
        )
        self.assertEqual(Bump.PATCH, result.required_bump)


class TestDiffData(base.TestCase):

    def test_sorted_by_severity_then_path(self) -> None:
        old = snap(mod('pkg', fn('b'), fn('z', p('x')),
                       attr('A', '1')))
        new = snap(mod('pkg', fn('z', p('x', default='1')), fn('n'),
                       attr('A', '2')))
        result = diff(old, new)
        self.assertEqual(
            [('major', 'pkg.b'), ('minor', 'pkg.A'), ('minor', 'pkg.n'),
             ('minor', 'pkg.z')],
            [(c.severity.value, c.path) for c in result.changes],
        )
        self.assertEqual(Bump.MAJOR, result.required_bump)

    def test_json_shape(self) -> None:
        old = snap(mod('pkg', fn('f', line=12)))
        new = snap(mod('pkg'), version='2.0')
        data = diff(old, new).to_json()
        self.assertEqual(
            {'schema_version', 'old', 'new', 'required_bump', 'complete',
             'changes', 'suppressed'},
            set(data),
        )
        self.assertEqual({'name': 'pkg', 'version': '2.0'}, data['new'])
        self.assertEqual('major', data['required_bump'])
        self.assertTrue(data['complete'])
        [change] = data['changes']
        self.assertEqual(
            {'kind': 'removed-without-deprecation', 'path': 'pkg.f',
             'severity': 'major',
             'message': 'function pkg.f was removed without any prior '
                        'deprecation',
             'new_path': None,
             'location': {'file': 'pkg/__init__.py', 'line': 12},
             'old_location': {'file': 'pkg/__init__.py', 'line': 12},
             'suppressed': None, 'also': [], 'calls': None},
            change,
        )
        self.assertEqual([], data['suppressed'])

    def test_change_json_round_trip(self) -> None:
        change = Change('name-moved', 'pkg.A', Bump.MAJOR, 'moved',
                        new_path='pkg.b.A', location=Location('pkg/b.py', 3),
                        suppressed='fine')
        self.assertEqual(change, Change.from_json(change.to_json()))
        self.assertRaises(ValueError, Change.from_json, {'kind': 'x'})

    def test_fails_rejects_unknown_threshold(self) -> None:
        result = diff(snap(mod('pkg')), snap(mod('pkg')))
        self.assertRaises(ValueError, result.fails, 'huge')
        self.assertFalse(result.fails('none'))


class TestRendering(base.TestCase):

    def test_text_report(self) -> None:
        old = snap(mod('pkg', fn('f', line=12), fn('g')), name='mylib')
        new = snap(mod('pkg', fn('g', p('x', default='1')), fn('h')),
                   name='mylib', version='2.0')
        settings = ApiSettings(suppress=(Suppression('new helper',
                                                     path='pkg.h'),))
        text = format_diff_text(diff(old, new, settings))
        lines = text.splitlines()
        self.assertEqual('mylib 1.0 -> 2.0: required bump: major', lines[0])
        self.assertIn(
            '  [major] removed-without-deprecation  pkg.f: function pkg.f '
            'was removed without any prior deprecation (pkg/__init__.py:12)',
            lines,
        )
        self.assertIn('suppressed (1):', lines)
        self.assertTrue(lines[-1].endswith('-- suppressed: new helper'))
        verbose = format_diff_text(diff(old, new, settings), verbose=True)
        self.assertIn('  pkg:', verbose.splitlines())

    def test_text_report_without_changes(self) -> None:
        text = format_diff_text(diff(snap(mod('pkg')), snap(mod('pkg'))))
        self.assertEqual(
            'pkg 1.0 -> 1.0: required bump: none\n  no public API changes\n',
            text,
        )

    def test_format_change_verbose_shows_old_location(self) -> None:
        change = Change('k', 'p.x', Bump.MINOR, 'msg',
                        location=Location('p/b.py', 2),
                        old_location=Location('p/a.py', 1))
        self.assertEqual('[minor] k  p.x: msg (p/b.py:2)',
                         format_change(change))
        self.assertEqual('[minor] k  p.x: msg (p/b.py:2, was p/a.py:1)',
                         format_change(change, verbose=True))


class TestRuleLoading(base.TestCase):

    def test_entry_points_match_builtins(self) -> None:
        loaded = sorted(r.kind for r in load_rules())
        builtin = sorted(r.kind for r in builtin_rules())
        self.assertEqual(builtin, loaded)

    def test_a_namespace_nobody_declares_has_no_rules(self) -> None:
        # The built-in rules are the entry points symbiosis declares in
        # its own namespace, not a fallback for any namespace.
        self.assertEqual([], load_rules('symbiosis.tests.no-such-namespace'))


class TestSpeed(base.TestCase):

    def test_ten_thousand_paths_diff_quickly(self) -> None:
        def version(n_removed: int, default: str) -> Snapshot:
            modules = [mod('pkg')]
            for m in range(100):
                classes = [
                    cls(f'C{c}', *[
                        fn(f'm{i}', p('self'), p('x', default=default))
                        for i in range(8)
                    ])
                    for c in range(11 - (n_removed if m % 10 == 0 else 0))
                ]
                modules.append(mod(f'pkg.m{m}', *classes))
            return snap(*modules)

        old, new = version(0, '1'), version(1, '2')
        start = time.perf_counter()
        result = diff(old, new)
        elapsed = time.perf_counter() - start
        self.assertGreater(len(result.changes), 8000)
        # Well under a second in practice; the bound leaves room for
        # slow shared test machines.
        self.assertLess(elapsed, 5.0)
