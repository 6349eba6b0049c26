"""Probes and their outcomes: plain, immutable, JSON-serialisable data.

A :class:`Probe` says *what* to check and *how* its kind runs it; an
:class:`Outcome` says what happened when it ran in one environment. Both
travel between processes (and machines) as JSON, so jobs built from them
can be run by any executor.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
from typing import Any

from symbiosis._enums import TextEnum

__all__ = [
    'Cause',
    'Outcome',
    'OutcomeStatus',
    'Probe',
    'error_outcomes',
]


class OutcomeStatus(TextEnum):
    """What happened when a probe ran.

    ``fail`` means the probe ran and what it checks does not hold (an
    assertion, or any exception raised by the probe's own code);
    ``error`` means no verdict could be reached (the probes file does not
    import, the worker crashed, the probe called ``sys.exit``);
    ``timeout`` means it was stopped after its time limit.
    """

    PASS = 'pass'  # noqa: S105 - a status, not a password
    FAIL = 'fail'
    ERROR = 'error'
    TIMEOUT = 'timeout'
    SKIP = 'skip'


class Cause(TextEnum):
    """Why an outcome is an ``error`` or ``timeout``, for machines.

    The gate uses it to tell a broken upstream from a broken run: a
    ``worker-crashed`` or ``spawn-failed`` outcome is an infrastructure
    error, never a regression.
    """

    #: The probes file raised while being imported, ended the worker
    #: while being imported (``os._exit``), did not finish importing in
    #: time, or has a syntax error.
    IMPORT_ERROR = 'import-error'
    #: The probe raised ``SystemExit`` or ``KeyboardInterrupt``.
    EXITED = 'exited'
    #: The worker process died (``os._exit``, a signal, the OOM killer).
    WORKER_CRASHED = 'worker-crashed'
    #: The interpreter or command could not be started at all.
    SPAWN_FAILED = 'spawn-failed'
    #: The probe ran past its own time limit.
    PROBE_TIMEOUT = 'probe-timeout'
    #: The run's overall time limit expired before the probe ran.
    RUN_TIMEOUT = 'run-timeout'
    #: The probe selected does not exist in its file any more.
    NOT_FOUND = 'not-found'
    #: The probe's kind is not installed, or its data is invalid.
    INVALID = 'invalid'
    #: The worker's result stream could not be understood.
    PROTOCOL = 'protocol'
    #: The command could not run: it is not found or not executable, or
    #: the test runner it starts is not installed in the environment.
    NOT_RUNNABLE = 'not-runnable'
    #: The command ran but reported no test at all.
    NO_TESTS = 'no-tests'


@dataclasses.dataclass(frozen=True)
class Probe:
    """One check a consumer makes of an upstream.

    :param id: stable identifier, comparable across runs and versions:
        ``file.py::name``, ``file.py::Class::test_method`` or
        ``pyproject.toml::commandname``; relative to the probes root.
    :param kind: the name of the :class:`~symbiosis.probes._kinds.ProbeKind`
        plugin that runs it (``function``, ``command``, ``usage``,
        ``semver`` or a third party's).
    :param source: the file the probe was read from (absolute), if any.
    :param line: the line it is defined on, if known.
    :param requires: extra requirements (PEP 508) its environment needs.
    :param timeout: its own time limit in seconds; ``None`` uses the run's.
    :param data: kind-specific JSON data (a command line, a list of names).
        Treat it as read-only.
    """

    id: str
    kind: str
    source: str | None = None
    line: int | None = None
    requires: tuple[str, ...] = ()
    timeout: float | None = None
    data: Mapping[str, Any] = dataclasses.field(
        default_factory=dict, hash=False
    )

    @property
    def name(self) -> str:
        """The part of :attr:`id` after the file: ``name``, ``Cls::test``."""
        return self.id.partition('::')[2] or self.id

    @property
    def broken(self) -> str | None:
        """Why the probe's file could not be read, if it could not."""
        error = self.data.get('error')
        return str(error) if error else None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (a dict of JSON types)."""
        data: dict[str, Any] = {'id': self.id, 'kind': self.kind}
        if self.source is not None:
            data['source'] = self.source
        if self.line is not None:
            data['line'] = self.line
        data['requires'] = list(self.requires)
        data['timeout'] = self.timeout
        if self.data:
            data['data'] = dict(self.data)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Probe:
        """Build a probe from :meth:`to_json` output.

        :raises ValueError: ``data`` lacks ``id`` or ``kind``.
        """
        try:
            return cls(
                id=str(data['id']),
                kind=str(data['kind']),
                source=data.get('source'),
                line=data.get('line'),
                requires=tuple(data.get('requires') or ()),
                timeout=_optional_float(data.get('timeout')),
                data=dict(data.get('data') or {}),
            )
        except KeyError as err:
            raise ValueError(f'probe JSON lacks {err.args[0]!r}') from err


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The result of running one probe (or one test of a command probe).

    :param probe_id: the :attr:`Probe.id`; for a test reported by a command
        probe, ``<command probe id>::<test id>``.
    :param status: what happened.
    :param message: one line saying why (``AssertionError: ...``).
    :param traceback: the failure's traceback text, bounded.
    :param output: captured stdout and stderr, combined and bounded.
    :param truncated: whether ``output`` lost bytes to the bound.
    :param duration: seconds the probe ran.
    :param location: ``file:line`` of the failure, when known.
    :param cause: for ``error`` and ``timeout``: a :class:`Cause` value.
    """

    probe_id: str
    status: OutcomeStatus
    message: str = ''
    traceback: str = ''
    output: str = ''
    truncated: bool = False
    duration: float = 0.0
    location: str | None = None
    cause: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the probe passed or was skipped."""
        return self.status in (OutcomeStatus.PASS, OutcomeStatus.SKIP)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (a dict of JSON types)."""
        return {
            'probe_id': self.probe_id,
            'status': self.status.value,
            'message': self.message,
            'traceback': self.traceback,
            'output': self.output,
            'truncated': self.truncated,
            'duration': round(self.duration, 6),
            'location': self.location,
            'cause': self.cause,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outcome:
        """Build an outcome from :meth:`to_json` output.

        :raises ValueError: ``data`` lacks ``probe_id`` or has an unknown
            ``status``.
        """
        try:
            return cls(
                probe_id=str(data['probe_id']),
                status=OutcomeStatus(data['status']),
                message=str(data.get('message') or ''),
                traceback=str(data.get('traceback') or ''),
                output=str(data.get('output') or ''),
                truncated=bool(data.get('truncated', False)),
                duration=float(data.get('duration') or 0.0),
                location=data.get('location'),
                cause=data.get('cause'),
            )
        except KeyError as err:
            raise ValueError(f'outcome JSON lacks {err.args[0]!r}') from err

    @classmethod
    def for_probes(
        cls,
        probes: Sequence[Probe],
        status: OutcomeStatus,
        message: str,
        **fields: Any,
    ) -> list[Outcome]:
        """Return one identical outcome per probe (a shared failure)."""
        return [
            cls(probe_id=p.id, status=status, message=message, **fields)
            for p in probes
        ]


def error_outcomes(
    probes: Sequence[Probe], message: str, cause: Cause, **fields: Any
) -> list[Outcome]:
    """Return one ``error`` outcome of ``cause`` per probe (a failure they
    share: the interpreter cannot start, the kind is not installed...).
    """
    return Outcome.for_probes(
        probes, OutcomeStatus.ERROR, message, cause=cause.value, **fields
    )
