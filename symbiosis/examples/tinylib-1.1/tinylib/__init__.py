"""tinylib: parse and render ``key=value`` settings."""

from tinylib.core import Lock
from tinylib.core import dump
from tinylib.core import parse
from tinylib.core import render
from tinylib.errors import ParseError

__all__ = [
    'DEFAULT_SEPARATOR',
    'Lock',
    'ParseError',
    'dump',
    'parse',
    'render',
]

DEFAULT_SEPARATOR = '='
