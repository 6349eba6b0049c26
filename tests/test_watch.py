"""``symbiosis watch``: a real index publishes releases while it runs."""

from __future__ import annotations

import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import time

from tests.test_constraints import ConstraintsTestCase

#: Seconds between polls in these tests.
INTERVAL = 2.0


class TestWatch(ConstraintsTestCase):

    def start(self, path: pathlib.Path, log: pathlib.Path) -> \
            subprocess.Popen[bytes]:
        env = dict(os.environ, SYMBIOSIS_INDEX_URL=self.index.url + '/simple',
                   SYMBIOSIS_CACHE_DIR=str(self.tmp / 'cache'),
                   SYMBIOSIS_STORE_URL=self.store)
        env.pop('SYMBIOSIS_OFFLINE', None)
        with log.open('wb') as err:
            proc = subprocess.Popen(
                [sys.executable, '-m', 'symbiosis.cli._app', 'watch',
                 str(path), '--probes', str(self.probes), '--interval',
                 str(INTERVAL)], stdout=subprocess.DEVNULL, stderr=err,
                env=env, cwd=str(self.tmp))
        self.addCleanup(self._kill, proc)
        return proc

    def _kill(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    def wait_for(self, what: str, check: object, limit: float,
                 log: pathlib.Path) -> float:
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if check():  # type: ignore[operator]
                return time.monotonic() - started
            time.sleep(0.2)
        self.fail(f'{what} did not happen in {limit}s:\n'
                  + log.read_text(errors='replace'))

    def test_new_releases_are_gated_once_and_the_file_follows(self) -> None:
        self.publish('1.0', 1)
        path = self.tmp / 'upper-constraints.txt'
        path.write_text('# pins\nuplib===1.0\n')
        log = self.tmp / 'watch.log'
        proc = self.start(path, log)
        self.wait_for('the first poll',
                      lambda: 'new on the index: 1.0' in log.read_text(),
                      60, log)
        # A release that passes: the pin follows within one interval
        # plus the gate's own time.
        self.publish('1.1', 1)
        took = self.wait_for('raising the pin to 1.1',
                             lambda: 'uplib===1.1' in path.read_text(),
                             INTERVAL + 120, log)
        # Within one interval plus the gate's own time (as the store
        # recorded it), and a little for the poll and the rewrite.
        with sqlite3.connect(self.tmp / 'store.sqlite') as db:
            [(gate_seconds,)] = db.execute(
                "SELECT (julianday(finished_at) - julianday(started_at)) "
                "* 86400 FROM gate_runs WHERE candidate = '1.1'").fetchall()
        self.assertLess(took, INTERVAL + gate_seconds + 5.0, log.read_text())
        # A breaking release: held back, its regression named.
        self.publish('2.0', 2)
        self.wait_for('holding back 2.0',
                      lambda: 'held back' in path.read_text(),
                      INTERVAL + 120, log)
        self.assertEqual(
            '# pins\n# symbiosis: held back uplib===2.0: regressed: '
            'probes_uplib.py::test_value\nuplib===1.1\n', path.read_text())
        # SIGTERM: a clean stop.
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(0, proc.wait(timeout=60), log.read_text())
        text = log.read_text()
        self.assertIn('symbiosis: stopped\n', text)
        self.assertEqual(1, text.count('gating 1.1 against 1.0'), text)
        self.assertEqual(1, text.count('gating 2.0 against 1.1'), text)
        # A restart judges nothing twice, and an unchanged page is a 304.
        before = len(self.index.not_modified)
        once = self.symbiosis('watch', str(path), '--probes',
                              str(self.probes), '--once')
        self.assertEqual(0, once.returncode, once.stderr)
        self.assertNotIn('gating', once.stderr)
        self.assertEqual(['/simple/uplib/'],
                         self.index.not_modified[before:])
