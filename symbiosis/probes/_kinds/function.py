"""The ``function`` kind: ``@probe`` functions, ``test_*`` and TestCases.

Discovery is static: the probes file is parsed, never imported, so
listing probes runs none of the consumer's code and needs none of its
dependencies. In a probes file, a probe is

* every top-level function decorated with ``@probe`` (any spelling that
  ends in ``probe``: ``probe``, ``probes.probe``, an ``as`` alias of it);
* every top-level function whose name starts with ``test_``;
* every ``test*`` method of a class deriving from a ``TestCase`` (by a base
  named ``TestCase`` or ending in it, or another such class of the file).

Ids are ``file.py::name`` and ``file.py::Class::test_method`` with the
file relative to the probes root. Running goes through the stdlib-only
worker (:mod:`symbiosis.probes._worker`) under the target interpreter.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from collections.abc import Mapping
import dataclasses
import logging
import os
import pathlib
from typing import TYPE_CHECKING
from typing import Any

from symbiosis.probes._kinds.base import ProbeKind
from symbiosis.probes._model import Outcome
from symbiosis.probes._model import Probe

if TYPE_CHECKING:
    from symbiosis.probes._kinds.base import ProbeRun

__all__ = ['FunctionKind', 'discover_file', 'iter_python_files']

LOG = logging.getLogger(__name__)

#: Directories never searched for probes.
SKIPPED_DIRS = frozenset({
    '__pycache__', 'node_modules', 'site-packages', 'build', 'dist',
})


def iter_python_files(path: pathlib.Path) -> Iterator[pathlib.Path]:
    """Yield ``.py`` files under ``path`` (or ``path`` itself), sorted.

    Hidden directories, virtual environments, ``build``/``dist`` and
    ``*.egg-info`` are skipped.
    """
    if path.is_file():
        yield path
        return
    for current, dirs, files in os.walk(path):
        here = pathlib.Path(current)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith('.')
            and d not in SKIPPED_DIRS
            and not d.endswith('.egg-info')
            and not (here / d / 'pyvenv.cfg').exists()
        )
        for name in sorted(files):
            if name.endswith('.py'):
                yield here / name


def shown_path(path: pathlib.Path, root: pathlib.Path) -> str:
    """Return ``path`` relative to ``root`` in POSIX form, if inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f'{_dotted(node.value)}.{node.attr}'
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ''


def _probe_aliases(tree: ast.Module) -> set[str]:
    """Names under which the file imported ``symbiosis.probes.probe``."""
    names = {'probe'}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
            node.module.endswith('probes')
        ):
            names.update(a.asname or a.name for a in node.names
                         if a.name == 'probe')
    return names


def _probe_options(
    func: ast.FunctionDef | ast.AsyncFunctionDef, aliases: set[str]
) -> dict[str, Any] | None:
    """Return ``{timeout, requires}`` if ``@probe`` decorates ``func``."""
    for decorator in func.decorator_list:
        name = _dotted(decorator)
        if name not in aliases and not name.endswith('.probe'):
            continue
        options: dict[str, Any] = {'timeout': None, 'requires': ()}
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg not in ('timeout', 'requires'):
                    continue
                try:
                    value = ast.literal_eval(keyword.value)
                except ValueError:
                    LOG.debug('%s: @probe(%s=...) is not a literal',
                              func.name, keyword.arg)
                    continue
                options[keyword.arg] = value
        return options
    return None


def _is_testcase(
    node: ast.ClassDef, testcases: set[str]
) -> bool:
    for base in node.bases:
        name = _dotted(base)
        if name.rpartition('.')[2].endswith('TestCase') or name in testcases:
            return True
    return False


def _test_methods(
    node: ast.ClassDef, classes: Mapping[str, ast.ClassDef]
) -> list[tuple[str, int]]:
    """``test*`` methods of ``node``, own and from same-file bases."""
    seen: dict[str, int] = {}
    for base in node.bases:
        parent = classes.get(_dotted(base))
        if parent is not None and parent is not node:
            for name, line in _test_methods(parent, classes):
                seen.setdefault(name, line)
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            item.name.startswith('test')
        ):
            seen[item.name] = item.lineno
    return sorted(seen.items())


def discover_file(path: pathlib.Path, root: pathlib.Path) -> list[Probe]:
    """Return the function probes defined in one probes file.

    :param path: a Python file.
    :param root: the directory ids are relative to.
    :returns: the probes in source order; a file that cannot be read or
        parsed gives one probe, id the file itself, whose
        :attr:`Probe.broken` names file:line.
    """
    shown = shown_path(path, root)
    source = str(path.resolve())
    try:
        text = path.read_bytes()
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as err:
        location = f'{shown}:{err.lineno or 0}'
        return [Probe(
            id=shown, kind=FunctionKind.name, source=source, line=err.lineno,
            data={'error': f'cannot import {location}: SyntaxError: '
                           f'{err.msg}', 'location': location},
        )]
    except (OSError, ValueError) as err:
        return [Probe(
            id=shown, kind=FunctionKind.name, source=source,
            data={'error': f'cannot read {shown}: {err}'},
        )]
    aliases = _probe_aliases(tree)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    testcases: set[str] = set()
    probes: list[Probe] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            options = _probe_options(node, aliases)
            if options is None and not node.name.startswith('test_'):
                continue
            options = options or {}
            timeout = options.get('timeout')
            requires = options.get('requires') or ()
            probes.append(Probe(
                id=f'{shown}::{node.name}',
                kind=FunctionKind.name,
                source=source,
                line=node.lineno,
                requires=tuple(str(r) for r in requires),
                timeout=float(timeout) if isinstance(
                    timeout, (int, float)) else None,
            ))
        elif isinstance(node, ast.ClassDef) and _is_testcase(node, testcases):
            testcases.add(node.name)
            for method, line in _test_methods(node, classes):
                probes.append(Probe(
                    id=f'{shown}::{node.name}::{method}',
                    kind=FunctionKind.name,
                    source=source,
                    line=line,
                ))
    return probes


class FunctionKind(ProbeKind):
    """Python functions and test methods run by the worker."""

    name = 'function'
    description = '@probe functions, test_* functions and TestCase methods'

    def discover(self, path: str, *, root: str | None = None) -> list[Probe]:
        """Find probes in ``path`` (a ``.py`` file or a directory)."""
        target = pathlib.Path(path)
        if target.is_file() and target.suffix != '.py':
            return []
        base = pathlib.Path(root) if root else (
            target if target.is_dir() else target.parent
        )
        probes: list[Probe] = []
        for file in iter_python_files(target):
            probes.extend(discover_file(file, base))
        return probes

    def run(self, run: ProbeRun) -> Iterator[Outcome]:
        """Run the probes file by file, each file in its own worker."""
        from symbiosis.probes._driver import run_in_worker

        by_file: dict[str, list[Probe]] = {}
        for probe in run.probes:
            by_file.setdefault(probe.source or '', []).append(probe)
        for group in by_file.values():
            yield from run_in_worker(
                dataclasses.replace(run, probes=tuple(group)))
