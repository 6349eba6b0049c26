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

Names are re-exported explicitly (``import X as X``). The model is split
by what each piece is: :mod:`.records` (kinds,
locations, deprecation markers, parameters, signatures),
:mod:`.members` (functions, classes, attributes, aliases) and
:mod:`.snapshot` (modules and the snapshot).
"""

from __future__ import annotations

from symbiosis.api._model.members import MEMBER_TYPES as MEMBER_TYPES
from symbiosis.api._model.members import Alias as Alias
from symbiosis.api._model.members import Attribute as Attribute
from symbiosis.api._model.members import Class as Class
from symbiosis.api._model.members import Function as Function
from symbiosis.api._model.members import Member as Member
from symbiosis.api._model.members import (
    is_public_member_name as is_public_member_name,
)
from symbiosis.api._model.members import member_from_json as member_from_json
from symbiosis.api._model.records import RENDERING_VERSION as RENDERING_VERSION
from symbiosis.api._model.records import SCHEMA_VERSION as SCHEMA_VERSION
from symbiosis.api._model.records import Deprecation as Deprecation
from symbiosis.api._model.records import ExtractionProblem as ExtractionProblem
from symbiosis.api._model.records import KeywordAlias as KeywordAlias
from symbiosis.api._model.records import Location as Location
from symbiosis.api._model.records import ObjectKind as ObjectKind
from symbiosis.api._model.records import Parameter as Parameter
from symbiosis.api._model.records import ParameterKind as ParameterKind
from symbiosis.api._model.records import Signature as Signature
from symbiosis.api._model.snapshot import Module as Module
from symbiosis.api._model.snapshot import Snapshot as Snapshot
