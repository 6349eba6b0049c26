"""Parsing a file's bytes as the interpreter would, never executing them.

:func:`parse_source` is :func:`ast.parse` on the bytes (so the encoding
is detected as the interpreter does), with the warnings it may issue
(invalid escape sequences...) silenced -- they say nothing about the API
or its uses -- and one more kind of file read: one holding a decimal
integer literal longer than :func:`sys.get_int_max_str_digits` (4300
digits by default). The interpreter refuses to compile it unless that
limit is raised (``PYTHONINTMAXSTRDIGITS=0``), with which the module
imports and works; its names are read all the same, each such literal
read as ``...`` -- its value unknown -- rather than converted, which
takes time quadratic in its length.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
import warnings

__all__ = ['parse_source']

#: What :class:`SyntaxError` says of a literal past the digit limit.
_LIMIT_MESSAGE = 'for integer string conversion'


def parse_source(source: bytes, filename: str) -> ast.Module:
    """Parse a module's bytes (see the module docstring).

    :raises SyntaxError: and the others :func:`ast.parse` raises
        (``ValueError`` for NUL bytes, ``RecursionError``,
        ``MemoryError``).
    """
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            return ast.parse(source, filename=filename)
        except SyntaxError as err:
            if _LIMIT_MESSAGE not in (err.msg or ''):
                raise
            text = _long_integers_unknown(source)
            if text is None:
                raise
            return ast.parse(text, filename=filename)


def _long_integers_unknown(source: bytes) -> str | None:
    """The source text with each decimal integer literal longer than the
    interpreter converts written ``(...)``; ``None`` when it cannot be
    tokenised or holds no such literal."""
    limit = sys.get_int_max_str_digits()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        lines = source.decode(encoding).splitlines(keepends=True)
        tokens = list(tokenize.generate_tokens(iter(lines).__next__))
    except (SyntaxError, tokenize.TokenError, UnicodeDecodeError,
            LookupError, ValueError):
        return None
    long_ones = [
        token for token in tokens
        if token.type == tokenize.NUMBER
        and _digits(token.string) > limit > 0
    ]
    if not long_ones:
        return None
    # Right to left, so that earlier columns stay where they are.
    for token in reversed(long_ones):
        row, start = token.start
        line = lines[row - 1]
        lines[row - 1] = f'{line[:start]}(...){line[token.end[1]:]}'
    return ''.join(lines)


def _digits(number: str) -> int:
    """How many digits a decimal integer literal has (0 for any other
    number: hex, octal and binary ones are converted in linear time)."""
    digits = number.replace('_', '')
    return len(digits) if digits.isdigit() else 0
