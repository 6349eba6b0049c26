"""Executors: where jobs run (``symbiosis.executors`` plugins).

An executor plugin is a small factory that builds a
:class:`concurrent.futures.Executor`. The built-in ones:

* ``sync`` -- runs each job in the caller's thread (debugging, tests),
  futurist's synchronous executor;
* ``thread`` -- a thread pool (the default: jobs mostly wait on
  subprocesses), the standard library's: futurist's idle workers poll
  their queue once a second, so a process that used one waits up to a
  second at exit for them to notice the shutdown, where the standard
  library's are woken at once;
* ``process`` -- a process pool (CPU-bound jobs), futurist's.

Jobs are plain serialisable data plus a module-level function, so the same
jobs can be sent to any executor, including a cluster one registered by
another distribution.
"""

from __future__ import annotations

import abc
import concurrent.futures
import logging
import multiprocessing.context
import sys
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

    def pool_options(self) -> dict[str, Any]:
        """Keyword arguments of the pool besides ``max_workers``."""
        return {}

    def create(self) -> concurrent.futures.Executor:
        """Return the futurist pool."""
        import futurist

        executor: concurrent.futures.Executor = getattr(futurist, self.pool)(
            max_workers=self.workers, **self.pool_options()
        )
        return executor


class ThreadExecutor(ExecutorFactory):
    """Run jobs in a pool of threads."""

    name = 'thread'

    def create(self) -> concurrent.futures.Executor:
        """Return a standard-library thread pool.

        Its shutdown wakes idle workers at once: nothing waits on a
        polling interval when the gate ends or the interpreter exits.
        """
        return concurrent.futures.ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix='symbiosis-job')


class ProcessExecutor(_PoolExecutor):
    """Run jobs in a pool of processes (jobs and results must pickle).

    On Linux the pool's processes die with the process that started them
    (``PR_SET_PDEATHSIG``): a gate killed with ``SIGKILL`` leaves no idle
    worker waiting for jobs forever.
    """

    name = 'process'
    pool = 'ProcessPoolExecutor'

    def pool_options(self) -> dict[str, Any]:
        """The processes' start context."""
        return {'mp_context': _pool_context()}

    def create(self) -> concurrent.futures.Executor:
        """Return futurist's process pool, or the standard library's
        where the installed futurist's takes no start context (its
        releases for Python 3.10 among them): the processes must get
        one, to die with their parent."""
        import inspect

        import futurist

        pool: type[concurrent.futures.ProcessPoolExecutor] = (
            futurist.ProcessPoolExecutor)
        if 'mp_context' not in inspect.signature(pool).parameters:
            pool = concurrent.futures.ProcessPoolExecutor
        return pool(max_workers=self.workers, **self.pool_options())


def _pool_context() -> multiprocessing.context.BaseContext | None:
    """The default start method's context, with processes that die with
    their parent on Linux (``None`` elsewhere: the default)."""
    if not sys.platform.startswith('linux'):
        return None
    import multiprocessing

    method = multiprocessing.get_start_method()
    return {'fork': _ForkContext, 'spawn': _SpawnContext,
            'forkserver': _ForkServerContext}.get(method, lambda: None)()


if sys.platform.startswith('linux'):
    # Module level, so a spawned process finds its class by name.

    def _die_with_parent() -> None:
        from symbiosis._keeper import die_with_parent

        die_with_parent()


    class _ForkProcess(multiprocessing.context.ForkProcess):
        def run(self) -> None:
            _die_with_parent()
            super().run()


    class _SpawnProcess(multiprocessing.context.SpawnProcess):
        def run(self) -> None:
            _die_with_parent()
            super().run()


    class _ForkServerProcess(multiprocessing.context.ForkServerProcess):
        def run(self) -> None:
            _die_with_parent()
            super().run()


    class _ForkContext(multiprocessing.context.ForkContext):
        Process = _ForkProcess


    class _SpawnContext(multiprocessing.context.SpawnContext):
        Process = _SpawnProcess


    class _ForkServerContext(multiprocessing.context.ForkServerContext):
        Process = _ForkServerProcess


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
