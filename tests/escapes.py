"""Processes that try to outlive their job, and a way to find them.

:data:`SOURCE` is a module (standard library only) a test writes next to
a probes file or runs as a command: :func:`escape_all` in it starts three
sleeping processes that leave the caller's process group or session --
``start_new_session=True``, a double fork with ``setsid`` holding the
caller's output open, a detached daemon -- each with ``MARKER-<how>`` as
its last argument, and waits until all three run. :func:`marked` finds
them in ``/proc``.
"""

from __future__ import annotations

import os
import pathlib
import sys
import time
import uuid

#: Escape techniques, in the order :func:`escape_all` uses them.
HOW = ('session', 'setsid', 'daemon')

SOURCE = '''
import os
import subprocess
import sys
import time

SLEEP = [sys.executable, '-c', 'import time; time.sleep(300)']


def _setsid_exec(argv, detach):
    """Double fork: the grandchild leads a session of its own."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                if detach:
                    os.chdir('/')
                    null = os.open(os.devnull, os.O_RDWR)
                    for fd in (0, 1, 2):
                        os.dup2(null, fd)
                os.execv(argv[0], argv)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _running(marker):
    found = set()
    for entry in os.listdir('/proc'):
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as fh:
                args = fh.read().split(b'\\0')
        except OSError:
            continue
        found.update(a.decode() for a in args
                     if a.startswith(marker.encode()))
    return found


def escape_all(marker):
    """Start one sleeper per technique; return once all of them run."""
    subprocess.Popen(SLEEP + [marker + '-session'], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
    _setsid_exec(SLEEP + [marker + '-setsid'], detach=False)
    _setsid_exec(SLEEP + [marker + '-daemon'], detach=True)
    wanted = {marker + '-' + how for how in ('session', 'setsid', 'daemon')}
    deadline = time.monotonic() + 60
    while not wanted <= _running(marker) and time.monotonic() < deadline:
        time.sleep(0.02)
'''


def new_marker() -> str:
    """A marker no other process carries."""
    return f'symbiosis-escapee-{uuid.uuid4().hex}'


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody reaped, or a process being
    torn down, does not)."""
    try:
        with open(f'/proc/{pid}/stat', encoding='ascii') as fh:
            return fh.read().rpartition(')')[2].split()[0] not in 'ZX'
    except OSError:
        return False


def marked(marker: str) -> list[int]:
    """Pids of running processes with an argument starting with ``marker``
    (zombies have none)."""
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            args = pathlib.Path(f'/proc/{entry}/cmdline').read_bytes()
        except OSError:
            continue
        if any(a.startswith(marker.encode()) for a in args.split(b'\0')):
            found.append(int(entry))
    return found


def describe(pids: list[int]) -> str:
    """Each of ``pids`` with its parent and command line, for a
    failure message."""
    lines = []
    for pid in pids:
        try:
            args = pathlib.Path(f'/proc/{pid}/cmdline').read_bytes()
            status = pathlib.Path(f'/proc/{pid}/status').read_text()
        except OSError:
            lines.append(f'{pid}: gone')
            continue
        parent = next((line.split()[1] for line in status.splitlines()
                       if line.startswith('PPid:')), '?')
        shown = ' '.join(a.decode(errors='replace')
                         for a in args.split(b'\0') if a)
        lines.append(f'{pid} (parent {parent}): {shown[:300]}')
    return '\n'.join(lines)


def wait_unmarked(marker: str, limit: float = 15.0) -> list[int]:
    """Wait up to ``limit`` seconds for every marked process to end;
    return those still running."""
    deadline = time.monotonic() + limit
    while True:
        left = marked(marker)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def wait_for_file(path: pathlib.Path, limit: float = 120.0) -> bool:
    """Wait up to ``limit`` seconds for ``path`` to exist."""
    deadline = time.monotonic() + limit
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


LINUX = sys.platform.startswith('linux')
