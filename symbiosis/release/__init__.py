"""Release hygiene: checks to run before tagging, pin checks, draft notes.

Two entry points cover most uses::

    from symbiosis import release

    problems = release.check('.', proposed='2.0.0')
    pin_problems = release.check_pins(['requirements.txt'], config=config)

Each check (semver, notes, calendar, immutability, deprecations, pins) is
a plugin in the ``symbiosis.release.checks`` entry-point namespace: a
:class:`Check` subclass reading the :class:`ReleaseContext` of the run.
Importing this package is cheap: the checks, git and the index client
load when :func:`check` runs.
"""

from __future__ import annotations

from collections.abc import Sequence
import datetime
import os
from typing import TYPE_CHECKING
from typing import Any

from symbiosis._lazy_names import load_lazy_name
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.config import Config
    from symbiosis.release._checks import Check
    from symbiosis.release._context import ReleaseContext
    from symbiosis.release._pins import PinProblem

__all__ = [
    'Check',
    'Problem',
    'ReleaseContext',
    'Severity',
    'check',
    'check_pins',
]

# Public name -> the submodule defining it (read-only): the release-check
# plugin interface, loaded on first use.
_LAZY = {
    'Check': 'symbiosis.release._checks',
    'ReleaseContext': 'symbiosis.release._context',
}


def __getattr__(name: str) -> Any:
    return load_lazy_name(__name__, name, _LAZY.get(name))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def check(
    repo: str | os.PathLike[str] = '.',
    *,
    proposed: str | None = None,
    date: datetime.datetime | str | None = None,
    config: Config | None = None,
    since: str | None = None,
    offline: bool | None = None,
) -> list[Problem]:
    """Run the release checks on the git repository ``repo``.

    See :func:`symbiosis.release._runner.run_checks` for the details.

    :param repo: the project's git repository (or a directory inside it).
    :param proposed: the version about to be released; default: pbr's
        next version, else the project's declared version.
    :param date: "now" (an aware or naive datetime, or ISO 8601 text).
    :param config: settings (index, cache); default from the environment.
    :param since: the previous release (a git ref); default: the latest
        release tag.
    :param offline: skip the checks that need the package index (default:
        ``config.offline``).
    :returns: the problems found, errors first.
    :raises symbiosis.exception.InputError: ``repo`` is not a git
        repository, or ``proposed``/``date`` is invalid.
    :raises symbiosis.exception.IndexUnreachable: the index cannot be
        reached (and ``offline`` is not set).
    """
    from symbiosis.release._runner import run_checks

    return run_checks(
        repo, proposed=proposed, date=date, config=config, since=since,
        offline=offline,
    )


def check_pins(
    files: Sequence[str | os.PathLike[str]],
    *,
    config: Config | None = None,
    pythons: Sequence[str] | None = None,
    offline: bool | None = None,
) -> list[PinProblem]:
    """Check the pins of requirement files against the configured index.

    See :func:`symbiosis.release._pins.check_pins`.
    """
    from symbiosis.release._pins import check_pins as _check_pins

    return _check_pins(files, config, pythons=pythons, offline=offline)
