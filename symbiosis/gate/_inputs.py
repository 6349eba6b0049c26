"""Checks of a gate's input values, made before anything is built.

A value the installer would reject after the environments' other work
(a date it cannot read) is bad input, exit code 2, named at once -- not
an infrastructure error found when the first environment is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import datetime
import math
import re
from typing import TYPE_CHECKING

from symbiosis import exception

if TYPE_CHECKING:
    from symbiosis.probes._model import Probe

__all__ = [
    'check_exclude_newer',
    'check_executor',
    'check_upstream',
    'check_values',
    'collect_probes',
]

# Durations in fixed units only: a year or a month has no fixed length,
# and the installer refuses them.
_UNITS = (
    'weeks?|wks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|'
    's|milliseconds?|msecs?|ms|microseconds?|usecs?|us|nanoseconds?|nsecs?|'
    'ns'
)
# "30 days", "1 week", "2h 30m", "1 week ago".
_FRIENDLY = re.compile(
    rf'^\s*(?:\d+\s*(?:{_UNITS})(?:\s*,?\s*|$))+(?:ago)?$',
    re.IGNORECASE)
# ISO 8601 durations: P30D, PT24H, P1W2D.
_ISO_DURATION = re.compile(
    r'^P(?=\d|T\d)(?:\d+W)?(?:\d+D)?'
    r'(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d+)?S)?)?$',
    re.IGNORECASE)


def _is_date(text: str) -> bool:
    if re.fullmatch(r'\d{8}', text):
        try:
            datetime.datetime.strptime(text, '%Y%m%d')
        except ValueError:
            return False
        return True
    # Python 3.10 reads "+00:00", not "Z".
    iso = text[:-1] + '+00:00' if text[-1:] in ('Z', 'z') else text
    try:
        datetime.datetime.fromisoformat(iso)
    except ValueError:
        return False
    return True


def check_exclude_newer(value: str) -> str:
    """Return ``value`` if the installer can read it as ``--exclude-newer``.

    Accepted: a date (``2024-05-01``), an RFC 3339 timestamp
    (``2024-05-01T12:00:00Z``), or a duration back from now: friendly
    (``30 days``, ``1 week``) or ISO 8601 (``P30D``).

    :raises symbiosis.exception.InputError: it is none of them.
    """
    text = value.strip()
    if text and (_is_date(text) or _FRIENDLY.match(text)
                 or _ISO_DURATION.match(text)):
        return value
    raise exception.InputError(
        f'{value!r} is not a date, a timestamp or a duration (2024-05-01, '
        "2024-05-01T12:00:00Z, '30 days', P30D)")


def check_values(
    *,
    reruns: int,
    timeout: float | None,
    workers: int | None,
    exclude_newer: str | None,
) -> None:
    """Check a gate's numbers and date (the command line's option types
    check them too; library callers get the same errors).

    :raises symbiosis.exception.InputError: one is out of its range.
    """
    if reruns < 0:
        raise exception.InputError(
            f'--reruns must be 0 or more, not {reruns}')
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise exception.InputError(
            f'--timeout must be positive, not {timeout:g}')
    if workers is not None and workers < 0:
        raise exception.InputError(
            f'--workers must be 1 or more, not {workers}')
    if exclude_newer is not None:
        check_exclude_newer(exclude_newer)


def check_upstream(name: str) -> None:
    """Refuse an UPSTREAM that is not a distribution name.

    :raises symbiosis.exception.InputError: naming it.
    """
    if not re.match(r'^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$', name):
        raise exception.InputError(f'{name!r} is not a distribution name')


def check_executor(name: str) -> None:
    """Load the executor ``name`` once, before anything is built.

    :raises symbiosis.exception.ConfigError: it is unknown or broken,
        naming it.
    """
    from symbiosis import _plugins
    from symbiosis._executors import NAMESPACE
    from symbiosis._executors import ExecutorFactory

    _plugins.load(NAMESPACE, name, ExecutorFactory, what='executor')


def collect_probes(
    probes_paths: Sequence[str],
    commands: Sequence[str],
    directories: Mapping[str | None, str | None],
) -> dict[str | None, list[Probe]]:
    """The probes to run, per downstream (``None``: none).

    :param directories: each downstream's directory, where its commands
        run (``{None: None}``: no downstream).
    :raises symbiosis.exception.InputError: a path does not exist, no
        probe is found, or none of those found can run (a syntax error,
        an unreadable file).
    """
    from symbiosis.probes._jobs import check_runnable
    from symbiosis.probes._jobs import discover
    from symbiosis.probes._kinds.command import command_probe

    base = discover(list(probes_paths)) if probes_paths else []
    found: dict[str | None, list[Probe]] = {}
    for downstream, cwd in directories.items():
        probes = list(base)
        for index, command in enumerate(commands, 1):
            name = 'command' if len(commands) == 1 else f'command-{index}'
            try:
                probes.append(command_probe(name, command, cwd=cwd))
            except ValueError as err:
                raise exception.InputError(str(err)) from err
        if cwd is not None and not probes:
            from symbiosis.probes._kinds.base import load_kind

            probes = discover(
                [cwd], kinds={'command': load_kind('command')})
        if not probes:
            where = f' in {downstream}' if downstream else ''
            raise exception.InputError(
                f'no probes to run{where}: give --probes PATH or '
                '--command CMD')
        found[downstream] = probes
    check_runnable([p for members in found.values() for p in members])
    return found
