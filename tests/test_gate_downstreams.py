"""Upstream (reverse) mode with downstreams of every kind, and the early
check that a SPEC names a release that exists.

The releases come from a real simple-API server on 127.0.0.1 and the
environments are built by uv resolving from it: no network is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import fixtures

from symbiosis import exception
from symbiosis.gate._downstreams import resolve_downstream
from symbiosis.gate._model import Classification
from symbiosis.gate._runner import run_gate
from symbiosis.gate._specs import InstallSpec
from symbiosis.gate._specs import check_release
from tests.indexserver import LocalIndexTestCase

CONSUMER_TEST = '''
    import unittest

    import consumer


    class TestConsumer(unittest.TestCase):
        def test_double(self):
            self.assertEqual(2, consumer.double())

        def test_name(self):
            self.assertEqual('consumer', consumer.__name__)
'''

COMMAND = 'python -m unittest discover -s tests -t .'


class DownstreamTestCase(LocalIndexTestCase):

    def setUp(self) -> None:
        super().setUp()
        self.lib_1 = self.make_dist('gatelib', '1.0', {
            'gatelib/__init__.py': 'def value():\n    return 1\n'})
        self.lib_2 = self.make_dist('gatelib', '2.0', {
            'gatelib/__init__.py': 'def value():\n    return 2\n'})
        self.consumer = self.make_dist('consumer', '1.0', {
            'consumer/__init__.py':
                'import gatelib\n\n\ndef double():\n'
                '    return gatelib.value() * 2\n',
            'tests/__init__.py': '',
            'tests/test_consumer.py': CONSUMER_TEST,
        }, requires=['gatelib'])
        self.index.publish(self.lib_1.wheel, self.lib_2.wheel,
                           self.consumer.wheel, self.consumer.sdist)


class TestResolveDownstream(DownstreamTestCase):

    def test_directory_project(self) -> None:
        got = resolve_downstream(str(self.consumer.tree), self.config())
        self.assertEqual(self.consumer.tree.resolve(), got.directory)
        self.assertEqual(str(self.consumer.tree.resolve()), got.install)
        self.assertTrue(got.fingerprint)

    def test_directory_of_tests_installs_nothing(self) -> None:
        tests = self.write_tree({'test_x.py': 'pass\n'}, root='only-tests')
        got = resolve_downstream(str(tests), self.config())
        self.assertIsNone(got.install)
        self.assertEqual(tests.resolve(), got.directory)

    def test_sdist_is_unpacked_and_installed_from_the_file(self) -> None:
        got = resolve_downstream(str(self.consumer.sdist), self.config())
        self.assertEqual(str(self.consumer.sdist.resolve()), got.install)
        self.assertTrue((got.directory / 'pyproject.toml').is_file())
        self.assertTrue(
            (got.directory / 'tests' / 'test_consumer.py').is_file())
        self.assertEqual(64, len(got.fingerprint))

    def test_wheel_is_unpacked(self) -> None:
        got = resolve_downstream(str(self.consumer.wheel), self.config())
        self.assertEqual(str(self.consumer.wheel.resolve()), got.install)
        self.assertTrue((got.directory / 'consumer' / '__init__.py').is_file())

    def test_release_prefers_the_sdist_and_installs_the_pin(self) -> None:
        got = resolve_downstream('consumer==1.0', self.config())
        self.assertEqual('consumer==1.0', got.install)
        self.assertEqual('', got.fingerprint)
        # The sdist (not the wheel, served first) was unpacked: it has the
        # project file.
        self.assertTrue((got.directory / 'pyproject.toml').is_file())
        # Once downloaded, the same pin resolves offline.
        again = resolve_downstream('consumer==1.0', self.config(offline=True))
        self.assertEqual(got.directory, again.directory)

    def test_release_with_extras_installs_them(self) -> None:
        got = resolve_downstream('consumer[test]==1.0', self.config())
        self.assertEqual('consumer[test]==1.0', got.install)
        self.assertTrue((got.directory / 'pyproject.toml').is_file())

    def test_release_without_sdist_uses_the_wheel(self) -> None:
        only = self.make_dist('wheelonly', '1.0', {'wheelonly.py': 'X = 1\n'})
        self.index.publish(only.wheel)
        got = resolve_downstream('wheelonly==1.0', self.config())
        self.assertTrue((got.directory / 'wheelonly.py').is_file())

    def test_unknown_release_is_bad_input(self) -> None:
        err = self.assertRaises(exception.VersionNotFound,
                                resolve_downstream, 'consumer==9.9',
                                self.config())
        self.assertIn('1.0', str(err))
        self.assertEqual(2, err.exit_code)
        err2 = self.assertRaises(exception.DistributionNotFound,
                                 resolve_downstream, 'nosuchthing==1.0',
                                 self.config())
        self.assertEqual(2, err2.exit_code)

    def test_offline_and_not_cached_is_infrastructure(self) -> None:
        err = self.assertRaises(exception.IndexUnreachable,
                                resolve_downstream, 'consumer==1.0',
                                self.config(offline=True))
        self.assertEqual(3, err.exit_code)

    def test_damaged_sdist_is_bad_input(self) -> None:
        broken = self.tmp / 'consumer-1.0.tar.gz'
        broken.write_bytes(b'not a tar archive at all')
        err = self.assertRaises(exception.ArchiveError, resolve_downstream,
                                str(broken), self.config())
        self.assertEqual(2, err.exit_code)
        self.assertIn('consumer-1.0.tar.gz', str(err))

    def test_bad_values(self) -> None:
        text = self.tmp / 'notes.txt'
        text.write_text('x')
        for value, message in (
            ('', 'an empty value'),
            (str(text), 'not a directory, a wheel or an sdist'),
            (str(self.tmp / 'gone.tar.gz'), 'no such file or directory'),
            ('gone/consumer', 'no such file or directory'),
            ('consumer>=1', 'not a directory, a wheel, an sdist or '
             'NAME==VERSION'),
        ):
            err = self.assertRaises(exception.InputError, resolve_downstream,
                                    value, self.config())
            self.assertIn(message, str(err))


class TestReverseGate(DownstreamTestCase):
    """A consumer's own test suite, from the index, against two releases."""

    def gate(self, downstream: str, **options: object) -> object:
        return run_gate(
            'gatelib', '1.0', '2.0', (), commands=[COMMAND],
            downstreams=[downstream], executor='thread', workers=2,
            reruns=0, config=self.config(), **options)

    def test_release_from_the_index(self) -> None:
        report = self.gate('consumer==1.0')
        got = {(r.probe, r.downstream): r.classification
               for r in report.results}  # type: ignore[attr-defined]
        self.assertEqual({
            ('commands::command', 'consumer==1.0'): Classification.REGRESSION,
        }, got)
        result = report.results[0]  # type: ignore[attr-defined]
        # The failing test is named, from the unittest run in the sdist.
        last = result.candidate[-1]
        self.assertIn('FAIL: test_double', last.output)
        self.assertEqual(1, report.exit_code)  # type: ignore[attr-defined]

    def test_sdist_file(self) -> None:
        # Installed from the sdist: built offline with the build backend
        # already in the installer's cache.
        report = run_gate(
            'gatelib', str(self.lib_1.wheel), str(self.lib_2.wheel), (),
            commands=[COMMAND], downstreams=[str(self.consumer.sdist)],
            executor='sync', reruns=0,
            config=self.config(offline=True))
        self.assertEqual(
            [Classification.REGRESSION],
            [r.classification for r in report.results],
            [r.to_json() for r in report.results])


    def test_directory_of_tests(self) -> None:
        tests = self.write_tree({'test_value.py': '''
            import unittest

            import gatelib


            class TestValue(unittest.TestCase):
                def test_value(self):
                    self.assertEqual(1, gatelib.value())
        '''}, root='consumer-tests')
        report = run_gate(
            'gatelib', str(self.lib_1.wheel), str(self.lib_2.wheel), (),
            commands=['python -m unittest -q'], downstreams=[str(tests)],
            executor='sync', reruns=0, config=self.config(offline=True))
        self.assertEqual([Classification.REGRESSION],
                         [r.classification for r in report.results])
        # Nothing of it was installed, and it is left as it was.
        self.assertEqual(['test_value.py'],
                         sorted(p.name for p in tests.iterdir()))


class TestRequirementSpecs(DownstreamTestCase):

    def test_a_new_release_in_range_gets_a_new_environment(self) -> None:
        from symbiosis.gate._reports.text import TextReport

        probes = self.write_tree({'probes_v.py': '''
            import gatelib

            def test_value():
                assert gatelib.value() >= 1
        '''}, root='probes')
        config = self.config()

        def gate() -> object:
            return run_gate('gatelib', '==1.0', '>=1', [str(probes)],
                            executor='sync', reruns=0, config=config,
                            explain=False)

        first = gate()
        self.assertEqual(
            {'baseline': {'1.0'}, 'candidate': {'2.0'}},
            first.installed_versions())  # type: ignore[attr-defined]
        text = TextReport().render(first).decode()  # type: ignore[arg-type]
        self.assertIn('installed: 1.0 -> 2.0', text)
        # Nothing new: both environments are reused.
        again = gate()
        self.assertTrue(all(
            e.reused for e in again.environments))  # type: ignore[attr-defined]
        three = self.make_dist('gatelib', '3.0', {
            'gatelib/__init__.py': 'def value():\n    return 3\n'})
        self.index.publish(three.wheel)
        third = gate()
        candidate = [e for e in third.environments  # type: ignore[attr-defined]
                     if e.side == 'candidate']
        self.assertEqual([(False, '3.0')],
                         [(e.reused, e.version) for e in candidate])

    def test_same_release_on_both_sides_is_noted(self) -> None:
        from symbiosis.gate._reports.text import TextReport

        report = run_gate(
            'gatelib', '2.0', '>=2', (), commands=['python -c pass'],
            executor='sync', reruns=0, config=self.config(), explain=False)
        text = TextReport().render(report).decode()
        self.assertIn('note: both sides installed the same version', text)


class TestCheckRelease(DownstreamTestCase):

    def spec(self, text: str, install: str | None = None) -> InstallSpec:
        return InstallSpec(text, install or f'gatelib=={text}')

    def test_existing_versions_and_requirements_pass(self) -> None:
        config = self.config()
        self.assertEqual('1.0', check_release('gatelib', self.spec('1.0'),
                                              config))
        self.assertEqual('2.0', check_release(
            'gatelib', self.spec('>=1,<3', 'gatelib>=1,<3'), config))
        self.assertEqual('2.0', check_release(
            'gatelib', self.spec('gatelib', 'gatelib'), config))
        self.assertIsNone(check_release(
            'gatelib', InstallSpec('x.whl', '/x.whl', local=True), config))

    def test_unknown_version_names_the_nearest(self) -> None:
        err = self.assertRaises(exception.VersionNotFound, check_release,
                                'gatelib', self.spec('2.1'), self.config())
        self.assertIn('nearest available: 2.0, 1.0', str(err))

    def test_requirement_without_a_match(self) -> None:
        err = self.assertRaises(
            exception.InputError, check_release, 'gatelib',
            self.spec('>=3', 'gatelib>=3'), self.config())
        self.assertIn('no release of gatelib matches >=3 (latest: 2.0)',
                      str(err))

    def test_unknown_distribution(self) -> None:
        err = self.assertRaises(
            exception.DistributionNotFound, check_release, 'nolib',
            InstallSpec('1.0', 'nolib==1.0'), self.config())
        self.assertEqual(2, err.exit_code)

    def test_offline_decides_from_the_cached_page(self) -> None:
        # Nothing cached: offline, nothing can be decided here.
        self.assertIsNone(check_release('gatelib', self.spec('7.0'),
                                        self.config(offline=True)))
        self.assertEqual('1.0', check_release(  # caches the page
            'gatelib', self.spec('1.0'), self.config()))
        self.assertRaises(exception.VersionNotFound, check_release,
                          'gatelib', self.spec('7.0'),
                          self.config(offline=True))

    def test_a_release_newer_than_the_cached_page_is_found(self) -> None:
        config = self.config()
        self.assertEqual('1.0', check_release('gatelib', self.spec('1.0'),
                                              config))
        three = self.make_dist('gatelib', '3.0', {
            'gatelib/__init__.py': 'def value():\n    return 3\n'})
        self.index.publish(three.wheel)
        self.assertEqual('3.0', check_release('gatelib', self.spec('3.0'),
                                              config))

    def test_unreachable_index_decides_nothing(self) -> None:
        self.index.stop()
        self.assertIsNone(check_release('gatelib', self.spec('7.0'),
                                        self.config(timeout=1.0)))
        self.index = type(self.index)()  # the cleanup stops a live one

    def test_other_installer_sources_are_not_second_guessed(self) -> None:
        from symbiosis.gate._environments.uv import UvEnvironment

        plugin = UvEnvironment(self.config())
        self.useFixture(fixtures.EnvironmentVariable('UV_FIND_LINKS'))
        self.assertEqual([], plugin.other_sources())
        self.useFixture(fixtures.EnvironmentVariable(
            'UV_FIND_LINKS', str(self.tmp)))
        self.assertEqual(['UV_FIND_LINKS'], plugin.other_sources())
        self.assertIsNone(check_release(
            'gatelib', self.spec('7.0'), self.config(),
            other_sources=plugin.other_sources()))

    def test_yanked_counts_only_for_an_exact_pin(self) -> None:
        self.index.add_json_entries('yanky', [
            {'filename': 'yanky-1.0-py3-none-any.whl', 'yanked': 'broken'}])
        config = self.config()
        self.assertEqual('1.0', check_release(
            'yanky', InstallSpec('1.0', 'yanky==1.0'), config))
        self.assertRaises(exception.InputError, check_release, 'yanky',
                          InstallSpec('>=1', 'yanky>=1'), config)
        self.assertRaises(exception.InputError, check_release, 'yanky',
                          InstallSpec('yanky', 'yanky'), config)


class TestGateCli(DownstreamTestCase):

    def gate_cli(self, *args: str, offline: bool = False,
                 extra: dict[str, str] | None = None) -> \
            subprocess.CompletedProcess[str]:
        env = dict(os.environ, SYMBIOSIS_INDEX_URL=self.index.url + '/simple',
                   SYMBIOSIS_CACHE_DIR=str(self.tmp / 'cache'))
        env.update(extra or {})
        env.pop('SYMBIOSIS_OFFLINE', None)
        if offline:
            env['SYMBIOSIS_OFFLINE'] = '1'
        return subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate',
             'gatelib', *args], capture_output=True, text=True, timeout=180,
            env=env, cwd=str(self.tmp), check=False)

    def test_unknown_candidate_exit_2_before_any_build(self) -> None:
        proc = self.gate_cli('--baseline', '1.0', '--candidate', '2.5',
                             '--command', 'true')
        self.assertEqual(2, proc.returncode, proc.stderr)
        self.assertEqual(
            "symbiosis: error: gatelib==2.5: gatelib has no release '2.5'; "
            'nearest available: 2.0, 1.0',
            proc.stderr.strip())
        self.assertFalse((self.tmp / 'cache' / 'envs').exists()
                         and any((self.tmp / 'cache' / 'envs').iterdir()))
        # Offline, the page cached by that run is enough to say so.
        proc = self.gate_cli('--baseline', '1.0', '--candidate', '2.5',
                             '--command', 'true', offline=True)
        self.assertEqual(2, proc.returncode, proc.stderr)

    def test_reverse_mode_release_json(self) -> None:
        proc = self.gate_cli('--baseline', '1.0', '--candidate', '2.0',
                             '--downstream', 'consumer==1.0',
                             '--command', COMMAND, '--reruns', '0',
                             '--format', 'json')
        self.assertEqual(1, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual('regression', data['verdict'])
        self.assertEqual(['consumer==1.0'],
                         [r['downstream'] for r in data['results']])
        self.assertEqual(
            ['consumer==1.0'],
            sorted({e['downstream'] for e in data['environments']}))

    def test_unreachable_index_exit_3(self) -> None:
        url = self.index.url
        self.index.stop()
        self.index = type(self.index)()  # the cleanup stops a live one
        env_url = {'SYMBIOSIS_INDEX_URL': url + '/simple',
                   'UV_HTTP_RETRIES': '0'}
        # A downstream release is fetched before anything is built.
        proc = self.gate_cli('--baseline', '1.0', '--candidate', '2.0',
                             '--downstream', 'consumer==1.0',
                             '--command', COMMAND, extra=env_url)
        self.assertEqual(3, proc.returncode, proc.stderr)
        self.assertEqual(1, len(proc.stderr.strip().splitlines()),
                         proc.stderr)
        self.assertIn('127.0.0.1', proc.stderr)
        # Versions cannot be checked: the installer fails on both sides,
        # nothing can be judged, the report says why.
        proc = self.gate_cli('--baseline', '1.0', '--candidate', '2.0',
                             '--command', 'true', '--format', 'json',
                             extra=env_url)
        self.assertEqual(3, proc.returncode, proc.stderr)
        data = json.loads(proc.stdout)
        self.assertEqual('infra-error', data['verdict'])
        self.assertEqual(['infra-error'],
                         [r['classification'] for r in data['results']])
