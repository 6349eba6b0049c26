"""symbiosis.usage: the static scan of a downstream for an upstream's names.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.usage import UsageReport
from symbiosis.usage import scan
from symbiosis.usage._downstream import find_downstream_files
from symbiosis.usage._entrypoints import scan_config
from symbiosis.usage._mentions import matching_lines
from symbiosis.usage._pyfile import scan_python
from symbiosis.usage._scanner import ScanStats
from tests import base

NAMES = frozenset({'pkg'})


def uses_of(
    source: str, names: frozenset[str] = NAMES
) -> set[tuple[str, int]]:
    """``{(path, line)}`` found in ``source``."""
    result = scan_python(source.encode(), 'mod.py', names)
    assert result.error is None, result.error
    return {(path, line) for path, line, _kind, _call, _via in result.uses}


def kinds_of(source: str) -> dict[tuple[str, int], str]:
    result = scan_python(source.encode(), 'mod.py', NAMES)
    return {(path, line): kind
            for path, line, kind, _call, _via in result.uses}


class TestImportForms(base.TestCase):
    def test_plain_import(self) -> None:
        self.assertEqual({('pkg', 1), ('pkg.f', 2)},
                         uses_of('import pkg\npkg.f()\n'))

    def test_dotted_import_binds_the_top_name(self) -> None:
        self.assertEqual(
            {('pkg.sub', 1), ('pkg.sub.A.method', 2)},
            uses_of('import pkg.sub\npkg.sub.A.method()\n'),
        )

    def test_import_as(self) -> None:
        self.assertEqual(
            {('pkg.sub', 1), ('pkg.sub.A.method', 2)},
            uses_of('import pkg.sub as z\nz.A.method()\n'),
        )

    def test_from_import_as(self) -> None:
        self.assertEqual(
            {('pkg.mod.A', 1), ('pkg.mod.C', 1), ('pkg.mod.A.x', 2),
             ('pkg.mod.C', 3)},
            uses_of('from pkg.mod import A as B, C\nB.x\nC\n'),
        )

    def test_multi_line_from_import_keeps_each_line(self) -> None:
        self.assertEqual(
            {('pkg.A', 2), ('pkg.B', 3)},
            uses_of('from pkg import (\n    A,\n    B,\n)\n'),
        )

    def test_star_import_records_the_module(self) -> None:
        self.assertEqual({('pkg.mod', 1): 'star'},
                         kinds_of('from pkg.mod import *\n'))

    def test_relative_and_other_imports_are_ignored(self) -> None:
        self.assertEqual(set(), uses_of(
            'from . import pkg\nfrom .pkg import A\nimport pkgx\n'
            'import os.path as pkg\nfrom other import pkg\npkgx.f()\n'
        ))

    def test_name_only_in_a_comment_or_text(self) -> None:
        self.assertEqual(set(), uses_of('# pkg.f is great\nx = "pkg"\n'))


class TestChains(base.TestCase):
    def test_longest_chain_from_an_alias(self) -> None:
        self.assertEqual(
            {('pkg.y', 1), ('pkg.y.A.method', 2)},
            uses_of('import pkg.y as z\nresult = z.A.method(1)\n'),
        )

    def test_chain_through_a_call_goes_on_as_a_call_result(self) -> None:
        self.assertEqual(
            {('pkg', 1), ('pkg.Client', 2), ('pkg.Client().connect', 2),
             ('pkg.Client().connect().close', 2)},
            uses_of('import pkg\npkg.Client().connect().close()\n'),
        )
        # What the call returns is not the upstream's when the callee
        # is not.
        self.assertEqual({('pkg', 1), ('pkg', 2)},
                         uses_of('import pkg\nopen(pkg).close()\n'))

    def test_call_kind_and_arguments(self) -> None:
        kinds = kinds_of(
            'import pkg\nfrom pkg import opt\npkg.run(opt.FAST, key=pkg.K)\n'
        )
        self.assertEqual('call', kinds[('pkg.run', 3)])
        self.assertEqual('name', kinds[('pkg.opt.FAST', 3)])
        self.assertEqual('name', kinds[('pkg.K', 3)])

    def test_assignment_to_an_upstream_attribute_is_a_use(self) -> None:
        self.assertIn(('pkg.DEBUG', 2), uses_of('import pkg\npkg.DEBUG = 1\n'))

    def test_multi_line_expression(self) -> None:
        source = 'import pkg\nx = {\n    "a": 1,\n    "b": pkg.B,\n}\n'
        self.assertIn(('pkg.B', 4), uses_of(source))

    def test_annotations_and_defaults(self) -> None:
        found = uses_of(
            'from pkg import T, D\n'
            'def f(a: T = D, *, b: "int" = 0) -> T:\n    pass\n'
        )
        self.assertEqual({('pkg.T', 1), ('pkg.D', 1), ('pkg.T', 2),
                          ('pkg.D', 2)}, found)


class TestScopes(base.TestCase):
    def test_local_import_inside_function(self) -> None:
        source = (
            'def f():\n'
            '    from pkg.local import L\n'
            '    return L.run()\n'
            'def g():\n'
            '    return L.run()\n'
        )
        self.assertEqual({('pkg.local.L', 2), ('pkg.local.L.run', 3)},
                         uses_of(source))

    def test_function_defined_before_the_module_import(self) -> None:
        source = 'def f():\n    return pkg.g()\nimport pkg\n'
        self.assertEqual({('pkg.g', 2), ('pkg', 3)}, uses_of(source))

    def test_parameters_hide_imports(self) -> None:
        source = (
            'from pkg import C\n'
            'def f(C):\n'
            '    return C.x\n'
            'def g():\n'
            '    return C.y\n'
        )
        self.assertEqual({('pkg.C', 1), ('pkg.C.y', 5)}, uses_of(source))

    def test_class_body_imports_do_not_leak_into_methods(self) -> None:
        source = (
            'class K:\n'
            '    from pkg import A\n'
            '    x = A.v\n'
            '    def m(self):\n'
            '        return A.w\n'
        )
        self.assertEqual({('pkg.A', 2), ('pkg.A.v', 3)}, uses_of(source))

    def test_methods_and_nested_functions(self) -> None:
        source = (
            'import pkg\n'
            'class K:\n'
            '    def m(self):\n'
            '        def inner():\n'
            '            return pkg.deep.thing\n'
            '        return inner\n'
        )
        self.assertIn(('pkg.deep.thing', 5), uses_of(source))

    def test_try_except_import_error_both_branches(self) -> None:
        source = (
            'try:\n'
            '    from pkg.new import N\n'
            'except ImportError:\n'
            '    from pkg.old import N\n'
            'N.go()\n'
        )
        self.assertEqual(
            {('pkg.new.N', 2), ('pkg.old.N', 4), ('pkg.new.N.go', 5),
             ('pkg.old.N.go', 5)},
            uses_of(source),
        )

    def test_type_checking_block(self) -> None:
        source = (
            'from typing import TYPE_CHECKING\n'
            'if TYPE_CHECKING:\n'
            '    from pkg import Thing\n'
            'def f(t: Thing) -> None: ...\n'
        )
        self.assertEqual({('pkg.Thing', 3), ('pkg.Thing', 4)},
                         uses_of(source))


class TestClassesAndDecorators(base.TestCase):
    def test_bases_keywords_and_decorators(self) -> None:
        kinds = kinds_of(
            'import pkg\n'
            'from pkg import Base, deco\n'
            '@deco\n'
            '@pkg.register(name="x")\n'
            'class K(Base, pkg.Generic[int], metaclass=pkg.Meta):\n'
            '    @pkg.cached\n'
            '    def m(self): ...\n'
        )
        self.assertEqual('decorator', kinds[('pkg.deco', 3)])
        self.assertEqual('decorator', kinds[('pkg.register', 4)])
        self.assertEqual('base', kinds[('pkg.Base', 5)])
        self.assertEqual('base', kinds[('pkg.Generic', 5)])
        self.assertEqual('name', kinds[('pkg.Meta', 5)])
        self.assertEqual('decorator', kinds[('pkg.cached', 6)])

    def test_match_statement_patterns(self) -> None:
        source = (
            'import pkg\n'
            'match x:\n'
            '    case pkg.Color.RED:\n'
            '        pass\n'
            '    case pkg.Point(x=0):\n'
            '        pass\n'
        )
        found = uses_of(source)
        self.assertIn(('pkg.Color.RED', 3), found)
        self.assertIn(('pkg.Point', 5), found)


class TestStrings(base.TestCase):
    def test_dotted_strings_and_entry_point_strings(self) -> None:
        kinds = kinds_of(
            'BACKEND = "pkg.backends.Memory"\n'
            'setup(entry_points={"console_scripts": '
            '["tool = pkg.cli:main [extra]"]})\n'
            'PLUGIN = "pkg.plugins:Thing.create"\n'
        )
        self.assertEqual(
            {('pkg.backends.Memory', 1): 'string',
             ('pkg.cli.main', 2): 'entry-point',
             ('pkg.plugins.Thing.create', 3): 'entry-point'},
            kinds,
        )

    def test_prose_and_bare_names_are_not_uses(self) -> None:
        self.assertEqual(set(), uses_of(
            '"""Use pkg.f to do it."""\nx = "pkg"\ny = "pkgx.a"\n'
        ))


class TestMatchingLines(base.TestCase):
    def test_whole_words_only(self) -> None:
        source = b'pkg\nmypkg\npkg_x\nx.pkg\n_pkg\npkg.a\n\xc3\xa9pkg\n'
        self.assertEqual([1, 4, 6], matching_lines(source, ['pkg']))

    def test_short_names(self) -> None:
        source = b'_ = 1\nfoo_bar\n_("x")\na_ b\n'
        self.assertEqual([1, 3], matching_lines(source, ['_']))


class TestEntryPointFiles(base.TestCase):
    def test_setup_cfg(self) -> None:
        text = (
            '[metadata]\nname = thing\n'
            '[options.entry_points]\n'
            'console_scripts =\n'
            '    thing = pkg.cli:main\n'
            'pkg.plugins =\n'
            '    mine = mine.plugin:Plugin\n'
            '[entry_points]\n'
            'oslo.config.opts =\n'
            '    thing = pkg.opts:list_opts\n'
        )
        self.assertEqual(
            (('pkg.cli.main', 5, 'entry-point', None, None),
             ('pkg.opts.list_opts', 10, 'entry-point', None, None)),
            scan_config(text.encode(), 'setup.cfg', NAMES),
        )

    def test_pyproject(self) -> None:
        text = (
            '[project]\nname = "thing"\nversion = "pkg.x:y"\n'
            '[project.scripts]\nthing = "pkg.cli:main"\n'
            '[project.entry-points."pkg.hooks"]\n'
            "hook = 'pkg.hooks:default'\n"
            '[tool.other]\nx = "pkg.a:b"\n'
        )
        self.assertEqual(
            (('pkg.cli.main', 5, 'entry-point', None, None),
             ('pkg.hooks.default', 7, 'entry-point', None, None)),
            scan_config(text.encode(), 'pyproject.toml', NAMES),
        )


class TestScanTree(base.TestCase):
    def config(self) -> Config:
        return Config(cache_dir=self.tmp / 'cache')

    def test_tree_walk_skips_environments_and_builds(self) -> None:
        root = self.write_tree({
            'app/__init__.py': 'import pkg\n',
            'app/sub/mod.py': 'from pkg import A\n',
            '.tox/py3/lib/x.py': 'import pkg\n',
            '.venv/lib/x.py': 'import pkg\n',
            'myenv/pyvenv.cfg': '',
            'myenv/lib/x.py': 'import pkg\n',
            'build/lib/app/__init__.py': 'import pkg\n',
            'node_modules/x.py': 'import pkg\n',
            'lib/site-packages/x.py': 'import pkg\n',
            'README.txt': 'import pkg\n',
            'setup.cfg': '[options.entry_points]\nx =\n  y = pkg.m:f\n',
        })
        python, metadata = find_downstream_files(root)
        self.assertEqual(['app/__init__.py', 'app/sub/mod.py'],
                         sorted(rel for _p, rel, _s in python))
        self.assertEqual(['setup.cfg'], [rel for _p, rel in metadata])
        report = scan(root, ['pkg'], config=self.config())
        self.assertEqual(
            [('pkg', 'app/__init__.py', 1), ('pkg.A', 'app/sub/mod.py', 1),
             ('pkg.m.f', 'setup.cfg', 3)],
            [(u.path, u.file, u.line) for u in report.uses],
        )
        self.assertEqual(3, report.files)

    def test_syntax_error_is_reported_and_the_rest_scanned(self) -> None:
        root = self.write_tree({
            'good.py': 'import pkg\npkg.f()\n',
            'bad.py': 'import pkg\n\ndef broken(:\n    pass\n',
            'latin.py': '# -*- coding: latin-1 -*-\nimport pkg\n',
        })
        report = scan(root, ['pkg'], config=self.config())
        self.assertEqual(1, len(report.errors))
        error = report.errors[0]
        self.assertEqual(('bad.py', 3), (error.file, error.line))
        self.assertIn('syntax error', error.message)
        self.assertEqual(
            {('pkg', 'good.py'), ('pkg.f', 'good.py'), ('pkg', 'latin.py')},
            {(u.path, u.file) for u in report.uses},
        )
        data = report.to_json()
        self.assertEqual(
            [{'file': 'bad.py', 'line': 3, 'message': error.message}],
            data['errors'],
        )

    def test_single_file_downstream(self) -> None:
        root = self.write_tree({'probe.py': 'import pkg\n'})
        report = scan(root / 'probe.py', ['pkg'], config=self.config())
        self.assertEqual([('pkg', 'probe.py', 1)],
                         [(u.path, u.file, u.line) for u in report.uses])

    def test_missing_downstream_is_an_input_error(self) -> None:
        err = self.assertRaises(
            exception.InputError, scan, self.tmp / 'nope', ['pkg'],
            config=self.config(),
        )
        self.assertEqual(2, err.exit_code)

    def test_bad_import_name(self) -> None:
        root = self.write_tree({'a.py': ''})
        self.assertRaises(exception.InputError, scan, root, ['not-a-name'],
                          config=self.config())
        self.assertRaises(exception.InputError, scan, root, [],
                          config=self.config())

    def test_cache_cold_then_warm_gives_the_same_report(self) -> None:
        root = self.write_tree({
            f'm{i}.py': f'import pkg\npkg.f{i}()\n' for i in range(5)
        } | {'other.py': 'import os\n'})
        cold_stats = ScanStats()
        cold = scan(root, ['pkg'], config=self.config(), stats=cold_stats)
        warm_stats = ScanStats()
        warm = scan(root, ['pkg'], config=self.config(), stats=warm_stats)
        self.assertEqual(cold, warm)
        self.assertEqual((5, 0, 1), (cold_stats.parsed,
                                     cold_stats.cache_hits,
                                     cold_stats.skipped))
        self.assertEqual((0, 5, 1), (warm_stats.parsed,
                                     warm_stats.cache_hits,
                                     warm_stats.skipped))
        # Other import names are other entries.
        other_stats = ScanStats()
        scan(root, ['pkg', 'os'], config=self.config(), stats=other_stats)
        self.assertEqual(6, other_stats.parsed)

    def test_warm_scan_of_an_unchanged_tree_reads_no_file(self) -> None:
        import builtins

        import fixtures

        root = self.write_tree({
            f'm{i}.py': f'import pkg\npkg.f{i}()\n' for i in range(3)
        } | {'other.py': 'import os\n'})
        cold = scan(root, ['pkg'], config=self.config())
        opened: list[str] = []
        real_open = builtins.open

        def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            if str(file).startswith(str(root)):
                opened.append(str(file))
            return real_open(file, *args, **kwargs)

        with fixtures.MonkeyPatch('builtins.open', counting_open):
            warm = scan(root, ['pkg'], config=self.config())
            self.assertEqual([], opened)
            self.assertEqual(cold.uses, warm.uses)
            # An edit changes the stamp: that file alone is read again.
            (root / 'm0.py').write_text('import pkg\n\npkg.g()\n',
                                        encoding='utf-8')
            (root / 'm1.py').unlink()
            stats = ScanStats()
            edited = scan(root, ['pkg'], config=self.config(), stats=stats)
        self.assertEqual([str(root / 'm0.py')], opened)
        self.assertEqual((1, 1, 1), (stats.parsed, stats.cache_hits,
                                     stats.skipped))
        self.assertEqual(
            {('pkg', 'm0.py', 1), ('pkg.g', 'm0.py', 3),
             ('pkg', 'm2.py', 1), ('pkg.f2', 'm2.py', 2)},
            {(u.path, u.file, u.line) for u in edited.uses})

    def test_damaged_tree_index_is_ignored(self) -> None:
        root = self.write_tree({'m.py': 'import pkg\npkg.f()\n'})
        cold = scan(root, ['pkg'], config=self.config())
        damaged = 0
        for index in (self.tmp / 'cache').rglob('*'):
            if index.is_file() and 'trees' in index.parts:
                index.write_bytes(b'garbage')
                damaged += 1
        self.assertEqual(1, damaged)
        stats = ScanStats()
        again = scan(root, ['pkg'], config=self.config(), stats=stats)
        self.assertEqual(cold.uses, again.uses)
        self.assertEqual(1, stats.cache_hits)  # from the per-file cache

    def test_process_pool_gives_the_same_uses(self) -> None:
        from symbiosis.usage import _scanner as scanner
        files = {f'p{i // 50}/m{i}.py': f'import pkg\npkg.f{i}()\n'
                 for i in range(scanner.PARALLEL_THRESHOLD + 10)}
        files['p0/bad.py'] = 'import pkg\n(\n'
        root = self.write_tree(files)
        stats = ScanStats()
        pooled = scan(root, ['pkg'], config=Config(use_cache=False, workers=2),
                      stats=stats)
        self.assertEqual(1, stats.processes)
        serial = scan(root, ['pkg'], config=Config(use_cache=False, workers=1))
        self.assertEqual(serial, pooled)
        self.assertEqual(2 * (scanner.PARALLEL_THRESHOLD + 10),
                         len(pooled.uses))
        self.assertEqual(['p0/bad.py'], [e.file for e in pooled.errors])

    def test_wheel_downstream(self) -> None:
        dist = self.make_dist(
            'downstream', '1.0',
            {'down/__init__.py': 'from pkg.api import Client\n'},
            entry_points={'console_scripts': {'down': 'pkg.cli:main'}},
        )
        report = scan(dist.wheel, ['pkg'], config=self.config())
        found = {(u.path, u.file.rpartition('/')[2], u.line)
                 for u in report.uses}
        self.assertIn(('pkg.api.Client', '__init__.py', 1), found)
        self.assertIn('pkg.cli.main', {u.path for u in report.uses})

    def test_report_json_round_trip(self) -> None:
        root = self.write_tree({'a.py': 'import pkg\npkg.x\n', 'b.py': '('})
        report = scan(root, ['pkg'], config=self.config(), upstream='Pkg-Dist')
        data = json.loads(json.dumps(report.to_json()))
        self.assertEqual('Pkg-Dist', data['upstream'])
        self.assertEqual(['pkg'], data['import_names'])
        self.assertEqual({'path': 'pkg.x', 'file': 'a.py', 'line': 2,
                          'kind': 'name'}, data['uses'][1])
        self.assertEqual([], data['impacts'])
        again = UsageReport.from_json(data)
        self.assertEqual(report.uses, again.uses)
        self.assertEqual(report.errors, again.errors)

    def test_nothing_is_imported(self) -> None:
        marker = self.tmp / 'imported'
        root = self.write_tree({
            'evil.py': (
                'import pathlib, pkg\n'
                f'pathlib.Path({str(marker)!r}).write_text("x")\n'
                'raise SystemExit(3)\n'
            ),
        })
        report = scan(root, ['pkg'], config=self.config())
        self.assertEqual(['pkg'], [u.path for u in report.uses])
        self.assertFalse(pathlib.Path(marker).exists())
