"""symbiosis._files: atomic writes on a real file system."""

from __future__ import annotations

import os
import pathlib
import stat
import subprocess
import sys
import textwrap

from symbiosis import exception
from symbiosis._files import check_output
from symbiosis._files import write_atomic
from symbiosis._files import write_output
from tests import base


def _mode(path: pathlib.Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class TestWriteAtomic(base.TestCase):
    def test_writes_bytes_and_text(self) -> None:
        binary = self.tmp / 'data.bin'
        write_atomic(binary, b'\x00\x01\xff')
        self.assertEqual(b'\x00\x01\xff', binary.read_bytes())
        text = self.tmp / 'data.txt'
        write_atomic(str(text), 'caf\u00e9\n')
        self.assertEqual('caf\u00e9\n'.encode(), text.read_bytes())
        write_atomic(text, 'caf\u00e9', encoding='latin-1')
        self.assertEqual(b'caf\xe9', text.read_bytes())

    def test_replaces_and_leaves_nothing_else(self) -> None:
        path = self.tmp / 'out' / 'report.json'
        write_atomic(path, '{"old": true}')
        write_atomic(path, '{"new": true}')
        self.assertEqual('{"new": true}', path.read_text())
        self.assertEqual(['report.json'],
                         sorted(p.name for p in path.parent.iterdir()))

    def test_creates_parent_directories(self) -> None:
        path = self.tmp / 'a' / 'b' / 'c.txt'
        write_atomic(path, 'x')
        self.assertEqual('x', path.read_text())

    def test_mode(self) -> None:
        default = self.tmp / 'default'
        write_atomic(default, 'x')
        self.assertEqual(0o666 & ~_umask(), _mode(default))
        private = self.tmp / 'private'
        write_atomic(private, 'x', mode=0o600)
        self.assertEqual(0o600, _mode(private))
        write_atomic(private, 'y', mode=0o640)
        self.assertEqual(0o640, _mode(private))

    def test_failure_mid_write_keeps_the_old_file(self) -> None:
        # A real short write: the file size limit stops the write after
        # the first block, as a full disk would.
        path = self.tmp / 'keep.txt'
        path.write_text('old content\n')
        script = textwrap.dedent('''\
            import errno, resource, signal, sys
            from symbiosis._files import write_atomic
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
            try:
                write_atomic(sys.argv[1], b'x' * 1_000_000)
            except OSError as err:
                print('EFBIG' if err.errno == errno.EFBIG else err)
            else:
                print('written')
            ''')
        done = subprocess.run(
            [sys.executable, '-c', script, str(path)],
            capture_output=True, text=True, check=False, timeout=60,
        )
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual('EFBIG', done.stdout.strip())
        self.assertEqual('old content\n', path.read_text())
        self.assertEqual(['keep.txt'],
                         sorted(p.name for p in self.tmp.iterdir()
                                if p.name != '_cache'))

    def test_failed_replace_removes_the_temporary_file(self) -> None:
        # A directory cannot be replaced by a file.
        path = self.tmp / 'dir'
        (path / 'inside').mkdir(parents=True)
        self.assertRaises(OSError, write_atomic, path, 'x')
        self.assertTrue((path / 'inside').is_dir())
        self.assertEqual(['dir'],
                         sorted(p.name for p in self.tmp.iterdir()
                                if p.name != '_cache'))

    def test_unwritable_directory(self) -> None:
        if os.geteuid() == 0:
            self.skipTest('root writes anywhere')
        ro = self.tmp / 'ro'
        ro.mkdir()
        (ro / 'f').write_text('old')
        ro.chmod(0o555)
        self.addCleanup(ro.chmod, 0o755)
        self.assertRaises(PermissionError, write_atomic, ro / 'f', 'new')
        self.assertEqual('old', (ro / 'f').read_text())
        self.assertEqual(['f'], [p.name for p in ro.iterdir()])


class TestWriteOutput(base.TestCase):
    def test_writes(self) -> None:
        path = self.tmp / 'out' / 'report.txt'
        write_output(str(path), 'report\n')
        self.assertEqual('report\n', path.read_text())

    def test_failure_is_an_input_error(self) -> None:
        (self.tmp / 'taken').mkdir()
        err = self.assertRaises(
            exception.InputError, write_output, self.tmp / 'taken', 'x',
        )
        self.assertTrue(
            str(err).startswith(f'{self.tmp / "taken"}: cannot write: '),
            str(err),
        )
        self.assertEqual(exception.EXIT_INPUT, err.exit_code)


class TestCheckOutput(base.TestCase):
    def listing(self) -> list[str]:
        return sorted(str(p.relative_to(self.tmp))
                      for p in self.tmp.rglob('*'))

    def test_writable_leaves_nothing_behind(self) -> None:
        before = self.listing()
        check_output(self.tmp / 'report.json')
        check_output(self.tmp / 'a' / 'b' / 'report.json')
        self.assertEqual(before, self.listing())

    def test_existing_file_is_untouched(self) -> None:
        path = self.tmp / 'report.json'
        path.write_text('old')
        os.utime(path, (1, 1))
        check_output(path)
        self.assertEqual('old', path.read_text())
        self.assertEqual(1, path.stat().st_mtime)

    def test_unwritable(self) -> None:
        a_file = self.tmp / 'a-file'
        a_file.write_text('x')
        for path, reason in (
                (self.tmp, 'Is a directory'),
                (a_file / 'report.json', 'Not a directory'),
                (a_file / 'sub' / 'report.json', 'Not a directory'),
                (self.tmp / ('x' * 300), 'File name too long')):
            err = self.assertRaises(exception.InputError, check_output,
                                    path)
            self.assertEqual(f'{path}: cannot write: {reason}', str(err))
        self.assertEqual(['a-file'], sorted(
            p.name for p in self.tmp.iterdir() if p.name != '_cache'))
