"""Drive the worker: run a probes file's probes in a target interpreter.

One worker process runs the selected probes of one file in turn, so the
file is imported once. The parent watches the protocol stream: each probe
has its own deadline from its ``start`` message; when it passes, the
whole process group is killed, the probe is a ``timeout`` and a fresh
worker runs the probes that remain. A worker that dies mid-probe makes
that probe an ``error`` naming how it died, and the rest run again in a
fresh worker; no result is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import json
import logging
import os
import pathlib
import secrets
import shutil
import sys
import tempfile
import time
from typing import TYPE_CHECKING
from typing import Any

from symbiosis._process import DEFAULT_OUTPUT_LIMIT
from symbiosis._process import GroupProcess
from symbiosis._process import OutputBuffer
from symbiosis._process import describe_exit
from symbiosis._process import drain
from symbiosis.probes._model import Cause
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from symbiosis.probes._model import Probe
from symbiosis.probes._model import error_outcomes
from symbiosis.probes._protocol import MarkerSplitter

if TYPE_CHECKING:
    from symbiosis.probes._kinds.base import ProbeRun

__all__ = ['DEFAULT_TIMEOUT', 'WORKER_PATH', 'run_in_worker', 'worker_env']

LOG = logging.getLogger(__name__)

#: The worker script, run by the target interpreter.
WORKER_PATH = str(pathlib.Path(__file__).with_name('_worker.py'))
#: Seconds a probe may run when neither it nor the run sets a limit.
DEFAULT_TIMEOUT = 60.0

#: Variables that would put symbiosis's own packages (or a foreign
#: interpreter setup) in front of the target environment's.
_LEAKY_VARIABLES = ('PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP',
                    'PYTHONUSERBASE', '__PYVENV_LAUNCHER__')
#: Where a Python environment keeps its scripts.
_BIN = 'Scripts' if os.name == 'nt' else 'bin'


def worker_env(
    env: Mapping[str, str] | None = None,
    *,
    pycache: str | None = None,
    python: str | None = None,
) -> dict[str, str]:
    """Return the environment a worker runs with.

    Probes never write bytecode next to the files they import (probe and
    downstream trees stay as they were): with ``pycache`` it is written
    under that directory (``PYTHONPYCACHEPREFIX``), shared by every run,
    otherwise not at all (``PYTHONDONTWRITEBYTECODE``).

    With ``python``, what the probes run sees is the target environment
    only: its ``bin`` directory first on ``PATH`` (so ``python``,
    ``pip`` and console scripts are the target's), ``VIRTUAL_ENV`` naming
    it (unset when the interpreter is not in a virtual environment, so an
    installer run by a probe installs into the target), and neither
    symbiosis's own environment nor an activated one on ``PATH``.

    :param env: the caller's environment, used as given; ``None`` takes
        this process's minus the variables that would leak symbiosis's own
        packages (``PYTHONPATH``, ``PYTHONHOME``...).
    :param pycache: the directory bytecode is kept in.
    :param python: the target environment's interpreter.
    """
    if env is None:
        result = {
            k: v for k, v in os.environ.items() if k not in _LEAKY_VARIABLES
        }
    else:
        result = dict(env)
    result['PYTHONUNBUFFERED'] = '1'
    if pycache is not None:
        # Bytecode goes under the prefix, not into the trees: an
        # inherited "write none" would only make every run compile again.
        result.pop('PYTHONDONTWRITEBYTECODE', None)
        result['PYTHONPYCACHEPREFIX'] = pycache
    elif 'PYTHONPYCACHEPREFIX' not in result:
        result.setdefault('PYTHONDONTWRITEBYTECODE', '1')
    if python is not None:
        _enter_target(result, python)
    return result


def _enter_target(env: dict[str, str], python: str) -> None:
    """Put the environment of interpreter ``python`` in front, alone."""
    bindir = os.path.dirname(os.path.abspath(python))
    prefix = os.path.dirname(bindir)
    foreign = {os.path.join(p, _BIN) for p in (
        env.get('VIRTUAL_ENV'), env.get('CONDA_PREFIX'),
        # symbiosis's own virtual environment, if it runs in one.
        sys.prefix if sys.prefix != sys.base_prefix else None,
    ) if p}
    drop = {_path_key(d) for d in (*foreign, bindir)}
    entries = [e for e in env.get('PATH', os.defpath).split(os.pathsep)
               if e and _path_key(e) not in drop]
    env['PATH'] = os.pathsep.join([bindir, *entries])
    for name in ('VIRTUAL_ENV', 'CONDA_PREFIX'):
        if _path_key(env.get(name, '')) != _path_key(prefix):
            env.pop(name, None)
    if os.path.isfile(os.path.join(prefix, 'pyvenv.cfg')):
        env['VIRTUAL_ENV'] = prefix


def _path_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path)) if path else ''


class _Run:
    """State of one worker process over part of a file's probes."""

    def __init__(self, probes: Sequence[Probe], output_limit: int) -> None:
        self.by_id = {p.id: p for p in probes}
        self.current: Probe | None = None
        self.current_started = 0.0
        self.current_output = OutputBuffer(output_limit)
        self.ambient = OutputBuffer(output_limit)
        self.done = False
        self.output_limit = output_limit
        # Whether the worker said it is importing the probes file, and
        # whether it got past that (its first ``start``).
        self.importing = False
        self.loaded = False

    def feed_output(self, data: bytes) -> None:
        (self.current_output if self.current else self.ambient).feed(data)


def run_in_worker(
    run: ProbeRun, *, output_limit: int = DEFAULT_OUTPUT_LIMIT
) -> Iterator[Outcome]:
    """Run the function probes of *one* file with ``run.python``; yield
    outcomes.

    :param run: the probes, all sharing one :attr:`~Probe.source`, and
        where to run them: the target environment's interpreter, the
        worker's environment (see :func:`worker_env`; the target
        environment is put in front of it, alone), its working
        directory and the limit for probes without their own, in seconds.
    :param output_limit: bytes of output kept per probe.
    """
    probes = run.probes
    pending = [p for p in probes if p.broken is None]
    for probe in probes:
        if probe.broken is not None:
            yield Outcome(
                probe.id, OutcomeStatus.ERROR, message=probe.broken,
                location=probe.data.get('location'),
                cause=Cause.IMPORT_ERROR.value,
            )
    if not pending:
        return
    default = run.timeout if run.timeout is not None else DEFAULT_TIMEOUT
    scratch = tempfile.mkdtemp(prefix='symbiosis-probes-')
    try:
        while pending:
            reported: list[str] = []
            for outcome in _run_once(
                pending, run.python, worker_env(run.env, python=run.python),
                run.cwd, default, scratch, output_limit,
            ):
                reported.append(outcome.probe_id)
                yield outcome
            if not reported:  # pragma: no cover - _run_once always reports
                break
            done = set(reported)
            pending = [p for p in pending if p.id not in done]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_once(
    probes: Sequence[Probe],
    python: str,
    env: Mapping[str, str],
    cwd: str | None,
    default_timeout: float,
    scratch: str,
    output_limit: int,
) -> Iterator[Outcome]:
    """Run one worker until it finishes, dies or a probe times out.

    Always reports at least one probe, so the caller makes progress.
    """
    marker = f'@@symbiosis-{secrets.token_hex(8)}@@'
    source = probes[0].source or ''
    job = {
        'probes_file': source,
        'select': [p.id for p in probes],
        'marker': marker,
        'scratch': scratch,
        'shown': probes[0].id.partition('::')[0],
    }
    state = _Run(probes, output_limit)
    try:
        process = GroupProcess(
            [python, '-u', WORKER_PATH, '--job', '-'],
            env=env, cwd=cwd, stdin=json.dumps(job).encode('utf-8'),
        )
    except OSError as err:
        yield from error_outcomes(
            probes, f'cannot start {python}: {err.strerror or err}',
            Cause.SPAWN_FAILED)
        return
    splitter = MarkerSplitter(marker)
    # Importing the file counts against the first probe's limit.
    deadline = time.monotonic() + _limit(probes[0], default_timeout)
    with process:
        while True:
            now = time.monotonic()
            if now >= deadline:
                process.kill()
                # What the probe printed before it was killed is still in
                # the pipe or held back by the splitter: it explains the
                # hang, so keep it.
                items = [i for data in drain(process)
                         for i in splitter.feed(data)]
                items.append(('output', splitter.flush()))
                for item in _apply(state, items, default_timeout):
                    if isinstance(item, Outcome):
                        yield item
                yield from _timed_out(state, probes, now)
                return
            data = process.read(min(0.2, deadline - now))
            items = splitter.feed(data) if data else []
            if process.eof:
                items.append(('output', splitter.flush()))
            for item in _apply(state, items, default_timeout):
                if isinstance(item, Outcome):
                    yield item
                else:
                    deadline = item
            if state.done:
                return
            if process.eof and process.wait_finished(0.5):
                yield from _crashed(state, probes, process.returncode)
                return


def _apply(
    state: _Run, items: Sequence[tuple[str, Any]], default_timeout: float
) -> Iterator[Outcome | float]:
    """Apply parsed stream items; yield outcomes and new deadlines."""
    for kind, item in items:
        if kind == 'output':
            if item:
                state.feed_output(item)
        elif kind == 'garbled':
            LOG.warning('garbled worker message: %r', item[:200])
            state.feed_output(item)
        else:
            event = _handle(state, item, default_timeout)
            if event is not None:
                yield event


def _limit(probe: Probe, default: float) -> float:
    return probe.timeout if probe.timeout is not None else default


def _handle(
    state: _Run, message: Mapping[str, Any], default_timeout: float
) -> Outcome | float | None:
    """Apply one protocol message: an outcome, a new deadline or nothing."""
    event = message.get('event')
    if event == 'done':
        state.done = True
        return None
    if event == 'importing':
        state.importing = True
        return None
    probe_id = str(message.get('probe_id', ''))
    probe = state.by_id.get(probe_id)
    if probe is None:
        LOG.warning('worker reported an unknown probe %r', probe_id)
        return None
    if event == 'start':
        state.loaded = True
        state.current = probe
        state.current_started = time.monotonic()
        state.current_output = OutputBuffer(state.output_limit)
        return state.current_started + _limit(probe, default_timeout)
    if event != 'outcome':
        return None
    fields = dict(message)
    fields.pop('event', None)
    captured = (
        state.current_output if state.current is probe else state.ambient
    )
    fields['output'] = captured.text()
    fields['truncated'] = captured.truncated
    try:
        outcome = Outcome.from_json(fields)
    except ValueError as err:
        outcome = Outcome(
            probe.id, OutcomeStatus.ERROR,
            message=f'unreadable result from the worker: {err}',
            cause=Cause.PROTOCOL.value,
        )
    state.by_id.pop(probe.id, None)
    state.current = None
    return outcome


def _timed_out(
    state: _Run, probes: Sequence[Probe], now: float
) -> Iterator[Outcome]:
    current = state.current
    if current is not None:
        limit = _limit(current, 0.0)
        yield Outcome(
            current.id, OutcomeStatus.TIMEOUT,
            message=(
                f'timed out after {now - state.current_started:.1f}s '
                f'(limit {limit:g}s); its process group was killed'
                if limit else 'timed out; its process group was killed'
            ),
            output=state.current_output.text(),
            truncated=state.current_output.truncated,
            duration=now - state.current_started,
            cause=Cause.PROBE_TIMEOUT.value,
        )
        return
    if state.done or not state.by_id:
        # Everything finished in the last instant before the kill.
        return
    # Still importing the probes file: every remaining probe is stuck,
    # and none of them ran.
    yield from Outcome.for_probes(
        [p for p in probes if p.id in state.by_id],
        OutcomeStatus.TIMEOUT,
        'timed out while importing the probes file',
        output=state.ambient.text(), truncated=state.ambient.truncated,
        cause=(Cause.IMPORT_ERROR.value
               if state.importing and not state.loaded
               else Cause.PROBE_TIMEOUT.value),
    )


def _crashed(
    state: _Run, probes: Sequence[Probe], returncode: int | None
) -> Iterator[Outcome]:
    how = describe_exit(returncode)
    current = state.current
    if current is not None:
        yield Outcome(
            current.id, OutcomeStatus.ERROR,
            message=f'the worker died while running this probe ({how})',
            output=state.current_output.text(),
            truncated=state.current_output.truncated,
            duration=time.monotonic() - state.current_started,
            cause=Cause.WORKER_CRASHED.value,
        )
        return
    remaining = [p for p in probes if p.id in state.by_id]
    if state.importing and not state.loaded and (
            returncode is not None and returncode >= 0):
        # The probes file ended the worker while being imported
        # (os._exit, sys.exit in a thread): it is the file, not the
        # infrastructure. A signal (the OOM killer) still is.
        shown = probes[0].id.partition('::')[0]
        yield from error_outcomes(
            remaining,
            f'cannot import {shown}: the worker died while importing it '
            f'({how})',
            Cause.IMPORT_ERROR,
            output=state.ambient.text(), truncated=state.ambient.truncated,
        )
        return
    yield from error_outcomes(
        remaining, f'the worker died before running this probe ({how})',
        Cause.WORKER_CRASHED,
        output=state.ambient.text(), truncated=state.ambient.truncated,
    )
