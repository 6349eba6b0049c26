# ruff: noqa
"""A consumer of click, written for the usage benchmark (7.1.2 -> 8.0.0)."""
import click
from click import Command, Context, Group, Option, Argument
from click.testing import CliRunner
from click.utils import LazyFile
from click.core import BaseCommand, MultiCommand


def complete(ctx, args, incomplete):
    return ['a', 'b']


@click.group()
@click.option('--verbose', '-v', is_flag=True, help='More output.')
@click.pass_context
def cli(ctx, verbose):
    ctx.obj = {'verbose': verbose}


@cli.command()
@click.argument('name', autocompletion=complete)
@click.option('--count', type=click.IntRange(1, 10), default=1)
def hello(name, count):
    click.echo('hello %s' % name * count)


@cli.resultcallback()
def done(result, verbose):
    return result


runner = CliRunner(mix_stderr=False)
result = runner.invoke(cli, ['hello', 'x'])
print(result.exit_code, result.output)
ctx = Context(hello, info_name='hello')
print(ctx.command_path, ctx.find_root() is ctx)
opt = Option(['--level'], type=click.Choice(['a', 'b'], case_sensitive=False))
print(opt.name, opt.get_default(ctx))
arg = Argument(['path'], type=click.Path(exists=False))
print(arg.human_readable_name)
print(click.style('x', fg='red', bold=True))
click.secho('done', fg='green', err=True)
print(click.get_terminal_size())
cmd = Command('plain', callback=lambda: None, params=[opt])
print(cmd.get_usage(ctx), cmd.format_help)
group = Group('g', commands={'hello': hello})
print(group.get_command(ctx, 'hello'), group.list_commands(ctx))
print(click.__version__, click.types.convert_type(int))
print(isinstance(cmd, BaseCommand), LazyFile, MultiCommand)
print(click.format_filename(b'/tmp/x'), click.exceptions.UsageError('u').exit_code)
print(click.Option(['--x'], autocompletion=complete).autocompletion)
parser = click.parser.OptionParser(ctx)
parser.add_option(['-x'], dest='x')
parser.add_argument('src', nargs=1)
print(click.IntRange(0, 10, True).convert(20, None, None))
print(opt.full_process_value(ctx, 'a'))
print(click.core.SUBCOMMAND_METAVAR, click.core.DEPRECATED_HELP_NOTICE)
print(click.utils.echo_native_types)
print(ctx.lookup_default('level'), opt.get_default(ctx))
print(click.ParamType.name)


class Loud(click.Command):
    def format_help(self, ctx, formatter):
        formatter.write_text('LOUD')
        return super().format_help(ctx, formatter)


print(Loud('loud').get_help(ctx))
