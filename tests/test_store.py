"""The results store: schema, connection errors, recording, memory.

Stores are real SQLite files in temp directories; with
``SYMBIOSIS_TEST_POSTGRES_URL`` set (``.ci/run`` starts a throwaway
cluster) the same tests run against PostgreSQL too.
"""

from __future__ import annotations

import json
import os
import pathlib
import sqlite3
import subprocess
import sys
import textwrap
import unittest
import uuid

from symbiosis.gate._model import Side
from symbiosis.gate._plan import PlannedJob
from symbiosis.gate._plan import Variant
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from tests import base

POSTGRES_URL = os.environ.get('SYMBIOSIS_TEST_POSTGRES_URL', '')


def symbiosis(
    *args: str, cwd: pathlib.Path, env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, '-m', 'symbiosis.cli._app', *args],
        capture_output=True, text=True, cwd=str(cwd), timeout=timeout,
        env=dict(os.environ, **(env or {})), check=False)


def job(key: str) -> PlannedJob:
    """The job ``side|python|downstream|group|attempt`` names."""
    side, python, downstream, group, attempt = key.split('|')
    return PlannedJob(Variant(Side(side), python or None, downstream or None),
                      group, int(attempt), ())


def outcome(probe: str, status: str) -> Outcome:
    return Outcome(probe, OutcomeStatus(status))


class StoreContract:
    """What every backend must do; ``self.url`` is a fresh store."""

    url: str

    def open(self) -> object:
        from symbiosis.store._store import open_store

        store = open_store(self.url, upgrade=True)
        self.addCleanup(store.close)  # type: ignore[attr-defined]
        return store

    def test_a_run_is_recorded_as_jobs_finish(self) -> None:
        store = self.open()
        recorder = store.recorder('lib', '1.0', '2.0')  # type: ignore
        recorder(job('baseline|||probes.py|0'), [outcome('p::a', 'pass')])
        # Written at once, before the run ends: another reader sees it.
        from symbiosis.store._store import open_store

        with open_store(self.url) as other:
            runs = other.history('lib')
        self.assertEqual(['running'], [r.verdict for r in runs])
        self.assertEqual(
            {'p::a'}, other.ever_passed_on_baseline('lib', ['p::a', 'p::b']))
        recorder.interrupted('stopped')
        self.assertEqual('interrupted', store.history('lib')[-1].verdict)

    def test_flaky_evidence_needs_both_on_one_version(self) -> None:
        store = self.open()
        first = store.recorder('lib', '1.0', '2.0')  # type: ignore
        first(job('candidate|||f|0'), [outcome('p::flip', 'fail'),
                                  outcome('p::fails', 'fail')])
        first(job('candidate|||f|1'), [outcome('p::flip', 'pass'),
                                  outcome('p::fails', 'fail')])
        first(job('baseline|||f|0'), [outcome('p::fails', 'pass')])
        evidence = store.flaky_evidence(  # type: ignore
            'lib', ['p::flip', 'p::fails', 'p::other'])
        self.assertEqual({'p::flip': '2.0: 1 pass, 1 fail'}, evidence)
        # Another upstream's history is not this one's.
        self.assertEqual({}, store.flaky_evidence(  # type: ignore
            'otherlib', ['p::flip']))
        self.assertEqual({}, store.flaky_evidence(  # type: ignore
            'lib', ['p::flip'], exclude_run=first.run_id))

    def test_decisions_and_polls(self) -> None:
        from symbiosis.store._store import Decision

        store = self.open()
        self.assertIsNone(store.judged('lib', '2.0'))  # type: ignore
        store.record_decision('c.txt', Decision(  # type: ignore
            'lib', '1.0', '2.0', 'no-verdict', 'infra'))
        self.assertIsNone(store.judged('lib', '2.0'))  # type: ignore
        store.record_decision('c.txt', Decision(  # type: ignore
            'lib', '1.0', '2.0', 'held-back', 'p::a regressed'))
        self.assertEqual('held-back',
                         store.judged('lib', '2.0').decision)  # type: ignore
        self.assertIsNone(store.etag('lib'))  # type: ignore
        self.assertEqual(['1.0', '2.0'], store.save_poll(  # type: ignore
            'lib', '"e1"', ['1.0', '2.0']))
        self.assertEqual(['3.0'], store.save_poll(  # type: ignore
            'lib', '"e2"', ['1.0', '2.0', '3.0']))
        self.assertEqual('"e2"', store.etag('lib'))  # type: ignore


class TestSqliteStore(StoreContract, base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.url = f'sqlite:///{self.tmp}/store.sqlite'


@unittest.skipUnless(
    POSTGRES_URL,
    'SYMBIOSIS_TEST_POSTGRES_URL is unset: no PostgreSQL server to test '
    'against (.ci/run starts one)')
class TestPostgresStore(StoreContract, base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        import sqlalchemy

        # A schema of its own per test: tests run in parallel.
        schema = f't{uuid.uuid4().hex[:12]}'
        engine = sqlalchemy.create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(f'CREATE SCHEMA {schema}'))

        def drop() -> None:
            with engine.begin() as connection:
                connection.execute(sqlalchemy.text(
                    f'DROP SCHEMA {schema} CASCADE'))
            engine.dispose()

        self.addCleanup(drop)
        joiner = '&' if '?' in POSTGRES_URL else '?'
        self.url = (f'{POSTGRES_URL}{joiner}options=-csearch_path%3D'
                    f'{schema}')


class TestSchema(base.TestCase):

    def test_revisions_are_the_migrations_shipped(self) -> None:
        from alembic.script import ScriptDirectory

        from symbiosis.store import _schema

        scripts = ScriptDirectory(str(_schema.MIGRATIONS))
        chain = [s.revision for s in scripts.walk_revisions()]
        self.assertEqual(list(_schema.REVISIONS), chain[::-1])

    def test_migrations_make_the_models_tables(self) -> None:
        import sqlalchemy

        from symbiosis.store._models import Base
        from symbiosis.store._store import open_store

        url = f'sqlite:///{self.tmp}/s.sqlite'
        open_store(url).close()
        inspector = sqlalchemy.inspect(sqlalchemy.create_engine(url))
        for table in Base.metadata.sorted_tables:
            with self.subTest(table=table.name):
                self.assertEqual(
                    sorted(c.name for c in table.columns),
                    sorted(c['name'] for c in inspector.get_columns(
                        table.name)))
                self.assertEqual(
                    sorted(i.name or '' for i in table.indexes),
                    sorted(i['name'] or '' for i in inspector.get_indexes(
                        table.name)))

    def test_sqlite_is_created_on_first_use_in_the_data_dir(self) -> None:
        result = symbiosis(
            'history', cwd=self.tmp,
            env={'XDG_DATA_HOME': str(self.tmp / 'data'),
                 'SYMBIOSIS_STORE_URL': ''})
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('no gate runs recorded\n', result.stdout)
        self.assertTrue(
            (self.tmp / 'data' / 'symbiosis' / 'store.sqlite').is_file())

    def test_settings_file_names_the_store(self) -> None:
        (self.tmp / 'symbiosis.toml').write_text(
            f'[store]\nurl = "sqlite:///{self.tmp}/from-settings.db"\n')
        result = symbiosis('store', 'upgrade', cwd=self.tmp,
                           env={'SYMBIOSIS_STORE_URL': ''})
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue((self.tmp / 'from-settings.db').is_file())
        # The variable wins over the settings, --store over both.
        result = symbiosis(
            'store', 'upgrade', '--store', f'sqlite:///{self.tmp}/opt.db',
            cwd=self.tmp,
            env={'SYMBIOSIS_STORE_URL': f'sqlite:///{self.tmp}/env.db'})
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue((self.tmp / 'opt.db').is_file())
        self.assertFalse((self.tmp / 'env.db').exists())

    def test_a_newer_schema_is_refused_and_left_alone(self) -> None:
        path = self.tmp / 'newer.sqlite'
        url = f'sqlite:///{path}'
        self.assertEqual(0, symbiosis('store', 'upgrade', '--store', url,
                                      cwd=self.tmp).returncode)
        with sqlite3.connect(path) as db:
            db.execute("UPDATE alembic_version SET version_num = '9999'")
        for args in (['history'], ['store', 'upgrade']):
            with self.subTest(args=args):
                result = symbiosis(*args, '--store', url, cwd=self.tmp)
                self.assertEqual(3, result.returncode)
                self.assertEqual(1, len(result.stderr.splitlines()))
                self.assertIn('schema revision 9999, newer than this '
                              'symbiosis knows (0001)', result.stderr)
        with sqlite3.connect(path) as db:
            self.assertEqual(
                [('9999',)],
                db.execute('SELECT version_num FROM alembic_version')
                .fetchall())

    def test_unreachable_and_bad_urls(self) -> None:
        cases = [
            # Nothing listens on port 1: exit 3, one line, no password.
            ('postgresql+psycopg://gate:s3cret@127.0.0.1:1/db', 3,
             'cannot use the store'),
            ('sqlite:////proc/no/such/dir/s.sqlite', 3, 'cannot create'),
            ('not a url', 2, 'not a database URL'),
        ]
        for url, code, words in cases:
            with self.subTest(url=url):
                result = symbiosis('history', '--store', url, cwd=self.tmp)
                self.assertEqual(code, result.returncode, result.stderr)
                self.assertEqual(1, len(result.stderr.splitlines()),
                                 result.stderr)
                self.assertIn(words, result.stderr)
                self.assertNotIn('s3cret', result.stderr)

    def test_a_shared_database_is_upgraded_on_purpose(self) -> None:
        from symbiosis.exception import InfrastructureError
        from symbiosis.store._store import open_store

        url = f'sqlite:///{self.tmp}/behind.sqlite'
        error = self.assertRaises(InfrastructureError, open_store, url,
                                  upgrade=False)
        self.assertIn("run 'symbiosis store upgrade", str(error))
        open_store(url, upgrade=True).close()
        open_store(url, upgrade=False).close()


class TestHistoryCli(base.TestCase):

    def test_history_text_json_upstream_and_since(self) -> None:
        from symbiosis.store._store import open_store

        url = f'sqlite:///{self.tmp}/h.sqlite'
        with open_store(url) as store:
            one = store.recorder('lib', '1.0', '2.0')
            store.end_run(one.run_id, 'regression', 'p::a regressed',
                          regressed=['p::a'], flaky=['p::b'])
            store.recorder('other', '1', '2')
        result = symbiosis('history', 'lib', '--store', url,
                           '--format', 'json', cwd=self.tmp)
        self.assertEqual(0, result.returncode, result.stderr)
        runs = json.loads(result.stdout)['runs']
        self.assertEqual(1, len(runs))
        self.assertEqual(
            {'upstream': 'lib', 'baseline': '1.0', 'candidate': '2.0',
             'verdict': 'regression', 'regressed': ['p::a'],
             'flaky': ['p::b']},
            {k: runs[0][k] for k in ('upstream', 'baseline', 'candidate',
                                     'verdict', 'regressed', 'flaky')})
        text = symbiosis('history', '--store', url, cwd=self.tmp).stdout
        self.assertRegex(text, r'#1 lib 1.0 -> 2.0: regression; '
                               r'regressed: p::a; flaky: p::b\n')
        self.assertIn('#2 other 1 -> 2: running', text)
        later = symbiosis('history', '--store', url, '--since',
                          '2999-01-01', cwd=self.tmp)
        self.assertEqual('no gate runs recorded\n', later.stdout)
        bad = symbiosis('history', '--store', url, '--since', 'yesterday',
                        cwd=self.tmp)
        self.assertEqual(2, bad.returncode)


class TestStartUp(base.TestCase):

    def test_commands_without_the_store_import_no_database_code(self) -> None:
        code = textwrap.dedent('''
            import sys
            from symbiosis.cli._app import main
            import symbiosis.constraints, symbiosis.store
            try:
                code = main(sys.argv[1:])
            except SystemExit as exit:  # --help
                code = exit.code
            loaded = sorted({name.partition('.')[0] for name in sys.modules
                             if name.partition('.')[0] in (
                                 'sqlalchemy', 'alembic', 'psycopg')})
            sys.stderr.write(f'{code} {loaded}\\n')
        ''')
        for args in (['api', 'rules'], ['gate', '--help'],
                     ['constraints', 'update', '--help'], ['watch', '--help'],
                     ['history', '--help']):
            with self.subTest(args=args):
                result = subprocess.run(
                    [sys.executable, '-c', code, *args],
                    capture_output=True, text=True, check=False)
                self.assertEqual('0 []', result.stderr.strip()
                                 .splitlines()[-1], result.stderr)
        # --version answers before any command is loaded.
        result = subprocess.run(
            [sys.executable, '-c',
             'import sys\nfrom symbiosis.cli._main import main\n'
             'try:\n    main(["--version"])\nexcept SystemExit:\n    pass\n'
             'print([m for m in sys.modules if m.startswith("sqlalchemy")])'],
            capture_output=True, text=True, check=True)
        self.assertEqual('[]', result.stdout.strip().splitlines()[-1])
