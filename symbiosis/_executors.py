"""Executors: where jobs run (``symbiosis.executors`` plugins).

An executor plugin is a small factory that builds a
:class:`concurrent.futures.Executor`. The built-in ones wrap futurist:

* ``sync`` -- runs each job in the caller's thread (debugging, tests);
* ``thread`` -- a thread pool (the default: jobs mostly wait on
  subprocesses);
* ``process`` -- a process pool (CPU-bound jobs).

Jobs are plain serialisable data plus a module-level function, so the same
jobs can be sent to any executor, including a cluster one registered by
another distribution.
"""

from __future__ import annotations

import abc
import concurrent.futures
import logging
from typing import Any

from symbiosis import exception

__all__ = [
    'ExecutorFactory',
    'ProcessExecutor',
    'SyncExecutor',
    'ThreadExecutor',
    'load_executor',
]

LOG = logging.getLogger(__name__)

#: The entry-point namespace of executor plugins.
NAMESPACE = 'symbiosis.executors'


class ExecutorFactory(abc.ABC):
    """Builds an executor; subclass and register in ``symbiosis.executors``.

    :param workers: the number of parallel workers (``None``: the
        executor's default, usually the number of cores).
    :param options: executor-specific settings (a scheduler address...).
    """

    #: Short name, as given to ``--executor``.
    name: str = ''

    def __init__(self, workers: int | None = None, **options: Any) -> None:
        if workers is not None and workers < 1:
            raise exception.InputError(
                f'--workers must be at least 1, not {workers}'
            )
        self.workers = workers
        self.options = options

    @abc.abstractmethod
    def create(self) -> concurrent.futures.Executor:
        """Return a ready executor; the caller shuts it down."""


class SyncExecutor(ExecutorFactory):
    """Run every job immediately in the calling thread."""

    name = 'sync'

    def create(self) -> concurrent.futures.Executor:
        """Return a futurist synchronous executor."""
        import futurist

        executor: concurrent.futures.Executor = futurist.SynchronousExecutor()
        return executor


class _PoolExecutor(ExecutorFactory):
    """A futurist pool of :attr:`workers`."""

    #: The futurist executor class the pool is.
    pool = ''

    def create(self) -> concurrent.futures.Executor:
        """Return the futurist pool."""
        import futurist

        executor: concurrent.futures.Executor = getattr(futurist, self.pool)(
            max_workers=self.workers
        )
        return executor


class ThreadExecutor(_PoolExecutor):
    """Run jobs in a pool of threads."""

    name = 'thread'
    pool = 'ThreadPoolExecutor'


class ProcessExecutor(_PoolExecutor):
    """Run jobs in a pool of processes (jobs and results must pickle)."""

    name = 'process'
    pool = 'ProcessPoolExecutor'


def load_executor(
    name: str, workers: int | None = None, **options: Any
) -> ExecutorFactory:
    """Load the executor plugin ``name`` from ``symbiosis.executors``.

    :raises symbiosis.exception.ConfigError: no such executor is
        installed (the message lists the ones that are), or it cannot be
        loaded.
    :raises symbiosis.exception.InputError: ``workers`` is below 1.
    """
    from symbiosis import _plugins

    factory: ExecutorFactory = _plugins.load(
        NAMESPACE, name, ExecutorFactory, what='executor',
        create=lambda cls: cls(workers, **options))
    return factory
