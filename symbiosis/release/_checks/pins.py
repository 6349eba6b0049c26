"""``pins``: the project's own requirements can still be installed.

Runs :func:`symbiosis.release._pins.check_pins` on the requirement files
the project configures (``requirements`` setting), by default
``requirements.txt`` and ``pyproject.toml`` when they exist.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import os
from typing import TYPE_CHECKING

from symbiosis.release._checks import Check
from symbiosis.release._model import Problem

if TYPE_CHECKING:
    from symbiosis.release._context import ReleaseContext

__all__ = ['DEFAULT_FILES', 'PinsCheck']

#: Files checked when the project configures none (those that exist).
DEFAULT_FILES = ('requirements.txt', 'pyproject.toml')


class PinsCheck(Check):
    """Check the project's requirement files against the index."""

    name = 'pins'
    order = 60

    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        """Check every configured requirement file."""
        from symbiosis.release._pins import check_pins

        configured = ctx.settings.requirements
        names = configured if configured is not None else tuple(
            f for f in DEFAULT_FILES if (ctx.root / f).is_file()
        )
        if not names:
            yield self.info('skipped: no requirement files')
            return
        pythons = ctx.settings.pythons
        if pythons is None and ctx.project.requires_python:
            from symbiosis.release._pins import supported_pythons

            pythons = supported_pythons(ctx.project.requires_python)
        found = check_pins(
            [ctx.root / name for name in names],
            config=ctx.config,
            pythons=pythons,
            offline=ctx.offline,
        )
        if ctx.offline:
            yield self.info(
                'offline: requirement files checked for syntax only'
            )
        for pin in found:
            file = pin.file
            if file is not None:
                with contextlib.suppress(ValueError):
                    file = os.path.relpath(file, ctx.root)
            where = f'{file}:{pin.line}: ' if pin.line else (
                f'{file}: ' if file else ''
            )
            severity = pin.severity
            yield self.problem(
                f'{where}{pin.requirement}: {pin.problem}: {pin.detail}',
                None if severity.rank == 2 else severity,
                requirement=pin.requirement,
                problem=pin.problem,
                detail=pin.detail,
                file=file,
                line=pin.line,
            )
