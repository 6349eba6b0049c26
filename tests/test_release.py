"""symbiosis.release: release checks on real git repositories."""

from __future__ import annotations

from collections.abc import Mapping
import datetime
import os
import pathlib
import subprocess
import textwrap
from typing import Any

import fixtures

from symbiosis import exception
from symbiosis import release
from symbiosis.config import Config
from symbiosis.release import _gitinfo as gitinfo
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity
from symbiosis.release._settings import release_settings_from_mapping
from tests import base
from tests.indexserver import Index

PYPROJECT = '''\
[project]
name = "tinypkg"
version = "{version}"
requires-python = ">=3.10"
{extra}
'''

V1 = {
    'tinypkg/__init__.py': '''\
        """A tiny package."""

        def foo(a):
            return a


        class Client:
            pass
        ''',
}

NOTE_OK = '---\nfeatures:\n  - |\n    Something new.\n'

# A Monday, a Friday and a Saturday (November 2026).
MONDAY = '2026-11-23T10:00:00+00:00'
FRIDAY = '2026-11-27T10:00:00+00:00'
SATURDAY = '2026-11-28T10:00:00+00:00'


def git_env(when: str = '2026-01-01T12:00:00+00:00') -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        'GIT_AUTHOR_NAME': 'Tester', 'GIT_AUTHOR_EMAIL': 't@example.com',
        'GIT_COMMITTER_NAME': 'Tester',
        'GIT_COMMITTER_EMAIL': 't@example.com',
        'GIT_AUTHOR_DATE': when, 'GIT_COMMITTER_DATE': when,
        'GIT_CONFIG_NOSYSTEM': '1', 'HOME': os.environ.get('HOME', '/tmp'),
    })
    return env


class Repo:
    """A real git repository in a temp dir."""

    def __init__(self, root: pathlib.Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git('init', '-q', '-b', 'main')
        self.git('config', 'user.name', 'Tester')
        self.git('config', 'user.email', 't@example.com')
        self.git('config', 'commit.gpgsign', 'false')
        self.git('config', 'tag.gpgsign', 'false')

    def git(self, *args: str, when: str | None = None) -> str:
        done = subprocess.run(
            ['git', '-C', str(self.root), *args],
            capture_output=True, text=True, check=False,
            env=git_env(when) if when else git_env(),
        )
        if done.returncode != 0:
            raise AssertionError(f'git {args}: {done.stderr}')
        return done.stdout.strip()

    def write(self, files: Mapping[str, str]) -> None:
        for rel, text in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding='utf-8')

    def remove(self, *paths: str) -> None:
        for rel in paths:
            (self.root / rel).unlink()

    def commit(
        self, message: str, files: Mapping[str, str] | None = None,
        when: str | None = None,
    ) -> str:
        if files:
            self.write(files)
        self.git('add', '-A')
        self.git('commit', '-q', '--allow-empty', '-m', message,
                 when=when or '2026-01-01T12:00:00+00:00')
        return self.git('rev-parse', 'HEAD')

    def tag(self, name: str, *, annotated: bool = False,
            when: str | None = None) -> None:
        if annotated:
            self.git('tag', '-a', name, '-m', name, when=when)
        else:
            self.git('tag', name, when=when)


class ReleaseTestCase(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        for var in ('no_proxy', 'NO_PROXY'):
            self.useFixture(
                fixtures.EnvironmentVariable(var, '127.0.0.1,localhost')
            )
        self.useFixture(fixtures.EnvironmentVariable('TZ', 'UTC'))

    def config(self, **kwargs: Any) -> Config:
        kwargs.setdefault('cache_dir', self.tmp / 'cache')
        kwargs.setdefault('timeout', 5.0)
        kwargs.setdefault('index_url', 'http://127.0.0.1:9/simple')
        return Config(**kwargs)

    def project(
        self, name: str = 'repo', *, version: str = '1.0.0',
        extra: str = '', files: Mapping[str, str] = V1,
        notes: bool = True,
    ) -> Repo:
        repo = Repo(self.tmp / name)
        tree = dict(files)
        tree['pyproject.toml'] = PYPROJECT.format(
            version=version, extra=extra
        )
        if notes:
            tree['releasenotes/notes/first-0123456789abcdef.yaml'] = NOTE_OK
        repo.commit('initial', tree)
        return repo

    def check(self, repo: Repo, **kwargs: Any) -> list[Problem]:
        kwargs.setdefault('config', self.config())
        kwargs.setdefault('offline', True)
        kwargs.setdefault('date', MONDAY)
        return release.check(repo.root, **kwargs)

    def of(self, problems: list[Problem], check: str,
           severity: Severity | None = None) -> list[Problem]:
        return [
            p for p in problems if p.check == check
            and (severity is None or p.severity is severity)
        ]

    def errors(self, problems: list[Problem]) -> list[Problem]:
        return [p for p in problems if p.severity is Severity.ERROR]


class TestGitInfo(ReleaseTestCase):
    def test_sem_ver_footers_follow_pbr(self) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        git = gitinfo.open_repository(repo.root)
        self.assertEqual('1.0.0', gitinfo.pbr_next_version(git).version)
        repo.commit('fix a bug')
        self.assertEqual(
            ('1.0.1', 'patch'),
            (gitinfo.pbr_next_version(git).version,
             gitinfo.pbr_next_version(git).bump),
        )
        repo.commit('add a thing\n\nSem-Ver: feature')
        self.assertEqual('1.1.0', gitinfo.pbr_next_version(git).version)
        repo.commit('break it\n\nSem-Ver: api-break, bugfix')
        nxt = gitinfo.pbr_next_version(git)
        self.assertEqual(('2.0.0', '1.0.0'), (nxt.version, nxt.last_tag))

    def test_deprecation_symbol_and_prerelease(self) -> None:
        repo = self.project()
        repo.tag('1.0.0rc1')
        repo.commit('fix')
        git = gitinfo.open_repository(repo.root)
        self.assertEqual('1.0.0rc2', gitinfo.pbr_next_version(git).version)
        repo.commit('deprecate\n\nsem-ver: deprecation')
        self.assertEqual('1.1.0', gitinfo.pbr_next_version(git).version)

    def test_no_tags_starts_from_zero(self) -> None:
        repo = self.project()
        git = gitinfo.open_repository(repo.root)
        self.assertEqual('0.0.1', gitinfo.pbr_next_version(git).version)

    def test_tags_and_dates(self) -> None:
        repo = self.project()
        repo.tag('v1.0.0', annotated=True, when='2026-02-01T00:00:00+00:00')
        repo.tag('not-a-version')
        [tag] = gitinfo.open_repository(repo.root).version_tags()
        self.assertEqual(('v1.0.0', '1.0.0', True),
                         (tag.name, str(tag.version), tag.merged))
        self.assertEqual(
            datetime.datetime(2026, 2, 1, tzinfo=datetime.timezone.utc),
            tag.date,
        )

    def test_not_a_repository(self) -> None:
        (self.tmp / 'plain').mkdir()
        err = self.assertRaises(
            exception.InputError, release.check, self.tmp / 'plain',
            config=self.config(),
        )
        self.assertIn('is not a git repository', str(err))
        self.assertEqual(2, err.exit_code)


class TestSemver(ReleaseTestCase):
    def breaking_repo(self) -> Repo:
        repo = self.project()
        repo.tag('1.0.0')
        repo.write({'tinypkg/__init__.py': '"""A tiny package."""\n'})
        repo.commit('drop foo and Client', {
            'releasenotes/notes/drop-1111111111111111.yaml':
                '---\nupgrade:\n  - foo is gone.\n',
        })
        return repo

    def test_proposed_version_not_enough_names_the_changes(self) -> None:
        repo = self.breaking_repo()
        problems = self.check(repo, proposed='1.1.0')
        [problem] = self.of(problems, 'semver', Severity.ERROR)
        self.assertIn('1.1.0 is not enough', problem.message)
        self.assertIn('major release (at least 2.0.0)', problem.message)
        self.assertIn('tinypkg.foo', problem.message)
        self.assertIn('tinypkg.Client', problem.message)
        data = problem.to_json()
        self.assertEqual(
            ('semver', 'error', '2.0.0'),
            (data['check'], data['severity'], data['minimum_version']),
        )
        self.assertEqual(2, len(data['changes']))

    def test_major_bump_is_enough(self) -> None:
        repo = self.breaking_repo()
        problems = self.check(repo, proposed='2.0.0')
        self.assertEqual([], self.errors(problems))
        [info] = self.of(problems, 'semver')
        self.assertIn('2.0.0 is enough', info.message)

    def test_zero_y_rule(self) -> None:
        repo = self.project(version='0.4.0')
        repo.tag('0.4.0')
        repo.commit('drop', {'tinypkg/__init__.py': '"""Nothing."""\n',
                             'releasenotes/notes/x-2222222222222222.yaml':
                             '---\nupgrade:\n  - gone\n'})
        self.assertEqual([], self.errors(self.check(repo, proposed='0.5.0')))
        [error] = self.errors(self.check(repo, proposed='0.4.1'))
        self.assertIn('at least 0.5.0', error.message)

    def test_declared_version_is_the_default(self) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('add', {
            'pyproject.toml': PYPROJECT.format(version='1.1.0', extra=''),
            'tinypkg/extra.py': 'def bar():\n    pass\n',
            'releasenotes/notes/add-3333333333333333.yaml': NOTE_OK,
        })
        problems = self.check(repo)
        self.assertEqual([], self.errors(problems))
        self.assertIn(
            'proposed version 1.1.0 (the declared version)',
            [p.message for p in self.of(problems, 'release')],
        )

    def test_pbr_footers_give_the_proposed_version(self) -> None:
        repo = self.project(extra='\n[build-system]\nrequires = ["pbr"]\n'
                            'build-backend = "pbr.build"\n')
        repo.tag('1.0.0')
        repo.write({'tinypkg/__init__.py': '"""Gone."""\n'})
        repo.commit('drop\n\nSem-Ver: api-break', {
            'releasenotes/notes/d-4444444444444444.yaml':
                '---\nupgrade:\n  - gone\n',
        })
        problems = self.check(repo)
        self.assertEqual([], self.errors(problems))
        messages = [p.message for p in self.of(problems, 'release')]
        self.assertIn(
            'proposed version 2.0.0 (pbr: a major bump from 1.0.0, '
            'following the Sem-Ver: footers)', messages,
        )

    def test_pbr_pre_version_is_the_target(self) -> None:
        # pbr pre-versioning: a declared version above what the footers
        # give is the version the next release must carry.
        pbr = ('\n[build-system]\nrequires = ["pbr"]\n'
               'build-backend = "pbr.build"\n')
        repo = self.project(extra=pbr)
        repo.tag('1.0.0')
        repo.commit('target 1.2.0', {
            'pyproject.toml': PYPROJECT.format(version='1.2.0', extra=pbr),
            'releasenotes/notes/t-5555555555555555.yaml': NOTE_OK,
        })
        problems = self.check(repo)
        self.assertEqual([], self.errors(problems))
        self.assertIn(
            'proposed version 1.2.0 (the version declared for pbr)',
            [p.message for p in self.of(problems, 'release')],
        )

    def test_first_release_skips_comparisons(self) -> None:
        repo = self.project()
        problems = self.check(repo)
        self.assertEqual([], self.errors(problems))
        self.assertIn('skipped: no previous release to compare with',
                      [p.message for p in self.of(problems, 'semver')])
        self.assertTrue(any(
            'first release' in p.message for p in self.of(problems,
                                                            'release')))

    def test_since_ref(self) -> None:
        repo = self.breaking_repo()
        first = repo.git('rev-list', '--max-parents=0', 'HEAD')
        problems = self.check(repo, proposed='1.0.1', since=first)
        # The version of an untagged ref comes from its declared version.
        [error] = self.of(problems, 'semver', Severity.ERROR)
        self.assertIn(f'since {first}', error.message)
        err = self.assertRaises(
            exception.InputError, self.check, repo, since='nosuchref'
        )
        self.assertIn('--since', str(err))

    def test_invalid_inputs(self) -> None:
        repo = self.project()
        err = self.assertRaises(
            exception.InputError, self.check, repo, proposed='one.two'
        )
        self.assertIn("invalid --proposed 'one.two'", str(err))
        err = self.assertRaises(
            exception.InputError, self.check, repo, date='next friday'
        )
        self.assertIn("invalid --date 'next friday'", str(err))

    def test_shallow_clone_is_reported(self) -> None:
        repo = self.breaking_repo()
        clone = self.tmp / 'clone'
        subprocess.run(
            ['git', 'clone', '-q', '--depth', '1',
             f'file://{repo.root}', str(clone)],
            check=True, capture_output=True, env=git_env(),
        )
        problems = release.check(clone, proposed='2.0.0',
                                 config=self.config(), offline=True,
                                 date=MONDAY)
        [warning] = self.of(problems, 'release', Severity.WARNING)
        self.assertIn('shallow clone', warning.message)


class TestNotes(ReleaseTestCase):
    def test_no_note_since_the_last_release(self) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('fix', {'tinypkg/fix.py': 'X = 1\n'})
        [error] = self.errors(self.check(repo, proposed='1.1.0'))
        self.assertEqual('notes', error.check)
        self.assertIn('no release note was added since 1.0.0',
                      error.message)

    def test_uncommitted_new_note_counts(self) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('fix', {'tinypkg/fix.py': 'X = 1\n'})
        repo.write({'releasenotes/notes/fix-5555555555555555.yaml':
                    NOTE_OK})
        self.assertEqual([], self.errors(self.check(repo, proposed='1.1.0')))

    def test_unparseable_note_is_named(self) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('fix', {
            'releasenotes/notes/bad-6666666666666666.yaml':
                'features:\n  - [unclosed\n',
            'releasenotes/notes/shape-7777777777777777.yaml':
                '- just a list\n',
            'releasenotes/notes/odd-8888888888888888.yaml':
                'whatever:\n  - x\n',
        })
        problems = self.check(repo, proposed='1.0.1')
        messages = [p.message for p in self.of(problems, 'notes')]
        self.assertTrue(any(
            m.startswith('releasenotes/notes/bad-6666666666666666.yaml: '
                         'not valid YAML') for m in messages), messages)
        self.assertTrue(any('shape-7777777777777777.yaml: the top level'
                            in m for m in messages))
        [warning] = self.of(problems, 'notes', Severity.WARNING)
        self.assertIn("unknown section(s) whatever", warning.message)
        self.assertEqual(
            'releasenotes/notes/bad-6666666666666666.yaml',
            self.errors(problems)[0].details['file'],
        )

    def test_breaking_change_needs_upgrade_and_deprecation_section(
        self,
    ) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('drop foo, deprecate Client', {
            'tinypkg/__init__.py': '''\
                from symbiosis.deprecation import deprecated


                @deprecated(since='1.1', removal='3.0')
                class Client:
                    pass
                ''',
            'releasenotes/notes/x-9999999999999999.yaml': NOTE_OK,
        })
        problems = self.check(repo, proposed='2.0.0')
        messages = [p.message for p in self.errors(problems)]
        self.assertEqual(2, len(messages), messages)
        self.assertIn('breaking change(s) since 1.0.0 but no note has an '
                      'upgrade section: tinypkg.foo', messages[0] +
                      messages[1])
        self.assertTrue(any('no note has a deprecations section: '
                            'tinypkg.Client' in m for m in messages))
        repo.write({'releasenotes/notes/x-9999999999999999.yaml':
                    '---\nupgrade:\n  - foo is gone\ndeprecations:\n'
                    '  - Client\n'})
        repo.commit('notes')
        self.assertEqual([], self.errors(self.check(repo, proposed='2.0.0')))

    def test_not_a_reno_project(self) -> None:
        repo = self.project(notes=False)
        repo.tag('1.0.0')
        repo.commit('fix', {'tinypkg/fix.py': 'X = 1\n'})
        problems = self.check(repo, proposed='1.1.0')
        self.assertEqual([], self.errors(problems))
        self.assertIn('not a reno project',
                      self.of(problems, 'notes')[0].message)

    def test_draft_note(self) -> None:
        import yaml

        from symbiosis.release._runner import draft_release_note

        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('changes', {
            'tinypkg/__init__.py': '''\
                from symbiosis.deprecation import deprecated


                @deprecated(since='1.1', removal='3.0')
                def foo(a):
                    return a


                def bar():
                    pass
                ''',
            'tinypkg/errors.py': 'class Client:\n    pass\n',
        })
        path, ref = draft_release_note(repo.root, config=self.config())
        assert path is not None
        self.assertEqual('1.0.0', ref)
        self.assertEqual(repo.root / 'releasenotes' / 'notes', path.parent)
        self.assertRegex(path.name, r'^api-changes-[0-9a-f]{16}\.yaml$')
        data = yaml.safe_load(path.read_text())
        self.assertEqual({'upgrade', 'features', 'deprecations'}, set(data))
        self.assertIn('``tinypkg.bar``', ' '.join(data['features']))
        self.assertIn('``tinypkg.foo``', ' '.join(data['deprecations']))
        self.assertIn('``tinypkg.Client`` moved to '
                      '``tinypkg.errors.Client``.\n', data['upgrade'])
        first = path.read_text()
        again, _ = draft_release_note(repo.root, config=self.config())
        assert again is not None
        self.assertNotEqual(path, again)
        self.assertEqual(first, path.read_text())
        # A drafted note satisfies the notes check.
        self.assertEqual([], self.of(
            self.check(repo, proposed='2.0.0'), 'notes', Severity.ERROR))

    def test_draft_move_entry_and_never_overwrite(self) -> None:
        import yaml

        from symbiosis.api._changes import Bump
        from symbiosis.api._changes import Change
        from symbiosis.api._differ import Diff
        from symbiosis.api._model import Snapshot
        from symbiosis.release import _notes as notes
        diff = Diff(Snapshot('p'), Snapshot('p'), (Change(
            'name-moved', 'pymod.Foo', Bump.MAJOR,
            'pymod.Foo moved to pymod.errors.Foo',
            new_path='pymod.errors.Foo'),))
        text = notes.draft_note(diff, since='1.0')
        assert text is not None
        self.assertEqual(
            {'upgrade': ['``pymod.Foo`` moved to ``pymod.errors.Foo``.\n']},
            yaml.safe_load(text),
        )
        written = {notes.write_note(self.tmp, text) for _ in range(3)}
        self.assertEqual(3, len(written))
        self.assertIsNone(notes.draft_note(Diff(Snapshot('p'),
                                                Snapshot('p'))))


class TestCalendar(ReleaseTestCase):
    def run_calendar(self, date: str, **settings: Any) -> list[Problem]:
        repo = self.project()
        if settings:
            repo.write({'symbiosis.toml': '[release]\n' + '\n'.join(
                f'{k} = {v}' for k, v in settings.items())})
        return self.of(self.check(repo, date=date), 'calendar')

    def test_friday_weekend_and_monday(self) -> None:
        [friday] = self.run_calendar(FRIDAY)
        self.assertEqual(Severity.WARNING, friday.severity)
        self.assertIn("Friday", friday.message)
        self.assertIn("week-end", friday.message)
        [weekend] = self.run_calendar(SATURDAY)
        self.assertIn('weekend', weekend.message)
        self.assertEqual([], self.run_calendar(MONDAY))

    def test_time_zone(self) -> None:
        # Thursday 23:30 UTC is already Friday in Paris.
        late = '2026-11-26T23:30:00+00:00'
        self.assertEqual([], self.run_calendar(late, timezone='"UTC"'))
        [problem] = self.run_calendar(late, timezone='"Europe/Paris"')
        self.assertIn('2026-11-27 (Friday, Europe/Paris)', problem.message)

    def test_holidays_and_freeze(self) -> None:
        problems = self.run_calendar(
            '2026-12-23T10:00:00', holidays='["2026-12-23"]',
            freeze='[{start = 2026-12-20, end = 2027-01-04, '
                   'reason = "end-of-year freeze"}]',
        )
        messages = sorted(p.message for p in problems)
        self.assertEqual(2, len(messages))
        self.assertIn('holiday', messages[0])
        self.assertIn('freeze from 2026-12-20 to 2027-01-04: '
                      'end-of-year freeze', messages[1])


class TestSettings(ReleaseTestCase):
    def test_disable_and_severity(self) -> None:
        repo = self.project(extra=(
            '\n[tool.symbiosis.release]\ndisable = ["calendar"]\n'
        ))
        problems = self.check(repo, date=FRIDAY)
        self.assertEqual(['disabled by the project'],
                         [p.message for p in self.of(problems, 'calendar')])
        repo.write({'pyproject.toml': PYPROJECT.format(
            version='1.0.0',
            extra='\n[tool.symbiosis.release]\n'
                  'severity = { calendar = "error" }\n')})
        [error] = self.errors(self.check(repo, date=FRIDAY))
        self.assertEqual('calendar', error.check)

    def test_invalid_settings(self) -> None:
        for table, fragment in (
            ({'bogus': 1}, 'unknown setting'),
            ({'timezone': 'Mars/Olympus'}, 'unknown time zone'),
            ({'severity': {'calendar': 'fatal'}}, 'unknown severity'),
            ({'holidays': ['soon']}, 'is not a date'),
            ({'freeze': [{'start': '2026-02-01', 'end': '2026-01-01'}]},
             'ends'),
        ):
            err = self.assertRaises(
                exception.ConfigError, release_settings_from_mapping, table
            )
            self.assertIn(fragment, str(err))


class TestFirstOf(base.TestCase):
    """How the checks name a long list of changes."""

    def test_short_lists_are_whole(self) -> None:
        from symbiosis.release._checks import first_of

        self.assertEqual('a, b', first_of(['a', 'b'], 2, ', '))
        self.assertEqual('', first_of([], 2, '; '))

    def test_long_lists_say_how_many_more(self) -> None:
        from symbiosis.release._checks import first_of

        texts = ['a', 'b', 'c', 'd']
        self.assertEqual('a, b and 2 more', first_of(texts, 2, ', '))
        self.assertEqual('a; b; c; and 1 more', first_of(texts, 3, '; '))


class IndexedTestCase(ReleaseTestCase):
    """A release check against a real local index."""

    def setUp(self) -> None:
        super().setUp()
        self.index = Index()
        self.addCleanup(self.index.stop)

    def config(self, **kwargs: Any) -> Config:
        kwargs.setdefault('index_url', self.index.url + '/simple')
        return super().config(**kwargs)


class TestImmutability(IndexedTestCase):
    def test_version_already_tagged_elsewhere(self) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('more', {'releasenotes/notes/m-aaaaaaaaaaaaaaaa.yaml':
                             NOTE_OK})
        [error] = [p for p in self.errors(self.check(repo, proposed='1.0.0'))
                   if p.check == 'immutability']
        self.assertIn("once it's out, it's out — release a new version "
                      'instead', error.message)
        self.assertEqual('1.0.0', error.details['tag'])

    def test_tag_at_head_is_the_release_being_made(self) -> None:
        repo = self.project()
        repo.tag('1.0.0')
        repo.commit('fix', {'releasenotes/notes/f-bbbbbbbbbbbbbbbb.yaml':
                            NOTE_OK})
        repo.tag('1.0.1')
        problems = self.check(repo, proposed='1.0.1')
        self.assertEqual([], self.errors(problems))

    def test_on_the_index_yanked_or_deleted(self) -> None:
        repo = self.project()
        self.index.add_json_entries('tinypkg', [
            {'filename': 'tinypkg-1.0.0-py3-none-any.whl',
             'yanked': 'broken', 'upload-time': '2026-01-02T00:00:00Z'},
        ], versions=['1.0.0', '1.0.1'])
        for proposed, state in (('1.0.0', 'yanked'), ('1.0.1', 'deleted')):
            problems = self.check(repo, proposed=proposed, offline=False)
            [error] = self.of(problems, 'immutability', Severity.ERROR)
            self.assertIn(f'tinypkg {proposed} is already on the configured '
                          f'index', error.message)
            self.assertIn("once it's out, it's out", error.message)
            self.assertIn(state, error.message)
        self.assertEqual([], self.errors(self.check(
            repo, proposed='1.1.0', offline=False)))

    def test_moved_and_deleted_tags(self) -> None:
        repo = self.project()
        repo.tag('1.0.0', annotated=True, when='2026-01-01T12:00:00+00:00')
        repo.commit('later', {'tinypkg/x.py': 'X = 1\n'},
                    when='2026-03-01T00:00:00+00:00')
        repo.tag('1.1.0', when='2026-03-01T00:00:00+00:00')
        repo.commit('next', {'releasenotes/notes/n-cccccccccccccccc.yaml':
                             NOTE_OK}, when='2026-03-02T00:00:00+00:00')
        self.index.add_json_entries('tinypkg', [
            {'filename': 'tinypkg-1.0.0.tar.gz',
             'upload-time': '2026-01-01T13:00:00Z'},
            {'filename': 'tinypkg-1.1.0.tar.gz',
             'upload-time': '2026-02-01T00:00:00Z'},
            {'filename': 'tinypkg-1.0.5.tar.gz',
             'upload-time': '2026-01-15T00:00:00Z'},
        ])
        problems = self.check(repo, proposed='1.2.0', offline=False)
        warnings = self.of(problems, 'immutability', Severity.WARNING)
        messages = sorted(p.message for p in warnings)
        self.assertEqual(2, len(messages), messages)
        self.assertIn('tag 1.1.0 was moved after it was published',
                      messages[0])
        self.assertIn('tinypkg 1.0.5 is on the configured index but has no '
                      'tag', messages[1])

    def test_offline_skips_the_index(self) -> None:
        repo = self.project()
        problems = self.check(repo, proposed='1.0.0', offline=True)
        self.assertIn('offline: the package index was not checked',
                      [p.message for p in self.of(problems,
                                                  'immutability')])
        self.assertEqual([], self.index.requests)

    def test_unreachable_index(self) -> None:
        repo = self.project()
        err = self.assertRaises(
            exception.IndexUnreachable, self.check, repo, proposed='1.0.0',
            offline=False, config=ReleaseTestCase.config(self),
        )
        self.assertEqual(3, err.exit_code)


class TestDeprecationsAndPins(IndexedTestCase):
    def test_overdue_deprecation(self) -> None:
        repo = self.project(files={'tinypkg/__init__.py': '''\
            from symbiosis.deprecation import deprecated


            @deprecated(since='1.0', removal='1.1')
            def old():
                pass
            '''})
        [error] = self.errors(self.check(repo, proposed='1.1.0'))
        self.assertEqual('deprecations', error.check)
        self.assertIn('tinypkg.old was to be removed in 1.1 but is still '
                      'there in 1.1.0', error.message)
        self.assertEqual([], self.errors(self.check(repo, proposed='1.0.1')))

    def test_pins_of_the_project(self) -> None:
        repo = self.project(extra='\n[tool.symbiosis.release]\n'
                            'requirements = ["requirements.txt"]\n')
        repo.commit('reqs', {'requirements.txt':
                             'dep==1.0\nnot a requirement!\n'})
        self.index.add_json_entries('dep', [
            {'filename': 'dep-1.0-py3-none-any.whl',
             'yanked': 'security hole'}])
        problems = self.of(self.check(repo, offline=False), 'pins')
        messages = sorted(p.message for p in problems)
        self.assertEqual(2, len(messages), messages)
        self.assertIn('requirements.txt:1: dep==1.0: yanked: dep 1.0 is '
                      'yanked: security hole', messages)
        self.assertTrue(messages[1].startswith(
            'requirements.txt:2: not a requirement!: invalid'))
        offline = self.of(self.check(repo, offline=True), 'pins',
                          Severity.ERROR)
        self.assertEqual(1, len(offline))
