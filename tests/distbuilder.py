"""Build real fixture distributions (source tree, wheel, sdist) for tests.

A fixture distribution is described by a dict of ``relative path -> text``.
:func:`build_distribution` writes it as a source tree with a
``pyproject.toml`` (setuptools backend) and packs it into a wheel and an
sdist that follow the binary and source distribution formats (dist-info
with METADATA, WHEEL, RECORD with hashes, entry_points.txt, top_level.txt;
an sdist with PKG-INFO under ``name-version/``), so pip can install both.

Packing is done here rather than by running a build backend so that a test
building a dozen versions stays fast.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from collections.abc import Sequence
import dataclasses
import hashlib
import io
import os
import pathlib
import tarfile
import textwrap
import zipfile

__all__ = ['BuiltDistribution', 'build_distribution']


@dataclasses.dataclass(frozen=True)
class BuiltDistribution:
    """Where the pieces of a fixture distribution were written."""

    name: str
    version: str
    tree: pathlib.Path
    wheel: pathlib.Path
    sdist: pathlib.Path


def _normalise(name: str) -> str:
    return name.replace('-', '_').replace('.', '_')


def _metadata(
    name: str,
    version: str,
    requires_python: str | None,
    extras: Mapping[str, Sequence[str]],
    requires: Sequence[str],
    project_urls: Mapping[str, str] | None = None,
) -> str:
    lines = [
        'Metadata-Version: 2.1',
        f'Name: {name}',
        f'Version: {version}',
        'Summary: a fixture distribution',
    ]
    if requires_python:
        lines.append(f'Requires-Python: {requires_python}')
    lines.extend(f'Project-URL: {label}, {url}'
                 for label, url in (project_urls or {}).items())
    lines.extend(f'Requires-Dist: {r}' for r in requires)
    for extra, reqs in extras.items():
        lines.append(f'Provides-Extra: {extra}')
        lines.extend(
            f"Requires-Dist: {r}; extra == '{extra}'" for r in reqs
        )
    return '\n'.join(lines) + '\n\n'


def _entry_points_txt(entry_points: Mapping[str, Mapping[str, str]]) -> str:
    out = []
    for group, eps in entry_points.items():
        out.append(f'[{group}]')
        out.extend(f'{k} = {v}' for k, v in eps.items())
        out.append('')
    return '\n'.join(out)


def _pyproject(
    name: str,
    version: str,
    requires_python: str | None,
    extras: Mapping[str, Sequence[str]],
    entry_points: Mapping[str, Mapping[str, str]],
    requires: Sequence[str],
    layout_src: bool,
) -> str:
    lines = [
        '[build-system]',
        'requires = ["setuptools>=64"]',
        'build-backend = "setuptools.build_meta"',
        '',
        '[project]',
        f'name = "{name}"',
        f'version = "{version}"',
        f'dependencies = {list(requires)!r}'.replace("'", '"'),
    ]
    if requires_python:
        lines.append(f'requires-python = "{requires_python}"')
    if extras:
        lines += ['', '[project.optional-dependencies]']
        for extra, reqs in extras.items():
            lines.append(f'{extra} = {list(reqs)!r}'.replace("'", '"'))
    for group, eps in entry_points.items():
        if group == 'console_scripts':
            lines += ['', '[project.scripts]']
        else:
            lines += ['', f'[project.entry-points."{group}"]']
        lines.extend(f'"{k}" = "{v}"' for k, v in eps.items())
    if layout_src:
        lines += ['', '[tool.setuptools.packages.find]', 'where = ["src"]']
    return '\n'.join(lines) + '\n'


def _top_level(files: Mapping[str, str]) -> list[str]:
    names = set()
    for rel in files:
        first = rel.split('/', 1)[0]
        if first.endswith(('.py', '.pyi')):
            names.add(first.rsplit('.', 1)[0])
        elif '/' in rel:
            names.add(first)
    return sorted(names)


def build_distribution(
    dest: os.PathLike[str] | str,
    name: str,
    version: str,
    files: Mapping[str, str],
    *,
    requires_python: str | None = None,
    extras: Mapping[str, Sequence[str]] | None = None,
    entry_points: Mapping[str, Mapping[str, str]] | None = None,
    requires: Sequence[str] = (),
    layout_src: bool = False,
    dedent: bool = True,
    project_urls: Mapping[str, str] | None = None,
) -> BuiltDistribution:
    """Write a source tree, a wheel and an sdist for a distribution.

    :param dest: directory to write into; the tree goes to
        ``dest/<name>-<version>/``, the archives beside it.
    :param files: module files by path relative to the import root
        (``pkg/__init__.py``), contents dedented unless ``dedent=False``.
    :param layout_src: put the import root under ``src/`` in the tree
        and sdist.
    :param project_urls: ``Project-URL`` entries (label -> URL) of the
        metadata (not of the tree's ``pyproject.toml``).
    """
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    extras = dict(extras or {})
    entry_points = dict(entry_points or {})
    contents = {
        rel: (textwrap.dedent(text) if dedent else text)
        for rel, text in files.items()
    }
    norm = _normalise(name)
    base = f'{name}-{version}'

    # Source tree.
    tree = dest / base
    prefix = 'src/' if layout_src else ''
    pyproject = _pyproject(
        name, version, requires_python, extras, entry_points, requires,
        layout_src,
    )
    tree_files = {f'{prefix}{rel}': text for rel, text in contents.items()}
    tree_files['pyproject.toml'] = pyproject
    for rel, text in tree_files.items():
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding='utf-8')

    metadata = _metadata(name, version, requires_python, extras, requires,
                         project_urls)

    # Wheel.
    dist_info = f'{norm}-{version}.dist-info'
    wheel_files: dict[str, bytes] = {
        rel: text.encode('utf-8') for rel, text in contents.items()
    }
    wheel_files[f'{dist_info}/METADATA'] = metadata.encode()
    wheel_files[f'{dist_info}/WHEEL'] = (
        b'Wheel-Version: 1.0\nGenerator: symbiosis-tests\n'
        b'Root-Is-Purelib: true\nTag: py3-none-any\n'
    )
    wheel_files[f'{dist_info}/top_level.txt'] = (
        '\n'.join(_top_level(contents)) + '\n'
    ).encode()
    if entry_points:
        wheel_files[f'{dist_info}/entry_points.txt'] = _entry_points_txt(
            entry_points
        ).encode()
    record_lines = []
    for rel, data in wheel_files.items():
        digest = base64.urlsafe_b64encode(
            hashlib.sha256(data).digest()
        ).rstrip(b'=').decode()
        record_lines.append(f'{rel},sha256={digest},{len(data)}')
    record_lines.append(f'{dist_info}/RECORD,,')
    wheel_files[f'{dist_info}/RECORD'] = (
        '\n'.join(record_lines) + '\n'
    ).encode()
    wheel = dest / f'{norm}-{version}-py3-none-any.whl'
    with zipfile.ZipFile(wheel, 'w', zipfile.ZIP_DEFLATED) as zf:
        for rel, data in wheel_files.items():
            zf.writestr(rel, data)

    # Sdist.
    sdist = dest / f'{norm}-{version}.tar.gz'
    sdist_files = dict(tree_files)
    sdist_files['PKG-INFO'] = metadata
    with tarfile.open(sdist, 'w:gz') as tf:
        for rel, text in sorted(sdist_files.items()):
            data = text.encode('utf-8')
            info = tarfile.TarInfo(f'{norm}-{version}/{rel}')
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            tf.addfile(info, io.BytesIO(data))

    return BuiltDistribution(name, version, tree, wheel, sdist)
