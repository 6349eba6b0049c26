"""The ``venv`` environment: the standard library's ``venv`` plus pip.

The fallback when uv is not installed. It is slower (pip is bootstrapped
into every environment) and cannot honour ``--exclude-newer``.
"""

from __future__ import annotations

import logging
import pathlib
import re
import shutil
import sys

from symbiosis import exception
from symbiosis.gate._environments.base import Environment
from symbiosis.gate._environments.base import EnvironmentSpec
from symbiosis.gate._environments.base import names_path
from symbiosis.gate._environments.interpreters import InterpreterFinder

__all__ = ['VenvEnvironment', 'find_python']

LOG = logging.getLogger(__name__)

_VERSION = re.compile(r'\d+\.\d+')


def find_python(python: str | None,
                finder: InterpreterFinder | None = None) -> str:
    """Return the interpreter for a version (``3.12``) or a path.

    An ``X.Y`` version is the running interpreter when it is that
    version, else the first ``python{VERSION}`` on ``PATH`` that starts
    and is that version (the real interpreter behind a version manager's
    shim); anything else is looked up on ``PATH`` as ``python{VALUE}``.

    :param finder: the finder to ask (one that remembers its answers).
    :raises symbiosis.exception.InputError: no such interpreter is found.
    """
    if not python:
        return sys.executable
    if names_path(python):
        return python
    found = (finder or InterpreterFinder()).find(python)
    if found is None and not _VERSION.fullmatch(python):
        found = shutil.which(f'python{python}')
    if found is None:
        raise exception.InputError(
            f'--python {python}: no such interpreter (no python{python} '
            'on PATH that starts)'
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
        find_python(python, self._interpreter_finder())

    def create(self, path: pathlib.Path, spec: EnvironmentSpec) -> None:
        """``python -m venv``, then ``pip install``."""
        python = find_python(spec.python, self._interpreter_finder())
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
