"""Constraints files that move only when the gate passes.

``symbiosis.constraints`` reads a constraints file (OpenStack's
``upper-constraints.txt``: ``NAME===VERSION`` lines) or a requirements
file with exact pins, gates the newer releases of each pinned project
against its pin, and writes the file back with the pins whose gate
passed raised and the others held back with a comment naming the
regression -- every other byte unchanged::

    from symbiosis import constraints, store

    with store.open_store() as db:
        report = constraints.update_constraints(
            'upper-constraints.txt',
            constraints.GateOptions(probes=('probes/',)), db)
    print([pin.describe() for pin in report.pins])

``symbiosis watch`` runs the same update each time the index lists a new
release. Importing this package is cheap: the names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiosis._lazy_names import attach

if TYPE_CHECKING:
    from symbiosis.constraints._model import GateOptions
    from symbiosis.constraints._model import PinUpdate
    from symbiosis.constraints._model import UpdateReport
    from symbiosis.constraints._update import update_constraints

__all__ = ['GateOptions', 'PinUpdate', 'UpdateReport', 'update_constraints']

__getattr__, __dir__ = attach(__name__, submod_attrs={
    '_model': ['GateOptions', 'PinUpdate', 'UpdateReport'],
    '_update': ['update_constraints'],
})
