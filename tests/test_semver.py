"""SemVer arithmetic, the 0.y rule, and the release verdict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from packaging.version import Version

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._report import format_verdict_text
from symbiosis.api._settings import ApiSettings
from symbiosis.api._settings import Suppression
from symbiosis.api._versioning import effective_bump
from symbiosis.api._versioning import minimum_version
from symbiosis.api._versioning import required_bump
from symbiosis.api._versioning import verdict
from symbiosis.exception import InputError
from tests import base
from tests.test_diff_support import diff
from tests.test_diff_support import fn
from tests.test_diff_support import mod
from tests.test_diff_support import p
from tests.test_diff_support import snap

MAJOR, MINOR, PATCH, NONE = (
    Bump.MAJOR, Bump.MINOR, Bump.PATCH, Bump.NONE,
)


class TestMinimumVersion(base.TestCase):

    CASES = [
        ('1.4.2', MAJOR, '2.0.0'),
        ('1.4.2', MINOR, '1.5.0'),
        ('1.4.2', PATCH, '1.4.3'),
        ('1.4.2', NONE, '1.4.3'),
        ('1.4', PATCH, '1.4.1'),
        ('2', MINOR, '2.1.0'),
        ('1.2.3.4', PATCH, '1.2.4'),
        # The 0.y rule (Cargo's): breaking -> minor, feature -> patch.
        ('0.4.2', MAJOR, '0.5.0'),
        ('0.4.2', MINOR, '0.4.3'),
        ('0.4.2', PATCH, '0.4.3'),
        ('0.0.3', MAJOR, '0.1.0'),
        # Pre-releases and dev releases head for their final release.
        ('1.4.0rc1', PATCH, '1.4.0'),
        ('1.4.0rc1', MINOR, '1.4.0'),
        ('1.4.0rc1', MAJOR, '2.0.0'),
        ('2.0.0b1', MAJOR, '2.0.0'),
        ('1.4.1rc1', MINOR, '1.5.0'),
        ('1.4.1rc1', PATCH, '1.4.1'),
        ('1.4.0.dev3', PATCH, '1.4.0'),
        ('0.5.0a1', MAJOR, '0.5.0'),
        ('1.2.3.4rc1', PATCH, '1.2.4'),
        # A post release is its base release.
        ('1.4.0.post1', PATCH, '1.4.1'),
        ('1.4.0.post1.dev2', PATCH, '1.4.1'),
        ('1.4.0.post1', MAJOR, '2.0.0'),
        # Epochs are kept; local versions dropped.
        ('1!2.0', PATCH, '1!2.0.1'),
        ('1!2.0', MAJOR, '1!3.0.0'),
        ('1.4.2+local.7', MINOR, '1.5.0'),
        ('v1.4.2', 'minor', '1.5.0'),
    ]

    def test_table(self) -> None:
        for old, bump, expected in self.CASES:
            self.assertEqual(
                expected, minimum_version(old, bump), f'{old} + {bump}'
            )

    def test_invalid_version_names_it(self) -> None:
        err = self.assertRaises(
            InputError, minimum_version, 'banana', MAJOR
        )
        self.assertIn("'banana'", str(err))
        self.assertEqual(2, err.exit_code)

    def test_invalid_bump(self) -> None:
        self.assertRaises(InputError, minimum_version, '1.0', 'giant')

    def test_effective_bump(self) -> None:
        self.assertEqual(MINOR, effective_bump(Version('0.3'), MAJOR))
        self.assertEqual(PATCH, effective_bump(Version('0.3'), MINOR))
        self.assertEqual(MAJOR, effective_bump(Version('3.0'), MAJOR))


_releases = st.lists(
    st.integers(min_value=0, max_value=30), min_size=1, max_size=4
)
_suffix = st.sampled_from(
    ['', 'a1', 'b2', 'rc1', '.dev0', '.post1', '.post2.dev1', 'rc1.dev3']
)
_bumps = st.sampled_from([MAJOR, MINOR, PATCH, NONE])


class TestMinimumVersionProperties(base.TestCase):

    @settings(max_examples=100, deadline=None)
    @given(_releases, _suffix, st.integers(0, 2), _bumps)
    def test_result_is_later_and_respects_the_level(
        self, release: list[int], suffix: str, epoch: int, bump: Bump
    ) -> None:
        text = '.'.join(map(str, release)) + suffix
        if epoch:
            text = f'{epoch}!{text}'
        old = Version(text)
        new = Version(minimum_version(text, bump))
        self.assertGreater(new, old)
        self.assertEqual(old.epoch, new.epoch)
        self.assertFalse(new.is_prerelease or new.is_postrelease)
        level = effective_bump(old, bump)
        base_release = (*old.release, 0, 0)[:3]
        if old.pre is not None or old.dev is not None:
            # The final release of a pre-release may be enough.
            return
        if level is MAJOR:
            self.assertEqual((base_release[0] + 1, 0, 0), new.release)
        elif level is MINOR:
            self.assertEqual(
                (base_release[0], base_release[1] + 1, 0), new.release
            )
        else:
            self.assertEqual(base_release[:2], new.release[:2])
            self.assertGreater(new.release[2], base_release[2])

    @settings(max_examples=100, deadline=None)
    @given(_releases, _suffix, _bumps, _bumps)
    def test_bigger_bump_never_gives_smaller_version(
        self, release: list[int], suffix: str, a: Bump, b: Bump
    ) -> None:
        text = '.'.join(map(str, release)) + suffix
        low, high = sorted((a, b))
        self.assertLessEqual(
            Version(minimum_version(text, low)),
            Version(minimum_version(text, high)),
        )


class TestRequiredBump(base.TestCase):

    def test_max_of_unsuppressed(self) -> None:
        changes = [
            Change('a', 'x', MINOR, 'm'),
            Change('b', 'y', MAJOR, 'm', suppressed='ok'),
            Change('c', 'z', PATCH, 'm'),
        ]
        self.assertEqual(MINOR, required_bump(changes))
        self.assertEqual(NONE, required_bump([]))

    def test_severity_order(self) -> None:
        self.assertEqual([NONE, PATCH, MINOR, MAJOR],
                         sorted([MAJOR, NONE, MINOR, PATCH]))
        self.assertEqual(MAJOR, max(MINOR, MAJOR))


class TestVerdict(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.old = snap(mod('pkg', fn('f', p('a')), fn('g')), version='1.4.2')
        self.new = snap(mod('pkg', fn('f', p('a'))), version='1.5.0')

    def test_not_ok(self) -> None:
        result = verdict(self.old, self.new, diff=diff(self.old, self.new))
        self.assertEqual(MAJOR, result.required_bump)
        self.assertEqual('2.0.0', result.minimum_version)
        self.assertEqual('1.5.0', result.proposed)
        self.assertIs(False, result.ok)
        self.assertEqual(1, len(result.changes))
        self.assertEqual(
            {'required_bump': 'major', 'minimum_version': '2.0.0',
             'proposed': '1.5.0', 'ok': False,
             'changes': [c.to_json() for c in result.changes]},
            result.to_json(),
        )
        text = format_verdict_text(result)
        self.assertIn('proposed version: 1.5.0: NOT OK: needs at least '
                      '2.0.0', text)
        self.assertIn('removed-without-deprecation  pkg.g', text)

    def test_ok_with_proposed(self) -> None:
        result = verdict(self.old, self.new, proposed='2.0.0',
                         diff=diff(self.old, self.new))
        self.assertIs(True, result.ok)
        self.assertEqual('2.0.0', result.proposed)
        self.assertIn(': OK', format_verdict_text(result))

    def test_computes_diff_with_settings(self) -> None:
        settings = ApiSettings(suppress=(Suppression('internal',
                                                     path='pkg.g'),))
        result = verdict(self.old, self.new, settings=settings)
        self.assertEqual(NONE, result.required_bump)
        self.assertEqual('1.4.3', result.minimum_version)
        self.assertIs(True, result.ok)
        self.assertEqual((), result.changes)
        assert result.diff is not None
        self.assertEqual(1, len(result.diff.suppressed))

    def test_unknown_versions(self) -> None:
        old = snap(mod('pkg'), version=None)
        new = snap(mod('pkg'), version=None)
        result = verdict(old, new, diff=diff(old, new))
        self.assertIsNone(result.minimum_version)
        self.assertIsNone(result.proposed)
        self.assertIsNone(result.ok)
        self.assertIn('cannot tell', format_verdict_text(result))

    def test_invalid_proposed_names_it(self) -> None:
        err = self.assertRaises(
            InputError, verdict, self.old, self.new, proposed='next',
            diff=diff(self.old, self.new),
        )
        self.assertIn("proposed version 'next'", str(err))

    def test_zero_y_rule_in_verdict(self) -> None:
        old = snap(mod('pkg', fn('g')), version='0.3.1')
        new = snap(mod('pkg'), version='0.4.0')
        result = verdict(old, new, diff=diff(old, new))
        self.assertEqual('0.4.0', result.minimum_version)
        self.assertIs(True, result.ok)
