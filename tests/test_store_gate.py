"""``symbiosis gate --store``: a real gate recorded as its jobs finish."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

from tests import base
from tests.test_gate import PROBE_IDS
from tests.test_gate import TINY_10
from tests.test_gate import TINY_11
from tests.test_gate import TINY_PROBES


def _gate(*args: str) -> list[str]:
    return [sys.executable, '-m', 'symbiosis.cli._app', '-q', 'gate', *args]


class TestGateStore(base.TestCase):

    def setUp(self) -> None:
        super().setUp()
        self.db = self.tmp / 'store.sqlite'
        self.url = f'sqlite:///{self.db}'
        self.env = dict(os.environ, SYMBIOSIS_OFFLINE='1')

    def rows(self, query: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db) as db:
            return db.execute(query).fetchall()

    def test_a_gate_is_recorded_with_its_regressions(self) -> None:
        proc = subprocess.run(
            _gate('tinylib', '--baseline', TINY_10, '--candidate', TINY_11,
                  '--probes', TINY_PROBES, '--store', self.url),
            capture_output=True, text=True, env=self.env, cwd=self.tmp,
            timeout=300, check=False)
        self.assertEqual(1, proc.returncode, proc.stderr)
        history = subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', 'history',
             'tinylib', '--store', self.url, '-f', 'json'],
            capture_output=True, text=True, cwd=self.tmp, check=True)
        [run] = json.loads(history.stdout)['runs']
        self.assertEqual('regression', run['verdict'])
        self.assertEqual(
            sorted(p for p, c in PROBE_IDS.items() if c == 'regression'),
            run['regressed'])
        # Every attempt of every probe: 5 probes on both sides, the 3
        # regressions re-run once on both sides.
        self.assertEqual(
            [(5 + 3, 'baseline'), (5 + 3, 'candidate')],
            self.rows('SELECT count(*), side FROM probe_results '
                      'GROUP BY side ORDER BY side'))
        self.assertEqual(
            [(2,)], self.rows('SELECT count(*) FROM environments'))
        [(explanation,)] = self.rows(
            "SELECT explanation FROM api_diffs WHERE probe LIKE "
            "'%test_parse_error_importable_from_core'")
        self.assertIn('moved to tinylib.errors.ParseError', explanation)

    def test_kill_9_loses_at_most_the_running_job(self) -> None:
        one = self.make_dist('killlib', '1.0', {'killlib/__init__.py': ''})
        two = self.make_dist('killlib', '2.0', {'killlib/__init__.py': ''})
        probes = self.tmp / 'probes'
        probes.mkdir()
        (probes / 'probes_quick.py').write_text(
            'def test_quick():\n    pass\n')
        (probes / 'probes_slow.py').write_text(textwrap.dedent('''
            import time

            def test_slow():
                time.sleep(120)
        '''))
        proc = subprocess.Popen(
            _gate('killlib', '--baseline', str(one.wheel), '--candidate',
                  str(two.wheel), '--probes', str(probes), '--workers', '4',
                  '--store', self.url),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=self.env, cwd=self.tmp, start_new_session=True)
        try:
            deadline = time.monotonic() + 200
            quick: list[tuple[object, ...]] = []
            while time.monotonic() < deadline and proc.poll() is None:
                if self.db.exists():
                    try:
                        quick = self.rows(
                            "SELECT side FROM probe_results WHERE probe "
                            "LIKE '%test_quick' ORDER BY side")
                    except sqlite3.OperationalError:
                        quick = []  # the schema is being created
                if len(quick) == 2:
                    break
                time.sleep(0.2)
            self.assertEqual([('baseline',), ('candidate',)], quick,
                             proc.stderr.read() if proc.poll() else '')
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            if proc.stderr is not None:
                proc.stderr.close()
        # The finished jobs are there; the run says it never ended.
        self.assertEqual([('running',)],
                         self.rows('SELECT verdict FROM gate_runs'))
        self.assertEqual(
            [('pass', 'baseline'), ('pass', 'candidate')],
            self.rows("SELECT status, side FROM probe_results "
                      "WHERE probe LIKE '%test_quick' ORDER BY side"))
        self.assertEqual([], self.rows(
            "SELECT * FROM probe_results WHERE probe LIKE '%test_slow'"))

    def test_several_candidates_record_each_candidate(self) -> None:
        wheels = {v: self.make_dist('multilib', v, {
            'multilib/__init__.py': f'VALUE = {v!r}\n'}).wheel
            for v in ('1.0', '1.1', '2')}
        probes = self.tmp / 'probes_multi.py'
        probes.write_text(
            'import multilib\n\n\ndef test_one():\n'
            "    assert multilib.VALUE in ('1.0', '1.1')\n")
        proc = subprocess.run(
            _gate('multilib', '--baseline', str(wheels['1.0']),
                  '--candidate', str(wheels['1.1']), '--candidate',
                  str(wheels['2']), '--probes', str(probes),
                  '--reruns', '0', '--store', self.url),
            capture_output=True, text=True, env=self.env, cwd=self.tmp,
            timeout=300, check=False)
        self.assertEqual(1, proc.returncode, proc.stderr)
        # Each candidate's results under its own SPEC and attempt 0 (a
        # SPEC that looks like an attempt number is not taken for one).
        self.assertEqual(
            [('baseline', str(wheels['1.0']), 0, 'pass'),
             ('candidate', str(wheels['1.1']), 0, 'pass'),
             ('candidate', str(wheels['2']), 0, 'fail')],
            self.rows('SELECT side, version, attempt, status '
                      'FROM probe_results ORDER BY side, status DESC'))
