"""``watch``: poll the index, gate each new release once, update the file.

Each poll asks the index for the page of every pinned project with the
ETag of the last answer (an unchanged project costs one ``304``),
records the releases it lists, and runs the update
(:func:`~symbiosis.constraints._update.update_constraints`) for the
projects whose newest release newer than the pin has no verdict in the
store yet. Verdicts are in the store, so a restart resumes where the
last run stopped without gating a release twice.

:class:`Watcher` runs the polls on a futurist periodic worker in a
thread of its own; :meth:`Watcher.stop` (the command line calls it on
``SIGTERM`` or Ctrl-C) ends the running gates -- what they finished stays
recorded -- and the loop.
"""

from __future__ import annotations

from collections.abc import Sequence
import logging
import pathlib
import threading

from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.constraints._file import Pin
from symbiosis.constraints._file import read_constraints
from symbiosis.constraints._model import GateOptions
from symbiosis.constraints._model import UpdateReport
from symbiosis.constraints._update import EventCallback
from symbiosis.constraints._update import select_pins
from symbiosis.constraints._update import update_constraints
from symbiosis.store._store import Store

__all__ = ['Watcher']

LOG = logging.getLogger(__name__)


def _newest_after(pin: Pin, versions: Sequence[str]) -> str | None:
    pinned = Version(pin.version)
    newer = []
    for text in versions:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version > pinned and (not version.is_prerelease
                                 or pinned.is_prerelease):
            newer.append(version)
    return str(max(newer)) if newer else None


class Watcher:
    """Polls for new releases of a constraints file's pins.

    :param path: the constraints file.
    :param options: how each release is gated.
    :param store: where releases, ETags and verdicts are kept.
    :param config: the index and the cache.
    :param only: the projects to watch (default: every pin).
    :param exclude: projects to leave alone.
    :param emit: called with one line per event.
    """

    def __init__(
        self,
        path: str | pathlib.Path,
        options: GateOptions,
        store: Store,
        *,
        config: Config,
        only: Sequence[str] = (),
        exclude: Sequence[str] = (),
        emit: EventCallback | None = None,
    ) -> None:
        self.path = path
        self.options = options
        self.store = store
        self.config = config
        self.only = tuple(only)
        self.exclude = tuple(exclude)
        self.emit: EventCallback = emit if emit is not None else LOG.info
        self.stopping = threading.Event()
        self.exit_code = exception.EXIT_OK

    def due(self) -> list[str]:
        """Poll every pin's page; return the projects to update.

        :raises symbiosis.exception.InputError: the file has a bad line.
        """
        from symbiosis.sources._poll import poll_project

        file = read_constraints(self.path)
        due = []
        for pin in select_pins(file, self.only, self.exclude):
            project = pin.project
            try:
                poll = poll_project(pin.name, self.config,
                                    self.store.etag(project))
            except exception.SymbiosisError as err:
                self.emit(f'{pin.name}: cannot poll the index: {err}')
                self.exit_code = exception.EXIT_INFRA
                continue
            if poll.changed:
                listed = [] if poll.page is None else [
                    version for file in poll.page.files
                    if (version := _version_of(file.filename, project))]
                listed += [] if poll.page is None else list(
                    poll.page.versions)
                new = self.store.save_poll(project, poll.etag, listed)
                if new:
                    self.emit(f'{pin.name}: new on the index: '
                              f'{", ".join(new)}')
            newest = _newest_after(pin, self.store.versions(project))
            if newest is not None and self.store.judged(
                    project, newest) is None:
                due.append(project)
        return due

    def poll(self) -> UpdateReport | None:
        """One poll: the update of the projects due, if any."""
        self.exit_code = exception.EXIT_OK
        due = self.due()
        if not due or self.stopping.is_set():
            return None
        report = update_constraints(
            self.path, self.options, self.store, config=self.config,
            only=due, emit=self.emit, stop=self.stopping)
        for pin in report.pins:
            self.emit(pin.describe())
        if report.written:
            self.emit(f'{self.path}: updated')
        self.exit_code = max(self.exit_code, report.exit_code)
        return report

    def run(self, interval: float) -> None:
        """Poll every ``interval`` seconds until :meth:`stop`."""
        from futurist import periodics

        @periodics.periodic(interval, run_immediately=True)
        def tick() -> None:
            try:
                self.poll()
            except KeyboardInterrupt:  # stopped during an update
                return
            except exception.SymbiosisError as err:
                self.emit(f'poll failed: {err}')

        self.worker = periodics.PeriodicWorker([(tick, None, None)])
        self._ready.set()
        self.worker.start()

    def start(self, interval: float) -> threading.Thread:
        """Run :meth:`run` in a thread; return it."""
        self._ready = threading.Event()
        thread = threading.Thread(target=self.run, args=(interval,),
                                  name='symbiosis-watch', daemon=True)
        thread.start()
        self._ready.wait()
        return thread

    def stop(self, thread: threading.Thread, limit: float = 60.0) -> None:
        """Stop polling and wait (at most ``limit`` seconds) for
        ``thread`` (:meth:`start`'s) to end: the running gates' process
        trees are stopped until it does, and what they finished stays
        recorded."""
        import time

        from symbiosis._interrupts import stop_descendants

        self.stopping.set()
        self.worker.stop()
        deadline = time.monotonic() + limit
        while thread.is_alive() and time.monotonic() < deadline:
            stop_descendants(grace=0.5)
            thread.join(0.2)


def _version_of(filename: str, project: str) -> str | None:
    from symbiosis.sources._filenames import parse_release_filename

    parsed = parse_release_filename(filename, project=project)
    if parsed is None or parsed.version is None:
        return None
    return str(parsed.version)

