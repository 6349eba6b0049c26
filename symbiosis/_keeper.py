"""Keep one process tree: run a command, then leave nothing of it behind.

On Linux every process symbiosis runs on its own terms goes through this
small program (see :class:`symbiosis._process.GroupProcess`)::

    python -I -S _keeper.py STATUS_FD PARENT_PID GRACE -- COMMAND...

It makes itself a *child subreaper* (``PR_SET_CHILD_SUBREAPER``), so a
descendant of the command that leaves its process group or its session
(``setsid``, a double fork, a daemon left behind by a probe that then
returned) is re-parented to the keeper rather than to init, and can still
be found. It then runs the command in a process group of its own and
waits. When the command exits -- or the keeper is told to stop
(``SIGTERM``, ``SIGINT``, ``SIGHUP``), or the thread that started it dies
(``PR_SET_PDEATHSIG``: a gate killed with ``SIGKILL``) -- it kills and
reaps every process left below it, then exits *as the command did*: with
its exit status, or killed by the same signal, so the caller reads the
command's status from the keeper's.

Only the keeper's own children are ever signalled, and a child's pid
cannot be reused before the keeper reaps it: the sweep cannot hit an
unrelated process.

Handshake: the keeper writes one line to ``STATUS_FD`` once the command
is running (``ok PID``) or could not be started (``error ERRNO``).

It is run by path with ``-I -S`` and imports nothing but the standard
library. :func:`die_with_parent` is the same ``PR_SET_PDEATHSIG`` for a
process symbiosis forks itself (a process pool's worker).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

__all__ = ['die_with_parent', 'main']

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

_STOP = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_WATCHED = (signal.SIGCHLD, *_STOP)
#: Signals Python ignores that a command must not inherit ignored.
_RESTORED = (signal.SIGPIPE, signal.SIGXFSZ)


def _prctl(option: int, value: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(option, value, 0, 0, 0) == 0)
    except (ImportError, OSError, AttributeError):
        return False


def die_with_parent(signum: int = signal.SIGKILL) -> bool:
    """Have the kernel send ``signum`` to this process when the thread
    that started it dies (Linux); whether that is arranged.

    A parent already gone by then counts as dead at once.
    """
    parent = os.getppid()
    if not _prctl(PR_SET_PDEATHSIG, signum):
        return False
    if os.getppid() != parent:
        os.kill(os.getpid(), signum)
    return True


def _children() -> list[int]:
    """This process's children (zombies included)."""
    me = os.getpid()
    try:
        with open(f'/proc/{me}/task/{me}/children', encoding='ascii') as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        pass
    # A kernel without CONFIG_PROC_CHILDREN: read every parent pid.
    found = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open(f'/proc/{name}/stat', encoding='ascii',
                      errors='replace') as fh:
                fields = fh.read().rpartition(')')[2].split()
        except OSError:
            continue
        if len(fields) > 1 and fields[1] == str(me):
            found.append(int(name))
    return found


class _Keeper:
    """The command's pid and exit status, once reaped."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.status: int | None = None

    def reap(self) -> bool:
        """Reap every child that exited; whether any child is left."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return False
            if pid == 0:
                return True
            if pid == self.pid:
                self.status = status

    def wait(self, limit: float | None) -> bool:
        """Wait for the command; whether a stop signal came first."""
        deadline = None if limit is None else time.monotonic() + limit
        while True:
            self.reap()
            if self.status is not None:
                return False
            if deadline is None:
                info = signal.sigwaitinfo(_WATCHED)
            else:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                found = signal.sigtimedwait(_WATCHED, left)
                if found is None:
                    continue
                info = found
            if info.si_signo in _STOP:
                return True

    def sweep(self) -> None:
        """Kill and reap every process below, until none is left."""
        while True:
            for child in _children():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
            if not self.reap():
                return
            signal.sigtimedwait((signal.SIGCHLD,), 0.05)


def _start(command: list[str], status_fd: int) -> _Keeper | None:
    """Fork and exec the command; report how that went on ``status_fd``."""
    read_end, write_end = os.pipe()  # close-on-exec: EOF once it execs
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child execs or exits
        try:
            os.close(read_end)
            os.close(status_fd)
            os.setpgid(0, 0)
            for signum in _RESTORED:
                signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _WATCHED)
            os.execvp(command[0], command)  # noqa: S606 - argv, no shell
        except OSError as err:
            os.write(write_end, str(err.errno or 0).encode('ascii'))
        finally:
            os._exit(127)
    os.close(write_end)
    # Both sides set the group, so a signal sent to it right after the
    # handshake cannot miss it.
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    error = b''
    while True:
        data = os.read(read_end, 64)
        if not data:
            break
        error += data
    os.close(read_end)
    if error:
        os.waitpid(pid, 0)
        os.write(status_fd, b'error ' + error + b'\n')
        return None
    os.write(status_fd, f'ok {pid}\n'.encode('ascii'))
    return _Keeper(pid)


def _detach() -> None:
    # The caller's pipes end when the command's tree is gone, not when
    # the keeper is: it holds none of them.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _exit_like(status: int | None) -> None:
    if status is None or not os.WIFSIGNALED(status):
        code = 0 if status is None else os.waitstatus_to_exitcode(status)
        os._exit(code)
    signum = os.WTERMSIG(status)
    try:
        import resource

        # The command may have dumped core; the keeper need not.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, OSError, ValueError):
        pass
    # SIGKILL has no handler to reset and cannot be blocked.
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signum, signal.SIG_DFL)
    with contextlib.suppress(OSError, ValueError):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, (signum,))
    with contextlib.suppress(OSError):
        os.kill(os.getpid(), signum)
    os._exit(128 + signum)


def main(argv: list[str]) -> int:
    """Run the keeper; ``argv`` as in the module docstring."""
    try:
        status_fd, parent, grace = int(argv[0]), int(argv[1]), float(argv[2])
        if argv[3] != '--' or len(argv) < 5:
            raise ValueError(argv)
    except (IndexError, ValueError):
        sys.stderr.write('usage: _keeper.py STATUS_FD PARENT_PID GRACE -- '
                         'COMMAND...\n')
        return 2
    # Signals wait until the keeper asks for them: none is lost, and
    # none can interrupt a sweep.
    signal.pthread_sigmask(signal.SIG_BLOCK, _WATCHED)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    orphaned = os.getppid() != parent
    keeper = _start(argv[4:], status_fd)
    if keeper is None:
        return 127
    os.close(status_fd)
    _detach()
    if orphaned or keeper.wait(None):
        # Told to stop: the command's group gets SIGTERM and a moment to
        # go, then everything left is killed.
        with contextlib.suppress(OSError):
            os.killpg(keeper.pid, signal.SIGTERM)
        keeper.wait(grace)
    keeper.sweep()
    _exit_like(keeper.status)
    return 0  # pragma: no cover - _exit_like does not return


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
