"""Shared test base: a testtools TestCase with temp dirs and fixtures."""

from __future__ import annotations

from collections.abc import Mapping
import os
import pathlib
from typing import Any

import fixtures
import testtools

from tests import distbuilder

__all__ = ['TestCase', 'requires_index']


def requires_index(test: Any) -> Any:
    """Mark a test (or TestCase) as needing the package index.

    Such tests are skipped when ``SYMBIOSIS_TEST_OFFLINE`` is set; run
    ``stestr run --exclude-regex needs_index`` style filtering via the
    attribute ``needs_index`` too.
    """
    import unittest

    test.needs_index = True
    return unittest.skipIf(
        os.environ.get('SYMBIOSIS_TEST_OFFLINE', '') not in ('', '0'),
        'needs the package index (SYMBIOSIS_TEST_OFFLINE is set)',
    )(test)


class TestCase(testtools.TestCase):
    """Base class: isolated cache dir and helpers for fixture dists."""

    def setUp(self) -> None:
        super().setUp()
        self.tmp = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        cache = self.tmp / '_cache'
        self.useFixture(
            fixtures.EnvironmentVariable('SYMBIOSIS_CACHE_DIR', str(cache))
        )

    def make_dist(
        self,
        name: str,
        version: str,
        files: Mapping[str, str],
        **kwargs: Any,
    ) -> distbuilder.BuiltDistribution:
        """Build a fixture distribution under this test's temp dir."""
        return distbuilder.build_distribution(
            self.tmp / 'dists', name, version, files, **kwargs
        )

    def write_tree(
        self, files: Mapping[str, str], root: str = 'tree'
    ) -> pathlib.Path:
        """Write ``files`` (dedented) under a fresh temp subdir."""
        import textwrap

        base = self.tmp / root
        for rel, text in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding='utf-8')
        return base
