"""A warm ``symbiosis api dump`` answered without the CLI framework:
the same bytes, messages and exit codes as through cliff (real
subprocesses, real trees and caches)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap

from tests import base
from tests.test_cli_start import SCRIPT
from tests.test_rules_table import add_distribution

#: Runs ``symbiosis ARGS`` through the entry point or through cliff
#: (argv[1]), then reports on stderr the exit code and whether cliff was
#: imported; stdout carries the command's bytes.
RUN = '''
    import sys
    if sys.argv[1] == 'entry':
        from symbiosis.cli._main import main
    else:
        from symbiosis.cli._app import main
    code = 'none'
    try:
        code = main(sys.argv[2:])
    except SystemExit as exit:
        code = exit.code
    finally:
        sys.stdout.flush()
        sys.stderr.write(
            f'exit {code} cliff {"cliff.app" in sys.modules}\\n')
    sys.exit(code)
'''


FILES = {
    'pkg/__init__.py': 'from pkg._impl import Client\n'
                       '__all__ = ["Client", "\u00e9t\u00e9"]\n'
                       '\u00e9t\u00e9 = 1\n',
    'pkg/_impl.py': 'class Client:\n    def get(self, key): pass\n',
}


class TestCachedDump(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        if not SCRIPT.exists():
            self.skipTest(f'{SCRIPT} is not installed')
        self.tree = self.write_tree(FILES)
        self.env: dict[str, str] = {}

    def run_as(
        self, how: str, *args: str,
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, '-c', textwrap.dedent(RUN), how, *args],
            capture_output=True, timeout=120, cwd=self.tmp,
            env={**os.environ, **self.env})

    def both(
        self, *args: str,
    ) -> tuple[subprocess.CompletedProcess[bytes],
               subprocess.CompletedProcess[bytes]]:
        """Run through the entry point, then through cliff."""
        return self.run_as('entry', *args), self.run_as('cliff', *args)

    def assertSame(
        self, entry: subprocess.CompletedProcess[bytes],
        cliff: subprocess.CompletedProcess[bytes],
    ) -> None:
        def seen(result: subprocess.CompletedProcess[bytes]) -> object:
            *lines, last = result.stderr.decode().splitlines()
            return (result.returncode, result.stdout, lines,
                    last.partition(' cliff ')[0])

        self.assertEqual(seen(cliff), seen(entry))

    def path_taken(self, result: subprocess.CompletedProcess[bytes]) -> str:
        last = result.stderr.decode().splitlines()[-1]
        return 'cliff' if last.endswith('cliff True') else 'cached'

    def test_a_warm_dump_is_the_cold_one(self) -> None:
        out = self.tmp / 'out' / 'dump.json'
        for args in (
            ('api', 'dump', str(self.tree)),
            ('api', 'dump', str(self.tree), '--indent', '2'),
            ('--cache-dir', str(self.tmp / 'other'), 'api', 'dump',
             str(self.tree), '-o', str(out)),
            ('api', 'dump', '--output=' + str(out), str(self.tree)),
        ):
            with self.subTest(args=args):
                self.env['SYMBIOSIS_CACHE_DIR'] = str(
                    self.tmp / f'cache{len(os.listdir(self.tmp))}')
                cold = self.run_as('entry', *args)
                self.assertEqual('cliff', self.path_taken(cold))
                written = out.read_bytes() if '-o' in args or any(
                    a.startswith('--output') for a in args) else None
                entry, cliff = self.both(*args)
                self.assertSame(entry, cliff)
                self.assertSame(entry, cold)
                self.assertEqual('cached', self.path_taken(entry))
                if written is not None:
                    self.assertEqual(written, out.read_bytes())
                    self.assertEqual(['dump.json'], os.listdir(out.parent))

    def test_a_changed_tree_is_dumped_again(self) -> None:
        args = ('api', 'dump', str(self.tree))
        first = self.run_as('entry', *args)
        (self.tree / 'pkg' / 'new.py').write_text('def added(): pass\n')
        entry = self.run_as('entry', *args)
        self.assertEqual('cliff', self.path_taken(entry))
        self.assertNotEqual(first.stdout, entry.stdout)
        self.assertIn(b'pkg.new', entry.stdout)
        self.assertEqual('cached', self.path_taken(self.run_as('entry',
                                                               *args)))

    def test_warnings_and_errors_are_the_cli_frameworks(self) -> None:
        (self.tree / 'pkg' / 'broken.py').write_text('def (:\n')
        blocker = self.tmp / 'a-file'
        blocker.write_text('')
        args = ('api', 'dump', str(self.tree))
        self.run_as('entry', *args)
        for argv in (
            args,  # cached, but with a warning to repeat
            ('api', 'dump', str(self.tree), '-o', str(blocker / 'x')),
            ('api', 'dump', str(self.tmp / 'missing')),
            ('api', 'dump', str(self.tree), '--indent', '17'),
            ('api', 'dump', str(self.tree), '--indent', '\u00b3'),
            ('api', 'dump'),
            ('api', 'dump', str(self.tree), str(self.tree)),
            ('--no-cache', 'api', 'dump', str(self.tree)),
            ('--cache-dir', str(blocker), 'api', 'dump', str(self.tree)),
        ):
            with self.subTest(args=argv):
                entry, cliff = self.both(*argv)
                self.assertSame(entry, cliff)
                self.assertEqual('cliff', self.path_taken(entry), argv)
        self.assertIn(b'broken.py', self.run_as('entry', *args).stderr)

    def test_an_unwritable_output_after_the_check(self) -> None:
        # The output is checked before the dump is written, as the
        # command does: same message, same exit code.
        args = ('api', 'dump', str(self.tree))
        self.run_as('entry', *args)
        directory = self.tmp / 'out.json'
        directory.mkdir()
        entry, cliff = self.both(*args, '--output', str(directory))
        self.assertSame(entry, cliff)
        self.assertEqual(2, entry.returncode)

    def test_a_source_of_another_distribution(self) -> None:
        # It could claim the target before the path source: cliff loads
        # every source and asks them in turn.
        args = ('api', 'dump', str(self.tree))
        self.run_as('entry', *args)
        site = self.tmp / 'site'
        add_distribution(site, 'extrasource', '''
            [symbiosis.sources]
            mine = extrasource:Mine
        ''', {'extrasource.py': '''
            from symbiosis.sources import Source

            class Mine(Source):
                priority = 1

                def accepts(self, target):
                    return False
        '''})
        self.env['PYTHONPATH'] = str(site)
        entry, cliff = self.both(*args)
        self.assertSame(entry, cliff)
        self.assertEqual('cliff', self.path_taken(entry))

    def test_sources_ahead_of_the_path_source_reject_its_targets(
        self,
    ) -> None:
        from symbiosis.config import Config
        from symbiosis.sources import builtin_sources
        from symbiosis.sources._local import PathSource

        config = Config.from_environ()
        path = PathSource(config, None)
        module = self.tree / 'pkg' / '_impl.py'
        targets = [str(self.tree), str(module), 'pkg', './x.whl.d',
                   str(self.tmp / 'missing' / 'dir'), '~/x', 'a/b==1']
        accepted = [t for t in targets if path.accepts(t)]
        self.assertGreater(len(accepted), 3)
        ahead = [cls for cls in builtin_sources()
                 if cls.priority <= PathSource.priority
                 and cls is not PathSource]
        self.assertTrue(ahead)
        for cls in ahead:
            for target in accepted:
                with self.subTest(source=cls.__name__, target=target):
                    self.assertFalse(cls(config, None).accepts(target))

    def test_the_entry_point_is_what_the_benchmark_runs(self) -> None:
        # bench_api_dump.py times the installed program.
        args = [str(SCRIPT), 'api', 'dump', str(self.tree)]
        env = {**os.environ, **self.env}
        cold = subprocess.run(args, capture_output=True, timeout=120,
                              env=env)
        warm = subprocess.run(args, capture_output=True, timeout=120,
                              env=env)
        self.assertEqual((0, cold.stdout, b''),
                         (warm.returncode, warm.stdout, warm.stderr))
        self.assertTrue(pathlib.Path(
            os.environ['SYMBIOSIS_CACHE_DIR']).is_dir())
