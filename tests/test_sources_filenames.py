"""symbiosis.sources._filenames: release file names, every shape."""

from __future__ import annotations

from packaging.tags import Tag
from packaging.utils import canonicalize_name
from packaging.version import Version
import testtools

from symbiosis.sources._filenames import SDIST_SUFFIXES
from symbiosis.sources._filenames import ReleaseFilename
from symbiosis.sources._filenames import parse_release_filename
from symbiosis.sources._filenames import sdist_suffix


class TestParseReleaseFilename(testtools.TestCase):
    def check_sdists(self, cases: dict[str, tuple[str, str]]) -> None:
        for filename, (name, version) in cases.items():
            parsed = parse_release_filename(filename)
            self.assertEqual(
                ReleaseFilename(canonicalize_name(name), Version(version),
                                'sdist'),
                parsed,
                filename,
            )

    def test_every_sdist_suffix(self) -> None:
        self.assertEqual(
            {'.tar.gz', '.tgz', '.tar.bz2', '.tbz', '.tbz2', '.tar.xz',
             '.txz', '.zip', '.tar'},
            set(SDIST_SUFFIXES),
        )
        for suffix in SDIST_SUFFIXES:
            for filename in (f'foo-1.2{suffix}', f'foo-1.2{suffix.upper()}'):
                self.assertEqual(
                    ReleaseFilename('foo', Version('1.2'), 'sdist'),
                    parse_release_filename(filename),
                    filename,
                )
                self.assertEqual(suffix, sdist_suffix(filename))

    def test_wheels(self) -> None:
        parsed = parse_release_filename(
            'Foo_Bar-2.0.1-1-cp311-cp311-manylinux_2_17_x86_64.whl'
        )
        assert parsed is not None
        self.assertEqual(('foo-bar', Version('2.0.1'), 'wheel'),
                         (parsed.name, parsed.version, parsed.kind))
        self.assertEqual(
            frozenset({Tag('cp311', 'cp311', 'manylinux_2_17_x86_64')}),
            parsed.tags,
        )
        parsed = parse_release_filename('foo-1.0-py2.py3-none-any.whl')
        assert parsed is not None
        self.assertEqual(2, len(parsed.tags))
        self.assertIsNone(sdist_suffix('foo-1.0-py3-none-any.whl'))

    def test_names_with_dashes_dots_and_underscores(self) -> None:
        cases = {
            'python-dateutil-2.8.0.tar.gz': ('python-dateutil', '2.8.0'),
            'zope.interface-5.4.0.tar.gz': ('zope-interface', '5.4.0'),
            'Zope.Interface-5.4.0.zip': ('zope-interface', '5.4.0'),
            'typing_extensions-4.0.0.tar.gz': ('typing-extensions', '4.0.0'),
            'oslo.config-9.0.0.tgz': ('oslo-config', '9.0.0'),
            'my_pkg.with-all-3.1.tar.bz2': ('my-pkg-with-all', '3.1'),
            'py-3to2-1.0.tar.xz': ('py-3to2', '1.0'),
            'django-2fa-0.1.txz': ('django-2fa', '0.1'),
        }
        self.check_sdists(cases)

    def test_versions_with_dashes_in_legacy_sdists(self) -> None:
        cases = {
            'foo-1.0-beta.tar.gz': ('foo', '1.0b0'),
            'foo-bar-2.0-rc1.tgz': ('foo-bar', '2.0rc1'),
            'foo-0.1-dev.tar.bz2': ('foo', '0.1.dev0'),
            'Foo_Bar-1.0-beta.zip': ('foo-bar', '1.0b0'),
        }
        self.check_sdists(cases)

    def test_the_project_decides_an_ambiguous_split(self) -> None:
        # ``foo-1.0-1``: project ``foo-1.0`` version 1, or project
        # ``foo`` version 1.0-1 (a post-release)?
        guessed = parse_release_filename('foo-1.0-1.tar.gz')
        assert guessed is not None
        self.assertEqual(('foo-1-0', Version('1')),
                         (guessed.name, guessed.version))
        known = parse_release_filename('foo-1.0-1.tar.gz', project='Foo')
        assert known is not None
        self.assertEqual(('foo', Version('1.0.post1')),
                         (known.name, known.version))
        dashes = parse_release_filename('foo_bar-2.0-1.tgz',
                                        project='foo.bar')
        assert dashes is not None
        self.assertEqual(('foo-bar', Version('2.0.post1')),
                         (dashes.name, dashes.version))
        # A file of another project on the page is read as it stands.
        other = parse_release_filename('foo-bar-1.0.tar.gz', project='foo')
        assert other is not None
        self.assertEqual(('foo-bar', Version('1.0')),
                         (other.name, other.version))

    def test_not_release_files(self) -> None:
        for filename in (
            'foo-1.0.tar.gz.asc',
            'foo-1.0-py3.8.egg',
            'foo-1.0.win32.exe',
            'foo-1.0.rpm',
            'foo.tar.gz',
            '-1.0.tar.gz',
            'foo-notaversion.tar.gz',
            'foo-1.0-py3-none.whl',
            'foo-x-py3-none-any.whl',
            'foo-1.0.WHL',
        ):
            self.assertIsNone(parse_release_filename(filename), filename)
