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
import os
import pathlib
import re
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
    from symbiosis._process import CommandResult
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
        env = _command_env(run.python, run.env, extra)
        cwd = probe.data.get('cwd') or run.cwd
        missing = (None if argv[0] == run.python
                   else _not_found(argv[0], env, cwd))
        if missing is not None:
            if stdout_file is not None:
                stdout_file.close()
            yield Outcome(probe.id, OutcomeStatus.ERROR, message=missing,
                          cause=Cause.NOT_RUNNABLE.value)
            return
        try:
            result = run_command(
                argv, env=env, cwd=cwd, timeout=limit, stdout=stdout_file,
            )
        finally:
            if stdout_file is not None:
                stdout_file.close()
        tests = _read_report(fmt, junit, subunit)
        for test in tests:
            yield dataclasses.replace(
                test, probe_id=f'{probe.id}::{test.probe_id}'
            )
        status, message, cause = _command_status(
            argv, result, tests, fmt, limit, run.python)
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


def _command_status(
    argv: Sequence[str],
    result: CommandResult,
    tests: Sequence[Outcome],
    fmt: str,
    limit: float,
    python: str,
) -> tuple[OutcomeStatus, str, str | None]:
    """The command's own status, message and cause, from how it ended."""
    from symbiosis._process import describe_exit

    shown = shlex.join(argv)
    if result.error:
        return OutcomeStatus.ERROR, result.error, Cause.SPAWN_FAILED.value
    if result.timed_out:
        return (OutcomeStatus.TIMEOUT,
                f'timed out after {limit:g}s; its process group was killed',
                Cause.PROBE_TIMEOUT.value)
    code = result.returncode
    if not tests:
        why = _why_not_run(argv, code, result.output, python)
        if why is not None:
            return (OutcomeStatus.ERROR, f'{shown}: {why}',
                    Cause.NOT_RUNNABLE.value)
        if _ran_no_test(fmt, code, result.output):
            return (OutcomeStatus.ERROR,
                    f'{shown}: ran no test ({describe_exit(code)})',
                    Cause.NO_TESTS.value)
    if code != 0:
        return OutcomeStatus.FAIL, f'{shown}: {describe_exit(code)}', None
    return OutcomeStatus.PASS, '', None


def _not_found(
    program: str, env: Mapping[str, str], cwd: str | None
) -> str | None:
    """Why ``program`` cannot be started, if it cannot: checked before
    starting it, the way the operating system looks for it."""
    if os.sep in program or (os.altsep and os.altsep in program):
        path = os.path.join(cwd or os.getcwd(), program)
        if not os.path.isfile(path):
            return f'cannot run {program!r}: no such file'
        if not os.access(path, os.X_OK):
            return f'cannot run {program!r}: not executable'
        return None
    if shutil.which(program, path=env.get('PATH', os.defpath)) is None:
        return (f'cannot run {program!r}: command not found in the '
                'environment or on PATH')
    return None


#: What Python says when ``python -m MODULE`` finds no MODULE.
_NO_MODULE = re.compile(r"No module named '?([\w.]+)'?")
#: Shells' exit statuses for "not executable" and "not found" (POSIX).
_SHELL_CANNOT_RUN = {126: 'not executable', 127: 'command not found'}


def _why_not_run(
    argv: Sequence[str], code: int | None, output: str, python: str
) -> str | None:
    """Why a command that reported no test never ran one, if it did not
    get that far: its runner is not installed, or a shell could not find
    or execute it."""
    if not code:
        return None
    program = os.path.basename(argv[0])
    if (argv[0] == python or program.startswith('python')) and (
            '-m' in argv[1:-1]):
        module = argv[argv.index('-m', 1) + 1]
        for line in output.splitlines()[-20:]:
            match = _NO_MODULE.search(line)
            if match and (module == match[1]
                          or module.startswith(match[1] + '.')):
                return (f'the runner is not installed in the environment '
                        f'({line.strip()})')
    if code in _SHELL_CANNOT_RUN:
        lines = [line for line in output.splitlines() if line.strip()]
        last = f' ({lines[-1].strip()})' if lines else ''
        return f'{_SHELL_CANNOT_RUN[code]}{last}'
    return None


# Test runners' own words for "no test ran" (unittest, pytest) and for
# some that did.
_NO_TEST_RAN = re.compile(
    r'^Ran 0 tests in |\bno tests ran\b|\bcollected 0 items\b',
    re.IGNORECASE | re.MULTILINE)
_SOME_TEST_RAN = re.compile(
    r'^Ran [1-9]\d* tests? in |\b[1-9]\d* (?:passed|failed|errors?)\b',
    re.MULTILINE)
#: pytest's and unittest's (3.12+) exit status when no test ran.
_EXIT_NO_TESTS = 5


def _ran_no_test(fmt: str, code: int | None, output: str) -> bool:
    """Whether a command that finished ran no test at all.

    With a report format, a report holding no test (or no report) from a
    command that succeeded (or exited 5: pytest's and unittest's "no
    tests"); with exit codes alone, unittest's or pytest's own words.
    """
    if code not in (0, _EXIT_NO_TESTS):
        return False
    if fmt in ('junit', 'subunit'):
        return True
    return bool(_NO_TEST_RAN.search(output)) and not _SOME_TEST_RAN.search(
        output)


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
