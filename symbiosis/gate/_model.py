"""What the gate reports: plain, immutable, JSON-serialisable data.

A :class:`ProbeResult` pairs every attempt of one probe on the baseline
side with every attempt on the candidate side and says what that means (a
:class:`Classification`); a :class:`GateReport` holds every result, the
environments used, timings and the overall :class:`Verdict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
from typing import Any

from symbiosis import exception
from symbiosis._enums import TextEnum
from symbiosis.probes._model import Outcome

__all__ = [
    'SCHEMA_VERSION',
    'Classification',
    'EnvironmentInfo',
    'GateReport',
    'ProbeResult',
    'Side',
    'Verdict',
]

#: Version of the JSON report layout.
SCHEMA_VERSION = 1


class Side(TextEnum):
    """Which upstream version an environment holds."""

    BASELINE = 'baseline'
    CANDIDATE = 'candidate'


class Classification(TextEnum):
    """What a probe's baseline and candidate outcomes mean together."""

    #: Passes on both sides.
    PASS = 'pass'  # noqa: S105 - a classification, not a password
    #: Passes on the baseline; fails, errors or times out on the candidate.
    REGRESSION = 'regression'
    #: Fails on the baseline, passes on the candidate.
    FIXED = 'fixed'
    #: Fails on both sides.
    STILL_FAILING = 'still-failing'
    #: A side gave different results when the probe was run again.
    FLAKY = 'flaky'
    #: The infrastructure failed (environment build, resolver, download,
    #: worker crash) on either side: no judgement is possible.
    INFRA_ERROR = 'infra-error'
    #: Timed out on the candidate without passing on the baseline either.
    TIMEOUT = 'timeout'


class Verdict(TextEnum):
    """The gate's overall answer."""

    #: At least one probe was judged on both sides; none regressed.
    PASS = 'pass'  # noqa: S105 - a verdict, not a password
    #: At least one probe regressed.
    REGRESSION = 'regression'
    #: No probe could be judged, and the infrastructure (an environment,
    #: a worker) failed.
    INFRA_ERROR = 'infra-error'
    #: No probe could be judged, and the infrastructure is not to blame:
    #: no probe ran on both sides (its file did not load, its command
    #: could not run or ran no test).
    NOTHING_JUDGED = 'nothing-judged'
    #: The run was interrupted before it could reach a verdict (a
    #: partial report).
    INCOMPLETE = 'incomplete'

    @property
    def exit_code(self) -> int:
        """``0`` pass, ``1`` regression, ``3`` infrastructure failure or
        nothing judged, or no verdict reached."""
        return {
            Verdict.PASS: exception.EXIT_OK,
            Verdict.REGRESSION: exception.EXIT_PROBLEMS,
            Verdict.INFRA_ERROR: exception.EXIT_INFRA,
            Verdict.NOTHING_JUDGED: exception.EXIT_INFRA,
            Verdict.INCOMPLETE: exception.EXIT_INFRA,
        }[self]


@dataclasses.dataclass(frozen=True)
class ProbeResult:
    """One probe, judged on both sides.

    :param probe: the probe id.
    :param baseline: every attempt on the baseline side, first run first.
    :param candidate: every attempt on the candidate side.
    :param classification: what the pair means.
    :param detail: one or more lines explaining it (the failure, what the
        API diff says about it).
    :param python: the Python version the environments run, if several.
    :param downstream: the downstream project, in upstream mode.
    :param baseline_status: the baseline side's summary status.
    :param candidate_status: the candidate side's summary status.
    :param candidate_spec: the candidate SPEC judged, in a gate of several
        candidates (``None``: the gate's only candidate).
    """

    probe: str
    baseline: tuple[Outcome, ...]
    candidate: tuple[Outcome, ...]
    classification: Classification
    detail: str = ''
    python: str | None = None
    downstream: str | None = None
    baseline_status: str = ''
    candidate_status: str = ''
    candidate_spec: str | None = None

    @property
    def key(self) -> str:
        """A unique id within a report (probe, python, downstream, and
        ``@SPEC`` in a gate of several candidates)."""
        parts = [self.probe]
        if self.python:
            parts.append(f'py{self.python}')
        if self.downstream:
            parts.append(self.downstream)
        if self.candidate_spec is not None:
            parts.append(f'@{self.candidate_spec}')
        return ' '.join(parts)

    def failing_outcome(self) -> Outcome | None:
        """The candidate's (else the baseline's) first non-passing attempt.
        """
        for outcome in (*self.candidate, *self.baseline):
            if not outcome.ok:
                return outcome
        return None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data: dict[str, Any] = {
            'probe': self.probe,
            'baseline': _side_json(self.baseline_status, self.baseline),
            'candidate': _side_json(self.candidate_status, self.candidate),
            'classification': self.classification.value,
            'detail': self.detail,
        }
        if self.python:
            data['python'] = self.python
        if self.downstream:
            data['downstream'] = self.downstream
        if self.candidate_spec is not None:
            data['candidate_spec'] = self.candidate_spec
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProbeResult:
        """Build a result from :meth:`to_json` output.

        :raises ValueError: the data is not a result.
        """
        try:
            base = data['baseline']
            cand = data['candidate']
            return cls(
                probe=str(data['probe']),
                baseline=tuple(
                    Outcome.from_json(o) for o in base.get('attempts', ())),
                candidate=tuple(
                    Outcome.from_json(o) for o in cand.get('attempts', ())),
                classification=Classification(data['classification']),
                detail=str(data.get('detail') or ''),
                python=data.get('python'),
                downstream=data.get('downstream'),
                baseline_status=str(base.get('status') or ''),
                candidate_status=str(cand.get('status') or ''),
                candidate_spec=data.get('candidate_spec'),
            )
        except (KeyError, AttributeError, TypeError) as err:
            raise ValueError(f'not a gate result: {err}') from err


def _side_json(status: str, attempts: Sequence[Outcome]) -> dict[str, Any]:
    return {
        'status': status,
        'attempts': [o.to_json() for o in attempts],
    }


@dataclasses.dataclass(frozen=True)
class EnvironmentInfo:
    """An environment the gate ran probes in.

    :param side: ``baseline`` or ``candidate``.
    :param spec: what was installed for the upstream (``tinylib==1.0``,
        a path).
    :param python: the requested Python (``None``: symbiosis's own).
    :param downstream: the downstream installed with it, if any.
    :param kind: the environment plugin (``uv``, ``venv``).
    :param key: the hash of its inputs (its cache key).
    :param path: where it is.
    :param interpreter: its Python executable.
    :param reused: whether a cached environment was reused.
    :param seconds: how long creating (or finding) it took.
    :param error: why it could not be built, if it could not.
    :param version: the upstream's version installed in it, read from its
        metadata (what a requirement SPEC resolved to).
    :param candidate: the candidate SPEC it holds, in a gate of several
        candidates (``None`` otherwise, and left out of the JSON form).
    """

    side: str
    spec: str
    python: str | None
    downstream: str | None
    kind: str
    key: str
    path: str
    interpreter: str
    reused: bool = False
    seconds: float = 0.0
    error: str | None = None
    version: str | None = None
    candidate: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data = dataclasses.asdict(self)
        data['seconds'] = round(self.seconds, 3)
        if self.candidate is None:
            del data['candidate']
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EnvironmentInfo:
        """Build from :meth:`to_json` output."""
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in fields})


#: Lines of an environment's build log kept in the report's summary.
LOG_EXCERPT_LINES = 12


def log_excerpt(text: str, lines: int = LOG_EXCERPT_LINES) -> str:
    """The last ``lines`` non-blank lines of a build log."""
    kept = [line for line in text.rstrip().splitlines() if line.strip()]
    return '\n'.join(kept[-lines:])


def _failure_json(
    env: EnvironmentInfo, results: Sequence[ProbeResult]
) -> dict[str, Any]:
    error = env.error or ''
    return {
        'side': env.side,
        'spec': env.spec,
        'python': env.python,
        'downstream': env.downstream,
        'error': error.strip().splitlines()[0] if error.strip() else '',
        'log': log_excerpt(error),
        'probes': [r.key for r in results],
    }


@dataclasses.dataclass(frozen=True)
class GateReport:
    """Everything a gate run found.

    :param upstream: the upstream distribution's name.
    :param baseline: the baseline SPEC as given.
    :param candidate: the candidate SPEC as given.
    :param results: one per probe (and Python, and downstream).
    :param environments: the environments used.
    :param timings: seconds spent per phase (``environments``, ``probes``,
        ``total``).
    :param complete: ``False`` for a partial report (an interrupted run,
        or the journal written while the run goes on): its verdict is
        ``incomplete``, whatever its results say so far.
    :param executor: the executor that ran the jobs.
    :param yanked: per side (``baseline``, ``candidate``), the yank
        reason of the release it pins when the index says it is yanked
        (``''``: no reason given); sides not yanked are left out. In a
        gate of several candidates, each yanked candidate under its SPEC.
    :param candidates: the candidate SPECs of a gate of several
        candidates, each judged against the one baseline (every result
        names its own, :attr:`ProbeResult.candidate_spec`); ``candidate``
        then holds them as given. Empty in a gate of one candidate.
    :param ranges: each ``--candidate-range`` given, with the releases it
        expanded to.
    :param context: where the run happened, for reports made from this
        one later: ``platform``, ``python``, the upstream's
        ``project_urls`` and each probe's ``kind``, ``source`` file and
        ``command`` (:mod:`symbiosis.gate._context`).
    """

    upstream: str
    baseline: str
    candidate: str
    results: tuple[ProbeResult, ...] = ()
    environments: tuple[EnvironmentInfo, ...] = ()
    timings: Mapping[str, float] = dataclasses.field(default_factory=dict)
    complete: bool = True
    executor: str = ''
    yanked: Mapping[str, str] = dataclasses.field(default_factory=dict)
    context: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    candidates: tuple[str, ...] = ()
    ranges: Mapping[str, tuple[str, ...]] = dataclasses.field(
        default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        """``incomplete`` for a partial report; else ``regression`` if
        any; else ``pass`` if any probe was judged; else ``infra-error``
        if the infrastructure failed, or ``nothing-judged`` if no probe
        ran on both sides. With several candidates, the worst
        candidate's verdict (``regression``, then ``infra-error``, then
        ``nothing-judged``)."""
        return self._judged()[0]

    @property
    def verdict_reason(self) -> str:
        """One line saying why the verdict is what it is."""
        if not self.complete:
            return ('the run was interrupted before every job finished: '
                    'this report is partial')
        return self._judged()[1]

    def _judged(self) -> tuple[Verdict, str]:
        from symbiosis.gate import _matrix
        from symbiosis.gate._classify import judge

        if not self.complete:
            return Verdict.INCOMPLETE, ''
        if self.candidates:
            return _matrix.worst_candidate(self)
        return judge(self.results)

    def for_candidate(self, spec: str) -> GateReport:
        """The report of one candidate of a gate of several: its
        results, the baseline's and its environments (a gate of one
        candidate: the report itself).

        :raises ValueError: ``spec`` is not one of its candidates.
        """
        from symbiosis.gate import _matrix

        return _matrix.candidate_report(self, spec)

    @property
    def exit_code(self) -> int:
        """The command line's exit code for this report."""
        return self.verdict.exit_code

    def by_classification(
        self, classification: Classification
    ) -> list[ProbeResult]:
        """Return the results classified as ``classification``."""
        return [r for r in self.results
                if r.classification is classification]

    @property
    def regressions(self) -> list[ProbeResult]:
        """The regressions."""
        return self.by_classification(Classification.REGRESSION)

    def installed_versions(self) -> dict[str, set[str]]:
        """The upstream versions installed per side (``baseline``,
        ``candidate``), as read from the environments."""
        found: dict[str, set[str]] = {'baseline': set(), 'candidate': set()}
        for env in self.environments:
            if env.version:
                found.setdefault(env.side, set()).add(env.version)
        return found

    def environment_failures(
        self,
    ) -> list[tuple[EnvironmentInfo, list[ProbeResult]]]:
        """Each environment that could not be built, with the results
        that could not run in it (once each, in environment order)."""
        from symbiosis.gate._classify import ENV_BUILD_FAILED

        failures = []
        for env in self.environments:
            if not env.error:
                continue
            hit = []
            for result in self.results:
                attempts = (result.baseline if env.side == Side.BASELINE
                            else result.candidate)
                if env.side != Side.BASELINE and \
                        env.candidate != result.candidate_spec:
                    continue
                if result.downstream == env.downstream and (
                        result.python is None
                        or result.python == env.python) and any(
                            o.cause == ENV_BUILD_FAILED for o in attempts):
                    hit.append(result)
            failures.append((env, hit))
        return failures

    def counts(self) -> dict[str, int]:
        """Return ``{classification: count}`` for every classification."""
        counts = {c.value: 0 for c in Classification}
        for result in self.results:
            counts[result.classification.value] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (``schema_version`` 1)."""
        from symbiosis.gate import _matrix

        verdict, reason = self.verdict, self.verdict_reason
        return {
            'schema_version': SCHEMA_VERSION,
            'upstream': self.upstream,
            'baseline': self.baseline,
            'candidate': self.candidate,
            'verdict': verdict.value,
            'verdict_reason': reason,
            'complete': self.complete,
            'counts': self.counts(),
            'results': [r.to_json() for r in self.results],
            'environments': [e.to_json() for e in self.environments],
            'environment_failures': [
                _failure_json(env, hit)
                for env, hit in self.environment_failures()],
            'timings': {k: round(v, 3) for k, v in self.timings.items()},
            'executor': self.executor,
            'yanked': {side.value: self.yanked.get(side.value)
                       for side in Side},
            'context': dict(self.context),
            **_matrix.to_json(self),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GateReport:
        """Build a report from :meth:`to_json` output.

        :raises ValueError: the data is not a gate report of a known
            schema version.
        """
        if data.get('schema_version') != SCHEMA_VERSION:
            raise ValueError(
                'not a gate report of schema_version '
                f'{SCHEMA_VERSION}: {data.get("schema_version")!r}'
            )
        from symbiosis.gate import _matrix

        try:
            candidates, ranges, yanked = _matrix.from_json(data)
            return cls(
                upstream=str(data['upstream']),
                baseline=str(data['baseline']),
                candidate=str(data['candidate']),
                results=tuple(
                    ProbeResult.from_json(r) for r in data.get('results', ())
                ),
                environments=tuple(
                    EnvironmentInfo.from_json(e)
                    for e in data.get('environments', ())
                ),
                timings=dict(data.get('timings') or {}),
                complete=bool(data.get('complete', True)),
                executor=str(data.get('executor') or ''),
                yanked={**{str(k): str(v) for k, v in
                           (data.get('yanked') or {}).items()
                           if v is not None}, **yanked},
                candidates=candidates, ranges=ranges,
                context=dict(data.get('context') or {}),
            )
        except KeyError as err:
            raise ValueError(f'gate report lacks {err.args[0]!r}') from err
