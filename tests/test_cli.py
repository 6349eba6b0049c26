"""The ``symbiosis`` program as users run it: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from symbiosis.api._model import SCHEMA_VERSION
from tests import base


def run_cli(*args: str, env: dict[str, str] | None = None,
            cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``symbiosis ARGS`` in a subprocess of this interpreter."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, '-m', 'symbiosis.cli._app', *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )


class TestProgram(base.TestCase):
    def test_version_is_the_installed_one(self) -> None:
        import importlib.metadata

        result = run_cli('--version')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(
            f"symbiosis {importlib.metadata.version('symbiosis')}",
            result.stdout.strip(),
        )

    def test_help_lists_the_commands(self) -> None:
        result = run_cli('--help')
        self.assertEqual(0, result.returncode, result.stderr)
        for command in ('api dump', 'api diff', 'api rules', 'semver'):
            self.assertIn(command, result.stdout)

    def test_no_arguments_prints_help_and_exits_2(self) -> None:
        result = run_cli()
        self.assertEqual(2, result.returncode)
        self.assertIn('api diff', result.stdout)

    def test_unknown_command_is_one_line_exit_2(self) -> None:
        result = run_cli('frobnicate')
        self.assertEqual(2, result.returncode)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(1, len(lines), result.stderr)
        self.assertIn("'frobnicate'", lines[0])
        self.assertNotIn('Traceback', result.stderr)

    def test_misspelt_command_suggests_the_right_one(self) -> None:
        result = run_cli('api', 'dimp', 'x')
        self.assertEqual(2, result.returncode)
        self.assertIn('api dump', result.stderr)
        self.assertEqual(1, len(result.stderr.strip().splitlines()))

    def test_unknown_option_is_one_line_exit_2(self) -> None:
        result = run_cli('api', 'diff', 'a', 'b', '--no-such-option')
        self.assertEqual(2, result.returncode)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(1, len(lines), result.stderr)
        self.assertIn('--no-such-option', lines[0])

    def test_bad_choice_is_one_line_exit_2(self) -> None:
        result = run_cli('api', 'diff', 'a', 'b', '--format', 'yaml')
        self.assertEqual(2, result.returncode)
        self.assertEqual(1, len(result.stderr.strip().splitlines()))
        self.assertIn('yaml', result.stderr)

    def test_missing_target_is_one_line_exit_2(self) -> None:
        missing = str(self.tmp / 'does-not-exist')
        result = run_cli('api', 'dump', missing)
        self.assertEqual(2, result.returncode, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(1, len(lines), result.stderr)
        self.assertIn('does-not-exist', lines[0])
        self.assertNotIn('Traceback', result.stderr)

    def test_debug_shows_the_traceback(self) -> None:
        missing = str(self.tmp / 'does-not-exist')
        result = run_cli('--debug', 'api', 'dump', missing)
        self.assertEqual(2, result.returncode)
        self.assertIn('Traceback', result.stderr)

    def test_api_rules_lists_kinds_as_json(self) -> None:
        result = run_cli('api', 'rules', '--format', 'json')
        self.assertEqual(0, result.returncode, result.stderr)
        rules = json.loads(result.stdout)
        kinds = {r['kind'] for r in rules}
        self.assertIn('parameter-removed', kinds)
        self.assertGreaterEqual(len(kinds), 40)
        for rule in rules:
            self.assertIn(
                rule['severity'], ('major', 'minor', 'patch', 'none')
            )


class TestApiDump(base.TestCase):
    FILES = {
        'pkg/__init__.py': 'from ._impl import Client\n',
        'pkg/_impl.py': 'class Client:\n    def get(self, k=1): ...\n',
        'pkg/broken.py': 'def (\n',
    }

    def test_compact_by_default_indent_on_request(self) -> None:
        from symbiosis.api._model import Snapshot

        root = str(self.write_tree(self.FILES))
        env = {'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'cache')}
        outputs = []
        # Twice each: the second run writes the cached text.
        for args in ((), (), ('--indent', '2'), ('--indent', '2')):
            result = run_cli('api', 'dump', root, *args, env=env)
            self.assertEqual(0, result.returncode, result.stderr)
            self.assertIn('broken.py:1', result.stderr)
            self.assertIn('incomplete', result.stderr)
            outputs.append(result.stdout)
        compact, again, indented, indented_again = outputs
        self.assertEqual(compact, again)
        self.assertEqual(indented, indented_again)
        self.assertEqual(1, len(compact.splitlines()))
        self.assertIn(f'\n  "schema_version": {SCHEMA_VERSION},', indented)
        data = json.loads(compact)
        self.assertEqual(data, json.loads(indented))
        snapshot = Snapshot.from_json(data)
        self.assertEqual(data, snapshot.to_json())
        self.assertIn('get', data['modules']['pkg._impl']['members']
                      ['Client']['members'])

    def test_bad_indent_is_one_line_exit_2(self) -> None:
        result = run_cli('api', 'dump', '.', '--indent', 'x')
        self.assertEqual(2, result.returncode)
        self.assertEqual(1, len(result.stderr.strip().splitlines()))


class TestSharedOptions(base.TestCase):
    """Options several commands share read the same everywhere."""

    def test_comparisons_take_old_new_their_options_then_config_repo(
        self,
    ) -> None:
        for command, own in ((('api', 'diff'), '--fail-on'),
                             (('semver',), '--proposed')):
            result = run_cli(*command, '--help')
            self.assertEqual(0, result.returncode, result.stderr)
            usage = result.stdout.split('\n\n')[0]
            places = [usage.find(word) for word in
                      (own, '--config', '--repo', 'OLD', 'NEW')]
            self.assertNotIn(-1, places, usage)
            self.assertEqual(sorted(places[:3]), places[:3], usage)

    def test_repo_option_names_what_it_is_for(self) -> None:
        for command, inputs in ((('api', 'dump'), 'targets'),
                                (('usage',), 'targets'),
                                (('deprecations', 'list'), 'targets'),
                                (('gate',), 'SPECs')):
            result = run_cli(*command, '--help', env={'COLUMNS': '200'})
            self.assertEqual(0, result.returncode, result.stderr)
            self.assertIn(
                f'git repository for git:REF {inputs} (default: the '
                'current directory)', result.stdout)

    def test_warn_first_counts_the_rest(self) -> None:
        import contextlib
        import io

        from symbiosis.cli import _base

        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            _base.warn_first([f'w{i}' for i in range(23)], 'more files')
        lines = stderr.getvalue().splitlines()
        self.assertEqual(_base.MAX_WARNINGS + 1, len(lines))
        self.assertEqual('symbiosis: warning: w0', lines[0])
        self.assertEqual('symbiosis: warning: ... and 3 more files',
                         lines[-1])


class TestCheapImport(base.TestCase):
    def test_import_symbiosis_loads_no_heavy_dependency(self) -> None:
        code = (
            'import sys, symbiosis, symbiosis.api, symbiosis.config, '
            'symbiosis.exception\n'
            'heavy = {"stevedore", "cliff", "futurist", "dask", '
            '"sqlalchemy", "cmd2", "distributed"}\n'
            'print(sorted(m for m in sys.modules '
            'if m.split(".")[0] in heavy))\n'
        )
        result = subprocess.run(
            [sys.executable, '-c', code], capture_output=True, text=True,
            check=True,
        )
        self.assertEqual('[]', result.stdout.strip())

    def test_version_attribute_is_lazy_and_correct(self) -> None:
        import importlib.metadata

        import symbiosis

        self.assertEqual(
            importlib.metadata.version('symbiosis'), symbiosis.__version__
        )
        self.assertRaises(AttributeError, getattr, symbiosis, 'nope')
