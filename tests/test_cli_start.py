"""The program's start-up: what it imports, and that the cheap paths
answer exactly what the CLI framework would (real subprocesses)."""

from __future__ import annotations

import io
import json
import os
import pathlib
import re
import subprocess
import sys
import textwrap

from tests import base

#: The installed program, next to this interpreter.
SCRIPT = pathlib.Path(sys.executable).with_name('symbiosis')


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``env`` added to this environment, in the
    cache directory's parent: not in a source tree, whose metadata a
    ``-c`` interpreter would find first on its path."""
    cwd = pathlib.Path(os.environ['SYMBIOSIS_CACHE_DIR']).parent
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120,
        env={**os.environ, **env}, cwd=cwd,
    )


def program(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``symbiosis ARGS`` through the installed entry point."""
    return run([str(SCRIPT), *args], **env)


def cliff_app(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``symbiosis ARGS`` run by the cliff application itself, as the
    entry point used to run it."""
    return run([sys.executable, '-c',
                'import sys; from symbiosis.cli._app import main; '
                'sys.exit(main())', *args], **env)


def python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter of this environment."""
    return run([sys.executable, '-c', textwrap.dedent(code)])


def same(
    one: subprocess.CompletedProcess[str],
    other: subprocess.CompletedProcess[str],
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    return ((one.returncode, one.stdout, one.stderr),
            (other.returncode, other.stdout, other.stderr))


class TestEntryPoint(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        if not SCRIPT.exists():
            self.skipTest(f'{SCRIPT} is not installed')

    def test_the_entry_point_is_the_cheap_one(self) -> None:
        import importlib.metadata

        (script,) = importlib.metadata.distribution(
            'symbiosis').entry_points.select(group='console_scripts',
                                              name='symbiosis')
        self.assertEqual('symbiosis.cli._main:main', script.value)

    def test_version_is_what_the_cli_framework_prints(self) -> None:
        fast = program('--version')
        self.assertEqual(*same(fast, cliff_app('--version')))
        installed = run([sys.executable, '-c',
                         'import importlib.metadata as m; '
                         'print(m.version("symbiosis"))'])
        self.assertEqual((0, f'symbiosis {installed.stdout}'),
                         (fast.returncode, fast.stdout))
        # Wrapped the same way on a narrow terminal.
        narrow = program('--version', COLUMNS='12')
        self.assertEqual(*same(narrow, cliff_app('--version',
                                                 COLUMNS='12')))
        self.assertEqual(2, len(narrow.stdout.splitlines()))

    def test_version_imports_no_cli_framework(self) -> None:
        result = python('''
            import sys
            from symbiosis.cli._main import main
            try:
                main(['--version'])
            except SystemExit as exit:
                code = exit.code
            heavy = sorted(
                name for name in sys.modules
                if name.partition('.')[0] in ('cliff', 'stevedore')
                or name == 'symbiosis.cli._app')
            sys.stderr.write(f'{code} {heavy}\\n')
        ''')
        self.assertEqual('0 []', result.stderr.strip())
        self.assertTrue(result.stdout.startswith('symbiosis '))

    def test_other_command_lines_are_the_cli_frameworks(self) -> None:
        for args in (['--help'], ['api', 'rules'],
                     ['api', 'rules', '-f', 'json'], ['help', 'api', 'dump'],
                     ['api', 'dump', '--help'], [], ['bogus'],
                     ['-q', '--version'], ['--version', 'api']):
            with self.subTest(args=args):
                self.assertEqual(*same(program(*args), cliff_app(*args)))

    def test_api_rules_lists_every_rule(self) -> None:
        from symbiosis.api._differ import load_rules

        result = program('api', 'rules', '-f', 'json')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(sorted(str(rule.kind) for rule in load_rules()),
                         [row['kind'] for row in json.loads(result.stdout)])

    def test_help_describes_every_declared_command(self) -> None:
        from symbiosis import _plugins

        result = program('--help')
        self.assertEqual(0, result.returncode, result.stderr)
        for name in _plugins.builtin_names('symbiosis.cli'):
            cls = _plugins.load('symbiosis.cli', name, object,
                                what='command')
            summary = (cls.__doc__ or '').strip().splitlines()[0]
            with self.subTest(command=name):
                self.assertRegex(
                    result.stdout,
                    rf"\n  {name.replace('_', ' ')} +"
                    + re.escape(summary[:30]))


class TestLazyCommands(base.TestCase):
    def test_a_run_imports_only_the_command_it_names(self) -> None:
        result = python('''
            import sys
            from symbiosis.cli._app import main
            code = main(['api', 'rules'])
            commands = sorted(
                name for name in sys.modules
                if name.startswith('symbiosis.cli._')
                and name not in ('symbiosis.cli._app',
                                 'symbiosis.cli._base',
                                 'symbiosis.cli._rules_listing',
                                 'symbiosis.cli._values'))
            sys.stderr.write(f'{code} {commands}\\n')
        ''')
        self.assertEqual("0 ['symbiosis.cli._api']", result.stderr.strip())

    def test_epilogs_are_the_cli_frameworks(self) -> None:
        # The epilog is built without cliff's search of every installed
        # distribution; it must read as cliff's own.
        result = python('''
            from cliff import command
            from symbiosis import _plugins
            from symbiosis.cli._app import SymbiosisApp
            app = SymbiosisApp()
            for name in _plugins.builtin_names('symbiosis.cli'):
                cls = _plugins.load('symbiosis.cli', name, command.Command,
                                    what='command')
                cmd = cls(app, None, cmd_name=name)
                assert cmd.get_epilog() == command.Command.get_epilog(cmd), (
                    name)
                print(name)
        ''')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('api_dump', result.stdout.split())


class TestDumpFromCache(base.TestCase):
    FILES = {
        'pkg/__init__.py': 'from pkg._impl import Client\n'
                           '__all__ = ["Client", "\u00e9t\u00e9"]\n'
                           '\u00e9t\u00e9 = 1\n',
        'pkg/_impl.py': 'class Client:\n    def get(self, key): pass\n',
        'pkg/broken.py': 'def (:\n',
    }

    def test_warm_output_is_the_cold_bytes(self) -> None:
        root = self.tmp / 'tree'
        for name, text in self.FILES.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding='utf-8')
        env = {'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'cache')}

        def dump(*args: str) -> subprocess.CompletedProcess[bytes]:
            return subprocess.run(
                [sys.executable, '-m', 'symbiosis.cli._app', 'api', 'dump',
                 str(root), *args],
                capture_output=True, timeout=120, env={**os.environ, **env})

        cold = dump()
        self.assertEqual(0, cold.returncode, cold.stderr)
        self.assertIn(b'broken.py', cold.stderr)
        files = list((self.tmp / 'cache').rglob('dumps/*/*.json'))
        self.assertEqual(1, len(files))
        self.assertEqual(cold.stdout, files[0].read_bytes())
        warm = dump()
        self.assertEqual((0, cold.stdout, cold.stderr),
                         (warm.returncode, warm.stdout, warm.stderr))
        out = self.tmp / 'out' / 'dump.json'
        written = dump('--output', str(out))
        self.assertEqual((0, b'', cold.stderr),
                         (written.returncode, written.stdout,
                          written.stderr))
        self.assertEqual(cold.stdout, out.read_bytes())
        # Replaced, not appended to; no temporary file left.
        dump('--output', str(out))
        self.assertEqual(cold.stdout, out.read_bytes())
        self.assertEqual(['dump.json'], os.listdir(out.parent))
        # Without the cache the bytes are the same too.
        nocache = dump('--output', str(out), '--indent', '0')
        self.assertEqual(0, nocache.returncode, nocache.stderr)
        self.assertNotEqual(cold.stdout, out.read_bytes())

    def test_send_file_to_a_pipe_a_file_and_a_buffer(self) -> None:
        from symbiosis._files import send_file

        data = bytes(range(256)) * 40000
        source = self.tmp / 'source'
        source.write_bytes(data)
        target = self.tmp / 'target'
        with open(source, 'rb') as reader, open(target, 'wb') as writer:
            writer.write(b'head')
            reader.seek(10)
            self.assertEqual(len(data) - 10, send_file(reader, writer))
        self.assertEqual(b'head' + data[10:], target.read_bytes())
        memory = io.BytesIO()
        with open(source, 'rb') as reader:
            self.assertEqual(len(data), send_file(reader, memory))
        self.assertEqual(data, memory.getvalue())
        result = subprocess.run(
            [sys.executable, '-c', textwrap.dedent(f'''
                import sys
                from symbiosis._files import send_file
                with open({str(source)!r}, 'rb') as reader:
                    send_file(reader, sys.stdout.buffer)
            ''')], capture_output=True, timeout=60)
        self.assertEqual((0, data), (result.returncode, result.stdout))

    def test_cached_dump_equals_and_saves_its_text(self) -> None:
        from symbiosis.api._extract.dump import SnapshotDump

        path = self.tmp / 'text.json'
        path.write_bytes('{"\u00e9":1}\n'.encode())
        cached = SnapshotDump(path, (), True, 'x')
        fresh = SnapshotDump('{"\u00e9":1}\n', (), True, 'x')
        self.assertEqual(fresh, cached)
        self.assertNotEqual(SnapshotDump('{}\n', (), True, 'x'), cached)
        out = self.tmp / 'a' / 'b.json'
        cached.save(out)
        self.assertEqual(path.read_bytes(), out.read_bytes())
