"""symbiosis.sources._index: NAME==VERSION from a real local HTTP index."""

from __future__ import annotations

import base64
import bz2
import gzip
import hashlib
import lzma
import socket

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.sources import resolve_target
from symbiosis.sources._index import nearest_versions
from symbiosis.sources._index import parse_pin
from symbiosis.sources._simple import redact
from symbiosis.sources._simple import with_credentials
from tests import base
from tests.indexserver import Index
from tests.indexserver import LocalIndexTestCase

PKG = {'pkg/__init__.py': 'def hello():\n    return 1\n'}


class IndexTestCase(LocalIndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.dist = self.make_dist('pkg', '1.0', PKG, requires_python='>=3.8')

    def serve_pkg(
        self,
        *,
        wheel: bool = True,
        sdist: bool = True,
        versions: tuple[str, ...] = (),
    ) -> None:
        files: dict[str, str | None] = {}
        if wheel:
            files[self.dist.wheel.name] = self.index.add_file(self.dist.wheel)
        if sdist:
            files[self.dist.sdist.name] = self.index.add_file(self.dist.sdist)
        for version in versions:
            files[f'pkg-{version}-py3-none-any.whl'] = None
        self.index.add_json_page('pkg', files)


class TestIndex(IndexTestCase):
    def test_download_prefers_the_wheel_and_is_cached(self) -> None:
        self.serve_pkg()
        tree = resolve_target('pkg==1.0', self.config())
        self.assertEqual(
            ('pkg', '1.0', ('pkg',), '>=3.8'),
            (tree.name, tree.version, tree.top_level, tree.requires_python),
        )
        self.assertEqual('pkg==1.0', tree.target)
        self.assertEqual(
            ['/simple/pkg/', f'/files/{self.dist.wheel.name}'],
            self.index.requests,
        )
        again = resolve_target('pkg==1.0', self.config())
        self.assertEqual(tree.root, again.root)
        self.assertEqual(2, len(self.index.requests))
        digest = hashlib.sha256(self.dist.wheel.read_bytes()).hexdigest()
        self.assertTrue(
            (
                self.tmp
                / 'cache'
                / 'downloads'
                / digest
                / self.dist.wheel.name
            ).is_file()
        )

    def test_name_is_normalised_and_triple_equals(self) -> None:
        self.serve_pkg()
        tree = resolve_target('PKG===1.0', self.config())
        self.assertEqual('1.0', tree.version)
        self.assertEqual('/simple/pkg/', self.index.requests[0])

    def test_sdist_fallback(self) -> None:
        self.serve_pkg(wheel=False)
        tree = resolve_target('pkg==1.0', self.config())
        self.assertEqual(
            ('pkg', '1.0', ('pkg',)), (tree.name, tree.version, tree.top_level)
        )
        self.assertIn(f'/files/{self.dist.sdist.name}', self.index.requests)

    def test_legacy_sdist_formats(self) -> None:
        # The same sdist as .tbz (bzip2) and, with a dash in its version,
        # as .tar.xz; neither is a name packaging reads.
        data = gzip.decompress(self.dist.sdist.read_bytes())
        legacy = {
            'pkg-1.0.tbz': bz2.compress(data),
            'pkg-1.0-1.tar.xz': lzma.compress(data),
        }
        files: dict[str, str | None] = {}
        for filename, content in legacy.items():
            path = self.tmp / filename
            path.write_bytes(content)
            files[filename] = self.index.add_file(path)
        self.index.add_json_page('pkg', files)
        tree = resolve_target('pkg==1.0', self.config())
        self.assertEqual(('pkg', '1.0', ('pkg',)),
                         (tree.name, tree.version, tree.top_level))
        self.assertEqual('/files/pkg-1.0.tbz', self.index.requests[-1])
        resolve_target('pkg==1.0.post1', self.config())
        self.assertEqual('/files/pkg-1.0-1.tar.xz', self.index.requests[-1])

    def test_sha256_mismatch(self) -> None:
        self.index.add_file(self.dist.wheel)
        self.index.add_json_page('pkg', {self.dist.wheel.name: '0' * 64})
        err = self.assertRaises(
            exception.PackageIndexError,
            resolve_target,
            'pkg==1.0',
            self.config(),
        )
        self.assertIn('sha256 mismatch', str(err))
        self.assertEqual(3, err.exit_code)
        leftovers = list((self.tmp / 'cache' / 'downloads').rglob('*.whl'))
        self.assertEqual([], leftovers)

    def test_version_not_found_lists_the_nearest(self) -> None:
        self.serve_pkg(versions=('0.9', '1.1', '2.0'))
        err = self.assertRaises(
            exception.VersionNotFound,
            resolve_target,
            'pkg==1.0.5',
            self.config(),
        )
        self.assertEqual(('1.0', '1.1', '0.9', '2.0'), err.available)
        self.assertIn('nearest available: 1.0, 1.1', str(err))
        self.assertEqual(2, err.exit_code)

    def test_unknown_distribution(self) -> None:
        err = self.assertRaises(
            exception.DistributionNotFound,
            resolve_target,
            'nosuch==1.0',
            self.config(),
        )
        self.assertEqual('nosuch', err.name)
        self.assertIn(self.index.url, str(err))
        self.assertEqual(2, err.exit_code)

    def test_html_fallback(self) -> None:
        self.index.add_html_page(
            'pkg',
            {
                self.dist.wheel.name: self.index.add_file(self.dist.wheel),
            },
        )
        tree = resolve_target('pkg==1.0', self.config())
        self.assertEqual(('pkg',), tree.top_level)

    def test_html_sha256_mismatch(self) -> None:
        self.index.add_file(self.dist.wheel)
        self.index.add_html_page('pkg', {self.dist.wheel.name: 'ab' * 32})
        self.assertRaises(
            exception.PackageIndexError,
            resolve_target,
            'pkg==1.0',
            self.config(),
        )

    def test_server_error(self) -> None:
        self.index.routes['/simple/pkg/'] = (500, 'text/plain', b'boom')
        err = self.assertRaises(
            exception.PackageIndexError,
            resolve_target,
            'pkg==1.0',
            self.config(),
        )
        self.assertEqual(3, err.exit_code)
        self.assertIn('500', str(err))

    def test_extra_index(self) -> None:
        other = Index()
        self.addCleanup(other.stop)
        files = {self.dist.wheel.name: other.add_file(self.dist.wheel)}
        other.add_json_page('pkg', files)
        config = self.config(extra_index_urls=(other.url + '/simple',))
        tree = resolve_target('pkg==1.0', config)
        self.assertEqual('1.0', tree.version)
        self.assertEqual(['/simple/pkg/'], self.index.requests)

    def test_credentials_are_sent_and_not_leaked(self) -> None:
        self.serve_pkg()
        self.index.auth = 'Basic ' + base64.b64encode(b'me:s3cret').decode()
        url = self.index.url.replace('http://', 'http://me:s3cret@')
        url += '/simple'
        tree = resolve_target('pkg==1.0', self.config(index_url=url))
        self.assertEqual('1.0', tree.version)
        cached = ''.join(
            p.read_text() for p in (self.tmp / 'cache').rglob('*.json')
        )
        self.assertNotIn('s3cret', cached)
        self.assertEqual('http://h/x', redact('http://u:p@h/x'))
        self.assertEqual(
            'http://u:p@h/f', with_credentials('http://h/f', 'http://u:p@h/s')
        )
        self.assertEqual(
            'http://o/f', with_credentials('http://o/f', 'http://u:p@h/s')
        )

    def test_no_cache_downloads_every_time(self) -> None:
        self.serve_pkg()
        config = self.config(use_cache=False)
        resolve_target('pkg==1.0', config)
        resolve_target('pkg==1.0', config)
        self.assertEqual(4, len(self.index.requests))
        self.assertFalse((self.tmp / 'cache').exists())


class TestUnreachable(IndexTestCase):
    def test_server_down(self) -> None:
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        config = self.config(index_url=f'http://127.0.0.1:{port}/simple')
        err = self.assertRaises(
            exception.IndexUnreachable, resolve_target, 'pkg==1.0', config
        )
        self.assertEqual(3, err.exit_code)

    def test_offline(self) -> None:
        self.serve_pkg()
        err = self.assertRaises(
            exception.IndexUnreachable,
            resolve_target,
            'pkg==1.0',
            self.config(offline=True),
        )
        self.assertIn('offline', str(err))
        self.assertEqual([], self.index.requests)
        resolve_target('pkg==1.0', self.config())
        count = len(self.index.requests)
        tree = resolve_target('pkg==1.0', self.config(offline=True))
        self.assertEqual('1.0', tree.version)
        self.assertEqual(count, len(self.index.requests))


class TestSimpleClient(IndexTestCase):
    def test_one_cached_page_serves_downloads_and_releases(self) -> None:
        from symbiosis.sources._releases import fetch_releases
        from symbiosis.sources._simple import fetch_listing

        self.index.add_json_entries('pkg', [
            {'filename': 'pkg-1.0-py3-none-any.whl', 'yanked': 'broken',
             'requires-python': '>=3.8',
             'upload-time': '2026-01-02T00:00:00Z'},
        ], versions=['1.0', '2.0'])
        page = fetch_listing(self.index.url + '/simple', 'PKG', self.config())
        assert page is not None
        [file] = page.files
        self.assertEqual(
            (True, 'broken', '>=3.8', 2026),
            (file.yanked, file.yanked_reason, file.requires_python,
             file.upload_time.year if file.upload_time else None),
        )
        self.assertEqual(('1.0', '2.0'), page.versions)
        releases = fetch_releases('pkg', self.config(offline=True))
        assert releases is not None
        self.assertEqual(['1.0', '2.0'],
                         [str(v) for v in releases.all_versions()])
        self.assertEqual(1, self.index.requests.count('/simple/pkg/'))


class TestPins(base.TestCase):
    def test_parse_pin(self) -> None:
        self.assertEqual(('a.b', '1.0', False), parse_pin('a.b==1.0'))
        self.assertEqual(('x', '1!2', True), parse_pin('x[extra] === 1!2'))
        self.assertRaises(exception.TargetError, parse_pin, 'x>=1')

    def test_nearest_versions(self) -> None:
        available = ['1.0', '2.0', '1.5', '0.1', 'bogus']
        self.assertEqual(
            ['1.5', '2.0', '1.0', '0.1'], nearest_versions('1.7', available)
        )
        self.assertEqual(
            ['2.0', '1.5', '1.0', '0.1'],
            nearest_versions('not a version', available),
        )


class TestRealIndex(base.TestCase):
    @base.requires_index
    def test_six(self) -> None:
        config = Config.from_environ(cache_dir=self.tmp / 'cache')
        tree = resolve_target('six==1.16.0', config)
        self.assertEqual(('six',), tree.top_level)
        self.assertEqual('1.16.0', tree.version)
        self.assertTrue((tree.root / 'six.py').is_file())
