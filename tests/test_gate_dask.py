"""The dask executor with a real two-worker LocalCluster."""

from __future__ import annotations

import pathlib

from symbiosis.config import Config
from symbiosis.gate._model import Classification
from symbiosis.gate._runner import run_gate
from tests import base

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / 'symbiosis' / \
    'examples'


class TestDaskExecutor(base.TestCase):

    def test_local_cluster_runs_real_probe_jobs(self) -> None:
        config = Config.from_environ(offline=True)
        report = run_gate(
            'tinylib', str(EXAMPLES / 'tinylib-1.0'),
            str(EXAMPLES / 'tinylib-1.1'),
            [str(EXAMPLES / 'probes_tinylib.py')],
            executor='dask', workers=2, reruns=1, config=config)
        got = {r.probe.partition('::')[2]: r.classification
               for r in report.results}
        self.assertEqual(Classification.REGRESSION,
                         got['test_lock_is_reentrant'])
        self.assertEqual(Classification.PASS, got['test_render_round_trips'])
        self.assertEqual(1, report.exit_code)
        self.assertEqual('dask', report.executor)
        # Re-runs really ran again (pure=False): two attempts per side.
        lock = next(r for r in report.results
                    if r.probe.endswith('test_lock_is_reentrant'))
        self.assertEqual(2, len(lock.candidate))
