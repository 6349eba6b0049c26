"""Which calls a parameter change breaks: CallShape, from rule to impact.

The shapes come from comparing real parameter lists; the end-to-end case
runs the extractor, the diff and the usage scanner on source trees.
"""

from __future__ import annotations

from symbiosis import api
from symbiosis.api._changes import CallShape
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._rules.parameters import compare_parameters
from symbiosis.config import Config
from symbiosis.usage import impact
from symbiosis.usage import scan
from tests import base

PK = ParameterKind.POSITIONAL_OR_KEYWORD
PO = ParameterKind.POSITIONAL_ONLY
KO = ParameterKind.KEYWORD_ONLY
VP = ParameterKind.VAR_POSITIONAL


def p(name: str, kind: ParameterKind = PK,
      default: str | None = None) -> Parameter:
    return Parameter(name, kind, default)


def shapes(old: list[Parameter], new: list[Parameter],
           bound: int = 0) -> dict[str, CallShape | None]:
    return {f.kind: f.calls
            for f in compare_parameters('f', old, new, bound=bound)}


class TestShapes(base.TestCase):

    def test_removed(self) -> None:
        self.assertEqual(
            {'parameter-removed': CallShape(('b',), 2)},
            shapes([p('a'), p('b', default='1')], [p('a')]))
        # A method's self is not passed: b is the first argument.
        self.assertEqual(
            {'parameter-removed': CallShape(('b',), 1)},
            shapes([p('self'), p('b', default='1')], [p('self')], bound=1))
        self.assertEqual(
            {'parameter-removed': CallShape(('k',), None)},
            shapes([p('a'), p('k', KO, '1')], [p('a')]))
        self.assertEqual(
            {'parameter-removed': CallShape((), 2)},
            shapes([p('a', PO), p('b', PO, '1')], [p('a', PO)]))

    def test_renamed_breaks_keyword_callers_only(self) -> None:
        self.assertEqual(
            {'parameter-renamed': CallShape(('strict',), None)},
            shapes([p('text'), p('strict', default='False')],
                   [p('text'), p('validate', default='False')]))

    def test_inserted_optional_shifts_positional_callers(self) -> None:
        found = shapes([p('a'), p('c', default='1')],
                       [p('a'), p('b', default='0'), p('c', default='1')])
        self.assertEqual(CallShape((), 2), found['parameter-added-optional'])
        # Appended, it breaks nothing: no shape needed.
        appended = shapes([p('a')], [p('a'), p('b', default='0')])
        self.assertIsNone(appended['parameter-added-optional'])

    def test_required_added_breaks_every_call(self) -> None:
        self.assertEqual({'parameter-added-required': None},
                         shapes([p('a')], [p('a'), p('b')]))

    def test_reordered(self) -> None:
        self.assertEqual(
            {'parameter-reordered': CallShape((), 2)},
            shapes([p('a'), p('b'), p('c')], [p('a'), p('c'), p('b')]))

    def test_kind_narrowed(self) -> None:
        self.assertEqual(
            {'parameter-kind-changed': CallShape((), 2)},
            shapes([p('a'), p('b', default='1')],
                   [p('a'), p('b', KO, '1')]))
        self.assertEqual(
            {'parameter-kind-changed': CallShape(('a',), None)},
            shapes([p('a')], [p('a', PO)]))

    def test_var_positional_removed(self) -> None:
        self.assertEqual(
            {'var-positional-removed': CallShape((), 2)},
            shapes([p('a'), p('args', VP)], [p('a')]))

    def test_breaks(self) -> None:
        shape = CallShape(('b',), 2)
        self.assertFalse(shape.breaks(1, ()))
        self.assertTrue(shape.breaks(1, ('b',)))
        self.assertTrue(shape.breaks(2, ()))
        self.assertTrue(shape.breaks(None, ()))
        self.assertTrue(shape.breaks(0, None))
        self.assertEqual(shape, CallShape.from_json(shape.to_json()))
        self.assertEqual('calls passing b= or passing 2 or more positional '
                         'arguments', str(shape))


class TestEndToEnd(base.TestCase):

    def test_only_the_calls_passing_the_renamed_keyword(self) -> None:
        old = self.write_tree({
            'pkg/__init__.py': 'def parse(text, strict=False):\n'
                               '    return text\n',
        }, 'pkg-1')
        new = self.write_tree({
            'pkg/__init__.py': 'def parse(text, validate=False):\n'
                               '    return text\n',
        }, 'pkg-2')
        downstream = self.write_tree({'app.py': '''\
            import pkg
            from pkg import parse

            pkg.parse('a')
            pkg.parse('a', True)
            pkg.parse('a', strict=True)
            parse('a', **{'strict': True})
            options = dict(callback=parse)
            pkg.parse('a'); pkg.parse('b', strict=False)
        '''}, 'downstream')
        config = Config(cache_dir=self.tmp / 'cache')
        result = api.diff(api.load(str(old), config=config),
                          api.load(str(new), config=config))
        uses = scan(downstream, ['pkg'], config=config).uses
        # Line 8 passes parse on as a callback: no call of it is in
        # sight there, so that line itself still runs.
        self.assertEqual([6, 7, 9],
                         [i.line for i in impact(uses, result)])
