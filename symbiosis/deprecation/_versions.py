"""Validate the versions a deprecation is declared with.

``since`` and ``removal`` are checked with :mod:`packaging.version` when a
deprecation is *declared* (at decoration time), so a typo in a version or a
removal scheduled before the announcement fails the import of the module
that declares it, in the author's own test run, instead of surfacing later
in a consumer's.

:mod:`packaging` is imported only when a version is actually given, so
``import symbiosis.deprecation`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiosis import exception

if TYPE_CHECKING:
    from packaging.version import Version

__all__ = [
    'DeprecationDeclarationError',
    'check_versions',
    'parse_version',
]


class DeprecationDeclarationError(exception.InputError):
    """A deprecation is declared wrongly.

    Raised when the declaration is evaluated (decoration time, or the
    module-level call), never on first use: an invalid ``since`` or
    ``removal`` version, a ``removal`` not after ``since``, something that
    cannot be decorated, a moved target that does not exist.

    :param what: what was being declared deprecated (a qualified name or
        a ``repr``), when known.
    """

    def __init__(self, message: str, *, what: str | None = None) -> None:
        super().__init__(f'{what}: {message}' if what else message)
        self.what = what


def parse_version(value: str, *, what: str | None = None,
                  field: str = 'version') -> Version:
    """Parse ``value`` as a PEP 440 version.

    :param value: the version text.
    :param what: the declaration being checked, named in the error.
    :param field: the argument the value came from (``since``,
        ``removal``), named in the error.
    :raises DeprecationDeclarationError: ``value`` is not a string or not a
        valid version.
    """
    from packaging.version import InvalidVersion
    from packaging.version import Version

    if not isinstance(value, str):
        raise DeprecationDeclarationError(
            f'{field} must be a version string, not '
            f'{type(value).__name__}',
            what=what,
        )
    try:
        return Version(value)
    except InvalidVersion as err:
        raise DeprecationDeclarationError(
            f'{field}={value!r} is not a valid version (PEP 440)', what=what
        ) from err


def check_versions(
    since: str | None, removal: str | None, *, what: str | None = None
) -> None:
    """Validate a declaration's ``since`` and ``removal`` versions.

    :param since: version the deprecation is announced in, if given.
    :param removal: version the object is to be removed in, if given.
    :param what: the declaration being checked, named in the error.
    :raises DeprecationDeclarationError: a version is invalid, or
        ``removal`` is not later than ``since``.
    """
    if since is None and removal is None:
        return
    since_v = None if since is None else parse_version(
        since, what=what, field='since'
    )
    removal_v = None if removal is None else parse_version(
        removal, what=what, field='removal'
    )
    if since_v is not None and removal_v is not None and (
        removal_v <= since_v
    ):
        raise DeprecationDeclarationError(
            f'removal={removal!r} must be a later version than '
            f'since={since!r}',
            what=what,
        )
