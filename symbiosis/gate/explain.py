"""Say when the API diff explains a regression.

When a regression's failure (its message or traceback) or its probes file
mentions a name the diff between baseline and candidate removed or moved,
the result's detail says so: ``tinylib.core.ParseError was moved to
tinylib.errors.ParseError``. Only the upstream's files are read; nothing
is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import logging
import pathlib
import re
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.gate.model import Classification
from symbiosis.gate.model import GateReport
from symbiosis.gate.model import ProbeResult
from symbiosis.gate.model import Side

if TYPE_CHECKING:
    from symbiosis.api.differ import Diff
    from symbiosis.config import Config
    from symbiosis.gate.specs import InstallSpec

__all__ = ['explain_regressions', 'relevant_changes']

LOG = logging.getLogger(__name__)

#: Most explanations added to one result.
MAX_EXPLANATIONS = 3


def _word(name: str, text: str) -> bool:
    return re.search(rf'(?<![\w.]){re.escape(name)}(?!\w)', text) \
        is not None or re.search(rf'\.{re.escape(name)}(?!\w)', text) \
        is not None


def _mentions(text: str, path: str) -> bool:
    """Whether ``text`` mentions the dotted ``path``: in full, as its
    last two parts (``core.ParseError``) or as both of them as words."""
    if path in text:
        return True
    parts = path.split('.')
    if len(parts) < 2:
        return False
    if '.'.join(parts[-2:]) in text:
        return True
    return _word(parts[-1], text) and _word(parts[-2], text)


def relevant_changes(
    diff: Diff, result: ProbeResult, probe_source: str = ''
) -> list[str]:
    """Return the messages of breaking changes ``result`` mentions."""
    texts = [o.message + '\n' + o.traceback for o in result.candidate]
    texts.append(probe_source)
    haystack = '\n'.join(texts)
    found: list[str] = []
    for change in diff.changes:
        if str(change.severity) != 'major' or change.suppressed:
            continue
        path = next((p for p in change.paths if _mentions(haystack, p)),
                    None)
        if path:
            message = str(getattr(change, 'message', '') or change)
            line = f'api diff: {path}: {message}'
            if line not in found:
                found.append(line)
        if len(found) >= MAX_EXPLANATIONS:
            break
    return found


def explain_regressions(
    report: GateReport,
    specs: Mapping[Side, InstallSpec],
    config: Config,
) -> GateReport:
    """Return ``report`` with API-diff explanations added to regressions.

    Any failure to compute the diff is logged and the report returned
    unchanged: an explanation is a bonus, never a reason to fail.
    """
    from symbiosis import api

    try:
        old = api.load(specs[Side.BASELINE].install, config)
        new = api.load(specs[Side.CANDIDATE].install, config)
        diff = api.diff(old, new, config)
    except (exception.SymbiosisError, OSError, ValueError,
            ImportError) as err:
        LOG.debug('no API diff to explain regressions: %s', err)
        return report
    results = []
    for result in report.results:
        if result.classification is Classification.REGRESSION:
            source = _probe_source(result)
            lines = relevant_changes(diff, result, source)
            if lines:
                detail = '\n'.join(filter(None, [result.detail, *lines]))
                result = dataclasses.replace(result, detail=detail)
        results.append(result)
    return dataclasses.replace(report, results=tuple(results))


def _probe_source(result: ProbeResult) -> str:
    """The failing probe's own function text, when its file is known."""
    import ast

    name = result.probe.rpartition('::')[2]
    for outcome in result.candidate:
        file = (outcome.location or '').rpartition(':')[0]
        if not file or not pathlib.Path(file).is_file():
            continue
        try:
            text = pathlib.Path(file).read_text(encoding='utf-8')
            tree = ast.parse(text)
        except (OSError, SyntaxError, ValueError):
            return ''
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and node.name == name:
                return ast.get_source_segment(text, node) or ''
    return ''
