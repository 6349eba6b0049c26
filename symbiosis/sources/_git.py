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
import os
import pathlib
import shutil
import subprocess
import tempfile

from packaging.version import InvalidVersion
from packaging.version import Version

from symbiosis.config import Config
from symbiosis.exception import InfrastructureError
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

#: Shortest time git is given, whatever the network timeout says.
MIN_GIT_TIMEOUT = 120.0


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


class _Git:
    def __init__(self, target: str, repo: pathlib.Path, timeout: float):
        exe = shutil.which('git')
        if exe is None:
            raise InfrastructureError(
                f'{target}: git is not installed (needed for git: targets)'
            )
        self.exe = exe
        self.target = target
        self.repo = repo
        self.timeout = max(timeout, MIN_GIT_TIMEOUT)

    def run(
        self, *args: str, stdout: int | None = subprocess.PIPE
    ) -> subprocess.CompletedProcess[bytes]:
        env = dict(os.environ, GIT_TERMINAL_PROMPT='0', LC_ALL='C')
        try:
            return subprocess.run(  # noqa: S603 - argv, never a shell
                [self.exe, '-C', str(self.repo), *args],
                stdout=stdout,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                timeout=self.timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            raise InfrastructureError(
                f'{self.target}: git {args[0]} timed out after '
                f'{self.timeout:g}s'
            ) from err

    def object_type(self, spec: str) -> str | None:
        done = self.run('cat-file', '-t', spec)
        return done.stdout.decode().strip() if done.returncode == 0 else None

    def rev_parse(self, spec: str) -> str | None:
        done = self.run(
            'rev-parse', '--verify', '--quiet', '--end-of-options', spec
        )
        return done.stdout.decode().strip() if done.returncode == 0 else None


def _tag_version(git: _Git, sha: str) -> str | None:
    done = git.run('describe', '--tags', '--exact-match', sha)
    if done.returncode != 0:
        return None
    tag = done.stdout.decode().strip()
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
    git = _Git(target, where, config.timeout)
    if git.run('rev-parse', '--git-dir').returncode != 0:
        raise TargetError(target, f'{where} is not a git repository')
    sha = git.rev_parse(f'{ref}^{{commit}}')
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
            done = git.run(
                'archive', '--format=tar', tree_ish, stdout=tar.fileno()
            )
            if done.returncode != 0:
                raise InfrastructureError(
                    f'{target}: git archive failed: '
                    f'{done.stderr.decode(errors="replace").strip()}'
                )
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
