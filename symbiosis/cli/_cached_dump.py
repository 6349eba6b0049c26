"""``symbiosis api dump`` of an unchanged tree, without the CLI framework.

A warm ``api dump`` copies a cached file: its time is the program's
start-up, most of it importing cliff, stevedore and every source plugin.
The program answers it here, with what the command itself calls
(:class:`~symbiosis.sources._local.PathSource`,
:func:`~symbiosis.api._extract.dump.cached_dump`,
:meth:`~symbiosis.api._extract.dump.SnapshotDump.save`), when a run
through cliff would do the same:

* the command line is ``[--cache-dir DIR] api dump TARGET`` with at most
  ``--output FILE`` and ``--indent N``;
* the installed commands and sources are symbiosis's own (no other
  distribution adds a command, a hook of the command or a source), and
  TARGET is a directory or module file the path source reads;
* the cache holds the dump, with nothing to warn about.

Anything else -- a cold cache included, after this look at it (a walk of
the tree's directories, no file read) -- goes through cliff, which does
the work and reports any error. Nothing is written before that decision.
"""

from __future__ import annotations

from collections.abc import Sequence
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiosis.api._extract.dump import SnapshotDump

__all__ = ['run_cached_dump']

_DISTRIBUTION = 'symbiosis'
_COMMANDS = 'symbiosis.cli'
_SOURCES = 'symbiosis.sources'
#: The entry points the decision relies on.
_REQUIRED = {
    (_COMMANDS, 'api_dump', 'symbiosis.cli._api:ApiDump'),
    (_SOURCES, 'path', 'symbiosis.sources._local:PathSource'),
}
_HOOKS = f'{_COMMANDS}.api_dump'


class _Request:
    """The options of the command line, as cliff would parse them."""

    def __init__(self) -> None:
        self.cache_dir: str | None = None
        self.target: str | None = None
        self.output: str | None = None
        self.indent: int | None = None


def run_cached_dump(args: Sequence[str]) -> int | None:
    """Run ``symbiosis ARGS`` when it is a warm ``api dump``.

    :returns: the exit code, or ``None`` when the run must go through
        cliff (nothing was written then).
    """
    request = _parse(args)
    if request is None or request.target is None or not _own_plugins():
        return None
    try:
        dump = _cached(request)
    except Exception:
        return None  # cliff runs it again and reports the error
    if dump is None or dump.errors or not dump.complete:
        return None
    if not request.output and getattr(sys.stdout, 'buffer', None) is None:
        return None
    from symbiosis import exception
    from symbiosis._files import check_output

    try:
        if request.output:
            # Before the work, as the command checks it: its error is the
            # command's.
            check_output(request.output)
    except exception.SymbiosisError:
        return None
    try:
        if request.output:
            dump.save(request.output)
        else:
            sys.stdout.flush()
            dump.write_to(sys.stdout.buffer)
    except exception.SymbiosisError as err:
        sys.stderr.write(f'symbiosis: error: {err}\n')
        return err.exit_code
    except KeyboardInterrupt:
        sys.stderr.write('symbiosis: interrupted\n')
        return 130
    except OSError as err:
        # As symbiosis.cli._base.Command.take_action says it.
        sys.stderr.write(
            f'symbiosis: internal error: {type(err).__name__}: {err} '
            '(rerun with --debug for the traceback)\n'
        )
        return exception.EXIT_INFRA
    return exception.EXIT_OK


def _parse(args: Sequence[str]) -> _Request | None:
    """The request of ``args``; ``None`` for any other command line."""
    request = _Request()
    words = list(args)
    if words[:1] == ['--cache-dir'] and len(words) > 1 and not (
            words[1].startswith('-')):
        request.cache_dir, words = words[1], words[2:]
    elif words and words[0].startswith('--cache-dir='):
        request.cache_dir, words = words[0].split('=', 1)[1], words[1:]
    if words[:2] != ['api', 'dump']:
        return None
    words = words[2:]
    while words:
        word = words.pop(0)
        name, equals, value = word.partition('=')
        if not word.startswith('-') and request.target is None:
            request.target = word
            continue
        if equals and name in ('--output', '--indent'):
            word = name
        elif word in ('--output', '-o', '--indent') and words:
            value = words.pop(0)
        else:
            return None
        if word in ('--output', '-o') and request.output is None and value:
            request.output = value
        elif (word == '--indent' and request.indent is None
              and value.isascii() and value.isdigit()
              and int(value) <= 16):
            request.indent = int(value)
        else:
            return None
    return request


def _own_plugins() -> bool:
    """Whether the commands, command hooks and sources installed are
    symbiosis's own."""
    from symbiosis import _entry_points

    declared = _entry_points.own_entry_points(
        _DISTRIBUTION, (_COMMANDS, _HOOKS, _SOURCES))
    return (
        declared is not None
        and declared >= _REQUIRED
        and not any(group == _HOOKS for group, _, _ in declared)
    )


def _cached(request: _Request) -> SnapshotDump | None:
    """The cached dump of the request's target (``None``: not one the
    path source reads, or not cached)."""
    import pathlib

    from symbiosis.config import Config

    overrides: dict[str, object] = {}
    if request.cache_dir:
        overrides['cache_dir'] = pathlib.Path(request.cache_dir).expanduser()
    config = Config.from_environ(**overrides)
    config.check_cache_dir()
    if not config.use_cache:
        return None
    from symbiosis.sources._local import PathSource

    source = PathSource(config, None)
    assert request.target is not None
    # Sources ahead of the path source read git: targets and archives,
    # which it does not accept (tests.test_cached_dump checks it).
    if not source.accepts(request.target):
        return None
    tree = source.fetch(request.target)
    from symbiosis.api._extract.dump import cached_dump

    return cached_dump(tree, config, request.indent)
