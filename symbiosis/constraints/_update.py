"""Raise the pins of a constraints file whose newer releases pass the gate.

For each pin (whose marker holds here): the releases newer than it on the
index (neither yanked nor pre-releases, unless the pin is one; none
uploaded after ``--exclude-newer``). The newest is gated against the
pinned baseline; if it passes, the pin moves to it. If it regresses, it
is **held back** and the releases in between are bisected for the newest
that passes -- at most ``ceil(log2(N))`` further gates for N releases in
between, assuming a release that breaks the probes is followed by
releases that break them too. A gate that reaches no verdict leaves the
pin alone.

The store turns history into judgement: a probe that both passed and
failed on the same release in earlier runs is *flaky* and its failure
alone holds nothing back; a probe that never passed on any recorded
baseline cannot regress. Upstreams are gated concurrently on an executor
plugin (``thread`` by default); each gate's own jobs go to the executor
the options name (``dask`` for a cluster).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
import concurrent.futures
import dataclasses
import datetime
import logging
import pathlib
import threading

from packaging.utils import canonicalize_name
from packaging.version import Version

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.constraints._file import ConstraintsFile
from symbiosis.constraints._file import Pin
from symbiosis.constraints._file import read_constraints
from symbiosis.constraints._model import GateOptions
from symbiosis.constraints._model import PinUpdate
from symbiosis.constraints._model import UpdateReport
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import Verdict
from symbiosis.store._store import Decision
from symbiosis.store._store import Store

__all__ = ['select_pins', 'update_constraints', 'write_update']

LOG = logging.getLogger(__name__)

#: Called with one line per event (a gate started, a pin decided).
EventCallback = Callable[[str], None]

NEVER_PASSED = 'never passed on a recorded baseline'


def select_pins(
    file: ConstraintsFile,
    only: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[Pin]:
    """The pins to update: those whose marker holds, of ``only`` (all
    when empty), minus ``exclude``.

    :raises symbiosis.exception.InputError: ``only`` names a project the
        file does not pin.
    """
    wanted = {canonicalize_name(n) for n in only}
    unwanted = {canonicalize_name(n) for n in exclude}
    missing = sorted(wanted - {p.project for p in file.pins})
    if missing:
        raise exception.InputError(
            f'--only {missing[0]}: {file.path} pins no such project')
    return [pin for pin in file.pins
            if (not wanted or pin.project in wanted)
            and pin.project not in unwanted and pin.applies()]


def _cutoff(exclude_newer: str | None) -> datetime.datetime | None:
    """The date of ``--exclude-newer`` when it is one (not a duration)."""
    if not exclude_newer:
        return None
    text = exclude_newer.strip().replace('Z', '+00:00')
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def newer_releases(
    pin: Pin, config: Config, exclude_newer: str | None = None
) -> list[Version] | None:
    """The releases newer than ``pin``, oldest first (``None``: the index
    does not know the project)."""
    from symbiosis.sources._releases import fetch_releases

    releases = fetch_releases(pin.name, config, refresh=True)
    if releases is None:
        return None
    pinned = Version(pin.version)
    cutoff = _cutoff(exclude_newer)
    found = []
    for version in releases.all_versions():
        if version <= pinned or (version.is_prerelease
                                 and not pinned.is_prerelease):
            continue
        if releases.state_of(version).describe() is not None:
            continue  # yanked or deleted
        uploaded = releases.upload_time(version)
        if cutoff is not None and uploaded is not None and uploaded > cutoff:
            continue
        found.append(version)
    return found


@dataclasses.dataclass(frozen=True)
class _Judged:
    verdict: str  # pass, fail, none
    regressed: tuple[str, ...] = ()
    flaky: dict[str, str] = dataclasses.field(default_factory=dict)
    explanation: str = ''
    reason: str = ''
    run_id: int | None = None


class _PinUpdater:
    """Gates the releases of one pin and decides."""

    def __init__(self, file: str, pin: Pin, store: Store, config: Config,
                 options: GateOptions, emit: EventCallback,
                 stop: threading.Event) -> None:
        self.stop = stop
        self.file = file
        self.pin = pin
        self.store = store
        self.config = config
        self.options = options
        self.emit = emit
        self.gates = 0

    def gate(self, version: Version) -> _Judged:
        from symbiosis.gate._runner import Gate

        pin, options = self.pin, self.options
        if self.stop.is_set():
            return _Judged('none', reason='stopped')
        self.gates += 1
        self.emit(f'{pin.name}: gating {version} against {pin.version}')
        recorder = self.store.recorder(pin.name, pin.version, str(version))
        gate = Gate(
            pin.name, pin.version, str(version), options.probes,
            commands=options.commands, downstreams=options.downstreams,
            pythons=options.pythons, executor=options.executor,
            workers=options.workers, timeout=options.timeout,
            reruns=options.reruns, exclude_newer=options.exclude_newer,
            config=self.config, scheduler=options.scheduler,
            environment=options.environment, on_job=recorder)
        try:
            report = gate.run()
        except exception.SymbiosisError as err:
            recorder.interrupted(str(err))
            return _Judged('none', reason=str(err), run_id=recorder.run_id)
        except KeyboardInterrupt:
            recorder.interrupted('interrupted')
            raise
        if self.stop.is_set():
            # Stopped while it ran: what finished is recorded, but a run
            # whose probes were killed judges nothing.
            recorder.interrupted('stopped')
            return _Judged('none', reason='stopped',
                           run_id=recorder.run_id)
        recorder.finish(report)
        judged = self.judge(report, recorder.run_id)
        decision = {'pass': 'passed', 'fail': 'held-back',
                    'none': 'no-verdict'}[judged.verdict]
        self.store.record_decision(self.file, Decision(
            canonicalize_name(pin.name), pin.version, str(version),
            decision, judged.reason or ', '.join(judged.regressed),
            recorder.run_id))
        self.emit(f'{pin.name} {version}: {judged.verdict}'
                  + (f' (regressed: {", ".join(judged.regressed)})'
                     if judged.regressed else ''))
        return judged

    def judge(self, report: GateReport, run_id: int) -> _Judged:
        """The gate's verdict, with the store's memory applied."""
        verdict = report.verdict
        if verdict is Verdict.PASS:
            return _Judged('pass', run_id=run_id)
        if verdict is not Verdict.REGRESSION:
            return _Judged('none', reason=f'{verdict}: '
                           f'{report.verdict_reason}', run_id=run_id)
        probes = {r.probe for r in report.regressions}
        flaky = self.store.flaky_evidence(self.pin.name, probes,
                                          exclude_run=run_id)
        passed = self.store.ever_passed_on_baseline(self.pin.name, probes)
        for probe in probes - passed - set(flaky):
            flaky[probe] = NEVER_PASSED
        real = [r for r in report.regressions if r.probe not in flaky]
        if not real:
            return _Judged('pass', flaky=flaky, run_id=run_id)
        explanation = next(
            (line.strip() for r in real for line in r.detail.splitlines()
             if line.strip().startswith('api diff:')), '')
        return _Judged('fail', tuple(sorted({r.key for r in real})),
                       flaky, explanation, run_id=run_id)

    def update(self) -> PinUpdate:
        pin = self.pin
        base = PinUpdate(pin.name, pin.line, pin.version, 'current',
                         pin.version)
        try:
            releases = newer_releases(pin, self.config,
                                      self.options.exclude_newer)
        except exception.SymbiosisError as err:
            return dataclasses.replace(base, decision='no-verdict',
                                       reason=str(err))
        if releases is None:
            return dataclasses.replace(
                base, decision='no-verdict',
                reason='the package index does not know it')
        if not releases:
            return base
        newest = self.gate(releases[-1])
        if newest.verdict == 'none':
            return dataclasses.replace(
                base, decision='no-verdict', reason=newest.reason,
                gates=self.gates)
        if newest.verdict == 'pass':
            return dataclasses.replace(
                base, decision='raised', version=str(releases[-1]),
                flaky=newest.flaky, gates=self.gates)
        # Bisect the releases in between: lo passes (the pin), hi fails.
        lo, hi = -1, len(releases) - 1
        while hi - lo > 1 and not self.stop.is_set():
            mid = (lo + hi) // 2
            judged = self.gate(releases[mid])
            if judged.verdict == 'pass':
                lo = mid
            else:  # a failure or no verdict: not a release to move to
                hi = mid
        version = pin.version if lo < 0 else str(releases[lo])
        return dataclasses.replace(
            base, decision='held-back', version=version,
            held=str(releases[-1]), regressed=newest.regressed,
            flaky=newest.flaky, explanation=newest.explanation,
            gates=self.gates)


def update_constraints(
    path: str | pathlib.Path,
    options: GateOptions,
    store: Store,
    *,
    config: Config | None = None,
    only: Sequence[str] = (),
    exclude: Sequence[str] = (),
    dry_run: bool = False,
    emit: EventCallback | None = None,
    stop: threading.Event | None = None,
) -> UpdateReport:
    """Update the constraints file ``path``; see the module's docstring.

    :param dry_run: compute the new text, write nothing.
    :param stop: set by another thread to stop: running gates are ended
        (their finished jobs stay recorded), nothing is written.
    :raises KeyboardInterrupt: interrupted; every process tree below was
        stopped and the running gates recorded what they finished.
    :raises symbiosis.exception.InputError: the file cannot be read or a
        line is not a requirement (``FILE:LINE``); it is left untouched.
    """
    from symbiosis._executors import load_executor

    config = config if config is not None else Config.from_environ()
    file = read_constraints(path)
    pins = select_pins(file, only, exclude)
    say = emit if emit is not None else LOG.info
    stop = stop if stop is not None else threading.Event()
    results: list[PinUpdate] = []
    if pins:
        pool = load_executor('thread', len(pins)).create()
        futures: list[concurrent.futures.Future[PinUpdate]] = []
        try:
            for pin in pins:
                futures.append(pool.submit(_PinUpdater(
                    str(path), pin, store, config, options, say,
                    stop).update))
            results = [f.result() for f in futures]
        except KeyboardInterrupt:
            stop.set()
            _stop_gates(futures)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    if stop.is_set():
        raise KeyboardInterrupt
    report = UpdateReport(str(path), tuple(results), file.text(),
                          render(file, results))
    for result in results:
        if result.decision == 'raised':
            store.record_decision(str(path), Decision(
                canonicalize_name(result.name), result.pinned,
                result.version, 'raised'))
    if dry_run or report.after == report.before:
        return report
    write_update(file, report.after)
    return dataclasses.replace(report, written=True)


def _stop_gates(
    futures: Sequence[concurrent.futures.Future[PinUpdate]],
) -> None:
    """Cancel the updates not started and end the running gates: their
    process trees are stopped until they return."""
    from symbiosis._interrupts import stop_descendants

    for future in futures:
        future.cancel()
    while any(not f.done() for f in futures):
        stop_descendants(grace=0.5)
        concurrent.futures.wait(futures, timeout=0.2)


def render(file: ConstraintsFile, results: Sequence[PinUpdate]) -> str:
    """The file's new text for ``results``."""
    versions = {r.line: r.version for r in results if r.version != r.pinned}
    held = {r.line: r.held_comment() for r in results
            if r.decision != 'no-verdict'}
    return file.render(versions, held)


def write_update(file: ConstraintsFile, text: str) -> None:
    """Replace the file with ``text`` atomically, keeping its mode."""
    import stat

    from symbiosis._files import write_atomic

    mode = stat.S_IMODE(file.path.stat().st_mode)
    write_atomic(file.path, text, mode=mode)
