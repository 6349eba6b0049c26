"""Run a gate: inputs, environments, the executor, re-runs.

:class:`Gate` holds a gate's inputs; :meth:`Gate.run` (or
:func:`run_gate`) builds the environments (both sides at once, cached),
starts the chosen executor, hands each variant's jobs to a
:class:`~symbiosis.gate._dispatch.Dispatcher` as soon as its environment
is ready (outcomes stream into the journal as they finish), re-runs what
failed on *both* sides and returns the
:class:`~symbiosis.gate._model.GateReport` the run's
:class:`~symbiosis.gate._tally.Tally` makes of it all.

On ``KeyboardInterrupt`` (or ``SIGTERM``, which the command line turns
into :class:`~symbiosis._interrupts.Terminated`) pending jobs are
cancelled, every process tree below is stopped, the running jobs get a
moment to end, the partial report (verdict ``incomplete``) is written and
the interrupt is raised again.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import contextlib
import dataclasses
import logging
import pathlib
import tempfile
import time
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis.gate._dispatch import Dispatcher
from symbiosis.gate._dispatch import Futures
from symbiosis.gate._model import EnvironmentInfo
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import Side
from symbiosis.gate._plan import PlannedJob
from symbiosis.gate._plan import Slot
from symbiosis.gate._plan import Variant
from symbiosis.gate._plan import environment_specs
from symbiosis.gate._plan import plan_jobs
from symbiosis.gate._plan import variants
from symbiosis.gate._progress import ProgressCallback
from symbiosis.gate._progress import ProgressEvent
from symbiosis.gate._tally import Tally
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import Probe

if TYPE_CHECKING:
    from symbiosis.config import Config
    from symbiosis.gate._downstreams import Downstream
    from symbiosis.gate._environments.base import BuiltEnvironment
    from symbiosis.gate._environments.base import Environment
    from symbiosis.gate._environments.base import EnvironmentSpec
    from symbiosis.gate._journal import JobObserver
    from symbiosis.gate._journal import Journal
    from symbiosis.gate._specs import InstallSpec
    from symbiosis.probes._jobs import ProbeJob

__all__ = ['Gate', 'run_gate']

LOG = logging.getLogger(__name__)

#: Seconds an interrupted run waits for its running jobs to end.
INTERRUPT_WAIT = 5.0
#: Where the baseline's SPEC is kept among the specs of a run.
BASELINE: Slot = (Side.BASELINE, None)


class Gate:
    """A gate: the same probes against a baseline and a candidate (or
    several, each judged against the one baseline).

    :param upstream: the upstream distribution's name.
    :param baseline: its baseline SPEC (a version, a requirement, a path,
        a wheel, an sdist, ``git:REF``).
    :param candidate: its candidate SPEC, or several candidate SPECs.
    :param probes_paths: probes files and directories.
    :param commands: commands run as probes (in each downstream's
        directory in upstream mode).
    :param downstreams: downstream projects (upstream mode): directories,
        sdists, wheels or ``NAME==VERSION`` releases; see
        :mod:`symbiosis.gate._downstreams`.
    :param downstream_requires: requirements installed with every
        downstream: the test requirements a release without a ``test``
        extra does not declare (``pytest``).
    :param pythons: Python versions (default: symbiosis's own).
    :param executor: the ``symbiosis.executors`` plugin running jobs.
    :param workers: parallel jobs (default: the number of cores).
    :param timeout: seconds per probe without its own limit.
    :param reruns: re-runs of failing probes, on both sides.
    :param exclude_newer: resolve other dependencies as of this date.
    :param config: settings (cache, index, offline).
    :param output: the JSON file written as results arrive.
    :param resume: a previous output file whose finished jobs are kept.
    :param scheduler: the dask scheduler address (``dask`` executor).
    :param environment: the environment plugin (default: uv, else venv).
    :param progress: called with each :class:`ProgressEvent`.
    :param repo: the git repository for ``git:REF`` SPECs.
    :param explain: look for API changes explaining regressions.
    :param refresh: ask the index about exact pins (``NAME==VERSION``)
        even when their environments are cached.
    :param candidate_ranges: version ranges (``>0.7.15``) each adding
        every release of the upstream the index lists in it as a
        candidate (not yanked; not a pre-release unless ``pre``).
    :param pre: let candidate ranges include pre-releases.
    :param on_job: called with each finished job and its outcomes.

    With several candidates (or a range), the baseline's environments
    are built and its probes run once; the report holds a result per
    probe and candidate, and its verdict is the worst candidate's.
    """

    def __init__(
        self,
        upstream: str,
        baseline: str,
        candidate: str | Sequence[str],
        probes_paths: Sequence[str] = (),
        *,
        commands: Sequence[str] = (),
        downstreams: Sequence[str] = (),
        pythons: Sequence[str] = (),
        executor: str = 'thread',
        workers: int | None = None,
        timeout: float | None = None,
        reruns: int = 1,
        exclude_newer: str | None = None,
        config: Config | None = None,
        output: str | None = None,
        resume: str | None = None,
        scheduler: str | None = None,
        environment: str | None = None,
        progress: ProgressCallback | None = None,
        repo: str | None = None,
        explain: bool = True,
        downstream_requires: Sequence[str] = (),
        refresh: bool = False,
        candidate_ranges: Sequence[str] = (),
        pre: bool = False,
        on_job: JobObserver | None = None,
    ) -> None:
        from symbiosis.config import Config
        from symbiosis.gate._inputs import check_values
        from symbiosis.gate._settings import check_requirements

        check_values(reruns=reruns, timeout=timeout, workers=workers,
                     exclude_newer=exclude_newer)
        self.upstream = upstream
        self.baseline = baseline
        given = [candidate] if isinstance(candidate, str) else list(
            candidate)
        self._candidate_specs = tuple(dict.fromkeys(given))
        ranges = ([candidate_ranges] if isinstance(candidate_ranges, str)
                  else candidate_ranges)
        self._candidate_ranges = tuple(dict.fromkeys(ranges))
        texts = [*self._candidate_specs, *self._candidate_ranges]
        if not texts:
            raise exception.InputError(
                'no candidate: give a candidate SPEC or a candidate range')
        #: The candidates as given (what the report and journal name).
        self.candidate = ', '.join(texts)
        #: Several candidates, each result naming its own.
        self._several = len(texts) > 1 or bool(self._candidate_ranges)
        self._pre = pre
        self.probes_paths = tuple(probes_paths)
        self.commands = tuple(commands)
        self.downstreams = tuple(downstreams)
        self.downstream_requires = check_requirements(
            downstream_requires, '--downstream-requires')
        # The same Python given twice is one variant, not two runs of it
        # that would read as a re-run.
        self.pythons = tuple(dict.fromkeys(pythons))
        self.executor = executor
        self.config = config if config is not None else Config.from_environ()
        self.workers = workers or self.config.effective_workers()
        self.timeout = timeout
        self.reruns = reruns
        self.exclude_newer = exclude_newer
        self.output = output
        self.resume = resume
        self.scheduler = scheduler
        self.environment = environment
        self.progress = progress
        self.repo = repo
        self.explain = explain
        self.refresh = refresh
        self.on_job = on_job
        self._downstreams: dict[str, Downstream] | None = None
        self._pycache: str | None = None
        self._yanked: dict[str, str] = {}
        self._candidates: tuple[str, ...] = ()
        self._ranges: dict[str, tuple[str, ...]] = {}

    # -- inputs -----------------------------------------------------------

    def resolve_downstreams(self) -> dict[str, Downstream]:
        """Resolve every downstream once: unpack, download, fingerprint.

        :raises symbiosis.exception.InputError: a downstream is of no
            known kind or names a release that does not exist.
        :raises symbiosis.exception.InfrastructureError: the index cannot
            be reached.
        """
        from symbiosis.gate._downstreams import resolve_downstream

        if self._downstreams is None:
            self._downstreams = {
                spec: resolve_downstream(spec, self.config)
                for spec in dict.fromkeys(self.downstreams)
            }
        return self._downstreams

    def _directory(self, downstream: str | None) -> str | None:
        """Where a downstream's commands run (``None``: no downstream)."""
        if downstream is None:
            return None
        return str(self.resolve_downstreams()[downstream].directory)

    def collect_probes(self) -> dict[str | None, list[Probe]]:
        """Return the probes to run, per downstream (``None``: none).

        :raises symbiosis.exception.InputError: a path does not exist, a
            downstream cannot be resolved, no probe is found, or none of
            those found can run (a syntax error, an unreadable file).
        """
        from symbiosis.gate._inputs import collect_probes

        targets: list[str | None] = list(
            self.resolve_downstreams()) or [None]
        return collect_probes(self.probes_paths, self.commands, {
            downstream: self._directory(downstream)
            for downstream in targets})

    # -- running ----------------------------------------------------------

    def run(self) -> GateReport:
        """Run the gate and return its report.

        :raises symbiosis.exception.InputError: bad input (exit 2), such
            as a SPEC naming a release that does not exist.
        :raises KeyboardInterrupt: interrupted; the partial report was
            written to :attr:`output`.
        """
        from symbiosis.gate._building import cached_pins
        from symbiosis.gate._candidates import expand_candidates
        from symbiosis.gate._environments.base import load_environment
        from symbiosis.gate._inputs import check_executor
        from symbiosis.gate._inputs import check_upstream
        from symbiosis.gate._journal import Journal
        from symbiosis.gate._journal import read_journal
        from symbiosis.gate._specs import check_specs
        from symbiosis.gate._specs import resolve_spec

        started = time.monotonic()
        check_upstream(self.upstream)
        check_executor(self.executor)
        plugin = load_environment(self.environment, self.config)
        # A version and the path of the interpreter it means are one.
        from symbiosis.gate._environments.interpreters import (
            distinct_interpreters,
        )
        self.pythons = distinct_interpreters(self.pythons)
        for python in self.pythons:
            plugin.check_python(python)
        candidates, self._ranges = expand_candidates(
            self.upstream, self._candidate_specs, self._candidate_ranges,
            self.config, pre=self._pre)
        for text, found in self._ranges.items():
            self._emit_now('candidates', f'--candidate-range {text}: '
                           f"{', '.join(found)}")
        self._candidates = candidates if self._several else ()
        specs: dict[Slot, InstallSpec] = {
            BASELINE: resolve_spec(self.upstream, self.baseline,
                                   self.config, repo=self.repo),
        }
        for text in candidates:
            specs[(Side.CANDIDATE, text if self._several else None)] = \
                resolve_spec(self.upstream, text, self.config,
                             repo=self.repo)
        # A release that does not exist is bad input: say so before
        # building anything (the same pin on both sides is asked once).
        pycache = self.config.subdir('pycache')
        self._pycache = None if pycache is None else str(pycache)
        probes = self.collect_probes()
        matrix = variants(self.pythons, [d for d in probes if d is not None],
                          self._candidates)
        # Exact pins whose environments are cached: from the cached page.
        root = None if self.refresh else self.config.subdir('envs')
        cached = set() if root is None else cached_pins(
            plugin, root, specs,
            self._environment_specs(matrix, specs, probes))
        self._yanked = check_specs(
            self.upstream, specs, self.config,
            other_sources=plugin.other_sources(), cached=cached)
        resumed = (read_journal(self.resume, self.upstream, self.baseline,
                                self.candidate) if self.resume else {})
        tally = Tally(started=started)
        journal = Journal(self.output, lambda: self._report(tally, False),
                          on_record=self.on_job)
        journal.preload(resumed)
        with contextlib.ExitStack() as stack:
            root = self.config.subdir('envs')
            if root is None:
                root = pathlib.Path(stack.enter_context(
                    tempfile.TemporaryDirectory(prefix='symbiosis-envs-')))
            run_started = time.monotonic()
            try:
                # The environments stay locked against removal (gate
                # --clean) until the stack closes.
                self._run_all(plugin, root, matrix, specs, probes, tally,
                              journal, resumed, stack)
            except KeyboardInterrupt:
                tally.timings['probes'] = time.monotonic() - run_started
                tally.timings['total'] = time.monotonic() - started
                journal.flush(self._report(tally, False))
                raise
            tally.timings['probes'] = time.monotonic() - run_started
        report = self._report(tally, True)
        if self.explain and report.regressions:
            from symbiosis.gate._explain import explain_candidates

            report = explain_candidates(report, specs, self.config, probes)
        from symbiosis.gate._context import gate_context
        tally.timings['total'] = time.monotonic() - started
        report = dataclasses.replace(
            report, timings=dict(tally.timings), context=gate_context(
                self.upstream, report.environments, probes))
        journal.flush(report)
        self._emit(tally, 'done', f'verdict: {report.verdict}')
        return report

    def _emit_now(self, kind: str, message: str) -> None:
        """Report progress before any probe is planned."""
        if self.progress is not None:
            self.progress(ProgressEvent(kind, message))

    def _emit(self, tally: Tally, kind: str, message: str) -> None:
        if self.progress is None:
            return
        regressions = tally.regressions() if kind != 'environment' else 0
        self.progress(ProgressEvent(kind, message, tally.done, tally.total,
                                    regressions))

    def _environment_specs(
        self,
        matrix: Sequence[Variant],
        specs: Mapping[Slot, InstallSpec],
        probes: Mapping[str | None, Sequence[Probe]],
    ) -> dict[Variant, EnvironmentSpec]:
        """What goes into each variant's environment."""
        return environment_specs(
            matrix, specs, probes, requires=self.downstream_requires,
            downstreams=self.resolve_downstreams(),
            exclude_newer=self.exclude_newer)

    def _environment_ready(self, tally: Tally, variant: Variant,
                           info: EnvironmentInfo, message: str) -> None:
        tally.environment_ready(variant, info)
        self._emit(tally, 'environment', message)

    def _run_all(
        self,
        plugin: Environment,
        root: pathlib.Path,
        matrix: Sequence[Variant],
        specs: Mapping[Slot, InstallSpec],
        probes: Mapping[str | None, Sequence[Probe]],
        tally: Tally,
        journal: Journal,
        resumed: Mapping[str, Sequence[Outcome]],
        keep: contextlib.ExitStack,
    ) -> None:
        from symbiosis._executors import load_executor

        options = {'scheduler': self.scheduler} if self.scheduler else {}
        factory = load_executor(self.executor, self.workers, **options)
        # Environments build while the executor starts (a dask cluster
        # takes a while).
        from symbiosis.gate._building import start_builds

        builds, ready = start_builds(
            plugin, root, matrix, specs,
            self._environment_specs(matrix, specs, probes),
            workers=self.workers, upstream=self.upstream,
            ready=lambda variant, info, message: self._environment_ready(
                tally, variant, info, message), keep=keep)
        try:
            executor = factory.create()
        except BaseException as err:
            builds.shutdown(wait=False, cancel_futures=True)
            if isinstance(err, KeyboardInterrupt):
                from symbiosis._interrupts import stop_descendants

                stop_descendants()
            raise
        dispatcher = Dispatcher(
            executor, tally, journal, resumed,
            probe_job=lambda job, env: self._probe_job(job, env, specs),
            config=self.config,
            emit=lambda kind, message: self._emit(tally, kind, message))
        # Every job has finished when the loops below return: nothing is
        # left to wait for, and joining idle pool threads would cost a
        # polling interval (futurist's idle threads wake once a second).
        finished = False
        futures: Futures = {}
        try:
            jobs = plan_jobs(matrix, probes)
            tally.expect(jobs)
            envs: dict[Variant, BuiltEnvironment | str] = {}
            # A variant's jobs go to the executor as soon as its
            # environment is ready: probes run while the other side's
            # environment is still being built.
            for variant, env in ready:
                envs[variant] = env
                futures.update(dispatcher.submit(
                    [j for j in jobs if j.variant == variant], envs))
            tally.timings['environments'] = (
                time.monotonic() - tally.started)
            tally.order_environments(matrix)
            dispatcher.collect(futures)
            for attempt in range(1, self.reruns + 1):
                again = tally.rerun_selection(probes)
                if not again:
                    break
                count = sum(len(v) for v in again.values())
                self._emit(tally, 'rerun',
                           f're-running {count} probe(s) on both sides '
                           f'(attempt {attempt + 1})')
                jobs = tally.rerun_jobs(matrix, probes, attempt)
                dispatcher.run(jobs, envs)
            finished = True
        except KeyboardInterrupt:
            # Pending jobs are cancelled, every process tree below is
            # stopped and the running jobs get a moment to end (their
            # scratch directories go with them); nothing is left to wait
            # for after that.
            finished = True
            dispatcher.stop(limit=INTERRUPT_WAIT)
            raise
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        finally:
            try:
                executor.shutdown(wait=not finished)
            except Exception:  # shutting down anyway
                LOG.debug('executor shutdown failed', exc_info=True)

    def _probe_job(
        self,
        job: PlannedJob,
        env: BuiltEnvironment,
        specs: Mapping[Slot, InstallSpec],
    ) -> ProbeJob:
        """What runs ``job`` in ``env``, wherever the executor runs it."""
        from symbiosis.probes._jobs import ProbeJob

        return ProbeJob(
            probes=job.probes, python=env.python,
            cwd=self._directory(job.variant.downstream),
            timeout=self.timeout,
            upstream=specs[job.variant.slot].install,
            baseline=specs[BASELINE].install,
            label=job.key,
            pycache=self._pycache,
        )

    def _report(self, tally: Tally, complete: bool) -> GateReport:
        return tally.report(
            upstream=self.upstream, baseline=self.baseline,
            candidate=self.candidate, executor=self.executor,
            name_pythons=len(self.pythons) > 1, complete=complete,
            yanked=self._yanked, candidates=self._candidates,
            ranges=self._ranges,
        )


def run_gate(
    upstream: str,
    baseline: str,
    candidate: str | Sequence[str],
    probes_paths: Sequence[str] = (),
    **options: Any,
) -> GateReport:
    """Run a gate; see :class:`Gate` for the options (keyword only).

    :returns: the report; its :attr:`~GateReport.exit_code` is what the
        command line exits with.
    """
    return Gate(upstream, baseline, candidate, probes_paths,
                **options).run()
