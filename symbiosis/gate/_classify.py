"""Classify a probe from its baseline and candidate outcomes (pure).

Each side's attempts (the first run and any re-runs) are summarised into
one status, then the pair is looked up in a small table:

=============  ===================  ====================
baseline       candidate            classification
=============  ===================  ====================
infra or not-run (either side)      ``infra-error``
not loaded     not loaded           ``infra-error``
flaky (either side)                 ``flaky``
pass           pass                 ``pass``
pass           fail / timeout       ``regression``
fail/timeout   pass                 ``fixed``
fail/timeout   timeout              ``timeout``
fail/timeout   fail                 ``still-failing``
=============  ===================  ====================

Infrastructure failures (an environment that could not be built or that
vanished, a resolver or download failure, a worker that crashed or could
not be started) are never regressions; nor is a regression whose re-run
hit infrastructure failures on both sides, so that nothing confirmed it.
Neither is a probe that never ran on either side: a command that could
not run or reported no test (a ``not-run`` side), a probes file that
could not be loaded on both sides (*not loaded*: it does not import
there, or the probe is not in it). A probes file that loads on the
baseline only is a regression, as before.

:func:`judge` makes the gate's verdict of the results, with one line
saying why: ``nothing-judged`` when no probe could be judged and no
infrastructure failure is to blame.
"""

from __future__ import annotations

from collections.abc import Sequence

from symbiosis.gate._model import Classification
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Verdict
from symbiosis.probes._model import Cause
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus

__all__ = [
    'ENV_BUILD_FAILED',
    'ENV_VANISHED',
    'INFRA_CAUSES',
    'JOB_FAILED',
    'LOAD_CAUSES',
    'UNRUN_CAUSES',
    'classify',
    'describe',
    'is_infra',
    'judge',
    'needs_rerun',
    'side_status',
]

#: Cause of the outcomes of probes whose environment could not be built.
ENV_BUILD_FAILED = 'env-build-failed'
#: Cause of the outcomes of a job whose executor raised (a lost worker).
JOB_FAILED = 'job-failed'
#: Cause of failing outcomes of a job whose environment vanished.
ENV_VANISHED = 'env-vanished'

#: Causes that say the run, not the upstream, failed.
INFRA_CAUSES = frozenset({
    Cause.WORKER_CRASHED.value,
    Cause.SPAWN_FAILED.value,
    Cause.PROTOCOL.value,
    Cause.RUN_TIMEOUT.value,
    ENV_BUILD_FAILED,
    ENV_VANISHED,
    JOB_FAILED,
})
#: Causes that say the probe never ran on that side, whatever the
#: upstream: its command could not run or ran no test, or its kind or
#: data is unusable.
UNRUN_CAUSES = frozenset({
    Cause.NOT_RUNNABLE.value,
    Cause.NO_TESTS.value,
    Cause.INVALID.value,
})
#: Causes that say the probe's file could not be loaded (or the probe is
#: not in it): on both sides, nothing is judged; on one side only, the
#: upstream may well be why.
LOAD_CAUSES = frozenset({
    Cause.IMPORT_ERROR.value,
    Cause.NOT_FOUND.value,
})

# Summary statuses of one side.
PASS = 'pass'  # noqa: S105 - a status, not a password
FAIL = 'fail'
TIMEOUT = 'timeout'
INFRA = 'infra'
NOT_RUN = 'not-run'
FLAKY = 'flaky'
MISSING = 'missing'


def is_infra(outcome: Outcome) -> bool:
    """Whether ``outcome`` is an infrastructure failure."""
    return (
        outcome.status in (OutcomeStatus.ERROR, OutcomeStatus.TIMEOUT)
        and outcome.cause in INFRA_CAUSES
    )


def _state(outcome: Outcome) -> str:
    if outcome.ok:
        return PASS
    if is_infra(outcome):
        return INFRA
    if outcome.cause in UNRUN_CAUSES:
        return NOT_RUN
    if outcome.status is OutcomeStatus.TIMEOUT:
        return TIMEOUT
    return FAIL


def side_status(attempts: Sequence[Outcome]) -> str:
    """Summarise one side's attempts: ``pass``, ``fail``, ``timeout``,
    ``infra``, ``not-run``, ``flaky`` or ``missing`` (no attempt at all).

    Infrastructure failures and attempts that never ran are ignored when
    another attempt ran; a side that both passed and failed is ``flaky``.
    """
    states = [_state(o) for o in attempts]
    if not states:
        return MISSING
    judged = [s for s in states if s not in (INFRA, NOT_RUN)]
    if not judged:
        return INFRA if INFRA in states else NOT_RUN
    if PASS in judged and len(set(judged)) > 1:
        return FLAKY
    for state in judged:
        if state != PASS:
            return state
    return PASS


def classify(
    baseline: Sequence[Outcome], candidate: Sequence[Outcome]
) -> tuple[Classification, str, str]:
    """Classify one probe from its attempts on both sides.

    :returns: the classification and both sides' summary statuses.
    """
    b = side_status(baseline)
    c = side_status(candidate)
    # A probe missing on one side (a test a command no longer reports)
    # did not pass there.
    b_eff = FAIL if b == MISSING else b
    c_eff = FAIL if c == MISSING else c
    if INFRA in (b_eff, c_eff) or NOT_RUN in (b_eff, c_eff) or (
            _not_loaded(baseline) and _not_loaded(candidate)):
        result = Classification.INFRA_ERROR
    elif FLAKY in (b_eff, c_eff):
        result = Classification.FLAKY
    elif b_eff == PASS:
        result = (Classification.PASS if c_eff == PASS
                  else Classification.REGRESSION)
        if result is Classification.REGRESSION and _rerun_lost(
                baseline, candidate):
            result = Classification.INFRA_ERROR
    elif c_eff == PASS:
        result = Classification.FIXED
    elif c_eff == TIMEOUT:
        result = Classification.TIMEOUT
    else:
        result = Classification.STILL_FAILING
    return result, b, c


def _not_loaded(attempts: Sequence[Outcome]) -> bool:
    """Whether no attempt of a side got past loading the probe."""
    ran = [o for o in attempts if not is_infra(o)]
    return bool(ran) and all(o.cause in LOAD_CAUSES for o in ran)


def _rerun_lost(
    baseline: Sequence[Outcome], candidate: Sequence[Outcome]
) -> bool:
    """Whether a re-run failed to run on both sides (nothing confirms)."""
    return any(is_infra(b) and is_infra(c)
               for b, c in zip(baseline[1:], candidate[1:], strict=False))


def needs_rerun(
    baseline: Sequence[Outcome], candidate: Sequence[Outcome]
) -> bool:
    """Whether a probe should run again (on both sides) before a verdict.

    Any side not passing calls for a re-run, except when an environment
    could not be built: running again cannot change that.
    """
    if any(o.cause == ENV_BUILD_FAILED for o in (*baseline, *candidate)):
        return False
    return side_status(baseline) != PASS or side_status(candidate) != PASS


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ''


def judge(results: Sequence[ProbeResult]) -> tuple[Verdict, str]:
    """The gate's verdict on ``results`` and one line saying why.

    ``regression`` if any probe regressed; ``pass`` if at least one
    probe was judged (and none regressed); when none could be judged,
    ``infra-error`` if the infrastructure failed anywhere (an
    environment, a worker), else ``nothing-judged`` (no probe ran on
    both sides: its file did not load, its command could not run or ran
    no test).
    """
    total = len(results)
    regressed = [r for r in results
                 if r.classification is Classification.REGRESSION]
    if regressed:
        return Verdict.REGRESSION, (
            f'{len(regressed)} of {total} probe(s) regressed '
            f'(first: {regressed[0].key})')
    unjudged = [r for r in results
                if r.classification is Classification.INFRA_ERROR]
    if total > len(unjudged):
        rest = (f'; {len(unjudged)} could not be judged' if unjudged
                else '')
        return Verdict.PASS, (
            f'{total - len(unjudged)} of {total} probe(s) judged, none '
            f'regressed{rest}')
    if not results:
        return Verdict.NOTHING_JUDGED, 'no probe ran'
    many = f'none of the {total} probes could be judged; first: ' \
        if total > 1 else 'the probe could not be judged: '
    for result in unjudged:
        for side, attempts in (('candidate', result.candidate),
                               ('baseline', result.baseline)):
            if side_status(attempts) != INFRA:
                continue
            for outcome in attempts:
                if is_infra(outcome):
                    return Verdict.INFRA_ERROR, (
                        f'{many}{result.key}: {side}: '
                        f'{_first_line(outcome.message) or outcome.cause}')
    first = unjudged[0]
    bad = first.failing_outcome()
    why = _first_line(bad.message) if bad is not None else ''
    return Verdict.NOTHING_JUDGED, (
        f'{many}{first.key}: {why or "no result on either side"}')


def _first_bad(attempts: Sequence[Outcome]) -> Outcome | None:
    for outcome in attempts:
        if not outcome.ok:
            return outcome
    return None


def _summary(side: str, outcome: Outcome) -> str:
    text = outcome.message or outcome.status.value
    where = f' ({outcome.location})' if outcome.location else ''
    return f'{side}: {outcome.status.value}: {text}{where}'


def describe(
    classification: Classification,
    baseline: Sequence[Outcome],
    candidate: Sequence[Outcome],
) -> str:
    """Return the detail text of a result: what failed, where and how."""
    lines: list[str] = []
    if classification is Classification.PASS:
        return ''
    if classification is Classification.FLAKY:
        for side, attempts in (('baseline', baseline),
                               ('candidate', candidate)):
            statuses = ', '.join(o.status.value for o in attempts)
            lines.append(f'{side} attempts: {statuses}')
        return '\n'.join(lines)
    for side, attempts in (('candidate', candidate), ('baseline', baseline)):
        bad = _first_bad(attempts)
        if bad is not None:
            lines.append(_summary(side, bad))
        elif not attempts:
            lines.append(f'{side}: no result')
    if classification is Classification.INFRA_ERROR and _rerun_lost(
            baseline, candidate):
        lines.append('the re-run hit infrastructure errors on both sides: '
                     'nothing confirmed a regression')
    return '\n'.join(lines)
