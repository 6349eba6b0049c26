"""The entry point of the ``symbiosis`` program, cheap to start.

``symbiosis --version`` is answered here without the CLI framework (cliff)
or the plugin machinery (stevedore): a script that asks for the version,
or a shell that probes the program, pays little more than starting
Python; so are ``symbiosis api rules``, from a table
(:mod:`symbiosis.cli._rules_listing`), and an ``api dump`` the cache
holds (:mod:`symbiosis.cli._cached_dump`), when a run through cliff
would do the same. Every other command line goes to the cliff application
in :mod:`symbiosis.cli._app`, imported only then.
"""

from __future__ import annotations

from collections.abc import Sequence
import sys

__all__ = ['main']


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``symbiosis`` program."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ['--version']:
        return _print_version()
    if args[:2] == ['api', 'rules']:
        from symbiosis.cli import _rules_listing

        code = _rules_listing.run_from_table(args[2:])
        if code is not None:
            return code
    if 'dump' in args[:4]:
        from symbiosis.cli import _cached_dump

        code = _cached_dump.run_cached_dump(args)
        if code is not None:
            return code
    from symbiosis.cli import _app

    return _app.main(args)


def _print_version() -> int:
    # argparse prints the version as the cliff application does (same
    # wrapping on a narrow terminal, same exit); it is cheap to import,
    # cliff is not.
    import argparse

    from symbiosis._version import version_string

    parser = argparse.ArgumentParser(prog='symbiosis', add_help=False)
    parser.add_argument(
        '--version', action='version',
        version=f'symbiosis {version_string()}',
    )
    parser.parse_args(['--version'])
    return 0  # pragma: no cover - the version action exits


if __name__ == '__main__':  # pragma: no cover
    sys.exit(main())
