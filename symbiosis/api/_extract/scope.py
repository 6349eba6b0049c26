"""What one module's extraction knows while it walks the file."""

from __future__ import annotations

import ast
import dataclasses

from symbiosis.api._extract import deprecations as static
from symbiosis.api._extract.conditions import VersionRange
from symbiosis.api._model import Location
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind

__all__ = ['Scope']


@dataclasses.dataclass
class Scope:
    """What one module's extraction knows while it walks the file.

    :param module: dotted module name.
    :param file: file path relative to the tree root.
    :param top_level: import names of the distribution.
    :param names: local name -> absolute dotted path, from imports and
        module-level ``def``/``class`` statements seen so far.
    :param enums: dotted paths of enum classes defined in the module.
    :param flags: module-level names assigned a Python-version condition
        (``PY38 = sys.version_info >= (3, 8)``).
    """

    module: str
    file: str
    top_level: frozenset[str]
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    enums: set[str] = dataclasses.field(default_factory=set)
    flags: dict[str, VersionRange] = dataclasses.field(default_factory=dict)
    parameters: dict[
        tuple[str, ParameterKind, str | None, str | None], Parameter
    ] = dataclasses.field(default_factory=dict)
    #: module-level names bound to a value of a certain type.
    value_types: dict[str, str] = dataclasses.field(default_factory=dict)

    def location(self, node: ast.stmt | ast.expr) -> Location:
        """Location of ``node`` in this module's file."""
        return Location(self.file, node.lineno)

    def resolve(self, node: ast.expr) -> str | None:
        """Absolute dotted path of a name expression, through imports."""
        return static.dotted_name(node, self.names)

    def is_internal(self, target: str) -> bool:
        """Whether ``target`` lies inside the distribution."""
        return target.partition('.')[0] in self.top_level
