"""Reach and call: callables built at import time, values known by type.

Like :mod:`tests.test_reach`: each mechanism has a compatible v1/v2 pair
(no major change) and a breaking one (the break is found), built as real
trees and read by the real extractor.
"""

from __future__ import annotations

from tests.test_reach import ReachCase

_FACTORY = '''
    import functools

    def public_factory(target, location):
        """A function with the signature of ``target``."""
        @functools.wraps(target)
        def made(*args, **kwargs):
            return target(*args, **kwargs)
        return made
'''


class TestWrapperFactories(ReachCase):
    """``name = factory(callable, ...)`` has the callable's signature."""

    def tree(self, init: str) -> dict[str, str]:
        return {
            'pkg/__init__.py': 'from pkg.expression import insert\n',
            'pkg/_util.py': _FACTORY,
            'pkg/_dml.py': f'''
                class Base:
                    def __init__(self, table, *, inline=False):
                        pass

                class Insert(Base):
                {init}
                ''',
            'pkg/expression.py': '''
                from pkg._dml import Insert
                from pkg._util import public_factory

                insert = public_factory(Insert, '.expression.insert')
                ''',
        }

    def test_class_target_keeps_its_calls(self) -> None:
        old = self.tree('    pass')
        new = self.tree('    def __init__(self, table, *, inline=False,'
                        ' values=None):\n                        pass')
        self.assertNoMajor(self.diff(old, new))

    def test_class_target_loses_a_keyword(self) -> None:
        old = self.tree('    pass')
        new = self.tree('    def __init__(self, table):\n'
                        '                        pass')
        result = self.diff(old, new)
        self.assertIn(('parameter-removed', 'pkg.insert'),
                      self.majors(result))
        self.assertEqual(
            'function',
            self.snapshot(old, '1.0').modules['pkg.expression']
            .members['insert'].kind.value)

    def test_classmethod_target_and_plain_factory_call(self) -> None:
        def tree(params: str) -> dict[str, str]:
            return {
                'pkg/__init__.py': '',
                'pkg/_util.py': _FACTORY,
                'pkg/api.py': f'''
                    from pkg._util import public_factory

                    class Select:
                        @classmethod
                        def _create(cls, {params}):
                            pass

                    select = public_factory(Select._create, '.select')
                    ''',
            }
        self.assertNoMajor(self.diff(tree('*entities'),
                                     tree('*entities, limit=None')))
        result = self.diff(tree('*entities, limit=None'),
                           tree('*entities'))
        self.assertIn(('parameter-removed', 'pkg.api.select'),
                      self.majors(result))

    def test_factory_building_code_for_exec(self) -> None:
        def tree(params: str) -> dict[str, str]:
            return {
                'pkg/__init__.py': '',
                'pkg/_util.py': '''
                    import inspect

                    def public_factory(target, location):
                        spec = inspect.getfullargspec(target.__init__)
                        code = 'def made(%s): return cls(...)' % spec
                        env = {'cls': target}
                        exec(code, env)
                        return env['made']
                    ''',
                'pkg/api.py': f'''
                    from pkg._util import public_factory

                    class Update:
                        def __init__(self, {params}):
                            pass

                    update = public_factory(Update, '.update')
                    ''',
            }
        self.assertNoMajor(self.diff(tree('table, values=None'),
                                     tree('table, values=None, **kw')))
        result = self.diff(tree('table, values=None'), tree('table'))
        self.assertIn(('parameter-removed', 'pkg.api.update'),
                      self.majors(result))

    def test_a_call_of_a_function_that_copies_nothing_stays_unknown(
        self,
    ) -> None:
        def tree(params: str) -> dict[str, str]:
            return {
                'pkg/__init__.py': '',
                'pkg/api.py': f'''
                    def register(target, name):
                        return object()

                    def _impl({params}):
                        pass

                    handler = register(_impl, 'x')
                    ''',
            }
        self.assertNoMajor(self.diff(tree('a, b'), tree('a')))

    def test_proxy_class_decorator(self) -> None:
        def tree(params: str, listed: str) -> dict[str, str]:
            return {
                'pkg/__init__.py': '',
                'pkg/_util.py': '''
                    import inspect

                    def proxy_methods(target, methods=()):
                        def decorate(cls):
                            for name in methods:
                                spec = inspect.signature(
                                    getattr(target, name))
                                setattr(cls, name, spec)
                            return cls
                        return decorate
                    ''',
                'pkg/session.py': f'''
                    from pkg._util import proxy_methods

                    class Session:
                        async def close(self):
                            pass

                        def execute(self, {params}):
                            pass

                    @proxy_methods(Session, methods=[{listed}])
                    class ScopedSession:
                        pass
                    ''',
            }
        old = tree('statement, params=None', "'close', 'execute'")
        self.assertNoMajor(self.diff(
            old, tree('statement, params=None, *, options=None',
                      "'close', 'execute'")))
        result = self.diff(old, tree('statement', "'close', 'execute'"))
        self.assertIn(
            ('parameter-removed', 'pkg.session.ScopedSession.execute'),
            self.majors(result))
        result = self.diff(old, tree('statement, params=None',
                                     "'execute'"))
        self.assertIn(
            ('removed-without-deprecation',
             'pkg.session.ScopedSession.close'),
            self.majors(result))


class TestCallableInstances(ReachCase):
    """``maximum = _Operation(...)`` is called with ``__call__``."""

    def tree(self, params: str) -> dict[str, str]:
        return {
            'pkg/__init__.py': 'from pkg.core import maximum\n',
            'pkg/core.py': f'''
                class _Operation:
                    def __init__(self, ufunc):
                        self.ufunc = ufunc

                    def __call__(self, {params}):
                        pass

                maximum = _Operation(max)
                ''',
        }

    def test_compatible_call(self) -> None:
        self.assertNoMajor(self.diff(self.tree('a, b=None'),
                                     self.tree('a, b=None, out=None')))

    def test_argument_made_required(self) -> None:
        result = self.diff(self.tree('a, b=None'), self.tree('a, b'))
        self.assertTrue(any(path.endswith('.maximum')
                            for _, path in self.majors(result)),
                        self.majors(result))

    def test_class_with_new_stays_unknown(self) -> None:
        def tree(params: str) -> dict[str, str]:
            return {
                'pkg/__init__.py': '',
                'pkg/core.py': f'''
                    class _Op:
                        def __new__(cls, x):
                            return x

                        def __call__(self, {params}):
                            pass

                    maximum = _Op(max)
                    ''',
            }
        self.assertNoMajor(self.diff(tree('a, b=None'), tree('a, b')))

    def test_stub_annotation_is_an_instance(self) -> None:
        def tree(runtime: str) -> dict[str, str]:
            return {
                'pkg/__init__.py': '',
                'pkg/core.pyi': '''
                    class _Operation:
                        def __call__(self, a, b): ...

                    maximum: _Operation
                    ''',
                'pkg/core.py': f'''
                    class _Operation:
                        def __call__(self, {runtime}):
                            pass

                    maximum = _Operation()
                    ''',
            }
        self.assertNoMajor(self.diff(tree('a, b=None'),
                                     tree('a, b=None')))
        result = self.diff(tree('a, b=None'), tree('a, b'))
        self.assertTrue(any(path.endswith('.maximum')
                            for _, path in self.majors(result)),
                        self.majors(result))


class TestValueTypes(ReachCase):
    """A constant's type is known without a literal when it is certain."""

    def tree(self, value: str) -> dict[str, str]:
        return {
            'pkg/__init__.py': '',
            'pkg/writer.py': f'''
                import os
                from pathlib import Path

                HERE = Path(__file__).parent

                class Writer:
                    default_template = {value}
                ''',
        }

    def test_same_type(self) -> None:
        self.assertNoMajor(self.diff(
            self.tree("os.path.join(os.path.dirname(__file__), 't.txt')"),
            self.tree("f'{os.sep}t.txt'")))
        self.assertNoMajor(self.diff(self.tree("Path('a')"),
                                     self.tree("HERE / 't.txt'")))

    def test_str_became_a_path(self) -> None:
        for new in ("Path(__file__).parent / 't.txt'", 'HERE',
                    "Path('t').resolve()"):
            result = self.diff(
                self.tree("os.path.join(os.path.dirname(__file__), 't')"),
                self.tree(new))
            self.assertIn(('constant-value-changed',
                           'pkg.writer.Writer.default_template'),
                          self.majors(result), new)

    def test_unknown_call_is_not_compared(self) -> None:
        self.assertNoMajor(self.diff(self.tree("'t.txt'"),
                                     self.tree('make_path()')))


class TestFactoriesThatBuildNothing(ReachCase):
    """A function that reads a signature but builds no function is not a
    wrapper factory: what it returns is unknown."""

    def tree(self, params: str) -> dict[str, str]:
        return {
            'pkg/__init__.py': '',
            'pkg/api.py': f'''
                import inspect

                def checked(target):
                    inspect.signature(target)
                    return Registry()

                def _impl({params}):
                    pass

                handler = checked(_impl)
                ''',
        }

    def test_not_compared(self) -> None:
        self.assertNoMajor(self.diff(self.tree('a, b'), self.tree('a')))


class TestStubOnlyMethods(ReachCase):
    """A method only a stub declares does not exist at run time."""

    def tree(self, runtime_body: str, base: str = '',
             header: str = '') -> dict[str, str]:
        return {
            'pkg/__init__.py': '',
            'pkg/ds.pyi': '''
                from typing import Dict

                class Base(Dict[str, str]): ...

                class Headers(Base):
                    def get_all(self, key: str) -> list[str]: ...
                    def has_key(self, key: str) -> bool: ...
                ''',
            'pkg/ds.py': f'''
                {header}
                class Base(dict):
                    pass

                class Headers(Base{base}):
                    def get_all(self, key):
                        return []
                {runtime_body}
                ''',
        }

    HAS_KEY = ('    def has_key(self, key):\n'
               '                        return key in self')

    def test_kept_in_the_code(self) -> None:
        self.assertNoMajor(self.diff(self.tree(self.HAS_KEY),
                                     self.tree(self.HAS_KEY)))

    def test_removed_from_the_code_only(self) -> None:
        result = self.diff(self.tree(self.HAS_KEY), self.tree(''))
        self.assertIn(('removed-without-deprecation',
                       'pkg.ds.Headers.has_key'), self.majors(result))

    def test_unknown_base_may_provide_it(self) -> None:
        header = 'from other import Mixin'
        old = self.tree(self.HAS_KEY, ', Mixin', header)
        new = self.tree('', ', Mixin', header)
        self.assertFalse(self.snapshot(new, '2.0').errors)
        self.assertNoMajor(self.diff(old, new))
