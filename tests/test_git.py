"""symbiosis._git: git run in real repositories."""

from __future__ import annotations

import os
import pathlib
import subprocess
import tarfile
import tempfile
import unittest

import fixtures

from symbiosis import exception
from symbiosis._git import Git
from tests import base
from tests.test_release import git_env


def _git(repo: pathlib.Path, *args: str) -> str:
    done = subprocess.run(
        ['git', '-C', str(repo), *args], capture_output=True, text=True,
        check=True, env=git_env(),
    )
    return done.stdout.strip()


@unittest.skipIf(
    subprocess.run(['git', '--version'], capture_output=True,
                   check=False).returncode != 0,
    'git is not installed',
)
class TestGit(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.repo = self.tmp / 'repo'
        (self.repo / 'pkg').mkdir(parents=True)
        _git(self.repo, 'init', '-q', '-b', 'main')
        (self.repo / 'pkg' / 'mod.py').write_text('x = 1\n')
        _git(self.repo, 'add', '-A')
        _git(self.repo, 'commit', '-q', '-m', 'caf\u00e9')
        self.sha = _git(self.repo, 'rev-parse', 'HEAD')

    def test_output_and_queries(self) -> None:
        git = Git(self.repo)
        self.assertEqual(self.sha, git.output('rev-parse', 'HEAD'))
        self.assertEqual('caf\u00e9', git.output('log', '-1', '--format=%s'))
        self.assertIsNone(git.output('rev-parse', '--verify', 'nope'))
        self.assertEqual(self.sha, git.resolve('main'))
        self.assertEqual(self.sha, git.head())
        self.assertIsNone(git.resolve('no-such-branch'))
        self.assertIsNone(git.resolve('--all'))
        self.assertEqual('tree', git.object_type(f'{self.sha}:pkg'))
        self.assertEqual('blob', git.object_type(f'{self.sha}:pkg/mod.py'))
        self.assertIsNone(git.object_type(f'{self.sha}:missing'))

    def test_toplevel(self) -> None:
        top = Git(self.repo / 'pkg').toplevel()
        self.assertEqual(self.repo.resolve(), top)
        outside = self.tmp / 'plain'
        outside.mkdir()
        self.useFixture(fixtures.EnvironmentVariable(
            'GIT_CEILING_DIRECTORIES', str(self.tmp)))
        self.assertIsNone(Git(outside).toplevel())

    def test_head_before_the_first_commit(self) -> None:
        empty = self.tmp / 'empty'
        _git(self.tmp, 'init', '-q', str(empty))
        self.assertIsNone(Git(empty).head())

    def test_check_writes_to_a_file(self) -> None:
        with tempfile.TemporaryFile(dir=self.tmp) as spool:
            Git(self.repo).check('archive', '--format=tar', self.sha,
                                 stdout=spool.fileno())
            spool.seek(0)
            with tarfile.open(fileobj=spool) as tar:
                self.assertIn('pkg/mod.py', tar.getnames())

    def test_failure_names_the_repository_and_the_command(self) -> None:
        git = Git(self.repo, label='git:v9')
        err = self.assertRaises(
            exception.InfrastructureError, git.check,
            'archive', '--format=tar', 'v9',
        )
        message = str(err)
        self.assertTrue(message.startswith('git:v9: '), message)
        self.assertIn('git archive --format=tar v9 failed', message)
        self.assertIn(str(self.repo), message)
        self.assertIn('not a valid object name', message)
        self.assertEqual(exception.EXIT_INFRA, err.exit_code)

    def test_long_commands_are_shortened(self) -> None:
        err = self.assertRaises(
            exception.InfrastructureError, Git(self.repo).check,
            'cat-file', '-t', 'x' * 200,
        )
        command = str(err).partition(' failed in ')[0]
        self.assertTrue(command.startswith('git cat-file -t xxx'), command)
        self.assertTrue(command.endswith('...'), command)
        self.assertEqual(60, len(command))

    def test_not_a_repository(self) -> None:
        plain = self.tmp / 'plain'
        plain.mkdir()
        self.useFixture(fixtures.EnvironmentVariable(
            'GIT_CEILING_DIRECTORIES', str(self.tmp)))
        err = self.assertRaises(
            exception.InfrastructureError, Git(plain).check, 'status',
        )
        self.assertIn(f'git status failed in {plain}', str(err))
        self.assertIn('not a git repository', str(err))

    def test_git_missing(self) -> None:
        empty = self.tmp / 'bin'
        empty.mkdir()
        self.useFixture(fixtures.EnvironmentVariable('PATH', str(empty)))
        err = self.assertRaises(
            exception.InfrastructureError, Git, self.repo, label='git:v1',
        )
        self.assertEqual(
            f'git:v1: git is not installed (needed to read {self.repo})',
            str(err),
        )

    def test_git_that_cannot_start(self) -> None:
        git = Git(self.repo)
        # The executable found at construction disappears before the run.
        fake = self.tmp / 'bin' / 'git'
        fake.parent.mkdir()
        fake.write_text('#!/bin/sh\n')
        fake.chmod(0o755)
        self.useFixture(fixtures.EnvironmentVariable(
            'PATH', f'{fake.parent}{os.pathsep}{os.environ["PATH"]}'))
        moved = Git(self.repo)
        self.assertEqual(str(fake), moved.exe)
        fake.unlink()
        err = self.assertRaises(
            exception.InfrastructureError, moved.run, 'status',
        )
        self.assertIn(f'cannot run git status in {self.repo}', str(err))
        self.assertIsNotNone(git.head())

    def test_timeout(self) -> None:
        git = Git(self.repo, timeout=0.5, min_timeout=0, label='here')
        err = self.assertRaises(
            exception.InfrastructureError, git.run,
            '-c', 'alias.slow=!sleep 3', 'slow',
        )
        self.assertEqual(
            f"here: git -c 'alias.slow=!sleep 3' slow timed out after 0.5s "
            f'in {self.repo}',
            str(err),
        )

    def test_timeout_floor(self) -> None:
        self.assertEqual(120.0, Git(self.repo, timeout=5).timeout)
        self.assertEqual(300.0, Git(self.repo, timeout=300).timeout)
        self.assertEqual(
            1.0, Git(self.repo, timeout=1, min_timeout=0).timeout)
