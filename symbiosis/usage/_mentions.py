"""Which lines of a file's bytes mention some names, before any parsing.

The cheap first steps of :func:`symbiosis.usage._pyfile.scan_python`: a
file that never mentions an import name is not parsed at all, and only
the statements on the lines found are visited.
"""

from __future__ import annotations

from collections.abc import Iterable
import re

__all__ = ['lines_within', 'matching_lines', 'mentions']

# Bytes that may continue an identifier: ASCII word characters and any
# byte of a non-ASCII (UTF-8 or legacy-encoded) character.
_WORD_BYTES = frozenset(
    b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_'
) | frozenset(range(0x80, 0x100))


def mentions(source: bytes, names: Iterable[bytes]) -> bool:
    """Whether any of the encoded ``names`` occurs in ``source`` at all
    (as a substring: the cheapest test, a superset of whole words)."""
    return any(name in source for name in names)


def matching_lines(source: bytes, names: Iterable[str]) -> list[int]:
    """Return the sorted 1-based numbers of the lines of ``source`` where
    one of ``names`` occurs as a whole word.

    Each name is searched for as a literal, then checked for word
    boundaries: an alternation of all names, or a leading look-behind,
    would make the regular expression engine an order of magnitude
    slower, and compiling a pattern per name costs more than a loop over
    its occurrences. Names of one or two characters (``_``, ``np``) use a
    pattern whose look-ahead skips the many identifiers they start.
    """
    positions: list[int] = []
    word = _WORD_BYTES
    size = len(source)
    find = source.find
    for name in names:
        encoded = name.encode('utf-8')
        if len(encoded) <= 2:
            pattern = re.compile(re.escape(encoded) + rb'(?![\w\x80-\xff])')
            for match in pattern.finditer(source):
                start = match.start()
                if not start or source[start - 1] not in word:
                    positions.append(start)
            continue
        length = len(encoded)
        start = find(encoded)
        while start != -1:
            end = start + length
            if (not start or source[start - 1] not in word) and (
                end == size or source[end] not in word
            ):
                positions.append(start)
            start = find(encoded, end)
    if not positions:
        return []
    positions.sort()
    lines: list[int] = []
    line = 1
    last = 0
    count = source.count
    for start in positions:
        line += count(b'\n', last, start)
        last = start
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def lines_within(
    source: bytes, wanted: Iterable[tuple[str, tuple[int, int]]]
) -> list[int]:
    """The lines mentioning each name within its lines ``(first, last)``
    (a local name is searched only in the function that binds it)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for name, span in wanted:
        spans.setdefault(name, []).append(span)
    found: set[int] = set()
    for name, ranges in spans.items():
        found.update(line for line in matching_lines(source, [name])
                     if any(a <= line <= b for a, b in ranges))
    return sorted(found)
