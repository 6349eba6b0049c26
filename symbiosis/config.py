"""One explicit configuration object, built once and passed down.

symbiosis keeps no module-level settings. The command line builds a
:class:`Config` from its options and the environment; library callers build
their own (``Config()`` gives the defaults) and pass it to the functions
that need the cache, the package index or worker counts.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import errno
import os
import pathlib

from symbiosis import exception

__all__ = ['DEFAULT_INDEX_URL', 'Config', 'default_cache_dir']

#: The index used when neither the caller, symbiosis's own variables nor
#: pip's/uv's configuration name one.
DEFAULT_INDEX_URL = 'https://pypi.org/simple'


def default_cache_dir(
    environ: Mapping[str, str] | None = None,
) -> pathlib.Path:
    """Return the cache directory: ``$SYMBIOSIS_CACHE_DIR`` or the user's.

    :param environ: the environment to read (defaults to ``os.environ``).
    """
    env = os.environ if environ is None else environ
    explicit = env.get('SYMBIOSIS_CACHE_DIR')
    if explicit:
        return pathlib.Path(explicit).expanduser()
    xdg = env.get('XDG_CACHE_HOME')
    if xdg:
        return pathlib.Path(xdg).expanduser() / 'symbiosis'
    return pathlib.Path('~/.cache/symbiosis').expanduser()


def _env_index_url(env: Mapping[str, str]) -> str | None:
    # symbiosis's own variable first, then the ones users already set for
    # their installers, so a private mirror configured once is honoured.
    for key in ('SYMBIOSIS_INDEX_URL', 'UV_INDEX_URL', 'UV_DEFAULT_INDEX',
                'PIP_INDEX_URL'):
        value = env.get(key)
        if value:
            return value
    return None


def _env_extra_index_urls(env: Mapping[str, str]) -> tuple[str, ...]:
    urls: list[str] = []
    for key in ('UV_EXTRA_INDEX_URL', 'UV_INDEX', 'PIP_EXTRA_INDEX_URL'):
        urls.extend(env.get(key, '').split())
    return tuple(dict.fromkeys(urls))


@dataclasses.dataclass(frozen=True)
class Config:
    """Settings that travel with a call.

    :param cache_dir: where downloads, unpacked trees and per-file
        extraction results are cached.
    :param use_cache: ``False`` disables every cache (``--no-cache``).
    :param index_url: the package index (PEP 503 simple API root).
    :param extra_index_urls: further indexes searched after ``index_url``.
    :param offline: never contact an index; fail with a clear error
        instead.
    :param timeout: network timeout in seconds.
    :param workers: parallel workers for CPU-bound work; ``0`` picks the
        number of cores.
    :param project_config: settings read from a config file or
        ``[tool.symbiosis]`` (see :mod:`symbiosis.api._settings`).
    """

    cache_dir: pathlib.Path = dataclasses.field(
        default_factory=default_cache_dir
    )
    use_cache: bool = True
    index_url: str = DEFAULT_INDEX_URL
    extra_index_urls: tuple[str, ...] = ()
    offline: bool = False
    timeout: float = 30.0
    workers: int = 0
    project_config: Mapping[str, object] = dataclasses.field(
        default_factory=dict
    )

    @classmethod
    def from_environ(
        cls,
        environ: Mapping[str, str] | None = None,
        /,
        **overrides: object,
    ) -> Config:
        """Build a config from environment variables, then ``overrides``.

        Reads ``SYMBIOSIS_CACHE_DIR``, ``SYMBIOSIS_NO_CACHE``,
        ``SYMBIOSIS_OFFLINE`` and the index variables of symbiosis, uv and
        pip (``SYMBIOSIS_INDEX_URL``, ``UV_INDEX_URL``, ``PIP_INDEX_URL``,
        and their extra-index counterparts). ``None`` overrides are ignored.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            'cache_dir': default_cache_dir(env),
            'use_cache': env.get('SYMBIOSIS_NO_CACHE', '') in ('', '0'),
            'offline': env.get('SYMBIOSIS_OFFLINE', '') not in ('', '0'),
            'extra_index_urls': _env_extra_index_urls(env),
        }
        index = _env_index_url(env)
        if index:
            values['index_url'] = index
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def effective_workers(self) -> int:
        """Return the worker count to use (``workers`` or the core count)."""
        if self.workers > 0:
            return self.workers
        return max(1, len(os.sched_getaffinity(0))
                   if hasattr(os, 'sched_getaffinity')
                   else (os.cpu_count() or 1))

    def check_cache_dir(self) -> None:
        """Fail early when :attr:`cache_dir` cannot be a cache directory.

        Nothing is created: the path must be a directory, or a path one
        can be created at (its nearest existing parent a writable
        directory). Nothing is checked when caching is disabled.

        :raises symbiosis.exception.InputError: it names a file, lies
            below a file, or cannot be created; the error names it.
        """
        if not self.use_cache:
            return
        path = self.cache_dir
        try:
            if path.exists():
                if not path.is_dir():
                    raise NotADirectoryError(
                        errno.ENOTDIR, os.strerror(errno.ENOTDIR))
                return
            parent = next((p for p in path.parents if p.exists()), None)
            if parent is None:
                return
            if not parent.is_dir():
                raise NotADirectoryError(
                    errno.ENOTDIR,
                    f'{os.strerror(errno.ENOTDIR)}: {parent}')
            if not os.access(parent, os.W_OK | os.X_OK):
                raise PermissionError(
                    errno.EACCES, f'{os.strerror(errno.EACCES)}: {parent}')
        except OSError as err:
            raise _cache_dir_error(path, err) from err

    def subdir(self, name: str) -> pathlib.Path | None:
        """Return (creating it) the cache subdirectory ``name``.

        Returns ``None`` when caching is disabled.

        :raises symbiosis.exception.InputError: the cache directory
            cannot be created (it names a file, a path too long...).
        :raises symbiosis.exception.InfrastructureError: the disk is full
            or failing.
        """
        if not self.use_cache:
            return None
        path = self.cache_dir / name
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise _cache_dir_error(self.cache_dir, err) from err
        return path


#: Errors of the disk, not of the path given: infrastructure failures.
_DISK_ERRORS = frozenset({errno.ENOSPC, errno.EIO, errno.EDQUOT})


def _cache_dir_error(
    path: pathlib.Path, err: OSError
) -> exception.SymbiosisError:
    message = (f'{path}: cannot use as the cache directory: '
               f'{err.strerror or err}')
    if err.errno in _DISK_ERRORS:
        return exception.InfrastructureError(message)
    return exception.InputError(message)
