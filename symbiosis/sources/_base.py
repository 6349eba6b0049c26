"""What every source hands to the extractor: a :class:`SourceTree`."""

from __future__ import annotations

import abc
from collections.abc import Mapping
import dataclasses
import pathlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiosis.config import Config

__all__ = ['Source', 'SourceTree']


@dataclasses.dataclass(frozen=True)
class SourceTree:
    """Files of one version of a distribution, ready to be read.

    :param target: the TARGET text the user gave.
    :param root: directory the import names are found under (the wheel's
        root, a source tree's ``src/`` or project root...). Module files
        are ``root/<top level>/...`` or ``root/<top level>.py``.
    :param top_level: import names of the distribution (``sqlalchemy``),
        found from metadata (RECORD, top_level.txt, pyproject) or layout.
    :param name: distribution name, when known.
    :param version: distribution version, when known.
    :param requires_python: ``Requires-Python`` text, when known.
    :param extras: optional-dependency extras.
    :param entry_points: ``{group: {name: value}}``.
    """

    target: str
    root: pathlib.Path
    top_level: tuple[str, ...]
    name: str | None = None
    version: str | None = None
    requires_python: str | None = None
    extras: tuple[str, ...] = ()
    entry_points: Mapping[str, Mapping[str, str]] = dataclasses.field(
        default_factory=dict
    )


class Source(abc.ABC):
    """A way of turning a TARGET string into a :class:`SourceTree`.

    Sources are plugins in the ``symbiosis.sources`` namespace. They are
    asked in priority order (lowest first) whether they ``accept`` a
    target; the first that does ``fetch``-es it.
    """

    #: Lower runs first.
    priority: int = 100

    def __init__(self, config: Config, repo: pathlib.Path | None = None):
        self.config = config
        self.repo = repo

    @abc.abstractmethod
    def accepts(self, target: str) -> bool:
        """Whether this source understands ``target``."""

    @abc.abstractmethod
    def fetch(self, target: str) -> SourceTree:
        """Return the files of ``target``.

        :raises symbiosis.exception.TargetError: the target cannot be read.
        :raises symbiosis.exception.InfrastructureError: a download or tool
            failed.
        """
