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


def read_snapshot_file(path: str | os.PathLike[str]) -> Snapshot:
    """Read a snapshot written by ``symbiosis api dump``.

    :raises symbiosis.exception.SnapshotFormatError: the file is not valid
        JSON or not a snapshot of a schema this release reads.
    """
    text = os.fspath(path)
    try:
        with open(path, encoding='utf-8-sig') as stream:
            data = json.load(stream)
    except (OSError, UnicodeDecodeError) as err:
        raise SnapshotFormatError(text, f'cannot read: {err}') from err
    except ValueError as err:
        raise SnapshotFormatError(text, f'invalid JSON: {err}') from err
    if not isinstance(data, dict) or 'schema_version' not in data:
        raise SnapshotFormatError(text, 'no "schema_version" field')
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
