"""Find the uses of an upstream's names in one Python file.

:func:`scan_python` is a pure function of a file's bytes and the upstream's
top-level import names, so its results are cached by content and computed
in worker processes (:mod:`symbiosis.usage._scanner`). It never imports or
runs the file.

It is built to cost about one :func:`ast.parse` per file, and nothing for
files that cannot use the upstream:

1. the bytes are searched for the import names as whole words; a file that
   never mentions one is not parsed at all;
2. the tree is parsed once; only the statements whose lines mention an
   import name are looked at, to find the imports and the local names they
   bind (``import x.y as z``, ``from x import A as B``, in any scope);
3. names that may hold upstream instances (``p = x.Parser()``, annotated
   parameters, ``with`` targets, ``self.x`` attributes, subclasses; see
   :mod:`symbiosis.usage._bindings`) are found on those lines, a few
   rounds deep, and the lines mentioning them marked -- a function's
   local names only within that function;
4. the bytes are searched again for those local names, and one walk visits
   only the statements and expressions on lines that mention any of them,
   resolving each ``Name``/``Attribute`` chain through the bindings in
   scope to the longest upstream dotted path (``z.A.method`` with
   ``z = x.y`` is ``x.y.A.method``; ``p.run`` with ``p = x.Parser()`` is
   ``x.Parser().run``).

Scoping follows Python's closely enough for this purpose: imports bind in
the function, class or module they are in; class bodies do not leak into
methods; a function's parameters hide outer names. Every branch is
entered, so both sides of ``try``/``except ImportError`` and ``if
TYPE_CHECKING`` are uses, and a name bound by several imports resolves to
all of them.

String literals that are whole dotted paths starting at an import name
(``'x.backends.Memory'``, ``'x.cli:main'``, ``'tool = x.cli:main'``) are
uses too: settings, plugin names and ``setup()`` entry points name code
that way.

The byte searches are :mod:`symbiosis.usage._mentions`'s, the walks
:mod:`symbiosis.usage._walk`'s.
"""

from __future__ import annotations

import dataclasses

from symbiosis.usage._mentions import lines_within
from symbiosis.usage._mentions import matching_lines
from symbiosis.usage._shared import parse_error_text
from symbiosis.usage._shared import parse_source
from symbiosis.usage._walk import RawUse
from symbiosis.usage._walk import UseWalker

__all__ = ['FileResult', 'scan_python']

# Rounds of instance-name discovery: ``p = pkg.Parser()``, then ``q =
# p.child()``, then ``r = q.leaf()``.
_INSTANCE_ROUNDS = 3


@dataclasses.dataclass(frozen=True)
class FileResult:
    """What :func:`scan_python` found in one file.

    :param uses: ``(path, line, kind, call)`` of each use, sorted, one per
        ``(path, line)``.
    :param error: ``(line, message)`` when the file could not be parsed.
    :param parsed: whether the file had to be parsed (it mentions an import
        name).
    """

    uses: tuple[RawUse, ...] = ()
    error: tuple[int | None, str] | None = None
    parsed: bool = False


def scan_python(
    source: bytes,
    file: str,
    names: frozenset[str],
    lines: list[int] | None = None,
) -> FileResult:
    """Return the uses of ``names`` in the Python ``source``; never raises.

    :param source: the file's bytes, in any encoding Python accepts.
    :param file: its path, for error messages.
    :param names: the upstream's top-level import names.
    :param lines: :func:`~symbiosis.usage._mentions.matching_lines` of
        ``names``, when the caller already has them.
    """
    if lines is None:
        lines = matching_lines(source, names)
    if not lines:
        return FileResult()
    try:
        tree = parse_source(source, file)
    except (SyntaxError, ValueError, RecursionError, MemoryError,
            OverflowError) as err:
        return FileResult(error=parse_error_text(file, err), parsed=True)
    scanner = UseWalker(names, source.count(b'\n') + 2)
    try:
        scanner.mark(lines)
        module_bindings: dict[str, tuple[str, ...]] = {}
        scanner.collect(tree.body, module_bindings)
        others = scanner.bound - names
        if others:
            scanner.mark(matching_lines(source, sorted(others)))
        for _ in range(_INSTANCE_ROUNDS):
            found = scanner.instance_names(tree.body)
            if not found:
                break
            anywhere = sorted(n for n, s in found.items() if None in s)
            if anywhere:
                scanner.mark(matching_lines(source, anywhere))
            scoped = [(name, span) for name, spans in found.items()
                      if None not in spans for span in spans
                      if span is not None]
            if scoped:
                scanner.mark(lines_within(source, scoped))
        scanner.run(tree.body, module_bindings)
    except RecursionError as err:
        return FileResult(error=parse_error_text(file, err), parsed=True)
    return FileResult(uses=scanner.result(), parsed=True)
