"""``*.imports`` files: each line names a module that must import."""

from __future__ import annotations

from collections.abc import Iterator
import pathlib
import subprocess
import time

from symbiosis.probes import Outcome
from symbiosis.probes import OutcomeStatus
from symbiosis.probes import Probe
from symbiosis.probes import ProbeKind
from symbiosis.probes import ProbeRun


class ImportKind(ProbeKind):
    """One probe per module listed in a ``*.imports`` file."""

    name = 'imports'
    description = 'modules listed in *.imports files must import'

    def discover(self, path: str, *, root: str | None = None) -> list[Probe]:
        target = pathlib.Path(path)
        files = [target] if target.is_file() else sorted(
            target.rglob('*.imports'))
        base = pathlib.Path(root) if root else (
            target if target.is_dir() else target.parent)
        probes = []
        for file in files:
            if file.suffix != '.imports':
                continue
            shown = file.resolve().relative_to(base.resolve()).as_posix()
            lines = file.read_text(encoding='utf-8').splitlines()
            for number, line in enumerate(lines, 1):
                module = line.split('#')[0].strip()
                if module:
                    probes.append(Probe(
                        id=f'{shown}::{module}', kind=self.name,
                        source=str(file.resolve()), line=number,
                        data={'module': module},
                    ))
        return probes

    def run(self, run: ProbeRun) -> Iterator[Outcome]:
        for probe in run.probes:
            started = time.monotonic()
            argv = [run.python, '-c', f"import {probe.data['module']}"]
            try:
                result = subprocess.run(
                    argv, env=run.env, cwd=run.cwd, capture_output=True,
                    text=True, timeout=probe.timeout or run.timeout,
                    check=False)
            except subprocess.TimeoutExpired:
                yield Outcome(probe.id, OutcomeStatus.TIMEOUT,
                              'the import did not finish',
                              duration=time.monotonic() - started)
                continue
            failed = result.returncode != 0
            last = (result.stderr.strip().splitlines() or [''])[-1]
            yield Outcome(
                probe.id,
                OutcomeStatus.FAIL if failed else OutcomeStatus.PASS,
                last if failed else '',
                output=result.stderr,
                duration=time.monotonic() - started,
            )
