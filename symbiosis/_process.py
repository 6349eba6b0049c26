"""Run a process tree with a time limit and a bounded output capture.

Every process symbiosis runs on its own terms -- a probe worker, a command
probe, an installer building an environment -- goes through here. It
starts in a new session, so it leads its own process group; its output is
read in chunks into an :class:`OutputBuffer` that keeps only a head and a
tail; and when it overruns its time limit the *whole group* is sent
``SIGTERM`` then ``SIGKILL``, so a child that ignores ``SIGTERM`` or forks
a grandchild that hangs leaves nothing behind. Leftover members of the
group are killed when the leader exits, too, and
:func:`kill_descendant_groups` stops every group below this process when
a run is interrupted.

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
    'kill_descendant_groups',
    'run_command',
]

LOG = logging.getLogger(__name__)

#: Bytes of output kept per process: the first 8 KiB and the last 56 KiB.
DEFAULT_OUTPUT_LIMIT = 64 * 1024
#: Seconds between ``SIGTERM`` and ``SIGKILL``.
KILL_GRACE = 1.0
_CHUNK = 64 * 1024


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
    group and reaps the leader.

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
        self.proc = subprocess.Popen(  # noqa: S603 - argv, never a shell
            self.argv,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=stdout if stdout is not None else subprocess.PIPE,
            stderr=(
                subprocess.PIPE if stdout is not None else subprocess.STDOUT
            ),
            env=None if env is None else dict(env),
            cwd=cwd,
            start_new_session=True,
        )
        self.pid = self.proc.pid
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
        self._signal_group(signal.SIGKILL)
        self.proc.wait()

    def _kill_leftovers(self) -> None:
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, signum: int) -> None:
        # The group outlives its leader while any member lives, and its id
        # (the leader's pid) cannot be reused meanwhile.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signum)

    @property
    def returncode(self) -> int | None:
        """The leader's exit status (negative: killed by that signal)."""
        return self.proc.poll()

    def close(self) -> None:
        """Kill what is left of the group, reap the leader, close pipes."""
        if self.proc.poll() is None:
            self.kill(grace=0.2)
        self._kill_leftovers()
        self._selector.close()
        with contextlib.suppress(OSError):
            self._pipe.close()
        self.proc.wait()


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


def kill_descendant_groups() -> list[int]:
    """Kill the process groups led by this process's descendants.

    Every :class:`GroupProcess` leads its own group (so a timeout kills its
    whole tree); on an interrupt the caller kills every such group below
    it. Linux only (``/proc``); elsewhere nothing is done.

    :returns: the process group ids signalled.
    """
    killed: list[int] = []
    for pid in _descendants(os.getpid()):
        try:
            if os.getpgid(pid) != pid:
                continue
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            continue
        killed.append(pid)
    return killed


def _children(pid: int) -> list[int]:
    base = pathlib.Path(f'/proc/{pid}/task')
    try:
        tasks = list(base.iterdir())
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        try:
            text = (task / 'children').read_text()
        except OSError:
            continue
        found.extend(int(p) for p in text.split())
    return found


def _descendants(pid: int) -> list[int]:
    seen: list[int] = []
    stack = _children(pid)
    while stack:
        child = stack.pop()
        if child in seen:
            continue
        seen.append(child)
        stack.extend(_children(child))
    return seen
