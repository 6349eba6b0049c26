"""Reach and call: one v1/v2 pair per family of false breaks.

Each family has a compatible variant (nothing a user wrote stops working,
so no major change) and a breaking one (the break is still found). The
trees go through the real extractor; nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Mapping
import sys
from typing import Any

from symbiosis import api
from symbiosis.api._changes import Bump
from symbiosis.api._differ import Diff
from symbiosis.api._extract.snapshot import extract_snapshot
from symbiosis.api._settings import ApiSettings
from symbiosis.config import Config
from symbiosis.sources._base import SourceTree
from tests import base

MAJOR, MINOR, PATCH = Bump.MAJOR, Bump.MINOR, Bump.PATCH


class ReachCase(base.TestCase):
    """Builds snapshots of two versions of ``pkg`` and diffs them."""

    def snapshot(self, files: Mapping[str, str], version: str,
                 requires_python: str | None = None) -> api.Snapshot:
        root = self.write_tree(files, root=f'pkg-{version}')
        return extract_snapshot(
            SourceTree(target=version, root=root, top_level=('pkg',),
                       name='pkg', version=version,
                       requires_python=requires_python),
            Config(use_cache=False),
        )

    def diff(self, old: Mapping[str, str], new: Mapping[str, str],
             settings: ApiSettings | None = None, **kw: Any) -> Diff:
        from symbiosis.api._differ import diff_snapshots

        return diff_snapshots(
            self.snapshot(old, '1.0', kw.get('old_python')),
            self.snapshot(new, '2.0', kw.get('new_python')),
            settings=settings,
        )

    def majors(self, result: Diff) -> list[tuple[str, str]]:
        return [(c.kind, c.path) for c in result.active
                if c.severity is MAJOR]

    def kinds(self, result: Diff) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for change in result.active:
            found.setdefault(change.kind, []).append(change.path)
        return found

    def assertNoMajor(self, result: Diff) -> None:
        self.assertEqual(
            [], self.majors(result),
            [c.message for c in result.active if c.severity is MAJOR])


class TestInheritance(ReachCase):
    """1. Members moved into base classes are still members."""

    CHILD = {
        'pkg/__init__.py': 'from pkg.client import Client\n',
        'pkg/client.py': '''
            class Client:
                def get(self, url, timeout=None):
                    pass

                def close(self):
                    pass
            ''',
    }

    def test_moved_into_a_base_in_another_module(self) -> None:
        new = {
            'pkg/__init__.py': 'from pkg.client import Client\n',
            'pkg/base.py': '''
                class Base:
                    def get(self, url, timeout=None):
                        pass
                ''',
            'pkg/client.py': '''
                from pkg.base import Base

                class Client(Base):
                    def close(self):
                        pass
                ''',
        }
        result = self.diff(self.CHILD, new)
        self.assertNoMajor(result)
        self.assertNotIn('removed-without-deprecation', self.kinds(result))

    def test_moved_into_a_private_mixin_of_another_subpackage(self) -> None:
        new = {
            'pkg/__init__.py': 'from pkg.client import Client\n',
            'pkg/core/__init__.py': '',
            'pkg/core/_mixins.py': '''
                class Parent:
                    def close(self):
                        pass

                class _Mixin(Parent):
                    def get(self, url, timeout=None):
                        pass
                ''',
            'pkg/client.py': '''
                from pkg.core._mixins import _Mixin

                class Client(_Mixin):
                    pass
                ''',
        }
        result = self.diff(self.CHILD, new)
        self.assertEqual({'module-added': ['pkg.core']}, self.kinds(result))

    def test_inherited_method_changing_is_still_judged(self) -> None:
        new = {
            'pkg/__init__.py': 'from pkg.client import Client\n',
            'pkg/base.py': '''
                class Base:
                    def get(self, url):
                        pass
                ''',
            'pkg/client.py': '''
                from pkg.base import Base

                class Client(Base):
                    def close(self):
                        pass
                ''',
        }
        result = self.diff(self.CHILD, new)
        self.assertEqual([('parameter-removed', 'pkg.Client.get')],
                         self.majors(result))

    def test_removed_from_the_whole_hierarchy_is_a_removal(self) -> None:
        old = {
            'pkg/__init__.py': 'from pkg.client import Base, Client\n',
            'pkg/client.py': '''
                class Base:
                    def close(self):
                        pass

                class Client(Base):
                    pass
                ''',
        }
        new = {
            'pkg/__init__.py': 'from pkg.client import Base, Client\n',
            'pkg/client.py': '''
                class Base:
                    pass

                class Client(Base):
                    pass
                ''',
        }
        [change] = self.diff(old, new).active
        # Reported once, where it was defined, with every path it had.
        self.assertEqual('pkg.Base.close', change.path)
        self.assertIn('pkg.Client.close', change.also)
        self.assertIs(MAJOR, change.severity)

    def test_a_base_one_level_up_is_still_a_base(self) -> None:
        old = {'pkg/__init__.py': '''
            class Error(Exception):
                pass

            class NotFound(Error):
                pass
            '''}
        new = {'pkg/__init__.py': '''
            class Error(Exception):
                pass

            class LookupFailed(Error):
                pass

            class NotFound(LookupFailed):
                pass
            '''}
        result = self.diff(old, new)
        self.assertNotIn('class-base-removed', self.kinds(result))
        self.assertEqual(['pkg.NotFound'],
                         self.kinds(result)['class-base-added'])

    def test_a_lost_public_base_is_major(self) -> None:
        old = {'pkg/__init__.py': '''
            class Error(Exception):
                pass

            class NotFound(Error, KeyError):
                pass
            '''}
        new = {'pkg/__init__.py': '''
            class Error(Exception):
                pass

            class NotFound(Error):
                pass
            '''}
        [change] = self.diff(old, new).active
        self.assertEqual(('class-base-removed', 'pkg.NotFound', MAJOR),
                         (change.kind, change.path, change.severity))
        self.assertIn('KeyError', change.message)

    def test_a_private_intermediate_base_is_not_lost(self) -> None:
        old = {'pkg/__init__.py': '''
            class _Helper:
                pass

            class Client(_Helper):
                pass
            '''}
        new = {'pkg/__init__.py': '''
            class _Other:
                pass

            class Client(_Other):
                pass
            '''}
        self.assertEqual([], list(self.diff(old, new).active))

    def test_unknown_external_base_keeps_members_unknown(self) -> None:
        old = {'pkg/__init__.py': '''
            import requests

            class Session(requests.Session):
                def request(self, method, url):
                    pass
            '''}
        new = {'pkg/__init__.py': '''
            import requests

            class Session(requests.Session):
                pass
            '''}
        result = self.diff(old, new)
        self.assertNoMajor(result)
        [note] = result.active
        self.assertEqual('incomplete-snapshot', note.kind)
        self.assertIn('requests.Session', note.message)

    def test_override_of_a_standard_library_member_removed(self) -> None:
        old = {'pkg/__init__.py': '''
            class Error(Exception):
                def __str__(self):
                    return 'x'
            '''}
        new = {'pkg/__init__.py': '''
            class Error(Exception):
                pass
            '''}
        self.assertNoMajor(self.diff(old, new))


class TestReimports(ReachCase):
    """2. A name moved but still imported at its old path resolves."""

    OLD = {
        'pkg/__init__.py': '',
        'pkg/core.py': '''
            class ParseError(Exception):
                pass

            def parse(text):
                pass
            ''',
    }

    def test_still_imported_at_the_old_path(self) -> None:
        new = {
            'pkg/__init__.py': '',
            'pkg/errors.py': '''
                class ParseError(Exception):
                    pass
                ''',
            'pkg/core.py': '''
                from pkg.errors import ParseError

                def parse(text):
                    pass
                ''',
        }
        result = self.diff(self.OLD, new)
        self.assertNoMajor(result)
        [relocated] = [c for c in result.active
                       if c.kind == 'name-relocated']
        self.assertEqual(('pkg.core.ParseError', 'pkg.errors.ParseError',
                          PATCH),
                         (relocated.path, relocated.new_path,
                          relocated.severity))
        self.assertNotIn('name-added', self.kinds(result))

    def test_moved_away_is_still_a_move(self) -> None:
        new = {
            'pkg/__init__.py': '',
            'pkg/errors.py': '''
                class ParseError(Exception):
                    pass
                ''',
            'pkg/core.py': '''
                def parse(text):
                    pass
                ''',
        }
        self.assertEqual([('name-moved', 'pkg.core.ParseError')],
                         self.majors(self.diff(self.OLD, new)))

    def test_relocated_object_is_still_compared(self) -> None:
        new = {
            'pkg/__init__.py': '',
            'pkg/parsing.py': '''
                def parse(text, strict):
                    pass
                ''',
            'pkg/core.py': '''
                from pkg.parsing import parse

                class ParseError(Exception):
                    pass
                ''',
        }
        self.assertIn(('parameter-added-required', 'pkg.core.parse'),
                      self.majors(self.diff(self.OLD, new)))


class TestFallbackBranches(ReachCase):
    """A conditional fallback does not replace a definition."""

    def test_if_without_else_keeps_the_class(self) -> None:
        source = '''
            try:
                import ssl
            except ImportError:
                ssl = None

            class DummyConnection:
                pass

            class HTTPSConnection(DummyConnection):
                def __init__(self, host, key_file=None):
                    pass

            if not ssl:
                HTTPSConnection = DummyConnection
            '''
        new = source.replace(', key_file=None', '')
        result = self.diff({'pkg/__init__.py': source},
                           {'pkg/__init__.py': new})
        self.assertEqual(
            [('parameter-removed', 'pkg.HTTPSConnection.__init__')],
            self.majors(result))

    def test_members_of_a_relocated_class_are_compared(self) -> None:
        old = {
            'pkg/__init__.py': '',
            'pkg/latex.py': '''
                class math:
                    def full(self):
                        pass

                    def append(self, child):
                        pass
                ''',
        }
        new = {
            'pkg/__init__.py': '',
            'pkg/elements.py': '''
                class math:
                    def append(self, element):
                        pass
                ''',
            'pkg/latex.py': 'from pkg.elements import math\n',
        }
        result = self.diff(old, new)
        self.assertEqual(
            {('removed-without-deprecation', 'pkg.latex.math.full'),
             ('parameter-renamed', 'pkg.latex.math.append')},
            set(self.majors(result)))
        self.assertEqual(['pkg.latex.math'],
                         self.kinds(result)['name-relocated'])


class TestKeywordRenames(ReachCase):
    """3. A parameter renamed while the old keyword still works."""

    OLD = {'pkg/__init__.py': '''
        def connect(host, hostname=None, port=80):
            pass
        '''}

    def check_minor(self, new_source: str) -> Any:
        result = self.diff(self.OLD, {'pkg/__init__.py': new_source})
        self.assertNoMajor(result)
        return result

    def test_kept_as_a_keyword_only_alias(self) -> None:
        old = {'pkg/__init__.py': 'def parse(text, strict=False):\n'
                                  '    pass\n'}
        new = {'pkg/__init__.py': 'def parse(text, validate=False, *, '
                                  'strict=None):\n    pass\n'}
        result = self.diff(old, new)
        self.assertNoMajor(result)
        [renamed] = [c for c in result.active
                     if c.kind == 'parameter-renamed']
        self.assertIn('the old keyword is still accepted', renamed.message)

    def test_absorbed_by_kwargs(self) -> None:
        result = self.check_minor('''
            def connect(host, server=None, port=80, **kwargs):
                pass
            ''')
        self.assertIn('through **kwargs', ' '.join(
            c.message for c in result.active))

    def test_symbiosis_renamed_kwarg(self) -> None:
        result = self.check_minor('''
            from symbiosis.deprecation import renamed_kwarg

            @renamed_kwarg('hostname', 'server', since='2.0')
            def connect(host, server=None, port=80):
                pass
            ''')
        self.assertIn('deprecated-added', self.kinds(result))

    def test_debtcollector_renamed_kwarg(self) -> None:
        self.check_minor('''
            from debtcollector import renames

            @renames.renamed_kwarg('hostname', 'server', replace=True)
            def connect(host, server=None, port=80):
                pass
            ''')

    def test_a_rename_losing_the_old_keyword_is_major(self) -> None:
        result = self.diff(self.OLD, {'pkg/__init__.py': '''
            def connect(host, server=None, port=80):
                pass
            '''})
        [change] = [c for c in result.active if c.severity is MAJOR]
        self.assertEqual('parameter-renamed', change.kind)
        self.assertEqual(('hostname',), change.calls.keywords)

    def test_a_different_parameter_is_not_a_rename(self) -> None:
        result = self.diff(
            {'pkg/__init__.py': 'def f(x, timeout=1.5):\n    pass\n'},
            {'pkg/__init__.py': 'def f(x, verbose=False):\n    pass\n'})
        kinds = self.kinds(result)
        self.assertNotIn('parameter-renamed', kinds)
        self.assertEqual(['pkg.f'], kinds['parameter-removed'])
        self.assertEqual(['pkg.f'], kinds['parameter-added-optional'])


class TestOverloads(ReachCase):
    """4. Overloads are judged by the calls they describe."""

    OLD = {'pkg/__init__.py': '''
        from typing import overload

        @overload
        def load(data: bytes) -> str: ...
        @overload
        def load(data: str, strict: bool = ...) -> str: ...
        def load(data, strict=False):
            pass
        '''}

    def test_folded_into_one_signature(self) -> None:
        result = self.diff(self.OLD, {'pkg/__init__.py': '''
            def load(data: bytes | str, strict: bool = False) -> str:
                pass
            '''})
        self.assertNoMajor(result)
        self.assertEqual(2, len(self.kinds(result)['overload-removed']))

    def test_a_call_no_longer_accepted(self) -> None:
        result = self.diff(self.OLD, {'pkg/__init__.py': '''
            from typing import overload

            @overload
            def load(data: bytes) -> str: ...
            @overload
            def load(data: str) -> str: ...
            def load(data):
                pass
            '''})
        self.assertIn(('overload-removed', 'pkg.load'), self.majors(result))


class TestModuleGetattr(ReachCase):
    """5. What a module ``__getattr__`` serves, refuses or hides."""

    OLD = {
        'pkg/__init__.py': '''
            def old_name():
                pass

            def gone():
                pass

            def kept():
                pass
            ''',
        'pkg/sub.py': 'X = 1\n',
    }

    def test_served_names_still_resolve(self) -> None:
        new = {'pkg/__init__.py': '''
            import warnings

            def kept():
                pass

            def new_name():
                pass

            _MOVED = {'old_name': new_name}

            def __getattr__(name):
                if name in _MOVED:
                    warnings.warn(f'{name} is deprecated',
                                  DeprecationWarning)
                    return _MOVED[name]
                raise AttributeError(name)
            ''', 'pkg/sub.py': 'X = 1\n'}
        result = self.diff(self.OLD, new)
        # old_name is served; gone is not, and the __getattr__ is closed.
        self.assertEqual([('removed-without-deprecation', 'pkg.gone')],
                         self.majors(result))

    def test_refused_names_are_removed(self) -> None:
        new = {'pkg/__init__.py': '''
            def kept():
                pass

            def __getattr__(name):
                if name in ('old_name', 'gone'):
                    raise AttributeError(f'{name} was removed in 2.0')
                return _lazy(name)
            ''', 'pkg/sub.py': 'X = 1\n'}
        result = self.diff(self.OLD, new)
        self.assertEqual(
            {('removed-without-deprecation', 'pkg.gone'),
             ('removed-without-deprecation', 'pkg.old_name')},
            set(self.majors(result)))

    def test_an_opaque_getattr_leaves_names_unknown(self) -> None:
        new = {'pkg/__init__.py': '''
            def kept():
                pass

            def __getattr__(name):
                return _lazy(name)
            ''', 'pkg/sub.py': 'X = 1\n'}
        result = self.diff(self.OLD, new)
        self.assertNoMajor(result)
        self.assertIn('incomplete-snapshot', self.kinds(result))

    def test_a_getattr_never_hides_a_removed_submodule(self) -> None:
        new = {'pkg/__init__.py': '''
            def old_name():
                pass

            def gone():
                pass

            def kept():
                pass

            def __getattr__(name):
                return _lazy(name)
            '''}
        self.assertEqual([('removed-without-deprecation', 'pkg.sub')],
                         self.majors(self.diff(self.OLD, new)))

    def test_forwarding_to_another_module(self) -> None:
        new = {
            'pkg/__init__.py': '''
                from pkg import _impl

                def __getattr__(name):
                    return getattr(_impl, name)
                ''',
            'pkg/_impl.py': '''
                def old_name():
                    pass

                def kept():
                    pass
                ''',
            'pkg/sub.py': 'X = 1\n',
        }
        self.assertEqual([('removed-without-deprecation', 'pkg.gone')],
                         self.majors(self.diff(self.OLD, new)))

    def test_lazy_loader_attach(self) -> None:
        old = {'pkg/__init__.py': '', 'pkg/filters.py': '''
            def gaussian(image):
                pass
            '''}
        old['pkg/__init__.py'] = 'from pkg.filters import gaussian\n'
        new = {'pkg/__init__.py': '''
            import lazy_loader as lazy

            __getattr__, __dir__, __all__ = lazy.attach(
                __name__, submodules=['filters'],
                submod_attrs={'filters': ['gaussian']})
            ''', 'pkg/filters.py': old['pkg/filters.py']}
        self.assertNoMajor(self.diff(old, new))


    LAZY_BY_MODULE = {'pkg/__init__.py': '''
        import importlib

        _LAZY = {'parse': 'pkg._impl'}

        def __getattr__(name):
            return getattr(importlib.import_module(_LAZY[name]), name)
        '''}

    def test_table_of_defining_modules_serves_their_members(self) -> None:
        # The table maps each name to the module defining it; the name is
        # an attribute of that module, not the module itself.
        impl = '''
            def parse(text, strict=False):
                pass
            '''
        old = {'pkg/__init__.py': 'from pkg._impl import parse\n',
               'pkg/_impl.py': impl}
        new = {**self.LAZY_BY_MODULE, 'pkg/_impl.py': impl}
        result = self.diff(old, new)
        self.assertNoMajor(result)
        self.assertNotIn('kind-changed', self.kinds(result))

    def test_table_of_defining_modules_keeps_judging_calls(self) -> None:
        old = {'pkg/__init__.py': 'from pkg._impl import parse\n',
               'pkg/_impl.py': '''
                   def parse(text, strict=False):
                       pass
                   '''}
        new = {**self.LAZY_BY_MODULE, 'pkg/_impl.py': '''
            def parse(text):
                pass
            '''}
        self.assertIn(('parameter-removed', 'pkg.parse'),
                      self.majors(self.diff(old, new)))


    def test_attach_names_modules_relative_to_the_package(self) -> None:
        # symbiosis's own packages serve names this way; a leading dot in
        # a key goes one package up, as after "from .".
        parse = '''
            def parse(text, strict=False):
                pass
            '''
        old = {'pkg/__init__.py': '', 'pkg/sub/__init__.py':
               'from pkg._impl import parse\n', 'pkg/_impl.py': parse}
        new = {'pkg/__init__.py': '', 'pkg/sub/__init__.py': '''
            from symbiosis._lazy_names import attach

            __all__ = ['parse']
            __getattr__, __dir__ = attach(__name__, submod_attrs={
                '._impl': ['parse'],
            })
            ''', 'pkg/_impl.py': parse}
        self.assertNoMajor(self.diff(old, new))
        broken = {**new, 'pkg/_impl.py': '''
            def parse(text):
                pass
            '''}
        self.assertIn(('parameter-removed', 'pkg.sub.parse'),
                      self.majors(self.diff(old, broken)))


class TestDynamicAll(ReachCase):
    """An ``__all__`` built at run time leaves its names unknown."""

    def test_star_import_from_a_computed_all(self) -> None:
        old = {
            'pkg/__init__.py': 'from pkg.types import *\n',
            'pkg/types.py': '''
                __all__ = ['Base']
                for _name in ('int8', 'int16'):
                    __all__.append(_name)

                class Base:
                    pass

                int8 = 1
                int16 = 2
                ''',
        }
        new = {
            'pkg/__init__.py': 'from pkg.types import *\n',
            'pkg/types.py': '''
                __all__ = ['Base']
                for _name in ('int8', 'int16'):
                    __all__.append(_name)
                globals().update({n: 1 for n in __all__[1:]})

                class Base:
                    pass
                ''',
        }
        result = self.diff(old, new)
        self.assertNoMajor(result)
        notes = [c for c in result.active if c.kind == 'incomplete-snapshot']
        self.assertTrue(notes)
        self.assertIn('built in part at run time', notes[0].message)

    def test_a_literal_all_still_counts(self) -> None:
        old = {'pkg/__init__.py': "__all__ = ['a', 'b']\na = b = 1\n"}
        new = {'pkg/__init__.py': "__all__ = ['a']\na = 1\n"}
        self.assertEqual([('removed-without-deprecation', 'pkg.b')],
                         self.majors(self.diff(old, new)))


class TestNamespaceIdioms(ReachCase):
    """Idioms of large packages that build their namespace."""

    def test_all_from_dir(self) -> None:
        old = {
            'pkg/__init__.py': '''
                import numpy as np
                from pkg._special import *

                __all__ = [s for s in dir() if not s.startswith('_')]
                ''',
            'pkg/_special.py': "__all__ = ['tri', 'tril']\n"
                               "def tri(n):\n    pass\n"
                               "def tril(m):\n    pass\n",
        }
        new = dict(old)
        new['pkg/_special.py'] = ("__all__ = ['tril']\n"
                                  "def tril(m):\n    pass\n")
        self.assertEqual([('removed-without-deprecation', 'pkg.tri')],
                         self.majors(self.diff(old, new)))

    def test_deprecated_submodule_shim(self) -> None:
        shim = '''
            from pkg._lib import _sub_module_deprecation

            __all__ = [{names}]

            def __dir__():
                return __all__

            def __getattr__(name):
                return _sub_module_deprecation(
                    module='special', all=__all__, attribute=name)
            '''
        old = {'pkg/__init__.py': '',
               'pkg/_lib.py': 'def _sub_module_deprecation(**kw):\n'
                              '    pass\n',
               'pkg/special.py': shim.format(names="'tri', 'tril'")}
        new = dict(old, **{'pkg/special.py': shim.format(names="'tril'")})
        [change] = self.diff(old, new).active
        self.assertEqual(('removed-after-deprecation', 'pkg.special.tri'),
                         (change.kind, change.path))

    def test_names_bound_in_a_loop(self) -> None:
        old = {'pkg/__init__.py': '''
            _deprecated = ('hann', 'hamming')

            def _wrap(name):
                return name

            for name in _deprecated:
                globals()[name] = _wrap(name)
            '''}
        new = {'pkg/__init__.py': '''
            _deprecated = ('hann',)

            def _wrap(name):
                return name

            for name in _deprecated:
                globals()[name] = _wrap(name)
            '''}
        self.assertIn(('removed-without-deprecation', 'pkg.hamming'),
                      self.majors(self.diff(old, new)))


class TestClassAttributes(ReachCase):
    """Class attributes that name other objects, and instance data."""

    def test_a_class_attribute_naming_a_class(self) -> None:
        old = {'pkg/__init__.py': '''
            from pkg import compiler

            class Dialect:
                type_compiler = compiler.TypeCompiler

                @classmethod
                def dbapi(cls):
                    pass
            ''', 'pkg/compiler.py': 'class TypeCompiler:\n    pass\n'}
        new = {'pkg/__init__.py': '''
            from pkg import compiler

            class Dialect:
                type_compiler_cls = compiler.TypeCompiler

                def __init__(self, dbapi=None):
                    self.dbapi = dbapi
                    self.type_compiler = self.type_compiler_cls()
            ''', 'pkg/compiler.py': 'class TypeCompiler:\n    pass\n'}
        kinds = self.kinds(self.diff(old, new))
        self.assertEqual({'pkg.Dialect.type_compiler', 'pkg.Dialect.dbapi'},
                         set(kinds['kind-changed']))

    def test_an_alias_to_the_same_class_is_no_change(self) -> None:
        files = {'pkg/__init__.py': '''
            from pkg import compiler

            class Dialect:
                type_compiler = compiler.TypeCompiler
            ''', 'pkg/compiler.py': 'class TypeCompiler:\n    pass\n'}
        self.assertEqual([], list(self.diff(files, files).active))


class TestSetattrLoop(ReachCase):
    def test_members_added_in_a_loop(self) -> None:
        old = {'pkg/__init__.py': '''
            class Authorization:
                pass

            for name in ('keys', 'items'):
                setattr(Authorization, name, getattr(dict, name))
            '''}
        new = {'pkg/__init__.py': '''
            class Authorization:
                pass
            '''}
        result = self.diff(old, new)
        self.assertEqual(
            {('removed-without-deprecation', 'pkg.Authorization.items'),
             ('removed-without-deprecation', 'pkg.Authorization.keys')},
            set(self.majors(result)))


class TestStubs(ReachCase):
    """6. A stub gives types; the code beside it, run-time facts."""

    def test_a_stub_does_not_hide_a_deprecation(self) -> None:
        old = {
            'pkg/__init__.pyi': 'def fetch(url: str) -> bytes: ...\n'
                                'def get(url: str) -> bytes: ...\n',
            'pkg/__init__.py': '''
                import warnings

                def fetch(url):
                    pass

                def get(url):
                    warnings.warn('get() is deprecated since 1.4; use '
                                  'fetch()', DeprecationWarning)
                    return fetch(url)
                ''',
        }
        new = {
            'pkg/__init__.pyi': 'def fetch(url: str) -> bytes: ...\n',
            'pkg/__init__.py': 'def fetch(url):\n    pass\n',
        }
        [change] = self.diff(old, new).active
        self.assertEqual('removed-after-deprecation', change.kind)
        self.assertIn('since 1.4', change.message)

    def test_a_stub_does_not_hide_runtime_kwargs(self) -> None:
        old = {
            'pkg/__init__.pyi': 'def get(url: str, verify: bool = ...) '
                                '-> bytes: ...\n',
            'pkg/__init__.py': 'def get(url, verify=True):\n    pass\n',
        }
        new = {
            'pkg/__init__.pyi': 'def get(url: str, check: bool = ...) '
                                '-> bytes: ...\n',
            'pkg/__init__.py': 'def get(url, check=True, **kwargs):\n'
                               '    pass\n',
        }
        self.assertNoMajor(self.diff(old, new))

    def test_the_code_still_rejecting_a_call_is_major(self) -> None:
        old = {
            'pkg/__init__.pyi': 'def get(url: str, verify: bool = ...) '
                                '-> bytes: ...\n',
            'pkg/__init__.py': 'def get(url, verify=True):\n    pass\n',
        }
        new = {
            'pkg/__init__.pyi': 'def get(url: str) -> bytes: ...\n',
            'pkg/__init__.py': 'def get(url):\n    pass\n',
        }
        self.assertEqual([('parameter-removed', 'pkg.get')],
                         self.majors(self.diff(old, new)))

    def test_a_parameter_only_the_code_had(self) -> None:
        # The stub never declared as_bytes; the code accepted it, and
        # code that passed it stops running.
        old = {
            'pkg/__init__.pyi': 'def get(url: str) -> bytes: ...\n',
            'pkg/__init__.py': 'def get(url, as_bytes=None):\n    pass\n',
        }
        new = {
            'pkg/__init__.pyi': 'def get(url: str) -> bytes: ...\n',
            'pkg/__init__.py': 'def get(url):\n    pass\n',
        }
        self.assertEqual([('parameter-removed', 'pkg.get')],
                         self.majors(self.diff(old, new)))

    def test_a_name_the_stub_leaves_out_is_still_api(self) -> None:
        old = {
            'pkg/__init__.pyi': 'def fetch(url: str) -> bytes: ...\n',
            'pkg/__init__.py': 'def fetch(url):\n    pass\n\n\n'
                               'def legacy_fetch(url):\n    pass\n',
        }
        new = {
            'pkg/__init__.pyi': 'def fetch(url: str) -> bytes: ...\n',
            'pkg/__init__.py': 'def fetch(url):\n    pass\n',
        }
        self.assertEqual(
            [('removed-without-deprecation', 'pkg.legacy_fetch')],
            self.majors(self.diff(old, new)))

    def test_star_import_in_the_code_beside_a_stub(self) -> None:
        files = {
            'pkg/__init__.pyi': 'from pkg._impl import Axes as Axes\n',
            'pkg/__init__.py': 'from pkg._impl import *\n',
            'pkg/_impl.py': 'from pkg.container import Bar\n\n\n'
                            'class Axes:\n    pass\n',
            'pkg/container.py': 'class Bar:\n    pass\n',
        }
        new = dict(files)
        new['pkg/_impl.py'] = 'class Axes:\n    pass\n'
        self.assertEqual([('removed-without-deprecation', 'pkg.Bar')],
                         self.majors(self.diff(files, new)))


class TestTypeCheckingBranches(ReachCase):
    """``if TYPE_CHECKING:`` names exist for type checkers only."""

    def test_a_method_only_type_checkers_see_is_gone(self) -> None:
        old = {'pkg/__init__.py': '''
            class Column:
                def has(self, criterion=None):
                    pass
            '''}
        new = {'pkg/__init__.py': '''
            from typing import TYPE_CHECKING

            class Column:
                if TYPE_CHECKING:
                    def has(self, criterion=None):
                        ...
            '''}
        self.assertEqual([('removed-without-deprecation', 'pkg.Column.has')],
                         self.majors(self.diff(old, new)))

    def test_lazy_names_declared_for_type_checkers(self) -> None:
        old = {'pkg/__init__.py': 'from pkg.heavy import Model\n',
               'pkg/heavy.py': 'class Model:\n    pass\n'}
        new = {'pkg/__init__.py': '''
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from pkg.heavy import Model

            def __getattr__(name):
                if name == 'Model':
                    from pkg.heavy import Model
                    return Model
                raise AttributeError(name)
            ''', 'pkg/heavy.py': 'class Model:\n    pass\n'}
        self.assertNoMajor(self.diff(old, new))

    def test_the_pure_python_twin_is_read(self) -> None:
        files = {
            'pkg/__init__.py': '''
                import typing

                try:
                    from pkg import _speedups
                    HAS_EXT = True
                except ImportError:
                    HAS_EXT = False

                if typing.TYPE_CHECKING or not HAS_EXT:
                    from pkg._py import Base
                else:
                    from pkg._speedups import Base

                class Row(Base):
                    pass
                ''',
            'pkg/_py.py': 'class Base:\n    def keys(self):\n        pass\n',
        }
        new = dict(files)
        new['pkg/_py.py'] = 'class Base:\n    pass\n'
        [change] = self.diff(files, new).active
        self.assertEqual(('removed-without-deprecation', 'pkg.Base.keys'),
                         (change.kind, change.path))
        self.assertIn('pkg.Row.keys', change.also)


class TestPythonBranches(ReachCase):
    """7. Code for Pythons a release does not support is not its API."""

    def test_python2_branches_are_not_api(self) -> None:
        old = {'pkg/__init__.py': '''
            import sys
            import six

            if six.PY2:
                string_types = basestring
                def u(text):
                    return unicode(text)
            else:
                string_types = (str,)

            if sys.version_info[0] == 2:
                def iteritems(d):
                    return d.iteritems()
            '''}
        new = {'pkg/__init__.py': 'string_types = (str,)\n'}
        self.assertEqual([], list(self.diff(old, new).active))

    def test_names_for_dropped_pythons(self) -> None:
        old = {'pkg/__init__.py': '''
            import sys

            if sys.version_info < (3, 8):
                def cached_property(f):
                    return f
            else:
                from functools import cached_property as _cp

            if sys.version_info >= (3, 9):
                def new_thing():
                    pass
            '''}
        new = {'pkg/__init__.py': 'import sys\n'}
        result = self.diff(old, new, old_python='>=3.7',
                           new_python='>=3.8')
        # cached_property existed only on 3.7, which 2.0 does not support;
        # new_thing existed on 3.9+ and is gone there.
        self.assertEqual([('removed-without-deprecation', 'pkg.new_thing')],
                         self.majors(result))
        [narrowed] = [c for c in result.active
                      if c.kind == 'requires-python-narrowed']
        self.assertIn('1 name defined only for them went too '
                      '(pkg.cached_property)', narrowed.message)


class TestNotApi(ReachCase):
    """8. Version metadata and shipped tests are not API by default."""

    OLD = {
        'pkg/__init__.py': '''
            __all__ = ['VERSION', '__version__', 'api']
            __version__ = '1.0'
            VERSION = (1, 0)
            version_info = (1, 0)

            def api():
                pass
            ''',
        'pkg/tests/__init__.py': '',
        'pkg/tests/test_api.py': 'def test_api():\n    pass\n',
    }
    NEW = {
        'pkg/__init__.py': '''
            __all__ = ['VERSION', '__version__', 'api']
            __version__ = '1.1'
            VERSION = '1.1'

            def api():
                pass
            ''',
    }

    def test_by_default(self) -> None:
        self.assertEqual([], list(self.diff(self.OLD, self.NEW).active))

    def test_when_the_project_says_they_are(self) -> None:
        settings = ApiSettings(test_modules=(), version_names=frozenset())
        result = self.diff(self.OLD, self.NEW, settings)
        kinds = self.kinds(result)
        self.assertIn('pkg.tests', kinds['removed-without-deprecation'])
        self.assertEqual(['pkg.VERSION', 'pkg.__version__'],
                         sorted(kinds['constant-value-changed']))


class TestValuesAndTyping(ReachCase):
    """9. Enum ``auto()``, ``Final``, annotations and constant types."""

    def enum(self, *members: str) -> dict[str, str]:
        body = ''.join(f'    {m} = auto()\n' for m in members)
        return {'pkg/__init__.py':
                'from enum import Enum, auto\n\nclass Color(Enum):\n'
                + body}

    def test_auto_values_kept_in_order(self) -> None:
        result = self.diff(self.enum('RED', 'GREEN'),
                           self.enum('RED', 'GREEN', 'BLUE'))
        self.assertEqual({'enum-member-added': ['pkg.Color.BLUE']},
                         self.kinds(result))

    def test_auto_values_shifted(self) -> None:
        result = self.diff(self.enum('RED', 'GREEN'),
                           self.enum('RED', 'BLUE', 'GREEN'))
        self.assertIn(('enum-member-value-changed', 'pkg.Color.GREEN'),
                      self.majors(result))

    def test_final_added_to_a_constant_is_minor(self) -> None:
        result = self.diff(
            {'pkg/__init__.py': 'TIMEOUT: int = 10\n'},
            {'pkg/__init__.py': 'from typing import Final\n\n'
                                'TIMEOUT: Final = 10\n'})
        [change] = result.active
        self.assertEqual(('final-added', MINOR),
                         (change.kind, change.severity))

    def test_return_container_class_changed(self) -> None:
        result = self.diff(
            {'pkg/__init__.py': 'def keys() -> list[str]:\n    pass\n'},
            {'pkg/__init__.py': 'def keys() -> tuple[str, ...]:\n'
                                '    pass\n'})
        [change] = result.active
        self.assertEqual(MINOR, change.severity)
        self.assertIn('callers that modify the returned list may break',
                      change.message)

    def test_constant_changing_type_is_major(self) -> None:
        result = self.diff({'pkg/__init__.py': 'LIMIT = 10\n'},
                           {'pkg/__init__.py': "LIMIT = '10'\n"})
        [change] = result.active
        self.assertEqual(('constant-value-changed', MAJOR),
                         (change.kind, change.severity))
        same_type = self.diff({'pkg/__init__.py': 'LIMIT = 10\n'},
                              {'pkg/__init__.py': 'LIMIT = 20\n'})
        self.assertEqual([MINOR], [c.severity for c in same_type.active])


class TestDeprecationIsNotABreak(ReachCase):
    """10. Deprecating something requires a minor release at most."""

    OLD = {'pkg/__init__.py': '''
        class Client:
            def close(self):
                pass

            def disconnect(self):
                pass

        def connect(host):
            pass

        def open_connection(host):
            pass
        '''}

    def check(self, source: str) -> Diff:
        result = self.diff(self.OLD, {'pkg/__init__.py': source})
        self.assertNoMajor(result)
        self.assertIs(MINOR, result.required_bump)
        self.assertIn('deprecated-added', self.kinds(result))
        return result

    def test_symbiosis_helpers(self) -> None:
        result = self.check('''
            from symbiosis.deprecation import deprecated, moved
            from symbiosis.deprecation import moved_method

            class Client:
                def close(self):
                    pass

                disconnect = moved_method('close', since='2.0')

            def connect(host):
                pass

            open_connection = moved(connect, 'open_connection', __name__,
                                    since='2.0')
            ''')
        self.assertEqual(
            {'pkg.Client.disconnect', 'pkg.open_connection'},
            set(self.kinds(result)['deprecated-added']))

    def test_debtcollector_helpers(self) -> None:
        self.check('''
            from debtcollector import moves, removals

            class Client:
                def close(self):
                    pass

                @moves.moved_method('close', version='2.0')
                def disconnect(self):
                    return self.close()

            @removals.remove(version='2.0')
            def connect(host):
                pass

            def open_connection(host):
                pass
            ''')

    def test_pep702_deprecated(self) -> None:
        result = self.check('''
            from typing_extensions import deprecated

            class Client:
                def close(self):
                    pass

                @deprecated('use close()')
                def disconnect(self):
                    pass

            def connect(host):
                pass

            def open_connection(host):
                pass
            ''')
        self.assertEqual(['pkg.Client.disconnect'],
                         self.kinds(result)['deprecated-added'])

    def test_moved_attributes(self) -> None:
        self.check('''
            from symbiosis.deprecation import moved_attributes

            class Client:
                def close(self):
                    pass

                def disconnect(self):
                    pass

            def connect(host):
                pass

            __getattr__, __dir__ = moved_attributes(
                __name__, {'open_connection': 'pkg:connect'}, since='2.0')
            ''')

    def test_removing_what_was_deprecated_is_still_major(self) -> None:
        deprecated = self.OLD['pkg/__init__.py'].replace(
            'def connect(host):',
            '@deprecated(since="1.5", removal="2.0")\n        '
            'def connect(host):').replace(
            'class Client:',
            'from symbiosis.deprecation import deprecated\n\n'
            '        class Client:')
        gone = deprecated.replace(
            '@deprecated(since="1.5", removal="2.0")\n        '
            'def connect(host):\n            pass\n', '')
        result = self.diff({'pkg/__init__.py': deprecated},
                           {'pkg/__init__.py': gone})
        [change] = result.active
        self.assertEqual(('removed-after-deprecation', 'pkg.connect', MAJOR),
                         (change.kind, change.path, change.severity))


class TestMessages(ReachCase):
    """11. Messages say what happened, and only that."""

    def test_python2_only_bases_are_not_lost(self) -> None:
        old = {'pkg/__init__.py': '''
            import six

            class Meta(type):
                pass

            class Base(six.with_metaclass(Meta, object)):
                pass

            class Iter(six.Iterator):
                pass
            '''}
        new = {'pkg/__init__.py': '''
            class Meta(type):
                pass

            class Base(metaclass=Meta):
                pass

            class Iter:
                pass
            '''}
        self.assertEqual([], list(self.diff(old, new).active))


class TestUsageProbe(ReachCase):
    """The static ``usage`` probe resolves names as Python would."""

    def test_inherited_names_resolve(self) -> None:
        from symbiosis.probes import ProbeRun
        from symbiosis.probes import _jobs as jobs
        from symbiosis.probes._kinds.static import UsageKind
        from symbiosis.probes._model import OutcomeStatus

        upstream = self.write_tree({
            'pkg/__init__.py': 'from pkg.client import Client\n',
            'pkg/base.py': 'class Base:\n'
                           '    def get(self, url):\n        pass\n',
            'pkg/client.py': 'from pkg.base import Base\n\n\n'
                             'class Client(Base):\n    pass\n',
        }, root='upstream')
        probes = self.write_tree({'symbiosis-probes.toml': '''
            [usage]
            names = ["pkg.Client.get", "pkg.Client"]
            '''}, root='probes')
        [probe] = jobs.discover([str(probes)])
        run = ProbeRun(probes=(probe,), python=sys.executable,
                       upstream=str(upstream),
                       config=Config(use_cache=False))
        [outcome] = UsageKind().run(run)
        self.assertEqual(OutcomeStatus.PASS, outcome.status, outcome.message)
        (upstream / 'pkg' / 'base.py').write_text('class Base:\n    pass\n')
        [outcome] = UsageKind().run(run)
        self.assertEqual(OutcomeStatus.FAIL, outcome.status)
        self.assertIn('pkg.Client.get: missing', outcome.message)
