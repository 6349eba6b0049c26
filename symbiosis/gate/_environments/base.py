"""The environment plugin base: cached, isolated, keyed by its inputs.

An environment's directory is named after the SHA-256 of everything that
decides its content (the Python, what is installed, the cut-off date, the
plugin and its tool's version). A marker file is written *last*, so a
directory without one is an interrupted build and is rebuilt; a file lock
keeps two processes from building the same environment at once. A run
using an environment holds a shared lock on a file inside it until it is
done, and :func:`clean_environments` removes only environments it can
lock exclusively: a running gate's environments are never removed under
it.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import pathlib
import shutil
import sys
import time
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis._files import write_atomic
from symbiosis.gate._environments.interpreters import InterpreterFinder
from symbiosis.gate._environments.locks import in_use
from symbiosis.gate._environments.locks import locked
from symbiosis.gate._environments.locks import remove_unused

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager as ContextManager

    from symbiosis.config import Config

__all__ = [
    'MARKER',
    'NAMESPACE',
    'BuiltEnvironment',
    'Environment',
    'EnvironmentBuildError',
    'EnvironmentSpec',
    'clean_environments',
    'load_environment',
    'names_path',
]

LOG = logging.getLogger(__name__)

#: The stevedore namespace of environment plugins.
NAMESPACE = 'symbiosis.environments'
#: Written last in a complete environment.
MARKER = '.symbiosis-env.json'
#: Lines of installer output kept in an error message.
ERROR_LINES = 15
#: Seconds an environment build may take.
DEFAULT_BUILD_TIMEOUT = 900.0

_LEAKY = ('PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONUSERBASE',
          'VIRTUAL_ENV', 'CONDA_PREFIX', '__PYVENV_LAUNCHER__',
          'PIP_REQUIRE_VIRTUALENV')


class EnvironmentBuildError(exception.InfrastructureError):
    """An environment could not be created or installed into.

    :param spec: what was being built.
    :param output: the installer's output (the last lines are in the
        message).
    """

    def __init__(self, message: str, *, output: str = '') -> None:
        tail = tail_lines(output)
        super().__init__(f'{message}\n{tail}' if tail else message)
        self.output = output


def tail_lines(text: str, count: int = ERROR_LINES) -> str:
    """Return the last ``count`` non-blank lines of ``text``."""
    lines = [line for line in text.splitlines() if line.strip()]
    return '\n'.join(lines[-count:])


@dataclasses.dataclass(frozen=True)
class EnvironmentSpec:
    """What goes into one environment.

    :param install: what to install for the upstream: requirements
        (``tinylib==1.0``) or paths (a source tree, a wheel, an sdist).
    :param python: a Python version (``3.12``) or an interpreter path;
        ``None``: the interpreter running symbiosis.
    :param downstream: downstream projects installed first (paths or
        requirements).
    :param requirements: extra requirements (what probes declare).
    :param exclude_newer: resolve everything as of this date (uv only).
    :param fingerprint: a digest of local inputs' content, so a changed
        source tree gets a new environment.
    """

    install: tuple[str, ...]
    python: str | None = None
    downstream: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    exclude_newer: str | None = None
    fingerprint: str = ''

    def key(self, kind: str, kind_version: str) -> str:
        """Return the SHA-256 hex digest naming this environment."""
        data = {
            'kind': kind,
            'kind_version': kind_version,
            'python': self.python or sys.executable,
            'install': list(self.install),
            'downstream': list(self.downstream),
            'requirements': sorted(self.requirements),
            'exclude_newer': self.exclude_newer,
            'fingerprint': self.fingerprint,
        }
        text = json.dumps(data, sort_keys=True)
        return hashlib.sha256(text.encode('utf-8')).hexdigest()


@dataclasses.dataclass(frozen=True)
class BuiltEnvironment:
    """A ready environment.

    :param path: its directory.
    :param python: its interpreter.
    :param key: its cache key.
    :param kind: the plugin that built it.
    :param reused: whether it came from the cache.
    :param seconds: time spent creating or finding it.
    """

    path: pathlib.Path
    python: str
    key: str
    kind: str
    reused: bool
    seconds: float


def names_path(python: str) -> bool:
    """Whether a ``--python`` value is an interpreter's path (else a
    version, or a name the plugin looks up)."""
    return '/' in python or os.sep in python


def installer_env() -> dict[str, str]:
    """This process's environment minus what would leak into an env."""
    return {k: v for k, v in os.environ.items() if k not in _LEAKY}


class Environment(abc.ABC):
    """An environment plugin; subclass and register in
    ``symbiosis.environments``.

    :param config: settings (index, offline).
    :param build_timeout: seconds one build may take.
    """

    #: The plugin's name (``uv``).
    name: str = ''

    #: Environment variables that make the installer find releases where
    #: the gate's own index check cannot see them (``--find-links``...).
    source_variables: tuple[str, ...] = ()

    def __init__(
        self,
        config: Config,
        build_timeout: float = DEFAULT_BUILD_TIMEOUT,
    ) -> None:
        self.config = config
        self.build_timeout = build_timeout

    @abc.abstractmethod
    def available(self) -> bool:
        """Whether the plugin's tools are installed."""

    @abc.abstractmethod
    def version(self) -> str:
        """The tool's version (part of the cache key)."""

    @abc.abstractmethod
    def create(self, path: pathlib.Path, spec: EnvironmentSpec) -> None:
        """Create the environment at ``path`` and install ``spec`` into it.

        :raises EnvironmentBuildError: creating or installing failed.
        """

    @staticmethod
    def interpreter(path: pathlib.Path) -> pathlib.Path:
        """Return the Python executable of the environment at ``path``."""
        if os.name == 'nt':  # pragma: no cover - POSIX first
            return path / 'Scripts' / 'python.exe'
        return path / 'bin' / 'python'

    def _interpreter_finder(self) -> InterpreterFinder:
        """This plugin's finder of ``--python X.Y`` interpreters (see
        :mod:`.interpreters`): each candidate is asked once."""
        finder: InterpreterFinder | None = getattr(
            self, '_interpreters', None)
        if finder is None:
            finder = self._interpreters = InterpreterFinder()
        return finder

    def index_options(self) -> list[str]:
        """Installer options naming the package index (or none at all)."""
        from symbiosis.config import DEFAULT_INDEX_URL

        if self.config.offline:
            return []
        options: list[str] = []
        if self.config.index_url and self.config.index_url != (
                DEFAULT_INDEX_URL):
            options += ['--index-url', self.config.index_url]
        for url in self.config.extra_index_urls:
            options += ['--extra-index-url', url]
        return options

    def other_sources(self) -> list[str]:
        """The :attr:`source_variables` set in this process's environment.

        When any is set the gate does not check SPECs against the index
        before building: the installer may well find what the index lacks.
        """
        return [name for name in self.source_variables if os.environ.get(name)]

    def check_python(self, python: str) -> None:
        """Fail before anything is built when ``python`` (a ``--python``
        value) names no interpreter.

        This checks an interpreter given as a path; plugins that find
        interpreters by version check versions too.

        :raises symbiosis.exception.InputError: it names none.
        """
        if not names_path(python):
            return
        path = pathlib.Path(python).expanduser()
        try:
            found = path.is_file() and os.access(path, os.X_OK)
            reason = 'not an executable file'
        except OSError as err:
            found, reason = False, err.strerror or str(err)
        if not found:
            raise exception.InputError(
                f'--python {python}: no such interpreter ({reason})')

    def install(self, command: Sequence[str], spec: EnvironmentSpec) -> None:
        """Install what ``spec`` names with the installer ``command``.

        Downstreams and extra requirements are resolved together with the
        upstream, so one resolution satisfies them all (and, offline, a
        downstream's dependency on the upstream is met by the upstream
        given rather than looked for in a cache). When that fails -- say a
        downstream caps the upstream below the version gated -- they are
        installed first and the upstream over them, so its exact version
        wins and the downstream's tests run against it anyway.

        :raises EnvironmentBuildError: an install failed.
        """
        first = [*spec.downstream, *spec.requirements]
        install = list(spec.install)
        if first and install:
            try:
                self.run([*command, *first, *install],
                         'installing ' + ', '.join([*first, *install]))
                return
            except EnvironmentBuildError as err:
                LOG.info('%s; installing %s over the rest',
                         str(err).splitlines()[0], ', '.join(install))
        if first:
            self.run([*command, *first], 'installing ' + ', '.join(first))
        if install:
            self.run([*command, *install], 'installing ' + ', '.join(install))

    def run(self, argv: Sequence[str], what: str) -> str:
        """Run an installer command; return its output.

        :raises EnvironmentBuildError: it failed or timed out.
        """
        from symbiosis._process import run_command

        LOG.debug('running %s', ' '.join(argv))
        result = run_command(
            argv, env=installer_env(), timeout=self.build_timeout,
        )
        if result.error:
            raise EnvironmentBuildError(f'{what}: {result.error}')
        if result.timed_out:
            raise EnvironmentBuildError(
                f'{what}: timed out after {self.build_timeout:g}s',
                output=result.output,
            )
        if result.returncode != 0:
            from symbiosis._process import describe_exit

            raise EnvironmentBuildError(
                f'{what} failed ({describe_exit(result.returncode)})',
                output=result.output,
            )
        return result.output

    def ensure(
        self,
        spec: EnvironmentSpec,
        root: pathlib.Path,
        *,
        hold: Callable[[ContextManager[object]], object] | None = None,
    ) -> BuiltEnvironment:
        """Return the environment for ``spec`` under ``root``, building it
        unless a complete one is cached.

        :param hold: called with a context manager that keeps the
            environment from being removed (:func:`clean_environments`)
            while it is entered; ``hold`` enters it, and exits it when the
            environment is no longer used (``contextlib.ExitStack``'s
            ``enter_context``). ``None``: the environment is not held.
        :raises EnvironmentBuildError: it cannot be built.
        """
        started = time.monotonic()
        key = spec.key(self.name, self.version())
        path = root / key[:32]
        marker = path / MARKER
        python = self.interpreter(path)
        root.mkdir(parents=True, exist_ok=True)
        with locked(root / f'{key[:32]}.lock'):
            if marker.is_file() and python.exists():
                # Record the use: the age limit counts from the last one.
                with contextlib.suppress(OSError):
                    os.utime(marker)
                if hold is not None:
                    # Taken under the build lock, which a clean takes
                    # first: it cannot remove the environment meanwhile.
                    hold(in_use(path))
                return BuiltEnvironment(
                    path, str(python), key, self.name, True,
                    time.monotonic() - started,
                )
            if path.exists():
                LOG.info('rebuilding incomplete environment %s', path)
                shutil.rmtree(path, ignore_errors=True)
            LOG.debug('building %s environment %s', self.name, path)
            try:
                self.create(path, spec)
            except BaseException:
                shutil.rmtree(path, ignore_errors=True)
                raise
            _write_marker(marker, {
                'kind': self.name, 'key': key,
                'spec': dataclasses.asdict(spec),
                'created': time.time(),
            })
            if hold is not None:
                hold(in_use(path))
        return BuiltEnvironment(
            path, str(python), key, self.name, False,
            time.monotonic() - started,
        )


def _write_marker(path: pathlib.Path, data: Mapping[str, Any]) -> None:
    write_atomic(path, json.dumps(data, sort_keys=True))


def clean_environments(
    root: pathlib.Path, max_age: float | None = None
) -> list[pathlib.Path]:
    """Remove cached environments under ``root``.

    An environment a running gate holds (or one being built) is kept: it
    is removed only under an exclusive lock no user of it can hold.

    :param max_age: only those unused for more than this many seconds
        (``None``: all of them).
    :returns: the directories removed.
    """
    removed: list[pathlib.Path] = []
    if not root.is_dir():
        return removed
    now = time.time()
    for path in sorted(root.iterdir()):
        if not path.is_dir():
            continue
        if max_age is not None:
            marker = path / MARKER
            try:
                used = marker.stat().st_mtime
            except OSError:
                used = path.stat().st_mtime
            if now - used <= max_age:
                continue
        if remove_unused(root, path):
            removed.append(path)
        else:
            LOG.warning('keeping %s: a running gate uses it', path)
    return removed


def installed_version(path: pathlib.Path | str, name: str) -> str | None:
    """The version of distribution ``name`` installed in the environment
    at ``path``, read from its ``.dist-info`` directory (nothing runs).
    """
    from packaging.utils import canonicalize_name

    wanted = canonicalize_name(name)
    root = pathlib.Path(path)
    for site in (*root.glob('lib/python*/site-packages'),
                 root / 'Lib' / 'site-packages'):
        try:
            entries = list(os.scandir(site))
        except OSError:
            continue
        for entry in entries:
            stem, dot, suffix = entry.name.rpartition('.')
            if suffix != 'dist-info' or not dot:
                continue
            dist, _, version = stem.partition('-')
            if version and canonicalize_name(dist) == wanted:
                return version
    return None


def clean_bytecode(
    pycache: pathlib.Path, paths: Iterable[pathlib.Path] | None = None
) -> None:
    """Remove bytecode kept under the ``pycache`` prefix.

    :param paths: directories whose bytecode goes (removed environments);
        ``None``: all of it.
    """
    if paths is None:
        shutil.rmtree(pycache, ignore_errors=True)
        return
    for path in paths:
        # The prefix mirrors absolute source paths below it.
        absolute = pathlib.Path(os.path.abspath(path))
        shutil.rmtree(pycache / absolute.relative_to(absolute.anchor),
                      ignore_errors=True)


def load_environment(
    name: str | None, config: Config
) -> Environment:
    """Load the environment plugin ``name`` (``None``: ``uv`` when it is
    available, else ``venv``).

    :raises symbiosis.exception.ConfigError: no plugin of that name is
        installed, or it cannot be loaded.
    :raises symbiosis.exception.InputError: the plugin is not usable here,
        or (``name`` being ``None``) neither ``uv`` nor ``venv`` is.
    """
    from symbiosis import _plugins

    def create(cls: type[Environment]) -> Environment:
        return cls(config)

    if name is None:
        # Only uv or venv is used: another environment plugin that cannot
        # be loaded is skipped with a warning.
        plugins: dict[str, Environment] = _plugins.load_all(
            NAMESPACE, Environment, what='environment', create=create,
            complete=False)
        for candidate in ('uv', 'venv'):
            found = plugins.get(candidate)
            if found is not None and found.available():
                return found
        raise exception.InputError(
            'no environment plugin is usable: install uv, or a Python '
            'with the venv module'
        )
    plugin: Environment = _plugins.load(
        NAMESPACE, name, Environment, what='environment', create=create)
    if not plugin.available():
        raise exception.InputError(f'environment {name!r} is not usable '
                                   'here (its tool is not installed)')
    return plugin
