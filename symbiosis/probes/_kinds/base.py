"""The :class:`ProbeKind` plugin base and how kinds are loaded.

A kind knows how to find its probes (:meth:`ProbeKind.discover`) and how to
run them in a target environment (:meth:`ProbeKind.run`). Kinds are
stevedore plugins in the ``symbiosis.probes`` namespace; a third party adds
one with an entry point::

    [project.entry-points."symbiosis.probes"]
    notebook = "mypkg.probes:NotebookKind"
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiosis.config import Config
    from symbiosis.probes._model import Outcome
    from symbiosis.probes._model import Probe

__all__ = ['NAMESPACE', 'ProbeKind', 'load_kind', 'load_kinds']

LOG = logging.getLogger(__name__)

#: The stevedore namespace of probe kinds.
NAMESPACE = 'symbiosis.probes'


class ProbeKind(abc.ABC):
    """A kind of probe: how to find probes of it and how to run them."""

    #: The kind's name, as in :attr:`Probe.kind` and the entry point.
    name: str = ''
    #: One line for ``symbiosis probe list``.
    description: str = ''

    @abc.abstractmethod
    def discover(self, path: str, *, root: str | None = None) -> list[Probe]:
        """Return the probes of this kind found at ``path``.

        :param path: an existing file or directory.
        :param root: the directory ids are relative to (default: ``path``
            itself for a directory, its parent for a file).
        :returns: the probes, in a stable order; an unreadable file gives a
            probe whose :attr:`Probe.broken` says why, so running it reports
            an ``error`` instead of silently checking nothing.
        """

    @abc.abstractmethod
    def run(
        self,
        probes: Sequence[Probe],
        python: str,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        timeout: float | None = None,
        *,
        upstream: str | None = None,
        baseline: str | None = None,
        config: Config | None = None,
    ) -> Iterator[Outcome]:
        """Run ``probes`` (all of this kind) in a target environment.

        :param probes: what to run.
        :param python: the target environment's interpreter.
        :param env: the environment variables to run with (``None``: this
            process's, minus those that would leak symbiosis's packages).
        :param cwd: the working directory.
        :param timeout: seconds allowed per probe without its own limit.
        :param upstream: the TARGET installed in that environment (the
            candidate or the baseline), for static kinds.
        :param baseline: the TARGET the upstream is compared against.
        :param config: settings (cache, index) for static kinds.
        :returns: outcomes as they finish, at least one per probe.
        """


def load_kinds(namespace: str = NAMESPACE) -> dict[str, ProbeKind]:
    """Return every installed kind, by name.

    Kinds that fail to load are logged and left out.
    """
    from symbiosis import _plugins

    kinds: dict[str, ProbeKind] = _plugins.load_all(
        namespace, ProbeKind, what='probe kind', create=lambda cls: cls())
    return kinds


def load_kind(name: str, namespace: str = NAMESPACE) -> ProbeKind:
    """Return the installed kind ``name`` (only that one is loaded).

    :raises symbiosis.exception.ConfigError: no such kind is installed, or
        it cannot be loaded.
    """
    from symbiosis import _plugins

    kind: ProbeKind = _plugins.load(
        namespace, name, ProbeKind, what='probe kind',
        create=lambda cls: cls())
    return kind
