"""Packages serve their public names lazily, and only those."""

from __future__ import annotations

import subprocess
import sys

from symbiosis._lazy_names import attach
from tests import base


class TestAttach(base.TestCase):

    def test_names_load_on_first_use_only(self) -> None:
        code = (
            'import sys, symbiosis.gate as g\n'
            'before = "symbiosis.gate._runner" in sys.modules\n'
            'gate = g.Gate\n'
            'print(before, "symbiosis.gate._runner" in sys.modules,\n'
            '      gate.__module__, g.ExecutorFactory.__module__)\n'
        )
        result = subprocess.run([sys.executable, '-c', code],
                                capture_output=True, text=True, check=True)
        self.assertEqual(
            'False True symbiosis.gate._runner symbiosis._executors',
            result.stdout.strip())

    def test_unknown_names_and_dir(self) -> None:
        import symbiosis.probes as package

        self.assertIn('ProbeRun', dir(package))
        self.assertIn('__name__', dir(package))
        err = self.assertRaises(AttributeError, getattr, package, 'Nope')
        self.assertEqual("module 'symbiosis.probes' has no attribute 'Nope'",
                         str(err))

    def test_a_name_served_twice_is_refused(self) -> None:
        err = self.assertRaises(
            ValueError, attach, 'symbiosis.gate',
            submod_attrs={'_model': ['Verdict'], '_runner': ['Verdict']})
        self.assertIn("'Verdict' is served by both", str(err))
