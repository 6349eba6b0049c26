"""Names a module ``__getattr__`` serves are public API (PEP 562)."""

from __future__ import annotations

from symbiosis import api
from symbiosis.api._extract.snapshot import extract_snapshot
from symbiosis.config import Config
from symbiosis.sources._base import SourceTree
from tests import base

_V1 = '''
import warnings

__all__ = ['new']


def new():
    pass


def __getattr__(name):
    if name == 'old_name':
        warnings.warn('old_name is deprecated since 1.2; use new',
                      DeprecationWarning)
        return new
    raise AttributeError(name)
'''

_V2 = '''
__all__ = ['new']


def new():
    pass
'''


class TestServedNames(base.TestCase):
    def _snapshot(self, text: str, root: str) -> api.Snapshot:
        tree = self.write_tree({'pkg/__init__.py': text}, root=root)
        return extract_snapshot(
            SourceTree(target=root, root=tree, top_level=('pkg',),
                       name='pkg', version=root),
            Config(use_cache=False),
        )

    def test_served_name_is_exported_despite_all(self) -> None:
        module = self._snapshot(_V1, '1.0').modules['pkg']
        self.assertEqual(('new', 'old_name'), module.exports)
        member = module.members['old_name']
        self.assertIsNotNone(member.deprecation)

    def test_removing_the_shim_is_a_removal_after_deprecation(self) -> None:
        old = self._snapshot(_V1, '1.0')
        new = self._snapshot(_V2, '2.0')
        changes = {(c.kind, c.path) for c in api.diff(old, new).changes}
        self.assertIn(('removed-after-deprecation', 'pkg.old_name'), changes)


class TestOneObjectManyPaths(base.TestCase):
    def _snapshot(self, files: dict[str, str], root: str) -> api.Snapshot:
        tree = self.write_tree(files, root=root)
        return extract_snapshot(
            SourceTree(target=root, root=tree, top_level=('pkg',),
                       name='pkg', version=root),
            Config(use_cache=False),
        )

    def test_a_reexported_object_is_reported_once(self) -> None:
        old = self._snapshot({
            'pkg/__init__.py': 'from pkg.client import Client, helper\n',
            'pkg/client.py': 'class Client:\n    pass\n\n\n'
                             'def helper():\n    pass\n',
        }, 'old')
        new = self._snapshot({
            'pkg/__init__.py': 'from pkg.client import helper\n'
                               'from pkg.client import fresh\n',
            'pkg/client.py': 'def helper():\n    pass\n\n\n'
                             'def fresh():\n    pass\n',
        }, 'new')
        changes = api.diff(old, new).changes
        removed = [c for c in changes if c.kind.startswith('removed')]
        self.assertEqual(['pkg.Client'], [c.path for c in removed])
        self.assertIn('(also as pkg.client.Client)', removed[0].message)
        added = [c for c in changes if c.kind == 'name-added']
        self.assertEqual(['pkg.fresh'], [c.path for c in added])
        self.assertIn('(also as pkg.client.fresh)', added[0].message)
        self.assertEqual(('pkg.client.Client',), removed[0].also)
        self.assertEqual(['pkg.client.fresh'], added[0].to_json()['also'])
        self.assertEqual(removed[0], type(removed[0]).from_json(
            removed[0].to_json()))

    def test_a_change_inside_a_reexported_object_names_its_paths(
            self) -> None:
        files = {
            'pkg/__init__.py': 'from pkg.client import Client\n',
            'pkg/client.py': 'class Client:\n'
                             '    def get(self, url, timeout=None):\n'
                             '        pass\n',
        }
        old = self._snapshot(files, 'old')
        files['pkg/client.py'] = files['pkg/client.py'].replace(
            ', timeout=None', '')
        new = self._snapshot(files, 'new')
        [change] = api.diff(old, new).changes
        self.assertEqual(('parameter-removed', 'pkg.Client.get',
                          ('pkg.client.Client.get',)),
                         (change.kind, change.path, change.also))

    def test_a_module_level_alias_is_hit_through_its_other_path(self) -> None:
        from symbiosis.usage import impact
        from symbiosis.usage._model import Use

        old = self._snapshot({
            'pkg/__init__.py': '',
            'pkg/ext.py': 'class WithExtension:\n    pass\n\n\n'
                          'with_ = WithExtension\n',
        }, 'old')
        new = self._snapshot({'pkg/__init__.py': '', 'pkg/ext.py': 'X = 1\n'},
                             'new')
        result = api.diff(old, new)
        removed = [c for c in result.changes if c.kind.startswith('removed')]
        self.assertEqual([('pkg.ext.WithExtension', ('pkg.ext.with_',))],
                         [(c.path, c.also) for c in removed])
        hits = impact([Use('pkg.ext.with_', 'a.py', 3, 'call')], result)
        self.assertEqual([('pkg.ext.with_', 'pkg.ext.WithExtension')],
                         [(h.path, h.change.path) for h in hits])
