"""load_snapshot: snapshot files and TARGETs."""

from __future__ import annotations

import json
import pathlib

from symbiosis import api
from symbiosis.api import _loader as loader
from symbiosis.api._extract import snapshot as extract
from symbiosis.config import Config
from symbiosis.exception import SnapshotFormatError
from symbiosis.sources._base import SourceTree
from tests import base


class TestLoader(base.TestCase):

    def _snapshot_file(self) -> tuple[str, object]:
        root = self.write_tree({'pkg/__init__.py': 'def f(a=1): pass\n'})
        snap = extract.extract_snapshot(
            SourceTree('t', root, ('pkg',), name='pkg', version='1.0'),
            Config(use_cache=False),
        )
        path = self.tmp / 'snap.json'
        path.write_text(json.dumps(snap.to_json()))
        return str(path), snap

    def test_snapshot_file(self) -> None:
        path, snap = self._snapshot_file()
        loaded = loader.load_snapshot(path, Config(use_cache=False))
        self.assertEqual(snap, loaded)
        self.assertEqual(snap, api.load(path))

    def test_snapshot_file_without_json_suffix(self) -> None:
        path, snap = self._snapshot_file()
        other = self.tmp / 'baseline'
        other.write_text('\n  ' + pathlib.Path(path).read_text())
        self.assertEqual(snap, loader.load_snapshot(str(other)))

    def test_bad_snapshot_files(self) -> None:
        cases = {
            'bad.json': '{not json',
            'list.json': '[1, 2]',
            'noschema.json': '{"name": "x"}',
            'future.json': '{"schema_version": 999, "name": "x"}',
            'shape.json': '{"schema_version": 1, "name": "x", '
                          '"modules": {"m": {"members": 3}}}',
            'plain': '{"schema_version": 1}',
        }
        for name, text in cases.items():
            path = self.tmp / name
            path.write_text(text)
            error = self.assertRaises(
                SnapshotFormatError, loader.load_snapshot, str(path),
                Config(use_cache=False),
            )
            self.assertEqual(2, error.exit_code, name)
            self.assertEqual(str(path), error.path, name)

    def test_directory_target(self) -> None:
        dist = self.make_dist('fixture-dist', '2.0', {
            'fixture_dist/__init__.py': 'from ._core import run\n',
            'fixture_dist/_core.py': 'def run(x, *, fast=False): pass\n',
        })
        config = Config.from_environ()
        for target in (str(dist.wheel), str(dist.tree)):
            snap = loader.load_snapshot(target, config)
            self.assertTrue(snap.complete, target)
            self.assertIn('run', snap.modules['fixture_dist'].exports)
            self.assertEqual('2.0', snap.version, target)
