"""The table ``symbiosis api rules`` prints from, and when it may.

``symbiosis/cli/_rules_table.py`` is generated from the
``symbiosis.api.rules`` entry points of ``pyproject.toml`` and the rule
classes they name. After adding, removing or changing a rule, regenerate
it with::

    python -m tests.test_rules_table --update
"""

from __future__ import annotations

import importlib
import os
import pathlib
import re
import subprocess
import sys
import textwrap

from tests import base
from tests.test_cli_start import SCRIPT
from tests.test_cli_start import cliff_app
from tests.test_cli_start import program
from tests.test_cli_start import same

ROOT = pathlib.Path(__file__).resolve().parent.parent
TABLE = ROOT / 'symbiosis' / 'cli' / '_rules_table.py'
NAMESPACE = 'symbiosis.api.rules'
REGENERATE = 'python -m tests.test_rules_table --update'


def declared_rules() -> dict[str, str]:
    """The rule entry points ``pyproject.toml`` declares."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    data = tomllib.loads((ROOT / 'pyproject.toml').read_text('utf-8'))
    return dict(data['project']['entry-points'][NAMESPACE])


def _string(text: str, indent: str) -> str:
    """``text`` as a literal, split on spaces to fit in 79 columns."""
    width = 76 - len(indent)
    chunks: list[str] = []
    for token in re.findall(r'\S*\s*', text):
        if chunks and len(repr(chunks[-1] + token)) <= width:
            chunks[-1] += token
        elif token:
            chunks.append(token)
    assert ''.join(chunks) == text
    return f'\n{indent}'.join(repr(chunk) for chunk in chunks or [''])


def render() -> str:
    """The table's source, from ``pyproject.toml`` and the classes."""
    from symbiosis.cli._rules_listing import rule_row

    lines = [
        '"""The rows of ``symbiosis api rules`` for the rules symbiosis',
        'ships, by entry point name: (entry point, kind, severity,',
        'description).',
        '',
        'Generated from ``pyproject.toml`` and the rule classes; do not',
        f'edit. Regenerate with ``{REGENERATE}``.',
        '"""',
        '',
        'from __future__ import annotations',
        '',
        "__all__ = ['RULES']",
        '',
        'RULES: dict[str, tuple[str, str, str, str]] = {',
    ]
    for name, value in sorted(declared_rules().items()):
        module, _, attr = value.partition(':')
        row = rule_row(getattr(importlib.import_module(module), attr)())
        lines.append(f'    {name!r}: (')
        for field in (value, row['kind'], row['severity'],
                      row['description']):
            lines.append(f"        {_string(field, ' ' * 8)},")
        lines.append('    ),')
    lines.append('}')
    return '\n'.join(lines) + '\n'


def python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter, outside the source tree."""
    cwd = pathlib.Path(os.environ['SYMBIOSIS_CACHE_DIR']).parent
    return subprocess.run(
        [sys.executable, '-c', textwrap.dedent(code)], capture_output=True,
        text=True, timeout=120, env={**os.environ, **env}, cwd=cwd)


#: Which path ``api rules ARGS`` took in a new interpreter: prints the
#: exit code and whether cliff was imported.
WHICH_PATH = '''
    import sys
    from symbiosis.cli._main import main
    code = main(sys.argv[1:])
    heavy = sorted(
        name for name in sys.modules
        if name.partition('.')[0] in ('cliff', 'stevedore')
        or name.startswith(('symbiosis.api._rules', 'symbiosis._plugins',
                            'importlib.metadata')))
    sys.stderr.write(f'{code} {heavy}\\n')
'''


def which_path(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, '-c', textwrap.dedent(WHICH_PATH), *args],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, **env},
        cwd=pathlib.Path(os.environ['SYMBIOSIS_CACHE_DIR']).parent)


def add_distribution(
    site: pathlib.Path, name: str, entry_points: str,
    files: dict[str, str],
) -> None:
    """Install a distribution by hand in ``site``: its files and a
    ``.dist-info`` with ``entry_points.txt``."""
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding='utf-8')
    info = site / f'{name}-1.0.dist-info'
    info.mkdir(parents=True)
    (info / 'METADATA').write_text(
        f'Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n',
        encoding='utf-8')
    (info / 'entry_points.txt').write_text(textwrap.dedent(entry_points),
                                           encoding='utf-8')


class TestTable(base.TestCase):
    def test_the_table_is_generated_from_the_declared_rules(self) -> None:
        self.assertEqual(
            render(), TABLE.read_text(encoding='utf-8'),
            f'{TABLE.relative_to(ROOT)} does not match pyproject.toml and '
            f'the rule classes: regenerate it with `{REGENERATE}`')

    def test_its_rules_are_the_declared_entry_points(self) -> None:
        from symbiosis.cli._rules_table import RULES

        self.assertEqual(
            declared_rules(),
            {name: row[0] for name, row in RULES.items()},
            f'regenerate the table with `{REGENERATE}`')

    def test_its_rows_are_what_the_loaded_rules_give(self) -> None:
        from symbiosis.api._differ import load_rules
        from symbiosis.cli._rules_listing import rule_row
        from symbiosis.cli._rules_listing import table_rows

        self.assertEqual([rule_row(rule) for rule in load_rules()],
                         table_rows())


class TestFromTheTable(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        if not SCRIPT.exists():
            self.skipTest(f'{SCRIPT} is not installed')

    def test_it_prints_what_the_cli_framework_prints(self) -> None:
        bad_cache = self.tmp / 'a-file'
        bad_cache.write_text('')
        for args, env in (
            (['api', 'rules'], {}),
            (['api', 'rules', '--format', 'json'], {}),
            (['api', 'rules', '--format=json'], {}),
            (['api', 'rules', '-f', 'text'], {}),
            (['api', 'rules', '-f', 'xml'], {}),
            (['api', 'rules', '--form', 'json'], {}),
            (['api', 'rules', '-h'], {}),
            (['api', 'rules', 'extra'], {}),
            (['api', 'rules'], {'SYMBIOSIS_CACHE_DIR': str(bad_cache)}),
            (['api', 'rules'], {'COLUMNS': '20'}),
        ):
            with self.subTest(args=args, env=env):
                self.assertEqual(*same(program(*args, **env),
                                       cliff_app(*args, **env)))

    def test_it_imports_no_cli_framework_nor_rule(self) -> None:
        for args in (['api', 'rules'], ['api', 'rules', '-f', 'json']):
            with self.subTest(args=args):
                result = which_path(*args)
                self.assertEqual('0 []', result.stderr.strip())
                self.assertIn('parameter-removed', result.stdout)

    def test_other_arguments_go_through_the_cli_framework(self) -> None:
        result = which_path('api', 'rules', '--form', 'json')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn("'cliff.app'", result.stderr)

    def test_a_rule_of_another_distribution_is_listed(self) -> None:
        site = self.tmp / 'site'
        add_distribution(site, 'extrarules', '''
            [symbiosis.api.rules]
            became_async = extrarules:BecameAsync
        ''', {'extrarules.py': '''
            from symbiosis.api import Bump, Rule

            class BecameAsync(Rule):
                kind = 'became-async'
                default_severity = Bump.MAJOR
                description = 'a function became async'
        '''})
        env = {'PYTHONPATH': str(site)}
        fast = program('api', 'rules', **env)
        self.assertEqual(*same(fast, cliff_app('api', 'rules', **env)))
        self.assertRegex(fast.stdout,
                         r'\nbecame-async +major  a function became async\n')
        self.assertIn("'cliff.app'", which_path('api', 'rules',
                                                **env).stderr)

    def test_a_command_or_hook_of_another_distribution(self) -> None:
        # cliff loads them (and warns about a broken one) on every run.
        for group, name in (('symbiosis.cli', 'extra_cmd'),
                            ('symbiosis.cli.api_rules', 'hook')):
            with self.subTest(group=group):
                site = self.tmp / group
                add_distribution(site, 'extracmd', f'''
                    [{group}]
                    {name} = extracmd:Missing
                ''', {'extracmd.py': ''})
                env = {'PYTHONPATH': str(site)}
                self.assertEqual(*same(program('api', 'rules', **env),
                                       cliff_app('api', 'rules', **env)))
                self.assertIn("'cliff.app'", which_path('api', 'rules',
                                                        **env).stderr)

    def test_installed_entry_points_unlike_the_table(self) -> None:
        # A symbiosis metadata directory first on the path, declaring one
        # rule less than the table: the rules are loaded.
        site = self.tmp / 'site'
        info = next(pathlib.Path(p) for p in sys.path
                    if p and list(pathlib.Path(p).glob(
                        'symbiosis-*.dist-info/entry_points.txt')))
        text = next(info.glob('symbiosis-*.dist-info/entry_points.txt'))
        lines = text.read_text(encoding='utf-8').splitlines(keepends=True)
        fewer = ''.join(line for line in lines
                        if not line.startswith('parameter_removed '))
        self.assertNotEqual(''.join(lines), fewer)
        add_distribution(site, 'symbiosis', fewer, {})
        env = {'PYTHONPATH': str(site)}
        self.assertIn("'cliff.app'", which_path('api', 'rules',
                                                **env).stderr)


def _metadata_view(
    path: list[str] | None = None,
) -> set[tuple[str, str, str, str]]:
    """What importlib.metadata finds on ``path``: (distribution, group,
    name, value)."""
    import importlib.metadata

    from packaging.utils import canonicalize_name

    kwargs = {} if path is None else {'path': path}
    return {
        (canonicalize_name(dist.metadata['Name']), ep.group, ep.name,
         ep.value)
        for dist in importlib.metadata.distributions(**kwargs)
        for ep in dist.entry_points
    }


def _view(path: list[str] | None = None) -> set[tuple[str, str, str, str]]:
    from symbiosis._entry_points import read_groups

    lines = read_groups(lambda group: True, path)
    assert lines is not None
    return {(line.distribution, line.group, line.name, line.value)
            for line in lines}


class TestReadGroups(base.TestCase):
    def test_it_finds_what_importlib_metadata_finds(self) -> None:
        self.assertEqual(_metadata_view(), _view())

    def test_metadata_directories_of_every_layout(self) -> None:
        site = self.tmp / 'site'
        add_distribution(site, 'Dotted.Name_x', """
            # a comment
            stray = before:any_section
            [symbiosis.api.rules]
              spaced  =  mod.sub : Attr [extra]

            [console_scripts]
            tool = mod:main
        """, {})
        legacy = site / 'legacy.egg-info'
        legacy.mkdir()
        (legacy / 'PKG-INFO').write_text(
            'Metadata-Version: 1.1\nName: legacy\nVersion: 2\n')
        (legacy / 'entry_points.txt').write_text(
            '[symbiosis.cli]\nold_cmd = legacy:Cmd\n')
        egg = self.tmp / 'Eggy-3.0-py3.11.egg'
        (egg / 'EGG-INFO').mkdir(parents=True)
        (egg / 'EGG-INFO' / 'PKG-INFO').write_text(
            'Metadata-Version: 1.1\nName: eggy\nVersion: 3.0\n')
        (egg / 'EGG-INFO' / 'entry_points.txt').write_text(
            '[symbiosis.cli]\negg_cmd = eggy:Cmd\n')
        (site / 'plain-file.dist-info').write_text('not a directory')
        path = [str(site), str(egg), str(self.tmp / 'missing')]
        found = _view(path)
        self.assertEqual(_metadata_view(path), found)
        self.assertIn(('dotted-name-x', 'symbiosis.api.rules', 'spaced',
                       'mod.sub : Attr [extra]'), found)
        self.assertEqual(4, len(found))

    def test_finders_of_other_distributions(self) -> None:
        # A finder that lists distributions of its own: only
        # importlib.metadata would see them. The importlib_metadata
        # backport's finder reads the same directories as the path finder.
        result = python('''
            import sys
            from symbiosis._entry_points import read_groups

            seen = [read_groups(lambda group: True) is not None]
            try:
                import importlib_metadata  # noqa: F401
            except ImportError:
                seen.append('no backport')
            else:
                seen.append(read_groups(lambda group: True) is not None)

            class Finder:
                def find_spec(self, *args):
                    return None

                def find_distributions(self, context=None):
                    return iter(())

            sys.meta_path.append(Finder())
            seen.append(read_groups(lambda group: True) is not None)
            print(seen)
        ''')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn(result.stdout.strip(), ("[True, True, False]",
                                              "[True, 'no backport', False]"))

    def test_what_it_cannot_read_like_importlib_metadata(self) -> None:
        from symbiosis._entry_points import read_groups

        site = self.tmp / 'site'
        add_distribution(site, 'odd', """
            [symbiosis.api.rules]
            no_equals_sign
        """, {})
        self.assertIsNone(read_groups(lambda group: True, [str(site)]))
        # Lines of other groups are not its concern.
        self.assertEqual([], read_groups(
            lambda group: group == 'other', [str(site)]))
        archive = self.tmp / 'plugins.zip'
        archive.write_bytes(b'PK\x05\x06' + bytes(18))
        self.assertIsNone(read_groups(lambda group: True, [str(archive)]))


if __name__ == '__main__':
    if sys.argv[1:] == ['--update']:
        TABLE.write_text(render(), encoding='utf-8')
        print(f'wrote {TABLE}')
    else:
        print(__doc__)
