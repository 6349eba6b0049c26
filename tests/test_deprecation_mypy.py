"""What mypy's ``deprecated`` error code (PEP 702) sees of symbiosis
deprecations.

mypy recognises a deprecation only from a decorator call whose callee is
``warnings.deprecated`` or ``typing_extensions.deprecated`` *by full name*,
with a literal message. So the recommended pattern stacks that decorator,
with ``category=None`` (no second runtime warning), on a symbiosis one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests import base

LIBRARY = '''\
from __future__ import annotations

import typing_extensions

from symbiosis.deprecation import deprecated


# Recommended: PEP 702 marker for type checkers, symbiosis for the rest.
@deprecated(since='1.4', removal='2.0', replacement='samplelib.connect()')
@typing_extensions.deprecated('Use connect() instead.', category=None)
def open_connection(host: str) -> str:
    return host


@deprecated(since='1.4', removal='2.0')
@typing_extensions.deprecated('Use Client instead.', category=None)
class Connection:
    pass


class Client:
    @deprecated(since='1.4')
    @typing_extensions.deprecated('Use close() instead.', category=None)
    def disconnect(self) -> None:
        pass


# symbiosis alone: checked at runtime, invisible to mypy.
@deprecated(since='1.4', removal='2.0')
def runtime_only() -> None:
    pass


def connect(host: str) -> str:
    return host
'''

CALLER = '''\
from samplelib import Client, Connection, open_connection, runtime_only

open_connection('db')
Connection()
Client().disconnect()
runtime_only()
'''


class TestMypySeesDeprecations(base.TestCase):
    def run_mypy(self) -> str:
        tree = self.write_tree({
            'samplelib/__init__.py': LIBRARY,
            'samplelib/py.typed': '',
            'caller.py': CALLER,
        }, root='mypy-sample')
        import symbiosis

        # mypy does not follow the import hooks of editable installs: point
        # it at the directory holding the symbiosis package.
        source_root = os.path.dirname(os.path.dirname(symbiosis.__file__))
        env = dict(os.environ)
        env['MYPYPATH'] = os.pathsep.join([str(tree), source_root])
        result = subprocess.run(
            [sys.executable, '-m', 'mypy', '--strict',
             '--enable-error-code', 'deprecated', '--no-incremental',
             '--cache-dir', os.devnull, '--follow-imports', 'silent',
             '--ignore-missing-imports', 'caller.py', 'samplelib'],
            capture_output=True, text=True, cwd=tree, env=env, timeout=300,
        )
        self.assertIn(result.returncode, (0, 1), result.stderr)
        return result.stdout

    def test_recommended_pattern_is_reported(self) -> None:
        out = self.run_mypy()
        lines = [line for line in out.splitlines() if 'caller.py' in line]
        expected = {
            'function samplelib.open_connection is deprecated: Use '
            'connect() instead.',
            'class samplelib.Connection is deprecated: Use Client instead.',
            'function samplelib.Client.disconnect is deprecated: Use '
            'close() instead.',
        }
        for message in expected:
            self.assertTrue(
                any(message in line and '[deprecated]' in line
                    for line in lines),
                f'{message!r} not in:\n{out}',
            )
        # Nothing else: the decorated library itself type-checks cleanly.
        self.assertFalse(
            [line for line in out.splitlines()
             if ': error:' in line and 'caller.py' not in line],
            out,
        )

    def test_symbiosis_alone_is_not_seen(self) -> None:
        out = self.run_mypy()
        # mypy did check the caller (it reports the marked function) yet
        # says nothing of the one deprecated with symbiosis alone.
        self.assertIn('samplelib.open_connection is deprecated', out)
        self.assertNotIn('runtime_only', out)


class TestRecommendedPatternAtRuntime(base.TestCase):
    def test_one_warning_with_full_message(self) -> None:
        import warnings

        namespace: dict[str, object] = {'__name__': 'samplelib_rt'}
        exec(textwrap.dedent(LIBRARY), namespace)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            namespace['open_connection']('db')  # type: ignore[operator]
            namespace['Connection']()  # type: ignore[operator]
        self.assertEqual(2, len(caught))
        self.assertEqual(
            'samplelib_rt.open_connection() is deprecated since 1.4 and '
            'will be removed in 2.0; use samplelib.connect() instead. Use '
            'connect() instead.',
            str(caught[0].message),
        )
        self.assertIn('Use Client instead.', str(caught[1].message))
