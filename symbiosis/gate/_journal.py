"""The gate's ``--output`` file, written as results arrive; ``--resume``.

After every finished job the whole file is rewritten atomically (a
temporary file renamed over it, at most a few times a second), so a gate
killed at any point leaves a valid JSON report of what finished. Besides
the report's own fields it holds ``jobs``: the raw outcomes of every
finished job by its :attr:`~symbiosis.gate._plan.PlannedJob.key`, which is
what ``--resume`` reads to skip them.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import json
import logging
import pathlib
import threading
import time
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis._files import write_output
from symbiosis.gate._model import GateReport
from symbiosis.probes._model import Outcome

if TYPE_CHECKING:
    from symbiosis.gate._plan import PlannedJob

__all__ = ['JobObserver', 'Journal', 'read_journal']

LOG = logging.getLogger(__name__)

#: Called with each finished job and its outcomes (``Gate(on_job=...)``).
JobObserver = Callable[['PlannedJob', Sequence[Outcome]], None]

#: Seconds between two rewrites of the file while jobs finish.
FLUSH_INTERVAL = 0.5


def read_journal(
    path: str, upstream: str, baseline: str, candidate: str
) -> dict[str, list[Outcome]]:
    """Return the finished jobs recorded in a previous run's output.

    :raises symbiosis.exception.InputError: the file does not exist,
        cannot be read, or is about another gate (other upstream,
        baseline or candidate).
    """
    try:
        data = json.loads(pathlib.Path(path).read_text(encoding='utf-8'))
    except FileNotFoundError as err:
        raise exception.InputError(
            f'{path}: cannot resume from it: no such file') from err
    except RecursionError as err:
        raise exception.InputError(
            f'{path}: cannot resume from it: nested too deeply') from err
    except (OSError, ValueError) as err:
        raise exception.InputError(f'{path}: cannot resume from it: {err}') \
            from err
    if not isinstance(data, dict) or not isinstance(
            data.get('jobs') or {}, dict):
        raise exception.InputError(f'{path}: not a gate report')
    found = (data.get('upstream'), data.get('baseline'),
             data.get('candidate'))
    if found != (upstream, baseline, candidate):
        raise exception.InputError(
            f'{path}: it reports {found[0]} {found[1]} -> {found[2]}, not '
            f'{upstream} {baseline} -> {candidate}'
        )
    jobs: dict[str, list[Outcome]] = {}
    for key, outcomes in (data.get('jobs') or {}).items():
        try:
            jobs[str(key)] = [Outcome.from_json(o) for o in outcomes]
        except (ValueError, TypeError, AttributeError):
            LOG.warning('%s: ignoring unreadable job %s', path, key)
    return jobs


class Journal:
    """The incrementally written output file.

    :param path: the file (``None``: keep nothing on disk).
    :param snapshot: returns the report so far.
    :param on_record: also told of each job :meth:`record` records.
    """

    def __init__(
        self,
        path: str | None,
        snapshot: Callable[[], GateReport],
        on_record: JobObserver | None = None,
    ) -> None:
        self.path = path
        self.snapshot = snapshot
        self.on_record = on_record
        self.jobs: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._last = 0.0

    def preload(self, jobs: Mapping[str, Sequence[Outcome]]) -> None:
        """Record jobs carried over from a resumed run."""
        with self._lock:
            for key, outcomes in jobs.items():
                self.jobs[key] = [o.to_json() for o in outcomes]

    def record(self, key: str, outcomes: Sequence[Outcome],
               job: PlannedJob | None = None) -> None:
        """Record a finished job; rewrite the file if it is time.

        :param job: the job, for the ``on_record`` observer.
        """
        with self._lock:
            self.jobs[key] = [o.to_json() for o in outcomes]
        if self.on_record is not None and job is not None:
            self.on_record(job, outcomes)
        if time.monotonic() - self._last >= FLUSH_INTERVAL:
            self.flush()

    def flush(self, report: GateReport | None = None) -> None:
        """Rewrite the file now (with ``report``, else a snapshot)."""
        if self.path is None:
            return
        current = report if report is not None else self.snapshot()
        with self._lock:
            data = current.to_json()
            data['jobs'] = dict(self.jobs)
            text = json.dumps(data, indent=1) + '\n'
            self._last = time.monotonic()
            write_output(self.path, text)
