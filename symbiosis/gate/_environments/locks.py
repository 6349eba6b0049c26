"""Environment locks: one builder at a time, no removal while in use.

Each environment ``<root>/<name>`` has a build lock, ``<root>/<name>.lock``
(exclusive while it is built or looked up), and an in-use lock inside it,
:data:`IN_USE` (shared by every run using it, taken under the build lock).
A clean takes both exclusively, without waiting, and skips what it cannot
lock: an environment a running gate holds is never removed under it.
Locks are ``flock(2)`` locks: they hold between processes of one machine
(and are released when a process dies, however it dies).
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import fcntl
import os
import pathlib
import shutil
from typing import IO

__all__ = ['IN_USE', 'in_use', 'lock_file', 'locked', 'remove_unused']

#: Locked (shared) inside an environment by every run using it.
IN_USE = '.symbiosis-in-use'


@contextlib.contextmanager
def locked(path: pathlib.Path) -> Iterator[None]:
    """Hold the lock file at ``path`` exclusively (waiting for it)."""
    handle = lock_file(path, fcntl.LOCK_EX)
    assert handle is not None
    with handle:
        yield


def lock_file(path: pathlib.Path, how: int) -> IO[bytes] | None:
    """Open and ``flock`` the file at ``path``; ``None`` if ``how`` has
    ``LOCK_NB`` and another process holds it.

    A lock file can be removed (with its environment) while another
    process waits for it: the lock is taken again until it is on the file
    the path names.
    """
    while True:
        handle = open(path, 'a+b')  # noqa: SIM115 - returned open
        try:
            fcntl.flock(handle.fileno(), how)
        except BlockingIOError:
            handle.close()
            return None
        except BaseException:
            handle.close()
            raise
        try:
            same = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        handle.close()


@contextlib.contextmanager
def in_use(path: pathlib.Path) -> Iterator[None]:
    """Hold the environment at ``path`` against removal (shared)."""
    handle = lock_file(path / IN_USE, fcntl.LOCK_SH)
    assert handle is not None
    with handle:
        yield


def remove_unused(root: pathlib.Path, path: pathlib.Path) -> bool:
    """Remove the environment at ``path`` unless it is built or used."""
    lock_path = root / f'{path.name}.lock'
    build = lock_file(lock_path, fcntl.LOCK_EX | fcntl.LOCK_NB)
    if build is None:
        return False
    with build:
        if path.is_dir():
            use = lock_file(path / IN_USE, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if use is None:
                return False
            with use:
                shutil.rmtree(path, ignore_errors=True)
        # Removed while held: whoever waits for it takes the lock again
        # on a new file.
        with contextlib.suppress(OSError):
            lock_path.unlink()
    return True
