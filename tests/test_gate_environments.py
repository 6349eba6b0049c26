"""Environment plugins: cache keys, reuse, rebuild, clean, fixture."""

from __future__ import annotations

import dataclasses
import os
import time

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.fixtures import UpstreamEnvironment
from symbiosis.gate._environments.base import MARKER
from symbiosis.gate._environments.base import EnvironmentBuildError
from symbiosis.gate._environments.base import EnvironmentSpec
from symbiosis.gate._environments.base import clean_bytecode
from symbiosis.gate._environments.base import clean_environments
from symbiosis.gate._environments.base import load_environment
from symbiosis.gate._specs import resolve_spec
from tests import base


class TestSpecs(base.TestCase):

    def test_resolve(self) -> None:
        config = Config.from_environ(offline=True)
        self.assertEqual('lib==0.7.16',
                         resolve_spec('lib', '0.7.16', config).install)
        self.assertEqual('lib>=2.1,<3',
                         resolve_spec('lib', '>=2.1,<3', config).install)
        self.assertEqual('lib[x]==1.0',
                         resolve_spec('lib', 'lib[x]==1.0', config).install)
        dist = self.make_dist('lib', '1.0', {'lib/__init__.py': ''})
        local = resolve_spec('lib', str(dist.wheel), config)
        self.assertTrue(local.local)
        self.assertEqual(64, len(local.fingerprint))
        tree = resolve_spec('lib', str(dist.tree), config)
        self.assertEqual(str(dist.tree.resolve()), tree.install)
        for bad in ('nope/missing.whl', 'other==1.0', str(self.tmp)):
            self.assertRaises(exception.InputError, resolve_spec, 'lib',
                              bad, config)

    def test_key_follows_inputs(self) -> None:
        spec = EnvironmentSpec(install=('lib==1.0',))
        keys = {
            spec.key('uv', '1'),
            spec.key('uv', '2'),
            spec.key('venv', '1'),
            dataclasses.replace(spec, python='3.12').key('uv', '1'),
            dataclasses.replace(spec, exclude_newer='2024-01-01').key(
                'uv', '1'),
            dataclasses.replace(spec, requirements=('x',)).key('uv', '1'),
            dataclasses.replace(spec, fingerprint='abc').key('uv', '1'),
            dataclasses.replace(spec, downstream=('/d',)).key('uv', '1'),
        }
        self.assertEqual(8, len(keys))
        self.assertEqual(spec.key('uv', '1'), EnvironmentSpec(
            install=('lib==1.0',)).key('uv', '1'))


class TestUvEnvironment(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.config = Config.from_environ(offline=True)
        self.plugin = load_environment('uv', self.config)
        dist = self.make_dist('envlib', '1.0', {
            'envlib/__init__.py': 'VALUE = 1\n'})
        self.spec = EnvironmentSpec(install=(str(dist.wheel),))
        self.root = self.tmp / 'envs'

    def test_build_reuse_rebuild_clean(self) -> None:
        first = self.plugin.ensure(self.spec, self.root)
        self.assertFalse(first.reused)
        self.assertTrue((first.path / MARKER).is_file())
        again = self.plugin.ensure(self.spec, self.root)
        self.assertTrue(again.reused)
        self.assertEqual(first.path, again.path)
        self.assertLess(again.seconds, 0.2)
        # No symbiosis inside: only the upstream.
        site = next(iter(first.path.glob('lib/python*/site-packages')))
        names = {p.name.split('-')[0] for p in site.iterdir()}
        self.assertIn('envlib', names)
        self.assertNotIn('symbiosis', names)
        # An interrupted build (no marker) is rebuilt.
        (first.path / MARKER).unlink()
        self.assertFalse(self.plugin.ensure(self.spec, self.root).reused)
        # Age limit: recent ones stay, all go without one.
        self.assertEqual([], clean_environments(self.root, 3600))
        old = time.time() - 7200
        os.utime(first.path / MARKER, (old, old))
        self.assertEqual([first.path],
                         clean_environments(self.root, 3600))
        self.plugin.ensure(self.spec, self.root)
        self.assertEqual(1, len(clean_environments(self.root)))

    def test_clean_bytecode_of_removed_environments(self) -> None:
        pycache = self.tmp / 'pycache'
        kept, gone = self.root / 'kept', self.root / 'gone'
        for env in (kept, gone):
            mirror = pycache / env.resolve().relative_to('/') / 'lib'
            mirror.mkdir(parents=True)
            (mirror / 'm.cpython-311.pyc').write_bytes(b'')
        clean_bytecode(pycache, [gone])
        self.assertTrue((pycache / kept.resolve().relative_to('/')).is_dir())
        self.assertFalse((pycache / gone.resolve().relative_to('/')).exists())
        clean_bytecode(pycache)
        self.assertFalse(pycache.exists())

    def test_build_failure_keeps_installer_message(self) -> None:
        bad = EnvironmentSpec(install=(str(self.tmp / 'missing-1.0-py3-'
                                                      'none-any.whl'),))
        err = self.assertRaises(EnvironmentBuildError, self.plugin.ensure,
                                bad, self.root)
        self.assertIn('missing-1.0', str(err))
        self.assertEqual([], [p for p in self.root.iterdir()
                              if p.is_dir()])

    def test_fixture(self) -> None:
        dist = self.make_dist('fixlib', '2.0', {
            'fixlib/__init__.py': 'def answer():\n    return 42\n'})
        probes = self.write_tree({'probes_fix.py': '''
            import fixlib

            def test_answer():
                assert fixlib.answer() == 42
        '''}, root='probes')
        env = self.useFixture(UpstreamEnvironment(
            str(dist.wheel), upstream='fixlib', config=self.config))
        self.assertTrue(os.path.exists(env.python))
        outcomes = env.run_probes([str(probes)])
        self.assertEqual(['pass'], [o.status.value for o in outcomes])


class TestVenvEnvironment(base.TestCase):

    def test_venv_fallback_installs_a_wheel(self) -> None:
        config = Config.from_environ(offline=True)
        plugin = load_environment('venv', config)
        dist = self.make_dist('venvlib', '1.0', {
            'venvlib/__init__.py': 'VALUE = 1\n'})
        built = plugin.ensure(EnvironmentSpec(install=(str(dist.wheel),)),
                              self.tmp / 'envs')
        self.assertEqual('venv', built.kind)
        self.assertTrue(os.path.exists(built.python))
