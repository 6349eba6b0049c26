"""Which files make up a tree's modules, as the import system sees them.

In each directory, for each name:

* a package directory (``sub/`` with an ``__init__``) wins over a module
  file of the same name (``sub.py``), as the import system's path finder
  does;
* a stub (``sub.pyi``) is read instead of the source (``sub.py``); the
  source beside it is listed too, as the stub's *runtime* twin: it says
  what the code really accepts and announces (``**kwargs``, deprecation
  warnings, a module ``__getattr__``), which stubs often leave out;
* an extension module (``sub.cpython-311-x86_64-linux-gnu.so``,
  ``sub.pyd``) with neither stub nor source is an *opaque* module. A source
  beside an extension is read instead of it: it is nearly always the
  pure-Python twin with the same API;
* a directory without ``__init__`` is a namespace package portion and is
  walked, unless a module of the same name is beside it.

Trees can hold symbolic links (a checkout, an sdist): a link to a
directory is followed as the import system follows it, except where it
leads back to a directory the walk is inside (a loop, which would make
the same modules again under ever longer names), or to one a link already
led to (two links to one directory would multiply the walk with every
level). Both are skipped with a warning naming the link, and every other
module is kept. A file that cannot be read (a dangling link) is listed
all the same: its module is recorded with the error, its names unknown.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pathlib

__all__ = ['RUNTIME', 'ModuleFile', 'find_module_files']

LOG = logging.getLogger(__name__)

_SOURCE, _STUB, _EXTENSION = 'source', 'stub', 'extension'
RUNTIME = 'runtime'
_RANK = {_STUB: 0, _SOURCE: 1, _EXTENSION: 2}
_SKIPPED_DIRS = frozenset({'__pycache__'})
#: How deep packages are walked below a top-level name.
_MAX_DEPTH = 64


@dataclasses.dataclass(frozen=True)
class ModuleFile:
    """One module file found in a tree.

    :param path: absolute path.
    :param rel: POSIX path relative to the tree root.
    :param module: dotted module name.
    :param is_package: the file is a package ``__init__``.
    :param kind: ``source``, ``stub``, ``extension``, or ``runtime`` for
        the source beside a stub (read for run-time facts only).
    :param stamp: ``(size, mtime_ns, ctime_ns, inode)``, for the tree
        manifest key.
    """

    path: str
    rel: str
    module: str
    is_package: bool
    kind: str
    stamp: tuple[int, int, int, int]


def _classify(filename: str) -> tuple[str, str] | None:
    """``(stem, kind)`` of a module file name, else ``None``."""
    if filename.endswith('.pyi'):
        stem, kind = filename[:-4], _STUB
    elif filename.endswith('.py'):
        stem, kind = filename[:-3], _SOURCE
    elif filename.endswith(('.so', '.pyd')):
        stem, kind = filename.partition('.')[0], _EXTENSION
    else:
        return None
    if not stem.isidentifier():
        return None
    return stem, kind


#: The stamp of a file that cannot be read: its module is recorded with
#: the error (and never cached).
_UNREADABLE = (-1, -1, -1, -1)


def _stamp(entry: os.DirEntry[str]) -> tuple[int, int, int, int]:
    try:
        st = entry.stat()
    except OSError:  # a dangling link, a link to itself
        return _UNREADABLE
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _scan(
    directory: str,
) -> tuple[dict[str, tuple[str, os.DirEntry[str]]], dict[str, str],
           dict[str, os.DirEntry[str]]]:
    """``(files, dirs, sources)``: the file read for each module stem,
    subdirectories, and every stem's ``.py`` (for stubs' twins)."""
    files: dict[str, tuple[str, os.DirEntry[str]]] = {}
    dirs: dict[str, str] = {}
    sources: dict[str, os.DirEntry[str]] = {}
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return files, dirs, sources
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:  # a link to itself: listed, unreadable
            is_dir = False
        if is_dir:
            if name.isidentifier() and name not in _SKIPPED_DIRS:
                dirs[name] = entry.path
            continue
        found = _classify(name)
        if found is None:
            continue
        stem, kind = found
        if kind == _SOURCE:
            sources[stem] = entry
        current = files.get(stem)
        if current is None or _RANK[kind] < _RANK[current[0]] or (
            _RANK[kind] == _RANK[current[0]] and name < current[1].name
        ):
            files[stem] = (kind, entry)
    return files, dirs, sources


def _has_init(directory: str) -> bool:
    return any(
        os.path.isfile(os.path.join(directory, f'__init__{suffix}'))
        for suffix in ('.pyi', '.py')
    )


class _Walk:
    """One walk of a tree: its root, the module files found, and the
    directories entered through links (see the module docstring)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.out: list[ModuleFile] = []
        self.linked: dict[tuple[int, int], str] = {}

    def enter(
        self, path: str, prefix: str, ancestors: dict[tuple[int, int], str],
    ) -> None:
        """Walk the directory ``path`` (the package or namespace portion
        ``prefix``) unless it is a loop or a second link; ``ancestors``:
        the directories the walk is inside, by identity."""
        if len(ancestors) > _MAX_DEPTH + 1:  # the root is one of them
            return
        try:
            st = os.stat(path)
        except OSError:
            return
        identity = (st.st_dev, st.st_ino)
        if identity in ancestors:
            LOG.warning('skipping %s: a symbolic link loop back to %s',
                        self._rel(path), self._rel(ancestors[identity]))
            return
        if os.path.islink(path):
            first = self.linked.setdefault(identity, path)
            if first != path:
                LOG.warning(
                    'skipping %s: it links to the directory %s already '
                    'links to', self._rel(path), self._rel(first))
                return
        self._walk(path, prefix, {**ancestors, identity: path})

    def _rel(self, path: str) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, '/')

    def _walk(
        self, directory: str, prefix: str,
        ancestors: dict[tuple[int, int], str],
    ) -> None:
        files, dirs, sources = _scan(directory)
        for name, path in sorted(dirs.items()):
            if _has_init(path):
                files.pop(name, None)  # the package wins over sub.py
                self.enter(path, f'{prefix}.{name}', ancestors)
            elif name not in files:
                self.enter(path, f'{prefix}.{name}', ancestors)
        for stem, (kind, entry) in sorted(files.items()):
            is_package = stem == '__init__'
            module = prefix if is_package else f'{prefix}.{stem}'
            self.out.append(
                _module_file(self.root, entry, module, is_package, kind))
            twin = sources.get(stem)
            if kind == _STUB and twin is not None:
                self.out.append(_module_file(self.root, twin, module,
                                             is_package, RUNTIME))


def _module_file(
    root: str, entry: os.DirEntry[str], module: str, is_package: bool,
    kind: str,
) -> ModuleFile:
    rel = os.path.relpath(entry.path, root).replace(os.sep, '/')
    return ModuleFile(entry.path, rel, module, is_package, kind,
                      _stamp(entry))


def find_module_files(
    root: pathlib.Path | str, top_level: tuple[str, ...] | list[str]
) -> list[ModuleFile]:
    """Return the module files of every top-level name under ``root``.

    :param root: the directory the import names are found under.
    :param top_level: import names (``pkg`` for ``pkg/`` or ``pkg.py``).
    """
    root_text = os.fspath(root)
    walk = _Walk(root_text)
    out = walk.out
    files, dirs, sources = _scan(root_text)
    try:
        st = os.stat(root_text)
    except OSError:
        return out
    outside = {(st.st_dev, st.st_ino): root_text}
    for name in top_level:
        path = dirs.get(name)
        if path is not None and (_has_init(path) or name not in files):
            walk.enter(path, name, outside)
        elif name in files:
            kind, entry = files[name]
            out.append(_module_file(root_text, entry, name, False, kind))
            twin = sources.get(name)
            if kind == _STUB and twin is not None:
                out.append(_module_file(root_text, twin, name, False,
                                        RUNTIME))
    return out
