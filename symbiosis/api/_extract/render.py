"""Expression text that does not depend on the interpreter.

Snapshots record defaults, annotations, values, bases and decorators as
source text. :func:`ast.unparse` is not fit for that: its output changes
between Python versions (``lambda : 1`` on 3.10, ``lambda: 1`` later;
parentheses around tuples and ``:=``; f-strings written differently in
3.11, 3.12 and 3.13), and ``repr`` of a string escapes the characters the
interpreter's Unicode database does not know, which grows with every
release. A snapshot of OLD taken on one interpreter and one of NEW taken
on another would then disagree on code that did not change.

:func:`render` writes every expression the same way on every supported
interpreter:

* the layout (spacing, parentheses, precedence) is the one
  :func:`ast.unparse` has used since Python 3.11;
* strings are written as ``repr`` writes them, except that a character
  outside ASCII is kept as it is only when Unicode 3.2 (the database
  every interpreter carries as :data:`unicodedata.ucd_3_2_0`) calls it
  printable, and is written as an escape otherwise;
* f-strings are written in one form of their own: literal parts escaped
  as strings are, replacement fields as written here, quotes chosen to
  clash with no replacement field where one of ``'``, ``"``, ``'''``,
  ``\"\"\"`` can;
* integers of more than :data:`MAX_INT_DIGITS` digits are written
  truncated (:func:`int_text`), and parts nested deeper than
  :data:`MAX_DEPTH` levels as ``...``.

``RENDERING_VERSION`` (:mod:`symbiosis.api._model.records`) numbers this
way of writing; snapshots record it, and a snapshot written another way
is refused rather than compared.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from collections.abc import Sequence
import dataclasses
import unicodedata

__all__ = [
    'MAX_DEPTH',
    'MAX_INT_DIGITS',
    'int_text',
    'render',
    'str_text',
]

#: Integers with more digits are written truncated: 640 is the lowest
#: limit :func:`sys.set_int_max_str_digits` accepts, so ``repr`` works on
#: the others in any interpreter.
MAX_INT_DIGITS = 640
_INT_BOUND = 10 ** MAX_INT_DIGITS
#: Parts of an expression nested deeper are written ``...``.
MAX_DEPTH = 50
#: Hex digits kept at each end of a truncated integer.
_KEPT = 16

# Binding strength, weakest first: the order of Python's grammar.
_NAMED_EXPR = 1
_TUPLE = 2
_YIELD = 3
_TEST = 4
_OR = 5
_AND = 6
_NOT = 7
_CMP = 8
_EXPR = 9
_BOR = 9
_BXOR = 10
_BAND = 11
_SHIFT = 12
_ARITH = 13
_TERM = 14
_FACTOR = 15
_POWER = 16
_AWAIT = 17
_ATOM = 18

_BINARY: dict[type[ast.operator], tuple[str, int]] = {
    ast.Add: ('+', _ARITH), ast.Sub: ('-', _ARITH),
    ast.Mult: ('*', _TERM), ast.MatMult: ('@', _TERM),
    ast.Div: ('/', _TERM), ast.Mod: ('%', _TERM),
    ast.FloorDiv: ('//', _TERM),
    ast.LShift: ('<<', _SHIFT), ast.RShift: ('>>', _SHIFT),
    ast.BitOr: ('|', _BOR), ast.BitXor: ('^', _BXOR),
    ast.BitAnd: ('&', _BAND), ast.Pow: ('**', _POWER),
}
_UNARY: dict[type[ast.unaryop], tuple[str, int]] = {
    ast.Not: ('not ', _NOT), ast.Invert: ('~', _FACTOR),
    ast.UAdd: ('+', _FACTOR), ast.USub: ('-', _FACTOR),
}
_COMPARE: dict[type[ast.cmpop], str] = {
    ast.Eq: '==', ast.NotEq: '!=', ast.Lt: '<', ast.LtE: '<=',
    ast.Gt: '>', ast.GtE: '>=', ast.Is: 'is', ast.IsNot: 'is not',
    ast.In: 'in', ast.NotIn: 'not in',
}
#: Unicode categories whose characters ``repr`` escapes.
_UNPRINTABLE = frozenset({'Cc', 'Cf', 'Cs', 'Co', 'Cn', 'Zl', 'Zp', 'Zs'})
_ESCAPES = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\'}
#: What ``repr`` writes for infinite floats is no literal; a literal too
#: large for a float is.
_INFINITY = '1e309'


def int_text(value: int) -> str:
    """``repr(value)``, truncated past :data:`MAX_INT_DIGITS` digits.

    ``0x0123456789abcdef...fedcba9876543210 (3000 hex digits)``: what the
    literal starts and ends with, without the quadratic conversion to
    decimal that ``repr`` refuses for long integers.
    """
    if -_INT_BOUND < value < _INT_BOUND:
        return repr(value)
    digits = format(abs(value), 'x')
    sign = '-' if value < 0 else ''
    return (f'{sign}0x{digits[:_KEPT]}...{digits[-_KEPT:]} '
            f'({len(digits)} hex digits)')


def _escaped(text: str, quote: str) -> str:
    """``text`` as the inside of a literal quoted with ``quote``."""
    parts = []
    for char in text:
        if char == quote:
            parts.append('\\' + char)
        elif char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif ' ' <= char < '\x7f' or (
            char > '\x7f' and unicodedata.ucd_3_2_0.category(char)
            not in _UNPRINTABLE
        ):
            parts.append(char)
        else:
            code = ord(char)
            parts.append(f'\\x{code:02x}' if code <= 0xff
                         else f'\\u{code:04x}' if code <= 0xffff
                         else f'\\U{code:08x}')
    return ''.join(parts)


def str_text(value: str) -> str:
    """A string literal of ``value``, the same on every interpreter.

    ``repr(value)`` for ASCII text; beyond ASCII, characters Unicode 3.2
    does not call printable are escaped, where ``repr`` asks the
    interpreter's own (newer, version-dependent) Unicode database.
    """
    if value.isascii():
        return repr(value)
    quote = '"' if "'" in value and '"' not in value else "'"
    return quote + _escaped(value, quote) + quote


def _float_text(value: float | complex) -> str:
    return repr(value).replace('inf', _INFINITY).replace(
        'nan', f'({_INFINITY}-{_INFINITY})')


def constant_text(value: object, kind: str | None = None) -> str:
    """The literal of a constant's value (``kind`` ``'u'``: ``u'...'``)."""
    if value is Ellipsis:
        return '...'
    if isinstance(value, str):
        return ('u' if kind == 'u' else '') + str_text(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return int_text(value)
    if isinstance(value, (float, complex)):
        return _float_text(value)
    if isinstance(value, tuple):
        return _sequence('(', [constant_text(v) for v in value], ')')
    return repr(value)


def _sequence(left: str, items: Sequence[str], right: str) -> str:
    if len(items) == 1:
        return f'{left}{items[0]},{right}'
    return left + ', '.join(items) + right


@dataclasses.dataclass(frozen=True)
class _Field:
    """A replacement field of an f-string, its parts already written."""

    expression: str
    conversion: str
    spec: tuple[str | _Field, ...] | None


def render(node: ast.expr) -> str:
    """The text of ``node``, the same on every supported interpreter."""
    return _Writer().expr(node, _TEST, 0)


class _Writer:
    """One rendering; methods take the binding strength the context
    needs (parentheses are written when the expression binds weaker) and
    the depth of the node."""

    def expr(self, node: ast.expr, strength: int, depth: int) -> str:
        if depth >= MAX_DEPTH and not isinstance(
            node, (ast.Name, ast.Constant)
        ):
            return '...'
        method = getattr(self, '_' + type(node).__name__, None)
        if method is None:
            # Syntax newer than this module: the interpreter's own text.
            return ast.unparse(node)
        text: str = method(node, strength, depth + 1)
        return text

    def _items(self, nodes: Iterable[ast.expr], depth: int) -> list[str]:
        return [self.expr(n, _TEST, depth) for n in nodes]

    @staticmethod
    def _wrap(text: str, own: int, strength: int) -> str:
        return f'({text})' if strength > own else text

    def _Name(self, node: ast.Name, strength: int, depth: int) -> str:
        return node.id

    def _Constant(self, node: ast.Constant, strength: int,
                  depth: int) -> str:
        return constant_text(node.value, node.kind)

    def _Attribute(self, node: ast.Attribute, strength: int,
                   depth: int) -> str:
        value = self.expr(node.value, _ATOM, depth)
        # ``1.real`` is a syntax error; ``1 .real`` is not.
        if isinstance(node.value, ast.Constant) and isinstance(
            node.value.value, int
        ):
            value += ' '
        return f'{value}.{node.attr}'

    def _Subscript(self, node: ast.Subscript, strength: int,
                   depth: int) -> str:
        value = self.expr(node.value, _ATOM, depth)
        index = node.slice
        if isinstance(index, ast.Tuple) and index.elts:
            inner = _sequence('', self._items(index.elts, depth + 1), '')
        else:
            inner = self.expr(index, _TEST, depth)
        return f'{value}[{inner}]'

    def _Slice(self, node: ast.Slice, strength: int, depth: int) -> str:
        parts = [self.expr(p, _TEST, depth) if p is not None else ''
                 for p in (node.lower, node.upper)]
        if node.step is not None:
            parts.append(self.expr(node.step, _TEST, depth))
        return ':'.join(parts)

    def _Starred(self, node: ast.Starred, strength: int,
                 depth: int) -> str:
        return '*' + self.expr(node.value, _EXPR, depth)

    def _Call(self, node: ast.Call, strength: int, depth: int) -> str:
        args = self._items(node.args, depth)
        for keyword in node.keywords:
            value = self.expr(keyword.value, _TEST, depth + 1)
            args.append(('**' if keyword.arg is None
                         else keyword.arg + '=') + value)
        return f'{self.expr(node.func, _ATOM, depth)}({", ".join(args)})'

    def _Tuple(self, node: ast.Tuple, strength: int, depth: int) -> str:
        items = self._items(node.elts, depth)
        if not items or strength > _TUPLE:
            return _sequence('(', items, ')')
        return _sequence('', items, '')

    def _List(self, node: ast.List, strength: int, depth: int) -> str:
        return '[' + ', '.join(self._items(node.elts, depth)) + ']'

    def _Set(self, node: ast.Set, strength: int, depth: int) -> str:
        if not node.elts:
            return '{*()}'
        return '{' + ', '.join(self._items(node.elts, depth)) + '}'

    def _Dict(self, node: ast.Dict, strength: int, depth: int) -> str:
        items = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                items.append('**' + self.expr(value, _EXPR, depth))
            else:
                items.append(f'{self.expr(key, _TEST, depth)}: '
                             f'{self.expr(value, _TEST, depth)}')
        return '{' + ', '.join(items) + '}'

    def _BinOp(self, node: ast.BinOp, strength: int, depth: int) -> str:
        operator, own = _BINARY[type(node.op)]
        # ``**`` groups to the right, the others to the left.
        right_assoc = operator == '**'
        left = self.expr(node.left, own + right_assoc, depth)
        right = self.expr(node.right, own + (not right_assoc), depth)
        return self._wrap(f'{left} {operator} {right}', own, strength)

    def _UnaryOp(self, node: ast.UnaryOp, strength: int,
                 depth: int) -> str:
        operator, own = _UNARY[type(node.op)]
        operand = self.expr(node.operand, own, depth)
        return self._wrap(operator + operand, own, strength)

    def _BoolOp(self, node: ast.BoolOp, strength: int, depth: int) -> str:
        operator, own = (' and ', _AND) if isinstance(
            node.op, ast.And) else (' or ', _OR)
        # Each operand one step stronger than the one before it, as
        # ast.unparse has it: ``a or b or (c and d)``.
        values = [self.expr(v, min(own + i, _ATOM), depth)
                  for i, v in enumerate(node.values, 1)]
        return self._wrap(operator.join(values), own, strength)

    def _Compare(self, node: ast.Compare, strength: int,
                 depth: int) -> str:
        parts = [self.expr(node.left, _CMP + 1, depth)]
        for op, comparator in zip(node.ops, node.comparators,
                                      strict=True):
            parts.append(_COMPARE[type(op)])
            parts.append(self.expr(comparator, _CMP + 1, depth))
        return self._wrap(' '.join(parts), _CMP, strength)

    def _IfExp(self, node: ast.IfExp, strength: int, depth: int) -> str:
        text = (f'{self.expr(node.body, _TEST + 1, depth)} if '
                f'{self.expr(node.test, _TEST + 1, depth)} else '
                f'{self.expr(node.orelse, _TEST, depth)}')
        return self._wrap(text, _TEST, strength)

    def _Lambda(self, node: ast.Lambda, strength: int, depth: int) -> str:
        arguments = self._arguments(node.args, depth + 1)
        head = f'lambda {arguments}' if arguments else 'lambda'
        body = self.expr(node.body, _TEST, depth)
        return self._wrap(f'{head}: {body}', _TEST, strength)

    def _arguments(self, node: ast.arguments, depth: int) -> str:
        parts = []
        positional = [*node.posonlyargs, *node.args]
        defaults: list[ast.expr | None] = [None] * (
            len(positional) - len(node.defaults))
        defaults.extend(node.defaults)
        pairs = zip(positional, defaults, strict=True)
        for index, (arg, default) in enumerate(pairs, 1):
            parts.append(self._arg(arg, default, depth))
            if index == len(node.posonlyargs):
                parts.append('/')
        if node.vararg is not None or node.kwonlyargs:
            parts.append('*' + (self._arg(node.vararg, None, depth)
                                if node.vararg is not None else ''))
        for arg, default in zip(node.kwonlyargs, node.kw_defaults,
                                strict=True):
            parts.append(self._arg(arg, default, depth))
        if node.kwarg is not None:
            parts.append('**' + self._arg(node.kwarg, None, depth))
        return ', '.join(parts)

    def _arg(self, arg: ast.arg, default: ast.expr | None,
             depth: int) -> str:
        text = arg.arg
        if arg.annotation is not None:
            text += ': ' + self.expr(arg.annotation, _TEST, depth + 1)
        if default is not None:
            text += '=' + self.expr(default, _TEST, depth)
        return text

    def _NamedExpr(self, node: ast.NamedExpr, strength: int,
                   depth: int) -> str:
        text = (f'{self.expr(node.target, _ATOM, depth)} := '
                f'{self.expr(node.value, _ATOM, depth)}')
        return self._wrap(text, _NAMED_EXPR, strength)

    def _Await(self, node: ast.Await, strength: int, depth: int) -> str:
        return self._wrap('await ' + self.expr(node.value, _ATOM, depth),
                          _AWAIT, strength)

    def _Yield(self, node: ast.Yield, strength: int, depth: int) -> str:
        text = 'yield' if node.value is None else (
            'yield ' + self.expr(node.value, _ATOM, depth))
        return self._wrap(text, _YIELD, strength)

    def _YieldFrom(self, node: ast.YieldFrom, strength: int,
                   depth: int) -> str:
        return self._wrap('yield from ' + self.expr(node.value, _ATOM,
                                                    depth),
                          _YIELD, strength)

    def _generators(self, generators: list[ast.comprehension],
                    depth: int) -> str:
        parts = []
        for generator in generators:
            parts.append(' async for ' if generator.is_async else ' for ')
            parts.append(self.expr(generator.target, _TUPLE, depth + 1))
            parts.append(' in ')
            parts.append(self.expr(generator.iter, _TEST + 1, depth + 1))
            for condition in generator.ifs:
                parts.append(' if ')
                parts.append(self.expr(condition, _TEST + 1, depth + 1))
        return ''.join(parts)

    def _ListComp(self, node: ast.ListComp, strength: int,
                  depth: int) -> str:
        return (f'[{self.expr(node.elt, _TEST, depth)}'
                f'{self._generators(node.generators, depth)}]')

    def _SetComp(self, node: ast.SetComp, strength: int,
                 depth: int) -> str:
        return (f'{{{self.expr(node.elt, _TEST, depth)}'
                f'{self._generators(node.generators, depth)}}}')

    def _GeneratorExp(self, node: ast.GeneratorExp, strength: int,
                      depth: int) -> str:
        return (f'({self.expr(node.elt, _TEST, depth)}'
                f'{self._generators(node.generators, depth)})')

    def _DictComp(self, node: ast.DictComp, strength: int,
                  depth: int) -> str:
        return (f'{{{self.expr(node.key, _TEST, depth)}: '
                f'{self.expr(node.value, _TEST, depth)}'
                f'{self._generators(node.generators, depth)}}}')

    # f-strings: the parts are written first, then the quotes chosen
    # from what they contain.

    def _JoinedStr(self, node: ast.JoinedStr, strength: int,
                   depth: int) -> str:
        parts = self._fstring_parts(node.values, depth)
        fields: list[str] = []
        literal: list[str] = []
        _collect(parts, fields, literal)
        free = [q for q in ("'", '"', "'''", '"""')
                if not any(q in f for f in fields)] or ["'"]
        text = ''.join(literal)
        quote = free[0]
        if quote == "'" and "'" in text and '"' not in text and '"' in free:
            quote = '"'
        return f'f{quote}{_fstring_body(parts, quote[0])}{quote}'

    def _FormattedValue(self, node: ast.FormattedValue, strength: int,
                        depth: int) -> str:
        # Only ever inside an f-string; alone, written as one.
        return self._JoinedStr(ast.JoinedStr(values=[node]), strength,
                               depth - 1)

    def _fstring_parts(self, values: list[ast.expr],
                       depth: int) -> tuple[str | _Field, ...]:
        parts: list[str | _Field] = []
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(
                value.value, str
            ):
                parts.append(value.value)
            elif isinstance(value, ast.FormattedValue):
                parts.append(self._field(value, depth + 1))
            else:
                parts.append(_Field(self.expr(value, _TEST + 1, depth), '',
                                    None))
        return tuple(parts)

    def _field(self, node: ast.FormattedValue, depth: int) -> _Field:
        expression = self.expr(node.value, _TEST + 1, depth)
        if expression.startswith('{'):
            # ``{ {`` : ``{{`` would be a literal brace.
            expression = ' ' + expression
        conversion = '' if node.conversion == -1 else '!' + chr(
            node.conversion)
        spec = None
        if isinstance(node.format_spec, ast.JoinedStr):
            spec = self._fstring_parts(node.format_spec.values, depth + 1)
        return _Field(expression, conversion, spec)


def _collect(parts: Iterable[str | _Field], fields: list[str],
             literal: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            literal.append(part)
        else:
            fields.append(part.expression)
            if part.spec is not None:
                _collect(part.spec, fields, literal)


def _fstring_body(parts: Iterable[str | _Field], quote: str) -> str:
    written = []
    for part in parts:
        if isinstance(part, str):
            written.append(_escaped(part, quote).replace(
                '{', '{{').replace('}', '}}'))
            continue
        spec = '' if part.spec is None else ':' + _fstring_body(
            part.spec, quote)
        written.append(f'{{{part.expression}{part.conversion}{spec}}}')
    return ''.join(written)
