"""Real releases from the package index, judged by ``symbiosis.api``.

A handful of small pairs from ``benchmarks/release_corpus.py`` (the full
corpus runs with ``python benchmarks/release_pairs.py``): each breaking
pair must need a major bump and report its documented breaks; the
compatible pair must not need one. They need the package index and are
skipped when ``SYMBIOSIS_TEST_OFFLINE`` is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

from symbiosis import api
from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.api._differ import diff_snapshots
from symbiosis.config import Config
from tests import base

# Kinds that remove or relocate a whole object, covering what it holds.
_COVERING = frozenset({
    'module-removed', 'name-removed', 'name-moved', 'kind-changed',
    'removed-after-deprecation', 'removed-without-deprecation',
    'method-removed', 'attribute-removed', 'property-removed',
})


def _covers(change: Change, path: str) -> bool:
    if change.severity is not Bump.MAJOR:
        return False
    if change.path == path or change.path.startswith(path + '.'):
        return True
    return (path.startswith(change.path + '.')
            and str(change.kind) in _COVERING)


@base.requires_index
class TestRealReleases(base.TestCase):
    """Each test downloads two small releases and diffs them."""

    def judge(self, name: str, old: str, new: str) -> tuple[Change, ...]:
        config = Config.from_environ(cache_dir=self.tmp / 'cache')
        result = diff_snapshots(
            api.load(f'{name}=={old}', config=config),
            api.load(f'{name}=={new}', config=config),
        )
        self.required_bump = result.required_bump
        return tuple(result.active)

    def assertBreaks(self, changes: Iterable[Change],
                     expected: Sequence[Sequence[str]]) -> None:
        changes = tuple(changes)
        missing = [
            spellings[0] for spellings in expected
            if not any(_covers(c, p) for c in changes for p in spellings)
        ]
        if missing:
            majors = '\n'.join(
                f'  {c.kind} {c.path}: {c.message}' for c in changes
                if c.severity is Bump.MAJOR)
            self.fail(f'breaks not reported: {missing}\n'
                      f'major changes:\n{majors or "  (none)"}')

    def test_markupsafe_2_1_removes_soft_unicode(self) -> None:
        changes = self.judge('markupsafe', '2.0.1', '2.1.0')
        self.assertEqual(Bump.MAJOR, self.required_bump)
        self.assertBreaks(changes, [
            ('markupsafe.soft_unicode', 'markupsafe._native.soft_unicode'),
        ])

    def test_itsdangerous_2_1_removes_jws(self) -> None:
        changes = self.judge('itsdangerous', '2.0.1', '2.1.0')
        self.assertEqual(Bump.MAJOR, self.required_bump)
        self.assertBreaks(changes, [
            ('itsdangerous.JSONWebSignatureSerializer',
             'itsdangerous.jws.JSONWebSignatureSerializer'),
            ('itsdangerous.TimedJSONWebSignatureSerializer',
             'itsdangerous.jws.TimedJSONWebSignatureSerializer'),
            ('itsdangerous.jws',),
        ])

    def test_packaging_22_drops_legacy_versions(self) -> None:
        changes = self.judge('packaging', '21.3', '22.0')
        self.assertEqual(Bump.MAJOR, self.required_bump)
        self.assertBreaks(changes, [
            ('packaging.version.LegacyVersion',),
            ('packaging.specifiers.LegacySpecifier',),
        ])

    def test_six_1_16_is_compatible(self) -> None:
        changes = self.judge('six', '1.15.0', '1.16.0')
        majors = [f'{c.kind} {c.path}: {c.message}' for c in changes
                  if c.severity is Bump.MAJOR]
        self.assertEqual([], majors)
        self.assertLess(self.required_bump, Bump.MAJOR)
