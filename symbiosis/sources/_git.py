"""``git:REF[:SUBDIR]`` TARGETs: a commit of a local git repository.

The commit is exported with ``git archive`` (no checkout, no worktree, the
user's working tree untouched) and unpacked safely into the cache under
its commit sha, so a tag or branch that moves gets a fresh copy while the
same commit is exported once. ``SUBDIR`` is relative to the repository
root and selects the project inside a monorepo.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import pathlib
import tempfile

from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis._git import Git
from symbiosis.config import Config
from symbiosis.exception import TargetError
from symbiosis.sources._base import Source
from symbiosis.sources._base import SourceTree
from symbiosis.sources._local import read_path
from symbiosis.sources._unpack import scratch_dir
from symbiosis.sources._unpack import unpack_archive

__all__ = ['GitSource', 'parse_git_target', 'read_git']

LOG = logging.getLogger(__name__)

#: Prefix of git TARGETs.
PREFIX = 'git:'


def parse_git_target(target: str) -> tuple[str, str]:
    """Split ``git:REF[:SUBDIR]`` into ``(REF, SUBDIR)``.

    Refs cannot contain ``:`` (``git check-ref-format``), so the first
    colon after the prefix ends the ref.

    :raises symbiosis.exception.TargetError: the ref is empty or the
        subdirectory leaves the repository.
    """
    if not target.startswith(PREFIX):
        raise TargetError(target, 'not a git:REF[:SUBDIR] target')
    ref, _, subdir = target[len(PREFIX) :].partition(':')
    ref = ref.strip()
    subdir = subdir.strip().strip('/')
    if not ref or ref.startswith('-'):
        raise TargetError(target, 'expected git:REF[:SUBDIR]')
    if subdir.startswith('/') or '..' in subdir.split('/'):
        raise TargetError(target, 'SUBDIR must stay inside the repository')
    return ref, subdir


def _tag_version(git: Git, sha: str) -> str | None:
    tag = git.output('describe', '--tags', '--exact-match', sha)
    if tag is None:
        return None
    try:
        return str(Version(tag))
    except InvalidVersion:
        return None


def read_git(
    target: str, config: Config, repo: pathlib.Path | None = None
) -> SourceTree:
    """Export ``git:REF[:SUBDIR]`` of ``repo`` (default: cwd) and read it.

    :raises symbiosis.exception.TargetError: ``repo`` is not a git
        repository, the ref or the subdirectory does not exist.
    :raises symbiosis.exception.InfrastructureError: git is missing,
        failed or timed out.
    """
    ref, subdir = parse_git_target(target)
    where = (repo or pathlib.Path.cwd()).expanduser()
    git = Git(where, timeout=config.timeout, label=target)
    if git.run('rev-parse', '--git-dir').returncode != 0:
        raise TargetError(target, f'{where} is not a git repository')
    sha = git.resolve(ref)
    if sha is None:
        raise TargetError(target, f'unknown git revision {ref!r} in {where}')
    tree_ish = f'{sha}:{subdir}' if subdir else sha
    # ``REV:PATH^{tree}`` would read ``^{tree}`` as part of the path.
    if subdir and git.object_type(tree_ish) != 'tree':
        raise TargetError(
            target, f'no directory {subdir!r} at {ref} ({sha[:12]})'
        )
    key = f'git-{sha}'
    if subdir:
        key += '-' + hashlib.sha256(subdir.encode()).hexdigest()[:16]
    cache = config.subdir('unpacked')
    cached = cache / key if cache is not None else None
    if cached is not None and cached.is_dir():
        LOG.debug('%s: using cached export %s', target, cached)
        root = cached
    else:
        spool = cache or scratch_dir('git')
        with tempfile.NamedTemporaryFile(
            dir=spool, prefix='.git-', suffix='.tar'
        ) as tar:
            git.check('archive', '--format=tar', tree_ish, stdout=tar.fileno())
            root = unpack_archive(
                pathlib.Path(tar.name), config, target=target, key=key
            )
    LOG.debug('%s: commit %s exported to %s', target, sha, root)
    tree = read_path(root, target)
    version = tree.version or _tag_version(git, sha)
    return dataclasses.replace(tree, version=version)


class GitSource(Source):
    """Source for ``git:REF[:SUBDIR]`` targets of the repository ``repo``."""

    priority = 10

    def accepts(self, target: str) -> bool:
        """Whether ``target`` starts with ``git:``."""
        return target.startswith(PREFIX)

    def fetch(self, target: str) -> SourceTree:
        """Export and read the commit named by ``target``."""
        return read_git(target, self.config, self.repo)
