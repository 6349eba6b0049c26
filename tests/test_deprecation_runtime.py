"""Runtime deprecation helpers: decorators, messages, stack levels, pickling.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import pickle
import sys
from typing import Any
import warnings

import fixtures
import typing_extensions

from symbiosis import exception
from symbiosis.api import Deprecation
from symbiosis.deprecation import DeprecationDeclarationError
from symbiosis.deprecation import DeprecationRecord
from symbiosis.deprecation import deprecated
from symbiosis.deprecation import renamed_kwarg
from tests import base

MODULE = __name__


def line_of(marker: str) -> int:
    """Return the line of this file containing ``marker`` (a comment)."""
    with open(__file__, encoding='utf-8') as fh:
        for number, text in enumerate(fh, 1):
            if text.rstrip().endswith(f'# {marker}'):
                return number
    raise AssertionError(marker)


@deprecated(since='1.4', removal='2.0', replacement='new_function()')
def old_function(x: int, y: int = 1) -> int:
    """Add two numbers."""
    return x + y


@deprecated('Plain explanation.')
def plain_old() -> str:
    return 'plain'


@deprecated(since='1.0', replacement='NewThing')
class OldThing:
    """An old thing."""

    def __init__(self, value: int) -> None:
        self.value = value


@deprecated(since='1.0', warn_on_subclass=True)
class OldBase:
    pass


@deprecated(since='1.0')
class NoInit:
    pass


@deprecated(since='1.2')
async def old_coroutine(x: int) -> int:
    return x * 2


@renamed_kwarg('hostname', 'host', since='1.1', removal='2.0')
def connect(host: str, port: int = 80) -> str:
    return f'{host}:{port}'


@renamed_kwarg('p', 'port', since='1.1')
@renamed_kwarg('hostname', 'host', since='1.1')
def connect2(host: str, port: int = 80) -> str:
    return f'{host}:{port}'


@deprecated(since='1.0')
@renamed_kwarg('hostname', 'host', since='1.1')
def connect3(host: str) -> str:
    return host


@typing_extensions.deprecated('Use new_api() instead.', category=None)
def pep702_marked() -> int:
    return 1


stacked_with_pep702 = deprecated(since='1.0', removal='2.0')(pep702_marked)


class Service:
    @deprecated(since='1.0', replacement='Service.start()')
    def run(self) -> str:
        return 'ran'

    @deprecated(since='1.0')
    @classmethod
    def make_a(cls) -> str:
        return cls.__name__

    @classmethod
    @deprecated(since='1.0')
    def make_b(cls) -> str:
        return cls.__name__

    @deprecated(since='1.0')
    @staticmethod
    def helper_a() -> int:
        return 1

    @staticmethod
    @deprecated(since='1.0')
    def helper_b() -> int:
        return 2

    @deprecated(since='1.0', replacement='Service.size')
    @property
    def length(self) -> int:
        return self._length

    @length.setter
    def length(self, value: int) -> None:
        self._length = value

    @deprecated(since='1.0')
    @functools.cached_property
    def computed(self) -> int:
        return 42

    @deprecated(since='1.3')
    async def fetch(self) -> str:
        return 'fetched'


class _Catch(fixtures.Fixture):
    """Record every warning, always."""

    def _setUp(self) -> None:
        manager = warnings.catch_warnings(record=True)
        caught = manager.__enter__()
        assert caught is not None
        self.caught = caught
        self.addCleanup(manager.__exit__, None, None, None)
        warnings.simplefilter('always')


class WarningsTestCase(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.caught = self.useFixture(_Catch()).caught

    def assertOneWarning(
        self, contains: str, line_marker: str | None = None,
        category: type[Warning] = DeprecationWarning,
    ) -> warnings.WarningMessage:
        self.assertEqual(1, len(self.caught), [str(w.message)
                                               for w in self.caught])
        warning = self.caught.pop()
        self.assertIs(category, warning.category)
        self.assertIn(contains, str(warning.message))
        self.assertEqual(__file__, warning.filename)
        if line_marker is not None:
            self.assertEqual(line_of(line_marker), warning.lineno)
        return warning


class TestFunctions(WarningsTestCase):
    def test_calls_forward_and_warn_at_caller_line(self) -> None:
        self.assertEqual(3, old_function(1, y=2))  # call-function
        warning = self.assertOneWarning(
            'old_function() is deprecated', 'call-function'
        )
        self.assertEqual(
            f'{MODULE}.old_function() is deprecated since 1.4 and will be '
            'removed in 2.0; use new_function() instead.',
            str(warning.message),
        )

    def test_metadata_is_kept(self) -> None:
        self.assertEqual('old_function', old_function.__name__)
        self.assertEqual('old_function', old_function.__qualname__)
        self.assertEqual(MODULE, old_function.__module__)
        self.assertEqual('Add two numbers.', old_function.__doc__)
        self.assertTrue(hasattr(old_function, '__wrapped__'))
        self.assertEqual(
            ['x', 'y'], list(inspect.signature(old_function).parameters)
        )

    def test_pep702_attribute_is_the_message(self) -> None:
        self.assertIn('since 1.4', old_function.__deprecated__)  # type: ignore[attr-defined]

    def test_record(self) -> None:
        record = old_function.__symbiosis_deprecation__  # type: ignore[attr-defined]
        self.assertEqual(
            DeprecationRecord(
                path=f'{MODULE}.old_function', kind='function',
                message=old_function.__deprecated__,  # type: ignore[attr-defined]
                since='1.4', removal='2.0', replacement='new_function()',
            ),
            record,
        )
        dep = Deprecation.from_record(record)
        self.assertEqual(('symbiosis', '1.4', '2.0'),
                         (dep.marker, dep.since, dep.removal))
        self.assertEqual('function', record.to_json()['kind'])
        self.assertNotIn('parameter', record.to_json())

    def test_user_message_is_appended(self) -> None:
        plain_old()
        warning = self.assertOneWarning('Plain explanation.')
        self.assertEqual(
            f'{MODULE}.plain_old() is deprecated. Plain explanation.',
            str(warning.message),
        )

    def test_pickles_by_reference(self) -> None:
        for obj in (old_function, OldThing, old_coroutine, connect):
            self.assertIs(obj, pickle.loads(pickle.dumps(obj)))
        instance = pickle.loads(pickle.dumps(OldThing(3)))
        self.assertEqual(3, instance.value)

    def test_category_none_records_without_warning(self) -> None:
        @deprecated(since='1.0', category=None)
        def quiet() -> int:
            return 1

        self.assertEqual(1, quiet())
        self.assertEqual([], self.caught)
        self.assertIn('since 1.0', quiet.__deprecated__)  # type: ignore[attr-defined]

    def test_custom_category(self) -> None:
        @deprecated(category=FutureWarning)
        def future() -> None:
            pass

        future()  # call-future
        self.assertOneWarning('future() is deprecated', 'call-future',
                              category=FutureWarning)

    def test_pep702_message_is_reused_when_stacked(self) -> None:
        self.assertEqual(1, stacked_with_pep702())  # call-stacked
        warning = self.assertOneWarning('Use new_api() instead.',
                                        'call-stacked')
        self.assertIn('pep702_marked() is deprecated since 1.0',
                      str(warning.message))


class TestMethods(WarningsTestCase):
    def test_method(self) -> None:
        self.assertEqual('ran', Service().run())  # call-method
        warning = self.assertOneWarning(
            f'{MODULE}.Service.run() is deprecated', 'call-method'
        )
        self.assertIn('use Service.start() instead', str(warning.message))

    def test_classmethods_either_order(self) -> None:
        for name in ('make_a', 'make_b'):
            self.assertEqual('Service', getattr(Service, name)())  # cm
            self.assertOneWarning(f'Service.{name}() is deprecated', 'cm')

    def test_staticmethods_either_order(self) -> None:
        self.assertEqual(1, Service.helper_a())  # sm-a
        self.assertOneWarning('Service.helper_a() is deprecated', 'sm-a')
        self.assertEqual(2, Service().helper_b())  # sm-b
        self.assertOneWarning('Service.helper_b() is deprecated', 'sm-b')

    def test_property_get_and_set(self) -> None:
        service = Service()
        service.length = 5  # prop-set
        self.assertOneWarning('Service.length is deprecated', 'prop-set')
        self.assertEqual(5, service.length)  # prop-get
        warning = self.assertOneWarning('use Service.size', 'prop-get')
        self.assertNotIn('length()', str(warning.message))

    def test_cached_property(self) -> None:
        self.assertEqual(42, Service().computed)  # cached
        self.assertOneWarning('Service.computed is deprecated', 'cached')

    def test_async_method(self) -> None:
        self.assertTrue(inspect.iscoroutinefunction(Service.fetch))
        self.assertTrue(inspect.iscoroutinefunction(Service().fetch))
        coro = Service().fetch()  # call-async-method
        self.assertOneWarning('Service.fetch() is deprecated',
                              'call-async-method')
        self.assertEqual('fetched', asyncio.run(coro))


class TestCoroutineFunctions(WarningsTestCase):
    def test_stays_a_coroutine_function(self) -> None:
        self.assertTrue(inspect.iscoroutinefunction(old_coroutine))
        self.assertTrue(asyncio.iscoroutinefunction(old_coroutine))
        self.assertEqual(['x'],
                         list(inspect.signature(old_coroutine).parameters))
        self.assertEqual('old_coroutine', old_coroutine.__name__)

    def test_warns_when_called_not_when_awaited(self) -> None:
        coro = old_coroutine(4)  # call-coroutine
        self.assertOneWarning('old_coroutine() is deprecated since 1.2',
                              'call-coroutine')
        self.assertEqual(8, asyncio.run(coro))
        self.assertEqual([], self.caught)


class TestClasses(WarningsTestCase):
    def test_instantiation_warns_at_caller(self) -> None:
        thing = OldThing(7)  # new-thing
        warning = self.assertOneWarning(
            f'{MODULE}.OldThing is deprecated since 1.0', 'new-thing'
        )
        self.assertIn('use NewThing instead', str(warning.message))
        self.assertEqual(7, thing.value)
        self.assertIsInstance(thing, OldThing)

    def test_class_metadata(self) -> None:
        self.assertEqual('OldThing', OldThing.__qualname__)
        self.assertEqual('An old thing.', OldThing.__doc__)
        self.assertIn('since 1.0', OldThing.__deprecated__)  # type: ignore[attr-defined]
        self.assertEqual(['value'],
                         list(inspect.signature(OldThing).parameters))
        self.assertEqual(
            'class', OldThing.__symbiosis_deprecation__.kind  # type: ignore[attr-defined]
        )

    def test_subclass_instances_do_not_warn(self) -> None:
        class Child(OldThing):
            pass

        self.assertEqual([], self.caught)
        Child(1)
        self.assertEqual([], self.caught)

    def test_warn_on_subclass_points_at_class_statement(self) -> None:
        class Child(OldBase):  # subclass-line
            pass

        self.assertOneWarning('OldBase is deprecated', 'subclass-line')
        Child()
        self.assertEqual([], self.caught)
        OldBase()
        self.assertOneWarning('OldBase is deprecated')

    def test_class_without_init_keeps_argument_checks(self) -> None:
        NoInit()
        self.assertOneWarning('NoInit is deprecated')
        self.assertRaises(TypeError, NoInit, 1)

    def test_abc_and_dataclass(self) -> None:
        import abc
        import dataclasses

        @deprecated(since='1.0')
        @dataclasses.dataclass(frozen=True)
        class Point:
            x: int
            y: int = 0

        self.assertEqual(Point(1, 2), Point(x=1, y=2))
        self.assertEqual(2, len(self.caught))

        class Meta(abc.ABC):  # noqa: B024 - an ABCMeta class is the point
            pass

        @deprecated(since='1.0', warn_on_subclass=True)
        class Abstract(Meta):
            pass

        class Concrete(Abstract):  # abc-subclass
            pass

        self.assertEqual(line_of('abc-subclass'), self.caught[-1].lineno)


class TestRenamedKwarg(WarningsTestCase):
    def test_new_name_does_not_warn(self) -> None:
        self.assertEqual('h:80', connect(host='h'))
        self.assertEqual('h:81', connect('h', 81))
        self.assertEqual([], self.caught)

    def test_old_name_warns_and_forwards(self) -> None:
        self.assertEqual('h:80', connect(hostname='h'))  # old-kwarg
        warning = self.assertOneWarning(
            f"the 'hostname' argument of {MODULE}.connect() is deprecated "
            "since 1.1 and will be removed in 2.0; use 'host' instead.",
            'old-kwarg',
        )
        self.assertEqual(DeprecationWarning, warning.category)

    def test_both_names_is_a_type_error(self) -> None:
        error = self.assertRaises(TypeError, connect, host='a', hostname='b')
        self.assertIn("'hostname'", str(error))
        self.assertIn("'host'", str(error))

    def test_stacked_renames_collapse_to_one_wrapper(self) -> None:
        self.assertEqual('h:1', connect2(hostname='h', p=1))  # two-renames
        self.assertEqual(2, len(self.caught))
        for warning in self.caught:
            self.assertEqual(line_of('two-renames'), warning.lineno)
            self.assertEqual(__file__, warning.filename)
        # One wrapper around the original function.
        self.assertFalse(hasattr(connect2.__wrapped__, '__wrapped__'))  # type: ignore[attr-defined]
        params = {r.parameter for r in connect2.__symbiosis_deprecations__}  # type: ignore[attr-defined]
        self.assertEqual({'hostname', 'p'}, params)

    def test_deprecated_over_renamed(self) -> None:
        self.assertEqual('h', connect3(hostname='h'))  # both-kinds
        self.assertEqual(2, len(self.caught))
        for warning in self.caught:
            self.assertEqual(line_of('both-kinds'), warning.lineno)
        self.assertIn('connect3() is deprecated since 1.0',
                      connect3.__deprecated__)  # type: ignore[attr-defined]
        self.assertEqual(1, len(connect3.__symbiosis_deprecations__))  # type: ignore[attr-defined]

    def test_method_and_kwargs_catchall(self) -> None:
        class Client:
            @renamed_kwarg('timeout_s', 'timeout')
            def call(self, **options: Any) -> dict[str, Any]:
                return options

        self.assertEqual({'timeout': 3}, Client().call(timeout_s=3))
        self.assertEqual(1, len(self.caught))


class TestBadDeclarations(base.TestCase):
    def assertDeclarationError(self, func: Any, *args: Any,
                               **kwargs: Any) -> DeprecationDeclarationError:
        error = self.assertRaises(DeprecationDeclarationError, func, *args,
                                  **kwargs)
        self.assertIsInstance(error, exception.InputError)
        self.assertEqual(2, error.exit_code)
        return error

    def test_invalid_version(self) -> None:
        error = self.assertDeclarationError(deprecated, since='one.two')
        self.assertIn("since='one.two' is not a valid version", str(error))

    def test_removal_not_after_since(self) -> None:
        for since, removal in (('2.0', '1.0'), ('1.0', '1.0'),
                               ('1.0', '1.0.0')):
            error = self.assertDeclarationError(
                deprecated, since=since, removal=removal
            )
            self.assertIn('must be a later version', str(error))

    def test_non_string_version(self) -> None:
        self.assertDeclarationError(deprecated, since=1.0)

    def test_undecoratable(self) -> None:
        for thing in (42, 'text', None, sys):
            error = self.assertDeclarationError(deprecated(), thing)
            self.assertIn('cannot deprecate', str(error))

    def test_bare_decorator_is_explained(self) -> None:
        def func() -> None:
            pass

        error = self.assertDeclarationError(deprecated, func)
        self.assertIn('with parentheses', str(error))

    def test_bad_category(self) -> None:
        self.assertDeclarationError(deprecated, category=ValueError)

    def test_renamed_kwarg_checks_the_signature(self) -> None:
        def func(host: str, /, port: int = 0) -> None:
            pass

        self.assertDeclarationError(renamed_kwarg('h', 'nope'), func)
        self.assertDeclarationError(renamed_kwarg('h', 'host'), func)
        self.assertDeclarationError(renamed_kwarg('port', 'host'), func)
        self.assertDeclarationError(renamed_kwarg('h', 'port'), 42)
        self.assertDeclarationError(renamed_kwarg, 'a', 'b', removal='x')

    def test_builtin_types_cannot_be_marked(self) -> None:
        self.assertDeclarationError(deprecated(), int)


class TestIgnoredFastPath(base.TestCase):
    """Skipping warnings.warn while ignored must follow filter changes."""

    def test_filter_changes_are_seen(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            for _ in range(3):
                self.assertEqual(3, old_function(1, 2))
                OldThing(1)
            warnings.simplefilter('error', DeprecationWarning)
            self.assertRaises(DeprecationWarning, old_function, 1)
            self.assertRaises(DeprecationWarning, OldThing, 1)
            warnings.simplefilter('ignore')
            old_function(1)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                old_function(1)
                OldThing(1)
            self.assertEqual(2, len(caught))
            old_function(1)
            warnings.filters[0] = ('error', None, Warning, None, 0)
            self.assertRaises(DeprecationWarning, old_function, 1)

    def test_narrower_filters_defer_to_warnings(self) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('ignore')
            warnings.filterwarnings('always', module=MODULE)
            old_function(1)
        self.assertEqual(1, len(caught))
