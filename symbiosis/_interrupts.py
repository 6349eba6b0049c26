"""Stop every process tree below this process: Ctrl-C and ``SIGTERM``.

A gate interrupted -- Ctrl-C, or ``SIGTERM`` turned into the same
interrupt by :func:`terminate_as_interrupt` -- cancels what has not
started and calls :func:`stop_descendants`: each keeper below it (see
:mod:`symbiosis._keeper`) stops its command and kills whatever is left of
its tree, and every process group still led by a descendant is then
killed. Linux only (``/proc``); elsewhere a keeperless command's group is
killed when its :class:`~symbiosis._process.GroupProcess` closes.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import os
import pathlib
import signal
import time

from symbiosis._process import KILL_GRACE

__all__ = [
    'EXIT_TERMINATED',
    'Terminated',
    'kill_descendant_groups',
    'stop_descendants',
    'terminate_as_interrupt',
]

#: The exit status of a command ended by ``SIGTERM`` (128 + 15).
EXIT_TERMINATED = 128 + signal.SIGTERM


def kill_descendant_groups() -> list[int]:
    """Kill the process groups led by this process's descendants.

    Every :class:`GroupProcess` runs in its own group (so a timeout kills
    its whole tree). Linux only (``/proc``); elsewhere nothing is done.

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


def stop_descendants(grace: float = KILL_GRACE) -> None:
    """Stop every process tree below this process (a run interrupted).

    Each session leader below -- a keeper, which then stops its command
    and kills whatever is left of its tree, or a command started without
    one -- is sent ``SIGTERM``; after at most ``grace`` seconds every
    process group still led by a descendant is killed. Linux only
    (``/proc``); elsewhere nothing is done.
    """
    leaders = [pid for pid in _descendants(os.getpid())
               if _session_of(pid) == pid]
    for pid in leaders:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(_running(pid) for pid in leaders) and \
            time.monotonic() < deadline:
        time.sleep(0.02)
    kill_descendant_groups()


class Terminated(KeyboardInterrupt):
    """``SIGTERM`` arrived: stop as on Ctrl-C, then exit 143."""


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, ``SIGTERM`` raises :class:`Terminated` in the
    main thread, so it takes the same path as Ctrl-C (workers stopped, the
    partial report written). A second ``SIGTERM`` is ignored while that
    path runs. Outside the main thread nothing changes."""
    def handler(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stat_fields(pid: int) -> list[str]:
    """The fields of ``/proc/PID/stat`` after the command name."""
    try:
        with open(f'/proc/{pid}/stat', encoding='ascii',
                  errors='replace') as fh:
            return fh.read().rpartition(')')[2].split()
    except OSError:
        return []


def _session_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[3]) if len(fields) > 3 else None


def _running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie."""
    fields = _stat_fields(pid)
    return bool(fields) and fields[0] not in ('Z', 'X')


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
