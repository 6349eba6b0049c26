"""``notes``: every release is covered by reno release notes.

Notes added since the previous release (committed, or new files not yet
committed) must parse as reno notes; at least one must exist; a breaking
API change needs a note with an ``upgrade`` section and a new deprecation
one with a ``deprecations`` section. Projects without a
``releasenotes/notes`` directory are not reno projects: the check says so
and stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from typing import TYPE_CHECKING

from symbiosis.release import _notes as reno
from symbiosis.release._checks import Check
from symbiosis.release._checks import api_diff
from symbiosis.release._checks import first_of
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.api._changes import Change
    from symbiosis.release._context import ReleaseContext

__all__ = ['NotesCheck']


def _paths(changes: list[Change]) -> str:
    return first_of([c.path for c in changes], 5, ', ')


class NotesCheck(Check):
    """Check the reno notes added since the previous release."""

    name = 'notes'
    order = 20

    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        """Validate the new notes and their coverage of the API diff."""
        notes_dir = ctx.root / reno.NOTES_DIR
        if not notes_dir.is_dir():
            yield self.info(
                f'skipped: no {reno.NOTES_DIR} directory (not a reno '
                'project)'
            )
            return
        since = ctx.previous.ref if ctx.previous else None
        added = [
            path for path in ctx.git.added_files(since, reno.NOTES_DIR)
            if path.endswith(('.yaml', '.yml'))
            and (ctx.root / path).is_file()
        ]
        if ctx.previous is not None and not added:
            yield self.problem(
                f'no release note was added since {ctx.previous.ref}: '
                'add one (reno new SLUG, or symbiosis release notes '
                '--draft)'
            )
        if not reno.yaml_available():  # pragma: no cover - reno has it
            yield self.info('PyYAML is not installed: notes not validated')
            return
        sections = reno.note_sections(ctx.root)
        reports = []
        for path in added:
            report = reno.validate_note(ctx.root / path, sections)
            reports.append(report)
            for error in report.errors:
                yield self.problem(
                    f'{path}: {error}', file=path,
                )
            if report.unknown:
                yield self.problem(
                    f'{path}: unknown section(s) '
                    f'{", ".join(report.unknown)} (reno will not show '
                    'them)',
                    Severity.WARNING, file=path,
                )
        yield from self._coverage(ctx, reno.section_counts(reports))

    def _coverage(
        self, ctx: ReleaseContext, filled: Mapping[str, int]
    ) -> Iterator[Problem]:
        if ctx.previous is None or ctx.proposed is None:
            return
        diff, error = api_diff(ctx)
        if error is not None:
            yield self.info(
                f'the API diff is unavailable ({error}): upgrade and '
                'deprecation notes not checked'
            )
            return
        if diff is None:
            return
        # The changes, what they are, and the section that must cover them.
        for changes, what, section, a_section in (
            (reno.breaking_changes(diff.active), 'breaking change(s)',
             'upgrade', 'an upgrade section'),
            (reno.new_deprecations(diff.active), 'new deprecation(s)',
             'deprecations', 'a deprecations section'),
        ):
            if changes and not filled.get(section):
                yield self.problem(
                    f'{len(changes)} {what} since {ctx.previous.ref} but '
                    f'no note has {a_section}: {_paths(changes)}',
                    changes=[c.path for c in changes],
                )
