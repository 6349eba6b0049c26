"""Parsing, rendering and a small lock."""

import threading
import warnings


class ParseError(ValueError):
    """A line could not be parsed."""


def parse(text, separator='=', strict=False):
    """Parse ``key=value`` lines into a dict."""
    result = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if separator not in line:
            if strict:
                raise ParseError(f'line {number}: no {separator!r}')
            continue
        key, _, value = line.partition(separator)
        result[key.strip()] = value.strip()
    return result


def render(mapping, separator='='):
    """Render a dict as ``key=value`` lines."""
    return ''.join(f'{k}{separator}{v}\n' for k, v in mapping.items())


def legacy_parse(text):
    """Parse the old comma-separated format."""
    warnings.warn(
        'legacy_parse() is deprecated since 0.9 and will be removed in '
        '1.1; use parse()',
        DeprecationWarning,
        stacklevel=2,
    )
    return parse(text.replace(',', '\n'))


class Lock:
    """A lock that may be acquired again by the thread holding it."""

    def __init__(self):
        self._lock = threading.RLock()

    def acquire(self, blocking=True, timeout=-1):
        """Acquire the lock."""
        return self._lock.acquire(blocking, timeout)

    def release(self):
        """Release the lock."""
        self._lock.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()
