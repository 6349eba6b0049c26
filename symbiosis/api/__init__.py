"""The static public-API model, its diff and the SemVer verdict.

The three entry points most callers need::

    from symbiosis import api

    old = api.load('mylib==1.4.0')        # any TARGET, or a snapshot file
    new = api.load('.')                    # a source tree
    result = api.diff(old, new)            # -> Diff(.changes, .required_bump)
    verdict = api.semver(old, new)         # -> Verdict(.ok, .minimum_version)

Nothing here imports or executes the analysed code. Each kind of change
is found by a diff rule plugin, a :class:`Rule` subclass reading a
:class:`DiffContext` and yielding :class:`Change` records of a
:class:`Severity`.

The diff engine lives in :mod:`symbiosis.api._differ` and the version
arithmetic in :mod:`symbiosis.api._versioning`: those modules are not named
``diff`` and ``semver`` because importing a submodule binds its name on the
package, which would replace the :func:`diff` and :func:`semver` functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from symbiosis._lazy_names import load_lazy_name
from symbiosis.api._model import Snapshot

if TYPE_CHECKING:
    from symbiosis.api._changes import Change
    from symbiosis.api._changes import Severity
    from symbiosis.api._differ import Diff
    from symbiosis.api._rules.base import DiffContext
    from symbiosis.api._rules.base import Rule
    from symbiosis.api._versioning import Verdict
    from symbiosis.config import Config

__all__ = [
    'Change',
    'DiffContext',
    'Rule',
    'Severity',
    'Snapshot',
    'diff',
    'load',
    'semver',
]

# Public name -> the submodule defining it (read-only). The diff-rule
# plugin interface loads on first use.
_LAZY = {
    'Change': 'symbiosis.api._changes',
    'Severity': 'symbiosis.api._changes',
    'DiffContext': 'symbiosis.api._rules.base',
    'Rule': 'symbiosis.api._rules.base',
}


def __getattr__(name: str) -> Any:
    return load_lazy_name(__name__, name, _LAZY.get(name))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load(
    target: str,
    config: Config | None = None,
    *,
    repo: str | None = None,
) -> Snapshot:
    """Return the API snapshot of ``target``.

    :param target: any TARGET (a path, a wheel, an sdist, ``NAME==VERSION``,
        an installed ``NAME``, ``git:REF[:SUBDIR]``) or a snapshot JSON file
        written by ``symbiosis api dump``.
    :param config: settings (cache, index); defaults from the environment.
    :param repo: the git repository for ``git:`` targets (default: the
        current directory).
    :raises symbiosis.exception.SymbiosisError: the target cannot be read.
    """
    from symbiosis.api._loader import load_snapshot

    return load_snapshot(target, config, repo=repo)


def diff(old: Snapshot, new: Snapshot, config: Config | None = None) -> Diff:
    """Compare two snapshots; see :func:`symbiosis.api._differ.diff_snapshots`.
    """
    from symbiosis.api._differ import diff_snapshots

    return diff_snapshots(old, new, config)


def semver(
    old: Snapshot,
    new: Snapshot,
    proposed: str | None = None,
    config: Config | None = None,
) -> Verdict:
    """Return the SemVer verdict for releasing ``new`` after ``old``.

    See :func:`symbiosis.api._versioning.verdict`.
    """
    from symbiosis.api._versioning import verdict

    return verdict(old, new, proposed=proposed, config=config)
