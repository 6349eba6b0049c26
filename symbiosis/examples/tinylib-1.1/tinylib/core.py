"""Parsing, rendering and a small lock."""

import threading

from tinylib.errors import ParseError as _ParseError


def parse(text, separator='=', validate=True):
    """Parse ``key=value`` lines into a dict; invalid lines now raise."""
    result = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if separator not in line:
            if validate:
                raise _ParseError(f'line {number}: no {separator!r}')
            continue
        key, _, value = line.partition(separator)
        result[key.strip()] = value.strip()
    return result


def render(mapping, separator='=', sort_keys=False):
    """Render a dict as ``key=value`` lines."""
    items = sorted(mapping.items()) if sort_keys else mapping.items()
    return ''.join(f'{k}{separator}{v}\n' for k, v in items)


def dump(mapping, stream, separator='='):
    """Write ``mapping`` to ``stream``."""
    stream.write(render(mapping, separator))


class Lock:
    """A faster lock (no longer re-entrant)."""

    def __init__(self):
        self._lock = threading.Lock()

    def acquire(self, timeout=None):
        """Acquire the lock."""
        return self._lock.acquire(timeout=-1 if timeout is None else timeout)

    def release(self):
        """Release the lock."""
        self._lock.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()
