"""Writing a file atomically: the one implementation symbiosis uses.

A reader of ``path`` sees either the old file or the whole new one, never
a part: the data goes to a temporary file in the same directory (so the
rename stays on one file system), is flushed to disk with
:func:`os.fsync`, and replaces ``path`` with :func:`os.replace`. When
anything fails the temporary file is removed and ``path`` is untouched.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import secrets

from symbiosis.exception import InputError

__all__ = ['write_atomic', 'write_output']

#: Attempts at a free temporary name before giving up.
_ATTEMPTS = 100


def _create_temporary(directory: pathlib.Path, name: str) -> tuple[int, str]:
    # ``os.open`` with 0o666 lets the umask decide the permissions, as for
    # any new file (``tempfile.mkstemp`` would make it owner-only).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_CLOEXEC', 0)
    for _ in range(_ATTEMPTS):
        tmp = str(directory / f'.{name}.{secrets.token_hex(4)}.tmp')
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f'{directory}: no free temporary name for {name}')


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    mode: int | None = None,
    encoding: str = 'utf-8',
) -> None:
    """Replace the file ``path`` with ``data``, atomically.

    Missing parent directories are created.

    :param data: the new content; text is encoded with ``encoding``.
    :param mode: permission bits of the file (default: those of a new
        file, after the umask).
    :raises OSError: the file cannot be written; ``path`` is unchanged
        and no temporary file is left behind.
    """
    target = pathlib.Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(target.parent, target.name)
    try:
        with open(fd, 'wb') as stream:
            stream.write(payload)
            stream.flush()
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_output(path: str | os.PathLike[str], data: bytes | str) -> None:
    """:func:`write_atomic` for a file the user named (``--output``).

    :raises symbiosis.exception.InputError: it cannot be written.
    """
    try:
        write_atomic(path, data)
    except OSError as err:
        raise InputError(
            f'{os.fspath(path)}: cannot write: {err.strerror or err}'
        ) from err
