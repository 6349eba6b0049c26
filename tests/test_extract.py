"""Static extraction: one case per rule of the public-surface contract."""

from __future__ import annotations

from collections.abc import Mapping
import json
import pathlib

from symbiosis.api._extract import parallel
from symbiosis.api._extract import snapshot as extract
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._model import Module
from symbiosis.api._model import ParameterKind
from symbiosis.api._model import Snapshot
from symbiosis.config import Config
from symbiosis.sources._base import SourceTree
from tests import base

ROOT = pathlib.Path(__file__).resolve().parent.parent


class ExtractTestCase(base.TestCase):
    """Helpers: write a tree, extract it."""

    def snapshot(
        self,
        files: Mapping[str, str],
        top_level: tuple[str, ...] = ('pkg',),
        **kwargs: object,
    ) -> Snapshot:
        root = self.write_tree(files)
        tree = SourceTree(target='t', root=root, top_level=top_level,
                          **kwargs)  # type: ignore[arg-type]
        return extract.extract_snapshot(tree, Config(use_cache=False))

    def module(self, files: Mapping[str, str], name: str = 'pkg') -> Module:
        return self.snapshot(files).modules[name]

    def check_exports(
        self, cases: list[tuple[str, Mapping[str, str], str, list[str]]]
    ) -> None:
        for label, files, module, expected in cases:
            got = list(self.module(files, module).exports)
            self.assertEqual(expected, got, f'case {label!r}')


class TestPublicSurface(ExtractTestCase):

    def test_dunder_all_forms(self) -> None:
        init = 'pkg/__init__.py'
        self.check_exports([
            ('literal list', {init: "__all__ = ['a', 'b']\na = b = 1\n"},
             'pkg', ['a', 'b']),
            ('literal tuple', {init: "__all__ = ('b', 'a')\n"},
             'pkg', ['b', 'a']),
            ('augmented', {init: "__all__ = ['a']\n__all__ += ['b']\n"},
             'pkg', ['a', 'b']),
            ('extend', {init: "__all__ = ['a']\n__all__.extend(['c'])\n"},
             'pkg', ['a', 'c']),
            ('append', {init: "__all__ = []\n__all__.append('z')\n"},
             'pkg', ['z']),
            ('annotated', {init: "__all__: list[str] = ['q']\n"},
             'pkg', ['q']),
            ('duplicates kept once', {init: "__all__ = ['a', 'a']\n"},
             'pkg', ['a']),
            ('concatenated submodules', {
                init: (
                    'from . import one, two\n'
                    'from .one import *\n'
                    'from .two import *\n'
                    "__all__ = one.__all__ + two.__all__ + ['extra']\n"
                    'extra = 1\n'
                ),
                'pkg/one.py': "__all__ = ['A']\nA = 1\n",
                'pkg/two.py': "__all__ = ('B',)\n__all__ += ['C']\n",
            }, 'pkg', ['A', 'B', 'C', 'extra']),
            ('concatenation via +=', {
                init: (
                    'from pkg import one\n'
                    "__all__ = ['x']\n"
                    '__all__ += one.__all__\n'
                ),
                'pkg/one.py': "__all__ = ['A']\n",
            }, 'pkg', ['x', 'A']),
        ])

    def test_no_dunder_all_conventions(self) -> None:
        files = {
            'pkg/__init__.py': (
                'import os\n'
                'import json as json\n'
                'from collections import OrderedDict\n'
                'from typing import Any as Any\n'
                'from ._impl import Client\n'
                'from pkg.errors import Error\n'
                'from . import errors\n'
                'import pkg.errors\n'
                'def public(): pass\n'
                'def _private(): pass\n'
                'class Thing: pass\n'
                'CONST = 1\n'
                'annotated: int = 2\n'
                '_hidden = 3\n'
            ),
            'pkg/_impl.py': 'class Client: pass\n',
            'pkg/errors.py': (
                'import logging\n'
                'from pkg._impl import Client\n'
                'from ._impl import Client as Client2\n'
                'from pkg._impl import Client as Client\n'
                'class Error(Exception): pass\n'
            ),
        }
        snap = self.snapshot(files)
        init = snap.modules['pkg']
        self.assertEqual(
            ['json', 'Any', 'Client', 'Error', 'errors', 'public', 'Thing',
             'CONST', 'annotated'],
            list(init.exports),
        )
        # Every binding is a member, imports as aliases.
        self.assertIn('os', init.members)
        self.assertIn('_private', init.members)
        os_alias = init.members['os']
        self.assertIsInstance(os_alias, Alias)
        assert isinstance(os_alias, Alias)
        self.assertEqual(('os', False), (os_alias.target, os_alias.internal))
        client = init.members['Client']
        assert isinstance(client, Alias)
        self.assertEqual(('pkg._impl.Client', True),
                         (client.target, client.internal))
        ordered = init.members['OrderedDict']
        assert isinstance(ordered, Alias)
        self.assertEqual('collections.OrderedDict', ordered.target)
        # A plain module re-exports only the explicit idiom.
        errors = snap.modules['pkg.errors']
        self.assertEqual(['Client', 'Error'], list(errors.exports))
        self.assertEqual(Snapshot, type(snap))
        self.assertIsNotNone(snap.resolve('pkg.Client'))
        self.assertIsInstance(snap.resolve('pkg.Client'), Class)

    def test_relative_imports_in_packages_and_modules(self) -> None:
        snap = self.snapshot({
            'pkg/__init__.py': 'from .sub import thing\n',
            'pkg/sub/__init__.py': (
                'from .mod import thing\nfrom .. import top\n'
            ),
            'pkg/sub/mod.py': (
                'from . import sibling\nfrom ..x import y\n'
                'from .... import too_far\nthing = 1\n'
            ),
            'pkg/sub/sibling.py': '',
        })
        targets = {
            (m, n): a.target
            for m in ('pkg', 'pkg.sub', 'pkg.sub.mod')
            for n, a in snap.modules[m].members.items()
            if isinstance(a, Alias)
        }
        self.assertEqual('pkg.sub.thing', targets['pkg', 'thing'])
        self.assertEqual('pkg.sub.mod.thing', targets['pkg.sub', 'thing'])
        self.assertEqual('pkg.top', targets['pkg.sub', 'top'])
        self.assertEqual('pkg.sub.sibling', targets['pkg.sub.mod', 'sibling'])
        self.assertEqual('pkg.x.y', targets['pkg.sub.mod', 'y'])
        self.assertEqual('....too_far', targets['pkg.sub.mod', 'too_far'])
        # ``from . import sibling`` is an explicit re-export everywhere.
        self.assertEqual(['sibling'], list(
            snap.modules['pkg.sub.mod'].exports)[:1])

    def test_star_imports(self) -> None:
        snap = self.snapshot({
            'pkg/__init__.py': 'from .a import *\nfrom .b import *\n',
            'pkg/a.py': "__all__ = ['A1']\nA1 = 1\nA2 = 2\n",
            'pkg/b.py': 'from .c import *\nB = 1\n_b = 2\n',
            'pkg/c.py': 'from .b import *\nC = 3\n',
            'pkg/d.py': 'from os.path import *\nD = 1\n',
        })
        self.assertEqual(['A1', 'B', 'C'], list(snap.modules['pkg'].exports))
        alias = snap.modules['pkg'].members['C']
        assert isinstance(alias, Alias)
        self.assertEqual('pkg.b.C', alias.target)
        self.assertTrue(alias.internal)
        # The cycle b <-> c terminates, each gets the other's names.
        self.assertIn('C', snap.modules['pkg.b'].exports)
        self.assertIn('B', snap.modules['pkg.c'].exports)
        # Star import of an external module: its names are unknown.
        self.assertEqual(['D'], list(snap.modules['pkg.d'].exports))
        self.assertIsInstance(snap.resolve('pkg.C'), Attribute)

    def test_package_directory_beats_module_file(self) -> None:
        snap = self.snapshot({
            'pkg/__init__.py': '',
            'pkg/sub.py': 'FROM_FILE = 1\n',
            'pkg/sub/__init__.py': 'FROM_DIR = 1\n',
            'pkg/ns.py': 'FROM_MODULE = 1\n',
            'pkg/ns/inner.py': 'X = 1\n',
            'pkg/space/leaf.py': 'Y = 1\n',
        })
        sub = snap.modules['pkg.sub']
        self.assertEqual('pkg/sub/__init__.py', sub.file)
        self.assertTrue(sub.is_package)
        self.assertEqual(['FROM_DIR'], list(sub.exports))
        # A directory without __init__ loses to the module file...
        self.assertEqual('pkg/ns.py', snap.modules['pkg.ns'].file)
        self.assertNotIn('pkg.ns.inner', snap.modules)
        # ...and is a namespace portion otherwise.
        self.assertIn('pkg.space.leaf', snap.modules)

    def test_branches_union_and_del(self) -> None:
        module = self.module({'pkg/__init__.py': '''
            import sys
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from collections.abc import Sequence
                from ._types import Hint
            try:
                from ._speedups import fast
            except ImportError:
                def fast(): pass
                def fallback(): pass
            if sys.version_info >= (3, 11):
                def new_api(x): pass
            else:
                def new_api(x, y): pass
                OLD = 1
            with open('x') as f:
                WITH = 1
            for _i in range(3):
                LOOPED = 1
            temp = 1
            del temp, _i
            '''})
        for name in ('Sequence', 'Hint', 'fast', 'fallback', 'new_api',
                     'OLD', 'WITH', 'LOOPED'):
            self.assertIn(name, module.members, name)
        self.assertNotIn('temp', module.members)
        self.assertIn('Hint', module.exports)  # internal, in __init__
        self.assertNotIn('Sequence', module.exports)
        self.assertIn('fast', module.exports)
        # The last branch's definition wins.
        new_api = module.members['new_api']
        assert isinstance(new_api, Function)
        self.assertEqual(2, len(new_api.parameters))

    def test_module_getattr(self) -> None:
        snap = self.snapshot({
            'pkg/__init__.py': '''
                import warnings
                _MOVED = {'OldName': 'pkg.new.NewName', 'Other': None}
                def __getattr__(name):
                    if name in _MOVED:
                        warnings.warn(f'{name} moved', DeprecationWarning)
                        return _MOVED[name]
                    if name == 'lazy':
                        return 1
                    raise AttributeError(name)
                ''',
            'pkg/plain.py': '''
                def __getattr__(name):
                    raise AttributeError(name)
                ''',
        })
        module = snap.modules['pkg']
        self.assertTrue(module.has_getattr)
        old = module.members['OldName']
        assert isinstance(old, Alias)
        self.assertEqual('pkg.new.NewName', old.target)
        assert old.deprecation is not None
        self.assertEqual('module-getattr', old.deprecation.marker)
        self.assertIsInstance(module.members['Other'], Attribute)
        self.assertIn('lazy', module.members)
        self.assertEqual(['OldName', 'Other', 'lazy'],
                         [n for n in module.exports if n != 'warnings'])
        self.assertTrue(snap.modules['pkg.plain'].has_getattr)
        self.assertEqual([], list(snap.modules['pkg.plain'].exports))


class TestFiles(ExtractTestCase):

    def test_stub_takes_precedence(self) -> None:
        snap = self.snapshot({
            'pkg/__init__.py': 'def f(a, b): pass\n',
            'pkg/__init__.pyi': 'def f(a: int) -> int: ...\n',
            'pkg/mod.py': 'X = 1\n',
            'pkg/mod.pyi': 'Y: int\n',
        })
        f = snap.modules['pkg'].members['f']
        assert isinstance(f, Function)
        self.assertEqual('pkg/__init__.pyi', snap.modules['pkg'].file)
        self.assertEqual(['a'], [p.name for p in f.parameters])
        # The code beside the stub says what calls really bind, and which
        # names it makes public (a stub may leave some out).
        assert f.runtime is not None
        self.assertEqual(['a', 'b'], [p.name for p in f.runtime.parameters])
        self.assertEqual(('Y', 'X'), snap.modules['pkg.mod'].exports)
        self.assertEqual(['Y', 'X'], list(snap.modules['pkg.mod'].members))

    def test_opaque_extension(self) -> None:
        root = self.write_tree({'pkg/__init__.py': '',
                                'pkg/typed.pyi': 'def g() -> None: ...\n'})
        so = 'cpython-311-x86_64-linux-gnu.so'
        (root / 'pkg' / f'_speedups.{so}').write_bytes(b'\x7fELF\0\0')
        (root / 'pkg' / f'typed.{so}').write_bytes(b'\x7fELF\0\0')
        (root / 'pkg' / 'win.pyd').write_bytes(b'MZ\0')
        snap = extract.extract_snapshot(
            SourceTree('t', root, ('pkg',)), Config(use_cache=False)
        )
        speedups = snap.modules['pkg._speedups']
        self.assertTrue(speedups.opaque)
        self.assertEqual(f'pkg/_speedups.{so}', speedups.file)
        self.assertTrue(snap.modules['pkg.win'].opaque)
        self.assertFalse(snap.modules['pkg.typed'].opaque)
        self.assertFalse(snap.complete)
        self.assertEqual((), snap.errors)

    def test_single_module_distribution(self) -> None:
        snap = self.snapshot({'solo.py': 'def run(): pass\n',
                              'other.py': 'X = 1\n'}, top_level=('solo',))
        self.assertEqual(['solo'], list(snap.modules))
        self.assertEqual('solo.py', snap.modules['solo'].file)
        self.assertEqual('solo', snap.name)

    def test_unreadable_files_become_errors(self) -> None:
        cases = [
            ('syntax', b'def broken(:\n    pass\n', 'syntax error'),
            ('undecodable', b'X = "\xff\xfe"\n', 'undecodable'),
            ('bad cookie', b'# -*- coding: nope -*-\nX = 1\n', ''),
            ('null byte', b'X = 1\0\n', ''),
            ('nesting', b'x = ' + b'(' * 5000 + b')' * 5000 + b'\n', ''),
        ]
        for label, source, message in cases:
            root = self.tmp / label.replace(' ', '_')
            (root / 'pkg').mkdir(parents=True)
            (root / 'pkg' / '__init__.py').write_text('OK = 1\n')
            (root / 'pkg' / 'bad.py').write_bytes(source)
            snap = extract.extract_snapshot(
                SourceTree('t', root, ('pkg',)), Config(use_cache=False)
            )
            bad = snap.modules['pkg.bad']
            self.assertFalse(snap.complete, label)
            self.assertEqual(1, len(bad.errors), label)
            self.assertEqual(bad.errors, snap.errors, label)
            error = bad.errors[0]
            self.assertEqual(('pkg/bad.py', 'pkg.bad'),
                             (error.file, error.module), label)
            self.assertIn(message, error.message, label)
            self.assertEqual({}, dict(bad.members), label)
            self.assertEqual(['OK'], list(snap.modules['pkg'].exports))

    def test_encodings(self) -> None:
        root = self.tmp / 'enc'
        (root / 'pkg').mkdir(parents=True)
        (root / 'pkg' / '__init__.py').write_bytes(
            b'# -*- coding: latin-1 -*-\nNAME = "caf\xe9"\n'
        )
        (root / 'pkg' / 'bom.py').write_bytes(
            b'\xef\xbb\xbfGREETING = "h\xc3\xa9"\n'
        )
        snap = extract.extract_snapshot(
            SourceTree('t', root, ('pkg',)), Config(use_cache=False)
        )
        self.assertTrue(snap.complete)
        name = snap.modules['pkg'].members['NAME']
        assert isinstance(name, Attribute)
        self.assertEqual("'caf\xe9'", name.value)
        greeting = snap.modules['pkg.bom'].members['GREETING']
        assert isinstance(greeting, Attribute)
        self.assertEqual("'h\xe9'", greeting.value)

    def test_metadata_from_tree(self) -> None:
        snap = self.snapshot(
            {'pkg/__init__.py': ''}, name='Pkg-Dist', version='1.2',
            requires_python='>=3.10', extras=('fast',),
            entry_points={'console_scripts': {'pkg': 'pkg:main'}},
        )
        self.assertEqual(
            ('Pkg-Dist', '1.2', '>=3.10', ('fast',),
             {'console_scripts': {'pkg': 'pkg:main'}}, 't'),
            (snap.name, snap.version, snap.requires_python, snap.extras,
             snap.entry_points, snap.source),
        )


class TestObjects(ExtractTestCase):

    def test_classes(self) -> None:
        snap = self.snapshot({
            'pkg/__init__.py': '',
            'pkg/errors.py': 'class BaseError(Exception): pass\n',
            'pkg/mod.py': '''
                import abc
                import enum
                import functools
                from enum import IntEnum
                from typing import final, overload, Generic, TypeVar
                from pkg import errors
                import dataclasses
                T = TypeVar('T')

                class Meta(type): pass

                @final
                class Thing(errors.BaseError, Generic[T], metaclass=Meta):
                    """Doc."""
                    LIMIT = 10
                    label: str = 'x'
                    pending: int

                    def __init__(self, a):
                        self.public = a
                        self._private = a
                        self.LIMIT = 3
                        if a:
                            self.maybe: int = 1

                    def helper(self):
                        self.late = 1

                    @property
                    def size(self) -> int: return 1

                    @size.setter
                    def size(self, value): pass

                    @functools.cached_property
                    def cached(self): return 1

                    @classmethod
                    def make(cls): pass

                    @staticmethod
                    def util(): pass

                    @abc.abstractmethod
                    def must(self): pass

                    @overload
                    def get(self, key: int) -> int: ...
                    @overload
                    def get(self, key: str) -> str: ...
                    def get(self, key): pass

                    fetch = get

                    async def run(self): pass

                    class Inner:
                        def deep(self): pass

                class Color(enum.Enum):
                    RED = 1
                    GREEN = 'g'
                    _ignore_ = ['x']
                    def describe(self): pass

                class Level(IntEnum):
                    LOW = -1

                class Shade(Color): pass

                @dataclasses.dataclass(frozen=True)
                class Point:
                    x: int
                    y: int = 0
                ''',
        })
        mod = snap.modules['pkg.mod']
        thing = mod.members['Thing']
        assert isinstance(thing, Class)
        self.assertEqual(
            ('pkg.errors.BaseError', 'typing.Generic[T]'), thing.bases
        )
        self.assertEqual('pkg.mod.Meta', thing.metaclass)
        self.assertEqual(frozenset({'final'}), thing.decorators)
        members = thing.members
        self.assertEqual(
            {'LIMIT', 'label', 'pending', '__init__', 'public', 'maybe',
             'helper', 'size', 'cached', 'make', 'util', 'must', 'get',
             'fetch', 'run', 'Inner'},
            set(members),
        )
        public = members['public']
        assert isinstance(public, Attribute)
        self.assertTrue(public.instance)
        maybe = members['maybe']
        assert isinstance(maybe, Attribute)
        self.assertEqual('int', maybe.annotation)
        limit = members['LIMIT']
        assert isinstance(limit, Attribute)
        self.assertEqual(('10', False), (limit.value, limit.instance))
        label = members['label']
        assert isinstance(label, Attribute)
        self.assertEqual(("'x'", 'str'), (label.value, label.annotation))

        def decorators(name: str) -> frozenset[str]:
            member = members[name]
            assert isinstance(member, Function)
            return member.decorators

        self.assertEqual({'property', 'setter'}, decorators('size'))
        self.assertEqual({'cached_property'}, decorators('cached'))
        self.assertEqual({'classmethod'}, decorators('make'))
        self.assertEqual({'staticmethod'}, decorators('util'))
        self.assertEqual({'abstractmethod'}, decorators('must'))
        get = members['get']
        assert isinstance(get, Function)
        self.assertEqual(2, len(get.overloads))
        self.assertEqual(['int', 'str'],
                         [o.returns for o in get.overloads])
        self.assertIsNone(get.signature.returns)
        fetch = members['fetch']
        assert isinstance(fetch, Function)
        self.assertEqual('pkg.mod.Thing.fetch', fetch.path)
        run = members['run']
        assert isinstance(run, Function)
        self.assertTrue(run.is_async)
        inner = members['Inner']
        assert isinstance(inner, Class)
        self.assertEqual('pkg.mod.Thing.Inner.deep',
                         inner.members['deep'].path)

        color = mod.members['Color']
        assert isinstance(color, Class)
        self.assertTrue(color.is_enum)
        enum_members = {
            n: m.value for n, m in color.members.items()
            if isinstance(m, Attribute) and m.enum_member
        }
        self.assertEqual({'RED': '1', 'GREEN': "'g'"}, enum_members)
        level = mod.members['Level']
        assert isinstance(level, Class)
        self.assertTrue(level.is_enum)
        low = level.members['LOW']
        assert isinstance(low, Attribute)
        self.assertEqual('-1', low.value)
        shade = mod.members['Shade']
        assert isinstance(shade, Class)
        self.assertTrue(shade.is_enum)
        point = mod.members['Point']
        assert isinstance(point, Class)
        self.assertEqual({'dataclass'}, point.decorators)
        y = point.members['y']
        assert isinstance(y, Attribute)
        self.assertEqual(('int', '0'), (y.annotation, y.value))

    def test_stub_overloads_without_implementation(self) -> None:
        module = self.module({'pkg/__init__.pyi': '''
            from typing import overload
            @overload
            def f(x: int) -> int: ...
            @overload
            def f(x: str) -> str: ...
            '''})
        f = module.members['f']
        assert isinstance(f, Function)
        self.assertEqual('str', f.signature.returns)
        self.assertEqual(2, len(f.overloads))

    def test_enum_base_from_another_module(self) -> None:
        snap = self.snapshot({
            'pkg/__init__.py': 'from .base import Base\n',
            'pkg/base.py': 'import enum\nclass Base(enum.Flag): pass\n',
            'pkg/more.py': ('from pkg import Base\n'
                            'class More(Base):\n    A = 1\n'),
        })
        more = snap.modules['pkg.more'].members['More']
        assert isinstance(more, Class)
        self.assertTrue(more.is_enum)
        a = more.members['A']
        assert isinstance(a, Attribute)
        self.assertTrue(a.enum_member)

    def test_parameters(self) -> None:
        module = self.module({'pkg/__init__.py': '''
            def f(a, b: int = 1, /, c=None, *args: str, d, e=-2.5,
                  f: 'Fwd' = (1, 'x'), **kwargs: object) -> dict[str, int]:
                pass
            async def g(x=lambda: 1, y={'k': [1, 2]}, z=...): pass
            '''})
        f = module.members['f']
        assert isinstance(f, Function)
        got = [(p.name, p.kind, p.default, p.annotation)
               for p in f.parameters]
        K = ParameterKind
        self.assertEqual([
            ('a', K.POSITIONAL_ONLY, None, None),
            ('b', K.POSITIONAL_ONLY, '1', 'int'),
            ('c', K.POSITIONAL_OR_KEYWORD, 'None', None),
            ('args', K.VAR_POSITIONAL, None, 'str'),
            ('d', K.KEYWORD_ONLY, None, None),
            ('e', K.KEYWORD_ONLY, '-2.5', None),
            ('f', K.KEYWORD_ONLY, "(1, 'x')", "'Fwd'"),
            ('kwargs', K.VAR_KEYWORD, None, 'object'),
        ], got)
        self.assertEqual('dict[str, int]', f.signature.returns)
        self.assertFalse(f.is_async)
        g = module.members['g']
        assert isinstance(g, Function)
        self.assertTrue(g.is_async)
        self.assertEqual(['lambda: 1', "{'k': [1, 2]}", '...'],
                         [p.default for p in g.parameters])

    def test_constants(self) -> None:
        module = self.module({'pkg/__init__.py': '''
            from typing import Final
            import os
            INT = 42
            NEG = -1
            FLOAT = 1.5
            TEXT = "it's"
            DATA = b'\\x00'
            FLAGS = True, False, None
            ITEMS = [1, (2, 3), {4}]
            MAPPING = {'a': 1, 'b': [2]}
            LIMIT: Final = 10
            TYPED: Final[int] = 11
            COMPUTED = os.getcwd()
            NAMED = INT
            A, B = 1, 2
            ALIAS = os.path.join
            '''})

        def value(name: str) -> str | None:
            member = module.members[name]
            assert isinstance(member, Attribute), name
            return member.value

        self.assertEqual('42', value('INT'))
        self.assertEqual('-1', value('NEG'))
        self.assertEqual('1.5', value('FLOAT'))
        self.assertEqual('"it\'s"', value('TEXT'))
        self.assertEqual("b'\\x00'", value('DATA'))
        self.assertEqual('(True, False, None)', value('FLAGS'))
        self.assertEqual('[1, (2, 3), {4}]', value('ITEMS'))
        self.assertEqual("{'a': 1, 'b': [2]}", value('MAPPING'))
        self.assertEqual('10', value('LIMIT'))
        limit = module.members['LIMIT']
        assert isinstance(limit, Attribute)
        self.assertTrue(limit.final)
        typed = module.members['TYPED']
        assert isinstance(typed, Attribute)
        self.assertTrue(typed.final)
        self.assertIsNone(value('COMPUTED'))
        self.assertIsNone(value('NAMED'))
        self.assertIsNone(value('A'))
        alias = module.members['ALIAS']
        assert isinstance(alias, Alias)
        self.assertEqual('os.path.join', alias.target)
        self.assertIn('ALIAS', module.exports)


class TestSnapshotAndCache(ExtractTestCase):

    FILES = {
        'pkg/__init__.py': (
            "from ._impl import *\n__all__ = ['Client', 'VERSION']\n"
            "VERSION = '1.0'\n"
        ),
        'pkg/_impl.py': (
            'class Client:\n    def get(self, key: str = "k") -> int: ...\n'
        ),
        'pkg/broken.py': 'def (\n',
    }

    def test_json_round_trip(self) -> None:
        snap = self.snapshot(self.FILES)
        data = json.loads(json.dumps(snap.to_json()))
        self.assertEqual(snap, Snapshot.from_json(data))
        self.assertFalse(data['complete'])

    def test_warm_cache_skips_parsing(self) -> None:
        root = self.write_tree(self.FILES)
        tree = SourceTree('t', root, ('pkg',), name='pkg', version='1')
        config = Config(cache_dir=self.tmp / 'cache')
        cold = extract.ExtractStats()
        first = extract.extract_snapshot(tree, config, stats=cold)
        self.assertEqual((3, 3, 0, False),
                         (cold.files, cold.parsed, cold.cache_hits,
                          cold.manifest_hit))
        warm = extract.ExtractStats()
        second = extract.extract_snapshot(tree, config, stats=warm)
        self.assertEqual(first, second)
        self.assertEqual((0, 3, True),
                         (warm.parsed, warm.cache_hits, warm.manifest_hit))
        # The same files elsewhere: the tree entry misses, per-file hits.
        other = self.write_tree(self.FILES, root='copy')
        copy = extract.ExtractStats()
        third = extract.extract_snapshot(
            SourceTree('t', other, ('pkg',), name='pkg', version='1'),
            config, stats=copy,
        )
        self.assertEqual(first, third)
        self.assertEqual((0, 3, False),
                         (copy.parsed, copy.cache_hits, copy.manifest_hit))
        # A changed file is parsed again, alone.
        (other / 'pkg' / '_impl.py').write_text('class Client: pass\n')
        changed = extract.ExtractStats()
        fourth = extract.extract_snapshot(
            SourceTree('t', other, ('pkg',), name='pkg', version='1'),
            config, stats=changed,
        )
        self.assertEqual((1, 2), (changed.parsed, changed.cache_hits))
        self.assertNotEqual(first, fourth)

    def test_damaged_cache_entries_are_misses(self) -> None:
        root = self.write_tree(self.FILES)
        tree = SourceTree('t', root, ('pkg',))
        config = Config(cache_dir=self.tmp / 'cache')
        first = extract.extract_snapshot(tree, config)
        for entry in (self.tmp / 'cache').rglob('*.pickle'):
            entry.write_bytes(b'garbage')
        database = self.tmp / 'cache' / 'extract' / 'modules.sqlite'
        self.assertTrue(database.is_file())
        database.write_bytes(database.read_bytes()[:100])  # truncated
        stats = extract.ExtractStats()
        self.assertEqual(first, extract.extract_snapshot(tree, config,
                                                         stats=stats))
        self.assertEqual(3, stats.parsed)
        # The damaged database was replaced: the next run parses nothing.
        (root / 'pkg' / '__init__.py').touch()
        again = extract.ExtractStats()
        self.assertEqual(first, extract.extract_snapshot(tree, config,
                                                         stats=again))
        self.assertEqual((0, 3, False),
                         (again.parsed, again.cache_hits,
                          again.manifest_hit))

    def test_damaged_module_entry_is_a_miss(self) -> None:
        import sqlite3

        root = self.write_tree(self.FILES)
        tree = SourceTree('t', root, ('pkg',))
        config = Config(cache_dir=self.tmp / 'cache')
        first = extract.extract_snapshot(tree, config)
        database = self.tmp / 'cache' / 'extract' / 'modules.sqlite'
        with sqlite3.connect(database) as conn:
            conn.execute("UPDATE entries SET data = x'80'")
        conn.close()
        stats = extract.ExtractStats()
        self.assertEqual(first, extract.extract_snapshot(tree, config,
                                                         stats=stats))
        # The manifest's entries are unreadable: every file is parsed.
        self.assertEqual((3, 0, False),
                         (stats.parsed, stats.cache_hits,
                          stats.manifest_hit))

    def test_dump_text_is_cached_with_the_snapshot(self) -> None:
        from symbiosis.api._extract import dump

        root = self.write_tree(self.FILES)
        tree = SourceTree('t', root, ('pkg',), name='pkg', version='1')
        config = Config(cache_dir=self.tmp / 'cache')
        cold_times, warm_times = dump.DumpTimes(), dump.DumpTimes()
        cold = dump.dump_tree(tree, config, times=cold_times)
        warm = dump.dump_tree(tree, config, times=warm_times)
        self.assertEqual((False, True),
                         (cold_times.cached, warm_times.cached))
        self.assertEqual(cold, warm)
        expected = extract.extract_snapshot(tree, Config(use_cache=False))
        self.assertEqual(json.dumps(expected.to_json(),
                                    separators=(',', ':')) + '\n',
                         warm.text)
        self.assertEqual(expected, Snapshot.from_json(json.loads(warm.text)))
        self.assertFalse(warm.complete)
        self.assertEqual(['pkg/broken.py'], [e.file for e in warm.errors])
        # Another format is another entry.
        indented = dump.dump_tree(tree, config, indent=2)
        self.assertEqual(json.dumps(expected.to_json(), indent=2) + '\n',
                         indented.text)
        # A changed file invalidates the text with the snapshot.
        (root / 'pkg' / '_impl.py').write_text('class Client: pass\n')
        times = dump.DumpTimes()
        changed = dump.dump_tree(tree, config, times=times)
        self.assertFalse(times.cached)
        self.assertNotIn('"get"', changed.text)

    def test_parallel_with_fork_and_spawn(self) -> None:
        import multiprocessing

        files = {'pkg/__init__.py': 'from .m0 import *\n'}
        for i in range(40):
            files[f'pkg/m{i}.py'] = (
                f'def f{i}(a, b={i}): pass\nclass C{i}: X = {i}\n'
            )
        root = self.write_tree(files)
        tree = SourceTree('t', root, ('pkg',))
        expected = extract.extract_snapshot(tree, Config(use_cache=False))
        found = extract.find_module_files(root, ('pkg',))
        jobs = [(f.path, f.rel, f.module, f.is_package, None)
                for f in found]
        sizes = [f.stamp[0] for f in found]
        for method in ('fork', 'spawn'):
            for version in (None, extract.EXTRACTOR_VERSION):
                results, entries = parallel.run_parallel(
                    jobs, sizes, ('pkg',), version, 2,
                    multiprocessing.get_context(method),
                )
                self.assertEqual(
                    {n: m for n, m in expected.modules.items()
                     if n != 'pkg'},
                    {r[0].name: r[0] for r in results.values()
                     if r[0].name != 'pkg'},
                    method,
                )
                # One cache entry per file when caching.
                self.assertEqual(0 if version is None else len(jobs),
                                 len(entries))

    def test_parallel_path_of_extract_snapshot(self) -> None:
        files = {f'pkg/m{i}.py': f'X{i} = {i}\n' for i in range(80)}
        files['pkg/__init__.py'] = ''
        root = self.write_tree(files)
        tree = SourceTree('t', root, ('pkg',))
        serial = extract.extract_snapshot(
            tree, Config(use_cache=False, workers=1)
        )
        stats = extract.ExtractStats()
        parallel = extract.extract_snapshot(
            tree, Config(cache_dir=self.tmp / 'cache', workers=2),
            stats=stats,
        )
        self.assertEqual(2, stats.processes)
        self.assertEqual(serial, parallel)
        self.assertEqual(81, len(parallel.modules))

    def test_dogfood(self) -> None:
        tree = SourceTree('symbiosis', ROOT, ('symbiosis',))
        snap = extract.extract_snapshot(tree, Config(use_cache=False))
        self.assertTrue(snap.complete, [str(e) for e in snap.errors])
        load = snap.resolve('symbiosis.api.load')
        self.assertIsInstance(load, Function)
        self.assertIn('load', snap.modules['symbiosis.api'].exports)

    def test_extract_module_is_pure(self) -> None:
        source = b'from . import x\ndef f(): pass\n'
        one = extract.extract_module('pkg/m.py', 'pkg.m', source, False,
                                     ('pkg',))
        two = extract.extract_module('pkg/m.py', 'pkg.m', source, False,
                                     ('pkg',))
        self.assertEqual(one, two)
        alias = one.members['x']
        assert isinstance(alias, Alias)
        self.assertEqual(('pkg.x', True), (alias.target, alias.internal))
