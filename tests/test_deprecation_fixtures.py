"""The deprecation fixtures for users' test suites."""

from __future__ import annotations

import subprocess
import sys
import types
import warnings

import fixtures
import testtools

from symbiosis.deprecation import deprecated
from symbiosis.fixtures import DeprecationWarningsAsErrors
from symbiosis.fixtures import ExpectDeprecation
from symbiosis.fixtures import RecordDeprecations
from symbiosis.fixtures import RecordedDeprecation
from tests import base


@deprecated(since='1.0', removal='2.0', replacement='new()')
def old() -> int:
    return 1


def call_from(module_name: str) -> int:
    """Call :func:`old` from code whose ``__name__`` is ``module_name``."""
    namespace: dict[str, object] = {'__name__': module_name, 'old': old}
    exec(compile('result = old()', f'<{module_name}>', 'exec'), namespace)
    return namespace['result']  # type: ignore[return-value]


class TestDeprecationWarningsAsErrors(base.TestCase):
    def test_all_deprecations_become_errors(self) -> None:
        with DeprecationWarningsAsErrors():
            error = self.assertRaises(DeprecationWarning, old)
        self.assertIn('old() is deprecated', str(error))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            self.assertEqual(1, old())

    def test_only_given_packages(self) -> None:
        self.useFixture(DeprecationWarningsAsErrors(modules=['myapp']))
        self.assertRaises(DeprecationWarning, call_from, 'myapp')
        self.assertRaises(DeprecationWarning, call_from, 'myapp.sub.mod')
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            self.assertEqual(1, call_from('myapplication'))
            self.assertEqual(1, call_from('otherlib'))

    def test_state_is_restored(self) -> None:
        before = list(warnings.filters)
        show = warnings.showwarning
        with DeprecationWarningsAsErrors(modules=['a']):
            self.assertNotEqual(before, warnings.filters)
        self.assertEqual(before, warnings.filters)
        self.assertIs(show, warnings.showwarning)

    def test_other_warnings_are_untouched(self) -> None:
        self.useFixture(DeprecationWarningsAsErrors())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always', UserWarning)
            warnings.warn('hello', UserWarning, stacklevel=1)
        self.assertEqual(1, len(caught))


class TestExpectDeprecation(base.TestCase):
    def test_passes_when_emitted(self) -> None:
        with ExpectDeprecation(match=r'old\(\) is deprecated since 1\.0') \
                as expect:
            self.assertEqual(1, old())
        self.assertEqual(1, len(expect.matched))
        self.assertEqual(__file__, expect.matched[0].filename)

    def test_fails_when_not_emitted(self) -> None:
        def block() -> None:
            with ExpectDeprecation(match='old'):
                warnings.warn('something else', DeprecationWarning,
                              stacklevel=1)

        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            error = self.assertRaises(AssertionError, block)
        self.assertIn("matching 'old'", str(error))
        self.assertIn('something else', str(error))

    def test_fails_for_another_category(self) -> None:
        def block() -> None:
            with ExpectDeprecation(category=FutureWarning):
                old()

        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            self.assertRaises(AssertionError, block)

    def test_unmatched_warnings_are_reemitted(self) -> None:
        with warnings.catch_warnings(record=True) as outer:
            warnings.simplefilter('always')
            with ExpectDeprecation(match='old'):
                old()
                warnings.warn('unrelated', UserWarning, stacklevel=1)
        self.assertEqual(['unrelated'], [str(w.message) for w in outer])

    def test_as_a_test_fixture(self) -> None:
        class Case(testtools.TestCase):
            def test_emits(self) -> None:
                self.useFixture(ExpectDeprecation(match='old'))
                old()

            def test_silent(self) -> None:
                self.useFixture(ExpectDeprecation(match='old'))

        result = testtools.TestResult()
        Case('test_emits').run(result)
        Case('test_silent').run(result)
        self.assertEqual(2, result.testsRun)
        self.assertEqual(1, len(result.errors) + len(result.failures))


class TestRecordDeprecations(base.TestCase):
    def test_records_every_hit_with_place(self) -> None:
        recorder = self.useFixture(RecordDeprecations())
        for _ in range(3):
            old()
        warnings.warn('pending', PendingDeprecationWarning, stacklevel=1)
        self.assertEqual(4, len(recorder.records))
        first = recorder.records[0]
        self.assertIsInstance(first, RecordedDeprecation)
        self.assertEqual(DeprecationWarning, first.category)
        self.assertEqual(__file__, first.filename)
        self.assertIn('old() is deprecated', first.message)
        self.assertEqual(2, len(recorder.distinct()))
        self.assertIn(f'{__file__}:{first.lineno}: DeprecationWarning',
                      str(first))

    def test_other_warnings_pass_through(self) -> None:
        with warnings.catch_warnings(record=True) as outer:
            warnings.simplefilter('always')
            with RecordDeprecations() as recorder:
                warnings.warn('user', UserWarning, stacklevel=1)
                old()
        self.assertEqual(1, len(recorder.records))
        self.assertEqual(['user'], [str(w.message) for w in outer])

    def test_errors_filters_stay_in_force(self) -> None:
        self.useFixture(DeprecationWarningsAsErrors(modules=['myapp']))
        recorder = self.useFixture(RecordDeprecations())
        self.assertRaises(DeprecationWarning, call_from, 'myapp')
        self.assertEqual(1, call_from('otherlib'))
        self.assertEqual(1, len(recorder.records))

    def test_show(self) -> None:
        with warnings.catch_warnings(record=True) as outer:
            warnings.simplefilter('always')
            with RecordDeprecations(show=True) as recorder:
                old()
        self.assertEqual(1, len(recorder.records))
        self.assertEqual(1, len(outer))

    def test_restores_showwarning(self) -> None:
        show = warnings.showwarning
        with RecordDeprecations():
            self.assertIsNot(show, warnings.showwarning)
        self.assertIs(show, warnings.showwarning)


class TestPackage(base.TestCase):
    def test_import_is_light(self) -> None:
        code = (
            'import sys, symbiosis.fixtures, symbiosis.deprecation\n'
            'print(sorted(m for m in sys.modules if m.split(".")[0] in '
            '{"fixtures", "testtools", "packaging", "typing_extensions"}))'
        )
        result = subprocess.run([sys.executable, '-c', code],
                                capture_output=True, text=True, check=True)
        self.assertEqual('[]', result.stdout.strip())

    def test_lazy_names(self) -> None:
        import symbiosis.fixtures as package

        self.assertIn('ExpectDeprecation', dir(package))
        self.assertTrue(issubclass(package.ExpectDeprecation,
                                   fixtures.Fixture))
        self.assertRaises(AttributeError, getattr, package, 'Nope')
        self.assertIsInstance(package, types.ModuleType)
