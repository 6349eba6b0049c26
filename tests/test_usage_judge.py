"""symbiosis.usage: a use is hit only when what it reaches stops
resolving or the call it makes is rejected, instances included.

One fixture distribution in two versions (real wheels, built by
:mod:`tests.distbuilder`) and one downstream module: each case has a line
that breaks and a line that does not.
"""

from __future__ import annotations

import json

from symbiosis import api
from symbiosis.api._reach import Reach
from symbiosis.usage import Use
from symbiosis.usage import impact
from symbiosis.usage import scan
from symbiosis.usage._judge import judge_use
from tests import base
from tests.test_cli import run_cli

V1 = {
    'lib/__init__.py': '''\
        from lib._core import Child
        from lib._core import Client
        from lib._core import Lock
        from lib._core import Parser
        from lib._core import make_parser
        from lib._core import open_session
        from lib._core import parse
        from lib._core import tokenize

        OldParser = Parser
        ''',
    'lib/_core.py': '''\
        class Parser:
            def __init__(self, strict=False):
                self.strict = strict

            def run(self, text, mode='fast'):
                return text

            def feed(self, data):
                return data


        class Lock:
            name = 'lock'

            def acquire(self, blocking=True, timeout=-1):
                return True

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return None


        class Client:
            def __init__(self, url):
                self.url = url

            def get(self, path, retries=0):
                return path


        class Base:
            def helper(self, x, verbose=False):
                return x


        class Child(Base):
            pass


        class Session:
            def close(self, force=False):
                return None


        def make_parser() -> Parser:
            return Parser()


        def open_session():
            return Session()


        def parse(text, strict=False):
            return text


        def tokenize(text, strict=False):
            return text
        ''',
    'lib/legacy.py': '''\
        class Thing:
            pass


        class Gadget:
            pass
        ''',
}

V2 = {
    'lib/__init__.py': V1['lib/__init__.py'].replace(
        '\n        OldParser = Parser\n', ''),
    'lib/_core.py': '''\
        from debtcollector import renames


        class Parser:
            def __init__(self, strict=False):
                self.strict = strict

            def run(self, text, *, mode='fast'):
                return text


        class Lock:
            name: str

            def __init__(self):
                self.name = 'lock'

            def acquire(self, block=True, timeout=-1):
                return True

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return None


        class Client:
            def __init__(self, url):
                self.url = url

            def get(self, path):
                return path


        class Base:
            def helper(self, x):
                return x


        class Child(Base):
            pass


        class Session:
            def close(self):
                return None


        def make_parser() -> Parser:
            return Parser()


        def open_session() -> Session:
            return Session()


        @renames.renamed_kwarg('strict', 'validate')
        def parse(text, validate=False):
            return text


        def tokenize(text, validate=False):
            return text
        ''',
    'lib/things.py': '''\
        class Thing:
            pass
        ''',
    'lib/gadgets.py': '''\
        class Gadget:
            pass
        ''',
    'lib/legacy.py': '''\
        from lib.things import Thing
        ''',
}

#: line -> what it exercises; ``True`` when the line breaks under V2.
DOWNSTREAM = '''\
import lib
from lib import Child, Client, Lock, Parser, make_parser, open_session
from lib import OldParser
from lib.legacy import Thing
from lib.legacy import Gadget
p = Parser(strict=True)
p.run('t', mode='x')
p.run('t', 'x')
with Lock() as lock:
    lock.acquire(blocking=False)
    lock.acquire()


class Service:
    def __init__(self, url):
        self.client = Client(url)

    def fetch(self):
        self.client.get('/a', retries=2)
        return self.client.get('/b')


def handle(q: Parser):
    q.feed(b'x')
    return q.run('t')


s = open_session()
s.close(force=True)
s.close()
lib.parse('t', strict=True)
lib.tokenize('t', strict=True)
lib.tokenize('t', True)
c = Child()
c.helper(1, verbose=True)
c.helper(1)
make_parser().feed(b'')
make_parser().run('t')
print(Parser, Thing)


class Plain(Client):
    pass


class Mine(Client):
    def get(self, path, retries=0):
        return path


Plain('u').get('/a', retries=1)
Mine('u').get('/a', retries=1)
print(Lock.name)
print(Lock().name)
p = None
p.run('t', 'x')
'''

#: (line, case): the lines hit; every other line of DOWNSTREAM is not.
HITS = {
    3: 'alias removed',
    5: 'moved away, not importable at the old path',
    8: 'instance by assignment, keyword-only parameter',
    10: 'instance by with, parameter renamed',
    19: 'instance by self attribute, parameter removed',
    24: 'instance by annotated parameter, method removed',
    29: 'instance by return annotation of NEW, parameter removed',
    32: 'renamed without keeping the old keyword',
    35: 'inherited method, parameter removed',
    37: 'instance by return annotation in a chain, method removed',
    51: 'instance of a downstream subclass, inherited method',
    53: 'class attribute left only annotated',
}


class TestJudgedUses(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        old = self.make_dist('lib', '1.0', V1)
        new = self.make_dist('lib', '2.0', V2)
        self.old_wheel, self.new_wheel = old.wheel, new.wheel
        self.result = api.diff(api.load(str(old.wheel)),
                               api.load(str(new.wheel)))
        self.downstream = self.write_tree({'app.py': DOWNSTREAM}, 'app')

    def impacts(self) -> dict[int, list[object]]:
        uses = scan(self.downstream, ['lib']).uses
        found: dict[int, list[object]] = {}
        for hit in impact(uses, self.result):
            found.setdefault(hit.line, []).append(hit)
        return found

    def test_exactly_the_breaking_lines_are_hit(self) -> None:
        found = self.impacts()
        self.assertEqual(sorted(HITS), sorted(found),
                         '\n'.join(str(h) for hs in found.values()
                                   for h in hs))

    def test_each_instance_hit_says_how_its_type_was_known(self) -> None:
        found = self.impacts()
        known = {line: hits[0].known_by for line, hits in found.items()}
        self.assertIn('p = Parser(...) on line 6', known[8] or '')
        self.assertIn('with Lock(...) as lock on line 9', known[10] or '')
        self.assertIn('self.client = lib.Client(...) in __init__()',
                      known[19] or '')
        self.assertIn('parameter q: lib.Parser of handle()', known[24] or '')
        self.assertIn('lib._core.open_session is annotated to return '
                      'lib._core.Session', known[29] or '')
        self.assertIn('lib._core.make_parser is annotated to return',
                      known[37] or '')
        self.assertIn('Plain subclasses lib.Client (line 42)',
                      known[51] or '')
        # Plain uses name no instance.
        self.assertIsNone(known[3])
        self.assertIsNone(known[32])

    def test_messages_name_the_change(self) -> None:
        found = self.impacts()
        self.assertEqual(('removed-without-deprecation', 'lib.OldParser'),
                         (found[3][0].change.kind, found[3][0].change.path))
        self.assertEqual(('name-moved', 'lib.gadgets.Gadget'),
                         (found[5][0].change.kind, found[5][0].replacement))
        self.assertIn("'retries'", found[19][0].change.message)
        self.assertIn("'verbose'", found[35][0].change.message)

    def test_inherited_method_is_judged_through_the_mro(self) -> None:
        reach_old, reach_new = Reach(self.result.old), Reach(self.result.new)
        hit = judge_use(Use('lib.Child().helper', 'a.py', 1, 'call', 1,
                            ('verbose',)), reach_old, reach_new)
        fine = judge_use(Use('lib.Child().helper', 'a.py', 1, 'call', 1, ()),
                         reach_old, reach_new)
        self.assertEqual(('rejected', 'lib._core.Base.helper'),
                         (hit.broken, hit.old))
        self.assertEqual('', fine.broken)

    def test_command_json_has_known_by_and_via(self) -> None:
        result = run_cli('usage', str(self.downstream), '--upstream', 'lib',
                         '--against', str(self.old_wheel),
                         str(self.new_wheel), '--format', 'json')
        self.assertEqual(1, result.returncode, result.stderr)
        data = json.loads(result.stdout)
        self.assertEqual(sorted(HITS),
                         sorted({i['line'] for i in data['impacts']}))
        by_line = {i['line']: i for i in data['impacts']}
        self.assertIn('with Lock(...) as lock', by_line[10]['known_by'])
        self.assertIsNone(by_line[3]['known_by'])
        uses = [u for u in data['uses'] if u['line'] == 10]
        self.assertEqual([('lib.Lock().acquire', ['blocking'])],
                         [(u['path'], u['keywords']) for u in uses])
        self.assertIn('via', uses[0])
        text = run_cli('usage', str(self.downstream), '--upstream', 'lib',
                       '--against', str(self.old_wheel),
                       str(self.new_wheel))
        self.assertIn('[type known by: with Lock(...) as lock on line 9]',
                      text.stdout)


class TestInstanceBindings(base.TestCase):
    """What the scan binds, read from one file's uses."""

    @staticmethod
    def uses(source: str) -> dict[tuple[str, int], str | None]:
        from symbiosis.usage._pyfile import scan_python

        result = scan_python(source.encode(), 'm.py', frozenset({'lib'}))
        return {(path, line): via
                for path, line, _kind, _call, via in result.uses}

    def test_rebinding_hides_the_instance(self) -> None:
        found = self.uses('import lib\np = lib.Parser()\np.run()\n'
                          'p = None\np.run()\n')
        self.assertIn(('lib.Parser().run', 3), found)
        self.assertNotIn(('lib.Parser().run', 5), found)

    def test_a_local_instance_stays_in_its_function(self) -> None:
        found = self.uses(
            'import lib\n'
            'def one():\n'
            '    p = lib.Parser()\n'
            '    return p.run()\n'
            'def two(p):\n'
            '    return p.run()\n')
        self.assertEqual('p = lib.Parser(...) on line 3',
                         found[('lib.Parser().run', 4)])
        self.assertNotIn(('lib.Parser().run', 6), found)

    def test_chains_of_bindings_explain_themselves(self) -> None:
        found = self.uses('import lib\np = lib.Parser()\nq = p.child()\n'
                          'q.leaf()\n')
        self.assertEqual(
            'q = p.child(...) on line 3; p = lib.Parser(...) on line 2',
            found[('lib.Parser().child().leaf', 4)])

    def test_what_a_subclass_defines_is_its_own(self) -> None:
        found = self.uses(
            'import lib\n'
            'class Mine(lib.Parser):\n'
            '    def run(self):\n'
            '        return 1\n'
            'm = Mine()\n'
            'm.run()\n'
            'm.feed()\n')
        self.assertNotIn(('lib.Parser().run', 6), found)
        self.assertEqual(
            'm = Mine(...) on line 5; Mine subclasses lib.Parser (line 2)',
            found[('lib.Parser().feed', 7)])
