"""``calendar``: don't release on a Friday, a weekend, a holiday or in a
freeze.

A release on a Friday may break someone's week-end, and nobody is there
to fix it; the same goes for weekends, holidays and freeze windows the
project declares. "Now" is read in the maintainer's time zone
(``timezone`` setting) and can be set with ``--date``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from symbiosis.release._checks import Check
from symbiosis.release._model import Problem
from symbiosis.release._model import Severity

if TYPE_CHECKING:
    from symbiosis.release._context import ReleaseContext

__all__ = ['CalendarCheck']


class CalendarCheck(Check):
    """Warn about releasing on a Friday, a weekend, a holiday or inside a
    freeze window.
    """

    name = 'calendar'
    default_severity = Severity.WARNING
    order = 30

    def run(self, ctx: ReleaseContext) -> Iterator[Problem]:
        """Judge ``ctx.now``."""
        now = ctx.now
        day = now.date()
        zone = ctx.settings.timezone or now.tzname() or 'local time'
        weekday = now.strftime('%A')
        when = f'{day.isoformat()} ({weekday}, {zone})'
        details = {'date': now.isoformat(), 'weekday': weekday}
        if now.weekday() == 4:
            yield self.problem(
                f'{when} is a Friday: a release now may ruin someone\'s '
                'week-end -- wait until Monday', **details,
            )
        elif now.weekday() >= 5:
            yield self.problem(
                f'{when} is a weekend day: nobody is around to fix a '
                'broken release -- wait until Monday', **details,
            )
        if day in ctx.settings.holidays:
            yield self.problem(
                f'{when} is a holiday in the project\'s calendar',
                **details,
            )
        for window in ctx.settings.freeze:
            if window.contains(day):
                reason = f': {window.reason}' if window.reason else ''
                yield self.problem(
                    f'{when} is inside the freeze from {window.start} to '
                    f'{window.end}{reason}',
                    **details, freeze_start=window.start.isoformat(),
                    freeze_end=window.end.isoformat(),
                )
