"""symbiosis builds into a wheel and an sdist that carry everything.

The builds run pbr's real PEP 517 backend on a copy of this checkout (git
metadata included, since pbr versions from git), then the wheel is
installed into a target directory and its program run from there.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import zipfile

from tests import base
from tests.test_plugins import NAMESPACES

ROOT = pathlib.Path(__file__).resolve().parent.parent

_IGNORE = shutil.ignore_patterns(
    '.tox', '.venv', '.stestr', 'build', 'dist', '*.egg-info',
    '__pycache__', '.data', '.mypy_cache', '.ruff_cache', '.hypothesis',
)


def _backend(hook: str, outdir: pathlib.Path, cwd: pathlib.Path) -> str:
    code = (
        'import sys, pbr.build as b\n'
        f'print(b.{hook}(sys.argv[1]))\n'
    )
    result = subprocess.run(
        [sys.executable, '-c', code, str(outdir)],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f'{hook} failed:\n{result.stderr[-3000:]}')
    return result.stdout.strip().splitlines()[-1]


class TestPackaging(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        if not (ROOT / '.git').exists():
            self.skipTest('needs a git checkout (pbr versions from git)')
        self.src = self.tmp / 'src'
        shutil.copytree(ROOT, self.src, ignore=_IGNORE, symlinks=True)
        self.out = self.tmp / 'out'
        self.out.mkdir()

    def test_wheel_and_sdist(self) -> None:
        wheel = self.out / _backend('build_wheel', self.out, self.src)
        sdist = self.out / _backend('build_sdist', self.out, self.src)

        with zipfile.ZipFile(wheel) as zf:
            names = set(zf.namelist())
            dist_info = next(
                n.split('/')[0] for n in names if '.dist-info/' in n
            )
            entry_points = zf.read(f'{dist_info}/entry_points.txt').decode()
            metadata = zf.read(f'{dist_info}/METADATA').decode()
        for expected in (
            'symbiosis/py.typed',
            'symbiosis/cli/_app.py',
            'symbiosis/examples/probes_tinylib.py',
            'symbiosis/examples/tinylib-1.0/tinylib/core.py',
            'symbiosis/examples/tinylib-1.1/tinylib/errors.py',
            'symbiosis/examples/tinylib-1.1/pyproject.toml',
        ):
            self.assertIn(expected, names)
        for namespace in ('console_scripts', *NAMESPACES):
            self.assertIn(f'[{namespace}]', entry_points)
        for requirement in ('stevedore', 'cliff', 'futurist', 'fixtures',
                            'testtools', 'packaging', 'python-subunit'):
            self.assertIn(f'Requires-Dist: {requirement}', metadata)
        # pbr builds the distribution and symbiosis reads its version from
        # the metadata pbr wrote; deprecation markers of debtcollector are
        # recognised in source without importing it; the cache directory
        # follows XDG by itself. None is installed on symbiosis's account.
        for requirement in ('pbr', 'debtcollector', 'platformdirs'):
            self.assertNotIn(f'Requires-Dist: {requirement}', metadata)
        self.assertIn('Requires-Python: >=3.10', metadata)

        with tarfile.open(sdist) as tf:
            members = {m.name.split('/', 1)[1] for m in tf.getmembers()
                       if '/' in m.name}
        for expected in ('README.rst', 'setup.cfg', 'pyproject.toml',
                         'requirements.txt', 'tox.ini', 'tests/base.py',
                         'symbiosis/examples/probes_tinylib.py',
                         'doc/source/index.rst', 'PKG-INFO'):
            self.assertIn(expected, members)
        self.assertTrue(any(m.startswith('releasenotes/notes/')
                            for m in members))

        # The wheel runs: install it into a target dir and run from there.
        # A pure-Python wheel installs by unpacking it (its files and its
        # dist-info); the test envs need not have pip.
        target = self.tmp / 'site'
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(target)
        env = dict(os.environ, PYTHONPATH=str(target))
        result = subprocess.run(
            [sys.executable, '-c',
             'import symbiosis, importlib.metadata as m;'
             'print(symbiosis.__file__); print(m.version("symbiosis"))'],
            capture_output=True, text=True, env=env, cwd=str(self.tmp),
            check=True,
        )
        location, version = result.stdout.split()
        self.assertTrue(location.startswith(str(target)), location)
        self.assertIn(f'symbiosis-{version}', wheel.name.replace('_', '-'))
        # The version needs no pbr at run time: an importable ``pbr`` that
        # refuses to load stands in front of the real one.
        blocker = self.tmp / 'no-pbr' / 'pbr'
        blocker.mkdir(parents=True)
        (blocker / '__init__.py').write_text(
            "raise ImportError('pbr is needed only to build symbiosis')\n")
        env['PYTHONPATH'] = os.pathsep.join(
            [str(blocker.parent), str(target)])
        cli = subprocess.run(
            [sys.executable, '-m', 'symbiosis.cli._app', '--version'],
            capture_output=True, text=True, env=env, cwd=str(self.tmp),
        )
        self.assertEqual(f'symbiosis {version}', cli.stdout.strip(),
                         cli.stderr)
