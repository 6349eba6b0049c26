"""The :class:`ProbeKind` plugin base and how kinds are loaded.

A kind knows how to find its probes (:meth:`ProbeKind.discover`) and how to
run them in a target environment (:meth:`ProbeKind.run`, given a
:class:`ProbeRun`). Kinds are stevedore plugins in the
``symbiosis.probes`` namespace; a third party adds one with an entry
point::

    [project.entry-points."symbiosis.probes"]
    notebook = "mypkg.probes:NotebookKind"
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from collections.abc import Mapping
import dataclasses
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiosis.config import Config
    from symbiosis.probes._model import Outcome
    from symbiosis.probes._model import Probe

__all__ = ['NAMESPACE', 'ProbeKind', 'ProbeRun', 'load_kind', 'load_kinds']

LOG = logging.getLogger(__name__)

#: The stevedore namespace of probe kinds.
NAMESPACE = 'symbiosis.probes'


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProbeRun:
    """Probes of one kind to run in one target environment, and how.

    :meth:`ProbeKind.run` receives one. What a run can say grows as new
    fields with defaults, so a kind written against this class keeps
    working; build one with keywords, or derive one with
    :func:`dataclasses.replace`.

    :param probes: what to run, all of the kind asked.
    :param python: the target environment's interpreter.
    :param env: the environment variables to run with (``None``: this
        process's, minus those that would leak symbiosis's packages).
    :param cwd: the working directory (``None``: this process's).
    :param timeout: seconds allowed per probe without its own limit
        (``None``: the kind's default).
    :param upstream: the TARGET installed in that environment (the
        candidate or the baseline), for static kinds.
    :param baseline: the TARGET the upstream is compared against.
    :param config: settings (cache, index) for kinds that read releases.
    """

    probes: tuple[Probe, ...]
    python: str
    env: Mapping[str, str] | None = dataclasses.field(
        default=None, hash=False)
    cwd: str | None = None
    timeout: float | None = None
    upstream: str | None = None
    baseline: str | None = None
    config: Config | None = None


class ProbeKind(abc.ABC):
    """A kind of probe: how to find probes of it and how to run them.

    Subclass it, set :attr:`name` and :attr:`description`, implement
    :meth:`discover` and :meth:`run`, and register the class in the
    ``symbiosis.probes`` entry point namespace. :meth:`run` takes one
    :class:`ProbeRun` -- the probes and everything about where and how to
    run them -- so settings added later reach a kind without changing
    its signature::

        class NotebookKind(ProbeKind):
            name = 'notebook'
            description = 'Jupyter notebooks executed top to bottom'

            def discover(self, path, *, root=None):
                ...

            def run(self, run):
                for probe in run.probes:
                    yield execute(probe, run.python, timeout=run.timeout)
    """

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
    def run(self, run: ProbeRun) -> Iterator[Outcome]:
        """Run ``run.probes`` (all of this kind) in a target environment.

        :param run: the probes, the interpreter, its environment and the
            settings of this run.
        :returns: outcomes as they finish, at least one per probe.
        """


def load_kinds(namespace: str = NAMESPACE) -> dict[str, ProbeKind]:
    """Return every installed kind, by name.

    :raises symbiosis.exception.PluginLoadError: a kind cannot be loaded
        (its probes would not run), unless
        ``SYMBIOSIS_ALLOW_BROKEN_PLUGINS`` is set: it is then left out with
        a warning.
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
