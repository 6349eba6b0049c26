"""A minimal reproducer, cut from the probe's own file.

A function probe becomes a script an upstream maintainer can run with
nothing but their release installed: the probe function (or the one
method of a ``TestCase``), the module-level imports, helpers and constants
it uses (followed transitively, kept in file order, with their comments),
and a ``__main__`` block that calls it. symbiosis's own ``@probe``
decorator and its imports are left out, so the script does not need
symbiosis. The file is read, never imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from collections.abc import Sequence
import dataclasses
import pathlib
import re

__all__ = [
    'Reproducer',
    'cut_probe',
    'find_probe_file',
    'probe_frames',
]

#: Kinds of reproducer: a runnable script, a command line to run, or only
#: the lines the report holds (the probe's file was not found).
SCRIPT = 'script'
COMMAND = 'command'
EXCERPT = 'excerpt'

_FRAME = re.compile(r'^  File "(?P<file>[^"\n]+)", line (?P<line>\d+)'
                    r'(?:, in (?P<name>.+))?$')


@dataclasses.dataclass(frozen=True)
class Reproducer:
    """How to see the regression.

    :param kind: ``script``, ``command`` or ``excerpt``.
    :param text: the script, the commands, or the excerpt.
    :param source: the file the script was cut from, if any.
    :param note: what the reader should know (why it is only an excerpt).
    """

    kind: str
    text: str
    source: str | None = None
    note: str = ''


def _is_symbiosis(module: str | None) -> bool:
    return (module or '').partition('.')[0] == 'symbiosis'


def _bound(stmt: ast.stmt) -> set[str]:
    """Names a module-level statement binds (over-approximated)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                         ast.ClassDef)):
        return {stmt.name}
    names: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Import):
            names.update(a.asname or a.name.partition('.')[0]
                         for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                               ast.ClassDef)):
            names.add(node.name)
    return names


def _used(nodes: Iterable[ast.AST]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _symbiosis_import(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.ImportFrom):
        return stmt.level == 0 and _is_symbiosis(stmt.module)
    if isinstance(stmt, ast.Import):
        return all(_is_symbiosis(a.name) for a in stmt.names)
    return False


class _Cutter:
    """Cut lines out of one probes file."""

    def __init__(self, text: str) -> None:
        self.tree = ast.parse(text)
        self.lines = text.splitlines()
        # Names symbiosis's imports bind: ``probe`` decorators go.
        self.ours = set().union(*(
            _bound(s) for s in self.tree.body if _symbiosis_import(s)))

    def _ours(self, decorator: ast.expr) -> bool:
        return bool(_used([decorator]) & self.ours)

    def _start(self, node: ast.stmt) -> int:
        """The first line of ``node`` and the comments right above it."""
        first = node.lineno
        for deco in getattr(node, 'decorator_list', ()):
            first = min(first, deco.lineno)
        while first > 1 and self.lines[first - 2].lstrip().startswith('#'):
            first -= 1
        return first

    def segment(self, node: ast.stmt, skip: Sequence[ast.stmt] = ()) -> str:
        """The lines of ``node`` without symbiosis decorators and without
        the ``skip`` statements of its body."""
        first = self._start(node)
        dropped: set[int] = set()
        for deco in getattr(node, 'decorator_list', ()):
            if self._ours(deco):
                dropped.update(range(deco.lineno,
                                     (deco.end_lineno or deco.lineno) + 1))
        for stmt in skip:
            dropped.update(range(self._start(stmt),
                                 (stmt.end_lineno or stmt.lineno) + 1))
        last = node.end_lineno or node.lineno
        kept = [self.lines[n - 1] for n in range(first, last + 1)
                if n not in dropped]
        return '\n'.join(kept)

    def target(self, parts: Sequence[str]) -> tuple[ast.stmt, str, str]:
        """The probe's module-level statement, its text and the call that
        runs it (the ``__main__`` block's body).

        :raises LookupError: no such probe in the file.
        """
        top = next((s for s in self.tree.body if isinstance(
            s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and s.name == parts[0]), None)
        if top is None or (len(parts) == 1) == isinstance(top, ast.ClassDef):
            raise LookupError('::'.join(parts))
        if isinstance(top, ast.ClassDef):
            method = next((s for s in top.body if isinstance(
                s, (ast.FunctionDef, ast.AsyncFunctionDef))
                and s.name == parts[1]), None)
            if method is None or len(parts) != 2:
                raise LookupError('::'.join(parts))
            others = [s for s in top.body if isinstance(
                s, (ast.FunctionDef, ast.AsyncFunctionDef))
                and s.name.startswith('test') and s is not method]
            bases = {b.id for b in top.bases if isinstance(b, ast.Name)} | {
                b.attr for b in top.bases if isinstance(b, ast.Attribute)}
            if bases & {'TestCase', 'IsolatedAsyncioTestCase'}:
                call = ('    import unittest\n\n'
                        f"    unittest.main(argv=[__file__, "
                        f"'{top.name}.{method.name}'])")
            else:
                call = f'    {top.name}.{method.name}()'
            return top, self.segment(top, others), call
        if isinstance(top, ast.AsyncFunctionDef):
            call = f'    import asyncio\n\n    asyncio.run({top.name}())'
        else:
            call = f'    {top.name}()'
        call += f"\n    print('{top.name}: passed')"
        return top, self.segment(top), call

    def needed(self, target: ast.stmt) -> list[ast.stmt]:
        """The module-level statements ``target`` needs, in file order."""
        kept: list[ast.stmt] = []
        wanted = _used(self._used_nodes(target))
        seen: set[str] = set()
        while wanted - seen:
            name = sorted(wanted - seen)[0]
            seen.add(name)
            for stmt in self.tree.body:
                if stmt is target or stmt in kept or _symbiosis_import(stmt):
                    continue
                if name in _bound(stmt):
                    kept.append(stmt)
                    wanted |= _used(self._used_nodes(stmt))
        future: list[ast.stmt] = [s for s in self.tree.body
                  if isinstance(s, ast.ImportFrom)
                  and s.module == '__future__']
        chosen = set(map(id, kept + future))
        return [s for s in self.tree.body if id(s) in chosen]

    def _used_nodes(self, stmt: ast.stmt) -> list[ast.AST]:
        """``stmt`` without its symbiosis decorators."""
        decorators = getattr(stmt, 'decorator_list', [])
        nodes: list[ast.AST] = [d for d in decorators if not self._ours(d)]
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nodes += [stmt.args, *stmt.body]
            if stmt.returns is not None:
                nodes.append(stmt.returns)
        elif isinstance(stmt, ast.ClassDef):
            nodes += [*stmt.bases, *stmt.keywords, *stmt.body]
        else:
            nodes.append(stmt)
        return nodes


def cut_probe(text: str, probe_id: str, header: str = '') -> str:
    """A script running probe ``probe_id`` of the probes file ``text``.

    :param header: the script's docstring (without quotes).
    :raises LookupError: the file does not define the probe.
    :raises SyntaxError: the file cannot be parsed.
    """
    parts = probe_id.split('::')[1:]
    if not parts:
        raise LookupError(probe_id)
    cutter = _Cutter(text)
    target, body, call = cutter.target(parts)
    pieces = [cutter.segment(s) for s in cutter.needed(target)]
    imports = [p for p, s in zip(pieces, cutter.needed(target), strict=True)
               if isinstance(s, (ast.Import, ast.ImportFrom))]
    others = [p for p in pieces if p not in imports]
    blocks = []
    if header:
        blocks.append(f'"""{header}\n"""')
    if imports:
        blocks.append('\n'.join(imports))
    blocks.extend([*others, body,
                   f"if __name__ == '__main__':\n{call}"])
    return '\n\n\n'.join(blocks) + '\n'


def probe_frames(traceback: str, shown: str) -> list[tuple[str, str]]:
    """The frames of ``traceback`` in the probes file ``shown`` (its path
    relative to the probes root): ``(file, frame text)`` each."""
    lines = traceback.splitlines()
    frames = []
    for index, line in enumerate(lines):
        match = _FRAME.match(line)
        if match is None:
            continue
        file = match['file']
        if file == shown or file.endswith('/' + shown) or file.endswith(
                '\\' + shown.replace('/', '\\')):
            code = ''
            if index + 1 < len(lines) and lines[index + 1].startswith(
                    '    ') and not _FRAME.match(lines[index + 1]):
                code = lines[index + 1].strip()
            frames.append((file, f'{shown}, line {match["line"]}, in '
                                 f'{match["name"] or "?"}\n{code}'.rstrip()))
    return frames


def find_probe_file(
    probe_id: str,
    *,
    known: str | None,
    tracebacks: Iterable[str],
    directories: Iterable[pathlib.Path],
) -> list[pathlib.Path]:
    """The files that may be probe ``probe_id``'s, best first: the file
    the gate recorded, the files its tracebacks name, then its relative
    path under each of ``directories``; only files that exist."""
    shown = probe_id.partition('::')[0]
    found: list[pathlib.Path] = []
    paths = [known] if known else []
    for traceback in tracebacks:
        paths.extend(file for file, _ in probe_frames(traceback, shown))
    paths.extend(str(d / shown) for d in directories)
    for path in paths:
        candidate = pathlib.Path(path)
        if candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found
