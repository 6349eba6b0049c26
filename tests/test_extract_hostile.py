"""The static analyser under hostile trees: real files, the real program.

Symbolic-link loops, unreadable module files, integer literals longer
than the interpreter converts, expressions nested and ``elif`` chains as
long as Python compiles, star-import chains as long as a distribution has
modules: ``symbiosis api dump`` keeps every healthy module and every
name, and ``symbiosis usage`` every use (each run as a subprocess).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any

from tests import base

#: Python compiles sums and attribute chains this deep, and this long an
#: ``elif`` chain (about 3000 is its own limit before 3.13).
DEEP = 900
LONG_CHAIN = 2500
#: Hex digits of a long integer literal: its decimal form (6000 digits)
#: is past ``sys.get_int_max_str_digits()`` (4300 by default).
HEX_DIGITS = 5000


class HostileTestCase(base.TestCase):
    def cli(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run the ``symbiosis`` program (in a subprocess)."""
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', *args],
            capture_output=True, text=True, timeout=300, cwd=self.tmp,
            env={**os.environ, **env},
        )

    def project(self, files: dict[str, str], root: str = 'tree') -> str:
        """A project directory with ``files`` (not dedented) and a
        ``pyproject.toml`` naming it ``pkg``."""
        base_dir = self.tmp / root
        for rel, text in {
            'pyproject.toml': '[project]\nname = "pkg"\nversion = "1.0"\n',
            **files,
        }.items():
            path = base_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding='utf-8')
        return str(base_dir)

    def dump(self, tree: str, **env: str) -> tuple[dict[str, Any], str]:
        """``api dump`` of ``tree``: the snapshot and the stderr; the run
        must succeed."""
        result = self.cli('api', 'dump', tree, **env)
        self.assertEqual(0, result.returncode, result.stderr)
        snapshot: dict[str, Any] = json.loads(result.stdout)
        return snapshot, result.stderr

    def member(self, snapshot: dict[str, Any], module: str,
               *path: str) -> dict[str, Any]:
        found: dict[str, Any] = snapshot['modules'][module]
        for name in path:
            found = found['members'][name]
        return found


class TestSymbolicLinks(HostileTestCase):
    def test_loops_are_skipped_and_every_healthy_module_kept(self) -> None:
        tree = self.project({
            'pkg/__init__.py': 'def top(): pass\n',
            'pkg/good.py': 'def good(a=1): pass\n',
            'pkg/sub/__init__.py': 'X = 1\n',
            'pkg/sub/deep.py': 'def deep(): pass\n',
            'vendor/shared/__init__.py': '',
            'vendor/shared/tool.py': 'def tool(): pass\n',
        })
        pkg = pathlib.Path(tree) / 'pkg'
        (pkg / 'sub' / 'up').symlink_to('..', target_is_directory=True)
        (pkg / 'here').symlink_to('.', target_is_directory=True)
        (pkg / 'again').symlink_to('.', target_is_directory=True)
        (pkg / 'root').symlink_to('..', target_is_directory=True)
        # Two links to one directory: the first is followed, as the
        # import system would; the second would double the walk.
        (pkg / 'first').symlink_to('../vendor/shared', True)
        (pkg / 'second').symlink_to('../vendor/shared', True)
        snapshot, stderr = self.dump(tree)
        self.assertEqual(
            ['pkg', 'pkg.first', 'pkg.first.tool', 'pkg.good', 'pkg.sub',
             'pkg.sub.deep'],
            sorted(snapshot['modules']))
        self.assertEqual([], [m for m in snapshot['modules'].values()
                              if m.get('errors')])
        self.assertTrue(snapshot['complete'])
        self.assertEqual({'function'}, {
            self.member(snapshot, 'pkg.first.tool', 'tool')['kind'],
            self.member(snapshot, 'pkg.sub.deep', 'deep')['kind']})
        self.assertEqual(sorted([
            'skipping pkg/again: a symbolic link loop back to pkg',
            'skipping pkg/here: a symbolic link loop back to pkg',
            'skipping pkg/root: a symbolic link loop back to .',
            'skipping pkg/second: it links to the directory pkg/first '
            'already links to',
            'skipping pkg/sub/up: a symbolic link loop back to pkg',
        ]), sorted(stderr.splitlines()))

    def test_a_loop_in_an_sdist(self) -> None:
        import io
        import tarfile

        sdist = self.tmp / 'pkg-1.0.tar.gz'
        with tarfile.open(sdist, 'w:gz') as archive:
            for name, text in (
                ('pkg-1.0/PKG-INFO',
                 'Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n'),
                ('pkg-1.0/pkg/__init__.py', 'def top(): pass\n'),
                ('pkg-1.0/pkg/mod.py', 'def mod(): pass\n'),
            ):
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            link = tarfile.TarInfo('pkg-1.0/pkg/loop')
            link.type = tarfile.SYMTYPE
            link.linkname = '.'
            archive.addfile(link)
        snapshot, stderr = self.dump(str(sdist))
        self.assertEqual(['pkg', 'pkg.mod'], sorted(snapshot['modules']))
        self.assertIn('skipping pkg/loop: a symbolic link loop back to pkg',
                      stderr)

    def test_unreadable_module_files_are_listed_with_their_error(
        self,
    ) -> None:
        tree = self.project({
            'pkg/__init__.py': 'def top(): pass\n',
            'pkg/good.py': 'def good(): pass\n',
        })
        pkg = pathlib.Path(tree) / 'pkg'
        (pkg / 'dangling.py').symlink_to('missing.py')
        (pkg / 'itself.py').symlink_to('itself.py')
        snapshot, stderr = self.dump(tree)
        self.assertEqual(
            ['pkg', 'pkg.dangling', 'pkg.good', 'pkg.itself'],
            sorted(snapshot['modules']))
        self.assertFalse(snapshot['complete'])
        for name in ('dangling', 'itself'):
            module = snapshot['modules'][f'pkg.{name}']
            self.assertEqual({}, module.get('members', {}))
            [error] = module['errors']
            self.assertTrue(error['message'].startswith('cannot read file'),
                            error)
        self.assertIn('good', snapshot['modules']['pkg.good']['members'])
        self.assertIn('names in unreadable files are unknown', stderr)


class TestLongIntegers(HostileTestCase):
    def test_hex_literal_longer_than_decimal_conversion(self) -> None:
        number = '0x' + 'f' * HEX_DIGITS
        tree = self.project({'pkg/__init__.py': (
            f'BIG = {number}\n'
            f'NEGATIVE = -{number}\n'
            f'TABLE = [{number}, 1]\n'
            f'def f(a={number}, b: "x" = {number} + 1): pass\n'
            f'class K:\n    LIMIT = {number}\n'
            'def keep(): pass\n'
        )})
        snapshot, stderr = self.dump(tree)
        self.assertEqual('', stderr)
        shown = f'0x{"f" * 16}...{"f" * 16} ({HEX_DIGITS} hex digits)'
        self.assertEqual(shown, self.member(snapshot, 'pkg', 'BIG')['value'])
        self.assertEqual(f'-{shown}',
                         self.member(snapshot, 'pkg', 'NEGATIVE')['value'])
        self.assertEqual(f'[{shown}, 1]',
                         self.member(snapshot, 'pkg', 'TABLE')['value'])
        self.assertEqual(shown,
                         self.member(snapshot, 'pkg', 'K', 'LIMIT')['value'])
        parameters = self.member(snapshot, 'pkg', 'f')['signature'][
            'parameters']
        self.assertEqual([shown, f'{shown} + 1'],
                         [p['default'] for p in parameters])
        self.assertIn('keep', snapshot['modules']['pkg']['members'])

    def test_decimal_literal_python_refuses_to_convert(self) -> None:
        # The interpreter compiles it only with a raised limit
        # (PYTHONINTMAXSTRDIGITS=0); its names are read all the same.
        number = '9' * 5000
        tree = self.project({'pkg/__init__.py': (
            f'BIG = {number}\n'
            f'def f(a={number}, b=-{number}): pass\n'
            'def keep(): pass\n'
        )})
        snapshot, stderr = self.dump(tree)
        self.assertEqual('', stderr)
        module = snapshot['modules']['pkg']
        self.assertNotIn('errors', module)
        self.assertEqual({'BIG', 'f', 'keep'}, set(module['members']))
        # The value is unknown: not a literal the diff can compare.
        self.assertNotIn('value', module['members']['BIG'])
        parameters = module['members']['f']['signature']['parameters']
        self.assertEqual(['...', '-...'], [p['default'] for p in parameters])
        # With the limit lifted, the value is read, and shown truncated.
        lifted, _ = self.dump(tree, PYTHONINTMAXSTRDIGITS='0',
                              SYMBIOSIS_CACHE_DIR=str(self.tmp / 'other'))
        self.assertRegex(self.member(lifted, 'pkg', 'BIG')['value'],
                         r'^0x[0-9a-f]{16}\.\.\.[0-9a-f]{16} \(\d+ hex '
                         r'digits\)$')


class TestDeepNesting(HostileTestCase):
    def test_every_name_is_kept(self) -> None:
        total = '+'.join(['1'] * DEEP)
        chain = 'os' + '.path' * DEEP
        names = ' + '.join(["['keep']"] * DEEP)
        elifs = ''.join(f'elif x == {i}:\n    def f{i}(): pass\n'
                        for i in range(LONG_CHAIN))
        getattr_elifs = ''.join(
            f'    elif name == "old{i}":\n        return {i}\n'
            for i in range(1, LONG_CHAIN))
        tree = self.project({
            'pkg/__init__.py': (
                'import os, sys\n'
                f'__all__ = {names} + ["f0", "Base", "VALUE"]\n'
                f'def keep(a={total}, b={chain}, *, c: {total} = 1) '
                f'-> {total}: pass\n'
                f'VALUE = {total}\n'
                f'class Base({chain}): pass\n'
                f'if {"not " * DEEP}sys.version_info >= (3,):\n'
                '    pass\n'
                'if x:\n    pass\n'
                f'{elifs}'
            ),
            'pkg/lazy.py': (
                'def __getattr__(name):\n'
                '    if name == "old0":\n        return 0\n'
                f'{getattr_elifs}'
                '    raise AttributeError(name)\n'
            ),
        })
        snapshot, stderr = self.dump(tree)
        self.assertEqual('', stderr)
        module = snapshot['modules']['pkg']
        self.assertNotIn('errors', module)
        self.assertEqual(['keep', 'f0', 'Base', 'VALUE'], module['exports'])
        self.assertLessEqual(
            {'keep', 'VALUE', 'Base', 'f0', f'f{LONG_CHAIN - 1}'},
            set(module['members']))
        parameters = module['members']['keep']['signature']['parameters']
        # Nested past what can be written back: the deep end is ``...``.
        self.assertTrue(parameters[0]['default'].startswith('... + '))
        self.assertTrue(parameters[0]['default'].endswith(' + 1 + 1'))
        self.assertEqual(chain, parameters[1]['default'])
        self.assertTrue(parameters[2]['annotation'].startswith('... + '))
        self.assertEqual(f'os{".path" * DEEP}', module['members']['Base'][
            'bases'][0])
        lazy = snapshot['modules']['pkg.lazy']
        self.assertLessEqual(
            {'old0', f'old{LONG_CHAIN - 1}'}, set(lazy['members']))

    def test_a_chain_of_star_imports(self) -> None:
        count = 800
        files = {'pkg/__init__.py': 'from .m0 import *\n'}
        for i in range(count):
            following = f'from .m{i + 1} import *\n' if i + 1 < count else ''
            files[f'pkg/m{i}.py'] = f'{following}def f{i}(): pass\n'
        snapshot, stderr = self.dump(self.project(files))
        self.assertEqual('', stderr)
        exports = snapshot['modules']['pkg']['exports']
        self.assertEqual([f'f{i}' for i in range(count)], sorted(
            exports, key=lambda name: int(name[1:])))

    def test_usage_keeps_the_uses_of_a_deep_file(self) -> None:
        upstream = self.project({'up/__init__.py': 'def f(): pass\n'},
                                root='upstream')
        downstream = self.tmp / 'downstream'
        downstream.mkdir()
        elifs = ''.join(f'elif up.flag{i}:\n    pass\n'
                        for i in range(LONG_CHAIN))
        (downstream / 'app.py').write_text(
            'import up\n'
            f'total = {" + ".join(["up.f(1)"] * DEEP)}\n'
            f'size = up.f(0x{"f" * HEX_DIGITS})\n'
            f'chain = up{".attr" * DEEP}\n'
            f'negated = {"not " * DEEP}up.g\n'
            f'big = {"9" * 5000}\n'
            'if up.first:\n    pass\n'
            f'{elifs}'
            'up.last()\n')
        result = self.cli('usage', str(downstream), '--upstream', upstream,
                          '--format', 'json')
        self.assertEqual(0, result.returncode, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual([], report['errors'])
        found = {(use['path'], use['line']) for use in report['uses']}
        self.assertLessEqual(
            {('up.f', 2), ('up.f', 3), (f'up{".attr" * DEEP}', 4),
             ('up.g', 5), ('up.first', 7), ('up.flag0', 9),
             (f'up.flag{LONG_CHAIN - 1}', 7 + 2 * LONG_CHAIN),
             ('up.last', 9 + 2 * LONG_CHAIN)},
            found)
