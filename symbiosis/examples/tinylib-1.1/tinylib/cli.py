"""The ``tinylib-render`` console script."""

import sys

from tinylib.core import parse
from tinylib.core import render


def main(argv=None):
    """Normalise the settings read from stdin."""
    sys.stdout.write(render(parse(sys.stdin.read())))
    return 0
