# ruff: noqa
"""A consumer of Jinja2, written for the usage benchmark (3.0.3 -> 3.1.0)."""
import jinja2
from jinja2 import Environment, DictLoader, StrictUndefined, Template
from jinja2 import Markup
from jinja2 import escape
from jinja2 import contextfilter
from jinja2 import pass_context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.meta import find_undeclared_variables

loader = DictLoader({'page.html': '<p>{{ name | shout }}</p>'})
env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True)


def shout(value):
    return str(value).upper()


env.filters['shout'] = shout
page = env.get_template('page.html')
print(page.render(name='ann'))
print(Template('{{ 1 + x }}').render(x=2))
safe = Markup('<b>bold</b>')
print(escape('<i>'))
print(jinja2.Markup('<u>'), jinja2.escape('&'))


@contextfilter
def with_context(ctx, value):
    return value


@pass_context
def current(ctx, value):
    return ctx.get('name', value)


env.filters['current'] = current
print(env.from_string('{{ "x" | current }}').render(name='bob'))
sandbox = SandboxedEnvironment()
print(sandbox.from_string('{{ a.b }}').render(a={'b': 3}))
parsed = env.parse('{{ missing }} {{ name }}')
print(sorted(find_undeclared_variables(parsed)))
legacy = Environment(extensions=['jinja2.ext.autoescape', 'jinja2.ext.with_'])
print(Environment(extensions=['jinja2.ext.do']).extensions)
print(jinja2.__version__, jinja2.select_autoescape(['html']))
print(jinja2.environmentfilter, jinja2.evalcontextfunction)
print(jinja2.utils.Markup, jinja2.filters.do_upper('a'))
stream = env.get_template('page.html').stream(name='cy')
print(''.join(stream))
print(env.list_templates(), env.undefined)
