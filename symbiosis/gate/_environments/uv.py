"""The ``uv`` environment: ``uv venv`` plus ``uv pip install``.

Creating a virtual environment and installing cached wheels into it
takes a fraction of a second with uv, so one environment per side, Python
and downstream stays cheap. Nothing of symbiosis is installed into it:
the probe worker is stdlib-only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pathlib
import shutil
import sys

from symbiosis import exception
from symbiosis._files import write_atomic
from symbiosis._process import run_command
from symbiosis.gate._environments.base import Environment
from symbiosis.gate._environments.base import EnvironmentBuildError
from symbiosis.gate._environments.base import EnvironmentSpec
from symbiosis.gate._environments.base import installer_env
from symbiosis.gate._environments.base import names_path

__all__ = ['UvEnvironment', 'find_uv']

LOG = logging.getLogger(__name__)

#: Seconds uv may take to say which interpreters it finds.
_QUERY_TIMEOUT = 60.0


def find_uv() -> str | None:
    """Return the ``uv`` executable: the ``uv`` package's, else ``PATH``'s.
    """
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        pass
    else:
        try:
            return str(find_uv_bin())
        except FileNotFoundError:
            pass
    return shutil.which('uv')


def _lists_any(output: str) -> bool:
    """Whether ``uv python list --output-format json`` listed anything
    (or said something this cannot read: then the build decides)."""
    for line in output.splitlines():
        if line.startswith('['):
            try:
                return bool(json.loads(line))
            except ValueError:
                break
    return True


class UvEnvironment(Environment):
    """Environments built with uv (the default)."""

    name = 'uv'
    source_variables = ('UV_FIND_LINKS', 'UV_NO_INDEX')

    def _uv(self) -> str:
        uv = getattr(self, '_uv_path', None)
        if uv is None:
            uv = find_uv() or ''
            self._uv_path = uv
        return uv

    def available(self) -> bool:
        """Whether a ``uv`` executable is found."""
        return bool(self._uv())

    def version(self) -> str:
        """``uv --version``, asked once per uv executable.

        The answer is kept on the instance and in the cache directory,
        keyed by the executable's path, modification time and size: a
        warm gate starts no process to learn it, and an upgraded uv (a
        new file) is asked again.
        """
        known: str | None = getattr(self, '_version', None)
        if known is None:
            if not self.available():
                known = 'missing'
            else:
                known = self._cached_version(self._uv())
            self._version = known
        return known

    def _cached_version(self, uv: str) -> str:
        """``uv --version`` of ``uv``, from the cache when it knows it."""
        try:
            store = self.config.subdir('tools')
            stat = os.stat(uv)
        except (OSError, exception.SymbiosisError):
            store = None
        if store is None:
            return self.run([uv, '--version'], 'uv --version').strip()
        identity = (f'{os.path.realpath(uv)}\0{stat.st_mtime_ns}'
                    f'\0{stat.st_size}')
        digest = hashlib.sha256(identity.encode('utf-8')).hexdigest()
        path = store / f'uv-version-{digest[:32]}'
        with contextlib.suppress(OSError, UnicodeDecodeError):
            known = path.read_text(encoding='utf-8').strip()
            if known:
                return known
        known = self.run([uv, '--version'], 'uv --version').strip()
        with contextlib.suppress(OSError):
            write_atomic(path, known + '\n')
        return known

    def check_python(self, python: str) -> None:
        """Check a path (see the base class), or that the version is
        found: the running interpreter or a ``python{VERSION}`` on
        ``PATH`` (:mod:`.interpreters`), or one uv finds, installed or to
        download (unless ``UV_PYTHON_DOWNLOADS`` forbids it).

        When uv cannot answer (missing, crashed) nothing is decided here:
        the build says what is wrong.
        """
        super().check_python(python)
        uv = self._uv()
        if (not uv or names_path(python)
                or self._interpreter_finder().find(python) is not None):
            return
        found = run_command([uv, 'python', 'find', '--no-project', python],
                            env=installer_env(), timeout=_QUERY_TIMEOUT)
        if found.returncode == 0 or (
                'no interpreter found' not in found.output.lower()):
            return  # found, or uv did not answer: the build decides
        downloads = os.environ.get('UV_PYTHON_DOWNLOADS', '').lower()
        if downloads in ('never', 'manual'):
            why = (f'installed, and UV_PYTHON_DOWNLOADS={downloads} stops '
                   'a download')
        else:
            listed = run_command(
                [uv, 'python', 'list', '--only-downloads', '--output-format',
                 'json', python],
                env=installer_env(), timeout=_QUERY_TIMEOUT)
            if listed.returncode != 0 or _lists_any(listed.output):
                return
            why = 'installed nor to download'
        raise exception.InputError(
            f'--python {python}: no such interpreter: uv finds none {why}')

    def create(self, path: pathlib.Path, spec: EnvironmentSpec) -> None:
        """``uv venv``, then install downstreams and extras, then the
        upstream (last, so its exact version wins over downstream pins).
        """
        uv = self._uv()
        if not uv:
            raise EnvironmentBuildError('uv is not installed')
        python = spec.python or sys.executable
        # A version this machine has is the interpreter found the same
        # way whichever interpreter runs symbiosis; others are uv's to
        # find (or download).
        finder = self._interpreter_finder()
        found = None if names_path(python) else finder.find(python)
        self.run([uv, 'venv', '--quiet', '--python', found or python,
                  str(path)],
                 f'creating a Python {python} environment with uv')
        interpreter = str(self.interpreter(path))
        # No --compile-bytecode: probe workers keep bytecode under the
        # cache's pycache prefix, compiled on first import of each module
        # -- only what probes import, once for every run.
        common = [uv, 'pip', 'install', '--python', interpreter]
        if self.config.offline:
            common.append('--offline')
        common += self.index_options() + _refresh_options(
            spec, self.config.offline)
        if spec.exclude_newer:
            common += ['--exclude-newer', spec.exclude_newer]
        self.install(common, spec)


def _refresh_options(spec: EnvironmentSpec, offline: bool) -> list[str]:
    """``--refresh-package`` for the upstream's pins from the index.

    uv trusts a cached project page until its max-age (up to 10 minutes
    on the public index): a release the index lists now -- the one a
    ``watch`` poll just saw -- must be installable now, at the price of
    one page request per upstream.
    """
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement

    if offline:
        return []
    options = []
    for item in spec.install:
        try:
            requirement = Requirement(item)
        except InvalidRequirement:
            continue  # a path: nothing to refresh
        if not requirement.url:
            options += ['--refresh-package', requirement.name]
    return options
