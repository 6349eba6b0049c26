"""Synthetic gate reports of any size, for the HTML report's tests and
benchmark: N probes x M candidates with a mix of every classification."""

from __future__ import annotations

from symbiosis.gate._model import Classification
from symbiosis.gate._model import EnvironmentInfo
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus as S

__all__ = ['classification_of', 'synthetic_report']

_TRACEBACK = (
    'Traceback (most recent call last):\n'
    '  File "probes/test_{n}.py", line 12, in test_{n}\n'
    '    assert mylib.parse(text) == expected\n'
    '  File "mylib/core.py", line 88, in parse\n'
    '    raise ParseError(line)\n'
    'mylib.core.ParseError: line {n}: no separator\n'
)


def classification_of(probe: int, candidate: int) -> Classification:
    """Which classification probe ``probe`` has on candidate number
    ``candidate`` (every 7th regresses from the second candidate on,
    a few are flaky, infra-errors, timeouts, still failing or fixed)."""
    if probe % 7 == 0 and candidate >= 1:
        return Classification.REGRESSION
    if probe % 53 == 1:
        return Classification.FLAKY
    if probe % 61 == 2:
        return Classification.INFRA_ERROR
    if probe % 67 == 3:
        return Classification.TIMEOUT
    if probe % 71 == 4:
        return Classification.STILL_FAILING
    if probe % 73 == 5 and candidate == 2:
        return Classification.FIXED
    return Classification.PASS


def _result(probe: int, spec: str, kind: Classification) -> ProbeResult:
    pid = f'probes/test_{probe:03d}.py::test_parse_case_{probe}'
    ok = Outcome(pid, S.PASS, duration=0.01)
    bad = Outcome(pid, S.FAIL, message=f'ParseError: line {probe}',
                  traceback=_TRACEBACK.format(n=probe),
                  location=f'probes/test_{probe:03d}.py:12', duration=0.02)
    base: tuple[Outcome, ...] = (ok,)
    cand: tuple[Outcome, ...] = (ok,)
    statuses = ('pass', 'pass')
    detail = ''
    if kind is Classification.REGRESSION:
        base, cand = (ok, ok), (bad, bad)
        statuses = ('pass', 'fail')
        detail = (f'candidate: fail: ParseError: line {probe}\n'
                  'api diff: mylib.core.parse: parameter \'strict\' of '
                  'mylib.core.parse was removed')
    elif kind is Classification.FLAKY:
        cand = (bad, ok)
        statuses = ('pass', 'flaky')
        detail = 'candidate: flaky: passed 1 of 2 attempts'
    elif kind is Classification.INFRA_ERROR:
        cand = (Outcome(pid, S.ERROR, message='worker died',
                        cause='worker-crashed'),)
        statuses = ('pass', 'infra')
        detail = 'candidate: worker died'
    elif kind is Classification.TIMEOUT:
        base = cand = (Outcome(pid, S.TIMEOUT, message='timed out',
                               cause='probe-timeout', duration=60.0),)
        statuses = ('timeout', 'timeout')
    elif kind is Classification.STILL_FAILING:
        base = cand = (bad,)
        statuses = ('fail', 'fail')
    elif kind is Classification.FIXED:
        base = (bad,)
        statuses = ('fail', 'pass')
    return ProbeResult(pid, base, cand, kind, detail=detail,
                       baseline_status=statuses[0],
                       candidate_status=statuses[1], candidate_spec=spec)


def synthetic_report(probes: int = 500, candidates: int = 3) -> GateReport:
    """A gate of ``probes`` probes against ``candidates`` candidates of
    ``mylib`` (``2.1`` ... ), each with its environment."""
    specs = tuple(f'2.{n + 1}' for n in range(candidates))
    results = tuple(
        _result(p, spec, classification_of(p, c))
        for c, spec in enumerate(specs) for p in range(probes))
    envs = [EnvironmentInfo('baseline', '2.0', None, None, 'uv', 'k0',
                            '/envs/k0', '/envs/k0/bin/python', True, 0.1,
                            version='2.0')]
    envs += [EnvironmentInfo('candidate', spec, None, None, 'uv',
                             f'k{n + 1}', f'/envs/k{n + 1}',
                             f'/envs/k{n + 1}/bin/python', False, 2.0,
                             version=spec, candidate=spec)
             for n, spec in enumerate(specs)]
    return GateReport(
        upstream='mylib', baseline='2.0', candidate=' '.join(specs),
        results=results, environments=tuple(envs),
        timings={'environments': 6.1, 'probes': 42.0, 'total': 48.3},
        executor='thread', candidates=specs)
