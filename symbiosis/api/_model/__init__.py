"""The static public-API model: plain, frozen, typed data.

A :class:`Snapshot` describes one version of one distribution as read from
its files, never by importing it::

    Snapshot ── modules ──▶ Module ── members ──▶ Class | Function
                                                  | Attribute | Alias
                                   Class ── members ──▶ (the same kinds)

Every module of the distribution is recorded, private ones included, because
public names are often re-exported from private modules (``from ._impl
import Client``). A module's *public* names are listed in
:attr:`Module.exports`; :meth:`Snapshot.public_objects` walks them, following
:class:`Alias` objects to what they point at.

Objects serialise to JSON with :meth:`Snapshot.to_json` and back with
:meth:`Snapshot.from_json`; ``SCHEMA_VERSION`` changes only with an upgrade
note.

The model is split by what each piece is: :mod:`.records` (kinds,
locations, deprecation markers, parameters, signatures),
:mod:`.members` (functions, classes, attributes, aliases) and
:mod:`.snapshot` (modules and the snapshot).
"""

from __future__ import annotations

from symbiosis.api._model.members import MEMBER_TYPES
from symbiosis.api._model.members import Alias
from symbiosis.api._model.members import Attribute
from symbiosis.api._model.members import Class
from symbiosis.api._model.members import Function
from symbiosis.api._model.members import Member
from symbiosis.api._model.members import is_public_member_name
from symbiosis.api._model.members import member_from_json
from symbiosis.api._model.records import SCHEMA_VERSION
from symbiosis.api._model.records import Deprecation
from symbiosis.api._model.records import ExtractionProblem
from symbiosis.api._model.records import KeywordAlias
from symbiosis.api._model.records import Location
from symbiosis.api._model.records import ObjectKind
from symbiosis.api._model.records import Parameter
from symbiosis.api._model.records import ParameterKind
from symbiosis.api._model.records import Signature
from symbiosis.api._model.snapshot import Module
from symbiosis.api._model.snapshot import Snapshot

__all__ = [
    'MEMBER_TYPES',
    'SCHEMA_VERSION',
    'Alias',
    'Attribute',
    'Class',
    'Deprecation',
    'ExtractionProblem',
    'Function',
    'KeywordAlias',
    'Location',
    'Member',
    'Module',
    'ObjectKind',
    'Parameter',
    'ParameterKind',
    'Signature',
    'Snapshot',
    'is_public_member_name',
    'member_from_json',
]
