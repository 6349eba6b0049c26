"""Running git: the one place symbiosis starts a git process.

Git runs as a subprocess (an argv list, never a shell) in one directory
(``git -C``), with no terminal prompt, the C locale (so its messages can
be read), no standard input and a timeout. What goes wrong becomes a
:class:`~symbiosis.exception.InfrastructureError` naming the repository
and the command: git missing, git that cannot start, a timeout, and, for
:meth:`Git.check`, a failed command. A command that merely answers "no"
(``rev-parse --verify`` of an unknown ref) is not an error:
:meth:`Git.run` returns its exit status and :meth:`Git.output` ``None``.
"""

from __future__ import annotations

import os
import pathlib
import shlex
import shutil
import subprocess
from typing import IO

from symbiosis.exception import InfrastructureError

__all__ = ['MIN_TIMEOUT', 'Git']

#: Shortest time one git command is given, whatever the configured
#: (network) timeout says: exporting a large repository takes a while.
MIN_TIMEOUT = 120.0

#: Longest command shown in an error message.
_SHOWN = 60

_Stdout = int | IO[bytes] | None


def _command(args: tuple[str, ...]) -> str:
    text = shlex.join(('git', *args))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + '...'


class Git:
    """Runs git in one directory.

    :param directory: where git runs: the repository or a directory in
        it.
    :param timeout: seconds one command may take (at least
        ``min_timeout``).
    :param label: what the work is for (a TARGET...), put in front of
        error messages.
    :param min_timeout: the floor of ``timeout``.
    :raises symbiosis.exception.InfrastructureError: git is not
        installed.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        timeout: float = MIN_TIMEOUT,
        label: str | None = None,
        min_timeout: float = MIN_TIMEOUT,
    ) -> None:
        self.directory = pathlib.Path(directory)
        self.timeout = max(timeout, min_timeout)
        self.label = label
        exe = shutil.which('git')
        if exe is None:
            raise InfrastructureError(self._message(
                f'git is not installed (needed to read {self.directory})'
            ))
        self.exe = exe

    def _message(self, text: str) -> str:
        return f'{self.label}: {text}' if self.label else text

    def run(
        self, *args: str, stdout: _Stdout = subprocess.PIPE
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git ARGS`` and return the result, whatever its status.

        :param stdout: where the output goes (default: captured).
        :raises symbiosis.exception.InfrastructureError: git could not
            be started or timed out.
        """
        env = dict(os.environ, GIT_TERMINAL_PROMPT='0', LC_ALL='C')
        try:
            return subprocess.run(  # noqa: S603 - argv, never a shell
                [self.exe, '-C', str(self.directory), *args],
                stdout=stdout,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                timeout=self.timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            raise InfrastructureError(self._message(
                f'{_command(args)} timed out after {self.timeout:g}s in '
                f'{self.directory}'
            )) from err
        except OSError as err:
            raise InfrastructureError(self._message(
                f'cannot run {_command(args)} in {self.directory}: '
                f'{err.strerror or err}'
            )) from err

    def check(
        self, *args: str, stdout: _Stdout = subprocess.PIPE
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git ARGS``; a non-zero exit status is an error.

        :raises symbiosis.exception.InfrastructureError: git failed, could
            not be started or timed out.
        """
        done = self.run(*args, stdout=stdout)
        if done.returncode != 0:
            stderr = done.stderr.decode('utf-8', errors='replace').strip()
            detail = stderr.splitlines()[-1] if stderr else (
                f'exit status {done.returncode}'
            )
            raise InfrastructureError(self._message(
                f'{_command(args)} failed in {self.directory}: {detail}'
            ))
        return done

    def output(self, *args: str) -> str | None:
        """The stripped output of ``git ARGS``; ``None`` when it fails.

        :raises symbiosis.exception.InfrastructureError: git could not
            be started or timed out.
        """
        done = self.run(*args)
        if done.returncode != 0:
            return None
        return done.stdout.decode('utf-8', errors='replace').strip()

    def resolve(self, ref: str) -> str | None:
        """The commit ``ref`` names, if it exists."""
        if ref.startswith('-'):
            return None
        return self.output(
            'rev-parse', '--verify', '--quiet', '--end-of-options',
            f'{ref}^{{commit}}',
        )

    def head(self) -> str | None:
        """The commit HEAD points at (``None`` before the first commit)."""
        return self.resolve('HEAD')

    def object_type(self, spec: str) -> str | None:
        """The type of the object ``spec`` names (``tree``, ``blob``...),
        ``None`` when there is none.
        """
        return self.output('cat-file', '-t', spec)

    def toplevel(self) -> pathlib.Path | None:
        """The top-level directory of the working tree ``directory`` is
        in; ``None`` outside a git working tree.
        """
        top = self.output('rev-parse', '--show-toplevel')
        return pathlib.Path(top) if top else None
