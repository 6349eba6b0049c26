"""``symbiosis api rules`` answered without the CLI framework.

Listing the diff rules is a start-up measure: loading cliff, stevedore and
every rule module to print 46 lines took five times as long as starting
Python. The rows of the rules symbiosis ships are kept in a generated
table (:mod:`symbiosis.cli._rules_table`); the program prints them from
it when it can tell that a run through cliff would print the same:

* the command line is ``api rules`` with at most a ``--format``;
* the installed entry points (read by :mod:`symbiosis._entry_points`)
  are symbiosis's own, and its ``symbiosis.api.rules`` ones are the
  table's: no other distribution adds a rule, a command or a hook of the
  command (any of those sends the run through cliff, which loads them);
* the cache settings are valid (otherwise cliff reports them).

The rows and their formatting are shared with
:class:`~symbiosis.cli._api.ApiRules`, so both print the same bytes.
``tests/test_rules_table.py`` checks the table against ``pyproject.toml``
and the rule classes, and regenerates it.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiosis.api._rules.base import Rule

__all__ = ['format_json', 'format_text', 'rule_row', 'run_from_table',
           'table_rows']

#: The ``--format`` choices of ``api rules``; the first is the default.
FORMATS = ('text', 'json')

_DISTRIBUTION = 'symbiosis'
_RULES = 'symbiosis.api.rules'
_COMMANDS = 'symbiosis.cli'
_COMMAND = 'api_rules'
_COMMAND_VALUE = 'symbiosis.cli._api:ApiRules'


def rule_row(rule: Rule) -> dict[str, str]:
    """What ``api rules`` prints of ``rule``."""
    return {
        'kind': str(rule.kind),
        'severity': str(rule.default_severity.value),
        'description': (rule.description or '').strip(),
    }


def format_text(rows: Sequence[Mapping[str, str]]) -> list[str]:
    """The lines of the text listing (without newlines)."""
    width = max((len(r['kind']) for r in rows), default=4)
    lines = []
    for row in rows:
        summary = row['description'].splitlines()[:1]
        lines.append(
            f"{row['kind']:<{width}}  {row['severity']:<5}  "
            f"{summary[0] if summary else ''}"
        )
    return lines


def format_json(rows: Sequence[Mapping[str, str]]) -> str:
    """The JSON listing, ending with a newline."""
    import json

    return json.dumps(list(rows), indent=2) + '\n'


def table_rows() -> list[dict[str, str]]:
    """The rows of the tabled rules, in the order ``api rules`` prints
    them: by kind, then by entry point name (as the rules load)."""
    from symbiosis.cli._rules_table import RULES

    rows = [
        {'kind': kind, 'severity': severity, 'description': description}
        for _, (_, kind, severity, description) in sorted(RULES.items())
    ]
    return sorted(rows, key=lambda row: row['kind'])


def run_from_table(args: Sequence[str]) -> int | None:
    """Run ``symbiosis api rules ARGS`` from the table.

    :returns: the exit code, or ``None`` when the run must go through
        cliff (nothing was written then).
    """
    output_format = _output_format(args)
    if (output_format is None or sys.stdout is None
            or not _installed_as_tabled()):
        return None
    try:
        from symbiosis.config import Config

        Config.from_environ().check_cache_dir()
    except Exception:
        return None  # cliff reports a bad setting
    rows = table_rows()
    try:
        if output_format == 'json':
            sys.stdout.write(format_json(rows))
        else:
            # One write per line, as the command does.
            for line in format_text(rows):
                sys.stdout.write(line + '\n')
    except KeyboardInterrupt:
        sys.stderr.write('symbiosis: interrupted\n')
        return 130
    except OSError as err:
        # What the command says of an output it cannot write (a closed
        # pipe): see symbiosis.cli._base.Command.take_action.
        sys.stderr.write(
            f'symbiosis: internal error: {type(err).__name__}: {err} '
            '(rerun with --debug for the traceback)\n'
        )
        return 3
    return 0


def _output_format(args: Sequence[str]) -> str | None:
    """The ``--format`` of ``args``; ``None`` for anything else (help,
    a bad value, an abbreviation, other options: cliff answers)."""
    if not args:
        return FORMATS[0]
    if len(args) == 2 and args[0] in ('--format', '-f'):
        value = args[1]
    elif len(args) == 1 and args[0].startswith('--format='):
        value = args[0][len('--format='):]
    else:
        return None
    return value if value in FORMATS else None


def _installed_as_tabled() -> bool:
    """Whether the installed entry points are what the table was made
    from, with nothing another distribution adds to the command."""
    from symbiosis import _entry_points
    from symbiosis.cli._rules_table import RULES

    hooks = f'{_COMMANDS}.{_COMMAND}'
    declared = _entry_points.own_entry_points(
        _DISTRIBUTION, (_RULES, _COMMANDS, hooks))
    if declared is None:
        return False
    rules = {(name, value) for group, name, value in declared
             if group == _RULES}
    return (
        (_COMMANDS, _COMMAND, _COMMAND_VALUE) in declared
        and not any(group == hooks for group, _, _ in declared)
        and rules == {(name, row[0]) for name, row in RULES.items()}
    )
