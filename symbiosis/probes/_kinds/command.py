"""The ``command`` kind: a test suite or any command run in the target env.

The command runs with the target environment's ``bin`` directory first on
``PATH`` (so ``pytest`` is the environment's pytest) and these
placeholders replaced in its arguments:

``{python}``
    the target interpreter;
``{junitxml}``
    a path for a JUnit XML report (also in ``$SYMBIOSIS_JUNITXML``);
``{subunit}``
    a path for a subunit v2 stream (also in ``$SYMBIOSIS_SUBUNIT``).

With ``format = "subunit"`` and no ``{subunit}``, standard output is the
subunit stream (``stestr run --subunit``). When a report is read, there is
one outcome per test, ``<probe id>::<test id>``, plus one for the command
itself if its exit status contradicts the report; without a report, one
outcome from the exit status.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import logging
import pathlib
import shlex
import shutil
import tempfile
from typing import TYPE_CHECKING
from typing import Any

from symbiosis.probes._kinds.base import ProbeKind
from symbiosis.probes._model import Cause
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus
from symbiosis.probes._model import Probe

if TYPE_CHECKING:
    from symbiosis.probes._kinds.base import ProbeRun

__all__ = ['FORMATS', 'CommandKind', 'command_probe']

LOG = logging.getLogger(__name__)

#: Report formats: ``auto`` picks from the placeholders used.
FORMATS = ('auto', 'junit', 'subunit', 'exit-code')
DEFAULT_COMMAND_TIMEOUT = 3600.0


def command_probe(
    name: str,
    command: str | Sequence[str],
    *,
    cwd: str | None = None,
    format: str = 'auto',
    timeout: float | None = None,
    requires: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    id_prefix: str = 'commands',
) -> Probe:
    """Build a command probe in code.

    :param name: its name; the id is ``<id_prefix>::<name>``.
    :param command: a command line (split with :func:`shlex.split`, no
        shell) or an argument list; placeholders as described above.
    :param cwd: where to run it (default: the run's working directory).
    :param format: how to read per-test results (:data:`FORMATS`).
    :param timeout: its time limit in seconds.
    :param requires: extra requirements its environment needs.
    :param env: extra environment variables.
    :raises ValueError: ``command`` is empty or ``format`` unknown.
    """
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if not argv:
        raise ValueError(f'command probe {name!r} has an empty command')
    if format not in FORMATS:
        raise ValueError(
            f'command probe {name!r}: format must be one of '
            f"{', '.join(FORMATS)}, not {format!r}"
        )
    data: dict[str, Any] = {'argv': argv, 'format': format}
    if cwd is not None:
        data['cwd'] = cwd
    if env:
        data['env'] = dict(env)
    return Probe(
        id=f'{id_prefix}::{name}', kind=CommandKind.name,
        requires=tuple(requires),
        timeout=None if timeout is None else float(timeout), data=data,
    )


def _from_table(
    name: str, spec: Any, config_path: pathlib.Path, shown: str
) -> Probe:
    if isinstance(spec, (str, list)):
        spec = {'command': spec}
    if not isinstance(spec, Mapping) or 'command' not in spec:
        raise ValueError('expected a command string or a table with command')
    cwd = spec.get('cwd')
    base = config_path.parent.resolve()
    probe = command_probe(
        name, spec['command'],
        cwd=str(base / cwd) if cwd else str(base),
        format=str(spec.get('format', 'auto')),
        timeout=spec.get('timeout'),
        requires=[str(r) for r in spec.get('requires', ())],
        env={str(k): str(v) for k, v in spec.get('env', {}).items()},
        id_prefix=shown,
    )
    return dataclasses.replace(probe, source=str(config_path.resolve()))


class CommandKind(ProbeKind):
    """Commands and test suites run in the target environment."""

    name = 'command'
    description = 'commands and test suites from [commands] of a probes config'

    def discover(self, path: str, *, root: str | None = None) -> list[Probe]:
        """Read ``[commands]`` of the probes config files at ``path``."""
        from symbiosis.probes._kinds.function import shown_path
        from symbiosis.probes._settings import find_probe_settings_files
        from symbiosis.probes._settings import read_probe_settings

        target = pathlib.Path(path)
        base = pathlib.Path(root) if root else (
            target if target.is_dir() else target.parent
        )
        probes: list[Probe] = []
        for file in find_probe_settings_files(target):
            config = read_probe_settings(file)
            shown = shown_path(file, base)
            if config.error:
                probes.append(Probe(
                    id=shown, kind=self.name, source=str(file.resolve()),
                    data={'error': config.error},
                ))
                continue
            for name, spec in config.section('commands').items():
                try:
                    probes.append(_from_table(name, spec, file, shown))
                except (ValueError, TypeError) as err:
                    probes.append(Probe(
                        id=f'{shown}::{name}', kind=self.name,
                        source=str(file.resolve()),
                        data={'error': f'{shown}: commands.{name}: {err}'},
                    ))
        return probes

    def run(self, run: ProbeRun) -> Iterator[Outcome]:
        """Run each command in turn."""
        for probe in run.probes:
            yield from _run_command_probe(probe, run)


def _command_env(
    python: str, env: Mapping[str, str] | None, extra: Mapping[str, str]
) -> dict[str, str]:
    from symbiosis.probes._driver import worker_env

    result = worker_env(env, python=python)
    result.pop('PYTHONUNBUFFERED', None)
    result.update(extra)
    return result


def _run_command_probe(probe: Probe, run: ProbeRun) -> Iterator[Outcome]:
    from symbiosis._process import describe_exit
    from symbiosis._process import run_command

    if probe.broken:
        yield Outcome(probe.id, OutcomeStatus.ERROR, message=probe.broken,
                      cause=Cause.INVALID.value)
        return
    argv = [str(a) for a in probe.data.get('argv', ())]
    fmt = str(probe.data.get('format', 'auto'))
    scratch = pathlib.Path(tempfile.mkdtemp(prefix='symbiosis-command-'))
    try:
        junit = scratch / 'junit.xml'
        subunit = scratch / 'subunit.bin'
        values = {'python': run.python, 'junitxml': str(junit),
                  'subunit': str(subunit)}
        uses = {key for key in values for a in argv if '{' + key + '}' in a}
        argv = [_substitute(a, values) for a in argv]
        if fmt == 'auto':
            fmt = ('junit' if 'junitxml' in uses
                   else 'subunit' if 'subunit' in uses else 'exit-code')
        stream_path = scratch / 'stdout.subunit'
        stdout_file = None
        if fmt == 'subunit' and 'subunit' not in uses:
            stdout_file = stream_path.open('wb')
            subunit = stream_path
        extra = {'SYMBIOSIS_JUNITXML': str(junit),
                 'SYMBIOSIS_SUBUNIT': str(subunit)}
        extra.update(probe.data.get('env') or {})
        limit = probe.timeout or run.timeout or DEFAULT_COMMAND_TIMEOUT
        try:
            result = run_command(
                argv, env=_command_env(run.python, run.env, extra),
                cwd=probe.data.get('cwd') or run.cwd, timeout=limit,
                stdout=stdout_file,
            )
        finally:
            if stdout_file is not None:
                stdout_file.close()
        tests = _read_report(fmt, junit, subunit)
        for test in tests:
            yield dataclasses.replace(
                test, probe_id=f'{probe.id}::{test.probe_id}'
            )
        status = OutcomeStatus.PASS
        message = ''
        cause = None
        if result.error:
            status, message, cause = (
                OutcomeStatus.ERROR, result.error, Cause.SPAWN_FAILED.value)
        elif result.timed_out:
            status, cause = OutcomeStatus.TIMEOUT, Cause.PROBE_TIMEOUT.value
            message = (f'timed out after {limit:g}s; its process group was '
                       'killed')
        elif result.returncode != 0:
            status = OutcomeStatus.FAIL
            message = f'{shlex.join(argv)}: {describe_exit(result.returncode)}'
        failing = any(not t.ok for t in tests)
        if tests and (status is OutcomeStatus.PASS
                      or (status is OutcomeStatus.FAIL and failing)):
            return
        yield Outcome(
            probe.id, status, message=message, output=result.output,
            truncated=result.truncated, duration=result.duration,
            cause=cause,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _substitute(arg: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        arg = arg.replace('{' + key + '}', value)
    return arg


def _read_report(
    fmt: str, junit: pathlib.Path, subunit: pathlib.Path
) -> list[Outcome]:
    from symbiosis.probes._junit import parse_junit
    from symbiosis.probes._subunit import parse_subunit

    try:
        if fmt == 'junit' and junit.is_file() and junit.stat().st_size:
            return parse_junit(junit)
        if fmt == 'subunit' and subunit.is_file():
            return parse_subunit(subunit.read_bytes())
    except (OSError, ValueError) as err:
        LOG.warning('cannot read the %s report: %s', fmt, err)
    return []
