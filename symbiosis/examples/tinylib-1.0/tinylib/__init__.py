"""tinylib: parse and render ``key=value`` settings."""

from tinylib.core import Lock
from tinylib.core import ParseError
from tinylib.core import legacy_parse
from tinylib.core import parse
from tinylib.core import render

__all__ = [
    'DEFAULT_SEPARATOR',
    'Lock',
    'ParseError',
    'legacy_parse',
    'parse',
    'render',
]

DEFAULT_SEPARATOR = '='
