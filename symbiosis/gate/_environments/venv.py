"""The ``venv`` environment: the standard library's ``venv`` plus pip.

The fallback when uv is not installed. It is slower (pip is bootstrapped
into every environment) and cannot honour ``--exclude-newer``.
"""

from __future__ import annotations

import logging
import pathlib
import shutil
import sys

from symbiosis import exception
from symbiosis.gate._environments.base import Environment
from symbiosis.gate._environments.base import EnvironmentSpec

__all__ = ['VenvEnvironment', 'find_python']

LOG = logging.getLogger(__name__)


def find_python(python: str | None) -> str:
    """Return the interpreter for a version (``3.12``) or a path.

    :raises symbiosis.exception.InputError: no such interpreter is found.
    """
    if not python:
        return sys.executable
    if '/' in python:
        return python
    found = shutil.which(f'python{python}')
    if found is None:
        raise exception.InputError(
            f'--python {python}: no such interpreter (no python{python} '
            'on PATH)'
        )
    return found


class VenvEnvironment(Environment):
    """Environments built with ``python -m venv`` and pip."""

    name = 'venv'
    source_variables = ('PIP_FIND_LINKS', 'PIP_NO_INDEX')

    def available(self) -> bool:
        """The standard library always has ``venv``."""
        return True

    def version(self) -> str:
        """This plugin's layout version."""
        return '1'

    def check_python(self, python: str) -> None:
        """Check a path (see the base class), or that ``python{VERSION}``
        is on ``PATH``."""
        super().check_python(python)
        find_python(python)

    def create(self, path: pathlib.Path, spec: EnvironmentSpec) -> None:
        """``python -m venv``, then ``pip install``."""
        python = find_python(spec.python)
        self.run([python, '-m', 'venv', str(path)],
                 f'creating an environment with {python} -m venv')
        if spec.exclude_newer:
            LOG.warning('the venv environment cannot honour '
                        '--exclude-newer %s; install uv', spec.exclude_newer)
        # --no-compile: workers keep bytecode under the pycache prefix.
        common = [str(self.interpreter(path)), '-m', 'pip', 'install',
                  '--disable-pip-version-check', '--no-input', '-q',
                  '--no-compile']
        if self.config.offline:
            common.append('--no-index')
        common += self.index_options()
        self.install(common, spec)
