"""Say when the API diff explains a regression.

When a regression's failure (its message or traceback) or its probes file
mentions a name the diff between baseline and candidate removed or moved,
the result's detail says so: ``tinylib.core.ParseError was moved to
tinylib.errors.ParseError``. A parameter change explains it only if the
probe's own calls of that function are ones the change breaks (renaming
``strict`` does not explain a failure of ``parse(text)``). Only the
upstream's files and the probes file are read; nothing is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import logging
import pathlib
import re
from typing import TYPE_CHECKING
from typing import Any

from symbiosis import exception
from symbiosis.gate._model import Classification
from symbiosis.gate._model import GateReport
from symbiosis.gate._model import ProbeResult
from symbiosis.gate._model import Side

if TYPE_CHECKING:
    from collections.abc import Sequence

    from symbiosis.api._changes import Change
    from symbiosis.api._differ import Diff
    from symbiosis.config import Config
    from symbiosis.gate._plan import Slot
    from symbiosis.gate._specs import InstallSpec
    from symbiosis.probes._model import Probe

__all__ = ['explain_candidates', 'explain_regressions', 'relevant_changes']

LOG = logging.getLogger(__name__)

#: Most explanations added to one result.
MAX_EXPLANATIONS = 3

_FILES = re.compile(r'File "[^"\n]*"')


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


def _calls_broken(change: Change, uses: Sequence[tuple[Any, ...]]
                  ) -> bool | None:
    """Whether the probe's calls of ``change``'s function are broken by
    it; ``None`` when the probe does not call it (it cannot tell)."""
    if change.calls is None:
        return None
    called = set(change.paths)
    called.update(p.rpartition('.')[0] for p in change.paths
                  if p.rpartition('.')[2] in ('__init__', '__new__'))
    shapes = [use[3] for use in uses
              if use[2] == 'call' and use[0] in called]
    if not shapes:
        return None
    return any(change.calls.breaks(*(shape or (None, None)))
               for shape in shapes)


def relevant_changes(
    diff: Diff,
    result: ProbeResult,
    probe_source: str = '',
    *,
    probe_uses: Sequence[tuple[Any, ...]] = (),
) -> list[str]:
    """Return the messages of breaking changes ``result`` mentions.

    :param probe_source: the failing probe's code.
    :param probe_uses: the upstream uses in that code (``(path, line,
        kind, call)`` as :func:`symbiosis.usage._pyfile.scan_python` gives
        them), to tell whether its calls are the ones a parameter change
        breaks.
    """
    # File names in tracebacks (.../tinylib/core.py) are where code
    # ran, not names the probe used.
    texts = [_FILES.sub('File', o.message + '\n' + o.traceback)
             for o in result.candidate]
    texts.append(probe_source)
    haystack = '\n'.join(texts)
    found: list[str] = []
    for change in diff.changes:
        if str(change.severity) != 'major' or change.suppressed:
            continue
        path = next((p for p in change.paths if _mentions(haystack, p)),
                    None)
        if path and _calls_broken(change, probe_uses) is not False:
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
    sources: Mapping[str, str] | None = None,
) -> GateReport:
    """Return ``report`` with API-diff explanations added to regressions.

    Any failure to compute the diff is logged and the report returned
    unchanged: an explanation is a bonus, never a reason to fail.

    :param sources: the file of each probe id, where the probes are
        known (otherwise the file a failure's location names is read).
    """
    from symbiosis import api

    try:
        old = api.load(specs[Side.BASELINE].install, config=config)
        new = api.load(specs[Side.CANDIDATE].install, config=config)
        diff = api.diff(old, new, config=config)
    except (exception.SymbiosisError, OSError, ValueError,
            ImportError) as err:
        LOG.debug('no API diff to explain regressions: %s', err)
        return report
    names = old.top_level_names() | new.top_level_names()
    results = []
    for result in report.results:
        if result.classification is Classification.REGRESSION:
            source, uses = _probe_code(result, names, sources or {})
            lines = relevant_changes(diff, result, source, probe_uses=uses)
            if lines:
                detail = '\n'.join(filter(None, [result.detail, *lines]))
                result = dataclasses.replace(result, detail=detail)
        results.append(result)
    return dataclasses.replace(report, results=tuple(results))


def explain_candidates(
    report: GateReport,
    specs: Mapping[Slot, InstallSpec],
    config: Config,
    probes: Mapping[str | None, Sequence[Probe]],
) -> GateReport:
    """``report`` with API-diff explanations of its regressions, each
    candidate's against the baseline (see :func:`explain_regressions`).

    :param specs: the baseline's and every candidate's SPEC, by slot.
    :param probes: the probes run, per downstream.
    """
    sources = {p.id: p.source for members in probes.values()
               for p in members if p.source}
    baseline = specs[(Side.BASELINE, None)]
    explained: dict[str, ProbeResult] = {}
    for (side, candidate), spec in specs.items():
        if side is Side.BASELINE:
            continue
        sub = report if candidate is None else report.for_candidate(
            candidate)
        if not sub.regressions:
            continue
        sub = explain_regressions(
            sub, {Side.BASELINE: baseline, Side.CANDIDATE: spec}, config,
            sources)
        explained.update((r.key, r) for r in sub.results)
    return dataclasses.replace(report, results=tuple(
        explained.get(r.key, r) for r in report.results))


def _probe_code(
    result: ProbeResult, names: frozenset[str], sources: Mapping[str, str]
) -> tuple[str, tuple[tuple[Any, ...], ...]]:
    """The failing probe's own function text, when its file is known, and
    the upstream uses (of ``names``) on its lines."""
    import ast

    from symbiosis.usage._pyfile import scan_python

    name = result.probe.rpartition('::')[2]
    files = [sources[result.probe]] if result.probe in sources else []
    files += [(o.location or '').rpartition(':')[0]
              for o in result.candidate]
    for file in files:
        if not file or not pathlib.Path(file).is_file():
            continue
        try:
            data = pathlib.Path(file).read_bytes()
            text = data.decode('utf-8')
            tree = ast.parse(text)
        except (OSError, SyntaxError, ValueError):
            return '', ()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and node.name == name:
                first = node.lineno
                last = node.end_lineno or first
                uses = tuple(
                    use for use in scan_python(data, file, names).uses
                    if first <= use[1] <= last)
                return ast.get_source_segment(text, node) or '', uses
    return '', ()
