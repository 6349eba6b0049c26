"""End to end: source trees and real wheels, through the extractor."""

from __future__ import annotations

from collections.abc import Mapping
import textwrap
from typing import Any

from symbiosis.api._changes import Bump
from symbiosis.api._changes import ChangeKind
from symbiosis.api._differ import Diff
from symbiosis.api._differ import diff_snapshots
from symbiosis.api._extract.snapshot import extract_snapshot
from symbiosis.api._model import Snapshot
from symbiosis.api._rules import builtin_rules
from symbiosis.api._versioning import verdict
from symbiosis.config import Config
from symbiosis.sources import resolve_target
from symbiosis.sources._base import SourceTree
from tests import base

K = ChangeKind


OLD = {
    'pkg/__init__.py': '''
        """A fixture library."""
        from pkg._impl import Client

        __all__ = ['Client', 'Error', 'connect', 'TIMEOUT']

        TIMEOUT = 10


        class Error(Exception):
            """Base error."""


        def connect(host, timeout=10):
            return Client(host)
        ''',
    'pkg/_impl.py': '''
        class Client:
            def __init__(self, host):
                self.host = host

            def get(self, url, *, retries=3):
                return url

            def close(self):
                pass
        ''',
}

NEW = {
    'pkg/__init__.py': '''
        """A fixture library."""
        from pkg._client import Client

        __all__ = ['Client', 'connect', 'TIMEOUT']

        TIMEOUT = 30


        def connect(host):
            return Client(host)
        ''',
    'pkg/_client.py': '''
        class Client:
            def __init__(self, host):
                self.host = host

            def get(self, url, *, retries=3):
                return url

            def close(self):
                pass
        ''',
    'pkg/errors.py': '''
        class Error(Exception):
            """Base error."""
        ''',
}


class TestSourceTrees(base.TestCase):

    def snapshot(self, files: Mapping[str, str], root: str,
                 version: str) -> Snapshot:
        path = self.write_tree(files, root=root)
        tree = SourceTree(target=str(path), root=path, top_level=('pkg',),
                          name='pkg', version=version)
        snapshot: Snapshot = extract_snapshot(tree)
        return snapshot

    def diff(self) -> Diff:
        old = self.snapshot(OLD, 'old', '1.0')
        new = self.snapshot(NEW, 'new', '1.1')
        return diff_snapshots(old, new, rules=builtin_rules())

    def test_changes(self) -> None:
        found = {(c.kind, c.path): c for c in self.diff().changes}
        removed = found[K.PARAMETER_REMOVED.value, 'pkg.connect']
        self.assertEqual(
            "parameter 'timeout' of pkg.connect was removed", removed.message
        )
        self.assertEqual(Bump.MAJOR, removed.severity)
        self.assertEqual('pkg/__init__.py', getattr(
            removed.location, 'file', None))
        moved = found[K.NAME_MOVED.value, 'pkg.Error']
        self.assertEqual('pkg.errors.Error', moved.new_path)
        value = found[K.CONSTANT_VALUE_CHANGED.value, 'pkg.TIMEOUT']
        self.assertEqual(
            'value of constant pkg.TIMEOUT changed from 10 to 30',
            value.message,
        )
        # Client moved between private modules but pkg.Client resolves.
        self.assertEqual([], [k for k in found if 'Client' in k[1]])

    def test_verdict(self) -> None:
        result = self.diff()
        decision = verdict(result.old, result.new, diff=result)
        self.assertEqual('2.0.0', decision.minimum_version)
        self.assertIs(False, decision.ok)


class TestWheels(base.TestCase):

    def snapshot(self, version: str, files: Mapping[str, str],
                 **kwargs: Any) -> Snapshot:


        dist = self.make_dist(
            'pkg', version,
            {k: textwrap.dedent(v) for k, v in files.items()}, **kwargs,
        )
        tree = resolve_target(str(dist.wheel), Config.from_environ())
        snapshot: Snapshot = extract_snapshot(tree)
        return snapshot

    def test_wheels(self) -> None:
        old = self.snapshot(
            '1.0', OLD, requires_python='>=3.8', extras={'cli': ['click']},
            entry_points={'console_scripts': {'pkg': 'pkg:connect'}},
        )
        new = self.snapshot(
            '2.0', NEW, requires_python='>=3.10',
            entry_points={'console_scripts': {'pkg': 'pkg.cli:main'}},
        )
        result = diff_snapshots(old, new, rules=builtin_rules())
        kinds = {c.kind for c in result.changes}
        for kind in (K.PARAMETER_REMOVED, K.NAME_MOVED,
                     K.REQUIRES_PYTHON_NARROWED, K.EXTRA_REMOVED,
                     K.ENTRY_POINT_CHANGED):
            self.assertIn(kind.value, kinds)
        self.assertEqual(Bump.MAJOR, result.required_bump)
        self.assertIs(True, verdict(old, new, diff=result).ok)
