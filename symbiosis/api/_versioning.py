"""Semantic Versioning arithmetic and the release verdict.

:func:`required_bump` turns changes into the bump they need,
:func:`minimum_version` turns a bump into the smallest acceptable next
version, and :func:`verdict` checks a proposed version against it::

    >>> minimum_version('1.4.2', Bump.MINOR)
    '1.5.0'
    >>> minimum_version('0.4.2', Bump.MAJOR)   # the 0.y rule
    '0.5.0'

Versions are parsed with :mod:`packaging.version` (PEP 440), never by hand.

Rules for the previous version's extra segments:

* an **epoch** is kept (``1!2.0`` + patch is ``1!2.0.1``);
* a **pre-release or dev release** has not been released as final yet, so
  releasing its final version is a bump of the kind the pre-release was
  heading for: ``1.4.0rc1`` + patch or minor is ``1.4.0``, ``2.0.0b1`` +
  major is ``2.0.0``; a larger bump than the pre-release's own goes up as
  usual (``1.4.1rc1`` + minor is ``1.5.0``);
* a **post release** is the same release as its base (``1.4.0.post1`` +
  patch is ``1.4.1``).

**The 0.y rule.** Before 1.0 every release may break, but users still
deserve a signal; symbiosis follows Cargo's convention: under ``0.y`` a
breaking change needs a *minor* bump (``0.4.2`` -> ``0.5.0``) and a new
feature only a *patch* bump (``0.4.2`` -> ``0.4.3``).
"""

from __future__ import annotations

from collections.abc import Iterable
import dataclasses
from typing import TYPE_CHECKING
from typing import Any

from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis.api._changes import Bump
from symbiosis.api._changes import Change
from symbiosis.exception import InputError

if TYPE_CHECKING:
    from symbiosis.api._differ import Diff
    from symbiosis.api._model import Snapshot
    from symbiosis.api._rules.base import Rule
    from symbiosis.api._settings import ApiSettings
    from symbiosis.config import Config

__all__ = [
    'SemverVerdict',
    'effective_bump',
    'minimum_version',
    'parse_version',
    'required_bump',
    'verdict',
]


def parse_version(text: str, what: str = 'version') -> Version:
    """Parse a PEP 440 version.

    :param what: how to name the version in the error (``proposed
        version``).
    :raises symbiosis.exception.InputError: ``text`` is not a valid
        version; the message names it.
    """
    try:
        return Version(str(text))
    except InvalidVersion as err:
        raise InputError(
            f'invalid {what} {text!r}: not a PEP 440 version'
        ) from err


def required_bump(changes: Iterable[Change]) -> Bump:
    """Return the most severe unsuppressed change, ``NONE`` if none."""
    return max(
        (c.severity for c in changes if c.suppressed is None),
        default=Bump.NONE,
    )


def effective_bump(version: Version, bump: Bump) -> Bump:
    """Apply the 0.y rule: under 1.0, major becomes minor and minor
    becomes patch.
    """
    if version.release[0] != 0:
        return bump
    return {
        Bump.MAJOR: Bump.MINOR,
        Bump.MINOR: Bump.PATCH,
    }.get(bump, bump)


def minimum_version(old_version: str, bump: Bump | str) -> str:
    """Return the smallest version that may follow ``old_version``
    after changes needing ``bump``.

    A ``none`` bump (no public change) still needs a new version: the
    next patch release.

    :raises symbiosis.exception.InputError: ``old_version`` or ``bump`` is
        invalid.
    """
    old = parse_version(old_version, 'old version')
    try:
        level = Bump.parse(bump)
    except ValueError as err:
        raise InputError(str(err)) from None
    level = effective_bump(old, level)
    major, minor, micro = (*old.release, 0, 0)[:3]
    if level is Bump.MAJOR:
        target = (major + 1, 0, 0)
    elif level is Bump.MINOR:
        target = (major, minor + 1, 0)
    else:
        target = (major, minor, micro + 1)
    unreleased = old.pre is not None or (
        old.dev is not None and old.post is None
    )
    if unreleased:
        # The final release of a pre-release is itself a bump of the
        # kind the pre-release was heading for: 2.0.0rc1 -> 2.0.0 is the
        # major release, 1.4.0rc1 -> 1.4.0 the minor one.
        if level is Bump.MAJOR and minor == micro == 0:
            candidate = (major, 0, 0)
        elif level is Bump.MINOR and micro == 0:
            candidate = (major, minor, 0)
        elif level in (Bump.PATCH, Bump.NONE):
            candidate = (major, minor, micro)
        else:
            candidate = target
        # 1.2.3.4rc1 is after 1.2.3: keep the regular bump then.
        if Version('.'.join(map(str, candidate))) > old:
            target = candidate
    text = '.'.join(str(n) for n in target)
    if old.epoch:
        text = f'{old.epoch}!{text}'
    return text


@dataclasses.dataclass(frozen=True)
class SemverVerdict:
    """Whether a proposed version fits the changes since the old one.

    :param required_bump: the bump the unsuppressed changes need.
    :param minimum_version: smallest acceptable version (``None`` when
        the old version is unknown).
    :param proposed: the version checked: the caller's, else NEW's.
    :param ok: ``proposed >= minimum_version``; ``None`` when either is
        unknown.
    :param changes: the unsuppressed changes behind the bump.
    :param diff: the full diff, suppressed changes included.
    """

    required_bump: Bump
    minimum_version: str | None
    proposed: str | None
    ok: bool | None
    changes: tuple[Change, ...] = ()
    diff: Diff | None = dataclasses.field(
        default=None, compare=False, repr=False
    )

    def to_json(self) -> dict[str, Any]:
        """Return ``{required_bump, minimum_version, proposed, ok,
        changes}``.
        """
        return {
            'required_bump': self.required_bump.value,
            'minimum_version': self.minimum_version,
            'proposed': self.proposed,
            'ok': self.ok,
            'changes': [c.to_json() for c in self.changes],
        }


def verdict(
    old: Snapshot,
    new: Snapshot,
    proposed: str | None = None,
    config: Config | None = None,
    *,
    diff: Diff | None = None,
    rules: list[Rule] | None = None,
    settings: ApiSettings | None = None,
) -> SemverVerdict:
    """Judge releasing ``new`` (as ``proposed``) after ``old``.

    :param proposed: the version to check; defaults to ``new.version``.
    :param config: passed to the diff (project settings).
    :param diff: an already computed diff of ``old`` and ``new``.
    :param rules: rules for the diff, when it is computed here.
    :param settings: project settings, when the diff is computed here.
    :raises symbiosis.exception.InputError: the old or proposed version
        is not a valid version.
    """
    if diff is None:
        from symbiosis.api._differ import diff_snapshots

        diff = diff_snapshots(
            old, new, config, rules=rules, settings=settings
        )
    bump = diff.required_bump
    minimum = None
    if old.version:
        minimum = minimum_version(old.version, bump)
    chosen = proposed if proposed is not None else new.version
    ok = None
    if chosen is not None:
        candidate = parse_version(chosen, 'proposed version')
        if minimum is not None:
            ok = candidate >= Version(minimum)
    return SemverVerdict(
        required_bump=bump,
        minimum_version=minimum,
        proposed=chosen,
        ok=ok,
        changes=diff.active,
        diff=diff,
    )
