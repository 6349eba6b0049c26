"""The ``@probe`` decorator, free of any dependency.

This module is deliberately self-contained and compatible with Python 3.8:
the probe worker copies its text into a throw-away package named
``symbiosis.probes`` inside the target environment, so that
``from symbiosis.probes import probe`` works in a probes file even where
symbiosis itself is not installed. Keep it importing nothing but the
standard library and defining nothing but :func:`probe`.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

__all__ = ['PROBE_ATTRIBUTE', 'probe']

#: Attribute set on a decorated function: a dict with ``timeout`` and
#: ``requires``. The worker and static discovery both rely on the name.
PROBE_ATTRIBUTE = '__symbiosis_probe__'


def probe(
    func: Callable[..., Any] | None = None,
    *,
    timeout: float | None = None,
    requires: Iterable[str] = (),
) -> Any:
    """Mark a plain function as a probe.

    Use it bare or with options::

        @probe
        def parses_legacy_format(): ...

        @probe(timeout=10, requires=['requests>=2'])
        def reconnects(): ...

    The function takes no argument; it passes when it returns and fails
    when it raises (``AssertionError`` or anything else). The decorated
    function is returned unchanged apart from a marker attribute, so it can
    still be called directly.

    :param func: the function, when used without parentheses.
    :param timeout: seconds after which the probe is stopped and reported
        as ``timeout`` (default: the run's timeout).
    :param requires: extra requirements (PEP 508 strings) the probe's
        environment needs, e.g. ``['requests>=2']``.
    :returns: the function, or a decorator when called with options.
    :raises TypeError: ``timeout`` is not a positive number or
        ``requires`` is a bare string.
    """
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or timeout <= 0
    ):
        raise TypeError(
            'probe timeout must be a positive number of seconds, '
            f'not {timeout!r}'
        )
    if isinstance(requires, str):
        raise TypeError(
            'probe requires must be a list of requirement strings, not a '
            f'string: {requires!r}'
        )
    options = {
        'timeout': None if timeout is None else float(timeout),
        'requires': [str(r) for r in requires],
    }

    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(function):
            raise TypeError(f'@probe decorates functions, not {function!r}')
        setattr(function, PROBE_ATTRIBUTE, options)
        return function

    if func is not None:
        return mark(func)
    return mark
