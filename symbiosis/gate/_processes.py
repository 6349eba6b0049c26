"""Kill what probe workers left behind when a gate is interrupted."""

from __future__ import annotations

from collections.abc import Iterable
import os
import pathlib
import signal

__all__ = ['kill_probe_process_groups']


def kill_probe_process_groups() -> list[int]:
    """Kill the process groups led by this process's descendants.

    Probe workers lead their own process group (so a timeout kills their
    whole tree); on an interrupt the gate kills every such group below it.
    Linux only (``/proc``); elsewhere nothing is done.

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


def _children(pid: int) -> Iterable[int]:
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
    stack = list(_children(pid))
    while stack:
        child = stack.pop()
        if child in seen:
            continue
        seen.append(child)
        stack.extend(_children(child))
    return seen
