"""One upstream bug report per regression of a gate report.

:func:`build_reports` picks the regressions (all, or those ``--probe``
names), and for each gathers what an upstream maintainer needs: the
title, the releases and platform, a reproducer
(:mod:`~symbiosis.gate._upstream_report.reproducer`), the failure trimmed
to the upstream's frames, the API diff's explanation and where to file it
(:mod:`~symbiosis.gate._upstream_report.tracker`). Flaky and
``infra-error`` results are never reported: nothing shows the upstream is
at fault. Everything quoted goes through the
:class:`~symbiosis.gate._upstream_report.redact.Redactor`.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import pathlib
import re
import shlex
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis.gate._context import environment_python
from symbiosis.gate._model import Classification
from symbiosis.gate._model import EnvironmentInfo
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._upstream_report import failure
from symbiosis.gate._upstream_report import reproducer as repro
from symbiosis.gate._upstream_report.tracker import Tracker
from symbiosis.gate._upstream_report.tracker import choose_tracker
from symbiosis.gate._upstream_report.tracker import find_project_urls

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = ['Selection', 'UpstreamReport', 'build_reports']

#: Classifications never reported: nothing shows the upstream at fault.
NEVER_REPORTED = (Classification.FLAKY, Classification.INFRA_ERROR)

UNKNOWN = 'unknown'


@dataclasses.dataclass(frozen=True)
class UpstreamReport:
    """A bug report about one regression, ready to file.

    :param probe: the probe id; :param key: the result's key (probe,
        Python, downstream).
    :param title: what broke, in which release, and what worked.
    :param upstream: the upstream's name.
    :param baseline: ``{spec, version}`` of the release that passed.
    :param candidate: ``{spec, version}`` of the release that fails.
    :param python: the Python version the probe ran on.
    :param platform: the platform the gate ran on.
    :param downstream: the downstream project, in upstream mode.
    :param tracker: where to file.
    :param reproducer: how to see it fail.
    :param failure: the candidate's failure: ``status``, ``message``,
        ``location``, ``cause`` and the ``traceback`` trimmed to the
        probe's and the upstream's frames.
    :param explanation: what the API diff says about it.
    :param baseline_passed: what passed on the baseline.
    :param attempts: ``{baseline, candidate}``: how many runs each side
        had, and how many of the candidate's failed (``failed``).
    :param partial: the gate report is partial (an interrupted run).
    """

    probe: str
    key: str
    title: str
    upstream: str
    baseline: Mapping[str, str]
    candidate: Mapping[str, str]
    python: str
    platform: str
    downstream: str | None
    tracker: Tracker
    reproducer: repro.Reproducer
    failure: Mapping[str, Any]
    explanation: tuple[str, ...]
    baseline_passed: str
    attempts: Mapping[str, int]
    partial: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        data = dataclasses.asdict(self)
        data['explanation'] = list(self.explanation)
        data['tracker']['url'] = self.tracker.url or UNKNOWN
        return data


@dataclasses.dataclass(frozen=True)
class Selection:
    """What :func:`build_reports` found.

    :param reports: one per regression chosen.
    :param skipped: ``(key, classification)`` of the results chosen but
        never reported (flaky, ``infra-error``; with ``--probe``, any
        result that is not a regression).
    """

    reports: tuple[UpstreamReport, ...]
    skipped: tuple[tuple[str, str], ...] = ()


def _choose(
    report: GateReport, probes: Sequence[str], name: str
) -> list[ProbeResult]:
    if not probes:
        return list(report.results)
    chosen: list[ProbeResult] = []
    for wanted in probes:
        hits = [r for r in report.results
                if wanted in (r.probe, r.key) and r not in chosen]
        if not hits and not any(wanted in (r.probe, r.key)
                                for r in report.results):
            raise exception.InputError(
                f'{name}: no probe {wanted!r} in this gate report '
                f'({len(report.results)} result(s))')
        chosen.extend(hits)
    return chosen


def _version(report: GateReport, side: str, spec: str) -> dict[str, str]:
    versions = sorted(report.installed_versions().get(side, set()))
    return {'spec': spec, 'version': ', '.join(versions) or spec}


def _environment(report: GateReport, result: ProbeResult, side: str
                 ) -> EnvironmentInfo | None:
    for env in report.environments:
        if env.side == side and env.downstream == result.downstream and (
                result.python is None or env.python == result.python):
            return env
    return None


def _python(report: GateReport, result: ProbeResult) -> str:
    env = _environment(report, result, 'candidate')
    found = environment_python(env.path) if env and env.path else None
    return (found or result.python or (env.python if env else None)
            or str(report.context.get('python') or '') or UNKNOWN)


def _command(report: GateReport, result: ProbeResult
             ) -> tuple[str, Mapping[str, Any]] | None:
    """The command probe ``result`` is (a test of), if any."""
    recorded = report.context.get('probes') or {}
    for probe_id, entry in recorded.items():
        if isinstance(entry, Mapping) and entry.get('kind') == 'command' \
                and (result.probe == probe_id
                     or result.probe.startswith(probe_id + '::')):
            return probe_id, entry
    return None


class _Builder:
    """Builds the reports of one gate report."""

    def __init__(self, report: GateReport, config: Config,
                 directories: Sequence[pathlib.Path],
                 redact: Callable[[str], str]) -> None:
        self.report = report
        self.directories = directories
        self.redact = redact
        urls, origin = find_project_urls(report, config)
        self.tracker = choose_tracker(urls, origin)
        self.baseline = _version(report, 'baseline', report.baseline)
        self.candidate = _version(report, 'candidate', report.candidate)

    def install_line(self) -> str:
        version = self.candidate['version']
        if version != self.report.candidate:
            return f"pip install '{self.report.upstream}=={version}'"
        return f'pip install {shlex.quote(self.report.candidate)}'

    def build(self, result: ProbeResult) -> UpstreamReport:
        report, redact = self.report, self.redact
        bad = next((o for o in result.candidate if not o.ok), None)
        shown = result.probe.partition('::')[0]
        env = _environment(report, result, 'candidate')
        packages = failure.upstream_packages(
            report.upstream, env.path if env else None)
        trimmed, functions = failure.trim_traceback(
            bad.traceback if bad else '', shown, packages)
        name = result.probe.rpartition('::')[2]
        command = _command(report, result)
        if command is not None:
            name = result.probe[len(command[0]) + 2:] or command[0]
        title = failure.failure_title(
            report.upstream, self.candidate['version'],
            self.baseline['version'], name, bad, functions,
            command=command is not None and name == command[0])
        passed = sum(1 for o in result.baseline if o.ok)
        failed = sum(1 for o in result.candidate if not o.ok)
        return UpstreamReport(
            probe=result.probe, key=redact(result.key),
            title=redact(title),
            upstream=report.upstream,
            baseline={k: redact(v) for k, v in self.baseline.items()},
            candidate={k: redact(v) for k, v in self.candidate.items()},
            python=_python(report, result),
            platform=str(report.context.get('platform') or UNKNOWN),
            downstream=redact(result.downstream) if result.downstream
            else None,
            tracker=dataclasses.replace(
                self.tracker, url=redact(self.tracker.url)
                if self.tracker.url else None),
            reproducer=self.reproducer(result, title),
            failure={
                'status': bad.status.value if bad else '',
                'message': redact(bad.message if bad else ''),
                'location': redact(bad.location or '') if bad else '',
                'cause': (bad.cause or '') if bad else '',
                'traceback': redact(trimmed),
            },
            explanation=tuple(
                redact(line.removeprefix('api diff: '))
                for line in result.detail.splitlines()
                if line.startswith('api diff: ')),
            baseline_passed=(
                f'{result.probe} passed with {report.upstream} '
                f"{redact(self.baseline['version'])} ({passed} of "
                f'{len(result.baseline)} run(s))'),
            attempts={'baseline': len(result.baseline),
                      'candidate': len(result.candidate),
                      'failed': failed},
            partial=not report.complete,
        )

    def reproducer(self, result: ProbeResult, title: str
                   ) -> repro.Reproducer:
        command = _command(self.report, result)
        if command is not None:
            return self.command_reproducer(result, *command)
        known = self.report.context.get('probes', {}).get(result.probe, {})
        source = known.get('source') if isinstance(known, Mapping) else None
        tracebacks = [o.traceback for o in result.candidate]
        files = repro.find_probe_file(
            result.probe, known=source, tracebacks=tracebacks,
            directories=self.directories)
        header = (
            f'Reproduce: {title}\n\n'
            f"Passes with {self.report.upstream} "
            f"{self.baseline['version']}, fails with "
            f"{self.candidate['version']}:\n\n"
            f'    {self.install_line()}\n'
            '    python reproduce.py\n\n'
            f'Cut from the probe {result.probe}.')
        for file in files:
            try:
                text = file.read_text(encoding='utf-8')
                script = repro.cut_probe(text, result.probe, header)
            except (OSError, UnicodeDecodeError, SyntaxError, ValueError,
                    LookupError):
                continue
            return repro.Reproducer(repro.SCRIPT, self.redact(script),
                                    self.redact(str(file)))
        shown = result.probe.partition('::')[0]
        frames = [text for tb in tracebacks
                  for _, text in repro.probe_frames(tb, shown)]
        excerpt = '\n'.join(dict.fromkeys(frames))
        return repro.Reproducer(
            repro.EXCERPT, self.redact(excerpt), None,
            f'the probes file {shown} was not found (nor the probe in '
            'it): these are the lines of the probe the report holds')

    def command_reproducer(self, result: ProbeResult, probe_id: str,
                           entry: Mapping[str, Any]) -> repro.Reproducer:
        lines = [self.install_line()]
        if result.downstream:
            lines.append(f'# the tests of {result.downstream}:')
        if entry.get('cwd'):
            lines.append(f"cd {shlex.quote(str(entry['cwd']))}")
        # The placeholder of the environment's interpreter.
        lines.append(re.sub(r"'?\{python\}'?", 'python',
                            str(entry.get('command') or '')))
        test = result.probe[len(probe_id) + 2:]
        note = (f'the test {test} of this command fails' if test
                else 'this command fails')
        return repro.Reproducer(
            repro.COMMAND, self.redact('\n'.join(lines)), None,
            self.redact(f"{note} with {self.candidate['version']} and "
                        f"passes with {self.baseline['version']}"))


def build_reports(
    report: GateReport,
    *,
    config: Config,
    name: str,
    probes: Sequence[str] = (),
    directories: Sequence[pathlib.Path] = (),
    redact: Callable[[str], str] = str,
) -> Selection:
    """The upstream bug reports of ``report``'s regressions.

    :param name: the report's file name, for messages.
    :param probes: probe ids (or result keys) to report; default: every
        regression.
    :param directories: where to look for probes files the report does
        not locate (the report's directory, the current one).
    :param redact: applied to everything quoted.
    :raises symbiosis.exception.InputError: a probe is not in the report,
        or (no ``probes`` given) the report holds no regression and
        nothing was left out either.
    """
    chosen = _choose(report, probes, name)
    regressions = [r for r in chosen
                   if r.classification is Classification.REGRESSION]
    skipped = tuple((r.key, r.classification.value) for r in chosen
                    if r.classification is not Classification.REGRESSION
                    and (probes or r.classification in NEVER_REPORTED))
    if not regressions and not skipped:
        raise exception.InputError(
            f'{name}: no regression in this gate report (verdict: '
            f'{report.verdict})')
    # In a gate of several candidates each regression is told against
    # its own candidate: its versions, environments and yank reason.
    builders: dict[str | None, _Builder] = {}
    built = []
    for result in regressions:
        spec = result.candidate_spec
        if spec not in builders:
            own = report if spec is None else report.for_candidate(spec)
            builders[spec] = _Builder(own, config, directories, redact)
        built.append(builders[spec].build(result))
    return Selection(tuple(built),
                     tuple((redact(k), c) for k, c in skipped))
