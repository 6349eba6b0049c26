"""Timing helpers the benchmark scripts share."""

from __future__ import annotations

from collections.abc import Sequence
import os
import subprocess
import sys
import tempfile
import time


def process_seconds(
    command: Sequence[str], env: dict[str, str] | None = None
) -> float:
    """Wall time of ``command`` run as a whole process (its output
    discarded; a failure raises)."""
    start = time.perf_counter()
    subprocess.run(list(command), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start


def import_time(
    module: str, runs: int = 15, *, preloaded: Sequence[str] = ()
) -> float:
    """Best wall time in ms of ``import module`` in a fresh interpreter,
    after ``preloaded`` modules are imported (untimed).

    Bytecode goes to a private cache the first run writes, so every timed
    run imports compiled modules, as a user's second run does.
    """
    env = dict(os.environ)
    env.pop('PYTHONDONTWRITEBYTECODE', None)
    code = ''.join(f'import {name}\n' for name in preloaded) + (
        f'import time\nt = time.perf_counter()\nimport {module}\n'
        'print(time.perf_counter() - t)\n')
    with tempfile.TemporaryDirectory() as cache:
        env['PYTHONPYCACHEPREFIX'] = cache
        times = []
        for _ in range(runs + 1):  # the first run writes the bytecode
            out = subprocess.run([sys.executable, '-c', code], env=env,
                                 capture_output=True, text=True, check=True)
            times.append(float(out.stdout))
    return min(times[1:]) * 1000
