"""The ``dask`` executor: run gate jobs on a dask.distributed cluster.

``--executor dask --scheduler tcp://host:8786`` sends jobs to an existing
cluster; without ``--scheduler`` a local cluster of ``--workers``
single-threaded worker processes is started for the run. Jobs are the
same plain data every executor runs; each worker node needs the
environments' interpreters at the same paths (a shared cache directory,
or nodes that build their own).

Needs ``distributed`` (``pip install symbiosis[dask]``).
"""

from __future__ import annotations

from collections.abc import Callable
import concurrent.futures
import logging
from typing import Any
from typing import TypeVar

from symbiosis import exception
from symbiosis._executors import ExecutorFactory

__all__ = ['DaskExecutor']

LOG = logging.getLogger(__name__)

_T = TypeVar('_T')


class _ClusterExecutor(concurrent.futures.Executor):
    """A ``Client.get_executor()`` that also closes its client/cluster."""

    def __init__(self, client: Any, cluster: Any | None) -> None:
        self._client = client
        self._cluster = cluster
        # pure=False: re-running a job must run it again, not reuse the
        # first result.
        self._executor = client.get_executor(pure=False)

    def submit(
        self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[_T]:
        """Submit ``fn(*args, **kwargs)`` to the cluster."""
        future: concurrent.futures.Future[_T] = self._executor.submit(
            fn, *args, **kwargs)
        return future

    def shutdown(
        self, wait: bool = True, *, cancel_futures: bool = False
    ) -> None:
        """Shut the executor down and close the client (and cluster)."""
        try:
            self._executor.shutdown(wait=wait)
        finally:
            self._client.close()
            if self._cluster is not None:
                self._cluster.close()


class DaskExecutor(ExecutorFactory):
    """Run jobs on dask.distributed workers.

    Options: ``scheduler`` -- the address of a running scheduler; without
    it a ``LocalCluster`` of ``workers`` processes (one thread each) is
    started and closed with the executor.
    """

    name = 'dask'

    def create(self) -> concurrent.futures.Executor:
        """Connect (or start a local cluster) and return the executor.

        :raises symbiosis.exception.InputError: ``distributed`` is not
            installed.
        :raises symbiosis.exception.InfrastructureError: the scheduler
            cannot be reached.
        """
        try:
            import distributed
        except ImportError as err:
            raise exception.InputError(
                'the dask executor needs distributed: pip install '
                "'symbiosis[dask]'"
            ) from err
        address = self.options.get('scheduler')
        cluster = None
        try:
            if address:
                client = distributed.Client(  # type: ignore[no-untyped-call]
                    address, timeout='30s')
            else:
                cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=self.workers or 2, threads_per_worker=1,
                    processes=True, dashboard_address=None,
                )
                client = distributed.Client(  # type: ignore[no-untyped-call]
                    cluster)
        except OSError as err:
            if cluster is not None:
                cluster.close()
            raise exception.InfrastructureError(
                f'cannot reach the dask scheduler {address or "(local)"}: '
                f'{err}'
            ) from err
        return _ClusterExecutor(client, cluster)
