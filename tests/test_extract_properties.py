"""Property tests: damaged sources never crash extraction; snapshots
round-trip through JSON and through the fast decoders."""

from __future__ import annotations

import ast
import json

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from symbiosis.api._extract import decode
from symbiosis.api._extract import snapshot as extract
from symbiosis.api._extract.text import expr_text
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
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
