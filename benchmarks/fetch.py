#!/usr/bin/env python3
# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.
"""Download and unpack the source trees the benchmarks measure.

Usage::

    python benchmarks/fetch.py [--trees sqlalchemy django botocore]

Each tree is fetched with ``pip download --no-deps`` (the sdist, falling
back to the wheel), unpacked under ``benchmarks/.data/unpacked/`` and its
import package copied alone to ``benchmarks/.data/trees/<tree>/<package>``,
so every tool in the benchmark reads exactly the same files (no tests,
docs or examples shipped in the sdist). Running it again does nothing for
trees already in place.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import shutil
import subprocess
import sys
import tarfile
import zipfile

__all__ = ['DATA_DIR', 'TREES', 'Tree', 'fetch_tree', 'main', 'tree_root']

DATA_DIR = pathlib.Path(__file__).resolve().parent / '.data'


@dataclasses.dataclass(frozen=True)
class Tree:
    """One benchmark source tree.

    :param name: short name used on the command line.
    :param requirement: what ``pip download`` is asked for.
    :param package: the import package measured.
    """

    name: str
    requirement: str
    package: str


TREES: dict[str, Tree] = {
    t.name: t
    for t in (
        Tree('sqlalchemy', 'sqlalchemy==2.0.36', 'sqlalchemy'),
        Tree('django', 'django>=5.2,<5.3', 'django'),
        Tree('botocore', 'botocore==1.44.8', 'botocore'),
    )
}

_MARKER = '.fetched.json'


def tree_root(name: str, data_dir: pathlib.Path = DATA_DIR) -> pathlib.Path:
    """Return the directory holding tree ``name``'s import package."""
    return data_dir / 'trees' / name


def _pip_download(requirement: str, dest: pathlib.Path,
                  binary: bool) -> pathlib.Path:
    dest.mkdir(parents=True, exist_ok=True)
    before = set(dest.iterdir())
    cmd = [sys.executable, '-m', 'pip', 'download', '--no-deps',
           '--disable-pip-version-check', '-d', str(dest)]
    if binary:
        cmd += ['--only-binary', ':all:']
    else:
        # The sdist's metadata is prepared with the running environment's
        # setuptools: an isolated build env would be downloaded each time.
        cmd += ['--no-binary', ':all:', '--no-build-isolation']
    cmd.append(requirement)
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        raise RuntimeError(lines[-1] if lines else f'exit {proc.returncode}')
    new = set(dest.iterdir()) - before
    if not new:
        # Already downloaded: pip reuses the file; find it by name.
        stem = requirement.split('=')[0].split('<')[0].split('>')[0]
        stem = stem.strip().lower().replace('-', '_')
        candidates = sorted(
            p for p in dest.iterdir()
            if p.name.lower().replace('-', '_').startswith(stem)
            and (p.suffix == '.whl') == binary
        )
        if not candidates:
            raise RuntimeError(f'pip downloaded nothing for {requirement}')
        return candidates[-1]
    return sorted(new)[-1]


def _unpack(archive: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if archive.suffix == '.whl' or archive.suffix == '.zip':
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                target = (dest / info.filename).resolve()
                if not str(target).startswith(str(dest.resolve())):
                    raise RuntimeError(f'unsafe path in {archive}')
            zf.extractall(dest)
    else:
        with tarfile.open(archive) as tf:
            tf.extractall(dest, filter='data')
    return dest


def _find_package(unpacked: pathlib.Path, package: str) -> pathlib.Path:
    # Shallowest ``<package>/__init__.py``: the sdist's root or its src/lib.
    hits = sorted(
        unpacked.glob(f'**/{package}/__init__.py'),
        key=lambda p: len(p.parts),
    )
    if not hits:
        raise RuntimeError(f'no package {package!r} under {unpacked}')
    return hits[0].parent


def fetch_tree(tree: Tree, data_dir: pathlib.Path = DATA_DIR,
               force: bool = False) -> pathlib.Path:
    """Make sure ``tree`` is in place; return its root directory."""
    root = tree_root(tree.name, data_dir)
    marker = root / _MARKER
    if marker.exists() and not force:
        return root
    downloads = data_dir / 'downloads'
    try:
        archive = _pip_download(tree.requirement, downloads, binary=False)
    except RuntimeError as err:
        print(f'{tree.name}: sdist failed ({err}); using the wheel',
              file=sys.stderr)
        archive = _pip_download(tree.requirement, downloads, binary=True)
    unpacked = _unpack(archive, data_dir / 'unpacked' / tree.name)
    package_dir = _find_package(unpacked, tree.package)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(package_dir, root / tree.package,
                    ignore=shutil.ignore_patterns('__pycache__', '*.so',
                                                  '*.pyd', '*.c'))
    files = sum(1 for _ in (root / tree.package).rglob('*.py'))
    marker.write_text(json.dumps({'archive': archive.name,
                                  'package': tree.package,
                                  'py_files': files}, indent=2))
    return root


def describe(tree: Tree,
             data_dir: pathlib.Path = DATA_DIR) -> dict[str, object]:
    """Return what :func:`fetch_tree` recorded about ``tree``."""
    marker = tree_root(tree.name, data_dir) / _MARKER
    return json.loads(marker.read_text()) if marker.exists() else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--trees', nargs='+', default=list(TREES),
                        choices=sorted(TREES))
    parser.add_argument('--force', action='store_true',
                        help='download and unpack again')
    args = parser.parse_args(argv)
    for name in args.trees:
        tree = TREES[name]
        root = fetch_tree(tree, force=args.force)
        info = describe(tree)
        print(f'{name:12} {info.get("archive")!s:40} '
              f'{info.get("py_files")!s:>5} .py files  {root}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
