"""symbiosis.usage: import names, impacts of an API diff, ``symbiosis usage``.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
from typing import Any

from symbiosis import api
from symbiosis.api._changes import Bump
from symbiosis.api._changes import CallShape
from symbiosis.api._changes import Change
from symbiosis.api._differ import Diff
from symbiosis.config import Config
from symbiosis.usage import Use
from symbiosis.usage import find_import_names
from symbiosis.usage import impact
from symbiosis.usage import scan
from symbiosis.usage._impacts import alias_forms
from symbiosis.usage._report import format_usage_text
from tests import base
from tests.test_cli import run_cli

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / (
    'symbiosis/examples'
)

PYPROJECT = '[project]\nname = "pkg"\nversion = "{version}"\n'

#: pkg 1.0: f and g, C.m(a, b=1), E defined in a private module.
UPSTREAM_1 = {
    'pyproject.toml': PYPROJECT.format(version='1.0'),
    'pkg/__init__.py': '''\
        from pkg._impl import C
        from pkg._impl import E

        __all__ = ['C', 'E', 'f', 'g']


        def f():
            return 1


        def g(x):
            return x
        ''',
    'pkg/_impl.py': '''\
        class E(Exception):
            """An error."""


        class C:
            def __init__(self, a):
                self.a = a

            def m(self, a, b=1):
                return a
        ''',
}

#: pkg 2.0: f removed, E moved to pkg.errors, parameter b of C.m removed.
UPSTREAM_2 = {
    'pyproject.toml': PYPROJECT.format(version='2.0'),
    'pkg/__init__.py': '''\
        from pkg._impl import C

        __all__ = ['C', 'g']


        def g(x):
            return x
        ''',
    'pkg/errors.py': '''\
        class E(Exception):
            """An error."""
        ''',
    'pkg/_impl.py': '''\
        class C:
            def __init__(self, a):
                self.a = a

            def m(self, a):
                return a
        ''',
}

DOWNSTREAM = {
    'app/__init__.py': '',
    'app/main.py': '''\
        import pkg
        from pkg import E
        from pkg import C as Client


        def run():
            try:
                return pkg.f()
            except E.Nested:
                return Client.m(Client(1), 1, b=2)
        ''',
    'app/private.py': '''\
        from pkg._impl import E

        def g():
            return pkg_g()
        ''',
    'app/safe.py': '''\
        import pkg

        print(pkg.g(1), pkg.C(1).m(2))
        ''',
}


class UpstreamFixture(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.old = self.write_tree(UPSTREAM_1, 'pkg-1.0')
        self.new = self.write_tree(UPSTREAM_2, 'pkg-2.0')
        self.config = Config(cache_dir=self.tmp / 'cache')

    def diff(self) -> Diff:
        return api.diff(api.load(str(self.old), config=self.config),
                        api.load(str(self.new), config=self.config))


class TestImpact(UpstreamFixture):
    def test_impacts_of_removal_move_and_parameter(self) -> None:
        downstream = self.write_tree(DOWNSTREAM, 'downstream')
        report = scan(downstream, ['pkg'], config=self.config)
        found = {
            (i.path, i.file, i.line, i.change.kind, i.replacement)
            for i in impact(report.uses, self.diff())
        }
        self.assertEqual(
            {
                ('pkg.f', 'app/main.py', 8, 'removed-without-deprecation',
                 None),
                ('pkg.E', 'app/main.py', 2, 'name-moved', 'pkg.errors.E'),
                ('pkg.E.Nested', 'app/main.py', 9, 'name-moved',
                 'pkg.errors.E.Nested'),
                ('pkg.C.m', 'app/main.py', 10, 'parameter-removed', None),
                # Through the alias pkg.E -> pkg._impl.E of the old side.
                ('pkg._impl.E', 'app/private.py', 1, 'name-moved',
                 'pkg.errors.E'),
            },
            found,
        )

    def test_changes_below_a_plain_use_do_not_hit_it(self) -> None:
        result = self.diff()
        uses = [
            Use('pkg.C', 'a.py', 1, 'import'),
            Use('pkg.C', 'a.py', 2, 'call'),
            Use('pkg.g', 'a.py', 3, 'call'),
        ]
        self.assertEqual([], impact(uses, result))

    def test_subclass_and_star_import_are_judged_by_resolution(
        self,
    ) -> None:
        # ``class Mine(pkg.C)`` and ``from pkg import *`` still run: only
        # the lines reaching what changed are hit.
        hits = impact([Use('pkg.C', 'a.py', 4, 'base'),
                       Use('pkg', 'a.py', 1, 'star')], self.diff())
        self.assertEqual([], hits)

    def test_changes_the_snapshots_do_not_show_hit_nothing(self) -> None:
        # A change the two snapshots do not bear out (here, made up for a
        # constructor that did not change) breaks no call.
        change = Change('parameter-removed', 'pkg.C.__init__',
                        Bump.MAJOR, "parameter 'a' was removed")
        result = self.diff()
        patched = Diff(result.old, result.new, (change,))
        hits = impact([Use('pkg.C', 'a.py', 1, 'call', 1, ())], patched)
        self.assertEqual([], hits)

    def test_parameter_changes_hit_only_the_calls_they_break(self) -> None:
        # pkg.C.m(self, a, b=1) lost b: calls passing b, by name or as
        # the second positional argument, break.
        result = self.diff()
        [change] = [c for c in result.changes if c.path == 'pkg.C.m']
        self.assertEqual(CallShape(keywords=('b',), positional=2),
                         change.calls)
        # Called on the class, the instance is the first positional.
        uses = [
            Use('pkg.C.m', 'a.py', 1, 'call', 2, ()),         # m(c, x)
            Use('pkg.C.m', 'a.py', 2, 'call', 2, ('b',)),     # m(c, x, b=2)
            Use('pkg.C.m', 'a.py', 3, 'call', 3, ()),         # m(c, x, 2)
            Use('pkg.C.m', 'a.py', 4, 'call', None, ()),      # m(*args)
            Use('pkg.C.m', 'a.py', 5, 'call', 2, None),       # m(c, x, **kw)
            Use('pkg.C.m', 'a.py', 6, 'call'),                # not known
            Use('pkg.C.m', 'a.py', 7, 'name'),                # a callback
            Use('pkg.C.m', 'a.py', 8, 'import'),
            Use('pkg.C.m.__doc__', 'a.py', 9, 'name'),
            Use('pkg.C.m.cache_clear', 'a.py', 10, 'call', 0, ()),
            Use('pkg.C', 'a.py', 11, 'base'),
            # Through an instance the call binds self.
            Use('pkg.C().m', 'a.py', 12, 'call', 1, ()),      # c.m(x)
            Use('pkg.C().m', 'a.py', 13, 'call', 2, ()),      # c.m(x, 2)
        ]
        hits = impact(uses, result)
        self.assertEqual([2, 3, 4, 5, 6, 13], [i.line for i in hits])
        self.assertEqual({'parameter-removed'},
                         {i.change.kind for i in hits})

    def test_suppressed_and_minor_changes_do_not_count(self) -> None:
        result = self.diff()
        accepted = [
            Change(c.kind, c.path, c.severity, c.message,
                   new_path=c.new_path, suppressed='accepted')
            for c in result.changes
        ]
        minor = Change('parameter-added-optional', 'pkg.g', Bump.MINOR,
                       'optional parameter added')
        quiet = Diff(result.old, result.new, (*accepted, minor))
        uses = [Use('pkg.f', 'a.py', 1, 'call', 0, ()),
                Use('pkg.g', 'a.py', 2)]
        self.assertEqual([], impact(uses, quiet))
        self.assertEqual([], impact(uses, quiet, threshold='minor'))
        self.assertEqual(['pkg.f'], [i.path for i in impact(uses, result)])
        # Graded below the threshold, the removal does not count either.
        minor_removal = Diff(result.old, result.new, tuple(
            dataclasses.replace(c, severity=Bump.MINOR)
            for c in result.changes))
        self.assertEqual([], impact(uses, minor_removal))
        self.assertEqual(['pkg.f'], [
            i.path for i in impact(uses, minor_removal, threshold='minor')])

    def test_alias_forms(self) -> None:
        old = api.load(str(self.old), config=self.config)
        self.assertEqual(['pkg.C.m', 'pkg._impl.C.m'],
                         alias_forms(old, 'pkg.C.m'))
        self.assertEqual(['pkg.nothing'], alias_forms(old, 'pkg.nothing'))

    def test_text_report(self) -> None:
        downstream = self.write_tree(DOWNSTREAM, 'downstream')
        report = scan(downstream, ['pkg'], config=self.config)
        report = report.with_impacts(
            tuple(impact(report.uses, self.diff())), ('1.0', '2.0')
        )
        text = format_usage_text(report)
        self.assertIn(
            'app/main.py:2: uses pkg.E: pkg.E moved to pkg.errors.E\n', text
        )
        self.assertIn(
            'app/main.py:9: uses pkg.E.Nested: pkg.E moved to pkg.errors.E '
            '(use pkg.errors.E.Nested)\n', text,
        )
        self.assertIn('5 uses hit by breaking changes between 1.0 and 2.0',
                      text)


class TestImportNames(base.TestCase):
    def test_installed_distribution(self) -> None:
        names = find_import_names('stevedore')
        self.assertEqual((('stevedore',), 'installed'),
                         (names.names, names.source))
        self.assertIsNone(names.warning)

    def test_installed_distribution_with_other_import_names(self) -> None:
        self.assertEqual(('dateutil',),
                         find_import_names('python-dateutil').names)

    def test_from_snapshots(self) -> None:
        tree = self.write_tree({
            'pyproject.toml': '[project]\nname = "Some-Dist"\nversion = "1"\n',
            'some_pkg/__init__.py': '',
            'helper.py': '',
        })
        config = Config(cache_dir=self.tmp / 'cache')
        snapshot = api.load(str(tree), config=config)
        names = find_import_names('Some-Dist', snapshots=[snapshot])
        self.assertEqual((('helper', 'some_pkg'), 'snapshot'),
                         (names.names, names.source))
        from_target = find_import_names(str(tree), config=config)
        self.assertEqual(('helper', 'some_pkg'), from_target.names)
        self.assertEqual('target', from_target.source)

    def test_snapshot_file_target(self) -> None:
        tree = self.write_tree({'pyproject.toml': PYPROJECT.format(
            version='1'), 'pkg/__init__.py': ''})
        config = Config(cache_dir=self.tmp / 'cache')
        path = self.tmp / 'snap.json'
        snapshot = api.load(str(tree), config=config)
        path.write_text(json.dumps(snapshot.to_json()))
        self.assertEqual(('pkg',), find_import_names(str(path)).names)

    def test_guess_warns(self) -> None:
        names = find_import_names('No-Such.Dist_here')
        self.assertEqual((('no_such_dist_here',), 'guess'),
                         (names.names, names.source))
        self.assertIn('not installed', names.warning or '')


class TestCommand(UpstreamFixture):
    def run_usage(self, *args: str) -> tuple[int, Any, str]:
        result = run_cli('usage', *args, '--format', 'json',
                         env={'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'c')})
        data = json.loads(result.stdout) if result.stdout else None
        return result.returncode, data, result.stderr

    def test_breaking_uses_exit_1_with_impacts(self) -> None:
        downstream = self.write_tree(DOWNSTREAM, 'downstream')
        code, data, stderr = self.run_usage(
            str(downstream), '--upstream', 'pkg',
            '--against', str(self.old), str(self.new),
        )
        self.assertEqual(1, code, stderr)
        self.assertEqual(1, data['schema_version'])
        self.assertEqual('pkg', data['upstream'])
        self.assertIn({'path': 'pkg.f', 'file': 'app/main.py', 'line': 8,
                       'kind': 'call', 'positional': 0, 'keywords': []},
                      data['uses'])
        self.assertIn({'path': 'pkg.C.m', 'file': 'app/main.py', 'line': 10,
                       'kind': 'call', 'positional': 2, 'keywords': ['b']},
                      data['uses'])
        impacts = {(i['path'], i['file'], i['line']): i
                   for i in data['impacts']}
        self.assertEqual(
            {('pkg.f', 'app/main.py', 8), ('pkg.E', 'app/main.py', 2),
             ('pkg.E.Nested', 'app/main.py', 9),
             ('pkg.C.m', 'app/main.py', 10),
             ('pkg._impl.E', 'app/private.py', 1)},
            set(impacts),
        )
        moved = impacts[('pkg.E', 'app/main.py', 2)]['change']
        self.assertEqual(('name-moved', 'pkg.E', 'pkg.errors.E', 'major'),
                         (moved['kind'], moved['path'], moved['new_path'],
                          moved['severity']))
        removed = impacts[('pkg.f', 'app/main.py', 8)]['change']
        self.assertEqual('removed-without-deprecation', removed['kind'])
        parameter = impacts[('pkg.C.m', 'app/main.py', 10)]['change']
        self.assertEqual(('parameter-removed', 'pkg.C.m'),
                         (parameter['kind'], parameter['path']))
        self.assertEqual([], data['errors'])

    def test_nothing_breaking_used_exits_0(self) -> None:
        downstream = self.write_tree({'safe.py': DOWNSTREAM['app/safe.py']},
                                     'safe')
        code, data, stderr = self.run_usage(
            str(downstream), '--upstream', 'pkg',
            '--against', str(self.old), str(self.new),
        )
        self.assertEqual(0, code, stderr)
        self.assertEqual([], data['impacts'])
        self.assertEqual(['pkg', 'pkg.C', 'pkg.C().m', 'pkg.g'],
                         sorted({u['path'] for u in data['uses']}))

    def test_snapshot_files_as_against(self) -> None:
        downstream = self.write_tree(DOWNSTREAM, 'downstream')
        old_json = self.tmp / 'old.json'
        new_json = self.tmp / 'new.json'
        old_json.write_text(json.dumps(
            api.load(str(self.old), config=self.config).to_json()))
        new_json.write_text(json.dumps(
            api.load(str(self.new), config=self.config).to_json()))
        code, data, stderr = self.run_usage(
            str(downstream), '--upstream', 'not-installed-dist',
            '--against', str(old_json), str(new_json),
        )
        self.assertEqual(1, code, stderr)
        self.assertEqual(['pkg'], data['import_names'])
        self.assertEqual(5, len(data['impacts']))
        self.assertNotIn('warning', stderr)

    def test_syntax_error_is_a_warning(self) -> None:
        downstream = self.write_tree({
            'ok.py': 'import pkg\npkg.f()\n',
            'broken.py': 'import pkg\nif True\n',
        }, 'broken')
        code, data, stderr = self.run_usage(
            str(downstream), '--upstream', 'pkg',
            '--against', str(self.old), str(self.new),
        )
        self.assertEqual(1, code, stderr)
        self.assertIn('symbiosis: warning: broken.py:2: syntax error',
                      stderr)
        self.assertEqual(['broken.py'], [e['file'] for e in data['errors']])
        self.assertEqual([('pkg.f', 'ok.py', 2)],
                         [(i['path'], i['file'], i['line'])
                          for i in data['impacts']])

    def test_missing_downstream_exits_2_with_one_line(self) -> None:
        result = run_cli('usage', str(self.tmp / 'nope'), '--upstream', 'pkg')
        self.assertEqual(2, result.returncode)
        self.assertEqual('', result.stdout)
        self.assertEqual(1, len(result.stderr.strip().splitlines()),
                         result.stderr)
        self.assertIn('no such file or directory', result.stderr)

    def test_upstream_option_is_required(self) -> None:
        result = run_cli('usage', str(self.tmp))
        self.assertEqual(2, result.returncode)

    def test_without_against_lists_uses(self) -> None:
        downstream = self.write_tree(DOWNSTREAM, 'downstream')
        result = run_cli('usage', str(downstream), '--upstream', 'stevedore',
                         env={'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'c')})
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('0 uses of 0 stevedore names in 0 of 4 files',
                      result.stdout)

    def test_bundled_example(self) -> None:
        result = run_cli(
            'usage', str(EXAMPLES / 'probes_tinylib.py'),
            '--upstream', 'tinylib', '--against',
            str(EXAMPLES / 'tinylib-1.0'), str(EXAMPLES / 'tinylib-1.1'),
            '--format', 'json',
            env={'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'c')},
        )
        self.assertEqual(1, result.returncode, result.stderr)
        data = json.loads(result.stdout)
        found = {(i['path'], i['line'], i['change']['kind'])
                 for i in data['impacts']}
        # tinylib.parse's 'strict' became 'validate': the example's calls
        # pass the text alone, so they are not hit.
        self.assertEqual(
            {('tinylib.core.ParseError', 23, 'name-moved'),
             ('tinylib.core.ParseError', 25, 'name-moved')},
            found,
        )
        self.assertEqual({'probes_tinylib.py'},
                         {i['file'] for i in data['impacts']})
        moved = next(i for i in data['impacts'] if i['line'] == 23)
        self.assertEqual('tinylib.errors.ParseError',
                         moved['change']['new_path'])
