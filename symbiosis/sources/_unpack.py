"""Unpack wheels, sdists and ``git archive`` output without trusting them.

Archives come from package indexes and from users; a hostile one must not
write outside the directory it is unpacked into, fill the disk or create
device files. Every member is checked before anything is written:

* absolute names, drive letters and ``..`` components are refused;
* device files, FIFOs and other special members are refused;
* hard links must name a regular member seen earlier (they are copied);
* symbolic links must be relative and, once every link exists, resolve
  inside the tree; no member is ever written through a link;
* the member count, each member's size, the total size and the
  compression ratio are capped (:class:`UnpackLimits`).

:func:`unpack_archive` unpacks into a fresh temporary directory beside the
cache entry and renames it into place, so concurrent runs never see a
half-written tree and the loser of a race simply uses the winner's copy.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from collections.abc import Iterator
import contextlib
import dataclasses
import hashlib
import logging
import os
import pathlib
import posixpath
import shutil
import stat
import tarfile
import tempfile
from typing import IO
from typing import TYPE_CHECKING
import zipfile
import zlib

from symbiosis.exception import ArchiveError
from symbiosis.exception import UnsafeArchive

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = [
    'DEFAULT_LIMITS',
    'UnpackLimits',
    'check_archive',
    'extract_archive',
    'file_sha256',
    'scratch_dir',
    'unpack_archive',
]

LOG = logging.getLogger(__name__)

_CHUNK = 1 << 16


@dataclasses.dataclass(frozen=True)
class UnpackLimits:
    """Caps that make a decompression bomb an error instead of an outage.

    :param max_members: most members an archive may hold.
    :param max_member_size: largest uncompressed member, in bytes.
    :param max_total_size: largest uncompressed total, in bytes.
    :param max_ratio: largest uncompressed/compressed size ratio, checked
        for the whole archive and for each zip member.
    :param ratio_floor: sizes (bytes) below which the ratio is not checked:
        small, highly compressible text files are normal.
    """

    max_members: int = 100_000
    max_member_size: int = 1 << 30
    max_total_size: int = 2 << 30
    max_ratio: float = 200.0
    ratio_floor: int = 16 << 20


#: The limits used when a caller gives none.
DEFAULT_LIMITS = UnpackLimits()


def file_sha256(path: pathlib.Path) -> str:
    """Return the hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open('rb') as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b''):
            digest.update(chunk)
    return digest.hexdigest()


def scratch_dir(prefix: str) -> pathlib.Path:
    """Return a temporary directory removed when the process exits.

    Used when caching is disabled: the files must outlive the call that
    produced them (the caller reads them afterwards) but not the process.
    """
    holder = tempfile.TemporaryDirectory(prefix=f'symbiosis-{prefix}-')
    atexit.register(holder.cleanup)
    return pathlib.Path(holder.name)


def _member_path(target: str, name: str) -> str:
    """Return ``name`` as a safe relative POSIX path, or refuse it."""
    if '\x00' in name:
        raise UnsafeArchive(target, name, 'NUL byte in the name')
    clean = name.replace('\\', '/')
    if clean.startswith('/') or (len(clean) > 1 and clean[1] == ':'):
        raise UnsafeArchive(target, name, 'absolute path')
    parts = [p for p in clean.split('/') if p not in ('', '.')]
    if '..' in parts:
        raise UnsafeArchive(target, name, "'..' in the path")
    return '/'.join(parts)


def _check_link_target(target: str, member: str, link: str) -> None:
    if not link or link.startswith('/') or link.replace('\\', '/')[1:2] == ':':
        raise UnsafeArchive(target, member, f'link to absolute path {link!r}')
    where = posixpath.normpath(posixpath.join(posixpath.dirname(member), link))
    if where == '..' or where.startswith('../'):
        raise UnsafeArchive(target, member, f'link {link!r} leaves the tree')


class _Writer:
    """Writes checked members under ``dest``, keeping the running totals."""

    def __init__(
        self, target: str, dest: pathlib.Path, limits: UnpackLimits
    ) -> None:
        self.target = target
        self.dest = dest
        self.limits = limits
        self.members = 0
        self.total = 0
        self.files: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def count(self, name: str) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise UnsafeArchive(
                self.target,
                name,
                f'more than {self.limits.max_members} members',
            )

    def _path(self, rel: str) -> pathlib.Path:
        path = self.dest.joinpath(*rel.split('/'))
        parent = path.parent
        # No link exists yet when files are written (links come last), but
        # a directory named like an earlier file is still refused here.
        while parent != self.dest:
            if parent.is_symlink():
                raise UnsafeArchive(self.target, rel, 'written through link')
            parent = parent.parent
        return path

    def directory(self, rel: str) -> None:
        if rel:
            self._path(rel).mkdir(parents=True, exist_ok=True)

    def file(self, rel: str, stream: IO[bytes], mode: int = 0o644) -> None:
        path = self._path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with path.open('wb') as out:
            for chunk in iter(lambda: stream.read(_CHUNK), b''):
                written += len(chunk)
                self.total += len(chunk)
                if written > self.limits.max_member_size:
                    raise UnsafeArchive(
                        self.target,
                        rel,
                        f'larger than {self.limits.max_member_size} bytes',
                    )
                if self.total > self.limits.max_total_size:
                    raise UnsafeArchive(
                        self.target,
                        rel,
                        'archive expands past '
                        f'{self.limits.max_total_size} bytes',
                    )
                out.write(chunk)
        # Keep the executable bit only; never setuid/setgid/sticky.
        path.chmod(0o755 if mode & 0o111 else 0o644)
        self.files.add(rel)

    def hardlink(self, rel: str, source: str) -> None:
        if source not in self.files:
            raise UnsafeArchive(
                self.target, rel, f'hard link to unknown member {source!r}'
            )
        with self._path(source).open('rb') as stream:
            self.file(rel, stream)

    def symlink(self, rel: str, link: str) -> None:
        _check_link_target(self.target, rel, link)
        self.links.append((rel, link))

    def finish(self) -> None:
        """Create the links, then check each resolves inside the tree."""
        root = os.path.realpath(self.dest)
        for rel, link in self.links:
            path = self._path(rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink() or path.exists():
                raise UnsafeArchive(self.target, rel, 'link replaces a member')
            os.symlink(link, path)
        for rel, _link in self.links:
            real = os.path.realpath(self.dest.joinpath(*rel.split('/')))
            if os.path.commonpath([root, real]) != root:
                raise UnsafeArchive(self.target, rel, 'link leaves the tree')


def _ratio_check(
    target: str, name: str, size: int, packed: int, limits: UnpackLimits
) -> None:
    if size > limits.ratio_floor and size > packed * limits.max_ratio:
        raise UnsafeArchive(
            target,
            name,
            f'compression ratio above {limits.max_ratio:g} '
            '(a decompression bomb?)',
        )


def _extract_zip(
    archive: pathlib.Path, writer: _Writer, limits: UnpackLimits
) -> None:
    target = writer.target
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise UnsafeArchive(
                target,
                infos[limits.max_members].filename,
                f'more than {limits.max_members} members',
            )
        declared = sum(i.file_size for i in infos)
        _ratio_check(
            target, archive.name, declared, archive.stat().st_size, limits
        )
        if declared > limits.max_total_size:
            raise UnsafeArchive(
                target,
                archive.name,
                f'archive expands past {limits.max_total_size} bytes',
            )
        for info in infos:
            writer.count(info.filename)
            rel = _member_path(target, info.filename)
            mode = info.external_attr >> 16
            _ratio_check(
                target,
                info.filename,
                info.file_size,
                max(info.compress_size, 1),
                limits,
            )
            if info.is_dir():
                writer.directory(rel)
            elif stat.S_ISLNK(mode):
                link = zf.read(info)[:4096].decode('utf-8', 'replace')
                writer.symlink(rel, link)
            elif stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                raise UnsafeArchive(target, info.filename, 'special file')
            elif rel:
                with zf.open(info) as stream:
                    writer.file(rel, stream, mode)


def _extract_tar(
    archive: pathlib.Path, writer: _Writer, limits: UnpackLimits
) -> None:
    target = writer.target
    packed = archive.stat().st_size
    declared = 0
    with tarfile.open(archive, 'r:*') as tf:
        for member in tf:
            writer.count(member.name)
            rel = _member_path(target, member.name)
            if member.isdir():
                writer.directory(rel)
            elif member.isreg():
                declared += member.size
                if member.size > limits.max_member_size:
                    raise UnsafeArchive(
                        target,
                        member.name,
                        f'larger than {limits.max_member_size} bytes',
                    )
                _ratio_check(target, member.name, declared, packed, limits)
                stream = tf.extractfile(member)
                if stream is None:  # pragma: no cover - isreg() has data
                    continue
                with stream:
                    writer.file(rel, stream, member.mode)
            elif member.issym():
                writer.symlink(rel, member.linkname)
            elif member.islnk():
                writer.hardlink(rel, _member_path(target, member.linkname))
            else:
                raise UnsafeArchive(
                    target, member.name, 'device, FIFO or special file'
                )


def extract_archive(
    archive: pathlib.Path,
    dest: pathlib.Path,
    *,
    target: str,
    limits: UnpackLimits = DEFAULT_LIMITS,
) -> None:
    """Unpack ``archive`` (zip/wheel or any tar) into the directory ``dest``.

    ``dest`` is written in place: callers that need atomicity unpack into a
    temporary directory (see :func:`unpack_archive`).

    :param target: the TARGET the archive belongs to, for error messages.
    :raises symbiosis.exception.UnsafeArchive: a member is hostile or the
        archive breaks a limit.
    :raises symbiosis.exception.ArchiveError: the archive is corrupted or
        of an unknown format.
    """
    writer = _Writer(target, dest, limits)
    label = _label(archive, target)
    try:
        if zipfile.is_zipfile(archive):
            _extract_zip(archive, writer, limits)
        elif tarfile.is_tarfile(archive):
            _extract_tar(archive, writer, limits)
        else:
            raise _unknown_format(archive, target)
        writer.finish()
    except ArchiveError:
        raise
    except _READ_ERRORS as err:
        raise ArchiveError(
            target, f'{label}corrupted archive ({err})'
        ) from err


def check_archive(archive: pathlib.Path, *, target: str) -> list[str]:
    """Return the member names of ``archive``, extracting nothing.

    A quick look before an archive is handed to an installer: an empty,
    truncated or foreign file is the user's input at fault (exit code 2),
    not an installer failure. Members' contents are not read.

    :param target: the TARGET the archive belongs to, for error messages.
    :raises symbiosis.exception.ArchiveError: the archive is empty,
        corrupted, or neither a zip nor a tar archive.
    """
    label = _label(archive, target)
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                names = zf.namelist()
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive, 'r:*') as tf:
                names = tf.getnames()  # reads to the end: finds truncation
        else:
            raise _unknown_format(archive, target)
    except ArchiveError:
        raise
    except _READ_ERRORS as err:
        raise ArchiveError(
            target, f'{label}corrupted archive ({err})'
        ) from err
    if not names:
        raise ArchiveError(target, f'{label}empty archive (no members)')
    return names


#: What reading a damaged archive raises.
_READ_ERRORS = (
    tarfile.TarError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    UnicodeError,
    ValueError,
    OSError,
)


def _label(archive: pathlib.Path, target: str) -> str:
    """The archive's name before a message, unless the target names it
    already (``wheel.whl: wheel.whl: ...`` says it twice)."""
    if pathlib.Path(target).name == archive.name:
        return ''
    return f'{archive.name}: '


def _unknown_format(archive: pathlib.Path, target: str) -> ArchiveError:
    label = _label(archive, target)
    try:
        empty = archive.stat().st_size == 0
    except OSError:
        empty = False
    if empty:
        return ArchiveError(target, f'{label}empty file, not an archive')
    return ArchiveError(target, f'{label}not a zip or tar archive')


@contextlib.contextmanager
def _temporary_beside(parent: pathlib.Path) -> Iterator[pathlib.Path]:
    tmp = pathlib.Path(tempfile.mkdtemp(prefix='.tmp-', dir=parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def unpack_archive(
    archive: pathlib.Path,
    config: Config,
    *,
    target: str,
    key: str | None = None,
    limits: UnpackLimits = DEFAULT_LIMITS,
    prepare: Callable[[pathlib.Path], None] | None = None,
) -> pathlib.Path:
    """Unpack ``archive`` into the cache and return the directory.

    The directory is ``config.subdir('unpacked')/<key>`` where ``key``
    defaults to the sha256 of the archive, so a second call is free. With
    caching disabled the archive goes to a temporary directory removed at
    exit.

    :param key: cache key; defaults to the archive's sha256.
    :param prepare: called with the freshly unpacked directory before it
        is published (e.g. to move a wheel's ``.data/purelib`` in place).
    :raises symbiosis.exception.UnsafeArchive: see :func:`extract_archive`.
    :raises symbiosis.exception.ArchiveError: see :func:`extract_archive`.
    """
    cache = config.subdir('unpacked')
    if cache is None:
        dest = scratch_dir('unpacked') / 'tree'
        dest.mkdir()
        extract_archive(archive, dest, target=target, limits=limits)
        if prepare is not None:
            prepare(dest)
        return dest
    final = cache / (key or file_sha256(archive))
    if final.is_dir():
        LOG.debug('%s: using cached tree %s', target, final)
        return final
    with _temporary_beside(cache) as tmp:
        extract_archive(archive, tmp, target=target, limits=limits)
        if prepare is not None:
            prepare(tmp)
        try:
            tmp.rename(final)
        except OSError:
            # Another run published the same archive first: use its copy.
            if not final.is_dir():
                raise
            LOG.debug('%s: lost an unpack race, using %s', target, final)
    LOG.debug('%s: unpacked %s into %s', target, archive.name, final)
    return final
