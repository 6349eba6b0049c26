"""What a deprecation says: its record and its warning message.

Every helper of :mod:`symbiosis.deprecation` describes what it declares with
a :class:`DeprecationRecord` stored on the object it returns (as
``__symbiosis_deprecation__``), and warns with a message built once, at
declaration time, by :func:`build_message`::

    mylib.old_connect() is deprecated since 1.4 and will be removed in 2.0;
    use mylib.connect() instead.
"""

from __future__ import annotations

from typing import Any
from typing import NamedTuple

__all__ = [
    'RECORDS_ATTRIBUTE',
    'RECORD_ATTRIBUTE',
    'DeprecationRecord',
    'build_message',
]

#: Attribute holding the :class:`DeprecationRecord` of a deprecated object.
RECORD_ATTRIBUTE = '__symbiosis_deprecation__'

#: Attribute holding a tuple of further records carried by an object:
#: renamed keyword arguments of a function, names served by a module's
#: ``__getattr__``.
RECORDS_ATTRIBUTE = '__symbiosis_deprecations__'


class DeprecationRecord(NamedTuple):
    """One deprecation declared with :mod:`symbiosis.deprecation`.

    It has the fields of the API snapshot's deprecation markers
    (``marker``, ``message``, ``since``, ``removal``, ``replacement``), so
    the runtime and the static views of a deprecation compare, plus where
    it applies.

    :param path: qualified name of what is deprecated
        (``mylib.client.Client.connect``; for a keyword argument, the
        function's).
    :param kind: ``function``, ``method``, ``class``, ``property``,
        ``attribute``, ``module`` or ``parameter``.
    :param message: the full warning message.
    :param since: version the deprecation was announced in.
    :param removal: version the object is to be removed in.
    :param replacement: what to use instead.
    :param parameter: for ``kind == 'parameter'``, the deprecated keyword.
    :param marker: always ``'symbiosis'``.
    """

    path: str
    kind: str
    message: str
    since: str | None = None
    removal: str | None = None
    replacement: str | None = None
    parameter: str | None = None
    marker: str = 'symbiosis'

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (``None`` fields left out)."""
        return {k: v for k, v in self._asdict().items() if v is not None}


def _describe(path: str, kind: str, parameter: str | None) -> str:
    if kind == 'parameter':
        return f'the {parameter!r} argument of {path}()'
    if kind in ('function', 'method'):
        return f'{path}()'
    if kind == 'module':
        return f'module {path}'
    return path


def build_message(
    path: str,
    kind: str,
    *,
    since: str | None = None,
    removal: str | None = None,
    replacement: str | None = None,
    message: str | None = None,
    parameter: str | None = None,
) -> str:
    """Build the warning message of a deprecation.

    The message names what is deprecated, since which version, when it
    will be removed and what to use instead, then adds the author's own
    ``message``.

    :param path: qualified name of what is deprecated.
    :param kind: see :class:`DeprecationRecord`; functions and methods are
        written with ``()``.
    :param since: version the deprecation was announced in.
    :param removal: version of the planned removal.
    :param replacement: what to use instead, verbatim.
    :param message: the author's explanation, appended.
    :param parameter: the deprecated keyword, for ``kind='parameter'``.
    """
    text = f'{_describe(path, kind, parameter)} is deprecated'
    if since:
        text += f' since {since}'
    if removal:
        text += f' and will be removed in {removal}'
    if replacement:
        text += f'; use {replacement} instead'
    text += '.'
    if message:
        text += f' {message}'
    return text
