"""Property tests: damaged sources never crash extraction; hostile ones
(expressions nested and ``elif`` chains as deep as Python compiles,
integers longer than it converts, trees of symbolic links) keep their
names, and the usage scanner their uses; snapshots round-trip through
JSON and through the fast decoders."""

from __future__ import annotations

import ast
from collections.abc import Callable
import json
import os
import pathlib
import re
import sys
import tempfile

from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from symbiosis.api._extract import decode
from symbiosis.api._extract import snapshot as extract
from symbiosis.api._extract.text import MAX_INT_DIGITS
from symbiosis.api._extract.text import expr_text
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.usage._pyfile import scan_python
from tests import base

SAMPLE = b'''# -*- coding: utf-8 -*-
"""A sample module exercising most of what the extractor reads."""
from __future__ import annotations
import enum, warnings
from typing import TYPE_CHECKING, overload
from . import sibling
from .other import *
if TYPE_CHECKING:
    from collections.abc import Sequence
try:
    from ._speed import fast
except ImportError:
    fast = None
__all__ = ['Color', 'Thing', 'f'] + sibling.__all__
LIMIT: int = -3
class Color(enum.Enum):
    RED = 1
    BLUE = 'b'
class Thing(sibling.Base, metaclass=type):
    x: int = 0
    def __init__(self, a, /, b=(1, 2), *args, c: str = 'z', **kw) -> None:
        self.a = a
    @property
    def p(self) -> int: return 1
    @p.setter
    def p(self, v): pass
    @overload
    def g(self, k: int) -> int: ...
    def g(self, k): pass
async def f(x: Sequence[int] | None = None) -> dict[str, 'Thing']:
    warnings.warn('f is deprecated since 1.0', DeprecationWarning)
import sys, six
from debtcollector import renames
PY38 = sys.version_info >= (3, 8)
if six.PY2:
    text_type = unicode
elif sys.version_info[:2] < (3, 8) and not PY38:
    def backport(): pass
class Shade(enum.Flag):
    LIGHT = enum.auto()
    DARK = enum.auto()
class Meta(six.with_metaclass(type, Thing)):
    kind = sibling.Kind
    @renames.renamed_kwarg('old', 'new')
    def call(self, new=None, **kw): pass
for _n in ('hann', 'hamming'):
    globals()[_n] = len
_EXPIRED = {'float': 'use float', 'int': 'use int'}
_MOVED = {'Old': 'pkg.new:Thing'}
def __getattr__(name):
    if name == 'Old':
        return Thing
    if name in _EXPIRED:
        raise AttributeError(_EXPIRED[name])
    try:
        return _MOVED[name]
    except KeyError:
        return getattr(sibling, name)
    raise AttributeError(name)
__all__ += [n for n in dir() if not n.startswith('_')]
del fast
'''

damage = st.one_of(
    st.tuples(st.just('flip'), st.integers(0, len(SAMPLE) - 1),
              st.integers(0, 255)),
    st.tuples(st.just('truncate'), st.integers(0, len(SAMPLE)),
              st.just(0)),
    st.tuples(st.just('insert'), st.integers(0, len(SAMPLE)),
              st.integers(0, 255)),
    st.tuples(st.just('delete'), st.integers(0, len(SAMPLE) - 1),
              st.just(0)),
)


def _apply(source: bytes, edits: list[tuple[str, int, int]]) -> bytes:
    data = bytearray(source)
    for kind, position, value in edits:
        position = min(position, len(data))
        if kind == 'flip' and position < len(data):
            data[position] = value
        elif kind == 'truncate':
            del data[position:]
        elif kind == 'insert':
            data.insert(position, value)
        elif kind == 'delete' and position < len(data):
            del data[position]
    return bytes(data)


class TestProperties(base.TestCase):

    def test_sample_is_valid(self) -> None:
        module = extract.extract_module('pkg/s.py', 'pkg.s', SAMPLE, False,
                                        ('pkg',))
        self.assertEqual((), module.errors)
        self.assertIn('Thing', module.members)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(damage, min_size=1, max_size=6))
    def test_damaged_source_never_raises(
        self, edits: list[tuple[str, int, int]]
    ) -> None:
        source = _apply(SAMPLE, edits)
        for is_package in (False, True):
            module = extract.extract_module(
                'pkg/s.py', 'pkg.s', source, is_package, ('pkg',)
            )
            self.assertIsInstance(module, Module)
            data = json.loads(json.dumps(module.to_json()))
            self.assertEqual(module, Module.from_json(data))
            self.assertEqual(module, decode.module_from_json(data))
            self.assertEqual(module, decode.loads_objects(
                decode.dumps_objects(module)))

    @settings(max_examples=40, deadline=None)
    @given(st.lists(damage, max_size=3), st.text(max_size=12),
           st.one_of(st.none(), st.text(max_size=8)))
    def test_snapshot_round_trips(
        self, edits: list[tuple[str, int, int]], name: str,
        version: str | None,
    ) -> None:
        module = extract.extract_module(
            'pkg/__init__.py', 'pkg', _apply(SAMPLE, edits), True, ('pkg',)
        )
        snapshot = Snapshot(
            name=name, version=version, extras=('x',),
            entry_points={'g': {'n': 'pkg:f'}}, modules={'pkg': module},
            errors=module.errors,
        )
        data = json.loads(json.dumps(snapshot.to_json()))
        self.assertEqual(snapshot, Snapshot.from_json(data))
        self.assertEqual(snapshot, decode.snapshot_from_json(data))

    @settings(max_examples=60, deadline=None)
    @given(st.recursive(
        st.one_of(
            st.sampled_from(['x', 'a.b', 'None', '...', '"s"', "'q'",
                             '1', '-2', '1.5', "b'\\x00'", 'u"u"',
                             '"a\'b\\"c"', '"\\n"']),
        ),
        lambda inner: st.one_of(
            st.builds('{}[{}]'.format, inner, inner),
            st.builds('{}[{}, {}]'.format, inner, inner, inner),
            st.builds('{} | {}'.format, inner, inner),
            st.builds('[{}, {}]'.format, inner, inner),
            st.builds('({},)'.format, inner),
            st.builds('-{}'.format, inner),
        ),
        max_leaves=8,
    ))
    def test_fast_text_matches_unparse(self, text: str) -> None:
        try:
            node = ast.parse(text, mode='eval').body
        except SyntaxError:
            return
        self.assertEqual(ast.unparse(node), expr_text(node))


#: Expressions that nest one level per repetition (``x`` and ``y`` are
#: names the usage scan looks for), and long integer literals.
SHAPES: dict[str, Callable[[int], str]] = {
    'sum': lambda n: '+'.join(['x'] * n),
    'attribute': lambda n: 'x' + '.a' * n,
    'call': lambda n: 'x' + '()' * n,
    'subscript': lambda n: 'x' + '[0]' * n,
    'not': lambda n: 'not ' * n + 'x',
    'negation': lambda n: '-' * n + '1',
    'union': lambda n: ' | '.join(['x.T'] * n),
    'power': lambda n: '**'.join(['2'] * n),
    'lambda': lambda n: 'lambda: ' * n + 'x',
    'conditional': lambda n: 'x if y else ' * n + 'x',
    'and-not': lambda n: ' and not '.join(['x'] * n),
    'hex': lambda n: '0x' + 'f' * (n * 8),
    'decimal': lambda n: '9' * (n * 8),
}

#: Places an expression ``{e}`` can sit in a module, each binding (or
#: serving) the name ``subject``.
CONTEXTS = (
    'def subject(a={e}): pass',
    'def subject(*, a={e}): pass',
    'def subject(a: {e} = 1) -> {e}: pass',
    'subject = {e}',
    'subject: {e} = {e}',
    'class subject({e}): pass',
    '@{e}\ndef subject(): pass',
    'class subject:\n    X = {e}\n    def m(self, a={e}): pass',
    'import enum\nclass subject(enum.Flag):\n    A = {e}\n'
    '    B = enum.auto()',
    'import sys\nif {e}:\n    def subject(): pass',
    'if x:\n    pass\nelif {e}:\n    subject = 1\nelse:\n    pass',
    'import typing\nif typing.TYPE_CHECKING or {e}:\n    subject = 1',
    '__all__ = ["subject", "keep"]\n__all__ += [{e}][:0]\nsubject = 1',
    'def __getattr__(name):\n    if name == "subject" and ({e}):\n'
    '        return ({e})\n    raise AttributeError(name)',
    'import warnings\ndef subject():\n'
    '    warnings.warn({e}, DeprecationWarning)',
    'class subject:\n    def __init__(self):\n        self.a: {e} = {e}',
    'import sys\nFLAG = {e}\nif FLAG:\n    subject = 1',
)


def _compiles(source: str) -> bool:
    """Whether Python compiles ``source`` (with the integer digit limit
    lifted, as ``PYTHONINTMAXSTRDIGITS=0`` does)."""
    try:
        compile(source, 'hostile.py', 'exec', dont_inherit=True)
    except SyntaxError as err:
        return 'integer string conversion' in (err.msg or '')
    except (RecursionError, MemoryError, ValueError):
        return False
    return True


deep = st.tuples(st.sampled_from(sorted(SHAPES)),
                 st.integers(1, 2900).filter(lambda n: n < 1200 or n % 7 == 0))


class TestHostileSources(base.TestCase):

    @settings(max_examples=60, deadline=None)
    @given(deep, st.sampled_from(CONTEXTS))
    def test_deep_or_long_expressions_keep_every_name(
        self, shape: tuple[str, int], context: str,
    ) -> None:
        kind, depth = shape
        text = SHAPES[kind](depth)
        source = (f'import x\n{context.format(e=text)}\n'
                  'def keep(): pass\n')
        assume(_compiles(source))
        module = extract.extract_module('pkg/h.py', 'pkg.h',
                                        source.encode(), False, ('pkg',))
        self.assertEqual((), module.errors)
        self.assertLessEqual({'subject', 'keep'}, set(module.members))
        data = json.loads(json.dumps(module.to_json()))
        self.assertEqual(module, Module.from_json(data))
        self.assertEqual(module, decode.module_from_json(data))

    @settings(max_examples=40, deadline=None)
    @given(deep, st.sampled_from(CONTEXTS))
    def test_deep_or_long_expressions_hide_no_use(
        self, shape: tuple[str, int], context: str,
    ) -> None:
        kind, depth = shape
        source = (f'import x\n{context.format(e=SHAPES[kind](depth))}\n'
                  'x.keep()\n')
        assume(_compiles(source))
        result = scan_python(source.encode(), 'h.py', frozenset({'x'}))
        self.assertIsNone(result.error)
        last = source.count('\n')
        self.assertIn(('x.keep', last), {u[:2] for u in result.uses})

    @settings(max_examples=40, deadline=None)
    @given(st.integers(1, 3000), st.sampled_from([
        # The else block of each link read in order, or before the body.
        ('if x == {i}:\n    a{i} = 1\nel', ''),
        ('if TYPE_CHECKING or x == {i}:\n    a{i} = 1\nel', ''),
        ('if sys.version_info >= (3, {i}):\n    a{i} = 1\nel', ''),
        ('if not TYPE_CHECKING:\n    a{i} = 1\nel', ''),
    ]))
    def test_elif_chains_keep_every_name(
        self, length: int, link: tuple[str, str],
    ) -> None:
        chain = ''.join(link[0].format(i=i) for i in range(length))
        source = ('import sys\nfrom typing import TYPE_CHECKING\n'
                  f'{chain}se:\n    last = 1\ndef keep(): pass\n')
        assume(_compiles(source))
        module = extract.extract_module('pkg/h.py', 'pkg.h',
                                        source.encode(), False, ('pkg',))
        self.assertEqual((), module.errors)
        self.assertLessEqual({'a0', f'a{length - 1}', 'last', 'keep'},
                             set(module.members))

    @settings(max_examples=80, deadline=None)
    @given(st.integers(-(16 ** 5000), 16 ** 5000))
    def test_integers_are_written_whole_or_truncated(
        self, value: int,
    ) -> None:
        node = ast.parse(hex(value), mode='eval').body
        text = expr_text(node)
        if abs(value) < 10 ** MAX_INT_DIGITS:
            self.assertEqual(ast.unparse(node), text)
            self.assertEqual(repr(value), text)
            return
        digits = format(abs(value), 'x')
        self.assertEqual(
            f'{"-" if value < 0 else ""}0x{digits[:16]}...{digits[-16:]} '
            f'({len(digits)} hex digits)', text)

    @settings(max_examples=60, deadline=None)
    @given(st.recursive(
        st.sampled_from(['x', '1', '0x' + 'f' * 500, '"s"', '...']),
        lambda inner: st.one_of(
            st.builds('{} + {}'.format, inner, inner),
            st.builds('{}[{}]'.format, inner, inner),
            st.builds('f"{{{}}}"'.format, inner),
            st.builds('[{}, {}]'.format, inner, inner),
            st.builds('(lambda: {})'.format, inner),
            st.builds('{}.attr'.format, inner),
        ),
        max_leaves=12,
    ))
    def test_text_of_shallow_expressions_is_unparse(self, text: str) -> None:
        try:
            node = ast.parse(text, mode='eval').body
        except SyntaxError:
            return
        written = expr_text(node)
        # The layout of ast.unparse since 3.11; f-strings in a form of
        # their own, the same on every interpreter.
        if sys.version_info >= (3, 11) and 'f"' not in text:
            self.assertEqual(ast.unparse(node), written)
        try:
            again = ast.parse(written, mode='eval').body
        except SyntaxError:
            # A replacement field quoting like its f-string (3.12+).
            self.assertLess(sys.version_info, (3, 12), written)
            return
        self.assertEqual(ast.dump(node), ast.dump(again))


class TestLinkedTrees(base.TestCase):
    """Random trees of packages and symbolic links: the walk ends, keeps
    every module that is not behind a link, and is bounded."""

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(st.integers(0, 5), min_size=1, max_size=6),
        st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)),
                 max_size=6),
    )
    def test_links_never_multiply_or_lose_modules(
        self, parents: list[int], links: list[tuple[int, int]],
    ) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            # Directory i + 1 is in directory min(parent, i); 0 is pkg.
            dirs = [root / 'pkg']
            names = ['pkg']
            for index, parent in enumerate(parents):
                parent = min(parent, index)
                dirs.append(dirs[parent] / f'd{index + 1}')
                names.append(f'{names[parent]}.d{index + 1}')
            for directory in dirs:
                directory.mkdir()
                (directory / '__init__.py').write_text('')
                (directory / 'mod.py').write_text('def f(): pass\n')
            for number, (source, target) in enumerate(links):
                where = dirs[source % len(dirs)]
                os.symlink(os.path.relpath(dirs[target % len(dirs)], where),
                           where / f'link{number}',
                           target_is_directory=True)
            found = extract.find_module_files(root, ('pkg',))
        modules = [f.module for f in found]
        self.assertEqual(len(modules), len(set(modules)))
        expected = {m for name in names for m in (name, f'{name}.mod')}
        self.assertLessEqual(expected, set(modules))
        self.assertLessEqual(len(modules), len(expected) * (1 + len(links)))
        self.assertTrue(all(re.fullmatch(r'[\w.]+', m) for m in modules))
        self.assertLess(max(m.count('.') for m in modules),
                        sys.getrecursionlimit())
