"""The failure as an upstream needs it: its traceback trimmed to the
frames of the probe and of the upstream, and a title saying what broke.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Sequence
import os
import pathlib
import re

from symbiosis.probes._model import Outcome
from symbiosis.probes._model import OutcomeStatus

__all__ = ['TITLE_MESSAGE', 'failure_title', 'trim_traceback',
           'upstream_packages']

#: Most characters of the failure message a title quotes.
TITLE_MESSAGE = 100

_FILE = re.compile(r'^  File "(?P<file>[^"\n]+)", line \d+(?:, in '
                   r'(?P<name>.+))?$')
_SITE = re.compile(r'^.*[/\\](?:site|dist)-packages[/\\]')
_STDLIB = re.compile(r'[/\\]lib[/\\]python\d[^/\\]*[/\\]', re.IGNORECASE)
#: A trailing ``(/path/to/module.py)``, as ImportError messages end.
_PATH_SUFFIX = re.compile(r'\s*\([^()\n]*[/\\][^()\n]*\)\s*$')


def upstream_packages(
    name: str, env_path: str | None = None
) -> frozenset[str]:
    """The import names of distribution ``name``: from its ``RECORD``
    in the environment at ``env_path`` when there, else its name."""
    from packaging.utils import canonicalize_name

    names = {canonicalize_name(name).replace('-', '_')}
    if not env_path:
        return frozenset(names)
    wanted = canonicalize_name(name)
    root = pathlib.Path(env_path)
    for site in (*root.glob('lib/python*/site-packages'),
                 root / 'Lib' / 'site-packages'):
        for info in site.glob('*.dist-info'):
            if canonicalize_name(info.name.partition('-')[0]) != wanted:
                continue
            try:
                record = (info / 'RECORD').read_text(encoding='utf-8')
            except (OSError, UnicodeDecodeError):
                continue
            for line in record.splitlines():
                first = line.split(',', 1)[0].split('/', 1)[0]
                if first and not first.endswith(
                        ('.dist-info', '.data', '.pth')) and first not in (
                        '..', '__pycache__'):
                    names.add(first.removesuffix('.py'))
    return frozenset(names)


def _in_upstream(file: str, packages: Collection[str]) -> bool:
    """Whether ``file`` is a module of the upstream: the first part after
    ``site-packages``, else one of the last directories of a source tree
    (not the standard library's)."""
    parts = re.split(r'[/\\]', file)
    for marker in ('site-packages', 'dist-packages'):
        if marker in parts:
            index = len(parts) - 1 - parts[::-1].index(marker)
            first = parts[index + 1:index + 2]
            return bool(first) and first[0].removesuffix('.py') in packages
    if _STDLIB.search(file):
        return False
    return any(part.removesuffix('.py') in packages
               for part in parts[-4:])


def _frames(lines: Sequence[str]) -> list[tuple[int, int]]:
    """``(first, end)`` line ranges of each frame."""
    found = []
    index = 0
    while index < len(lines):
        if _FILE.match(lines[index]):
            end = index + 1
            while end < len(lines) and lines[end].startswith('    '):
                end += 1
            found.append((index, end))
            index = end
        else:
            index += 1
    return found


def trim_traceback(
    text: str, shown: str, packages: Collection[str]
) -> tuple[str, list[str]]:
    """Keep the frames in the probes file (``shown``) and in the
    upstream's ``packages``; say how many others were left out.

    Paths in an environment become ``site-packages/...`` and the probes
    file its ``shown`` path.

    :returns: the trimmed text and the functions of the upstream's
        frames, outermost first.
    """
    lines = text.rstrip('\n').splitlines()
    frames = dict(_frames(lines))
    out: list[str] = []
    functions: list[str] = []
    dropped = 0
    index = 0
    while index < len(lines):
        end = frames.get(index)
        if end is None:
            if dropped:
                out.append(f'  [... {dropped} frame(s) elsewhere ...]')
                dropped = 0
            out.append(lines[index])
            index += 1
            continue
        match = _FILE.match(lines[index])
        assert match is not None  # _frames matched it
        file = match['file']
        ours = file == shown or file.replace(os.sep, '/').endswith(
            '/' + shown)
        if ours or _in_upstream(file, packages):
            if dropped:
                out.append(f'  [... {dropped} frame(s) elsewhere ...]')
                dropped = 0
            if ours:
                new = shown
            else:
                new = _SITE.sub('site-packages/', file)
                if match['name']:
                    functions.append(match['name'])
            out.append(lines[index].replace(f'"{file}"', f'"{new}"', 1))
            out.extend(lines[index + 1:end])
        else:
            dropped += 1
        index = end
    return '\n'.join(out), functions


def _shorten(text: str, limit: int = TITLE_MESSAGE) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + '...'


def failure_title(
    upstream: str,
    candidate: str,
    baseline: str,
    probe_name: str,
    outcome: Outcome | None,
    functions: Sequence[str],
    *,
    command: bool = False,
) -> str:
    """``tinylib 1.1.0: parse() raises ParseError: ... (1.0.0 passed)``:
    what broke, in which release, and the release that worked.

    :param command: ``probe_name`` is a command probe (its message is
        the command line and how it ended).
    """
    if outcome is not None and command:
        ended = outcome.message.strip().rpartition(': ')[2]
        what = f'{probe_name} fails' + (f': {_shorten(ended)}' if ended
                                         else '')
    elif outcome is None:
        what = f'{probe_name} no longer passes'
    elif outcome.status is OutcomeStatus.TIMEOUT:
        what = f'{probe_name} hangs (timed out)'
    else:
        first = (outcome.message.strip().splitlines() or [''])[0]
        kind, sep, message = first.partition(': ')
        if not sep and ' ' in kind:
            kind, message = '', first
        kind = kind.rpartition('.')[2]
        message = _PATH_SUFFIX.sub('', message)
        called = next((f for f in functions if f != '<module>'), None)
        if called and kind:
            what = f'{called}() raises {kind}'
        elif kind == 'AssertionError' or not kind:
            what = f'{probe_name} fails'
        else:
            what = kind
        if message:
            what += f': {_shorten(message)}'
    return f'{upstream} {candidate}: {what} ({baseline} passed)'
