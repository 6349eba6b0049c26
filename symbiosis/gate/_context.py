"""What a gate run records about where it ran, for reports made later.

A bug report filed upstream needs facts the results alone do not hold:
the platform and Python the gate ran on, where the upstream takes bug
reports (its metadata's ``Project-URL`` and ``Home-page``) and which file
each probe came from. :func:`gate_context` gathers them when the run ends
(nothing runs, nothing is imported: files are read) into the report's
``context``; :func:`read_project_urls` and :func:`environment_python` read
the same facts back from an environment still in the cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
import email.parser
import os
import pathlib
import platform
import shlex
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from symbiosis.gate._model import EnvironmentInfo
    from symbiosis.probes._model import Probe

__all__ = [
    'environment_python',
    'gate_context',
    'metadata_urls',
    'read_project_urls',
]

#: The key under which ``Home-page`` is kept with the ``Project-URL``s.
HOME_PAGE = 'Home-page'


def metadata_urls(text: str) -> dict[str, str]:
    """The ``Project-URL`` entries (``label -> URL``) and ``Home-page`` of
    core metadata (``METADATA`` or ``PKG-INFO`` text)."""
    message = email.parser.HeaderParser().parsestr(text)
    urls: dict[str, str] = {}
    for value in message.get_all('Project-URL') or ():
        label, sep, url = str(value).partition(',')
        if sep and url.strip():
            urls.setdefault(label.strip(), url.strip())
    home = str(message.get('Home-page') or '').strip()
    if home and home.upper() != 'UNKNOWN':
        urls.setdefault(HOME_PAGE, home)
    return urls


def _site_packages(root: pathlib.Path) -> list[pathlib.Path]:
    return [*root.glob('lib/python*/site-packages'),
            root / 'Lib' / 'site-packages']


def read_project_urls(
    env_path: str | os.PathLike[str], name: str
) -> dict[str, str] | None:
    """The project URLs of distribution ``name`` installed in the
    environment at ``env_path``; ``None`` when it is not there."""
    from packaging.utils import canonicalize_name

    wanted = canonicalize_name(name)
    for site in _site_packages(pathlib.Path(env_path)):
        for info in site.glob('*.dist-info'):
            dist = info.name[:-len('.dist-info')].partition('-')[0]
            if canonicalize_name(dist) != wanted:
                continue
            try:
                text = (info / 'METADATA').read_text(encoding='utf-8')
            except (OSError, UnicodeDecodeError):
                return None
            return metadata_urls(text)
    return None


def environment_python(env_path: str | os.PathLike[str]) -> str | None:
    """The Python version of the environment at ``env_path``, read from
    its ``pyvenv.cfg``; ``None`` when it cannot be read."""
    try:
        text = (pathlib.Path(env_path) / 'pyvenv.cfg').read_text(
            encoding='utf-8')
    except (OSError, UnicodeDecodeError):
        return None
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition('=')
        if sep:
            values[key.strip()] = value.strip()
    return values.get('version_info') or values.get('version') or None


def _probe_entry(probe: Probe) -> dict[str, Any]:
    entry: dict[str, Any] = {'kind': probe.kind}
    if probe.source:
        entry['source'] = probe.source
    argv = probe.data.get('argv')
    if isinstance(argv, list) and argv:
        entry['command'] = shlex.join(str(a) for a in argv)
    if probe.data.get('cwd'):
        entry['cwd'] = str(probe.data['cwd'])
    return entry


def gate_context(
    upstream: str,
    environments: Iterable[EnvironmentInfo],
    probes: Mapping[str | None, Iterable[Probe]],
) -> dict[str, Any]:
    """The report's ``context``: ``platform``, ``python`` (the gate's
    own), ``project_urls`` (of the candidate, else the baseline, as
    installed) and ``probes`` (``id -> {kind, source, command, cwd}``)."""
    urls: dict[str, str] = {}
    for env in sorted(environments, key=lambda e: e.side != 'candidate'):
        if env.path and not env.error:
            found = read_project_urls(env.path, upstream)
            if found is not None:
                urls = found
                break
    entries: dict[str, dict[str, Any]] = {}
    for members in probes.values():
        for probe in members:
            entry = _probe_entry(probe)
            if entries.setdefault(probe.id, entry) != entry:
                # The same command in several downstreams: each runs in
                # its own directory, which the result's downstream names.
                entries[probe.id].pop('cwd', None)
    return {
        'platform': platform.platform(),
        'python': platform.python_version(),
        'project_urls': urls,
        'probes': entries,
    }
