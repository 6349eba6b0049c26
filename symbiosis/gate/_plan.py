"""Plan a gate: the matrix of sides, Pythons and downstreams -> jobs.

A job runs the probes of one file (a command probe alone) in one
environment. Jobs are plain data with a stable :attr:`PlannedJob.key`, so
a journal can record which ones finished and ``--resume`` can skip them.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
from typing import TYPE_CHECKING

from symbiosis.gate._model import Side
from symbiosis.probes._model import Probe

if TYPE_CHECKING:
    from symbiosis.gate._downstreams import Downstream
    from symbiosis.gate._environments.base import EnvironmentSpec
    from symbiosis.gate._specs import InstallSpec

__all__ = [
    'PlannedJob',
    'Slot',
    'Variant',
    'environment_specs',
    'group_probes',
    'plan_jobs',
    'variants',
]

#: What an environment holds of the upstream: the side and, in a gate of
#: several candidates, which candidate SPEC (``None`` otherwise).
Slot = tuple[Side, str | None]


@dataclasses.dataclass(frozen=True)
class Variant:
    """One environment of the matrix.

    :param side: which upstream version it holds.
    :param python: the Python version (``None``: symbiosis's own).
    :param downstream: the downstream project installed with it.
    :param candidate: the candidate SPEC it holds, in a gate of several
        candidates (``None``: the baseline, or the only candidate).
    """

    side: Side
    python: str | None = None
    downstream: str | None = None
    candidate: str | None = None

    @property
    def slot(self) -> Slot:
        """Which upstream SPEC it holds: side and candidate."""
        return (self.side, self.candidate)

    @property
    def pair(self) -> tuple[str | None, str | None]:
        """What the baseline and candidate variants share."""
        return (self.python, self.downstream)

    def label(self) -> str:
        """A short readable name: ``candidate py3.12 ../consumer``
        (``candidate 1.2 py3.12`` in a gate of several candidates)."""
        parts = [self.side.value]
        if self.candidate is not None:
            parts.append(self.candidate)
        if self.python:
            parts.append(f'py{self.python}')
        if self.downstream:
            parts.append(self.downstream)
        return ' '.join(parts)


@dataclasses.dataclass(frozen=True)
class PlannedJob:
    """Probes to run in one variant's environment.

    :param variant: where.
    :param group: the probes' file (or the command probe's id).
    :param attempt: ``0`` for the first run, ``n`` for the n-th re-run.
    :param probes: what.
    """

    variant: Variant
    group: str
    attempt: int
    probes: tuple[Probe, ...]

    @property
    def key(self) -> str:
        """A stable id: the same job gets the same key in every run
        (in a gate of several candidates, ``|SPEC`` ends a candidate's).
        """
        v = self.variant
        key = '|'.join((v.side.value, v.python or '', v.downstream or '',
                        self.group, str(self.attempt)))
        return key if v.candidate is None else f'{key}|{v.candidate}'


def variants(
    pythons: Sequence[str | None],
    downstreams: Sequence[str | None],
    candidates: Sequence[str] = (),
) -> list[Variant]:
    """Return every side x Python x downstream variant, baseline first.

    :param candidates: the candidate SPECs of a gate of several
        candidates: one candidate variant each, beside one baseline
        (none: one candidate variant, as in a gate of one).
    """
    found = []
    columns: list[str | None] = list(candidates) or [None]
    for python in pythons or [None]:
        for downstream in downstreams or [None]:
            found.append(Variant(Side.BASELINE, python, downstream))
            found.extend(
                Variant(Side.CANDIDATE, python, downstream, candidate)
                for candidate in columns)
    return found


def group_probes(probes: Iterable[Probe]) -> dict[str, list[Probe]]:
    """Group probes by file; a command probe is a group of its own.

    One worker imports a probes file once for all its probes; a command
    (a whole test suite) is worth its own job.
    """
    groups: dict[str, list[Probe]] = {}
    for probe in probes:
        if probe.kind == 'command':
            group = probe.id
        else:
            group = f'{probe.kind}:{probe.id.partition("::")[0]}'
        groups.setdefault(group, []).append(probe)
    return groups


def plan_jobs(
    matrix: Sequence[Variant],
    probes: Mapping[str | None, Sequence[Probe]],
    attempt: int = 0,
) -> list[PlannedJob]:
    """Return the jobs running ``probes`` in every variant.

    :param matrix: the variants.
    :param probes: the probes for each downstream (``None``: consumer
        mode, no downstream).
    :param attempt: which attempt these jobs are.
    """
    jobs: list[PlannedJob] = []
    for variant in matrix:
        selected = probes.get(variant.downstream, ())
        for group, members in group_probes(selected).items():
            jobs.append(PlannedJob(variant, group, attempt, tuple(members)))
    return jobs


def environment_specs(
    matrix: Sequence[Variant],
    specs: Mapping[Slot, InstallSpec],
    probes: Mapping[str | None, Sequence[Probe]],
    *,
    requires: Sequence[str],
    downstreams: Mapping[str, Downstream],
    exclude_newer: str | None,
) -> dict[Variant, EnvironmentSpec]:
    """What goes into each variant's environment: its SPEC, the probes'
    requirements and, with a downstream, the downstream and ``requires``
    (``--downstream-requires``)."""
    from symbiosis.gate._environments.base import EnvironmentSpec

    wanted: dict[Variant, EnvironmentSpec] = {}
    for variant in matrix:
        spec = specs[variant.slot]
        needed = {r for p in probes.get(variant.downstream, ())
                  for r in p.requires}
        fingerprint = spec.fingerprint
        downstream: tuple[str, ...] = ()
        if variant.downstream is not None:
            needed.update(requires)
            resolved = downstreams[variant.downstream]
            if resolved.install is not None:
                downstream = (resolved.install,)
            fingerprint += resolved.fingerprint
        wanted[variant] = EnvironmentSpec(
            install=(spec.install,), python=variant.python,
            downstream=downstream, requirements=tuple(sorted(needed)),
            exclude_newer=exclude_newer, fingerprint=fingerprint,
        )
    return wanted
