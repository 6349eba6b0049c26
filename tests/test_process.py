"""symbiosis._process with real processes: timeouts, groups, capture."""

from __future__ import annotations

import pathlib
import signal
import subprocess
import sys
import textwrap
import time
import unittest

from symbiosis._interrupts import kill_descendant_groups
from symbiosis._interrupts import stop_descendants
from symbiosis._process import KILL_GRACE
from symbiosis._process import GroupProcess
from symbiosis._process import OutputBuffer
from symbiosis._process import describe_exit
from symbiosis._process import run_command
from tests import base
from tests import escapes
from tests.escapes import pid_alive


def python(code: str) -> list[str]:
    """The argv running ``code`` (dedented) with this interpreter."""
    return [sys.executable, '-c', textwrap.dedent(code)]


class TestTimeouts(base.TestCase):
    def wait_gone(self, pid: int, limit: float = 5.0) -> None:
        deadline = time.monotonic() + limit
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(pid_alive(pid), f'process {pid} survived')

    def test_child_ignoring_sigterm_is_killed_at_the_timeout(self) -> None:
        result = run_command(python('''
            import signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print('ignoring SIGTERM', flush=True)
            time.sleep(120)
        '''), timeout=2.0)
        self.assertTrue(result.timed_out)
        self.assertIn('ignoring SIGTERM', result.output)
        # SIGTERM was ignored: only SIGKILL, after the grace, ended it.
        self.assertEqual(-signal.SIGKILL, result.returncode)
        self.assertEqual('killed by signal SIGKILL',
                         describe_exit(result.returncode))
        self.assertGreaterEqual(result.duration, 2.0 + KILL_GRACE * 0.9)
        self.assertLess(result.duration, 20)

    def test_grandchild_in_the_group_is_killed_at_the_timeout(self) -> None:
        pidfile = self.tmp / 'grandchild.pid'
        result = run_command(python(f'''
            import subprocess, sys, time
            child = subprocess.Popen(
                [sys.executable, '-c', 'import time; time.sleep(120)'])
            with open({str(pidfile)!r}, 'w') as fh:
                fh.write(str(child.pid))
            time.sleep(120)
        '''), timeout=2.0)
        self.assertTrue(result.timed_out)
        grandchild = int(pidfile.read_text())
        self.wait_gone(grandchild)

    def test_leftovers_are_killed_when_the_leader_exits(self) -> None:
        # The grandchild holds the output pipe open: without the group
        # kill the run would last until the timeout.
        pidfile = self.tmp / 'grandchild.pid'
        started = time.monotonic()
        result = run_command(python(f'''
            import subprocess, sys
            child = subprocess.Popen(
                [sys.executable, '-c', 'import time; time.sleep(120)'])
            with open({str(pidfile)!r}, 'w') as fh:
                fh.write(str(child.pid))
            print('leader done')
        '''), timeout=60.0)
        self.assertLess(time.monotonic() - started, 20)
        self.assertFalse(result.timed_out)
        self.assertEqual(0, result.returncode)
        self.assertIn('leader done', result.output)
        self.wait_gone(int(pidfile.read_text()))

    def test_finished_command_is_not_a_timeout(self) -> None:
        result = run_command(python('print("ok")'), timeout=30.0)
        self.assertEqual((0, False, 'ok\n', False),
                         (result.returncode, result.timed_out,
                          result.output, result.truncated))

    @unittest.skipUnless(pathlib.Path('/proc/self/task').is_dir(),
                         'needs /proc')
    def test_interrupted_run_kills_every_group_below(self) -> None:
        with GroupProcess(python('import time; time.sleep(120)')) as proc:
            killed = kill_descendant_groups()
            self.assertIn(proc.group, killed)
            self.assertTrue(proc.wait_finished(10))
            self.assertEqual(-signal.SIGKILL, proc.returncode)

    @unittest.skipUnless(pathlib.Path('/proc/self/task').is_dir(),
                         'needs /proc')
    def test_interrupted_run_stops_every_tree_below(self) -> None:
        with GroupProcess(python('import time; time.sleep(120)')) as proc:
            stop_descendants()
            self.assertTrue(proc.wait_finished(10))
            # The command was asked to stop, and did.
            self.assertEqual(-signal.SIGTERM, proc.returncode)


class TestCapture(base.TestCase):
    def test_megabytes_of_output_keep_head_and_tail(self) -> None:
        size = 8 * 1024 * 1024
        limit = 64 * 1024
        result = run_command(python(f'''
            import sys
            out = sys.stdout.buffer
            out.write(b'HEAD')
            for _ in range({size - 8} // 4096):
                out.write(b'x' * 4096)
            out.write(b'x' * ({size - 8} % 4096) + b'TAIL')
        '''), timeout=60.0, output_limit=limit)
        self.assertEqual(0, result.returncode)
        self.assertTrue(result.truncated)
        self.assertTrue(result.output.startswith('HEAD'))
        self.assertTrue(result.output.endswith('TAIL'))
        self.assertIn(f'[... {size - limit} bytes of output omitted ...]',
                      result.output)
        self.assertLess(len(result.output), limit + 100)

    def test_stdout_to_a_file_captures_only_stderr(self) -> None:
        size = 3 * 1024 * 1024
        target = self.tmp / 'stdout.bin'
        with target.open('wb') as stdout:
            result = run_command(python(f'''
                import sys
                sys.stdout.buffer.write(b'y' * {size})
                sys.stderr.write('only this is captured\\n')
            '''), timeout=60.0, stdout=stdout)
        self.assertEqual(0, result.returncode)
        self.assertEqual('only this is captured\n', result.output)
        self.assertEqual(size, target.stat().st_size)

    def test_stdin_bytes_reach_the_child(self) -> None:
        argv = python('import sys; print(sys.stdin.read().upper())')
        with GroupProcess(argv, stdin=b'hello') as proc:
            output = b''
            deadline = time.monotonic() + 20
            while not proc.finished() and time.monotonic() < deadline:
                output += proc.read(0.2)
        self.assertEqual(b'HELLO\n', output)
        self.assertEqual(0, proc.returncode)

    def test_output_buffer_keeps_head_and_tail(self) -> None:
        buffer = OutputBuffer(1024)
        buffer.feed(b'HEAD' + b'x' * 10_000)
        buffer.feed(b'y' * 10_000 + b'TAIL')
        text = buffer.text()
        self.assertTrue(buffer.truncated)
        self.assertEqual(20_008, buffer.total)
        self.assertTrue(text.startswith('HEAD'))
        self.assertTrue(text.endswith('TAIL'))
        self.assertLess(len(text), 1200)
        self.assertIn('bytes of output omitted', text)

    def test_output_under_the_limit_is_kept_whole(self) -> None:
        buffer = OutputBuffer(1024)
        buffer.feed(b'a' * 500)
        buffer.feed(b'b' * 500)
        self.assertFalse(buffer.truncated)
        self.assertEqual('a' * 500 + 'b' * 500, buffer.text())


class TestExitStatus(base.TestCase):
    def test_exit_status(self) -> None:
        result = run_command(python('import sys; sys.exit(3)'), timeout=30)
        self.assertEqual('exit status 3', describe_exit(result.returncode))

    def test_killed_by_a_signal(self) -> None:
        result = run_command(python('''
            import os, signal
            os.kill(os.getpid(), signal.SIGTERM)
        '''), timeout=30)
        self.assertFalse(result.timed_out)
        self.assertEqual('killed by signal SIGTERM',
                         describe_exit(result.returncode))

    def test_unnamed_signal_and_running(self) -> None:
        self.assertEqual('killed by signal 250', describe_exit(-250))
        self.assertEqual('still running', describe_exit(None))
        self.assertEqual('exit status 0', describe_exit(0))

    def test_command_that_cannot_start_is_reported(self) -> None:
        missing = str(self.tmp / 'no-such-program')
        result = run_command([missing], timeout=30)
        self.assertIsNone(result.returncode)
        self.assertEqual(
            f'cannot run {missing!r}: No such file or directory',
            result.error)


@unittest.skipUnless(escapes.LINUX, 'a child subreaper needs Linux')
class TestEscapes(base.TestCase):
    """Descendants that leave the group or the session still die."""

    def command(self, marker: str, then: str = '') -> list[str]:
        code = escapes.SOURCE + textwrap.dedent(f'''
            escape_all({marker!r})
            print('escaped', flush=True)
        ''') + textwrap.dedent(then)
        return [sys.executable, '-c', code]

    def test_escapees_die_when_the_command_exits(self) -> None:
        marker = escapes.new_marker()
        result = run_command(self.command(marker), timeout=120)
        self.assertEqual(0, result.returncode, result.output)
        self.assertIn('escaped', result.output)
        self.assertEqual([], escapes.wait_unmarked(marker))

    def test_escapees_die_at_the_timeout(self) -> None:
        marker = escapes.new_marker()
        ready = self.tmp / 'ready'
        argv = self.command(marker, f'''
            import pathlib, time
            pathlib.Path({str(ready)!r}).touch()
            time.sleep(300)
        ''')
        with GroupProcess(argv) as proc:
            self.assertTrue(escapes.wait_for_file(ready))
            self.assertEqual(3, len(escapes.marked(marker)))
            proc.kill()
            self.assertEqual(-signal.SIGTERM, proc.returncode)
        self.assertEqual([], escapes.wait_unmarked(marker))

    def test_a_parent_killed_with_sigkill_takes_the_tree_along(self) -> None:
        marker = escapes.new_marker()
        ready = self.tmp / 'ready'
        argv = self.command(marker, f'''
            import pathlib, time
            pathlib.Path({str(ready)!r}).touch()
            time.sleep(300)
        ''')
        root = pathlib.Path(__file__).resolve().parent.parent
        parent = subprocess.Popen(python(f'''
            import sys
            sys.path.insert(0, {str(root)!r})
            from symbiosis._process import run_command
            run_command({argv!r}, timeout=300)
        '''))
        try:
            self.assertTrue(escapes.wait_for_file(ready))
            self.assertEqual(3, len(escapes.marked(marker)))
        finally:
            parent.kill()
            parent.wait()
        # The sleeping command too: nothing of the tree is left.
        self.assertEqual([], escapes.wait_unmarked(marker))
        self.assertEqual([], escapes.wait_unmarked(str(ready)))
