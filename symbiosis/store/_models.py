"""The store's tables, as SQLAlchemy 2.0 declarative models.

One row per fact, written as it happens:

* ``releases`` -- each release of an upstream the index was seen to list;
* ``index_polls`` -- the ETag of each project page last polled (``watch``
  asks with ``If-None-Match``, so an unchanged page costs one 304);
* ``gate_runs`` -- one per gate: upstream, baseline and candidate, when,
  the verdict, and the probes that regressed or were flaky;
* ``environments`` -- the environments a run used;
* ``probe_results`` -- every outcome of every attempt, written in the
  transaction of the job that produced it;
* ``api_diffs`` -- the API-diff explanation of each regression;
* ``constraint_decisions`` -- what ``constraints update`` and ``watch``
  decided for each release gated (passed, raised, held back, no
  verdict).

The schema is changed only by a new Alembic revision in
``symbiosis/store/_migrations/versions`` (see :mod:`symbiosis.store._schema`).
"""

from __future__ import annotations

import datetime

from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

__all__ = [
    'ApiDiff',
    'Base',
    'ConstraintDecision',
    'Environment',
    'GateRun',
    'IndexPoll',
    'ProbeResult',
    'Release',
]


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Base(DeclarativeBase):
    """The declarative base of every table."""


class Release(Base):
    """A release of a project, as the index listed it."""

    __tablename__ = 'releases'
    __table_args__ = (UniqueConstraint('project', 'version'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100))
    yanked: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=_now)


class IndexPoll(Base):
    """The last answer of the index for one project page."""

    __tablename__ = 'index_polls'

    project: Mapped[str] = mapped_column(String(200), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    polled_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=_now)


class GateRun(Base):
    """One gate: a baseline and a candidate of an upstream."""

    __tablename__ = 'gate_runs'
    __table_args__ = (Index('ix_gate_runs_upstream_started',
                            'upstream', 'started_at'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upstream: Mapped[str] = mapped_column(String(200))
    baseline: Mapped[str] = mapped_column(String(500))
    candidate: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=_now)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime(timezone=True))
    #: ``running`` until the run ends; then the gate's verdict, or
    #: ``interrupted``.
    verdict: Mapped[str] = mapped_column(String(40), default='running')
    verdict_reason: Mapped[str] = mapped_column(Text, default='')
    #: JSON lists of probe keys.
    regressed: Mapped[str] = mapped_column(Text, default='[]')
    flaky: Mapped[str] = mapped_column(Text, default='[]')


class Environment(Base):
    """An environment a run used."""

    __tablename__ = 'environments'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey('gate_runs.id', ondelete='CASCADE'), index=True)
    side: Mapped[str] = mapped_column(String(20))
    spec: Mapped[str] = mapped_column(String(500))
    python: Mapped[str | None] = mapped_column(String(40))
    downstream: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(100))
    reused: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)


class ProbeResult(Base):
    """One outcome of one attempt of a probe on one side."""

    __tablename__ = 'probe_results'
    __table_args__ = (Index('ix_probe_results_probe', 'probe', 'side'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey('gate_runs.id', ondelete='CASCADE'), index=True)
    job_key: Mapped[str] = mapped_column(String(1000))
    side: Mapped[str] = mapped_column(String(20))
    #: The side's SPEC (the version, for an exact pin).
    version: Mapped[str] = mapped_column(String(500))
    python: Mapped[str] = mapped_column(String(40), default='')
    downstream: Mapped[str] = mapped_column(String(500), default='')
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    probe: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default='')
    cause: Mapped[str | None] = mapped_column(String(100))
    duration: Mapped[float] = mapped_column(Float, default=0.0)


class ApiDiff(Base):
    """The API-diff explanation of one regression."""

    __tablename__ = 'api_diffs'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey('gate_runs.id', ondelete='CASCADE'), index=True)
    probe: Mapped[str] = mapped_column(String(1000))
    explanation: Mapped[str] = mapped_column(Text)


class ConstraintDecision(Base):
    """What an update decided for one pin of a constraints file."""

    __tablename__ = 'constraint_decisions'
    __table_args__ = (Index('ix_constraint_decisions_project',
                            'project', 'candidate'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey('gate_runs.id', ondelete='SET NULL'))
    file: Mapped[str] = mapped_column(String(1000))
    project: Mapped[str] = mapped_column(String(200))
    pinned: Mapped[str] = mapped_column(String(100))
    candidate: Mapped[str] = mapped_column(String(100))
    #: ``passed`` (a gate passed), ``raised`` (the pin moved to it),
    #: ``held-back`` or ``no-verdict``.
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default='')
    decided_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=_now)
