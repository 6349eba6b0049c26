"""Project settings: files found, values checked, errors naming the file."""

from __future__ import annotations

import fixtures

from symbiosis import _settings
from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._settings import ApiSettings
from symbiosis.api._settings import Suppression
from symbiosis.api._settings import load_settings
from symbiosis.api._settings import settings_from_mapping
from symbiosis.exception import ConfigError
from symbiosis.release._model import Severity
from symbiosis.release._settings import release_settings_from_mapping
from tests import base

FULL = '''
[api]
severity = { "parameter-default-changed" = "major", "name-added" = "PATCH" }
ignore_modules = ["mylib._vendor.*"]
removal_kinds = "object"
fail_on = "minor"

[[api.suppress]]
kind = "name-removed"
path = "mylib.compat.*"
reason = "compat shims are unstable"

[[api.suppress]]
path = "mylib.legacy"
reason = "announced in 1.0"
'''


class TestLoadSettings(base.TestCase):

    def write(self, name: str, text: str) -> str:
        root = self.write_tree({name: text}, root='project')
        return str(root / name)

    def test_full_file(self) -> None:
        path = self.write('symbiosis.toml', FULL)
        settings = load_settings(path, None)
        self.assertEqual(
            {'parameter-default-changed': Bump.MAJOR,
             'name-added': Bump.PATCH},
            dict(settings.severity),
        )
        self.assertEqual(('mylib._vendor.*',), settings.ignore_modules)
        self.assertEqual('object', settings.removal_kinds)
        self.assertEqual(Bump.MINOR, settings.fail_on)
        self.assertEqual(
            (Suppression('compat shims are unstable', 'name-removed',
                         'mylib.compat.*'),
             Suppression('announced in 1.0', None, 'mylib.legacy')),
            settings.suppress,
        )
        self.assertEqual(path, settings.source)

    def test_project_dir_search_order(self) -> None:
        root = self.write_tree({
            '.symbiosis.toml': '[api]\nfail_on = "patch"\n',
            'pyproject.toml': '[tool.symbiosis.api]\nfail_on = "major"\n',
        }, root='proj')
        self.assertEqual(Bump.PATCH,
                         load_settings(None, str(root)).fail_on)

    def test_pyproject_table(self) -> None:
        root = self.write_tree({
            'pyproject.toml': '[project]\nname = "x"\n\n'
                              '[tool.symbiosis.api]\n'
                              'severity = { "extra-added" = "patch" }\n',
        }, root='proj')
        settings = load_settings(None, str(root))
        self.assertEqual(Bump.PATCH, settings.severity['extra-added'])
        explicit = load_settings(str(root / 'pyproject.toml'), None)
        self.assertEqual(settings.severity, explicit.severity)

    def test_defaults_when_nothing_configured(self) -> None:
        root = self.write_tree({'README': 'x'}, root='empty')
        self.assertEqual(ApiSettings(), load_settings(None, str(root)))
        self.assertEqual(ApiSettings(), load_settings(None, None))

    def test_missing_explicit_file(self) -> None:
        err = self.assertRaises(
            ConfigError, load_settings, str(self.tmp / 'nope.toml'), None
        )
        self.assertIn('nope.toml', str(err))
        self.assertEqual(2, err.exit_code)

    def test_invalid_toml_names_file(self) -> None:
        path = self.write('symbiosis.toml', '[api\nseverity = 1\n')
        err = self.assertRaises(ConfigError, load_settings, path, None)
        self.assertEqual(path, err.path)
        self.assertIn('invalid TOML', str(err))

    def test_suppression_without_reason(self) -> None:
        path = self.write(
            'symbiosis.toml', '[[api.suppress]]\npath = "mylib.Foo"\n'
        )
        err = self.assertRaises(ConfigError, load_settings, path, None)
        self.assertTrue(str(err).startswith(path + ': '))
        self.assertIn("suppress entry #1 (path='mylib.Foo')", str(err))
        self.assertIn('reason', str(err))
        self.assertEqual(2, err.exit_code)

    def test_blank_reason_is_refused(self) -> None:
        self.assertRaises(
            ConfigError, settings_from_mapping,
            {'suppress': [{'path': 'a', 'reason': '  '}]},
        )

    def test_unknown_severity(self) -> None:
        path = self.write(
            'symbiosis.toml', '[api]\nseverity = { "name-added" = "huge" }\n'
        )
        err = self.assertRaises(ConfigError, load_settings, path, None)
        self.assertIn("unknown severity 'huge'", str(err))
        self.assertEqual(path, err.path)

    def test_unknown_keys(self) -> None:
        tables: tuple[dict[str, object], ...] = (
            {'severities': {}},
            {'suppress': [{'path': 'x', 'reason': 'r', 'why': 'y'}]},
            {'suppress': [{'reason': 'r'}]},
            {'suppress': {'path': 'x'}},
            {'ignore_modules': 'mylib._vendor'},
            {'removal_kinds': 'both'},
            {'fail_on': 3},
            {'severity': ['major']},
        )
        for table in tables:
            self.assertRaises(
                ConfigError, settings_from_mapping, table, source='f.toml'
            )

    def test_unknown_kind_is_only_a_warning(self) -> None:
        logger = self.useFixture(fixtures.FakeLogger())
        settings = settings_from_mapping(
            {'severity': {'my-plugin-kind': 'minor'}}
        )
        self.assertEqual(Bump.MINOR, settings.severity['my-plugin-kind'])
        self.assertIn("'my-plugin-kind'", logger.output)


class TestApply(base.TestCase):

    def change(self, path: str = 'mylib.compat.x',
               kind: str = 'name-removed') -> Change:
        return Change(kind, path, Bump.MAJOR, 'gone')

    def test_override_and_suppress(self) -> None:
        settings = settings_from_mapping({
            'severity': {'name-removed': 'minor'},
            'suppress': [{'kind': 'name-removed', 'path': 'mylib.compat.*',
                          'reason': 'unstable'}],
        })
        applied = settings.apply(self.change())
        self.assertEqual(Bump.MINOR, applied.severity)
        self.assertEqual('unstable', applied.suppressed)
        other = settings.apply(self.change('mylib.core.x'))
        self.assertIsNone(other.suppressed)
        wrong_kind = settings.apply(self.change(kind='name-moved'))
        self.assertIsNone(wrong_kind.suppressed)

    def test_unchanged_change_is_returned_as_is(self) -> None:
        change = self.change()
        self.assertIs(change, ApiSettings().apply(change))

    def test_suppression_matches_new_path(self) -> None:
        entry = Suppression('moved on purpose', path='mylib.errors.*')
        moved = Change('name-moved', 'mylib.Error', Bump.MAJOR, 'moved',
                       new_path='mylib.errors.Error')
        self.assertTrue(entry.matches(moved))

    def test_suppression_must_cover_every_path_of_the_object(self) -> None:
        removed = Change('removed-without-deprecation', 'mylib.Thing',
                         Bump.MAJOR, 'removed',
                         also=('mylib.compat.Thing',))
        compat = Suppression('compat goes', path='mylib.compat.*')
        self.assertFalse(compat.matches(removed))
        both = Suppression('both go', path='mylib.*Thing')
        self.assertTrue(both.matches(removed))
        self.assertTrue(Suppression('any', kind=removed.kind).matches(removed))

    def test_is_ignored(self) -> None:
        settings = ApiSettings(ignore_modules=('mylib._vendor.*', 'x.y'))
        self.assertTrue(settings.is_ignored('mylib._vendor.six'))
        self.assertTrue(settings.is_ignored('mylib._vendor.six.moves'))
        self.assertTrue(settings.is_ignored('x.y.z'))
        self.assertFalse(settings.is_ignored('mylib._vendor'))
        self.assertFalse(settings.is_ignored('x.yz'))


class TestSharedReaders(base.TestCase):
    """The value readers every settings table uses say the same things."""

    def error(self, func: object, *args: object) -> ConfigError:
        err: ConfigError = self.assertRaises(ConfigError, func, *args)
        return err

    def test_check_keys_names_the_table_and_the_expected_keys(self) -> None:
        _settings.check_keys({'a': 1}, {'a', 'b'}, 'api', 'f.toml')
        err = self.error(_settings.check_keys, {'z': 1, 'y': 2, 'a': 3},
                         {'a', 'b'}, 'release', 'f.toml')
        self.assertEqual(
            'f.toml: unknown setting(s) in the release table: y, z '
            '(expected a, b)', str(err))
        self.assertEqual(('f.toml', 'y'), (err.path, err.key))

    def test_arrays(self) -> None:
        self.assertEqual([1, 'x'], _settings.array([1, 'x'], 'k', None))
        self.assertEqual(
            ('a', 'b'), _settings.string_array(['a', 'b'], 'k', None))
        self.assertEqual(
            'k must be an array', str(self.error(_settings.array, 'a', 'k',
                                                 None)))
        for bad in ('a', ['a', ''], ['a', 1]):
            err = self.error(_settings.string_array, bad, 'k', None)
            self.assertEqual('k must be an array of strings', str(err))
            self.assertEqual('k', err.key)

    def test_parsed_string(self) -> None:
        self.assertIs(Bump.MINOR, _settings.parsed_string(
            'Minor', Bump.parse, 'fail_on', None))
        err = self.error(_settings.parsed_string, 3, Bump.parse, 'fail_on',
                         'f.toml')
        self.assertEqual('f.toml: fail_on must be a string', str(err))
        err = self.error(_settings.parsed_string, 'huge', Bump.parse,
                         'fail_on', None)
        self.assertTrue(str(err).startswith("fail_on: unknown severity "
                                            "'huge'"), str(err))

    def test_severity_table(self) -> None:
        self.assertEqual(
            {'notes': Severity.WARNING},
            _settings.severity_table({'notes': 'warning'}, Severity.parse,
                                     'check = "error"', None))
        err = self.error(_settings.severity_table, ['x'], Severity.parse,
                         'check = "error"', None)
        self.assertEqual('severity must be a table of check = "error"',
                         str(err))
        err = self.error(_settings.severity_table, {'notes': 'fatal'},
                         Severity.parse, 'check = "error"', None)
        self.assertEqual('severity.notes', err.key)

    def test_release_and_api_tables_share_the_messages(self) -> None:
        self.assertEqual(
            str(self.error(settings_from_mapping, {'bogus': 1})).split('(')[0]
            .replace('api', 'release'),
            str(self.error(release_settings_from_mapping, {'bogus': 1}))
            .split('(')[0])
        for read in (settings_from_mapping, release_settings_from_mapping):
            err = self.error(read, {'severity': {'x': 3}})
            self.assertEqual('severity.x must be a string', str(err))
