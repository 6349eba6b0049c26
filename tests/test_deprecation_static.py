"""Deprecation markers read from source, one case per family."""

from __future__ import annotations

import ast

from symbiosis.api._extract import deprecations as static
from symbiosis.api._extract import snapshot as extract
from symbiosis.api._model import Alias
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Module
from tests import base


def _module(source: str) -> Module:
    import textwrap

    return extract.extract_module(
        'pkg/mod.py', 'pkg.mod', textwrap.dedent(source).encode(), False,
        ('pkg',),
    )


# (label, source, member path inside pkg.mod, expected deprecation)
CASES: list[tuple[str, str, str, Deprecation]] = [
    ('symbiosis', '''
        from symbiosis.deprecation import deprecated
        @deprecated('use g', since='1.2', removal='2.0', replacement='g')
        def f(): pass
        ''', 'f', Deprecation('symbiosis', 'use g', '1.2', '2.0', 'g')),
    ('symbiosis module alias', '''
        from symbiosis import deprecation as dep
        @dep.deprecated(since='0.3')
        class C: pass
        ''', 'C', Deprecation('symbiosis', since='0.3')),
    ('PEP 702 warnings', '''
        import warnings
        @warnings.deprecated('gone soon')
        def f(): pass
        ''', 'f', Deprecation('warnings.deprecated', 'gone soon')),
    ('PEP 702 typing_extensions', '''
        from typing_extensions import deprecated
        class C:
            @deprecated('use other')
            def m(self): pass
        ''', 'C.m', Deprecation('typing_extensions.deprecated', 'use other')),
    ('debtcollector remove', '''
        from debtcollector import removals
        @removals.remove(message='bye', version='1.0',
                         removal_version='2.0')
        def f(): pass
        ''', 'f', Deprecation('debtcollector', 'bye', '1.0', '2.0')),
    ('debtcollector bare remove', '''
        from debtcollector import removals
        @removals.remove
        def f(): pass
        ''', 'f', Deprecation('debtcollector')),
    ('debtcollector removed_class', '''
        from debtcollector import removals
        @removals.removed_class('C', version='3.1')
        class C: pass
        ''', 'C', Deprecation('debtcollector', since='3.1')),
    ('debtcollector moved_method', '''
        from debtcollector import moves
        class C:
            @moves.moved_method('new', version='1.1', removal_version='2')
            def old(self): pass
        ''', 'C.old',
     Deprecation('debtcollector', None, '1.1', '2', 'new')),
    ('deprecated package', '''
        from deprecated import deprecated
        @deprecated(version='1.5', reason='slow')
        def f(): pass
        ''', 'f', Deprecation('deprecated', 'slow', '1.5')),
    ('deprecated.sphinx', '''
        from deprecated.sphinx import deprecated
        @deprecated('use g', '2.1')
        def f(): pass
        ''', 'f', Deprecation('deprecated', 'use g', '2.1')),
    ('deprecation package', '''
        import deprecation
        @deprecation.deprecated(deprecated_in='1.0', removed_in='2.0',
                                details='use g')
        def f(): pass
        ''', 'f', Deprecation('deprecation', 'use g', '1.0', '2.0')),
    ('warnings.warn first statement', '''
        import warnings
        def f():
            """Doc."""
            warnings.warn('f is deprecated since 1.4, removed in 2.0',
                          DeprecationWarning, stacklevel=2)
            return 1
        ''', 'f', Deprecation(
            'warnings.warn', 'f is deprecated since 1.4, removed in 2.0',
            '1.4', '2.0')),
    ('warnings.warn category keyword', '''
        from warnings import warn
        def f():
            warn('old', category=PendingDeprecationWarning)
        ''', 'f', Deprecation('warnings.warn', 'old')),
    ('warn in __init__ deprecates the class', '''
        import warnings
        class C:
            def __init__(self):
                warnings.warn('C is old', FutureWarning)
        ''', 'C', Deprecation('warnings.warn', 'C is old')),
    ('project helper', '''
        from pkg import util
        @util.deprecated('1.4', 'use select()')
        def f(): pass
        ''', 'f', Deprecation('pkg.util.deprecated', 'use select()', '1.4')),
]


class TestMarkers(base.TestCase):

    def test_families(self) -> None:
        for label, source, path, expected in CASES:
            module = _module(source)
            obj: object = module
            for part in path.split('.'):
                obj = obj.members[part]  # type: ignore[attr-defined]
            self.assertEqual(expected, obj.deprecation,  # type: ignore
                             label)

    def test_moved_class_assignment(self) -> None:
        module = _module('''
            from debtcollector import moves
            from pkg.new import NewThing
            OldThing = moves.moved_class(NewThing, 'OldThing', __name__,
                                         version='1.0',
                                         removal_version='3.0')
            ''')
        old = module.members['OldThing']
        assert isinstance(old, Alias)
        self.assertEqual(('pkg.new.NewThing', True),
                         (old.target, old.internal))
        self.assertEqual(
            Deprecation('debtcollector', None, '1.0', '3.0',
                        'pkg.new.NewThing'),
            old.deprecation,
        )
        self.assertIn('OldThing', module.exports)

    def test_module_deprecation(self) -> None:
        for source, marker in [
            ('import warnings\nwarnings.warn("gone", DeprecationWarning)\n',
             'warnings.warn'),
            ('from debtcollector import removals\n'
             'removals.removed_module(__name__, version="1.0")\n',
             'debtcollector'),
        ]:
            module = _module(source)
            assert module.deprecation is not None, source
            self.assertEqual(marker, module.deprecation.marker)

    def test_not_deprecations(self) -> None:
        for source in [
            'import warnings\ndef f():\n    warnings.warn("x", UserWarning)\n',
            'import warnings\ndef f():\n    a = 1\n    b = 2\n    c = 3\n'
            '    warnings.warn("late", DeprecationWarning)\n',
            'from deprecated.sphinx import versionadded\n'
            '@versionadded("1.0")\ndef f(): pass\n',
            'import functools\n@functools.wraps(g)\ndef f(): pass\n',
            'from debtcollector import renames\n'
            '@renames.renamed_kwarg("a", "b")\ndef f(a=None, b=None): pass\n',
        ]:
            module = _module(source)
            self.assertIsNone(module.members['f'].deprecation, source)

    def test_kwarg_markers(self) -> None:
        tree = ast.parse(
            '@renames.renamed_kwarg("old", "new", version="1.0")\n'
            '@removals.removed_kwarg("gone", removal_version="3")\n'
            'def f(new=None): pass\n'
        )
        func = tree.body[0]
        assert isinstance(func, ast.FunctionDef)
        names = {'renames': 'debtcollector.renames',
                 'removals': 'debtcollector.removals'}
        self.assertEqual(
            {'old': Deprecation('debtcollector', since='1.0',
                                replacement='new'),
             'gone': Deprecation('debtcollector', removal='3')},
            static.deprecated_kwargs_from_decorators(
                func.decorator_list, names),
        )
        self.assertIsNone(
            static.deprecation_from_decorators(func.decorator_list, names)
        )

    def test_dotted_name(self) -> None:
        node = ast.parse('removals.remove', mode='eval').body
        self.assertEqual(
            'debtcollector.removals.remove',
            static.dotted_name(node, {'removals': 'debtcollector.removals'}),
        )
        call = ast.parse('f()(x)', mode='eval').body
        assert isinstance(call, ast.Call)
        self.assertIsNone(static.dotted_name(call.func, {}))

    def test_module_getattr_deprecation(self) -> None:
        module = _module('''
            import warnings
            def __getattr__(name):
                if name == 'Old':
                    warnings.warn('Old is deprecated since 2.1',
                                  DeprecationWarning)
                    from pkg.new import New
                    return New
                raise AttributeError(name)
            ''')
        old = module.members['Old']
        self.assertNotIsInstance(old, Class)
        self.assertEqual(
            Deprecation('module-getattr', 'Old is deprecated since 2.1',
                        '2.1'),
            old.deprecation,
        )


class TestSymbiosisMoves(base.TestCase):

    def test_moved_helpers(self) -> None:
        module = _module('''
            from symbiosis.deprecation import moved, moved_attributes
            from symbiosis.deprecation import moved_method
            from pkg.client import Client, connect
            connect_to = moved(connect, 'connect_to', __name__,
                               since='1.4', removal='2.0')
            class Session:
                def close(self): pass
                disconnect = moved_method('close', since='1.4')
            __getattr__, __dir__ = moved_attributes(
                __name__, {'OldClient': 'pkg.client:Client'}, since='1.3')
            ''')
        connect_to = module.members['connect_to']
        assert isinstance(connect_to, Alias)
        self.assertEqual('pkg.client.connect', connect_to.target)
        self.assertEqual(
            Deprecation('symbiosis', None, '1.4', '2.0', 'pkg.client.connect'),
            connect_to.deprecation,
        )
        session = module.members['Session']
        assert isinstance(session, Class)
        self.assertEqual(Deprecation('symbiosis', since='1.4',
                                     replacement='close'),
                         session.members['disconnect'].deprecation)
        self.assertTrue(module.has_getattr)
        old = module.members['OldClient']
        assert isinstance(old, Alias)
        self.assertEqual('pkg.client.Client', old.target)
        self.assertEqual(Deprecation('symbiosis', since='1.3'),
                         old.deprecation)

    def test_moved_module(self) -> None:
        module = _module('''
            from symbiosis.deprecation import moved_module
            moved_module(__name__, 'pkg.new', since='2.0')
            ''')
        self.assertEqual(
            Deprecation('symbiosis', since='2.0', replacement='pkg.new'),
            module.deprecation,
        )
