"""The static kinds: ``usage`` and ``semver``, judged from API snapshots.

Neither executes anything in the target environment: they read the
upstream's public API with :func:`symbiosis.api.load` (the TARGET under
test is the :attr:`~symbiosis.probes.ProbeRun.upstream` of the run, unless
the probe names its own) and compare.

``usage``
    fails when a dotted name the downstream uses does not resolve in the
    upstream's snapshot, or (given a baseline) when a breaking change hits
    it;
``semver``
    fails when the upstream's version is smaller than its API diff from
    the baseline requires.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
import logging
import pathlib
import time
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis.probes._kinds.base import ProbeKind
from symbiosis.probes._model import Cause
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from symbiosis.probes._model import Probe

if TYPE_CHECKING:
    from symbiosis.probes._kinds.base import ProbeRun

__all__ = ['SemverKind', 'UsageKind', 'semver_probe', 'usage_probe']

LOG = logging.getLogger(__name__)


def usage_probe(
    names: Sequence[str],
    *,
    target: str | None = None,
    id: str = 'usage',
) -> Probe:
    """Build a usage probe in code.

    :param names: dotted names the downstream uses (``pkg.mod.Name``).
    :param target: the upstream TARGET to check (default: the run's
        ``upstream``).
    :param id: the probe's id.
    """
    data: dict[str, Any] = {'names': sorted(set(names))}
    if target:
        data['target'] = target
    return Probe(id=id, kind=UsageKind.name, data=data)


def semver_probe(
    *,
    baseline: str | None = None,
    target: str | None = None,
    proposed: str | None = None,
    id: str = 'semver',
) -> Probe:
    """Build a semver probe in code.

    :param baseline: the earlier release's TARGET (default: the run's
        ``baseline``).
    :param target: the candidate's TARGET (default: the run's
        ``upstream``).
    :param proposed: the version the candidate will carry (default: its
        own).
    :param id: the probe's id.
    """
    data = {k: v for k, v in (('baseline', baseline), ('target', target),
                              ('proposed', proposed)) if v}
    return Probe(id=id, kind=SemverKind.name, data=data)


def _discover_section(
    kind: str, path: str, root: str | None
) -> list[Probe]:
    from symbiosis.probes._kinds.function import shown_path
    from symbiosis.probes._settings import find_probe_settings_files
    from symbiosis.probes._settings import read_probe_settings

    target = pathlib.Path(path)
    base = pathlib.Path(root) if root else (
        target if target.is_dir() else target.parent
    )
    probes = []
    for file in find_probe_settings_files(target):
        config = read_probe_settings(file)
        section = config.section(kind)
        if config.error or not section:
            continue
        shown = shown_path(file, base)
        data = {k: v for k, v in section.items()
                if k in ('names', 'target', 'baseline', 'proposed')}
        probes.append(Probe(
            id=f'{shown}::{kind}', kind=kind, source=str(file.resolve()),
            data=data,
        ))
    return probes


class _StaticKind(ProbeKind):
    def discover(self, path: str, *, root: str | None = None) -> list[Probe]:
        """Read the ``[usage]``/``[semver]`` table of probes config files."""
        return _discover_section(self.name, path, root)

    def run(self, run: ProbeRun) -> Iterator[Outcome]:
        """Judge each probe from snapshots; nothing runs in ``python``."""
        for probe in run.probes:
            started = time.monotonic()
            try:
                target = _required(probe.data.get('target') or run.upstream,
                                   'upstream', probe)
                status, message = self.judge(probe, target, run)
            except exception.SymbiosisError as err:
                yield Outcome(
                    probe.id, OutcomeStatus.ERROR, message=str(err),
                    duration=time.monotonic() - started,
                    cause=(Cause.INVALID.value
                           if isinstance(err, exception.InputError)
                           else Cause.SPAWN_FAILED.value),
                )
                continue
            yield Outcome(probe.id, status, message=message,
                          duration=time.monotonic() - started)

    def judge(
        self, probe: Probe, target: str, run: ProbeRun
    ) -> tuple[OutcomeStatus, str]:
        """Return the status and message of one probe about the upstream
        ``target`` (the probe's own, else the run's).
        """
        raise NotImplementedError


def _required(value: str | None, what: str, probe: Probe) -> str:
    if not value:
        raise exception.InputError(
            f'{probe.id}: no {what} to check: give one in the probe or run '
            'it with one'
        )
    return value


class UsageKind(_StaticKind):
    """Names a downstream uses must still exist in the upstream."""

    name = 'usage'
    description = 'names the downstream uses, checked in the API snapshot'

    def judge(
        self, probe: Probe, target: str, run: ProbeRun
    ) -> tuple[OutcomeStatus, str]:
        """Fail when a used name is missing (or broken since baseline)."""
        from symbiosis import api
        from symbiosis.api._reach import Reach

        names = [str(n) for n in probe.data.get('names', ())]
        new = api.load(target, config=run.config)
        # Resolved as Python would: inherited members, imports and a
        # module __getattr__ count; a name whose absence proves nothing
        # (an unreadable module) is not reported missing.
        reach = Reach(new)
        missing = [n for n in names if reach.resolve(n) is None
                   and reach.open_reason(n) is None]
        problems = [f'{n}: missing in {new.name} {new.version or target}'
                    for n in missing]
        if run.baseline and run.baseline != target:
            from symbiosis.api._changes import Bump

            old = api.load(run.baseline, config=run.config)
            used = set(names)
            for change in api.diff(old, new, config=run.config).active:
                if change.severity is not Bump.MAJOR:
                    continue
                hit = any(
                    path in used or any(path.startswith(n + '.')
                                        for n in used)
                    for path in change.paths)
                if hit and change.path not in missing:
                    problems.append(f'{change.path}: {change.message}')
        if problems:
            return OutcomeStatus.FAIL, '; '.join(problems)
        return OutcomeStatus.PASS, f'{len(names)} names resolve'


class SemverKind(_StaticKind):
    """The upstream's version must be at least what its API diff needs."""

    name = 'semver'
    description = "the candidate's version covers its API changes"

    def judge(
        self, probe: Probe, target: str, run: ProbeRun
    ) -> tuple[OutcomeStatus, str]:
        """Fail when the proposed version is below the minimum required."""
        from symbiosis import api

        base = _required(probe.data.get('baseline') or run.baseline,
                         'baseline', probe)
        if base == target:
            # The gate runs every probe on the baseline side too; a
            # release compared with itself has nothing to answer for.
            return OutcomeStatus.PASS, f'{target} is the baseline itself'
        verdict = api.semver(
            api.load(base, config=run.config),
            api.load(target, config=run.config),
            proposed=probe.data.get('proposed'), config=run.config,
        )
        bump = getattr(verdict.required_bump, 'value', verdict.required_bump)
        if verdict.ok is False:
            return OutcomeStatus.FAIL, (
                f'version {verdict.proposed} is too low: the API changes '
                f'need a {bump} bump, at least {verdict.minimum_version}'
            )
        if verdict.ok is None:
            return OutcomeStatus.SKIP, (
                'no version to check (the upstream or its baseline has none)'
            )
        return OutcomeStatus.PASS, (
            f'version {verdict.proposed} covers a {bump} bump'
        )
