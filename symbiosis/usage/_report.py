"""Human-readable text of a :class:`~symbiosis.usage._model.UsageReport`.

Impacts come first, one line each, then the uses grouped by upstream
path with their counts::

    probes_tinylib.py:23: uses tinylib.core.ParseError: tinylib.core.Parse...
    1 use hit by breaking changes between tinylib-1.0 and tinylib-1.1

    9 uses of 6 tinylib names in 1 of 1 files
       4  tinylib.parse   probes_tinylib.py:14, :19, :45 ...
"""

from __future__ import annotations

from symbiosis.usage._model import UsageReport
from symbiosis.usage._model import Use

__all__ = ['format_usage_text']

#: Locations shown per path before "+N more".
_SHOWN = 4


def _plural(count: int, word: str) -> str:
    return f'{count} {word}' if count == 1 else f'{count} {word}s'


def _locations(uses: list[Use]) -> str:
    parts = []
    previous = None
    for use in uses[:_SHOWN]:
        # Repeat the file only when it changes: a.py:3, :9, b.py:1.
        parts.append(f':{use.line}' if use.file == previous
                     else f'{use.file}:{use.line}')
        previous = use.file
    text = ', '.join(parts)
    if len(uses) > _SHOWN:
        text += f' (+{len(uses) - _SHOWN} more)'
    return text


def format_usage_text(report: UsageReport) -> str:
    """Return the text report: impacts (when a diff was given), then uses.
    """
    lines: list[str] = []
    if report.against is not None:
        old, new = report.against
        lines.extend(str(hit) for hit in report.impacts)
        hit_uses = {(i.path, i.file, i.line) for i in report.impacts}
        if hit_uses:
            lines.append(
                f'{_plural(len(hit_uses), "use")} hit by breaking changes '
                f'between {old} and {new}'
            )
        else:
            lines.append(f'no use is hit by a breaking change between {old} '
                         f'and {new}')
        lines.append('')
    groups = report.by_path()
    files = len({u.file for u in report.uses})
    lines.append(
        f'{_plural(len(report.uses), "use")} of {len(groups)} '
        f'{report.upstream} names in {files} of '
        f'{_plural(report.files, "file")}'
        + (f' (import names: {", ".join(report.import_names)})'
           if report.import_names != (report.upstream,) else '')
    )
    width = max((len(p) for p in groups), default=0)
    for path, uses in sorted(groups.items(),
                             key=lambda item: (-len(item[1]), item[0])):
        lines.append(f'{len(uses):>6}  {path:<{width}}  {_locations(uses)}')
    return '\n'.join(lines)
