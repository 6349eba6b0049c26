"""Turn a TARGET (or a saved snapshot file) into a :class:`Snapshot`."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import pathlib

from symbiosis.api._extract.decode import snapshot_from_json
from symbiosis.api._model import Snapshot
from symbiosis.config import Config
from symbiosis.exception import SnapshotFormatError

__all__ = ['is_snapshot_file', 'load_snapshot', 'read_snapshot_file']

LOG = logging.getLogger(__name__)

# Enough of a file to tell JSON from a wheel, an sdist or source code.
_SNIFF_BYTES = 64

#: The deepest nesting of JSON arrays and objects a snapshot file may
#: have. Python cannot nest code 100 levels deep, and snapshots of real
#: distributions stay far below this; deeper files are refused before
#: they reach code that walks them recursively.
MAX_DEPTH = 200


def is_snapshot_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file that holds (or claims to hold) a snapshot.

    A ``.json`` file, or any file whose first non-blank character is
    ``{``; the content is checked by :func:`read_snapshot_file`.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        return False
    if path.suffix.lower() == '.json':
        return True
    try:
        with open(path, 'rb') as stream:
            head = stream.read(_SNIFF_BYTES)
    except OSError:
        return False
    return head.lstrip(b'\xef\xbb\xbf \t\r\n').startswith(b'{')


def _depth_exceeds(data: object, limit: int) -> bool:
    """Whether JSON ``data`` nests deeper than ``limit`` (no recursion)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return False


def read_snapshot_file(path: str | os.PathLike[str]) -> Snapshot:
    """Read a snapshot written by ``symbiosis api dump``.

    :raises symbiosis.exception.SnapshotFormatError: the file is not valid
        JSON, nests deeper than :data:`MAX_DEPTH`, or is not a snapshot of
        a schema this release reads.
    """
    text = os.fspath(path)
    too_deep = f'nested more than {MAX_DEPTH} levels deep'
    try:
        with open(path, encoding='utf-8-sig') as stream:
            data = json.load(stream)
    except (OSError, UnicodeDecodeError) as err:
        raise SnapshotFormatError(text, f'cannot read: {err}') from err
    except ValueError as err:
        raise SnapshotFormatError(text, f'invalid JSON: {err}') from err
    except RecursionError as err:
        raise SnapshotFormatError(text, too_deep) from err
    if not isinstance(data, dict) or 'schema_version' not in data:
        raise SnapshotFormatError(text, 'no "schema_version" field')
    if _depth_exceeds(data, MAX_DEPTH):
        raise SnapshotFormatError(text, too_deep)
    try:
        snapshot = snapshot_from_json(data)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise SnapshotFormatError(text, str(err)) from err
    if snapshot.source is None:
        snapshot = dataclasses.replace(snapshot, source=text)
    return snapshot


def load_snapshot(
    target: str,
    config: Config | None = None,
    *,
    repo: str | os.PathLike[str] | None = None,
) -> Snapshot:
    """Return the API snapshot of ``target``.

    :param target: a snapshot JSON file, or any TARGET
        :func:`symbiosis.sources.resolve_target` understands.
    :param config: settings (default: :meth:`Config.from_environ`).
    :param repo: the git repository for ``git:`` targets.
    :raises symbiosis.exception.SnapshotFormatError: ``target`` is a file
        that claims to be a snapshot but is not a valid one.
    :raises symbiosis.exception.SymbiosisError: the target cannot be read.
    """
    config = config if config is not None else Config.from_environ()
    if is_snapshot_file(target):
        LOG.debug('reading snapshot file %s', target)
        return read_snapshot_file(target)
    from symbiosis.api._extract.snapshot import extract_snapshot
    from symbiosis.sources import resolve_target

    tree = resolve_target(target, config, repo=repo)
    return extract_snapshot(tree, config)
