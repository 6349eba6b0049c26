"""``--python X.Y`` is found the same way whichever interpreter runs
symbiosis, through version managers' shims."""

from __future__ import annotations

import os
import pathlib
import stat
import sys

from symbiosis.gate._environments.interpreters import InterpreterFinder
from tests import base


class TestInterpreterFinder(base.TestCase):

    def _script(self, directory: str, name: str, body: str) -> pathlib.Path:
        path = self.tmp / directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'#!/bin/sh\n{body}\n')
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    def _finder(self, *directories: str) -> InterpreterFinder:
        path = os.pathsep.join(str(self.tmp / d) for d in directories)
        return InterpreterFinder(dict(os.environ, PATH=path))

    def test_the_running_version_is_the_running_interpreter(self) -> None:
        running = f'{sys.version_info[0]}.{sys.version_info[1]}'
        # Even with a different interpreter of that version first on
        # PATH: the answer does not depend on PATH.
        self._script('bin', f'python{running}', 'exit 1')
        self.assertEqual(sys.executable,
                         self._finder('bin').find(running))

    def test_a_shim_is_resolved_to_the_interpreter_it_starts(self) -> None:
        # The first shim selects no interpreter of 3.99 (as pyenv's do
        # for a version it has not selected); the second one starts one,
        # which says where it is.
        failing = self._script(
            'shims', 'python3.99',
            'echo "pyenv: python3.99: command not found" >&2; exit 127')
        marker = self.tmp / 'asked'
        self._script('manager', 'python3.99',
                     f'echo asked >> {marker}\n'
                     'echo /opt/python/3.99.1/bin/python3.99; echo 3 99')
        finder = self._finder('shims', 'manager')
        self.assertTrue(failing.exists())
        self.assertEqual('/opt/python/3.99.1/bin/python3.99',
                         finder.find('3.99'))
        # Asked once: the answer is kept.
        self.assertEqual('/opt/python/3.99.1/bin/python3.99',
                         finder.find('3.99'))
        self.assertEqual(['asked'], marker.read_text().split())

    def test_an_interpreter_of_another_version_is_passed_over(self) -> None:
        self._script('a', 'python3.98', 'echo /opt/old/python; echo 3 97')
        self._script('b', 'python3.98', 'echo /opt/right/python; echo 3 98')
        self.assertEqual('/opt/right/python',
                         self._finder('a', 'b').find('3.98'))

    def test_nothing_found(self) -> None:
        self._script('a', 'python3.97', 'echo not a python')
        finder = self._finder('a')
        self.assertIsNone(finder.find('3.97'))
        # Not an X.Y version: left to the installer.
        self.assertIsNone(finder.find('pypy3.10'))
        self.assertIsNone(finder.find('3'))
