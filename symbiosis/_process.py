"""Run a process tree with a time limit and a bounded output capture.

Every process symbiosis runs on its own terms -- a probe worker, a command
probe, an installer building an environment -- goes through here. It
runs in a process group of its own; its output is read in chunks into an
:class:`OutputBuffer` that keeps only a head and a tail; and when it
overruns its time limit the *whole group* is sent ``SIGTERM`` then
``SIGKILL``, so a child that ignores ``SIGTERM`` or forks a grandchild
that hangs leaves nothing behind.

On Linux the command is started by a keeper (:mod:`symbiosis._keeper`), a
small child subreaper that outlives it: descendants that leave the group
or the session (``setsid``, a double fork, a daemon) are re-parented to
the keeper and killed when the command ends, and when the thread that
started it dies -- the whole gate killed with ``SIGKILL`` -- the keeper
kills the tree as well. Elsewhere the command leads its own session and
only its process group is killed. :mod:`symbiosis._interrupts` stops
every tree below this process when a run is interrupted.

Short calls that need none of this (``git``, with its own timeout) use
:mod:`subprocess` directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import contextlib
import dataclasses
import logging
import os
import pathlib
import selectors
import signal
import subprocess
import sys
import time
from typing import IO

__all__ = [
    'DEFAULT_OUTPUT_LIMIT',
    'KILL_GRACE',
    'CommandResult',
    'GroupProcess',
    'OutputBuffer',
    'describe_exit',
    'drain',
    'run_command',
]

LOG = logging.getLogger(__name__)

#: Bytes of output kept per process: the first 8 KiB and the last 56 KiB.
DEFAULT_OUTPUT_LIMIT = 64 * 1024
#: Seconds between ``SIGTERM`` and ``SIGKILL``.
KILL_GRACE = 1.0
_CHUNK = 64 * 1024
#: The keeper script, run by path.
KEEPER_PATH = str(pathlib.Path(__file__).with_name('_keeper.py'))
#: Seconds a stopped keeper gives its command before killing the tree.
_KEEPER_GRACE = 0.5
#: Seconds to wait for a keeper to start its command.
_KEEPER_START = 60.0


class OutputBuffer:
    """Keep the head and the tail of a byte stream, count the rest.

    :param limit: the most bytes kept; an eighth goes to the head (where
        the first error usually is), the rest to the tail.
    """

    def __init__(self, limit: int = DEFAULT_OUTPUT_LIMIT) -> None:
        self.limit = max(limit, 16)
        self._head_limit = self.limit // 8
        self._tail_limit = self.limit - self._head_limit
        self._head = bytearray()
        self._tail = bytearray()
        self.total = 0

    @property
    def truncated(self) -> bool:
        """Whether bytes were dropped."""
        return self.total > len(self._head) + len(self._tail)

    def feed(self, data: bytes) -> None:
        """Add ``data`` to the stream."""
        self.total += len(data)
        room = self._head_limit - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        if data:
            self._tail += data[-self._tail_limit:]
            excess = len(self._tail) - self._tail_limit
            if excess > 0:
                del self._tail[:excess]

    def text(self) -> str:
        """Return the kept output as text, marking the gap if any."""
        head = bytes(self._head).decode('utf-8', 'replace')
        tail = bytes(self._tail).decode('utf-8', 'replace')
        if not self.truncated:
            return head + tail
        dropped = self.total - len(self._head) - len(self._tail)
        return f'{head}\n[... {dropped} bytes of output omitted ...]\n{tail}'


class GroupProcess:
    """A child process leading its own process group.

    Use as a context manager: leaving it kills whatever is left of the
    tree and reaps it.

    :param argv: the command.
    :param env: its whole environment.
    :param cwd: its working directory.
    :param stdin: bytes to write to its standard input, then close it;
        ``None`` connects it to ``/dev/null``.
    :param stdout: a file to write standard output to instead of the
        captured stream (standard error is still captured).
    :raises OSError: the command cannot be started.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        stdin: bytes | None = None,
        stdout: IO[bytes] | None = None,
    ) -> None:
        self.argv = list(argv)
        keeper = _keeper_usable()
        status_read, status_write = os.pipe() if keeper else (-1, -1)
        try:
            self.proc = subprocess.Popen(  # noqa: S603 - argv, no shell
                [*_keeper_argv(status_write), *self.argv] if keeper
                else self.argv,
                stdin=(subprocess.PIPE if stdin is not None
                       else subprocess.DEVNULL),
                stdout=stdout if stdout is not None else subprocess.PIPE,
                stderr=(
                    subprocess.PIPE if stdout is not None
                    else subprocess.STDOUT
                ),
                env=None if env is None else dict(env),
                cwd=cwd,
                start_new_session=True,
                pass_fds=(status_write,) if keeper else (),
            )
        finally:
            if keeper:
                os.close(status_write)
        #: The keeper's pid (the command's without one): it leads the
        #: session, and its exit status is the command's.
        self.pid = self.proc.pid
        #: The command's process group.
        self.group = self.pid
        self.kept = keeper
        if keeper:
            try:
                self.group = self._handshake(status_read)
            finally:
                os.close(status_read)
        self.started = time.monotonic()
        if stdin is not None and self.proc.stdin is not None:
            # Jobs are small; a worker that died before reading is
            # reported through its exit status, not here.
            with contextlib.suppress(OSError):
                self.proc.stdin.write(stdin)
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        pipe = self.proc.stderr if stdout is not None else self.proc.stdout
        assert pipe is not None
        self._pipe = pipe
        os.set_blocking(pipe.fileno(), False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(pipe, selectors.EVENT_READ)
        self._eof = False
        self.killed = False

    def _handshake(self, status: int) -> int:
        """Read the keeper's first word: the command's pid, or why it
        could not start (raised as the :class:`OSError` ``Popen`` would
        raise)."""
        data = b''
        deadline = time.monotonic() + _KEEPER_START
        with selectors.DefaultSelector() as selector:
            selector.register(status, selectors.EVENT_READ)
            while not data.endswith(b'\n'):
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    break
                chunk = os.read(status, 64)
                if not chunk:
                    break
                data += chunk
        word, _, value = data.decode('ascii', 'replace').strip().partition(
            ' ')
        if word == 'ok' and value.isdigit():
            return int(value)
        self._abandon()
        if word == 'error' and value.isdigit() and int(value):
            errno = int(value)
            raise OSError(errno, os.strerror(errno), self.argv[0])
        raise OSError(f'the process keeper did not start {self.argv[0]!r}'
                      f' ({describe_exit(self.proc.poll())})')

    def _abandon(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def __enter__(self) -> GroupProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def eof(self) -> bool:
        """Whether the output stream has ended."""
        return self._eof

    def read(self, timeout: float) -> bytes:
        """Return output available within ``timeout`` seconds (maybe b'').

        Once the leader has exited, what is left of its group is killed so
        the stream ends even if a grandchild held it open.
        """
        if self._eof:
            # Nothing more to read: wait for the leader itself, which
            # returns as soon as it exits rather than after a fixed sleep.
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=max(timeout, 0.0))
            return b''
        if self.proc.poll() is not None:
            self._kill_leftovers()
        chunks = []
        for _key, _events in self._selector.select(max(timeout, 0.0)):
            while True:
                try:
                    data = os.read(self._pipe.fileno(), _CHUNK)
                except BlockingIOError:
                    break
                if not data:
                    self._eof = True
                    break
                chunks.append(data)
                if len(chunks) >= 16:
                    break
        return b''.join(chunks)

    def finished(self) -> bool:
        """Whether the leader exited and its output was read to the end."""
        return self._eof and self.proc.poll() is not None

    def wait_finished(self, timeout: float) -> bool:
        """Wait up to ``timeout`` for the leader to exit after end of output.
        """
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self, grace: float = KILL_GRACE) -> None:
        """Stop the whole group: ``SIGTERM``, ``grace`` seconds, ``SIGKILL``.
        """
        self.killed = True
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=grace)
        if not self.kept or self.proc.poll() is None:
            self._signal_group(signal.SIGKILL)
        try:
            # A keeper exits once it has swept the tree: at once.
            self.proc.wait(timeout=10.0)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            self.proc.wait()

    def _kill_leftovers(self) -> None:
        # A keeper has killed what was left before it exited; and once it
        # has reaped the command, the group's id is no longer reserved.
        if not self.kept:
            self._signal_group(signal.SIGKILL)

    def _signal_group(self, signum: int) -> None:
        # The group outlives its leader while any member lives, and its id
        # (the leader's pid) cannot be reused meanwhile.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.group, signum)

    @property
    def returncode(self) -> int | None:
        """The command's exit status (negative: killed by that signal)."""
        return self.proc.poll()

    def close(self) -> None:
        """Kill what is left of the tree, reap the leader, close pipes."""
        if self.proc.poll() is None:
            self.kill(grace=0.2)
        self._kill_leftovers()
        self._selector.close()
        with contextlib.suppress(OSError):
            self._pipe.close()
        self.proc.wait()


def _keeper_usable() -> bool:
    """Whether commands start under a keeper: Linux, with an interpreter.
    """
    return sys.platform.startswith('linux') and bool(sys.executable) \
        and os.path.isfile(KEEPER_PATH)


def _keeper_argv(status_fd: int) -> list[str]:
    return [sys.executable, '-I', '-S', KEEPER_PATH, str(status_fd),
            str(os.getpid()), str(_KEEPER_GRACE), '--']


def describe_exit(returncode: int | None) -> str:
    """Say how a process ended: ``exit status 3``, ``signal SIGSEGV``."""
    if returncode is None:
        return 'still running'
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f'killed by signal {name}'
    return f'exit status {returncode}'


@dataclasses.dataclass(frozen=True)
class CommandResult:
    """What :func:`run_command` observed.

    :param returncode: the exit status (negative: the signal), ``None``
        when the command could not be started.
    :param output: captured output (bounded).
    :param truncated: whether output was dropped.
    :param duration: seconds from start to end.
    :param timed_out: whether the time limit killed it.
    :param error: why it could not be started, if it could not.
    """

    returncode: int | None
    output: str
    truncated: bool
    duration: float
    timed_out: bool = False
    error: str | None = None


def run_command(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float | None = None,
    output_limit: int = DEFAULT_OUTPUT_LIMIT,
    stdout: IO[bytes] | None = None,
) -> CommandResult:
    """Run ``argv`` in its own process group, bounded in time and output.

    :param argv: the command.
    :param env: its environment (default: this process's).
    :param cwd: its working directory.
    :param timeout: seconds before the group is killed (``None``: none).
    :param output_limit: bytes of combined stdout/stderr kept.
    :param stdout: send standard output to this file instead of capturing
        it (only standard error is captured then).
    """
    buffer = OutputBuffer(output_limit)
    started = time.monotonic()
    try:
        process = GroupProcess(argv, env=env, cwd=cwd, stdout=stdout)
    except OSError as err:
        return CommandResult(
            None, '', False, 0.0,
            error=f'cannot run {argv[0]!r}: {err.strerror or err}',
        )
    timed_out = False
    with process:
        for data in _pump(process, timeout):
            buffer.feed(data)
        if not process.finished():
            timed_out = True
            process.kill()
            for data in drain(process):
                buffer.feed(data)
    return CommandResult(
        returncode=process.returncode,
        output=buffer.text(),
        truncated=buffer.truncated,
        duration=time.monotonic() - started,
        timed_out=timed_out,
    )


def _pump(process: GroupProcess, timeout: float | None) -> Iterator[bytes]:
    deadline = None if timeout is None else process.started + timeout
    while not process.finished():
        wait = 0.2
        if deadline is not None:
            wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                return
        data = process.read(wait)
        if data:
            yield data
        elif process.eof:
            process.wait_finished(min(wait, 0.05))


def drain(process: GroupProcess, limit: float = 2.0) -> Iterator[bytes]:
    """Yield what is left in a killed process's pipe, for ``limit`` seconds.

    What a process printed before it was killed explains why it hung, so
    it is read to the end of the stream (or the limit, if a member of the
    group that escaped it holds the pipe open).
    """
    deadline = time.monotonic() + limit
    while not process.eof and time.monotonic() < deadline:
        data = process.read(0.05)
        if data:
            yield data
