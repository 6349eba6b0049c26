"""Writing a file atomically: the one implementation symbiosis uses.

A reader of ``path`` sees either the old file or the whole new one, never
a part: the data goes to a temporary file in the same directory (so the
rename stays on one file system), is flushed to disk with
:func:`os.fsync`, and replaces ``path`` with :func:`os.replace`. When
anything fails the temporary file is removed and ``path`` is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import pathlib
import secrets
import stat
from typing import BinaryIO

from symbiosis.exception import InputError

__all__ = [
    'check_output',
    'copy_atomic',
    'copy_output',
    'send_file',
    'write_atomic',
    'write_output',
]

#: Attempts at a free temporary name before giving up.
_ATTEMPTS = 100

#: Bytes copied per system call by :func:`send_file`.
_CHUNK = 1 << 23

#: Characters of the target's name kept in a temporary file's name, so
#: that the temporary name fits wherever the target's own name does (at
#: most 4 * 32 + 14 bytes: below any file system's name limit).
_NAME_KEPT = 32


def _create_temporary(directory: pathlib.Path, name: str) -> tuple[int, str]:
    # ``os.open`` with 0o666 lets the umask decide the permissions, as for
    # any new file (``tempfile.mkstemp`` would make it owner-only).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_CLOEXEC', 0)
    for _ in range(_ATTEMPTS):
        kept = name[:_NAME_KEPT]
        tmp = str(directory / f'.{kept}.{secrets.token_hex(4)}.tmp')
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


def copy_atomic(
    source: str | os.PathLike[str], path: str | os.PathLike[str]
) -> None:
    """Replace the file ``path`` with a copy of the file ``source``,
    atomically, as :func:`write_atomic` does.

    The bytes go from file to file in the kernel where it can
    (:func:`send_file`), without passing through Python.

    :raises OSError: ``source`` cannot be read or ``path`` written;
        ``path`` is unchanged and no temporary file is left behind.
    """
    target = pathlib.Path(path)
    with open(source, 'rb') as reader:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temporary(target.parent, target.name)
        try:
            with open(fd, 'wb') as stream:
                send_file(reader, stream)
                os.fsync(stream.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def send_file(reader: BinaryIO, writer: BinaryIO) -> int:
    """Copy what is left of ``reader`` to ``writer``; return the bytes
    copied.

    :func:`os.sendfile` copies in the kernel when both are real files
    (or ``writer`` a pipe or socket, on Linux); otherwise, or when it
    refuses, the rest is copied through a buffer. ``writer`` is flushed
    first and last.
    """
    writer.flush()
    copied = 0
    try:
        source, target = reader.fileno(), writer.fileno()
        offset = reader.tell()
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        source = target = -1
    if source >= 0 and hasattr(os, 'sendfile'):
        while True:
            try:
                sent = os.sendfile(target, source, offset + copied, _CHUNK)
            except OSError:
                # Not supported between these two: copy the rest below.
                break
            if not sent:
                writer.flush()
                return copied
            copied += sent
        reader.seek(offset + copied)
    copied += _copy_stream(reader, writer)
    writer.flush()
    return copied


def _copy_stream(reader: BinaryIO, writer: BinaryIO) -> int:
    copied = 0
    while chunk := reader.read(_CHUNK):
        writer.write(chunk)
        copied += len(chunk)
    return copied


def copy_output(
    source: str | os.PathLike[str], path: str | os.PathLike[str]
) -> None:
    """:func:`copy_atomic` to a file the user named (``--output``).

    :raises symbiosis.exception.InputError: it cannot be written.
    """
    try:
        copy_atomic(source, path)
    except OSError as err:
        raise _cannot_write(path, err) from err


def _cannot_write(path: str | os.PathLike[str], err: OSError) -> InputError:
    return InputError(
        f'{os.fspath(path)}: cannot write: {err.strerror or err}')


def check_output(path: str | os.PathLike[str]) -> None:
    """Fail now if :func:`write_output` could not write ``path`` later.

    A command checks the file the user named before doing its work, so
    an unwritable ``--output`` is not found after minutes of it. The
    check creates and removes a temporary file where the real one will
    go, and removes again the directories it had to create for that:
    nothing is left behind, and an existing ``path`` is not touched.

    :raises symbiosis.exception.InputError: ``path`` is a directory, its
        name is too long, or its directory cannot be created or written.
    """
    target = pathlib.Path(path)
    created: list[pathlib.Path] = []
    try:
        missing = [p for p in target.parents if not p.exists()]
        for directory in reversed(missing):
            directory.mkdir()
            created.append(directory)
        try:
            info = target.stat()  # a name too long for the OS raises
        except FileNotFoundError:
            pass
        else:
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(
                    errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        fd, tmp = _create_temporary(target.parent, target.name)
        os.close(fd)
        os.unlink(tmp)
    except OSError as err:
        raise _cannot_write(path, err) from err
    finally:
        for directory in reversed(created):
            with contextlib.suppress(OSError):
                directory.rmdir()


def write_output(path: str | os.PathLike[str], data: bytes | str) -> None:
    """:func:`write_atomic` for a file the user named (``--output``).

    :raises symbiosis.exception.InputError: it cannot be written.
    """
    try:
        write_atomic(path, data)
    except OSError as err:
        raise _cannot_write(path, err) from err
