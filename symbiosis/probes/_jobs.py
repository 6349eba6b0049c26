"""Discover probes and run them: the functions the gate and CLI call.

:class:`ProbeJob` is plain data (it round-trips through JSON and pickles),
and :func:`run_job` is a module-level function, so a job can be submitted
to any :mod:`symbiosis._executors` executor, a process pool or a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import logging
import os
import pathlib
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis.probes._model import Cause
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import Probe
from symbiosis.probes._model import error_outcomes

if TYPE_CHECKING:
    from symbiosis.config import Config
    from symbiosis.probes._kinds.base import ProbeKind

__all__ = ['ProbeJob', 'check_runnable', 'discover', 'probes_root',
           'run_job', 'run_probes']

LOG = logging.getLogger(__name__)


def probes_root(paths: Sequence[str]) -> pathlib.Path:
    """Return the directory probe ids are relative to.

    One directory: itself. Otherwise the deepest directory containing every
    given file and directory.
    """
    dirs = [
        pathlib.Path(p).resolve() if pathlib.Path(p).is_dir()
        else pathlib.Path(p).resolve().parent
        for p in paths
    ]
    if not dirs:
        return pathlib.Path.cwd()
    return pathlib.Path(os.path.commonpath([str(d) for d in dirs]))


def discover(
    paths: Sequence[str],
    *,
    root: str | None = None,
    kinds: Mapping[str, ProbeKind] | None = None,
) -> list[Probe]:
    """Return every probe every installed kind finds in ``paths``.

    :param paths: files and directories.
    :param root: the directory ids are relative to (default:
        :func:`probes_root` of ``paths``).
    :param kinds: the kinds to ask (default: every installed one).
    :raises symbiosis.exception.InputError: a path does not exist.
    """
    for path in paths:
        if not os.path.exists(path):
            raise exception.InputError(f'{path}: no such file or directory')
    if kinds is None:
        from symbiosis.probes._kinds.base import load_kinds

        kinds = load_kinds()
    base = str(pathlib.Path(root).resolve()) if root else str(
        probes_root(paths))
    probes: list[Probe] = []
    seen: set[tuple[str, str]] = set()
    for path in paths:
        for kind in kinds.values():
            for probe in kind.discover(path, root=base):
                key = (probe.kind, probe.id)
                if key in seen:
                    continue
                seen.add(key)
                probes.append(probe)
    return probes


def check_runnable(probes: Sequence[Probe]) -> None:
    """Refuse probes none of which can ever run (bad input, exit 2).

    A probes file with a syntax error, one that cannot be read, an
    invalid probes settings file: known before anything runs. When other
    probes can run, the broken ones are left to be reported.

    :raises symbiosis.exception.InputError: every probe is broken.
    """
    broken = [p.broken for p in probes if p.broken]
    if probes and len(broken) == len(probes):
        more = f' (and {len(broken) - 1} more)' if len(broken) > 1 else ''
        raise exception.InputError(f'no probe can run: {broken[0]}{more}')


def run_probes(
    probes: Iterable[Probe],
    python: str,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float | None = None,
    *,
    upstream: str | None = None,
    baseline: str | None = None,
    config: Config | None = None,
    kinds: Mapping[str, ProbeKind] | None = None,
) -> Iterator[Outcome]:
    """Run probes of any kinds in one target environment.

    Each kind runs its own probes, given a
    :class:`~symbiosis.probes.ProbeRun` made of the other arguments (see
    there what they mean). A probe whose kind is not installed gets an
    ``error`` outcome.

    :param kinds: the kinds to ask (default: every installed one).
    """
    from symbiosis.probes._kinds.base import ProbeRun

    if kinds is None:
        from symbiosis.probes._kinds.base import load_kinds

        kinds = load_kinds()
    run = ProbeRun(
        probes=(), python=python, env=env, cwd=cwd, timeout=timeout,
        upstream=upstream, baseline=baseline, config=config,
    )
    by_kind: dict[str, list[Probe]] = {}
    for probe in probes:
        by_kind.setdefault(probe.kind, []).append(probe)
    for name, group in by_kind.items():
        kind = kinds.get(name)
        if kind is None:
            yield from error_outcomes(
                group, f'probe kind {name!r} is not installed', Cause.INVALID)
            continue
        yield from kind.run(dataclasses.replace(run, probes=tuple(group)))


@dataclasses.dataclass(frozen=True)
class ProbeJob:
    """Probes to run in one environment: plain, serialisable data.

    :param probes: what to run.
    :param python: the environment's interpreter.
    :param env: its environment variables (``None``: the executing
        process's, minus those leaking symbiosis's packages).
    :param cwd: the working directory.
    :param timeout: the per-probe limit for probes without their own.
    :param upstream: the TARGET installed in the environment.
    :param baseline: the TARGET it is compared with.
    :param label: free text naming the job in reports (``candidate``).
    :param pycache: where the environment's Python keeps bytecode
        (``PYTHONPYCACHEPREFIX``; ``None``: none is written). It must be
        the same path wherever the job runs, like the environment.
    """

    probes: tuple[Probe, ...]
    python: str
    env: Mapping[str, str] | None = dataclasses.field(
        default=None, hash=False)
    cwd: str | None = None
    timeout: float | None = None
    upstream: str | None = None
    baseline: str | None = None
    label: str = ''
    pycache: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            'probes': [p.to_json() for p in self.probes],
            'python': self.python,
            'env': None if self.env is None else dict(self.env),
            'cwd': self.cwd,
            'timeout': self.timeout,
            'upstream': self.upstream,
            'baseline': self.baseline,
            'label': self.label,
            'pycache': self.pycache,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProbeJob:
        """Build a job from :meth:`to_json` output.

        :raises ValueError: required keys are missing.
        """
        try:
            return cls(
                probes=tuple(Probe.from_json(p) for p in data['probes']),
                python=str(data['python']),
                env=data.get('env'),
                cwd=data.get('cwd'),
                timeout=data.get('timeout'),
                upstream=data.get('upstream'),
                baseline=data.get('baseline'),
                label=str(data.get('label') or ''),
                pycache=data.get('pycache'),
            )
        except KeyError as err:
            raise ValueError(f'job JSON lacks {err.args[0]!r}') from err


def run_job(job: ProbeJob, config: Config | None = None) -> list[Outcome]:
    """Run a job to completion and return its outcomes (executor-friendly).
    """
    env = job.env
    if job.pycache is not None:
        from symbiosis.probes._driver import worker_env

        # Built where the job runs: a dask worker's own environment.
        env = worker_env(env, pycache=job.pycache)
    return list(run_probes(
        job.probes, job.python, env, job.cwd, job.timeout,
        upstream=job.upstream, baseline=job.baseline, config=config,
    ))
