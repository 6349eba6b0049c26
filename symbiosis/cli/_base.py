"""Base class for symbiosis commands: errors, exit codes, output.

Commands stay thin: they parse options, call the library and format what
it returns. :class:`Command` turns a
:class:`~symbiosis.exception.SymbiosisError` into one line on stderr and its
exit code (``--debug`` shows the traceback), and offers ``--format`` /
``--output`` handling. The options several commands share and their
warnings on stderr are declared once here (:func:`add_repo_option`,
:func:`add_config_option`, :func:`warn`, :func:`warn_first`).
"""

from __future__ import annotations

import abc
import argparse
from collections.abc import Sequence
import errno
import json
import logging
import sys
from typing import Any

from cliff import command

from symbiosis import exception
from symbiosis._files import check_output
from symbiosis._files import write_output
from symbiosis.cli._app import one_line_parser_errors
from symbiosis.config import Config

__all__ = [
    'Command',
    'add_config_option',
    'add_repo_option',
    'add_store_option',
    'warn',
    'warn_first',
]

LOG = logging.getLogger(__name__)

#: Warnings of one kind shown before "... and N more".
MAX_WARNINGS = 20


def add_repo_option(
    parser: argparse.ArgumentParser, inputs: str = 'targets'
) -> None:
    """Add ``--repo PATH``, the git repository ``git:REF`` ``inputs``
    (targets, SPECs) are read from.
    """
    parser.add_argument(
        '--repo',
        metavar='PATH',
        help=f'git repository for git:REF {inputs} (default: the current '
        'directory)',
    )


def add_store_option(
    parser: argparse.ArgumentParser, what: str = 'read and write'
) -> None:
    """Add ``--store URL``, the results store (a database URL)."""
    parser.add_argument(
        '--store',
        metavar='URL',
        help=f'the results store to {what} (a database URL: '
        'sqlite:///PATH, postgresql+psycopg://...; default: '
        '$SYMBIOSIS_STORE_URL, else [store] url of the settings file, '
        "else SQLite in the user's data directory)",
    )


def add_config_option(
    parser: argparse.ArgumentParser, settings: str = 'project settings'
) -> None:
    """Add ``--config FILE``, the project's API settings file."""
    parser.add_argument(
        '--config',
        metavar='FILE',
        help=f'{settings} (severity overrides, suppressions); default: '
        '[tool.symbiosis] of ./pyproject.toml when present',
    )


def warn(message: str) -> None:
    """Write ``symbiosis: warning: <message>`` to stderr."""
    sys.stderr.write(f'symbiosis: warning: {message}\n')


def warn_first(messages: Sequence[str], more: str = 'more') -> None:
    """Warn with the first :data:`MAX_WARNINGS` of ``messages``, then
    ``... and N <more>`` for the rest.
    """
    for message in messages[:MAX_WARNINGS]:
        warn(message)
    if len(messages) > MAX_WARNINGS:
        warn(f'... and {len(messages) - MAX_WARNINGS} {more}')


class Command(command.Command, metaclass=abc.ABCMeta):
    """A symbiosis command.

    Subclasses implement :meth:`execute`, returning the exit code.
    """

    #: ``--format`` choices; the first is the default. Empty: no option.
    formats: Sequence[str] = ()

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        """Build the parser; errors become one line and exit 2."""
        parser: argparse.ArgumentParser = super().get_parser(prog_name)
        if self.formats:
            parser.add_argument(
                '--format',
                '-f',
                dest='output_format',
                choices=list(self.formats),
                default=self.formats[0],
                help=f'output format (default: {self.formats[0]})',
            )
        one_line_parser_errors(parser, prog_name)
        return parser

    def get_epilog(self) -> str:
        """The epilog of ``--help``.

        cliff names the distribution of a command that another one
        provides, finding it in the metadata of every installed
        distribution -- more than the rest of a command's start-up. A
        command of symbiosis run by the symbiosis program is provided by
        the program's own distribution, which cliff does not name: that
        epilog is built without the search.
        """
        if not (_is_symbiosis(type(self).__module__)
                and _is_symbiosis(type(self.app).__module__)):
            return str(super().get_epilog())
        parts = [self._epilog or '']
        parts.extend(
            epilog for hook in self._hooks
            if hook.obj is not None
            and (epilog := hook.obj.get_epilog()) is not None
        )
        return '\n\n'.join(parts)

    @property
    def config(self) -> Config:
        """The config built from the global options."""
        cfg = getattr(self.app, 'config', None)
        if isinstance(cfg, Config):
            return cfg
        # Running under another cliff app: build one from the environment.
        return Config.from_environ()

    @property
    def debug(self) -> bool:
        """Whether ``--debug`` was given."""
        return bool(getattr(self.app_args, 'debug', False))

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        """Check ``--output``, run :meth:`execute`, map errors to exit
        codes."""
        try:
            output = getattr(parsed_args, 'output', None)
            if output:
                # Before the work: an unwritable --output found after it
                # would throw the work away.
                check_output(output)
            return self.execute(parsed_args)
        except exception.SymbiosisError as err:
            if self.debug:
                LOG.exception('%s failed', self.cmd_name)
            sys.stderr.write(f'symbiosis: error: {err}\n')
            return err.exit_code
        except KeyboardInterrupt:
            sys.stderr.write('symbiosis: interrupted\n')
            return 130
        except OSError as err:
            if err.errno != errno.ENAMETOOLONG:
                return self._internal_error(err)
            # Every path symbiosis opens is one the user gave or lies
            # below one: a name too long for the OS is bad input.
            if self.debug:
                LOG.exception('%s failed', self.cmd_name)
            sys.stderr.write(
                f'symbiosis: error: {err.filename}: {err.strerror}\n')
            return exception.EXIT_INPUT
        except Exception as err:
            return self._internal_error(err)

    def _internal_error(self, err: Exception) -> int:
        # A bug, not the user's fault: still one line, and the way to get
        # the details.
        if self.debug:
            raise err
        sys.stderr.write(
            f'symbiosis: internal error: {type(err).__name__}: {err} '
            '(rerun with --debug for the traceback)\n'
        )
        return exception.EXIT_INFRA

    @abc.abstractmethod
    def execute(self, parsed_args: argparse.Namespace) -> int:
        """Do the command's work and return its exit code."""

    # Output helpers -----------------------------------------------------

    def write(self, text: str) -> None:
        """Write ``text`` (a newline is added if missing) to stdout."""
        if text and not text.endswith('\n'):
            text += '\n'
        self.app.stdout.write(text)

    def write_json(
        self, data: Any, output: str | None = None, indent: int | None = 2
    ) -> None:
        """Write ``data`` as JSON to stdout or to ``output``.

        :param indent: spaces per nesting level; ``None`` writes compact
            JSON, which the C encoder produces several times faster (for
            large outputs).
        """
        if indent is None:
            text = json.dumps(data, separators=(',', ':'))
        else:
            text = json.dumps(data, indent=indent)
        self.write_json_text(text + '\n', output)

    def write_json_text(self, text: str, output: str | None = None) -> None:
        """Write JSON already encoded to stdout or to ``output``."""
        if output:
            write_output(output, text)
        else:
            self.app.stdout.write(text)



def _is_symbiosis(module: str) -> bool:
    return module.partition('.')[0] == 'symbiosis'
