"""symbiosis.sources: paths, wheels, sdists, installed dists and git refs."""

from __future__ import annotations

from importlib import metadata as importlib_metadata
import io
import json
import pathlib
import shutil
import subprocess
import sys
import tarfile
import textwrap
from typing import Any
import unittest
import zipfile

import fixtures

from symbiosis import exception
from symbiosis.config import Config
from symbiosis.sources import SourceTree
from symbiosis.sources import load_sources
from symbiosis.sources import resolve_target
from symbiosis.sources._installed import read_installed
from tests import base
from tests.distbuilder import BuiltDistribution

PKG = {
    'pkg/__init__.py': 'from pkg.core import connect\n',
    'pkg/core.py': 'def connect(host, port=80):\n    return host\n',
}


class SourcesTestCase(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.config = Config(cache_dir=self.tmp / 'cache')

    def resolve(
        self,
        target: str | pathlib.Path,
        repo: str | pathlib.Path | None = None,
    ) -> SourceTree:
        return resolve_target(str(target), self.config, repo=repo)


class TestPlugins(SourcesTestCase):
    def test_all_kinds_load_in_priority_order(self) -> None:
        sources = load_sources(self.config)
        names = [type(s).__name__ for s in sources]
        for expected in (
            'GitSource',
            'WheelSource',
            'SdistSource',
            'PathSource',
            'IndexSource',
            'InstalledSource',
        ):
            self.assertIn(expected, names)
        priorities = [s.priority for s in sources]
        self.assertEqual(sorted(priorities), priorities)

    def test_unknown_target(self) -> None:
        err = self.assertRaises(
            exception.TargetError, self.resolve, 'what is this?'
        )
        self.assertEqual(2, err.exit_code)
        self.assertIn('what is this?', str(err))
        self.assertNotIn('\n', str(err))

    def test_empty_target(self) -> None:
        self.assertRaises(exception.TargetError, self.resolve, '  ')

    def test_missing_path(self) -> None:
        err = self.assertRaises(
            exception.TargetError, self.resolve, self.tmp / 'nope'
        )
        self.assertIn('no such file', str(err))
        self.assertRaises(
            exception.TargetError, self.resolve, self.tmp / 'nope.whl'
        )
        self.assertRaises(
            exception.TargetError, self.resolve, self.tmp / 'nope.tar.gz'
        )


class TestPaths(SourcesTestCase):
    def test_pyproject_tree(self) -> None:
        dist = self.make_dist(
            'my-pkg',
            '1.2',
            PKG,
            requires_python='>=3.10',
            extras={'cli': ['click']},
            entry_points={
                'console_scripts': {'pkg': 'pkg.core:connect'},
                'my.plugins': {'a': 'pkg.core:connect'},
            },
        )
        tree = self.resolve(dist.tree)
        self.assertEqual(dist.tree, tree.root)
        self.assertEqual(('pkg',), tree.top_level)
        self.assertEqual('my-pkg', tree.name)
        self.assertEqual('1.2', tree.version)
        self.assertEqual('>=3.10', tree.requires_python)
        self.assertEqual(('cli',), tree.extras)
        self.assertEqual(
            {'pkg': 'pkg.core:connect'}, tree.entry_points['console_scripts']
        )
        self.assertEqual(
            {'a': 'pkg.core:connect'}, tree.entry_points['my.plugins']
        )
        self.assertEqual(str(dist.tree), tree.target)

    def test_src_layout(self) -> None:
        dist = self.make_dist('pkg', '1.0', PKG, layout_src=True)
        tree = self.resolve(dist.tree)
        self.assertEqual(dist.tree / 'src', tree.root)
        self.assertEqual(('pkg',), tree.top_level)

    def test_setup_cfg(self) -> None:
        root = self.write_tree(
            {
                'setup.cfg': """\
                [metadata]
                name = cfgpkg
                version = 0.3

                [options]
                package_dir =
                    =src
                packages = find:
                python_requires = >=3.9

                [options.packages.find]
                where = src

                [options.extras_require]
                fast = ujson

                [options.entry_points]
                console_scripts =
                    cfg = cfgpkg:main
                """,
                'setup.py': 'import setuptools\nsetuptools.setup()\n',
                'src/cfgpkg/__init__.py': 'def main():\n    pass\n',
                'tests/test_x.py': '',
            }
        )
        tree = self.resolve(root)
        self.assertEqual(root / 'src', tree.root)
        self.assertEqual(('cfgpkg',), tree.top_level)
        self.assertEqual(
            ('cfgpkg', '0.3', '>=3.9', ('fast',)),
            (tree.name, tree.version, tree.requires_python, tree.extras),
        )
        self.assertEqual(
            {'console_scripts': {'cfg': 'cfgpkg:main'}},
            dict(tree.entry_points),
        )

    def test_setup_py_is_read_not_run(self) -> None:
        root = self.write_tree(
            {
                'setup.py': """\
                import sys
                from setuptools import setup
                sys.exit('setup.py must not run')
                setup(name='legacy', version='4.0', py_modules=['legacy'],
                      python_requires='>=3.8')
                """,
                'legacy.py': 'X = 1\n',
                'conftest.py': '',
            }
        )
        tree = self.resolve(root)
        self.assertEqual(('legacy',), tree.top_level)
        self.assertEqual(
            ('legacy', '4.0', '>=3.8'),
            (tree.name, tree.version, tree.requires_python),
        )

    def test_layout_skips_non_library_code(self) -> None:
        root = self.write_tree(
            {
                'pyproject.toml': '[project]\nname = "lay"\nversion = "1"\n',
                'lay/__init__.py': '',
                'helper.py': '',
                'setup.py': '',
                'conftest.py': '',
                'noxfile.py': '',
                'tests/__init__.py': '',
                'docs/conf.py': '',
                'examples/__init__.py': '',
                'benchmarks/__init__.py': '',
            }
        )
        self.assertEqual(('helper', 'lay'), self.resolve(root).top_level)

    def test_setuptools_packages_setting_wins(self) -> None:
        root = self.write_tree(
            {
                'pyproject.toml': textwrap.dedent("""\
                [project]
                name = "picky"
                dynamic = ["version"]

                [tool.setuptools]
                packages = ["picky", "picky.sub"]
                """),
                'picky/__init__.py': '',
                'picky/sub/__init__.py': '',
                'other/__init__.py': '',
            }
        )
        tree = self.resolve(root)
        self.assertEqual(('picky',), tree.top_level)
        self.assertIsNone(tree.version)

    def test_namespace_package_named_after_the_distribution(self) -> None:
        root = self.write_tree(
            {
                'pyproject.toml': '[project]\nname = "acme.widgets"\n'
                'version = "1"\n',
                'acme/widgets/__init__.py': '',
                'stray/data.py': '',
            }
        )
        self.assertEqual(('acme',), self.resolve(root).top_level)

    def test_bare_package_dir(self) -> None:
        root = self.write_tree(
            {'lib/bare/__init__.py': '', 'lib/bare/mod.py': ''}
        )
        tree = self.resolve(root / 'lib' / 'bare')
        self.assertEqual(root / 'lib', tree.root)
        self.assertEqual(('bare',), tree.top_level)
        self.assertIsNone(tree.name)

    def test_single_module(self) -> None:
        root = self.write_tree({'single.py': 'def f():\n    pass\n'})
        tree = self.resolve(root / 'single.py')
        self.assertEqual(root, tree.root)
        self.assertEqual(('single',), tree.top_level)

    def test_unpacked_wheel_dir(self) -> None:
        dist = self.make_dist('pkg', '2.0', PKG)
        dest = self.tmp / 'unzipped'
        with zipfile.ZipFile(dist.wheel) as zf:
            zf.extractall(dest)
        tree = self.resolve(dest)
        self.assertEqual(
            ('pkg', '2.0', ('pkg',)), (tree.name, tree.version, tree.top_level)
        )

    def test_invalid_pyproject(self) -> None:
        root = self.write_tree(
            {'pyproject.toml': '[project\n', 'x/__init__.py': ''}
        )
        err = self.assertRaises(exception.TargetError, self.resolve, root)
        self.assertIn('invalid TOML', str(err))

    def test_no_python_code(self) -> None:
        root = self.write_tree({'README': 'hi\n'})
        self.assertRaises(exception.TargetError, self.resolve, root)
        self.assertRaises(exception.TargetError, self.resolve, root / 'README')


class TestArchives(SourcesTestCase):
    def make(self, version: str = '1.0', **kwargs: Any) -> BuiltDistribution:
        return self.make_dist(
            'pkg',
            version,
            PKG,
            requires_python='>=3.9',
            extras={'cli': ['click']},
            entry_points={'console_scripts': {'pkg': 'pkg.core:connect'}},
            **kwargs,
        )

    def assertPkg(self, tree: SourceTree, version: str = '1.0') -> None:
        self.assertEqual(('pkg',), tree.top_level)
        self.assertEqual('pkg', tree.name)
        self.assertEqual(version, tree.version)
        self.assertEqual('>=3.9', tree.requires_python)
        self.assertEqual(('cli',), tree.extras)
        self.assertEqual(
            {'pkg': 'pkg.core:connect'}, tree.entry_points['console_scripts']
        )
        self.assertTrue((tree.root / 'pkg' / 'core.py').is_file())

    def test_wheel(self) -> None:
        dist = self.make()
        tree = self.resolve(dist.wheel)
        self.assertPkg(tree)
        self.assertEqual(self.tmp / 'cache' / 'unpacked', tree.root.parent)
        again = self.resolve(dist.wheel)
        self.assertEqual(tree.root, again.root)

    def test_wheel_without_cache(self) -> None:
        dist = self.make()
        self.config = Config(cache_dir=self.tmp / 'cache', use_cache=False)
        tree = self.resolve(dist.wheel)
        self.assertPkg(tree)
        self.assertFalse((self.tmp / 'cache').exists())

    def test_wheel_record_and_data_purelib(self) -> None:
        wheel = self.tmp / 'data_pkg-1.0-py3-none-any.whl'
        with zipfile.ZipFile(wheel, 'w') as zf:
            zf.writestr('data_pkg/__init__.py', '')
            zf.writestr('data_pkg-1.0.data/purelib/extra_mod.py', 'X = 1\n')
            zf.writestr('data_pkg-1.0.data/scripts/tool', '#!/bin/sh\n')
            zf.writestr(
                'data_pkg-1.0.dist-info/METADATA',
                'Metadata-Version: 2.1\nName: data-pkg\nVersion: 1.0\n',
            )
            zf.writestr(
                'data_pkg-1.0.dist-info/RECORD',
                '\n'.join(
                    [
                        'data_pkg/__init__.py,,',
                        'data_pkg-1.0.data/purelib/extra_mod.py,,',
                        'data_pkg-1.0.data/scripts/tool,,',
                        'data_pkg-1.0.dist-info/METADATA,,',
                        'data_pkg-1.0.dist-info/RECORD,,',
                    ]
                ),
            )
        tree = self.resolve(wheel)
        self.assertEqual(('data_pkg', 'extra_mod'), tree.top_level)
        self.assertTrue((tree.root / 'extra_mod.py').is_file())

    def test_not_a_wheel(self) -> None:
        wheel = self.tmp / 'fake-1.0-py3-none-any.whl'
        with zipfile.ZipFile(wheel, 'w') as zf:
            zf.writestr('fake/__init__.py', '')
        self.assertRaises(exception.ArchiveError, self.resolve, wheel)

    def test_sdist_tar_gz(self) -> None:
        dist = self.make('1.1')
        self.assertPkg(self.resolve(dist.sdist), '1.1')

    def test_sdist_zip(self) -> None:
        dist = self.make('1.2', layout_src=True)
        archive = self.tmp / 'pkg-1.2.zip'
        with zipfile.ZipFile(archive, 'w', zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(dist.tree.rglob('*')):
                if path.is_file():
                    rel = path.relative_to(dist.tree).as_posix()
                    zf.write(path, f'pkg-1.2/{rel}')
        tree = self.resolve(archive)
        self.assertPkg(tree, '1.2')
        self.assertEqual('src', tree.root.name)

    def test_sdist_pkg_info_supplies_dynamic_version(self) -> None:
        archive = self.tmp / 'dyn-3.1.tar.gz'
        files = {
            'dyn-3.1/pyproject.toml': (
                '[project]\nname = "dyn"\ndynamic = ["version"]\n'
            ),
            'dyn-3.1/PKG-INFO': (
                'Metadata-Version: 2.1\nName: dyn\nVersion: 3.1\n'
            ),
            'dyn-3.1/dyn.py': 'X = 1\n',
        }
        with tarfile.open(archive, 'w:gz') as tf:
            for name, text in files.items():
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
        tree = self.resolve(archive)
        self.assertEqual(
            ('dyn', '3.1', ('dyn',)), (tree.name, tree.version, tree.top_level)
        )


class TestInstalled(SourcesTestCase):
    def test_installed_distribution(self) -> None:
        for name in ('testtools', 'stevedore'):
            tree = self.resolve(name)
            dist = importlib_metadata.distribution(name)
            self.assertEqual((name,), tree.top_level)
            self.assertEqual(dist.version, tree.version)
            self.assertEqual(dist.metadata['Name'], tree.name)
            self.assertTrue((tree.root / name / '__init__.py').is_file())

    def test_not_installed(self) -> None:
        err = self.assertRaises(
            exception.DistributionNotFound,
            self.resolve,
            'surely-not-installed-dist',
        )
        self.assertEqual('surely-not-installed-dist', err.name)
        self.assertEqual(2, err.exit_code)

    def fake_site(self) -> pathlib.Path:
        site = self.tmp / 'site'
        site.mkdir()
        self.useFixture(
            fixtures.MonkeyPatch('sys.path', [str(site), *sys.path])
        )
        return site

    def test_top_level_from_record(self) -> None:
        site = self.fake_site()
        (site / 'fakemod').mkdir()
        (site / 'fakemod' / '__init__.py').write_text('')
        info = site / 'fake_dist-2.0.dist-info'
        info.mkdir()
        (info / 'METADATA').write_text(
            'Metadata-Version: 2.1\nName: fake-dist\nVersion: 2.0\n'
            'Provides-Extra: x\n'
        )
        (info / 'RECORD').write_text(
            'fakemod/__init__.py,,\n../../bin/fake,,\n'
            'fake_dist-2.0.dist-info/METADATA,,\n'
        )
        (info / 'entry_points.txt').write_text(
            '[console_scripts]\nfake = fakemod:main\n'
        )
        tree = read_installed('fake-dist')
        self.assertEqual(site, tree.root)
        self.assertEqual(('fakemod',), tree.top_level)
        self.assertEqual(('2.0', ('x',)), (tree.version, tree.extras))
        self.assertEqual(
            {'console_scripts': {'fake': 'fakemod:main'}},
            dict(tree.entry_points),
        )

    def test_editable_install_reads_the_project(self) -> None:
        site = self.fake_site()
        project = self.write_tree(
            {
                'pyproject.toml': '[project]\nname = "edit-me"\n'
                'dynamic = ["version"]\n',
                'src/edit_me/__init__.py': '',
            },
            root='project',
        )
        info = site / 'edit_me-5.0.dist-info'
        info.mkdir()
        (info / 'METADATA').write_text(
            'Metadata-Version: 2.1\nName: edit-me\nVersion: 5.0\n'
        )
        (info / 'direct_url.json').write_text(
            json.dumps(
                {
                    'url': project.as_uri(),
                    'dir_info': {'editable': True},
                }
            )
        )
        tree = read_installed('edit-me')
        self.assertEqual(project / 'src', tree.root)
        self.assertEqual(('edit_me',), tree.top_level)
        self.assertEqual('5.0', tree.version)

    def test_setuptools_editable_finder(self) -> None:
        site = self.fake_site()
        project = self.write_tree(
            {'src/finpkg/__init__.py': '', 'pyproject.toml': ''},
            root='finproject',
        )
        finder = site / '__editable___fin_pkg_1_0_finder.py'
        finder.write_text(
            'import sys\n'
            f'MAPPING: dict[str, str] = {{"finpkg": '
            f'{str(project / "src" / "finpkg")!r}}}\n'
            'NAMESPACES = {}\n'
        )
        info = site / 'fin_pkg-1.0.dist-info'
        info.mkdir()
        (info / 'METADATA').write_text(
            'Metadata-Version: 2.1\nName: fin-pkg\nVersion: 1.0\n'
        )
        (info / 'top_level.txt').write_text('finpkg\n')
        (info / 'RECORD').write_text(
            '__editable___fin_pkg_1_0_finder.py,,\n'
            '__editable__.fin_pkg-1.0.pth,,\n'
            'fin_pkg-1.0.dist-info/METADATA,,\n'
        )
        tree = read_installed('fin-pkg')
        self.assertEqual(project / 'src', tree.root)
        self.assertEqual(('finpkg',), tree.top_level)
        self.assertEqual('1.0', tree.version)

    def test_symbiosis_itself(self) -> None:
        # The tests run against an installed symbiosis (tox installs the
        # checkout editable): its absence is a broken set-up, not a skip.
        dist = importlib_metadata.distribution('symbiosis')
        import symbiosis

        # Named through read_installed: in a checkout ``symbiosis`` is
        # also a directory of the current working directory.
        tree = read_installed('symbiosis')
        self.assertEqual(('symbiosis',), tree.top_level)
        self.assertEqual(dist.version, tree.version)
        here = pathlib.Path(symbiosis.__file__).resolve().parent.parent
        if (tree.root / 'symbiosis' / '__init__.py').resolve() == (
            here / 'symbiosis' / '__init__.py'
        ):
            # Editable (or in-tree) install: the checkout itself is read.
            self.assertEqual(here, tree.root.resolve())


def _git(repo: pathlib.Path, *args: str) -> str:
    done = subprocess.run(
        [
            'git',
            '-c',
            'user.name=T',
            '-c',
            'user.email=t@example.com',
            '-c',
            'commit.gpgsign=false',
            '-c',
            'tag.gpgsign=false',
            '-C',
            str(repo),
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@unittest.skipIf(shutil.which('git') is None, 'git is not installed')
class TestGit(SourcesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.repo = self.write_tree(
            {
                'pyproject.toml': '[project]\nname = "gitpkg"\n'
                'dynamic = ["version"]\n',
                'gitpkg/__init__.py': 'def old():\n    pass\n',
                'subdir/pyproject.toml': '[project]\nname = "inner"\n'
                'version = "0.1"\n',
                'subdir/inner/__init__.py': '',
            },
            root='repo',
        )
        _git(self.repo, 'init', '-q')
        _git(self.repo, 'add', '.')
        _git(self.repo, 'commit', '-q', '-m', 'one')
        _git(self.repo, 'tag', 'v1')
        (self.repo / 'gitpkg' / '__init__.py').write_text(
            'def new():\n    pass\n'
        )
        (self.repo / 'subdir' / 'inner' / 'extra.py').write_text('')
        _git(self.repo, 'add', '.')
        _git(self.repo, 'commit', '-q', '-m', 'two')

    def test_tag(self) -> None:
        tree = self.resolve('git:v1', repo=self.repo)
        self.assertEqual(('gitpkg',), tree.top_level)
        self.assertEqual('1', tree.version)  # from the tag
        text = (tree.root / 'gitpkg' / '__init__.py').read_text()
        self.assertIn('def old', text)
        sha = _git(self.repo, 'rev-parse', 'v1^{commit}')
        self.assertEqual(f'git-{sha}', tree.root.name)
        self.assertEqual(
            tree.root, self.resolve('git:v1', repo=self.repo).root
        )

    def test_head_subdir(self) -> None:
        tree = self.resolve('git:HEAD:subdir', repo=str(self.repo))
        self.assertEqual(
            ('inner', '0.1', ('inner',)),
            (tree.name, tree.version, tree.top_level),
        )
        self.assertTrue((tree.root / 'inner' / 'extra.py').is_file())

    def test_working_tree_is_untouched(self) -> None:
        (self.repo / 'gitpkg' / '__init__.py').write_text('dirty = 1\n')
        tree = self.resolve('git:HEAD', repo=self.repo)
        self.assertIn(
            'def new', (tree.root / 'gitpkg' / '__init__.py').read_text()
        )

    def test_bad_ref_and_subdir(self) -> None:
        for target in (
            'git:nope',
            'git:HEAD:missing',
            'git:HEAD:../x',
            'git:',
        ):
            err = self.assertRaises(
                exception.TargetError, self.resolve, target, repo=self.repo
            )
            self.assertEqual(2, err.exit_code)
            self.assertIn(target, str(err))

    def test_not_a_repository(self) -> None:
        plain = self.tmp / 'plain'
        plain.mkdir()
        self.useFixture(
            fixtures.EnvironmentVariable(
                'GIT_CEILING_DIRECTORIES', str(self.tmp)
            )
        )
        err = self.assertRaises(
            exception.TargetError, self.resolve, 'git:HEAD', repo=plain
        )
        self.assertIn('not a git repository', str(err))
