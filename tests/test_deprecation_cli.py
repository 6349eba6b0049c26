"""``symbiosis deprecations list|overdue`` over saved snapshots and trees."""

from __future__ import annotations

import argparse
import io
import json
import pathlib

from symbiosis.api._deprecations import snapshot_deprecations
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Function
from symbiosis.api._model import Location
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.cli._app import SymbiosisApp
from symbiosis.cli._base import Command
from symbiosis.cli._deprecations import DeprecationsList
from symbiosis.cli._deprecations import DeprecationsOverdue
from symbiosis.config import Config
from tests import base
from tests.test_cli import run_cli


def sample_snapshot() -> Snapshot:
    def dep(**kwargs: str) -> Deprecation:
        return Deprecation(marker='symbiosis', **kwargs)

    method = Function(
        name='close', path='mylib.client.Client.close',
        location=Location('mylib/client.py', 12),
        deprecation=dep(since='1.2', removal='1.5',
                        replacement='mylib.client.Client.shutdown'),
    )
    client = Class(
        name='Client', path='mylib.client.Client',
        location=Location('mylib/client.py', 5),
        members={'close': method, 'open': Function(
            name='open', path='mylib.client.Client.open')},
    )
    old = Function(
        name='connect_to', path='mylib.client.connect_to',
        location=Location('mylib/client.py', 30),
        deprecation=dep(since='1.0', removal='2.0',
                        replacement='mylib.connect()',
                        message='Use connect().'),
    )
    const = Attribute(
        name='PORT', path='mylib.client.PORT',
        location=Location('mylib/client.py', 2),
        deprecation=Deprecation(marker='module-getattr', removal='3.0'),
    )
    alias = Alias(
        name='Conn', path='mylib.Conn', target='mylib.client.Client',
        internal=True, location=Location('mylib/__init__.py', 3),
        deprecation=Deprecation(marker='typing_extensions.deprecated',
                                message='Use Client.'),
    )
    return Snapshot(
        name='mylib', version='1.4',
        modules={
            'mylib': Module(name='mylib', file='mylib/__init__.py',
                            members={'Conn': alias}, exports=('Conn',),
                            is_package=True),
            'mylib.client': Module(
                name='mylib.client', file='mylib/client.py',
                members={'Client': client, 'connect_to': old,
                         'PORT': const},
                exports=('Client', 'connect_to', 'PORT'),
            ),
            'mylib.legacy': Module(
                name='mylib.legacy', file='mylib/legacy.py',
                deprecation=dep(since='1.1', removal='1.4',
                                replacement='mylib.client'),
            ),
        },
    )


class _CliTestCase(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.snapshot_file = self.tmp / 'mylib-1.4.json'
        self.snapshot_file.write_text(
            json.dumps(sample_snapshot().to_json()), encoding='utf-8'
        )

    def run_command(
        self, command: type[Command], *args: str
    ) -> tuple[int, str]:
        """Run a command in this process (its own parser, real app)."""
        app = SymbiosisApp()
        app.stdout = io.StringIO()
        app.config = Config.from_environ()
        cmd = command(app, argparse.Namespace(debug=False))
        parser = cmd.get_parser('symbiosis deprecations')
        code = cmd.take_action(parser.parse_args(list(args)))
        return code, app.stdout.getvalue()


class TestSnapshotDeprecations(base.TestCase):
    def test_walks_modules_members_classes_and_aliases(self) -> None:
        entries = snapshot_deprecations(sample_snapshot())
        self.assertEqual(
            [('mylib.Conn', 'alias'), ('mylib.client.Client.close',
                                        'function'),
             ('mylib.client.PORT', 'attribute'),
             ('mylib.client.connect_to', 'function'),
             ('mylib.legacy', 'module')],
            [(e.path, e.kind) for e in entries],
        )
        legacy = entries[-1]
        self.assertEqual({'file': 'mylib/legacy.py', 'line': 1},
                         legacy.to_json()['location'])


class TestList(_CliTestCase):
    def test_json_fields(self) -> None:
        code, out = self.run_command(
            DeprecationsList, str(self.snapshot_file), '--format', 'json'
        )
        self.assertEqual(0, code)
        rows = json.loads(out)
        self.assertEqual(5, len(rows))
        row = next(r for r in rows if r['path'] == 'mylib.client.connect_to')
        self.assertEqual(
            {
                'path': 'mylib.client.connect_to',
                'kind': 'function',
                'since': '1.0',
                'removal': '2.0',
                'replacement': 'mylib.connect()',
                'message': 'Use connect().',
                'marker': 'symbiosis',
                'location': {'file': 'mylib/client.py', 'line': 30},
            },
            row,
        )

    def test_text(self) -> None:
        code, out = self.run_command(DeprecationsList,
                                     str(self.snapshot_file))
        self.assertEqual(0, code)
        self.assertIn(
            'mylib/client.py:30: mylib.client.connect_to: since 1.0, '
            'removal in 2.0, use mylib.connect() [symbiosis]', out
        )
        self.assertTrue(out.rstrip().endswith('5 deprecations'))

    def test_program(self) -> None:
        result = run_cli('deprecations', 'list', str(self.snapshot_file),
                         '-f', 'json')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(5, len(json.loads(result.stdout)))

    def test_missing_target_is_exit_2(self) -> None:
        result = run_cli('deprecations', 'list', str(self.tmp / 'nope'))
        self.assertEqual(2, result.returncode, result.stderr)
        self.assertEqual(1, len(result.stderr.strip().splitlines()))


class TestOverdue(_CliTestCase):
    def test_overdue_exits_1_and_lists(self) -> None:
        code, out = self.run_command(
            DeprecationsOverdue, str(self.snapshot_file), '--version', '1.5',
            '--format', 'json',
        )
        self.assertEqual(1, code)
        self.assertEqual(
            ['mylib.client.Client.close', 'mylib.legacy'],
            [r['path'] for r in json.loads(out)],
        )

    def test_nothing_overdue_exits_0(self) -> None:
        code, out = self.run_command(
            DeprecationsOverdue, str(self.snapshot_file), '--version', '1.3'
        )
        self.assertEqual(0, code)
        self.assertIn('no deprecation is overdue for 1.3', out)

    def test_text(self) -> None:
        code, out = self.run_command(
            DeprecationsOverdue, str(self.snapshot_file), '--version', '3.0'
        )
        self.assertEqual(1, code)
        self.assertIn('4 deprecations overdue for removal in 3.0', out)
        self.assertIn('mylib.client.PORT', out)

    def test_invalid_version_is_one_line_exit_2(self) -> None:
        import contextlib

        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code, _ = self.run_command(
                DeprecationsOverdue, str(self.snapshot_file), '--version',
                'next',
            )
        self.assertEqual(2, code)
        lines = err.getvalue().strip().splitlines()
        self.assertEqual(1, len(lines))
        self.assertIn("'next' is not a valid version", lines[0])

    def test_program(self) -> None:
        result = run_cli('deprecations', 'overdue', str(self.snapshot_file),
                         '--version', '1.5')
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertIn('mylib.legacy', result.stdout)


class TestSourceTree(_CliTestCase):
    """End to end: deprecations read statically from a source tree."""

    def make_tree(self) -> pathlib.Path:
        return self.write_tree({
            'pyproject.toml': '''\
                [project]
                name = "mylib"
                version = "1.5"
                ''',
            'mylib/__init__.py': '''\
                import typing_extensions
                from symbiosis.deprecation import deprecated


                @deprecated(since='1.0', removal='1.5',
                            replacement='mylib.new()')
                def old():
                    pass


                @typing_extensions.deprecated('Use New.')
                class Old:
                    pass


                def new():
                    pass
                ''',
        })

    def test_list_and_overdue(self) -> None:
        tree = self.make_tree()
        code, out = self.run_command(DeprecationsList, str(tree), '-f',
                                     'json')
        self.assertEqual(0, code)
        rows = {r['path']: r for r in json.loads(out)}
        self.assertEqual('1.5', rows['mylib.old']['removal'])
        self.assertEqual('symbiosis', rows['mylib.old']['marker'])
        self.assertEqual('typing_extensions.deprecated',
                         rows['mylib.Old']['marker'])
        code, out = self.run_command(DeprecationsOverdue, str(tree),
                                     '--version', '1.5', '-f', 'json')
        self.assertEqual(1, code)
        self.assertEqual(['mylib.old'], [r['path'] for r in json.loads(out)])


class TestKeywordsAndMovedMethods(base.TestCase):
    """``renamed_kwarg`` and ``moved_method`` are listed, read from source.
    """

    def test_listed(self) -> None:
        tree = self.write_tree({'pkg/__init__.py': '''
            from debtcollector import moves
            from symbiosis.deprecation import moved_method
            from symbiosis.deprecation import renamed_kwarg


            class Client:
                def close(self):
                    pass

                disconnect = moved_method('close', since='2.0',
                                          removal='3.0')

                @moves.moved_method('close', version='2.0')
                def shutdown(self):
                    return self.close()


            @renamed_kwarg('hostname', 'host', since='2.0', removal='3.0')
            def connect(host):
                pass
            '''})
        result = run_cli('deprecations', 'list', str(tree), '--format',
                         'json')
        self.assertEqual(0, result.returncode, result.stderr)
        found = {e['path']: e for e in json.loads(result.stdout)}
        self.assertEqual(
            {'pkg.Client.disconnect', 'pkg.Client.shutdown',
             'pkg.connect(hostname=)'}, set(found))
        keyword = found['pkg.connect(hostname=)']
        self.assertEqual(('parameter', '2.0', '3.0', 'host'),
                         (keyword['kind'], keyword['since'],
                          keyword['removal'], keyword['replacement']))
        self.assertEqual('close',
                         found['pkg.Client.disconnect']['replacement'])
