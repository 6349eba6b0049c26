"""Config: one explicit object built from options and the environment."""

from __future__ import annotations

import pathlib

from symbiosis import config
from symbiosis import exception
from tests import base


class TestConfig(base.TestCase):
    def test_defaults(self) -> None:
        cfg = config.Config.from_environ({})
        self.assertEqual(config.DEFAULT_INDEX_URL, cfg.index_url)
        self.assertTrue(cfg.use_cache)
        self.assertFalse(cfg.offline)
        self.assertEqual(
            pathlib.Path('~/.cache/symbiosis').expanduser(), cfg.cache_dir
        )

    def test_symbiosis_variables_win_over_pip_and_uv(self) -> None:
        cfg = config.Config.from_environ({
            'PIP_INDEX_URL': 'http://pip.invalid/simple',
            'UV_INDEX_URL': 'http://uv.invalid/simple',
            'SYMBIOSIS_INDEX_URL': 'http://mine.invalid/simple',
        })
        self.assertEqual('http://mine.invalid/simple', cfg.index_url)

    def test_pip_settings_are_honoured(self) -> None:
        cfg = config.Config.from_environ({
            'PIP_INDEX_URL': 'http://pip.invalid/simple',
            'PIP_EXTRA_INDEX_URL': 'http://a.invalid http://b.invalid',
        })
        self.assertEqual('http://pip.invalid/simple', cfg.index_url)
        self.assertEqual(
            ('http://a.invalid', 'http://b.invalid'), cfg.extra_index_urls
        )

    def test_cache_and_offline_switches(self) -> None:
        cfg = config.Config.from_environ({
            'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'c'),
            'SYMBIOSIS_NO_CACHE': '1',
            'SYMBIOSIS_OFFLINE': '1',
        })
        self.assertEqual(self.tmp / 'c', cfg.cache_dir)
        self.assertFalse(cfg.use_cache)
        self.assertTrue(cfg.offline)
        self.assertIsNone(cfg.subdir('downloads'))

    def test_overrides_win_and_none_is_ignored(self) -> None:
        cfg = config.Config.from_environ(
            {'SYMBIOSIS_INDEX_URL': 'http://env.invalid'},
            index_url=None, timeout=5.0,
        )
        self.assertEqual('http://env.invalid', cfg.index_url)
        self.assertEqual(5.0, cfg.timeout)

    def test_subdir_is_created(self) -> None:
        cfg = config.Config(cache_dir=self.tmp / 'cache')
        path = cfg.subdir('extract')
        self.assertIsNotNone(path)
        assert path is not None
        self.assertTrue(path.is_dir())

    def test_cache_dir_that_cannot_be_one(self) -> None:
        a_file = self.tmp / 'a-file'
        a_file.write_text('x')
        for cache_dir in (a_file, a_file / 'below', self.tmp / ('x' * 300)):
            cfg = config.Config(cache_dir=cache_dir)
            err = self.assertRaises(exception.InputError,
                                    cfg.check_cache_dir)
            self.assertTrue(str(err).startswith(f'{cache_dir}: '), err)
            err = self.assertRaises(exception.InputError, cfg.subdir, 'x')
            self.assertTrue(str(err).startswith(f'{cache_dir}: '), err)
        # Disabled, it is never looked at.
        cfg = config.Config(cache_dir=a_file, use_cache=False)
        cfg.check_cache_dir()
        self.assertIsNone(cfg.subdir('x'))

    def test_cache_dir_check_creates_nothing(self) -> None:
        cache_dir = self.tmp / 'new' / 'cache'
        config.Config(cache_dir=cache_dir).check_cache_dir()
        self.assertFalse((self.tmp / 'new').exists())
        cache_dir.mkdir(parents=True)
        config.Config(cache_dir=cache_dir).check_cache_dir()

    def test_effective_workers(self) -> None:
        self.assertEqual(3, config.Config(workers=3).effective_workers())
        self.assertGreaterEqual(config.Config().effective_workers(), 1)


class TestErrors(base.TestCase):
    def test_exit_codes(self) -> None:
        self.assertEqual(2, exception.InputError('x').exit_code)
        self.assertEqual(2, exception.TargetError('t', 'bad').exit_code)
        self.assertEqual(
            3, exception.IndexUnreachable('http://i', 'refused').exit_code
        )

    def test_errors_carry_their_data(self) -> None:
        err = exception.VersionNotFound(
            'pkg==9', 'pkg', '9', ['1.2', '1.1']
        )
        self.assertEqual('pkg==9', err.target)
        self.assertEqual(('1.2', '1.1'), err.available)
        self.assertIn('nearest available: 1.2, 1.1', str(err))
        self.assertIsInstance(err, ValueError)
        unsafe = exception.UnsafeArchive('a.whl', '../x', 'escapes')
        self.assertEqual('../x', unsafe.member)
        self.assertIsInstance(unsafe, exception.ArchiveError)
        infra = exception.IndexUnreachable('http://i', 'refused')
        self.assertIsInstance(infra, OSError)
