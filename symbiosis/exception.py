"""The symbiosis error tree.

Every error symbiosis raises on purpose derives from :class:`SymbiosisError`
and carries the data that caused it (the target, the file, the line) so a
caller can act on it without parsing the message. Each error also knows the
exit code the command line maps it to:

* ``2`` -- :class:`InputError`: the user's input is wrong (a bad option, a
  malformed file, a version that does not exist);
* ``3`` -- :class:`InfrastructureError`: something outside the input failed
  (the package index is unreachable, a tool crashed, the disk is full).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    'ArchiveError',
    'ConfigError',
    'DistributionNotFound',
    'IndexUnreachable',
    'InfrastructureError',
    'InputError',
    'PackageIndexError',
    'PluginLoadError',
    'SnapshotFormatError',
    'SymbiosisError',
    'TargetError',
    'UnsafeArchive',
    'VersionNotFound',
]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_INPUT = 2
EXIT_INFRA = 3


class SymbiosisError(Exception):
    """Base of every error raised by symbiosis on purpose.

    :param message: a sentence a user can act on; it should name the input
        that is at fault.
    """

    exit_code: int = EXIT_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(SymbiosisError, ValueError):
    """The user's input is wrong: exit code 2."""

    exit_code = EXIT_INPUT


class InfrastructureError(SymbiosisError, OSError):
    """Something outside the user's input failed: exit code 3."""

    exit_code = EXIT_INFRA


class PluginLoadError(InfrastructureError):
    """An installed plugin cannot be loaded, and the run needs every
    plugin of its namespace (a diff rule left out would miss breaks): exit
    code 3.

    :param namespace: the plugin's entry-point namespace.
    :param name: its entry point's name.
    :param entry_point: what the entry point names (``module:attr``).
    """

    def __init__(
        self, message: str, *, namespace: str, name: str, entry_point: str
    ) -> None:
        super().__init__(message)
        self.namespace = namespace
        self.name = name
        self.entry_point = entry_point


class ConfigError(InputError):
    """A configuration file or value is invalid.

    :param path: the file at fault, when there is one.
    :param key: the setting at fault, when known.
    """

    def __init__(
        self, message: str, *, path: str | None = None, key: str | None = None
    ) -> None:
        prefix = f'{path}: ' if path else ''
        super().__init__(prefix + message)
        self.path = path
        self.key = key


class TargetError(InputError):
    """A TARGET cannot be turned into files to analyse.

    :param target: the target as the user wrote it.
    """

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f'{target}: {reason}')
        self.target = target
        self.reason = reason


class DistributionNotFound(TargetError):
    """No distribution of that name exists (installed or on the index)."""

    def __init__(self, target: str, name: str, where: str) -> None:
        super().__init__(target, f'no distribution named {name!r} {where}')
        self.name = name
        self.where = where


class VersionNotFound(TargetError):
    """The distribution exists but not in the requested version.

    :param available: versions that do exist, nearest first, so the
        message can suggest them.
    """

    def __init__(
        self,
        target: str,
        name: str,
        version: str,
        available: Sequence[str] = (),
    ) -> None:
        hint = ''
        if available:
            hint = '; nearest available: ' + ', '.join(available[:5])
        super().__init__(
            target, f'{name} has no release {version!r}{hint}'
        )
        self.name = name
        self.version = version
        self.available = tuple(available)


class ArchiveError(TargetError):
    """An archive is corrupted or cannot be read."""


class UnsafeArchive(ArchiveError):
    """An archive member would escape the extraction directory or is absurd.

    :param member: the offending member name.
    """

    def __init__(self, target: str, member: str, reason: str) -> None:
        super().__init__(target, f'refusing member {member!r}: {reason}')
        self.member = member


class SnapshotFormatError(InputError):
    """A saved snapshot file is not valid snapshot JSON.

    :param path: the file at fault.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f'{path}: not a symbiosis API snapshot: {reason}')
        self.path = path
        self.reason = reason


class PackageIndexError(InfrastructureError):
    """The package index answered with an error."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f'package index {url}: {reason}')
        self.url = url
        self.reason = reason


class IndexUnreachable(PackageIndexError):
    """The package index could not be reached at all."""
