"""Environments that also see the system's site-packages."""

from __future__ import annotations

import pathlib
import shutil
import sys

from symbiosis.exception import InputError
from symbiosis.gate import Environment
from symbiosis.gate import EnvironmentSpec


class SystemSiteEnvironment(Environment):
    """``python -m venv --system-site-packages``, then pip: what the system
    already has (a large numerical stack) is not installed again."""

    name = 'system_site'

    def available(self) -> bool:
        return True

    def version(self) -> str:
        # Part of the cache key: bump it when create() changes.
        return '1'

    def create(self, path: pathlib.Path, spec: EnvironmentSpec) -> None:
        python = spec.python or sys.executable
        if '/' not in python:
            found = shutil.which(f'python{python}')
            if found is None:
                raise InputError(f'no python{python} on PATH')
            python = found
        self.run([python, '-m', 'venv', '--system-site-packages', str(path)],
                 f'creating an environment at {path}')
        pip = [str(self.interpreter(path)), '-m', 'pip', 'install', '-q',
               *self.index_options()]
        # Installs the downstreams, the probes' requirements and the
        # upstream; raises EnvironmentBuildError with the installer's
        # output when that fails.
        self.install(pip, spec)
