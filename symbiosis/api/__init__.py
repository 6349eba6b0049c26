"""The static public-API model, its diff and the SemVer verdict.

The three entry points most callers need::

    from symbiosis import api

    old = api.load('mylib==1.4.0')        # any TARGET, or a snapshot file
    new = api.load('.')                    # a source tree
    result = api.diff(old, new)            # -> Diff(.changes, .required_bump)
    verdict = api.semver(old, new)         # -> SemverVerdict(.ok, ...)

Nothing here imports or executes the analysed code.

What this package exports is its whole promise:

* the entry points :func:`load`, :func:`diff`, :func:`semver` and
  :func:`snapshot_deprecations`;
* the model a snapshot is made of (:class:`Snapshot`, :class:`Module`,
  :class:`Class`, :class:`Function`, :class:`Attribute`, :class:`Alias`,
  :class:`Signature`, :class:`Parameter`, :class:`Deprecation`, ...);
* the diff's records (:class:`Diff`, :class:`Change`, :class:`ChangeKind`,
  :class:`Bump`, :class:`CallShape`) and the verdict
  (:class:`SemverVerdict`);
* project settings (:class:`ApiSettings`, :class:`Suppression`);
* the base classes of diff-rule plugins (:class:`Rule`,
  :class:`RemovalRule`, :class:`AdditionRule`, :class:`DiffContext` and
  the records they read: :class:`Pair`, :class:`Removal`,
  :class:`Addition`, :class:`Unknown`).

The implementation lives in ``_``-prefixed modules, which may change in
any release. Importing this package is cheap: the names load on first
use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiosis._lazy_names import attach

if TYPE_CHECKING:
    from symbiosis.api._changes import Bump
    from symbiosis.api._changes import CallShape
    from symbiosis.api._changes import Change
    from symbiosis.api._changes import ChangeKind
    from symbiosis.api._deprecations import SnapshotDeprecation
    from symbiosis.api._deprecations import snapshot_deprecations
    from symbiosis.api._differ import Diff
    from symbiosis.api._model import Alias
    from symbiosis.api._model import Attribute
    from symbiosis.api._model import Class
    from symbiosis.api._model import Deprecation
    from symbiosis.api._model import ExtractionProblem
    from symbiosis.api._model import Function
    from symbiosis.api._model import KeywordAlias
    from symbiosis.api._model import Location
    from symbiosis.api._model import Module
    from symbiosis.api._model import ObjectKind
    from symbiosis.api._model import Parameter
    from symbiosis.api._model import ParameterKind
    from symbiosis.api._model import Signature
    from symbiosis.api._model import Snapshot
    from symbiosis.api._rules.base import Addition
    from symbiosis.api._rules.base import AdditionRule
    from symbiosis.api._rules.base import DiffContext
    from symbiosis.api._rules.base import Pair
    from symbiosis.api._rules.base import Removal
    from symbiosis.api._rules.base import RemovalRule
    from symbiosis.api._rules.base import Rule
    from symbiosis.api._rules.base import Unknown
    from symbiosis.api._settings import ApiSettings
    from symbiosis.api._settings import Suppression
    from symbiosis.api._versioning import SemverVerdict
    from symbiosis.config import Config

__all__ = [
    'Addition',
    'AdditionRule',
    'Alias',
    'ApiSettings',
    'Attribute',
    'Bump',
    'CallShape',
    'Change',
    'ChangeKind',
    'Class',
    'Deprecation',
    'Diff',
    'DiffContext',
    'ExtractionProblem',
    'Function',
    'KeywordAlias',
    'Location',
    'Module',
    'ObjectKind',
    'Pair',
    'Parameter',
    'ParameterKind',
    'Removal',
    'RemovalRule',
    'Rule',
    'SemverVerdict',
    'Signature',
    'Snapshot',
    'SnapshotDeprecation',
    'Suppression',
    'Unknown',
    'diff',
    'load',
    'semver',
    'snapshot_deprecations',
]

__getattr__, __dir__ = attach(__name__, submod_attrs={
    '_changes': ['Bump', 'CallShape', 'Change', 'ChangeKind'],
    '_deprecations': ['SnapshotDeprecation', 'snapshot_deprecations'],
    '_differ': ['Diff'],
    '_model': [
        'Alias',
        'Attribute',
        'Class',
        'Deprecation',
        'ExtractionProblem',
        'Function',
        'KeywordAlias',
        'Location',
        'Module',
        'ObjectKind',
        'Parameter',
        'ParameterKind',
        'Signature',
        'Snapshot',
    ],
    '_rules.base': [
        'Addition',
        'AdditionRule',
        'DiffContext',
        'Pair',
        'Removal',
        'RemovalRule',
        'Rule',
        'Unknown',
    ],
    '_settings': ['ApiSettings', 'Suppression'],
    '_versioning': ['SemverVerdict'],
})


def load(
    target: str,
    /,
    *,
    config: Config | None = None,
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


def diff(
    old: Snapshot, new: Snapshot, /, *, config: Config | None = None,
) -> Diff:
    """Compare two snapshots; see :func:`symbiosis.api._differ.diff_snapshots`.
    """
    from symbiosis.api._differ import diff_snapshots

    return diff_snapshots(old, new, config)


def semver(
    old: Snapshot,
    new: Snapshot,
    /,
    *,
    proposed: str | None = None,
    config: Config | None = None,
) -> SemverVerdict:
    """Return the SemVer verdict for releasing ``new`` after ``old``.

    See :func:`symbiosis.api._versioning.verdict`.
    """
    from symbiosis.api._versioning import verdict

    return verdict(old, new, proposed=proposed, config=config)
