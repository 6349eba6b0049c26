"""The store: what was gated, when, with which result.

:func:`open_store` finds and opens it (:mod:`symbiosis.store._connect`);
a :class:`Store` records gate runs (through a
:class:`~symbiosis.store._recorder.RunRecorder`), constraint decisions,
the releases and index pages seen, and answers what the loop needs to
remember: the history, whether a probe was ever flaky, whether it ever
passed on a baseline, whether a release was already judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
import dataclasses
import datetime
import json
import logging
import pathlib
import threading
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from symbiosis.store import _models as m
from symbiosis.store._connect import connect
from symbiosis.store._connect import describe
from symbiosis.store._settings import resolve_store_url

if TYPE_CHECKING:
    from symbiosis.store._recorder import RunRecorder

__all__ = ['Decision', 'RunSummary', 'Store', 'open_store']

LOG = logging.getLogger(__name__)

#: Statuses that say something about the upstream (errors and timeouts
#: may be the machine's).
_JUDGED = ('pass', 'fail')


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """One gate run, as ``history`` shows it."""

    id: int
    upstream: str
    baseline: str
    candidate: str
    started: datetime.datetime
    finished: datetime.datetime | None
    verdict: str
    verdict_reason: str
    regressed: tuple[str, ...]
    flaky: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``history --format json``)."""
        return {
            'id': self.id,
            'upstream': self.upstream,
            'baseline': self.baseline,
            'candidate': self.candidate,
            'started': _iso(self.started),
            'finished': None if self.finished is None else _iso(
                self.finished),
            'verdict': self.verdict,
            'verdict_reason': self.verdict_reason,
            'regressed': list(self.regressed),
            'flaky': list(self.flaky),
        }


@dataclasses.dataclass(frozen=True)
class Decision:
    """What an update decided for one release of a pinned project."""

    project: str
    pinned: str
    candidate: str
    decision: str
    reason: str = ''
    run_id: int | None = None


def _iso(value: datetime.datetime) -> str:
    if value.tzinfo is None:  # SQLite drops the zone: it was UTC
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.isoformat(timespec='seconds')


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Store:
    """An open store; thread-safe (one write at a time).

    :param engine: the SQLAlchemy engine, its schema current.
    :param url: where it is (for messages; the password is hidden).
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = describe(url)
        self.lock = threading.Lock()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- gate runs --------------------------------------------------------

    def recorder(
        self, upstream: str, baseline: str, candidate: str
    ) -> RunRecorder:
        """Start recording a gate run (its row is written now)."""
        from symbiosis.store._recorder import RunRecorder

        return RunRecorder(self, self.begin_run(upstream, baseline,
                                                candidate),
                           baseline, candidate)

    def begin_run(self, upstream: str, baseline: str, candidate: str) -> int:
        """Write a ``running`` gate run; return its id."""
        with self.lock, self.engine.begin() as connection:
            result = connection.execute(insert(m.GateRun).values(
                upstream=upstream, baseline=baseline, candidate=candidate,
                started_at=_now(), verdict='running', verdict_reason='',
                regressed='[]', flaky='[]'))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def add_results(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert probe results (``probe_results`` columns) in one
        transaction."""
        if not rows:
            return
        with self.lock, self.engine.begin() as connection:
            connection.execute(insert(m.ProbeResult), list(rows))

    def end_run(
        self,
        run_id: int,
        verdict: str,
        reason: str = '',
        *,
        regressed: Iterable[str] = (),
        flaky: Iterable[str] = (),
        environments: Sequence[dict[str, Any]] = (),
        explanations: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Write how the run ended, its environments and explanations."""
        with self.lock, self.engine.begin() as connection:
            connection.execute(update(m.GateRun).where(
                m.GateRun.id == run_id).values(
                    verdict=verdict, verdict_reason=reason,
                    finished_at=_now(),
                    regressed=json.dumps(sorted(regressed)),
                    flaky=json.dumps(sorted(flaky))))
            if environments:
                connection.execute(insert(m.Environment), [
                    dict(env, run_id=run_id) for env in environments])
            if explanations:
                connection.execute(insert(m.ApiDiff), [
                    {'run_id': run_id, 'probe': probe, 'explanation': text}
                    for probe, text in explanations])

    def history(
        self,
        upstream: str | None = None,
        since: datetime.datetime | None = None,
    ) -> list[RunSummary]:
        """Gate runs, oldest first (of ``upstream``, since ``since``)."""
        query = select(m.GateRun).order_by(m.GateRun.started_at,
                                           m.GateRun.id)
        if upstream is not None:
            query = query.where(m.GateRun.upstream == upstream)
        if since is not None:
            query = query.where(m.GateRun.started_at >= since)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [RunSummary(
            id=row.id, upstream=row.upstream, baseline=row.baseline,
            candidate=row.candidate, started=row.started_at,
            finished=row.finished_at, verdict=row.verdict,
            verdict_reason=row.verdict_reason,
            regressed=tuple(json.loads(row.regressed)),
            flaky=tuple(json.loads(row.flaky))) for row in rows]

    # -- what the memory buys ---------------------------------------------

    def flaky_evidence(
        self, upstream: str, probes: Iterable[str],
        exclude_run: int | None = None,
    ) -> dict[str, str]:
        """Probes that both passed and failed on the same version of
        ``upstream`` in recorded runs (other than ``exclude_run``), each
        with the evidence: ``version: N pass, M fail``."""
        wanted = set(probes)
        if not wanted:
            return {}
        passes = func.sum(case((m.ProbeResult.status == 'pass', 1),
                               else_=0))
        fails = func.sum(case((m.ProbeResult.status == 'fail', 1),
                              else_=0))
        query = (
            select(m.ProbeResult.probe, m.ProbeResult.version,
                   passes.label('passes'), fails.label('fails'))
            .join(m.GateRun, m.GateRun.id == m.ProbeResult.run_id)
            .where(m.GateRun.upstream == upstream,
                   m.ProbeResult.probe.in_(sorted(wanted)),
                   m.ProbeResult.status.in_(_JUDGED))
            .group_by(m.ProbeResult.probe, m.ProbeResult.version)
        )
        if exclude_run is not None:
            query = query.where(m.ProbeResult.run_id != exclude_run)
        evidence: dict[str, list[str]] = {}
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                if row.passes and row.fails:
                    evidence.setdefault(row.probe, []).append(
                        f'{row.version}: {row.passes} pass, '
                        f'{row.fails} fail')
        return {probe: '; '.join(lines) for probe, lines in evidence.items()}

    def ever_passed_on_baseline(
        self, upstream: str, probes: Iterable[str]
    ) -> set[str]:
        """The probes of ``probes`` that passed at least once on a
        baseline of ``upstream``."""
        wanted = sorted(set(probes))
        if not wanted:
            return set()
        query = (
            select(m.ProbeResult.probe).distinct()
            .join(m.GateRun, m.GateRun.id == m.ProbeResult.run_id)
            .where(m.GateRun.upstream == upstream,
                   m.ProbeResult.side == 'baseline',
                   m.ProbeResult.status == 'pass',
                   m.ProbeResult.probe.in_(wanted)))
        with self.engine.connect() as connection:
            return {row[0] for row in connection.execute(query)}

    # -- constraints and the index ---------------------------------------

    def record_decision(self, file: str, decision: Decision) -> None:
        """Write what an update decided for one release."""
        with self.lock, self.engine.begin() as connection:
            connection.execute(insert(m.ConstraintDecision).values(
                run_id=decision.run_id, file=file,
                project=decision.project, pinned=decision.pinned,
                candidate=decision.candidate, decision=decision.decision,
                reason=decision.reason, decided_at=_now()))

    def judged(self, project: str, candidate: str) -> Decision | None:
        """The last verdict (``passed``, ``raised`` or ``held-back``)
        reached on ``candidate`` of ``project``, if any."""
        query = (
            select(m.ConstraintDecision)
            .where(and_(m.ConstraintDecision.project == project,
                        m.ConstraintDecision.candidate == candidate,
                        m.ConstraintDecision.decision.in_(
                            ('passed', 'raised', 'held-back'))))
            .order_by(m.ConstraintDecision.id.desc()).limit(1))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        return Decision(row.project, row.pinned, row.candidate,
                        row.decision, row.reason, row.run_id)

    def etag(self, project: str) -> str | None:
        """The ETag of ``project``'s page at the last poll."""
        with self.engine.connect() as connection:
            return connection.execute(select(m.IndexPoll.etag).where(
                m.IndexPoll.project == project)).scalar()

    def versions(self, project: str) -> list[str]:
        """The versions of ``project`` the index was seen to list."""
        with self.engine.connect() as connection:
            return list(connection.execute(select(m.Release.version).where(
                m.Release.project == project)).scalars())

    def save_poll(
        self, project: str, etag: str | None, versions: Iterable[str]
    ) -> list[str]:
        """Remember a poll's ETag and the versions listed; return those
        not seen before."""
        versions = list(dict.fromkeys(versions))
        with self.lock, self.engine.begin() as connection:
            known = set(connection.execute(select(m.Release.version).where(
                m.Release.project == project)).scalars())
            new = [v for v in versions if v not in known]
            if new:
                connection.execute(insert(m.Release), [
                    {'project': project, 'version': v, 'yanked': False,
                     'first_seen': _now()} for v in new])
            updated = connection.execute(update(m.IndexPoll).where(
                m.IndexPoll.project == project).values(
                    etag=etag, polled_at=_now()))
            if not updated.rowcount:
                connection.execute(insert(m.IndexPoll).values(
                    project=project, etag=etag, polled_at=_now()))
        return new


def open_store(
    url: str | None = None,
    *,
    project_dir: str | pathlib.Path = '.',
    upgrade: bool | None = None,
) -> Store:
    """Open the store: ``url``, else ``$SYMBIOSIS_STORE_URL``, else the
    project's ``[store] url``, else SQLite in the user's data directory.

    :param upgrade: apply missing schema revisions (default: SQLite only).
    :raises symbiosis.exception.InputError: not a database URL.
    :raises symbiosis.exception.InfrastructureError: the store cannot be
        reached or used (its schema is newer, or behind).
    """
    resolved = resolve_store_url(url, project_dir)
    return Store(connect(resolved, upgrade=upgrade), resolved)
