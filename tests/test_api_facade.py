"""The symbiosis.api facade and the README's first command."""

from __future__ import annotations

import json
import pathlib

from symbiosis import api
from symbiosis.api import _model as model
from tests import base
from tests.test_cli import run_cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / 'symbiosis' / 'examples'


class TestFacade(base.TestCase):
    def test_functions_survive_importing_the_submodules(self) -> None:
        # Importing a submodule binds its name on the package; the engine
        # modules must not be called diff or semver.
        import symbiosis.api._differ
        import symbiosis.api._versioning  # noqa: F401

        self.assertTrue(callable(api.diff))
        self.assertTrue(callable(api.semver))
        self.assertTrue(callable(api.load))

    def test_bundled_example_end_to_end(self) -> None:
        old = api.load(str(EXAMPLES / 'tinylib-1.0'))
        new = api.load(str(EXAMPLES / 'tinylib-1.1'))
        self.assertEqual(('tinylib', '1.0.0'), (old.name, old.version))
        result = api.diff(old, new)
        self.assertEqual('major', str(result.required_bump))
        kinds = {(c.kind, c.path) for c in result.changes}
        self.assertIn(('name-moved', 'tinylib.core.ParseError'), kinds)
        self.assertIn(('parameter-removed', 'tinylib.Lock.acquire'), kinds)
        self.assertIn(('parameter-renamed', 'tinylib.parse'), kinds)
        self.assertIn(
            ('removed-after-deprecation', 'tinylib.legacy_parse'), kinds
        )
        verdict = api.semver(old, new)
        self.assertEqual('2.0.0', verdict.minimum_version)
        self.assertIs(False, verdict.ok)

    def test_saved_snapshot_is_a_target(self) -> None:
        out = self.tmp / 'old.json'
        result = run_cli('api', 'dump', str(EXAMPLES / 'tinylib-1.0'),
                         '--output', str(out))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(model.SCHEMA_VERSION,
                         json.loads(out.read_text())['schema_version'])
        result = run_cli('semver', str(out), str(EXAMPLES / 'tinylib-1.1'),
                         '--format', 'json')
        self.assertEqual(1, result.returncode, result.stderr)
        data = json.loads(result.stdout)
        self.assertEqual(
            {'required_bump', 'minimum_version', 'proposed', 'ok',
             'changes', 'yanked', 'deleted'},
            set(data),
        )
        # A snapshot file and a tree are no releases of an index.
        self.assertEqual({'old': None, 'new': None}, data['yanked'])
        self.assertEqual({'old': None, 'new': None}, data['deleted'])
        self.assertEqual(('major', '2.0.0', '1.1.0', False),
                         (data['required_bump'], data['minimum_version'],
                          data['proposed'], data['ok']))

    def test_readme_first_command_job(self) -> None:
        result = run_cli('semver', str(EXAMPLES / 'tinylib-1.0'),
                         str(EXAMPLES / 'tinylib-1.1'))
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertIn('minimum version: 2.0.0', result.stdout)
        self.assertIn('NOT OK', result.stdout)
        readme = (ROOT / 'README.rst').read_text(encoding='utf-8')
        self.assertIn(
            'symbiosis semver symbiosis/examples/tinylib-1.0 '
            'symbiosis/examples/tinylib-1.1', readme)

    def test_snapshot_of_an_older_schema_is_refused_with_a_hint(
            self) -> None:
        out = self.tmp / 'old.json'
        result = run_cli('api', 'dump', str(EXAMPLES / 'tinylib-1.0'),
                         '--output', str(out))
        self.assertEqual(0, result.returncode, result.stderr)
        data = json.loads(out.read_text())
        data['schema_version'] = model.SCHEMA_VERSION - 1
        out.write_text(json.dumps(data))
        result = run_cli('api', 'diff', str(out), str(out))
        self.assertEqual(2, result.returncode, result.stderr)
        [line] = result.stderr.strip().splitlines()
        self.assertIn('symbiosis api dump', line)

    def test_snapshot_of_another_rendering_is_refused_with_a_hint(
            self) -> None:
        # Written before snapshots recorded how their expressions are
        # written: its defaults would differ from a new snapshot's as
        # text only, so it is refused rather than diffed.
        out = self.tmp / 'old.json'
        result = run_cli('api', 'dump', str(EXAMPLES / 'tinylib-1.0'),
                         '--output', str(out))
        self.assertEqual(0, result.returncode, result.stderr)
        data = json.loads(out.read_text())
        self.assertEqual(model.RENDERING_VERSION, data['rendering_version'])
        result = run_cli('api', 'diff', str(out), str(out))
        self.assertEqual(0, result.returncode, result.stderr)
        del data['rendering_version']
        out.write_text(json.dumps(data))
        result = run_cli('api', 'diff', str(out), str(out))
        self.assertEqual(2, result.returncode, result.stderr)
        [line] = result.stderr.strip().splitlines()
        self.assertIn('rendering_version 1', line)
        self.assertIn('symbiosis api dump', line)

    def test_malformed_snapshot_file_is_exit_2(self) -> None:
        bad = self.tmp / 'bad.json'
        bad.write_text(
            f'{{"schema_version": {model.SCHEMA_VERSION}, "modules": 3}}')
        result = run_cli('api', 'diff', str(bad), str(bad))
        self.assertEqual(2, result.returncode, result.stderr)
        self.assertEqual(1, len(result.stderr.strip().splitlines()))
        self.assertIn('bad.json', result.stderr)
