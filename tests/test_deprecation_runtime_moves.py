"""Moves and renames (functions, classes, methods, module attributes,
modules) and the registry of declared deprecations.
"""

from __future__ import annotations

import importlib
import pickle
import sys
import types
import uuid
import warnings

import fixtures

from symbiosis import exception
from symbiosis.deprecation import DeprecationDeclarationError
from symbiosis.deprecation import DeprecationRecord
from symbiosis.deprecation import deprecated
from symbiosis.deprecation import moved
from symbiosis.deprecation import moved_attributes
from symbiosis.deprecation import moved_method
from symbiosis.deprecation import overdue
from symbiosis.deprecation import registry
from tests import base

NEWMOD = '''\
import abc

__all__ = ['NewName', 'new_func', 'CONST', 'Base']

CONST = 3


class NewName:
    """The new home."""

    def __init__(self, value=0):
        self.value = value


class Base(abc.ABC):
    @abc.abstractmethod
    def run(self): ...


def new_func(x):
    """Add one."""
    return x + 1


def _private():
    return 'private'
'''

OLDMOD = '''\
from symbiosis.deprecation import deprecated, moved, moved_attributes
from PKG.newmod import Base, NewName, new_func

old_func = moved(new_func, 'old_func', __name__, since='1.0', removal='2.0')
OldClass = moved(NewName, 'OldClass', __name__, since='1.0', removal='2.0')
OldBase = moved(Base, 'OldBase', __name__, since='1.1')

KEPT = 1


@deprecated(since='1.2', removal='1.5')
def soon_gone():
    return 'gone'


__getattr__, __dir__ = moved_attributes(
    __name__,
    {'OldName': 'PKG.newmod:NewName',
     'OLD_CONST': 'PKG.newmod:CONST',
     'legacy': 'PKG.newmod'},
    since='1.0', removal='3.0')
'''

OLDWHOLE = '''\
from symbiosis.deprecation import moved_module
moved_module(__name__, 'PKG.newmod', since='1.0', removal='2.0')
'''

USER = '''\
from PKG.oldmod import OldName
import PKG.oldwhole
value = OldName(5).value
'''


class Cat:
    def meow(self) -> str:
        return 'meow'

    @property
    def name(self) -> str:
        return 'cat'

    mewow = moved_method('meow', since='1.0', removal='2.0')
    title = moved_method('name', since='1.0')


class Kitten(Cat):
    def meow(self) -> str:
        return 'purr'


class _PackageTestCase(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pkg = f'depkg_{uuid.uuid4().hex[:8]}'
        files = {
            f'{self.pkg}/__init__.py': '',
            f'{self.pkg}/newmod.py': NEWMOD,
            f'{self.pkg}/oldmod.py': OLDMOD.replace('PKG', self.pkg),
            f'{self.pkg}/oldwhole.py': OLDWHOLE.replace('PKG', self.pkg),
            f'{self.pkg}/user.py': USER.replace('PKG', self.pkg),
        }
        root = self.write_tree(files, root='pkgs')
        self.root = root
        self.useFixture(fixtures.PythonPathEntry(str(root)))
        self.addCleanup(self._forget_modules)
        manager = warnings.catch_warnings(record=True)
        caught = manager.__enter__()
        assert caught is not None
        self.caught = caught
        self.addCleanup(manager.__exit__, None, None, None)
        warnings.simplefilter('always')

    def _forget_modules(self) -> None:
        for name in list(sys.modules):
            if name == self.pkg or name.startswith(self.pkg + '.'):
                del sys.modules[name]

    def load(self, name: str) -> types.ModuleType:
        return importlib.import_module(f'{self.pkg}.{name}')

    def messages(self) -> list[str]:
        found = [str(w.message) for w in self.caught]
        del self.caught[:]
        return found


class TestMovedFunctionsAndClasses(_PackageTestCase):
    def test_moved_function_warns_and_forwards(self) -> None:
        old = self.load('oldmod')
        self.messages()
        self.assertEqual(2, old.old_func(1))  # moved-call
        [warning] = self.caught
        self.assertEqual(__file__, warning.filename)
        self.assertEqual(
            f'{self.pkg}.oldmod.old_func() is deprecated since 1.0 and will '
            f'be removed in 2.0; use {self.pkg}.newmod.new_func() instead.',
            str(warning.message),
        )

    def test_moved_function_names_and_pickling(self) -> None:
        old = self.load('oldmod')
        self.assertEqual('old_func', old.old_func.__qualname__)
        self.assertEqual(f'{self.pkg}.oldmod', old.old_func.__module__)
        self.assertEqual('Add one.', old.old_func.__doc__)
        self.assertIs(old.old_func, pickle.loads(pickle.dumps(old.old_func)))
        self.assertIs(old.OldClass, pickle.loads(pickle.dumps(old.OldClass)))

    def test_moved_class_instantiates_the_new_class(self) -> None:
        old = self.load('oldmod')
        new = self.load('newmod')
        self.messages()
        obj = old.OldClass(4)
        self.assertIs(new.NewName, type(obj))
        self.assertEqual(4, obj.value)
        [message] = self.messages()
        self.assertIn(f'{self.pkg}.oldmod.OldClass is deprecated', message)
        self.assertIn(f'use {self.pkg}.newmod.NewName instead', message)

    def test_moved_class_isinstance_and_subclassing(self) -> None:
        old = self.load('oldmod')
        new = self.load('newmod')
        self.assertIsInstance(new.NewName(), old.OldClass)
        self.assertTrue(issubclass(new.NewName, old.OldClass))
        self.assertEqual('OldClass', old.OldClass.__qualname__)
        self.assertEqual('The new home.', old.OldClass.__doc__)
        self.messages()

        class Mine(old.OldClass):  # type: ignore[name-defined]  # subclass
            pass

        [warning] = self.caught
        self.assertEqual(__file__, warning.filename)
        self.messages()
        mine = Mine(2)
        self.assertEqual([], self.messages())
        self.assertIsInstance(mine, new.NewName)
        self.assertIsInstance(mine, old.OldClass)
        self.assertNotIsInstance(new.NewName(), Mine)

        class Grandchild(Mine):
            pass

        self.assertEqual([], self.messages())

    def test_moved_abstract_class_keeps_abc_behaviour(self) -> None:
        old = self.load('oldmod')

        class Impl(old.OldBase):  # type: ignore[name-defined]
            def run(self) -> str:
                return 'ran'

        self.assertEqual('ran', Impl().run())
        self.assertRaises(TypeError, old.OldBase)

    def test_bad_moves(self) -> None:
        self.assertRaises(DeprecationDeclarationError, moved, 42, 'X',
                          __name__)
        self.assertRaises(DeprecationDeclarationError, moved, len, 'bad name',
                          __name__)
        self.assertRaises(DeprecationDeclarationError, moved, len, 'x',
                          __name__, since='2', removal='1')
        self.assertRaises(DeprecationDeclarationError, moved, bool, 'Flag',
                          __name__)


class TestMovedMethod(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        manager = warnings.catch_warnings(record=True)
        caught = manager.__enter__()
        assert caught is not None
        self.caught = caught
        self.addCleanup(manager.__exit__, None, None, None)
        warnings.simplefilter('always')

    def test_message_names_the_defining_class(self) -> None:
        self.assertEqual('purr', Kitten().mewow())  # moved-method
        [warning] = self.caught
        self.assertEqual(
            f'{__name__}.Cat.mewow() is deprecated since 1.0 and will be '
            f'removed in 2.0; use {__name__}.Cat.meow() instead.',
            str(warning.message),
        )
        self.assertEqual(__file__, warning.filename)

    def test_class_access_and_properties(self) -> None:
        self.assertIs(Cat.meow, Cat.mewow)
        self.assertEqual('cat', Cat().title)
        self.assertEqual(2, len(self.caught))
        self.assertIn('Cat.title is deprecated', str(self.caught[1].message))

    def test_missing_target_fails_at_class_creation(self) -> None:
        def make() -> type:
            class Broken:
                old = moved_method('nowhere')

            return Broken

        # Python < 3.12 wraps errors from __set_name__ in RuntimeError.
        error = self.assertRaises(
            (DeprecationDeclarationError, RuntimeError), make
        )
        cause = error if isinstance(
            error, DeprecationDeclarationError) else error.__cause__
        self.assertIsInstance(cause, DeprecationDeclarationError)
        self.assertIn("'nowhere'", str(cause))


class TestMovedAttributes(_PackageTestCase):
    def test_from_import_warns_at_the_import_line(self) -> None:
        user = self.load('user')
        self.assertEqual(5, user.value)
        import_warnings = [
            w for w in self.caught if 'OldName' in str(w.message)
        ]
        self.assertEqual(1, len(import_warnings))
        self.assertTrue(import_warnings[0].filename.endswith('user.py'))
        self.assertEqual(1, import_warnings[0].lineno)
        whole = [w for w in self.caught if 'module' in str(w.message)]
        self.assertEqual(1, len(whole), [str(w.message) for w in self.caught])
        self.assertEqual(2, whole[0].lineno)
        self.assertTrue(whole[0].filename.endswith('user.py'))

    def test_values_and_dir(self) -> None:
        old = self.load('oldmod')
        new = self.load('newmod')
        self.messages()
        self.assertIs(new.NewName, old.OldName)
        self.assertEqual(3, old.OLD_CONST)
        self.assertIs(new, old.legacy)
        self.assertEqual(3, len(self.messages()))
        listing = dir(old)
        for name in ('OldName', 'OLD_CONST', 'legacy', 'KEPT', 'old_func'):
            self.assertIn(name, listing)
        self.assertRaises(AttributeError, getattr, old, 'Nope')
        self.assertFalse(hasattr(old, 'Nope'))

    def test_object_targets(self) -> None:
        getattr_, dir_ = moved_attributes(__name__, {'Feline': Cat})
        self.assertIs(Cat, getattr_('Feline'))
        self.assertIn(f'use {__name__}.Cat instead', self.messages()[0])
        self.assertIn('Feline', dir_())

    def test_missing_targets_fail_at_declaration(self) -> None:
        self.load('newmod')
        for target in (f'{self.pkg}.nomod:Thing', f'{self.pkg}.newmod:Nope',
                       'no_such_top_level_module_x', ':x', 'a:'):
            error = self.assertRaises(
                DeprecationDeclarationError, moved_attributes, 'm',
                {'Old': target},
            )
            self.assertIsInstance(error, exception.InputError)
        self.assertRaises(DeprecationDeclarationError, moved_attributes,
                          'm', {'not an identifier': 'os:path'})


class TestMovedModule(_PackageTestCase):
    def test_reexports_and_warns_once(self) -> None:
        whole = self.load('oldwhole')
        new = self.load('newmod')
        [message] = self.messages()
        self.assertEqual(
            f'module {self.pkg}.oldwhole is deprecated since 1.0 and will be '
            f'removed in 2.0; use {self.pkg}.newmod instead.',
            message,
        )
        self.assertIs(new.NewName, whole.NewName)
        self.assertEqual(new.__all__, whole.__all__)
        self.assertEqual('private', whole._private())
        importlib.import_module(f'{self.pkg}.oldwhole')
        self.assertEqual([], self.messages())

    def test_needs_the_module_and_a_target(self) -> None:
        from symbiosis.deprecation import moved_module

        self.assertRaises(DeprecationDeclarationError, moved_module,
                          'not_imported_module_x', 'os')
        self.assertRaises(DeprecationDeclarationError, moved_module,
                          __name__, 'no_such_module_x')


class TestRegistry(_PackageTestCase):
    def test_package_records_without_warnings(self) -> None:
        pkg = importlib.import_module(self.pkg)
        self.load('oldmod')
        self.load('oldwhole')
        self.messages()
        records = registry(pkg)
        self.assertEqual([], self.messages())
        paths = [(r.path, r.kind) for r in records]
        self.assertEqual(
            sorted([
                (f'{self.pkg}.oldmod.OLD_CONST', 'attribute'),
                (f'{self.pkg}.oldmod.OldBase', 'class'),
                (f'{self.pkg}.oldmod.OldClass', 'class'),
                (f'{self.pkg}.oldmod.OldName', 'attribute'),
                (f'{self.pkg}.oldmod.legacy', 'attribute'),
                (f'{self.pkg}.oldmod.old_func', 'function'),
                (f'{self.pkg}.oldmod.soon_gone', 'function'),
                (f'{self.pkg}.oldwhole', 'module'),
            ]),
            paths,
        )
        old_name = next(r for r in records if r.path.endswith('.OldName'))
        self.assertEqual(f'{self.pkg}.newmod.NewName', old_name.replacement)
        self.assertEqual(('1.0', '3.0'), (old_name.since, old_name.removal))

    def test_registry_by_name_and_class_members(self) -> None:
        import tests.test_deprecation_runtime as runtime

        records = registry('tests.test_deprecation_runtime')
        self.assertEqual(records, registry(runtime))
        by_path = {(r.path, r.parameter): r for r in records}
        prefix = 'tests.test_deprecation_runtime'
        for path in ('old_function', 'OldThing', 'Service.run',
                     'Service.make_a', 'Service.make_b', 'Service.helper_a',
                     'Service.helper_b', 'Service.length', 'Service.computed',
                     'Service.fetch', 'old_coroutine'):
            self.assertIn((f'{prefix}.{path}', None), by_path)
        self.assertIn((f'{prefix}.connect', 'hostname'), by_path)
        self.assertEqual('parameter',
                         by_path[(f'{prefix}.connect', 'hostname')].kind)
        self.assertEqual([], self.messages())

    def test_moved_methods_are_listed(self) -> None:
        records = registry(sys.modules[__name__])
        paths = {r.path for r in records}
        self.assertIn(f'{__name__}.Cat.mewow', paths)
        self.assertIn(f'{__name__}.Cat.title', paths)
        self.assertEqual([], self.messages())

    def test_registry_of_unknown_module(self) -> None:
        self.assertRaises(exception.InputError, registry, 'no_such_mod_x')

    def test_overdue(self) -> None:
        self.load('oldmod')
        records = registry(importlib.import_module(self.pkg))
        self.assertEqual([], overdue(records, '0.9'))
        self.assertEqual(
            [f'{self.pkg}.oldmod.soon_gone'],
            [r.path for r in overdue(records, '1.5')],
        )
        due = {r.path.rpartition('.')[2] for r in overdue(records, '2.0')}
        self.assertEqual({'soon_gone', 'old_func', 'OldClass'}, due)
        self.assertRaises(exception.InputError, overdue, records, 'next')

    def test_overdue_skips_unparseable_removals(self) -> None:
        records = [
            DeprecationRecord('a', 'function', 'm', removal='soon'),
            DeprecationRecord('b', 'function', 'm', removal='1.0'),
            DeprecationRecord('c', 'function', 'm'),
        ]
        self.assertEqual(['b'], [r.path for r in overdue(records, '1.0')])

    def test_local_deprecations_are_not_global_state(self) -> None:
        @deprecated(since='1.0')
        def local() -> None:
            pass

        module = types.ModuleType('scratch_module')
        self.assertEqual((), registry(module))
        module.local = local  # type: ignore[attr-defined]
        self.assertEqual(1, len(registry(module)))
