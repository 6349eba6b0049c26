"""Bad input, as users type it: exit 2, one line naming it, no work done.

Every case runs the real ``symbiosis`` program in a subprocess. A gate
given bad input must refuse it before any environment is built: its
stderr is the one error line (no progress line) and the cache holds no
environment.
"""

from __future__ import annotations

import io
import json
import os
import pathlib
import stat
import subprocess
import sys
import tarfile
import zipfile

from tests import base
from tests.test_cli import run_cli
from tests.test_gate import TINY_10
from tests.test_gate import TINY_11
from tests.test_gate import TINY_PROBES

#: A file name longer than any file system allows (255 bytes).
LONG = 'x' * 300


class InputTestCase(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.cache = pathlib.Path(os.environ['SYMBIOSIS_CACHE_DIR'])
        self.a_file = self.tmp / 'a-file'
        self.a_file.write_text('not a directory\n')

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, env={'SYMBIOSIS_OFFLINE': '1'},
                       cwd=str(self.tmp))

    def gate(self, *args: str, baseline: str = TINY_10,
             candidate: str = TINY_11) -> subprocess.CompletedProcess[str]:
        return self.cli('gate', 'tinylib', '--baseline', baseline,
                        '--candidate', candidate, '--probes', TINY_PROBES,
                        *args)

    def assertBadInput(
        self, result: subprocess.CompletedProcess[str], *names: str
    ) -> str:
        """Exit 2, one line on stderr naming ``names``, no traceback."""
        self.assertEqual(2, result.returncode, result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(1, len(lines), result.stderr)
        self.assertNotIn('Traceback', result.stderr)
        self.assertNotIn('internal error', result.stderr)
        for name in names:
            self.assertIn(name, lines[0])
        return lines[0]

    def assertNothingBuilt(self) -> None:
        envs = self.cache / 'envs'
        self.assertEqual(
            [], sorted(envs.iterdir()) if envs.is_dir() else [])


class TestCacheDir(InputTestCase):

    def test_naming_a_file(self) -> None:
        result = self.cli('--cache-dir', str(self.a_file), 'api', 'dump',
                          TINY_10)
        line = self.assertBadInput(result, str(self.a_file))
        self.assertIn('cache directory', line)

    def test_below_a_file(self) -> None:
        impossible = self.a_file / 'cache'
        result = self.cli('--cache-dir', str(impossible), 'gate',
                          'tinylib', '--baseline', TINY_10, '--candidate',
                          TINY_11, '--probes', TINY_PROBES)
        self.assertBadInput(result, str(impossible), 'Not a directory')

    def test_from_the_environment(self) -> None:
        result = run_cli('api', 'dump', TINY_10,
                         env={'SYMBIOSIS_CACHE_DIR': str(self.a_file)})
        self.assertBadInput(result, str(self.a_file))

    def test_name_too_long(self) -> None:
        result = self.cli('--cache-dir', str(self.tmp / LONG), 'api',
                          'dump', TINY_10)
        self.assertBadInput(result, LONG, 'too long')

    def test_a_new_directory_is_created(self) -> None:
        fresh = self.tmp / 'new' / 'cache'
        result = self.cli('--cache-dir', str(fresh), 'api', 'dump',
                          TINY_10)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue(fresh.is_dir())


class TestRequirementFiles(InputTestCase):

    def test_nul_bytes(self) -> None:
        path = self.tmp / 'requirements.txt'
        path.write_bytes(b'packaging>=20\nreq\x00uests==2.0\n')
        line = self.assertBadInput(
            self.cli('release', 'pins', str(path)), f'{path}:2')
        self.assertIn('NUL', line)

    def test_utf16(self) -> None:
        path = self.tmp / 'requirements.txt'
        path.write_text('packaging>=20\n', encoding='utf-16')
        self.assertBadInput(self.cli('release', 'pins', str(path)),
                            str(path))

    def test_latin1_in_an_included_file(self) -> None:
        included = self.tmp / 'base.txt'
        included.write_bytes(b'# caf\xe9\npackaging>=20\n')
        top = self.tmp / 'requirements.txt'
        top.write_text('-r base.txt\n')
        line = self.assertBadInput(self.cli('release', 'pins', str(top)),
                                   f'{included}:1')
        self.assertIn('0xe9', line)

    def test_pyproject_not_utf8(self) -> None:
        path = self.tmp / 'pyproject.toml'
        path.write_bytes(b'[project]\nname = "x"\n'
                         b'dependencies = ["caf\xe9"]\n')
        self.assertBadInput(self.cli('release', 'pins', str(path)),
                            f'{path}:3')

    def test_utf8_with_a_byte_order_mark_is_read(self) -> None:
        path = self.tmp / 'requirements.txt'
        path.write_bytes(b'\xef\xbb\xbfpackaging>=20\n')
        result = self.cli('release', 'pins', str(path), '--offline')
        self.assertEqual(0, result.returncode, result.stderr)


class TestArchives(InputTestCase):

    def test_empty_wheel_as_baseline(self) -> None:
        wheel = self.tmp / 'tinylib-1.0-py3-none-any.whl'
        wheel.write_bytes(b'')
        line = self.assertBadInput(self.gate(baseline=str(wheel)),
                                   str(wheel))
        self.assertIn('empty', line)
        self.assertNothingBuilt()

    def test_wheel_with_no_member(self) -> None:
        wheel = self.tmp / 'tinylib-1.0-py3-none-any.whl'
        zipfile.ZipFile(wheel, 'w').close()
        self.assertBadInput(self.gate(baseline=str(wheel)), str(wheel),
                            'empty archive')
        self.assertNothingBuilt()

    def test_wheel_that_is_not_a_wheel(self) -> None:
        wheel = self.tmp / 'tinylib-1.0-py3-none-any.whl'
        with zipfile.ZipFile(wheel, 'w') as zf:
            zf.writestr('tinylib/__init__.py', '')
        self.assertBadInput(self.gate(candidate=str(wheel)), str(wheel),
                            '.dist-info')
        self.assertNothingBuilt()

    def test_truncated_sdist_as_candidate(self) -> None:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode='w:gz') as tf:
            tf.add(TINY_11, arcname='tinylib-1.1')
        sdist = self.tmp / 'tinylib-1.1.tar.gz'
        sdist.write_bytes(buffer.getvalue()[:200])
        self.assertBadInput(self.gate(candidate=str(sdist)), str(sdist),
                            'corrupted')
        self.assertNothingBuilt()

    def test_garbage_sdist(self) -> None:
        sdist = self.tmp / 'tinylib-1.1.tar.gz'
        sdist.write_bytes(b'<html>not found</html>\n')
        line = self.assertBadInput(self.gate(candidate=str(sdist)),
                                   str(sdist))
        # The target is named once, not twice.
        self.assertEqual(1, line.count('tinylib-1.1.tar.gz'), line)


class TestGateOptions(InputTestCase):

    def test_python_path_that_does_not_exist(self) -> None:
        missing = str(self.tmp / 'bin' / 'python')
        self.assertBadInput(self.gate('--python', missing),
                            f'--python {missing}', 'no such interpreter')
        self.assertNothingBuilt()

    def test_python_path_that_is_not_an_interpreter(self) -> None:
        self.assertBadInput(self.gate('--python', str(self.a_file)),
                            str(self.a_file), 'no such interpreter')
        self.assertNothingBuilt()

    def test_python_version_that_does_not_exist(self) -> None:
        self.assertBadInput(self.gate('--python', '9.99'),
                            '--python 9.99', 'no such interpreter')
        self.assertNothingBuilt()

    def test_bad_exclude_newer(self) -> None:
        for value in ('yesterday', '2024-13-45', '1 month'):
            self.assertBadInput(self.gate('--exclude-newer', value),
                                '--exclude-newer', repr(value))
        self.assertNothingBuilt()

    def test_zero_workers(self) -> None:
        self.assertBadInput(self.gate('--workers', '0'), '--workers', "'0'")
        self.assertBadInput(self.cli('--workers', '0', 'api', 'dump',
                                     TINY_10), '--workers', "'0'")

    def test_timeout_not_a_finite_positive_number(self) -> None:
        for value in ('0', '-5', 'nan', 'inf'):
            self.assertBadInput(self.gate('--timeout', value), '--timeout',
                                repr(value))
        self.assertBadInput(self.cli('--timeout', 'nan', 'api', 'rules'),
                            '--timeout')

    def test_negative_reruns(self) -> None:
        self.assertBadInput(self.gate('--reruns', '-1'), '--reruns')

    def test_negative_max_age_removes_nothing(self) -> None:
        env = self.cache / 'envs' / 'a'
        env.mkdir(parents=True)
        for value in ('-1', 'nan'):
            result = self.cli('gate', '--clean', '--max-age', value)
            self.assertBadInput(result, '--max-age', repr(value))
        self.assertTrue(env.is_dir())

    def test_max_age_without_clean(self) -> None:
        env = self.cache / 'envs' / 'a'
        env.mkdir(parents=True)
        self.assertBadInput(self.cli('gate', '--max-age', '30'),
                            '--max-age', '--clean')
        self.assertBadInput(self.gate('--max-age', '30'), '--max-age')
        self.assertEqual([env], list(env.parent.iterdir()))

    def test_resume_missing_file(self) -> None:
        missing = str(self.tmp / 'earlier.json')
        self.assertBadInput(self.gate('--resume', missing),
                            f'--resume {missing}', 'no such file')
        self.assertNothingBuilt()

    def test_unwritable_output_before_any_work(self) -> None:
        output = self.a_file / 'report.json'
        self.assertBadInput(self.gate('--output', str(output)), str(output))
        self.assertNothingBuilt()

    def test_output_that_is_a_directory(self) -> None:
        self.assertBadInput(self.gate('--output', str(self.tmp)),
                            str(self.tmp), 'directory')
        self.assertNothingBuilt()

    def test_output_check_leaves_nothing_behind(self) -> None:
        output = self.tmp / 'new' / 'dir' / 'report.json'
        result = self.gate('--output', str(output), '--python',
                           str(self.a_file))
        self.assertBadInput(result, '--python')
        self.assertFalse((self.tmp / 'new').exists())


class TestNamesTooLong(InputTestCase):

    def test_target(self) -> None:
        for target in (LONG, f'{LONG}.whl', f'{LONG}/pkg'):
            self.assertBadInput(self.cli('api', 'dump', target), LONG,
                                'too long')

    def test_baseline(self) -> None:
        self.assertBadInput(self.gate(baseline=f'{LONG}.whl'), LONG,
                            'too long')
        self.assertNothingBuilt()

    def test_output(self) -> None:
        self.assertBadInput(
            self.cli('api', 'dump', TINY_10, '-o', f'{LONG}.json'), LONG,
            'too long')
        self.assertBadInput(self.gate('--output', f'{LONG}.json'), LONG,
                            'too long')
        self.assertNothingBuilt()

    def test_config(self) -> None:
        snapshot = self.tmp / 'a.json'
        dumped = self.cli('api', 'dump', TINY_10, '-o', str(snapshot))
        self.assertEqual(0, dumped.returncode, dumped.stderr)
        self.assertBadInput(
            self.cli('api', 'diff', str(snapshot), str(snapshot),
                     '--config', f'{LONG}.toml'), LONG, 'too long')

    def test_a_long_name_that_fits_is_written(self) -> None:
        # The temporary file beside it must fit too.
        output = self.tmp / ('r' * 250 + '.json')
        result = self.cli('api', 'dump', TINY_10, '-o', str(output))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue(output.is_file())


class TestDeepSnapshot(InputTestCase):

    def write_nested(self, depth: int) -> pathlib.Path:
        snapshot = self.tmp / 'a.json'
        dumped = self.cli('api', 'dump', TINY_10, '-o', str(snapshot))
        self.assertEqual(0, dumped.returncode, dumped.stderr)
        data = json.loads(snapshot.read_text())
        text = json.dumps(data)
        deep = self.tmp / f'deep-{depth}.json'
        # Nested arrays in a field the reader does not know.
        deep.write_text(text[:-1] + ', "extra": ' + '[' * depth
                        + ']' * depth + '}')
        return deep

    def test_beyond_the_recursion_limit(self) -> None:
        deep = self.write_nested(100_000)
        line = self.assertBadInput(
            self.cli('api', 'diff', str(deep), str(deep)), str(deep))
        self.assertIn('nested more than 200 levels', line)

    def test_below_the_recursion_limit_but_beyond_reason(self) -> None:
        deep = self.write_nested(500)
        self.assertBadInput(
            self.cli('semver', str(self.tmp / 'a.json'), str(deep)),
            str(deep), 'nested')

    def test_reasonable_nesting_is_read(self) -> None:
        deep = self.write_nested(50)
        result = self.cli('api', 'diff', str(deep), str(deep))
        self.assertEqual(0, result.returncode, result.stderr)


class TestUmask(InputTestCase):
    """Files symbiosis writes get the permissions the user's umask gives
    any new file."""

    def run_with_umask(self, umask: int, *args: str) -> None:
        env = dict(os.environ, SYMBIOSIS_OFFLINE='1')
        result = subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', *args],
            capture_output=True, text=True, env=env, cwd=str(self.tmp),
            timeout=300, umask=umask, check=False)
        self.assertIn(result.returncode, (0, 1), result.stderr)

    def mode(self, path: pathlib.Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    def test_api_dump_output(self) -> None:
        for umask in (0o022, 0o077, 0o002):
            output = self.tmp / f'dump-{umask:o}.json'
            self.run_with_umask(umask, 'api', 'dump', TINY_10, '-o',
                                str(output))
            self.assertEqual(0o666 & ~umask, self.mode(output))

    def test_gate_report(self) -> None:
        output = self.tmp / 'gate.json'
        self.run_with_umask(
            0o027, '-q', 'gate', 'tinylib', '--baseline', TINY_10,
            '--candidate', TINY_11, '--probes', TINY_PROBES, '--reruns',
            '0', '--output', str(output))
        self.assertEqual(0o640, self.mode(output))
        self.assertEqual('tinylib', json.loads(output.read_text())[
            'upstream'])
