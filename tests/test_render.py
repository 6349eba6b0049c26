"""Expression text does not depend on the interpreter.

The same source gives the same snapshot, byte for byte, on every
supported Python: the text of defaults, annotations and values is written
by symbiosis itself rather than by the running interpreter's
:func:`ast.unparse` and ``repr``.
"""

from __future__ import annotations

import ast
import json
import pathlib
import subprocess
import sys
import textwrap
import unicodedata

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from symbiosis.api._extract.render import render
from symbiosis.api._extract.render import str_text
from symbiosis.api._extract.text import expr_text
from symbiosis.gate._environments.interpreters import InterpreterFinder
from tests import base

ROOT = pathlib.Path(__file__).resolve().parent.parent

#: The Pythons the project supports besides the one running the tests.
SUPPORTED = ('3.10', '3.11', '3.12', '3.13', '3.14')

#: Source text and the text every interpreter writes for it; each one
#: an expression some supported interpreter's ast.unparse or repr
#: writes differently.
CANONICAL = [
    # 3.10: "lambda : 1".
    ('lambda: 1', 'lambda: 1'),
    ('lambda: (yield)', 'lambda: (yield)'),
    ('lambda x, /, y=2, *a, z, **k: x', 'lambda x, /, y=2, *a, z, **k: x'),
    # U+061D was assigned in Unicode 14 (Python 3.11): 3.10's repr
    # escapes it, later ones do not.
    ("'a\u061d'", "'a\\u061d'"),
    ("'\U0001f600'", "'\\U0001f600'"),
    ("'\u00e9t\u00e9'", "'\u00e9t\u00e9'"),
    ("u'\u00fc'", "u'\u00fc'"),
    # f-strings: ast.unparse writes them differently in 3.11, 3.12 and
    # 3.13.
    ("f'{a!r:>{width}} {{}}'", "f'{a!r:>{width}} {{}}'"),
    ('f"it\'s {a[\'k\']}"', 'f"it\'s {a[\'k\']}"'),
    ("f'{a:\\n}'", "f'{a:\\n}'"),
    ("f'\u00e9{a}\\t'", "f'\u00e9{a}\\t'"),
    ('f"{x!r}" f\'{y}\'', "f'{x!r}{y}'"),
    ('(x := 1)', '(x := 1)'),
    ('a or b or c and d', 'a or b or (c and d)'),
    ('(yield -0.0)', '(yield (-0.0))'),
    ('-1 ** 2', '-1 ** 2'),
    ('(-1) ** 2', '(-1) ** 2'),
    ('1 .real', '1 .real'),
    ('a[1:2, ::3]', 'a[1:2, ::3]'),
    ('a[()]', 'a[()]'),
    ('a[1,]', 'a[1,]'),
    ('{**a, 1: 2}', '{**a, 1: 2}'),
    ('[x for x, y in z if x async for q in r]',
     '[x for x, y in z if x async for q in r]'),
    ('1e309', '1e309'),
]

#: A distribution whose snapshot holds each text above.
TREE = {
    'canon/__init__.py': '\n'.join([
        'import typing',
        *(f'def f{i}(a={source}): pass'
          for i, (source, _) in enumerate(CANONICAL)
          if 'yield' not in source and 'async' not in source),
        "X: typing.Literal['\u00f1', '\u0378', 'a\u061d'] = '\u00df'",
        'class C(typing.Generic[typing.T], metaclass=lambda *a: type(*a)):',
        '    Y = {1: (lambda: 1), 2: f"{1!a}"}',
        '',
    ]),
}

#: Writes the snapshot of a tree as ``api dump --indent 1`` does, with
#: only symbiosis's own checkout importable (none of its dependencies is
#: needed to extract), so any interpreter of the machine can run it.
DUMP = textwrap.dedent('''
    import pathlib, sys
    sys.path.insert(0, sys.argv[1])
    from symbiosis.api._extract.dump import dump_snapshot
    from symbiosis.api._extract.snapshot import extract_snapshot
    from symbiosis.config import Config
    from symbiosis.sources._base import SourceTree
    root = pathlib.Path(sys.argv[2])
    config = Config.from_environ({'SYMBIOSIS_NO_CACHE': '1'})
    tree = SourceTree(target=str(root), root=root, top_level=('canon',),
                      name='canon', version='1.0')
    sys.stdout.write(dump_snapshot(extract_snapshot(tree, config),
                                   indent=1).text)
''')


class TestCanonicalText(base.TestCase):

    def test_the_same_text_on_every_interpreter(self) -> None:
        for source, expected in CANONICAL:
            node = ast.parse(source, mode='eval').body
            self.assertEqual(expected, expr_text(node), source)
            self.assertEqual(expected, render(node), source)

    def test_the_text_parses_back_to_the_same_tree(self) -> None:
        for source, _ in CANONICAL:
            node = ast.parse(source, mode='eval').body
            again = ast.parse(render(node), mode='eval').body
            self.assertEqual(ast.dump(node), ast.dump(again), source)

    @settings(max_examples=200, deadline=None)
    @given(st.text(st.characters(codec='utf-8'), max_size=12))
    def test_strings_are_repr_where_unicode_versions_agree(
        self, value: str,
    ) -> None:
        written = str_text(value)
        self.assertEqual(value, ast.literal_eval(written))
        # Where Unicode 3.2 and this interpreter's database agree on
        # every character, the text is repr's.
        old = unicodedata.ucd_3_2_0
        if all(old.category(c) == unicodedata.category(c) for c in value):
            self.assertEqual(repr(value), written)


class TestAcrossInterpreters(base.TestCase):

    def _dump(self, python: str, tree: pathlib.Path) -> bytes:
        result = subprocess.run(
            [python, '-I', '-c', DUMP, str(ROOT), str(tree)],
            capture_output=True, timeout=300, cwd=self.tmp)
        self.assertEqual(0, result.returncode,
                         result.stderr.decode(errors='replace'))
        return result.stdout

    def test_the_same_tree_gives_the_same_snapshot_bytes(self) -> None:
        running = f'{sys.version_info[0]}.{sys.version_info[1]}'
        finder = InterpreterFinder()
        others = {}
        for version in SUPPORTED:
            found = None if version == running else finder.find(version)
            if found is not None:
                others[version] = found
        if not others:
            self.skipTest(f'no supported Python besides {running} on PATH')
        tree = self.write_tree(TREE, root='canon-1.0')
        mine = self._dump(sys.executable, tree)
        data = json.loads(mine)
        self.assertEqual(2, data['rendering_version'])
        self.assertIn('lambda: 1', mine.decode())
        for version, python in others.items():
            self.assertEqual(mine, self._dump(python, tree),
                             f'Python {running} and {version} ({python})')
