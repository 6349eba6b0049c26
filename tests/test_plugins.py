"""Plugins: one loader for the eight entry-point namespaces.

The plugins each namespace loads are compared with the entry points
``pyproject.toml`` declares, so no list in the code can drift from them.
A broken third-party plugin -- a real distribution put on ``sys.path`` of
a subprocess -- fails a run that needs every plugin of its namespace
(exit 3, one line naming it), is skipped with one warning line when the
user allows broken plugins or the run picks one plugin among them, and
naming it is an error (exit 2).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import textwrap
from typing import Any
import zipfile

from tests import base

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / 'symbiosis' / 'examples'

#: The extension points, as the plugin guide documents them.
NAMESPACES = (
    'symbiosis.sources',
    'symbiosis.api.rules',
    'symbiosis.probes',
    'symbiosis.release.checks',
    'symbiosis.environments',
    'symbiosis.executors',
    'symbiosis.reports',
    'symbiosis.cli',
)


def declared() -> dict[str, dict[str, str]]:
    """``{namespace: {name: "module:attr"}}`` of symbiosis's own
    namespaces, from pyproject.toml (other groups, such as pytest's
    ``pytest11``, are not symbiosis plugin namespaces)."""
    data = tomllib.loads((ROOT / 'pyproject.toml').read_text('utf-8'))
    groups: dict[str, dict[str, str]] = data['project']['entry-points']
    return {name: group for name, group in groups.items()
            if name.startswith('symbiosis.')}


def spelled(cls: type) -> str:
    """A class as an entry point names it."""
    return f'{cls.__module__}:{cls.__qualname__}'


def loaded(namespace: str) -> dict[str, str]:
    """``{name: "module:attr"}`` of what symbiosis loads for
    ``namespace``, through the code that uses it."""
    from symbiosis import _plugins
    from symbiosis.config import Config

    config = Config()
    if namespace == 'symbiosis.sources':
        from symbiosis.sources import NAMESPACE
        from symbiosis.sources import Source
        from symbiosis.sources import load_sources

        classes = {type(source) for source in load_sources(config)}
        found = _plugins.load_all(NAMESPACE, Source, what='source')
        assert set(found.values()) == classes
        return {name: spelled(cls) for name, cls in found.items()}
    if namespace == 'symbiosis.api.rules':
        from symbiosis.api import Rule
        from symbiosis.api._differ import RULES_NAMESPACE
        from symbiosis.api._differ import load_rules

        classes = {type(rule) for rule in load_rules()}
        found = _plugins.load_all(RULES_NAMESPACE, Rule, what='diff rule')
        assert set(found.values()) == classes
        return {name: spelled(cls) for name, cls in found.items()}
    if namespace == 'symbiosis.probes':
        from symbiosis.probes import load_kinds

        return {name: spelled(type(kind))
                for name, kind in load_kinds().items()}
    if namespace == 'symbiosis.release.checks':
        from symbiosis.release import Check
        from symbiosis.release._checks import CHECKS_NAMESPACE
        from symbiosis.release._checks import load_checks

        classes = {type(check) for check in load_checks()}
        found = _plugins.load_all(CHECKS_NAMESPACE, Check,
                                  what='release check')
        assert set(found.values()) == classes
        return {name: spelled(cls) for name, cls in found.items()}
    if namespace == 'symbiosis.environments':
        from symbiosis.gate import Environment
        from symbiosis.gate._environments.base import NAMESPACE

        found = _plugins.load_all(NAMESPACE, Environment,
                                  what='environment')
        return {name: spelled(cls) for name, cls in found.items()}
    if namespace == 'symbiosis.executors':
        from symbiosis._executors import NAMESPACE
        from symbiosis._executors import load_executor

        return {name: spelled(type(load_executor(name)))
                for name in _plugins.names(NAMESPACE)}
    if namespace == 'symbiosis.reports':
        from symbiosis.gate._reports.base import load_report
        from symbiosis.gate._reports.base import report_formats

        return {name: spelled(type(load_report(name)))
                for name in report_formats()}
    if namespace == 'symbiosis.cli':
        from symbiosis.cli._app import NAMESPACE
        from symbiosis.cli._app import CommandManager

        return {name.replace(' ', '_'): spelled(entry.load())
                for name, entry in CommandManager(NAMESPACE)}
    raise AssertionError(f'no loader known for {namespace}')


class TestDeclaredPlugins(base.TestCase):
    """What loads is what pyproject.toml declares, namespace by namespace.

    (After changing entry points, reinstall: ``pip install -e .``.)
    """

    def test_the_eight_namespaces_are_the_declared_ones(self) -> None:
        from symbiosis._executors import NAMESPACE as executors
        from symbiosis.api._differ import RULES_NAMESPACE
        from symbiosis.cli._app import NAMESPACE as cli
        from symbiosis.gate._environments.base import NAMESPACE as envs
        from symbiosis.gate._reports.base import NAMESPACE as reports
        from symbiosis.probes._kinds.base import NAMESPACE as kinds
        from symbiosis.release._checks import CHECKS_NAMESPACE
        from symbiosis.sources import NAMESPACE as sources

        in_code = {sources, RULES_NAMESPACE, kinds, CHECKS_NAMESPACE, envs,
                   executors, reports, cli}
        self.assertEqual(set(NAMESPACES), in_code)
        self.assertEqual(set(NAMESPACES), set(declared()))

    def test_each_namespace_loads_its_entry_points(self) -> None:
        groups = declared()
        for namespace in NAMESPACES:
            with self.subTest(namespace=namespace):
                self.assertEqual(groups[namespace], loaded(namespace))

    def test_builtins_are_the_declared_entry_points(self) -> None:
        from symbiosis import _plugins
        from symbiosis.api._rules import builtin_rule_classes
        from symbiosis.sources import builtin_sources

        groups = declared()
        for namespace in NAMESPACES:
            self.assertEqual(sorted(groups[namespace]),
                             _plugins.builtin_names(namespace))
        self.assertEqual(
            sorted(groups['symbiosis.api.rules'].values()),
            sorted(spelled(cls) for cls in builtin_rule_classes()))
        self.assertEqual(
            sorted(groups['symbiosis.sources'].values()),
            sorted(spelled(cls) for cls in builtin_sources()))

    def test_a_source_tree_never_installed_has_its_plugins(self) -> None:
        # symbiosis copied beside its pyproject.toml, run without site
        # packages: no distribution metadata, only its dependencies that
        # read the tree's plugins importable.
        tree = self.tmp / 'tree'
        shutil.copytree(ROOT / 'symbiosis', tree / 'symbiosis',
                        ignore=shutil.ignore_patterns('__pycache__'))
        shutil.copy(ROOT / 'pyproject.toml', tree / 'pyproject.toml')
        site = self.tmp / 'site'
        site.mkdir()
        import stevedore

        stevedore_dir = pathlib.Path(stevedore.__file__).parent
        (site / 'stevedore').symlink_to(stevedore_dir, True)
        if sys.version_info < (3, 11):
            # pyproject.toml is read with tomli before Python 3.11 (a
            # dependency there, as stevedore is everywhere).
            import tomli

            tomli_dir = pathlib.Path(tomli.__file__).parent
            (site / 'tomli').symlink_to(tomli_dir, True)
        code = textwrap.dedent('''
            import importlib.metadata, json
            from symbiosis import _plugins
            try:
                importlib.metadata.distribution('symbiosis')
            except importlib.metadata.PackageNotFoundError:
                pass
            else:
                raise SystemExit('symbiosis is installed here')
            print(json.dumps({ns: _plugins.names(ns) for ns in NAMESPACES}))
        ''')
        code = f'NAMESPACES = {NAMESPACES!r}\n{code}'
        result = subprocess.run(
            [sys.executable, '-S', '-c', code], capture_output=True,
            text=True, timeout=120, cwd=self.tmp,
            env=_env(self.tmp, f'{tree}{os.pathsep}{site}'))
        self.assertEqual(0, result.returncode, result.stderr)
        names = json.loads(result.stdout)
        groups = declared()
        for namespace in NAMESPACES:
            self.assertEqual(sorted(groups[namespace]), names[namespace])


class TestCheapImport(base.TestCase):
    def test_no_package_imports_stevedore(self) -> None:
        code = textwrap.dedent('''
            import sys
            import symbiosis.api, symbiosis.gate, symbiosis.probes
            import symbiosis.sources, symbiosis.release, symbiosis.cli
            # The plugin base classes load without stevedore too.
            bases = [symbiosis.api.Rule, symbiosis.gate.Environment,
                     symbiosis.gate.ExecutorFactory, symbiosis.gate.Report,
                     symbiosis.probes.ProbeKind, symbiosis.release.Check,
                     symbiosis.sources.Source]
            print(sorted(m for m in sys.modules
                         if m.split('.')[0] in ('stevedore', 'cliff')))
        ''')
        result = subprocess.run(
            [sys.executable, '-c', code], capture_output=True, text=True,
            timeout=120, check=True)
        self.assertEqual('[]', result.stdout.strip())


#: A distribution whose plugins are broken, one per namespace, beside two
#: that are not: a report that loads and a "probe kind" of the wrong type.
BROKEN_FILES = {
    'brokenplug/__init__.py': '',
    'brokenplug/bad.py': '''
        raise RuntimeError('boom at import')
    ''',
    'brokenplug/exits.py': '''
        import sys
        sys.exit(0)  # would end the run with status 0, having judged nothing
    ''',
    'brokenplug/good.py': '''
        from symbiosis.gate import Report


        class ShoutReport(Report):
            name = 'shout'

            def render(self, report):
                return b'SHOUT\\n'


        class NotAKind:
            """Registered as a probe kind; it is not one."""
    ''',
}

BROKEN_ENTRY_POINTS = {
    'symbiosis.sources': {'broken': 'brokenplug.bad:Source'},
    'symbiosis.api.rules': {'broken': 'brokenplug.bad:Rule'},
    'symbiosis.probes': {'broken': 'brokenplug.bad:Kind',
                         'not_a_kind': 'brokenplug.good:NotAKind'},
    'symbiosis.release.checks': {'broken': 'brokenplug.bad:Check',
                                 'exits': 'brokenplug.exits:Check'},
    'symbiosis.environments': {'broken': 'brokenplug.bad:Environment'},
    'symbiosis.executors': {'broken': 'brokenplug.bad:Executor'},
    'symbiosis.reports': {'broken': 'brokenplug.bad:Report',
                          'shout': 'brokenplug.good:ShoutReport'},
    'symbiosis.cli': {'broken_cmd': 'brokenplug.bad:Command'},
}

#: What each namespace calls a plugin in messages.
WHAT = {
    'symbiosis.sources': 'source',
    'symbiosis.api.rules': 'diff rule',
    'symbiosis.probes': 'probe kind',
    'symbiosis.release.checks': 'release check',
    'symbiosis.environments': 'environment',
    'symbiosis.executors': 'executor',
    'symbiosis.reports': 'report format',
    'symbiosis.cli': 'command',
}

#: Loads every namespace the way symbiosis does; prints what loaded.
LOAD_EVERYTHING = '''
import json, logging
logging.basicConfig(format='%(levelname)s %(name)s %(message)s')
from symbiosis import _plugins
from symbiosis._executors import ExecutorFactory
from symbiosis.api._differ import load_rules
from symbiosis.cli._app import CommandManager
from symbiosis.config import Config
from symbiosis.gate._environments.base import load_environment
from symbiosis.gate._reports.base import load_report, report_formats
from symbiosis.probes import load_kinds
from symbiosis.release._checks import load_checks
from symbiosis.sources import load_sources

config = Config()
print(json.dumps({
    'symbiosis.sources': [type(s).__name__ for s in load_sources(config)],
    'symbiosis.api.rules': [r.kind for r in load_rules()],
    'symbiosis.probes': sorted(load_kinds()),
    'symbiosis.release.checks': [c.name for c in load_checks()],
    'symbiosis.environments': load_environment(None, config).name,
    'symbiosis.executors': sorted(_plugins.load_all(
        'symbiosis.executors', ExecutorFactory, what='executor')),
    'symbiosis.reports': report_formats(),
    'shout': load_report('shout').render(None).decode(),
    'symbiosis.cli': sorted(name for name, _ in
                            CommandManager('symbiosis.cli')),
}))
'''


def _env(tmp: pathlib.Path, pythonpath: str) -> dict[str, str]:
    env = dict(os.environ)
    env['PYTHONPATH'] = pythonpath
    # stevedore caches entry points per sys.path: keep that cache here.
    env['XDG_CACHE_HOME'] = str(tmp / 'xdg-cache')
    return env


class TestBrokenPlugin(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        dist = self.make_dist('brokenplug', '1.0', BROKEN_FILES,
                              entry_points=BROKEN_ENTRY_POINTS)
        # The wheel unpacked is an importable distribution: its package
        # and its .dist-info with entry_points.txt.
        self.site = self.tmp / 'site'
        with zipfile.ZipFile(dist.wheel) as wheel:
            wheel.extractall(self.site)
        self.env = _env(self.tmp, str(self.site))

    def environ(self, allow: str | None) -> dict[str, str]:
        """The subprocesses' environment; ``allow``: the value of
        ``SYMBIOSIS_ALLOW_BROKEN_PLUGINS`` (``None``: unset)."""
        env = dict(self.env)
        env.pop('SYMBIOSIS_ALLOW_BROKEN_PLUGINS', None)
        if allow is not None:
            env['SYMBIOSIS_ALLOW_BROKEN_PLUGINS'] = allow
        return env

    def python(
        self, code: str, ALLOW: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, '-c', code], capture_output=True, text=True,
            timeout=120, env=self.environ(ALLOW), cwd=self.tmp)

    def cli(
        self, *args: str, ALLOW: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', *args],
            capture_output=True, text=True, timeout=120,
            env=self.environ(ALLOW), cwd=self.tmp)

    def test_a_broken_plugin_fails_a_run_that_needs_it(self) -> None:
        # Each namespace whose plugins a run uses all together: the first
        # broken plugin by name is an InfrastructureError naming it, its
        # namespace, its entry point and its error.
        result = self.python(textwrap.dedent('''
            import json
            from symbiosis.api._differ import load_rules
            from symbiosis.config import Config
            from symbiosis.exception import InfrastructureError
            from symbiosis.probes import load_kinds
            from symbiosis.release._checks import load_checks
            from symbiosis.sources import load_sources

            for load in (lambda: load_sources(Config()), load_rules,
                         load_kinds, load_checks):
                try:
                    load()
                except InfrastructureError as err:
                    print(json.dumps([type(err).__name__, err.exit_code,
                                      err.namespace, err.name,
                                      err.entry_point, str(err)]))
        '''))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('', result.stderr)
        hint = (' (set SYMBIOSIS_ALLOW_BROKEN_PLUGINS=1 or '
                '--allow-broken-plugins to run without it)')
        expected = []
        for namespace, more in (('symbiosis.sources', ''),
                                ('symbiosis.api.rules', ''),
                                ('symbiosis.probes', '; 1 more probe kind '
                                 'cannot be loaded either'),
                                ('symbiosis.release.checks', '; 1 more '
                                 'release check cannot be loaded either')):
            value = BROKEN_ENTRY_POINTS[namespace]['broken']
            expected.append([
                'PluginLoadError', 3, namespace, 'broken', value,
                f"{WHAT[namespace]} 'broken' cannot be loaded ({namespace} "
                f'entry point broken = {value}): RuntimeError: boom at '
                f'import{more}{hint}'])
        self.assertEqual(expected,
                         [json.loads(line)
                          for line in result.stdout.splitlines()])

    def test_the_program_exits_3_with_one_line(self) -> None:
        tree = self.write_tree({'lib/__init__.py': 'def f(a): pass\n'})
        for args in (('api', 'diff', str(tree), str(tree)),
                     ('api', 'rules'), ('api', 'dump', str(tree)),
                     ('probe', 'list', str(tree))):
            with self.subTest(args=args):
                result = self.cli(*args)
                self.assertEqual(3, result.returncode, result.stderr)
                # One line, after the warning about the broken command
                # (which this run does not use).
                warning, line = result.stderr.splitlines()
                self.assertTrue(warning.startswith(
                    "skipping broken command 'broken_cmd'"), warning)
                self.assertRegex(
                    line, r"^symbiosis: error: (diff rule|source|probe "
                    r"kind) 'broken' cannot be loaded \(symbiosis\.\S+ "
                    r'entry point broken = brokenplug\.bad:\w+\): '
                    r'RuntimeError: boom at import.* \(set '
                    r'SYMBIOSIS_ALLOW_BROKEN_PLUGINS=1 or '
                    r'--allow-broken-plugins to run without it\)$')
                self.assertEqual('', result.stdout)
        debug = self.cli('--debug', 'api', 'rules')
        self.assertEqual(3, debug.returncode, debug.stderr)
        self.assertIn('Traceback (most recent call last)', debug.stderr)
        self.assertIn("raise RuntimeError('boom at import')", debug.stderr)
        self.assertIn('symbiosis.exception.PluginLoadError: ', debug.stderr)
        self.assertTrue(debug.stderr.splitlines()[-1].startswith(
            "symbiosis: error: diff rule 'broken' cannot be loaded"))

    def test_a_plugin_exiting_at_import_is_broken(self) -> None:
        from tests.test_release import Repo

        repo = Repo(self.tmp / 'repo')
        repo.commit('first', {
            'pyproject.toml': '[project]\nname = "tiny"\nversion = "1.0"\n',
            'tiny/__init__.py': 'def f(): ...\n',
        })
        args = ('release', 'check', '--repo', str(repo.root), '--offline',
                '--proposed', '1.0.0')
        # Its sys.exit(0) does not end the run with status 0.
        release = self.cli(*args)
        self.assertEqual(3, release.returncode, release.stderr)
        self.assertIn("release check 'broken' cannot be loaded",
                      release.stderr)
        self.assertIn('1 more release check cannot be loaded either',
                      release.stderr)
        allowed = self.cli(*args, ALLOW='1')
        self.assertNotEqual(3, allowed.returncode, allowed.stderr)
        self.assertIn(
            "skipping broken release check 'exits' (symbiosis.release.checks "
            'entry point exits = brokenplug.exits:Check): SystemExit: 0',
            allowed.stderr.splitlines())

    def test_allowed_broken_plugins_are_skipped_with_one_warning(
        self,
    ) -> None:
        result = self.python(LOAD_EVERYTHING, ALLOW='1')
        self.assertEqual(0, result.returncode, result.stderr)
        found: dict[str, Any] = json.loads(result.stdout)
        groups = declared()
        # The built-ins all load; the broken plugins are left out and the
        # working third-party report is there.
        self.assertEqual(len(groups['symbiosis.sources']),
                         len(found['symbiosis.sources']))
        self.assertEqual(len(groups['symbiosis.api.rules']),
                         len(found['symbiosis.api.rules']))
        self.assertEqual(sorted(groups['symbiosis.probes']),
                         found['symbiosis.probes'])
        self.assertEqual(len(groups['symbiosis.release.checks']),
                         len(found['symbiosis.release.checks']))
        self.assertIn(found['symbiosis.environments'], ('uv', 'venv'))
        self.assertEqual(sorted(groups['symbiosis.executors']),
                         found['symbiosis.executors'])
        self.assertEqual(
            ['text', *sorted({*groups['symbiosis.reports'], 'broken',
                              'shout'} - {'text'})],
            found['symbiosis.reports'])
        self.assertEqual('SHOUT\n', found['shout'])
        self.assertEqual(
            sorted(name.replace('_', ' ')
                   for name in groups['symbiosis.cli']),
            found['symbiosis.cli'])
        # One line per broken plugin loaded, naming it, its namespace and
        # its entry point. (Report formats load one by one, by name: the
        # broken one is only listed.)
        warnings = sorted(line for line in result.stderr.splitlines()
                          if line.startswith('WARNING'))
        expected = sorted(
            f"WARNING symbiosis._plugins skipping broken {WHAT[namespace]} "
            f"'{name}' ({namespace} entry point {name} = {value}): "
            'RuntimeError: boom at import'
            for namespace, plugins in BROKEN_ENTRY_POINTS.items()
            for name, value in plugins.items()
            if value.startswith('brokenplug.bad:')
            and namespace != 'symbiosis.reports'
        )
        expected.append(
            "WARNING symbiosis._plugins skipping broken probe kind "
            "'not_a_kind' (symbiosis.probes entry point not_a_kind = "
            'brokenplug.good:NotAKind): TypeError: '
            'brokenplug.good:NotAKind is not a ProbeKind subclass')
        expected.append(
            "WARNING symbiosis._plugins skipping broken release check "
            "'exits' (symbiosis.release.checks entry point exits = "
            'brokenplug.exits:Check): SystemExit: 0')
        self.assertEqual(sorted(expected), warnings, result.stderr)
        self.assertEqual(len(expected), len(result.stderr.splitlines()),
                         result.stderr)

    def test_the_program_runs_degraded_when_allowed(self) -> None:
        old = self.write_tree({'lib/__init__.py': 'def f(a): pass\n'},
                              'old')
        new = self.write_tree({'lib/__init__.py': 'def f(): pass\n'},
                              'new')
        for options, env in ((('--allow-broken-plugins',), {}),
                             ((), {'ALLOW': '1'})):
            with self.subTest(options=options, env=env):
                result = self.cli(*options, 'api', 'diff', str(old),
                                  str(new), **env)
                # The break is found; the run says what it ran without.
                self.assertEqual(1, result.returncode, result.stderr)
                self.assertIn('parameter-removed', result.stdout)
                self.assertEqual([
                    "skipping broken diff rule 'broken' "
                    '(symbiosis.api.rules entry point broken = '
                    'brokenplug.bad:Rule): RuntimeError: boom at import',
                ], [line for line in result.stderr.splitlines()
                    if 'diff rule' in line])
        # Set to 0, the variable allows nothing.
        refused = self.cli('api', 'diff', str(old), str(new), ALLOW='0')
        self.assertEqual(3, refused.returncode, refused.stderr)

    def test_a_run_picking_one_plugin_skips_the_others(self) -> None:
        # Commands and the default environment: a run uses one of them,
        # so a broken other one is a warning, never an error.
        result = self.python(textwrap.dedent('''
            from symbiosis.cli._app import CommandManager
            from symbiosis.config import Config
            from symbiosis.gate._environments.base import load_environment
            print(load_environment(None, Config()).name in ('uv', 'venv'))
            print('api dump' in dict(CommandManager('symbiosis.cli')))
        '''))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(['True', 'True'], result.stdout.splitlines())
        self.assertEqual(
            ["skipping broken environment 'broken' (symbiosis.environments "
             'entry point broken = brokenplug.bad:Environment): '
             'RuntimeError: boom at import',
             "skipping broken command 'broken_cmd' (symbiosis.cli entry "
             'point broken_cmd = brokenplug.bad:Command): RuntimeError: '
             'boom at import'],
            result.stderr.splitlines())

    def assert_config_error(
        self, result: subprocess.CompletedProcess[str], what: str,
        name: str, namespace: str,
    ) -> None:
        self.assertEqual(2, result.returncode, result.stderr)
        value = BROKEN_ENTRY_POINTS[namespace][name]
        self.assertEqual(
            f"symbiosis: error: {what} '{name}' cannot be loaded "
            f'({namespace} entry point {name} = {value}): RuntimeError: '
            'boom at import',
            result.stderr.strip().splitlines()[-1])

    def gate(self, *options: str) -> subprocess.CompletedProcess[str]:
        return self.cli(
            'gate', 'tinylib', '--baseline', str(EXAMPLES / 'tinylib-1.0'),
            '--candidate', str(EXAMPLES / 'tinylib-1.1'),
            '--probes', str(EXAMPLES / 'probes_tinylib.py'), *options)

    def test_asking_for_a_broken_report_format(self) -> None:
        self.assert_config_error(self.gate('--format', 'broken'),
                                 'report format', 'broken',
                                 'symbiosis.reports')

    def test_asking_for_a_broken_executor(self) -> None:
        self.assert_config_error(self.gate('--executor', 'broken'),
                                 'executor', 'broken', 'symbiosis.executors')

    def test_asking_for_a_broken_environment(self) -> None:
        self.assert_config_error(self.gate('--environment', 'broken'),
                                 'environment', 'broken',
                                 'symbiosis.environments')

    def test_asking_for_a_broken_command(self) -> None:
        result = self.cli('broken', 'cmd')
        self.assert_config_error(result, 'command', 'broken_cmd',
                                 'symbiosis.cli')

    def test_the_library_raises_config_error(self) -> None:
        result = self.python(textwrap.dedent('''
            from symbiosis.exception import ConfigError
            from symbiosis.probes._kinds.base import load_kind
            from symbiosis._executors import load_executor
            for load in (lambda: load_kind('broken'),
                         lambda: load_executor('broken'),
                         lambda: load_executor('nope')):
                try:
                    load()
                except ConfigError as err:
                    print(err.key, err)
        '''))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual([
            "broken probe kind 'broken' cannot be loaded (symbiosis.probes "
            'entry point broken = brokenplug.bad:Kind): RuntimeError: boom '
            'at import',
            "broken executor 'broken' cannot be loaded (symbiosis.executors "
            'entry point broken = brokenplug.bad:Executor): RuntimeError: '
            'boom at import',
            "nope unknown executor 'nope'; installed: broken, dask, process, "
            'sync, thread',
        ], result.stdout.splitlines())


GUIDE = ROOT / 'doc' / 'source' / 'plugins' / 'examples'

#: Uses each plugin of the guide the way symbiosis does; prints results.
USE_THE_GUIDE = '''
import json, pathlib, sys
from symbiosis import api, probes, release
from symbiosis._executors import load_executor
from symbiosis.config import Config
from symbiosis.gate import Classification, EnvironmentSpec, GateReport
from symbiosis.gate import ProbeResult
from symbiosis.gate._environments.base import load_environment
from symbiosis.gate._reports.base import load_report

work = pathlib.Path(sys.argv[1])
config = Config.from_environ()
out = {}
out['sources'] = api.load('mirror:tinylib==1.0', config=config).name
diff = api.diff(api.load(str(work / 'old'), config=config),
                api.load(str(work / 'new'), config=config))
out['rules'] = [change.message for change in diff.changes
                if change.kind == 'internal-name-exposed']
found = [p for p in probes.discover([str(work / 'probes')])
         if p.kind == 'imports']
out['probes'] = {o.probe_id: str(o.status)
                 for o in probes.run_probes(found, sys.executable)}
out['checks'] = [p.message for p in release.check(
    str(work / 'repo'), proposed='1.0.0', offline=True)
    if p.check == 'license']
with load_executor('spawn', workers=1).create() as pool:
    out['executors'] = pool.submit(pow, 2, 10).result()
report = GateReport('tinylib', '1.0', '1.1', results=(
    ProbeResult('probes.py::test_it', (), (), Classification.REGRESSION),))
out['reports'] = load_report('markdown').render(report).decode()
built = load_environment('system_site', config).ensure(
    EnvironmentSpec(install=()), work / 'envs')
out['environments'] = [built.kind, pathlib.Path(built.python).is_file()]
print(json.dumps(out))
'''


class TestGuideExamples(base.TestCase):
    """The plugin guide's examples, installed as a real distribution."""

    def setUp(self) -> None:
        super().setUp()
        data = tomllib.loads(
            (GUIDE / 'pyproject.toml').read_text(encoding='utf-8'))
        groups = data['project']['entry-points']
        files = {
            path.relative_to(GUIDE).as_posix(): path.read_text('utf-8')
            for path in sorted((GUIDE / 'mypkg').glob('*.py'))
        }
        dist = self.make_dist('mypkg', '1.0', files, entry_points=groups,
                              dedent=False)
        site = self.tmp / 'site'
        with zipfile.ZipFile(dist.wheel) as wheel:
            wheel.extractall(site)
        self.env = _env(self.tmp, str(site))
        self.groups = groups

    def test_there_is_one_example_per_namespace(self) -> None:
        self.assertEqual(set(NAMESPACES), set(self.groups))

    def test_every_example_works(self) -> None:
        from tests.test_release import Repo

        work = self.tmp / 'work'
        mirror = work / 'mirror'
        tinylib = self.make_dist('tinylib', '1.0',
                                 {'tinylib/__init__.py': 'def f(): ...\n'})
        mirror.mkdir(parents=True)
        shutil.copy(tinylib.wheel, mirror)
        self.env['WHEEL_MIRROR'] = str(mirror)
        for side, text in (('old', 'def f(): ...\n'),
                           ('new', 'def f(): ...\ninternal_cache = {}\n')):
            (work / side / 'lib').mkdir(parents=True)
            (work / side / 'lib' / '__init__.py').write_text(text)
        (work / 'probes').mkdir()
        (work / 'probes' / 'smoke.imports').write_text(
            'json\nno_such_module_symbiosis  # not installed\n')
        repo = Repo(work / 'repo')
        repo.commit('first', {
            'pyproject.toml': (
                '[project]\nname = "tinypkg"\nversion = "1.0.0"\n'),
            'tinypkg/__init__.py': 'def f(): ...\n',
        })
        result = subprocess.run(
            [sys.executable, '-c', USE_THE_GUIDE, str(work)],
            capture_output=True, text=True, timeout=300, env=self.env,
            cwd=self.tmp)
        self.assertEqual(0, result.returncode, result.stderr)
        out = json.loads(result.stdout)
        self.assertEqual('tinylib', out['sources'])
        self.assertEqual(['lib.internal_cache looks internal but was added '
                          'to the public API'], out['rules'])
        self.assertEqual({'smoke.imports::json': 'pass',
                          'smoke.imports::no_such_module_symbiosis': 'fail'},
                         out['probes'])
        self.assertEqual(['no licence file at the top of the repository'],
                         out['checks'])
        self.assertEqual(1024, out['executors'])
        self.assertEqual(
            '**tinylib** 1.0 -> 1.1: regression\n\n| probe | result |\n'
            '| --- | --- |\n| `probes.py::test_it` | regression |\n',
            out['reports'])
        self.assertEqual(['system_site', True], out['environments'])

    def test_the_example_command(self) -> None:
        tree = self.write_tree({'lib/__init__.py': 'def f(): ...\nX = 1\n'})
        result = subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', 'api', 'count',
             str(tree), '--format', 'json'],
            capture_output=True, text=True, timeout=120, env=self.env,
            cwd=self.tmp)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual({'target': str(tree), 'public': 3},
                         json.loads(result.stdout))
