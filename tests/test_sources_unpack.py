"""symbiosis.sources._unpack: hostile and corrupted archives are refused."""

from __future__ import annotations

from collections.abc import Sequence
import io
import pathlib
import stat
import tarfile
from typing import Any
import zipfile

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.sources import resolve_target
from symbiosis.sources._unpack import UnpackLimits
from symbiosis.sources._unpack import extract_archive
from symbiosis.sources._unpack import file_sha256
from symbiosis.sources._unpack import unpack_archive
from tests import base

# (name, kind, data or link target)
Member = tuple[str, bytes, str | bytes]


def write_tar(path: pathlib.Path, members: Sequence[Member]) -> None:
    with tarfile.open(path, 'w:gz') as tf:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            data = b''
            if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                assert isinstance(payload, str)
                info.linkname = payload
            elif kind == tarfile.REGTYPE:
                assert isinstance(payload, bytes)
                data = payload
                info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if data else None)


def write_zip(
    path: pathlib.Path,
    members: Sequence[tuple[str, bytes]],
    *,
    links: Sequence[tuple[str, str]] = (),
) -> None:
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
        for name, target in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)


REG = tarfile.REGTYPE
SYM = tarfile.SYMTYPE


class TestHostile(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.dest = self.tmp / 'out' / 'deep'
        self.dest.mkdir(parents=True)

    def extract(self, archive: pathlib.Path, **limits: Any) -> None:
        extract_archive(
            archive,
            self.dest,
            target=str(archive),
            limits=UnpackLimits(**limits),
        )

    def assertUnsafe(
        self, archive: pathlib.Path, member: str, **limits: int | float
    ) -> exception.UnsafeArchive:
        err = self.assertRaises(
            exception.UnsafeArchive, self.extract, archive, **limits
        )
        self.assertEqual(member, err.member)
        self.assertEqual(2, err.exit_code)
        return err

    def test_tar_parent_component(self) -> None:
        archive = self.tmp / 'evil.tar.gz'
        write_tar(
            archive, [('pkg/ok.py', REG, b''), ('pkg/../../evil', REG, b'x')]
        )
        self.assertUnsafe(archive, 'pkg/../../evil')
        self.assertFalse((self.tmp / 'out' / 'evil').exists())

    def test_tar_absolute(self) -> None:
        archive = self.tmp / 'abs.tar.gz'
        write_tar(archive, [('/abs/evil', REG, b'x')])
        self.assertUnsafe(archive, '/abs/evil')

    def test_tar_symlink_to_etc(self) -> None:
        archive = self.tmp / 'link.tar.gz'
        write_tar(archive, [('pkg/etc', SYM, '/etc')])
        self.assertUnsafe(archive, 'pkg/etc')
        archive = self.tmp / 'rel.tar.gz'
        write_tar(archive, [('pkg/up', SYM, '../../../etc')])
        self.assertUnsafe(archive, 'pkg/up')

    def test_tar_symlink_escaping_through_another_link(self) -> None:
        # Each link looks harmless on its own: ``s`` is the root and
        # ``t/u`` is ``../s/..``, which only leaves the tree once ``s``
        # is followed.
        archive = self.tmp / 'chain.tar.gz'
        write_tar(
            archive,
            [('t/f.py', REG, b''), ('s', SYM, '.'), ('t/u', SYM, '../s/..')],
        )
        self.assertUnsafe(archive, 't/u')

    def test_tar_hardlink_outside(self) -> None:
        archive = self.tmp / 'hard.tar.gz'
        write_tar(archive, [('pkg/passwd', tarfile.LNKTYPE, '/etc/passwd')])
        self.assertUnsafe(archive, '/etc/passwd')

    def test_tar_hardlink_inside_is_copied(self) -> None:
        archive = self.tmp / 'hardok.tar.gz'
        write_tar(
            archive,
            [
                ('pkg/a.py', REG, b'A = 1\n'),
                ('pkg/b.py', tarfile.LNKTYPE, 'pkg/a.py'),
            ],
        )
        self.extract(archive)
        self.assertEqual('A = 1\n', (self.dest / 'pkg' / 'b.py').read_text())

    def test_tar_device(self) -> None:
        archive = self.tmp / 'dev.tar.gz'
        write_tar(archive, [('pkg/null', tarfile.CHRTYPE, b'')])
        self.assertUnsafe(archive, 'pkg/null')

    def test_tar_inner_symlink_is_kept(self) -> None:
        archive = self.tmp / 'ok.tar.gz'
        write_tar(
            archive,
            [
                ('pkg/core.py', REG, b'X = 1\n'),
                ('pkg/alias.py', SYM, 'core.py'),
            ],
        )
        self.extract(archive)
        self.assertEqual(
            'X = 1\n', (self.dest / 'pkg' / 'alias.py').read_text()
        )

    def test_zip_parent_and_absolute(self) -> None:
        archive = self.tmp / 'evil.zip'
        write_zip(archive, [('../evil.py', b'x')])
        self.assertUnsafe(archive, '../evil.py')
        archive = self.tmp / 'abs.zip'
        write_zip(archive, [('/tmp/evil.py', b'x')])
        self.assertUnsafe(archive, '/tmp/evil.py')

    def test_zip_symlink_to_etc(self) -> None:
        archive = self.tmp / 'link.zip'
        write_zip(archive, [('pkg/a.py', b'')], links=[('pkg/etc', '/etc')])
        self.assertUnsafe(archive, 'pkg/etc')

    def test_zip_bomb_ratio(self) -> None:
        archive = self.tmp / 'bomb.zip'
        write_zip(archive, [('zeros.py', b'\0' * (4 << 20))])
        err = self.assertUnsafe(
            archive, 'bomb.zip', max_ratio=10, ratio_floor=0
        )
        self.assertIn('ratio', str(err))
        # The same archive is fine under the default limits.
        self.extract(archive)

    def test_tar_bomb_ratio(self) -> None:
        archive = self.tmp / 'bomb.tar.gz'
        write_tar(archive, [('zeros.py', REG, b'\0' * (4 << 20))])
        self.assertUnsafe(archive, 'zeros.py', max_ratio=10, ratio_floor=0)

    def test_member_count_and_sizes(self) -> None:
        archive = self.tmp / 'many.zip'
        write_zip(archive, [(f'm{i}.py', b'x' * 100) for i in range(5)])
        self.assertUnsafe(archive, 'm3.py', max_members=3)
        self.assertUnsafe(archive, 'many.zip', max_total_size=200)
        self.assertUnsafe(archive, 'm0.py', max_member_size=50)
        tar = self.tmp / 'many.tar.gz'
        write_tar(tar, [(f'm{i}.py', REG, b'x' * 100) for i in range(5)])
        self.assertUnsafe(tar, 'm3.py', max_members=3)
        self.assertUnsafe(tar, 'm2.py', max_total_size=250)
        self.assertUnsafe(tar, 'm0.py', max_member_size=50)


class TestCorrupted(base.TestCase):
    def assertCorrupted(self, archive: pathlib.Path) -> None:
        err = self.assertRaises(
            exception.ArchiveError,
            extract_archive,
            archive,
            self.tmp / 'out',
            target=str(archive),
        )
        self.assertNotIsInstance(err, exception.UnsafeArchive)
        self.assertEqual(2, err.exit_code)

    def test_garbage(self) -> None:
        archive = self.tmp / 'garbage.tar.gz'
        archive.write_bytes(b'this is not an archive' * 10)
        self.assertCorrupted(archive)

    def test_truncated_tar_gz(self) -> None:
        archive = self.tmp / 'cut.tar.gz'
        write_tar(
            archive,
            [(f'f{i}.py', REG, bytes(range(256)) * 64) for i in range(4)],
        )
        data = archive.read_bytes()
        archive.write_bytes(data[: len(data) // 2])
        self.assertCorrupted(archive)

    def test_damaged_zip(self) -> None:
        archive = self.tmp / 'bad.zip'
        write_zip(archive, [('a.py', bytes(range(256)) * 64)])
        data = bytearray(archive.read_bytes())
        data[40:200] = b'\xff' * 160
        archive.write_bytes(bytes(data))
        self.assertCorrupted(archive)

    def test_corrupted_wheel_target(self) -> None:
        wheel = self.tmp / 'pkg-1.0-py3-none-any.whl'
        wheel.write_bytes(b'PK\x03\x04 broken')
        self.assertRaises(
            exception.ArchiveError,
            resolve_target,
            str(wheel),
            Config(cache_dir=self.tmp / 'c'),
        )


class TestCache(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.config = Config(cache_dir=self.tmp / 'cache')
        self.archive = self.tmp / 'ok.tar.gz'
        write_tar(self.archive, [('pkg/__init__.py', REG, b'X = 1\n')])

    def test_unpacked_by_content(self) -> None:
        root = unpack_archive(self.archive, self.config, target='t')
        self.assertEqual(file_sha256(self.archive), root.name)
        self.assertEqual(self.tmp / 'cache' / 'unpacked', root.parent)
        marker = root / 'marker'
        marker.write_text('')
        self.assertEqual(
            root, unpack_archive(self.archive, self.config, target='t')
        )
        self.assertTrue(marker.exists())  # reused, not unpacked again

    def test_losing_a_race_uses_the_winner(self) -> None:
        final = self.tmp / 'cache' / 'unpacked' / file_sha256(self.archive)

        def other_run_wins(tmp: pathlib.Path) -> None:
            final.mkdir(parents=True)
            (final / 'winner').write_text('')

        root = unpack_archive(
            self.archive, self.config, target='t', prepare=other_run_wins
        )
        self.assertEqual(final, root)
        self.assertTrue((root / 'winner').exists())
        leftovers = [p for p in final.parent.iterdir() if p != final]
        self.assertEqual([], leftovers)

    def test_hostile_sdist_leaves_nothing_in_the_cache(self) -> None:
        archive = self.tmp / 'evil-1.0.tar.gz'
        write_tar(
            archive,
            [
                ('evil-1.0/setup.py', REG, b''),
                ('evil-1.0/../../../evil', REG, b'x'),
            ],
        )
        err = self.assertRaises(
            exception.UnsafeArchive, resolve_target, str(archive), self.config
        )
        self.assertIn(str(archive), str(err))
        self.assertEqual([], list((self.tmp / 'cache' / 'unpacked').iterdir()))
