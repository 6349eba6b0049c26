"""``api diff --format html``: a page for a maintainer's release review.

Changes are grouped by severity, the most severe first; each shows its
kind, the public path, the message, where it is (in NEW, and in OLD when
it moved) and, for a breaking change, the calls it breaks. The page is
made from the diff's JSON form, so it says exactly what ``--format json``
says.
"""

from __future__ import annotations

from collections.abc import Mapping
import os
from typing import Any

__all__ = ['render_diff_html']

#: Severities in the order shown, with their headings.
SEVERITIES = (
    ('major', 'major (breaking) changes'),
    ('minor', 'minor (compatible) changes'),
    ('patch', 'patch-level changes'),
    ('none', 'notes'),
)


def _where(location: Mapping[str, Any] | None) -> str:
    if not location:
        return ''
    line = location.get('line')
    return f"{location.get('file')}:{line}" if line else \
        str(location.get('file'))


def _breaks(change: Mapping[str, Any]) -> str:
    """Which calls the change breaks ('' for a compatible change)."""
    from symbiosis.api._changes import CallShape

    if change.get('severity') != 'major':
        return ''
    calls = change.get('calls')
    if calls is None:
        return f"every use of {change.get('path')}"
    return str(CallShape.from_json(calls))


def _change(change: Mapping[str, Any]) -> dict[str, Any]:
    where = _where(change.get('location'))
    was = _where(change.get('old_location'))
    return {
        'kind': change.get('kind'),
        'path': change.get('path'),
        'also': list(change.get('also') or ()),
        'message': change.get('message'),
        'where': where,
        'was': was if was != where else '',
        'breaks': _breaks(change),
        'suppressed': change.get('suppressed'),
    }


def _label(side: Mapping[str, Any]) -> str:
    return f"{side.get('name')} {side.get('version') or '(unknown)'}"


def render_diff_html(
    data: Mapping[str, Any],
    notes: str = '',
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The page of a diff's JSON form (``Diff.to_json()``).

    :param notes: lines saying a side is yanked or deleted.
    :param cache_dir: where compiled templates are kept between runs.
    """
    from symbiosis import _html

    changes = list(data.get('changes') or ())
    groups = []
    for severity, heading in SEVERITIES:
        group = [_change(c) for c in changes
                 if c.get('severity') == severity]
        group.sort(key=lambda c: (str(c['path']), str(c['kind'])))
        if group:
            groups.append({'severity': severity, 'heading': heading,
                           'changes': group})
    old, new = data.get('old') or {}, data.get('new') or {}
    same = old.get('name') == new.get('name')
    context = {
        'old': _label(old),
        'new': (new.get('version') or '(unknown)') if same else _label(new),
        'required': data.get('required_bump'),
        'complete': bool(data.get('complete', True)),
        'total': len(changes),
        'groups': groups,
        'suppressed': [_change(c) for c in data.get('suppressed') or ()],
        'notes': [line for line in notes.splitlines() if line],
    }
    return _html.render('api_diff.html', context, cache_dir=cache_dir)
