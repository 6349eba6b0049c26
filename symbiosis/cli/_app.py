"""The ``symbiosis`` command-line application.

A cliff application whose commands come from the ``symbiosis.cli`` entry
point namespace, so other distributions can add commands. Every command
shares the global options (``--debug``, ``-q``/``-v``, cache and index
settings) and the exit codes:

====  ==========================================================
0     clean: nothing to report
1     problems found (breaking changes, regressions, bad pins...)
2     usage or input error: one line on stderr naming the input
3     infrastructure failure (index unreachable, tool crashed...)
====  ==========================================================
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import difflib
import logging
import os
import sys
from typing import Any

from cliff import app as cliff_app
from cliff import command
from cliff import commandmanager

from symbiosis import exception
from symbiosis._version import version_string
from symbiosis.cli import _values
from symbiosis.config import Config

__all__ = ['CommandManager', 'SymbiosisApp', 'main']

LOG = logging.getLogger(__name__)

#: The entry-point namespace of commands.
NAMESPACE = 'symbiosis.cli'


def one_line_parser_errors(
    parser: argparse.ArgumentParser, prefix: str
) -> None:
    """Make ``parser`` report errors as one line and exit 2.

    argparse prints the whole usage block before the error; scripts and
    people both read one line naming the bad input more easily.
    """

    def error(message: str) -> Any:
        sys.stderr.write(f'{prefix}: error: {message} '
                         f"(see '{prefix} --help')\n")
        raise SystemExit(exception.EXIT_INPUT)

    parser.error = error  # type: ignore[method-assign]


class CommandManager(commandmanager.CommandManager):
    """cliff's command manager, its commands loaded by
    :mod:`symbiosis._plugins` (a broken command plugin is skipped with a
    warning: a run uses only the command it names).

    The commands symbiosis declares are imported when first used (a run
    imports the one it names); those of other distributions are loaded
    up front, so a broken one is reported on every run.
    """

    def load_commands(self, namespace: str) -> None:
        """Add the commands of the ``namespace`` entry points."""
        from symbiosis import _plugins

        self.group_list.append(namespace)
        builtin = set(_plugins.builtin_names(namespace))
        entries: dict[str, commandmanager.EntryPointWrapper] = {
            name: _LazyCommand(namespace, name)
            for name in _plugins.names(namespace) if name in builtin
        }
        # A run uses the one command it names: a broken one is skipped
        # with a warning, and naming it is an error (_broken_command).
        commands: dict[str, type[command.Command]] = _plugins.load_all(
            namespace, command.Command, what='command', complete=False,
            skip=builtin)
        for name, cls in commands.items():
            entries[name] = commandmanager.EntryPointWrapper(name, cls)
        for name in sorted(entries):
            self.commands[
                name.replace('_', ' ') if self.convert_underscores else name
            ] = entries[name]


class _LazyCommand(commandmanager.EntryPointWrapper):
    """A command of symbiosis, imported when cliff first loads it."""

    def __init__(self, namespace: str, name: str) -> None:
        # No class yet: load() imports it (super().__init__ would need it).
        self.name = name
        self.namespace = namespace

    def load(self) -> type[command.Command]:
        """Import the command's class (a broken one raises
        :class:`~symbiosis.exception.ConfigError`, exit code 2)."""
        from symbiosis import _plugins

        cls: type[command.Command] = _plugins.load(
            self.namespace, self.name, command.Command, what='command')
        self.command_class = cls
        return cls

    @property
    def value(self) -> str:
        """The entry point's target, ``module:Class``."""
        cls = self.load()
        return f'{cls.__module__}:{cls.__name__}'


class SymbiosisApp(cliff_app.App):
    """The cliff application behind the ``symbiosis`` program."""

    # cliff names the program after argv[0]; it is symbiosis however it
    # was started (``python -m symbiosis.cli._app`` included).
    NAME = 'symbiosis'

    def __init__(self) -> None:
        super().__init__(
            description=(
                'Gate upstream releases before they reach you: public-API '
                'diffs, SemVer verdicts and deprecation checks.'
            ),
            version=version_string(),
            command_manager=CommandManager(NAMESPACE),
            deferred_help=True,
        )
        self.config: Config = Config()

    def build_option_parser(
        self,
        description: str | None,
        version: str | None,
        argparse_kwargs: dict[str, Any] | None = None,
    ) -> argparse.ArgumentParser:
        """Add symbiosis's global options to cliff's."""
        kwargs = dict(argparse_kwargs or {})
        kwargs.setdefault('prog', self.NAME)
        parser: argparse.ArgumentParser = super().build_option_parser(
            description, version, kwargs
        )
        for action in parser._actions:
            if '--version' in action.option_strings:
                action.version = f'{self.NAME} {version}'  # type: ignore[attr-defined]
        group = parser.add_argument_group('cache and package index')
        group.add_argument(
            '--cache-dir',
            metavar='DIR',
            help='cache directory (default: $SYMBIOSIS_CACHE_DIR or the '
            "user's cache dir)",
        )
        group.add_argument(
            '--no-cache',
            action='store_true',
            default=None,
            help='do not read or write any cache',
        )
        group.add_argument(
            '--index-url',
            metavar='URL',
            help='package index (default: $SYMBIOSIS_INDEX_URL, then '
            "uv's and pip's settings)",
        )
        group.add_argument(
            '--extra-index-url',
            metavar='URL',
            action='append',
            default=None,
            help='further index to search (repeatable)',
        )
        group.add_argument(
            '--offline',
            action='store_true',
            default=None,
            help='never contact a package index',
        )
        group.add_argument(
            '--timeout',
            type=_values.positive_seconds,
            metavar='SECONDS',
            help='network timeout (default: 30)',
        )
        group.add_argument(
            '--workers',
            type=_values.positive_int,
            metavar='N',
            help='parallel workers for CPU-bound work, 1 or more '
            '(default: cores)',
        )
        parser.add_argument(
            '--allow-broken-plugins',
            action='store_true',
            default=None,
            help='run without the plugins that cannot be loaded, each '
            'skipped with a warning, instead of failing (exit 3): a run '
            'without a diff rule, a probe kind or a release check judges '
            'less (also: $SYMBIOSIS_ALLOW_BROKEN_PLUGINS=1)',
        )
        one_line_parser_errors(parser, 'symbiosis')
        return parser

    def initialize_app(self, argv: list[str]) -> None:
        """Build the :class:`~symbiosis.config.Config` from the options."""
        opts = self.options
        overrides: dict[str, object] = {
            'index_url': opts.index_url,
            'timeout': opts.timeout,
            'workers': opts.workers,
        }
        if opts.cache_dir:
            import pathlib

            overrides['cache_dir'] = pathlib.Path(opts.cache_dir).expanduser()
        if opts.no_cache:
            overrides['use_cache'] = False
        if opts.offline:
            overrides['offline'] = True
        if opts.extra_index_url:
            overrides['extra_index_urls'] = tuple(opts.extra_index_url)
        if opts.allow_broken_plugins:
            from symbiosis import _plugins

            # Read by the one plugin loader, in this process and in those
            # the run starts.
            os.environ[_plugins.ALLOW_BROKEN] = '1'
        self.config = Config.from_environ(**overrides)
        try:
            # Before any command runs: a cache directory that cannot be
            # one is bad input, not a crash halfway through the work.
            self.config.check_cache_dir()
        except exception.SymbiosisError as err:
            if opts.debug:
                LOG.exception('bad cache directory')
            sys.stderr.write(f'symbiosis: error: {err}\n')
            raise SystemExit(err.exit_code) from err

    def configure_logging(self) -> None:
        """Log warnings by default; ``-v`` for info, ``-vv`` for debug."""
        super().configure_logging()
        # cliff logs INFO by default; symbiosis's stderr carries only
        # warnings and errors unless asked (-v: info, -vv: debug).
        level = {
            0: logging.ERROR,
            1: logging.WARNING,
            2: logging.INFO,
        }.get(self.options.verbose_level, logging.DEBUG)
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(
                handler, logging.FileHandler
            ):
                handler.setLevel(level)
        logging.getLogger('stevedore').setLevel(logging.WARNING)

    def run(self, argv: list[str]) -> int:
        """Run one command; with no arguments print help (no shell)."""
        self._global_options_before_command()
        if not argv:
            # cliff would start an interactive shell; a tool that scripts
            # call must not wait on stdin.
            super().run(['help'])
            return exception.EXIT_INPUT
        return int(super().run(argv))

    def _global_options_before_command(self) -> None:
        # Global options are read up to the command word only (as git
        # does), so a command may have options of the same name:
        # ``symbiosis deprecations overdue T --version 2.0``.
        parse = self.parser.parse_known_args
        valued = {
            option
            for action in self.parser._actions
            if action.nargs != 0
            for option in action.option_strings
        }

        def parse_known_args(
            args: Sequence[str] | None = None,
            namespace: argparse.Namespace | None = None,
        ) -> tuple[argparse.Namespace, list[str]]:
            words = list(sys.argv[1:] if args is None else args)
            split = len(words)
            skip = False
            for index, word in enumerate(words):
                if skip:
                    skip = False
                    continue
                if word in valued:
                    skip = True
                    continue
                if not word.startswith('-'):
                    split = index
                    break
            options, rest = parse(words[:split], namespace)
            return options, rest + words[split:]

        setattr(self.parser, 'parse_known_args', parse_known_args)  # noqa: B010

    def run_subcommand(self, argv: list[str]) -> int:
        """Run a command, answering an unknown one with one line."""
        try:
            self.command_manager.find_command(argv)
        except exception.SymbiosisError as err:
            # A command of symbiosis's own that cannot be loaded.
            sys.stderr.write(f'symbiosis: error: {err}\n')
            return err.exit_code
        except ValueError:
            failure = _broken_command(argv)
            if failure is not None:
                sys.stderr.write(f'symbiosis: error: {failure}\n')
                return failure.exit_code
            words = ' '.join(argv[:2])
            known = sorted(name for name, _ in self.command_manager)
            close = difflib.get_close_matches(
                ' '.join(argv[:2]), known, n=3
            ) or difflib.get_close_matches(argv[0], known, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ''
            sys.stderr.write(
                f"symbiosis: error: unknown command or option '{words}'"
                f"{hint} (see 'symbiosis --help')\n"
            )
            return exception.EXIT_INPUT
        return int(super().run_subcommand(argv))


def _broken_command(argv: Sequence[str]) -> exception.SymbiosisError | None:
    """The error loading the command plugin ``argv`` names, if it names
    one that is installed but could not be loaded."""
    from cliff import command

    from symbiosis import _plugins

    for name in _plugins.names(NAMESPACE):
        words = name.split('_')
        if list(argv[:len(words)]) != words:
            continue
        try:
            _plugins.load(NAMESPACE, name, command.Command, what='command')
        except exception.SymbiosisError as err:
            return err
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``symbiosis`` program."""
    app = SymbiosisApp()
    args = list(sys.argv[1:] if argv is None else argv)
    return app.run(args)


if __name__ == '__main__':  # pragma: no cover
    sys.exit(main())
