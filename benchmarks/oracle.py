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
"""A dynamic oracle: what really breaks between two releases.

Usage::

    python benchmarks/oracle.py NAME OLD NEW [--python 3.11] [--json FILE]
                                [--timeout SECONDS] [--include-tests]
                                [--data-dir DIR] [--refresh] [--verbose]

Independent of ``symbiosis`` (it never imports it): each release is
installed from the package index in its own uv virtual environment, with
``--exclude-newer`` set to one day after the release's upload, so its
dependencies are those of its time. ``oracle_worker.py`` then runs with
that environment's interpreter, imports every public module and records
what it finds by introspection (:func:`surface`). :func:`diff` lists the
breaks from one surface to the next, judging signatures by running
:meth:`inspect.Signature.bind` on representative calls, and asks the new
release's environment whether each path missing from its surface still
resolves (``importlib.import_module`` and ``getattr``).

Which names are public follows the project's documented rules
(``oracle_worker``'s docstring); whether a change breaks is judged on
what the releases do:

* ``removed``: an OLD path no longer resolves in NEW.
* ``kind``, ``method-kind``, ``call``, ``async``: what a path is, or the
  calls it accepts, changed.
* ``base``: a class's MRO lost a *public* class: one defined outside the
  distribution with no ``_``-prefixed component in its module or
  qualified name, or one of the distribution that OLD's surface records
  as a class. A class is kept when NEW's MRO has one of the same name, or
  when a path by which OLD published it now reaches a class of NEW's MRO
  (a class renamed behind an alias).
* ``abstract``: a class gained abstract methods.
* ``type``: a constant's type changed, unless only its module did, the
  OLD type is private (``_``-prefixed component) or ``object`` (a
  sentinel), or the new value is still an instance of the OLD type (in
  its MRO: ``int`` to an ``IntEnum``). ``enum-value``: a member's value
  changed.

Surfaces, environments and resolutions are cached under
``benchmarks/.data/oracle/`` (``--refresh`` recomputes the surfaces).

As a module (``sys.path.insert(0, benchmarks_dir); import oracle``)::

    old = oracle.surface('click', '8.0.4')
    new = oracle.surface('click', '8.1.0')
    result = oracle.compare(old, new)   # breaks, unknown and counts
    breaks = oracle.diff(old, new)      # the breaks alone
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import contextlib
import datetime
import hashlib
import inspect
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any
import urllib.request

__all__ = ['DATA_DIR', 'broken_calls', 'compare', 'diff', 'ensure_env',
           'exclude_newer', 'find_python', 'introspect', 'main', 'normalise',
           'resolve', 'resolve_in', 'run_worker', 'surface', 'upload_time']

BENCH_DIR = pathlib.Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / '.data' / 'oracle'
WORKER = BENCH_DIR / 'oracle_worker.py'
# Bumped when the surface format changes, so stale caches are recomputed.
FORMAT = 5
DEFAULT_PYTHON = '3.11'
# Seconds the worker may go without finishing a module before its whole
# process group is killed.
DEFAULT_TIMEOUT = 120.0
INSTALL_TIMEOUT = 1800.0
MAX_RESTARTS = 50
INDEX_URL = 'https://pypi.org/simple'

# Bases whose loss breaks nobody.
_IGNORED_BASES = frozenset({'object', 'Generic', 'Protocol'})
_CALLABLE_KINDS = frozenset({'function', 'method', 'classmethod',
                             'staticmethod'})
_METHOD_KINDS = frozenset({'method', 'staticmethod', 'classmethod',
                           'property'})
_NONE_TYPE = 'builtins.NoneType'
_OBJECT_TYPE = 'builtins.object'
# Dunders called with keywords; the others only ever positionally.
_KEYWORD_DUNDERS = frozenset({'__init__', '__call__'})
_UNKNOWN_KEYWORD = 'oracle_unknown_keyword'

Resolver = Callable[[dict[str, str]], dict[str, dict[str, Any]]]


def normalise(name: str) -> str:
    """The PEP 503 normalised form of a distribution name."""
    return re.sub(r'[-_.]+', '-', name).lower()


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- Release date -------------------------------------------------------------

def _index_url() -> str:
    for var in ('UV_DEFAULT_INDEX', 'UV_INDEX_URL', 'PIP_INDEX_URL'):
        value = os.environ.get(var)
        if value:
            return value.rstrip('/')
    return INDEX_URL


def _file_version(filename: str) -> str | None:
    from packaging.utils import InvalidSdistFilename
    from packaging.utils import InvalidWheelFilename
    from packaging.utils import parse_sdist_filename
    from packaging.utils import parse_wheel_filename

    try:
        if filename.endswith('.whl'):
            return str(parse_wheel_filename(filename)[1])
        if filename.endswith(('.tar.gz', '.zip')):
            return str(parse_sdist_filename(filename)[1])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    # Eggs, installers, other archives: NAME-VERSION[-...].EXT
    match = re.match(r'^[^-]+-(\d[^-]*?)(?:-|\.tar\.|\.egg|\.exe|\.msi'
                     r'|\.tgz|\.tbz)', filename)
    return match.group(1) if match else None


def upload_time(name: str, version: str, *, timeout: float = 60.0) -> str:
    """The latest upload time of release ``name==version``'s files.

    Read from the index's JSON simple API (PEP 691/700).

    :raises LookupError: when no file of that version has an upload time.
    """
    from packaging.version import InvalidVersion
    from packaging.version import Version

    url = f'{_index_url()}/{normalise(name)}/'
    request = urllib.request.Request(url, headers={
        'Accept': 'application/vnd.pypi.simple.v1+json'})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data = json.load(response)
    wanted = Version(version)
    times = []
    for file in data.get('files', ()):
        found = _file_version(file.get('filename', ''))
        if found is None or not file.get('upload-time'):
            continue
        try:
            if Version(found) != wanted:
                continue
        except InvalidVersion:
            continue
        times.append(file['upload-time'])
    if not times:
        raise LookupError(f'no file of {name}=={version} with an upload '
                          f'time on {url}')
    return max(times, key=_parse_time).replace('+00:00', 'Z')


def _parse_time(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def exclude_newer(uploaded: str) -> str:
    """The ``--exclude-newer`` date for a release uploaded at ``uploaded``:
    one day later, in RFC 3339 (UTC)."""
    later = _parse_time(uploaded) + datetime.timedelta(days=1)
    return later.astimezone(datetime.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%SZ')


# -- Environments -------------------------------------------------------------

def _uv() -> str:
    found = shutil.which('uv')
    if found:
        return found
    local = pathlib.Path(sys.executable).with_name('uv')
    if local.exists():
        return str(local)
    try:
        import uv  # type: ignore[import-not-found]

        return str(uv.find_uv_bin())
    except (ImportError, FileNotFoundError) as err:
        raise RuntimeError('uv is not installed') from err


def find_python(python: str) -> str:
    """An interpreter for version ``python`` (``3.11``), or ``python``.

    Looks in pyenv's versions first (its shims only run the selected
    versions), then on ``PATH``; falls back to the request itself, which
    uv resolves.
    """
    if os.sep in python:
        return python
    roots = [os.environ.get('PYENV_ROOT'), '~/.pyenv']
    for root in roots:
        if not root:
            continue
        versions = pathlib.Path(root).expanduser() / 'versions'
        if not versions.is_dir():
            continue
        candidates = sorted(
            (v for v in versions.iterdir()
             if v.name == python or v.name.startswith(python + '.')),
            key=lambda v: [int(p) if p.isdigit() else 0
                           for p in v.name.split('.')], reverse=True)
        for candidate in candidates:
            exe = candidate / 'bin' / f'python{python}'
            if not exe.exists():
                exe = candidate / 'bin' / 'python3'
            if exe.exists():
                return str(exe)
    exe = shutil.which(f'python{python}')
    if exe:
        try:
            subprocess.run([exe, '-c', 'pass'], check=True,
                           capture_output=True, timeout=30)
            return exe
        except (OSError, subprocess.SubprocessError):
            pass
    return python


def _env_python(env_dir: pathlib.Path) -> pathlib.Path:
    if os.name == 'nt':
        return env_dir / 'Scripts' / 'python.exe'
    return env_dir / 'bin' / 'python'


def _tail(text: str, limit: int = 1500) -> str:
    text = text.strip()
    return text if len(text) <= limit else '...' + text[-limit:]


def _uv_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ('VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME')}
    env.setdefault('UV_PYTHON_DOWNLOADS', 'never')
    return env


def ensure_env(name: str, version: str, python: str,
               env_dir: pathlib.Path, newer: str | None
               ) -> tuple[pathlib.Path, str | None]:
    """Create (or reuse) the environment of ``name==version``.

    :returns: ``(interpreter, install error or None)``.
    """
    marker = env_dir / '.oracle-env.json'
    exe = _env_python(env_dir)
    if marker.exists() and exe.exists():
        return exe, None
    if env_dir.exists():
        shutil.rmtree(env_dir)
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    uv = _uv()
    env = _uv_env()

    def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd, capture_output=True, text=True, env=env,
                              cwd=env_dir.parent, timeout=INSTALL_TIMEOUT)

    try:
        made = run([uv, 'venv', '--no-project', '--quiet', '--python',
                    find_python(python), str(env_dir)])
        if made.returncode:
            return exe, f'uv venv failed: {_tail(made.stderr)}'
        cmd = [uv, 'pip', 'install', '--python', str(exe)]
        if newer:
            cmd += ['--exclude-newer', newer]
        cmd.append(f'{name}=={version}')
        # Binary wheels first, for this release and its dependencies; an
        # sdist only when some wheel is missing.
        done = run([*cmd, '--only-binary', ':all:'])
        if done.returncode:
            done = run(cmd)
    except subprocess.TimeoutExpired as err:
        return exe, f'install timed out after {err.timeout:.0f}s'
    if done.returncode:
        shutil.rmtree(env_dir, ignore_errors=True)
        return exe, f'uv pip install failed: {_tail(done.stderr)}'
    marker.write_text(json.dumps({'name': name, 'version': version,
                                  'python': python,
                                  'exclude_newer': newer}) + '\n')
    return exe, None


def _freeze(exe: pathlib.Path) -> list[str]:
    try:
        out = subprocess.run([_uv(), 'pip', 'freeze', '--python', str(exe)],
                             capture_output=True, text=True, env=_uv_env(),
                             timeout=120)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(line for line in out.stdout.splitlines() if line.strip())


# -- Running the worker -------------------------------------------------------

def _worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('PYTHON') and k != 'VIRTUAL_ENV'}
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    return env


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _run_once(exe: pathlib.Path, args: list[str], skip: list[str],
              timeout: float) -> tuple[list[dict[str, Any]], str | None]:
    """Run the worker once: ``(its JSON lines, why it stopped early)``.

    It runs in a new session from an empty directory; when its output has
    not grown for ``timeout`` seconds its whole process group is killed.
    """
    with tempfile.TemporaryDirectory(prefix='oracle-') as tmp:
        tmpdir = pathlib.Path(tmp)
        cwd = tmpdir / 'cwd'
        cwd.mkdir()
        out = tmpdir / 'out.jsonl'
        err = tmpdir / 'stderr.txt'
        skip_file = tmpdir / 'skip.txt'
        skip_file.write_text(''.join(f'{m}\n' for m in skip))
        cmd = [os.path.abspath(exe), '-I', '-B', str(WORKER), *args, str(out),
               '--skip-file', str(skip_file)]
        reason = None
        with open(err, 'wb') as err_file:
            proc = subprocess.Popen(cmd, cwd=cwd, env=_worker_env(),
                                    stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL,
                                    stderr=err_file,
                                    start_new_session=True)
            try:
                size, changed = -1, time.monotonic()
                while True:
                    try:
                        proc.wait(timeout=0.05)
                        break
                    except subprocess.TimeoutExpired:
                        pass
                    now = time.monotonic()
                    current = out.stat().st_size if out.exists() else 0
                    if current != size:
                        size, changed = current, now
                    elif now - changed > timeout:
                        _kill_group(proc.pid)
                        proc.wait()
                        reason = (f'timed out: no progress for '
                                  f'{timeout:.0f}s')
                        break
            finally:
                # Children left behind by imported code go too.
                _kill_group(proc.pid)
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        if reason is None and proc.returncode:
            code = proc.returncode
            if code < 0:
                try:
                    what = signal.Signals(-code).name
                except ValueError:
                    what = str(-code)
                reason = f'worker killed by {what}'
            else:
                reason = f'worker exited with status {code}'
            stderr = _tail(err.read_text(errors='replace'), 300)
            if stderr:
                reason += f': {stderr}'
        lines = []
        if out.exists():
            for line in out.read_text(errors='replace').splitlines():
                try:
                    lines.append(json.loads(line))
                except ValueError:
                    continue   # a line cut short by a crash
        return lines, reason


def run_worker(exe: pathlib.Path, args: list[str], *,
               timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Run the worker to the end, restarting it past crashing modules.

    :returns: ``{'header', 'records', 'crashes', 'fatal', 'runs'}``:
        ``records`` are the ``module``/``resolved`` lines; ``crashes``
        lists ``{'module', 'reason'}`` for each module whose import killed
        or hung the worker (skipped on the next run).
    """
    skip: list[str] = []
    header = None
    records: list[dict[str, Any]] = []
    crashes: list[dict[str, str]] = []
    fatal = None
    runs = 0
    while runs <= MAX_RESTARTS:
        runs += 1
        lines, reason = _run_once(exe, args, skip, timeout)
        begun = None
        done = False
        for line in lines:
            kind = line.get('type')
            if kind == 'header' and header is None:
                header = line
            elif kind == 'begin':
                begun = line['module']
            elif kind in ('module', 'resolved'):
                records.append(line)
                skip.append(line['module'])
                begun = None
            elif kind == 'done':
                done = True
            elif kind == 'fatal':
                fatal = line.get('error')
        if done or fatal:
            break
        if begun is None:
            fatal = reason or 'the worker stopped before any module'
            break
        crashes.append({'module': begun,
                        'reason': reason or 'worker stopped'})
        skip.append(begun)
    else:
        fatal = f'gave up after {MAX_RESTARTS} restarts'
    return {'header': header, 'records': records, 'crashes': crashes,
            'fatal': fatal, 'runs': runs}


# -- Surfaces -----------------------------------------------------------------

def _stem(name: str, version: str, python: str) -> str:
    return f'{normalise(name)}-{version}-py{python}'


def _write_json(path: pathlib.Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + '.tmp')
    tmp.write_text(json.dumps(data, sort_keys=True, separators=(',', ':')))
    tmp.replace(path)


def surface(name: str, version: str, *, python: str = DEFAULT_PYTHON,
            data_dir: pathlib.Path | str = DATA_DIR,
            timeout: float = DEFAULT_TIMEOUT, exclude_tests: bool = True,
            refresh: bool = False) -> dict[str, Any]:
    """The public surface of release ``name==version``, by introspection.

    Cached as JSON under ``data_dir``; a surface whose install failed is
    returned with ``install_error`` set and not cached, and so is one whose
    worker failed as a whole (``worker_error``).

    :param python: the interpreter version the release is installed for.
    :param timeout: seconds the worker may spend on one module before its
        process tree is killed and the module recorded as an ``error``.
    :param exclude_tests: skip ``tests``/``test`` packages and
        ``conftest`` modules.
    :param refresh: recompute even when cached (the environment is kept).
    """
    data_dir = pathlib.Path(data_dir)
    stem = _stem(name, version, python)
    cache = data_dir / (stem + ('' if exclude_tests else '-tests') + '.json')
    if refresh:
        # Resolutions against this release were made by the old worker.
        (data_dir / f'{stem}.resolve.json').unlink(missing_ok=True)
    elif cache.exists():
        with contextlib.suppress(ValueError):
            cached = json.loads(cache.read_text())
            if cached.get('format') == FORMAT:
                return cached
    result: dict[str, Any] = {
        'format': FORMAT, 'name': name, 'version': version,
        'python': python, 'python_version': None,
        'exclude_tests': exclude_tests, 'upload_time': None,
        'exclude_newer': None, 'install_error': None, 'worker_error': None,
        'packages': [], 'modules': {}, 'objects': {}, 'crashes': [],
        'seconds': {},
    }
    start = time.perf_counter()
    try:
        result['upload_time'] = upload_time(name, version)
        result['exclude_newer'] = exclude_newer(result['upload_time'])
    except (OSError, LookupError, ValueError) as err:
        _log(f'oracle: no upload time for {name}=={version}: {err}')
    env_dir = data_dir / 'envs' / stem
    exe, error = ensure_env(name, version, python, env_dir,
                            result['exclude_newer'])
    result['seconds']['install'] = round(time.perf_counter() - start, 2)
    if error:
        result['install_error'] = error
        return result
    result['packages'] = _freeze(exe)
    start = time.perf_counter()
    result.update(introspect(exe, name, exclude_tests=exclude_tests,
                             timeout=timeout))
    result['seconds']['worker'] = round(time.perf_counter() - start, 2)
    if not result['worker_error']:
        _write_json(cache, result)
    return result


def introspect(exe: pathlib.Path | str, name: str, *,
               exclude_tests: bool = True,
               timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Run the worker for distribution ``name`` with interpreter ``exe``.

    :returns: the introspected part of a surface: ``modules``,
        ``objects``, ``crashes``, ``worker_error``, ``worker_runs``,
        ``python_version``, ``installed_version``, ``top_level``.
    """
    args = [name]
    if exclude_tests:
        args.append('--exclude-tests')
    run = run_worker(pathlib.Path(exe), args, timeout=timeout)
    header = run['header'] or {}
    modules: dict[str, Any] = {}
    objects: dict[str, Any] = {}
    for record in run['records']:
        modules[record['module']] = {
            'status': record['status'], 'error': record['error'],
            'package': record['package']}
        if record['status'] == 'ok':
            objects.update(record['objects'])
    for crash in run['crashes']:
        modules[crash['module']] = {'status': 'error',
                                    'error': crash['reason'],
                                    'package': None}
    return {
        'python_version': header.get('python'),
        'installed_version': header.get('version'),
        'top_level': header.get('top_level', []),
        'worker_error': run['fatal'], 'worker_runs': run['runs'],
        'crashes': run['crashes'],
        'modules': dict(sorted(modules.items())),
        'objects': dict(sorted(objects.items())),
    }


def resolve(name: str, version: str, paths: dict[str, str], *,
            python: str = DEFAULT_PYTHON,
            data_dir: pathlib.Path | str = DATA_DIR,
            timeout: float = DEFAULT_TIMEOUT) -> dict[str, dict[str, Any]]:
    """Whether each path still resolves in release ``name==version``.

    :param paths: ``{path: module to import}``.
    :returns: ``{path: {'status', 'error', 'record'}}``: status ``ok``
        (``record`` describes the object), ``missing`` (the module or an
        attribute is gone) or ``error`` (the module fails to import for
        another reason, or the worker crashed on it).
    """
    data_dir = pathlib.Path(data_dir)
    stem = _stem(name, version, python)
    cache_file = data_dir / f'{stem}.resolve.json'
    cache: dict[str, dict[str, Any]] = {}
    if cache_file.exists():
        with contextlib.suppress(ValueError):
            stored = json.loads(cache_file.read_text())
            if stored.get('format') == FORMAT:
                cache = stored['paths']
    todo = {p: m for p, m in paths.items()
            if cache.get(p, {}).get('module') != m}
    if todo:
        env_dir = data_dir / 'envs' / stem
        newer = None
        if not (env_dir / '.oracle-env.json').exists():
            newer = _newer_or_none(name, version)
        exe, error = ensure_env(name, version, python, env_dir, newer)
        if error:
            return {p: {'status': 'error', 'error': error, 'record': None,
                        'module': m} for p, m in paths.items()}
        answers, fatal = resolve_in(exe, name, todo, timeout=timeout)
        cache.update(answers)
        if not fatal:
            _write_json(cache_file, {'format': FORMAT, 'paths': cache})
    fallback = {'status': 'error', 'error': 'not resolved', 'record': None}
    return {p: cache.get(p, dict(fallback, module=m))
            for p, m in paths.items()}


def resolve_in(exe: pathlib.Path | str, name: str, paths: dict[str, str],
               *, timeout: float = DEFAULT_TIMEOUT
               ) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Resolve ``{path: module}`` with interpreter ``exe``.

    :returns: ``({path: answer}, fatal worker error or None)``; each
        answer is ``{'status', 'error', 'record', 'module'}``.
    """
    with tempfile.TemporaryDirectory(prefix='oracle-') as tmp:
        paths_file = pathlib.Path(tmp) / 'paths.json'
        paths_file.write_text(json.dumps(sorted(
            [m, p] for p, m in paths.items())))
        run = run_worker(pathlib.Path(exe),
                         [name, '--resolve', str(paths_file)],
                         timeout=timeout)
    answers: dict[str, dict[str, Any]] = {}
    for record in run['records']:
        for path, answer in record['paths'].items():
            answers[path] = dict(answer, module=record['module'])
    for crash in run['crashes']:
        for path, module in paths.items():
            if module == crash['module']:
                answers[path] = {'status': 'error', 'error': crash['reason'],
                                 'record': None, 'module': module}
    return answers, run['fatal']


def _newer_or_none(name: str, version: str) -> str | None:
    try:
        return exclude_newer(upload_time(name, version))
    except (OSError, LookupError, ValueError):
        return None


# -- Calls --------------------------------------------------------------------

class _Arg:
    def __repr__(self) -> str:
        return '...'


_ARG = _Arg()
_DEFAULT = _Arg()


def signature_of(params: list[list[Any]] | None) -> inspect.Signature | None:
    """Rebuild an :class:`inspect.Signature` from recorded parameters."""
    if params is None:
        return None
    try:
        return inspect.Signature([
            inspect.Parameter(
                pname, getattr(inspect.Parameter, kind),
                default=_DEFAULT if has_default else inspect.Parameter.empty)
            for pname, kind, has_default in params])
    except (ValueError, TypeError, AttributeError):
        return None


def _calls(sig: inspect.Signature, keywords: bool = True
           ) -> list[tuple[int, tuple[str, ...]]]:
    """Representative calls OLD accepts: ``(positional count, keywords)``."""
    P = inspect.Parameter
    params = list(sig.parameters.values())
    positional = [p for p in params
                  if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is P.empty]
    required_kw = tuple(p.name for p in params
                        if p.kind is P.KEYWORD_ONLY and p.default is P.empty)
    n_req = len(required)
    calls = [(n_req, required_kw)]
    if keywords:
        for i, p in enumerate(required):
            if p.kind is P.POSITIONAL_OR_KEYWORD:
                calls.append((i, tuple(q.name for q in required[i:])
                              + required_kw))
    for p in params:
        if p.default is P.empty or p.kind in (P.VAR_POSITIONAL,
                                              P.VAR_KEYWORD):
            continue
        if keywords and p.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY):
            calls.append((n_req, (*required_kw, p.name)))
        if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
            calls.append((positional.index(p) + 1, required_kw))
    if any(p.kind is P.VAR_POSITIONAL for p in params):
        calls.append((len(positional) + 1, required_kw))
    if keywords and any(p.kind is P.VAR_KEYWORD for p in params):
        calls.append((n_req, (*required_kw, _UNKNOWN_KEYWORD)))
    return list(dict.fromkeys(calls))


def _binds(sig: inspect.Signature, npos: int,
           keywords: tuple[str, ...]) -> bool:
    try:
        sig.bind(*[_ARG] * npos, **dict.fromkeys(keywords, _ARG))
    except TypeError:
        return False
    return True


def _call_text(label: str, sig: inspect.Signature, npos: int,
               keywords: tuple[str, ...]) -> str:
    names = [p.name for p in sig.parameters.values()
             if p.kind in (inspect.Parameter.POSITIONAL_ONLY,
                           inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    args = [names[i] if i < len(names) else '<extra>' for i in range(npos)]
    args += [('<unknown>' if k == _UNKNOWN_KEYWORD else k) + '=...'
             for k in keywords]
    return f'{label}({", ".join(args)})'


def broken_calls(old: list[list[Any]] | None, new: list[list[Any]] | None,
                 label: str = 'f', keywords: bool = True
                 ) -> dict[str, Any] | None:
    """The representative calls ``old`` accepts and ``new`` rejects.

    An old signature of only ``*args, **kwargs`` forwards whatever it
    gets: which calls it accepted is not known, so nothing is reported.

    :returns: None when nothing breaks or a signature is unknown, else
        ``{'calls', 'keywords', 'positional', 'var_positional',
        'var_keyword'}``.
    """
    old_sig, new_sig = signature_of(old), signature_of(new)
    if old_sig is None or new_sig is None:
        return None
    if {p.kind for p in old_sig.parameters.values()} == {
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD}:
        return None
    broken = [(n, kws) for n, kws in _calls(old_sig, keywords)
              if _binds(old_sig, n, kws) and not _binds(new_sig, n, kws)]
    if not broken:
        return None
    npos_old = sum(1 for p in old_sig.parameters.values()
                   if p.kind in (inspect.Parameter.POSITIONAL_ONLY,
                                 inspect.Parameter.POSITIONAL_OR_KEYWORD))
    names = sorted({k for _, kws in broken for k in kws
                    if k != _UNKNOWN_KEYWORD})
    bad_keywords = []
    for k in names:
        try:
            new_sig.bind_partial(**{k: _ARG})
        except TypeError:
            bad_keywords.append(k)
    # Calls passing only the required keyword-only arguments by keyword:
    # the minimal call and those filling positionals further.
    required_kw = _calls(old_sig, keywords=False)[0][1]
    positional = [n for n, kws in broken if kws == required_kw]
    return {
        'calls': [_call_text(label, old_sig, n, kws) for n, kws in broken],
        'keywords': bad_keywords,
        'positional': min(positional) if positional else None,
        'var_positional': any(n > npos_old for n, _ in broken),
        'var_keyword': any(_UNKNOWN_KEYWORD in kws for _, kws in broken),
    }


# -- Diff ---------------------------------------------------------------------

class _Context:
    """What judging a class record needs to know of the two surfaces.

    :param classes: ``{defined_in: [path, ...]}`` of OLD's class records:
        the paths by which OLD publishes each of its classes.
    :param top_level: the distribution's top-level names.
    :param new_record: NEW's record at a path (from its surface or, for
        OLD paths missing from it, as resolved in NEW), or None.
    """

    def __init__(self, classes: dict[str, list[str]] | None = None,
                 top_level: set[str] | frozenset[str] = frozenset(),
                 new_record: Callable[[str], dict[str, Any] | None]
                 | None = None) -> None:
        self.classes = classes or {}
        self.top_level = top_level
        self.new_record = new_record or (lambda path: None)
        self._now: dict[str, set[str]] = {}

    @classmethod
    def of(cls, old: dict[str, Any],
           new_record: Callable[[str], dict[str, Any] | None] | None = None
           ) -> _Context:
        objects = old.get('objects') or {}
        classes: dict[str, list[str]] = {}
        for path, record in objects.items():
            if record.get('kind') == 'class' and record.get('defined_in'):
                classes.setdefault(record['defined_in'], []).append(path)
        top = set(old.get('top_level') or ())
        top.update(p.split('.', 1)[0] for p in objects)
        return cls(classes, top, new_record)

    def now(self, defined_in: str) -> set[str]:
        """The classes (``defined_in``) that OLD's paths to class
        ``defined_in`` reach in NEW."""
        if defined_in not in self._now:
            found = set()
            for path in self.classes.get(defined_in, ()):
                record = self.new_record(path) or {}
                if record.get('kind') == 'class' and record.get(
                        'defined_in'):
                    found.add(record['defined_in'])
            self._now[defined_in] = found
        return self._now[defined_in]


def _private(module: Any, qualname: Any) -> bool:
    """Whether a class cannot be named: a component starts with ``_``."""
    parts = [*str(module or '').split('.'), *str(qualname or '').split('.')]
    return any(p.startswith('_') for p in parts)


def _internal(entry: list[Any], context: _Context) -> str | None:
    """``module.qualname`` of an MRO entry defined in the distribution."""
    module, qualname = [*entry, None, None][:2]
    if (isinstance(module, str) and isinstance(qualname, str)
            and module.split('.', 1)[0] in context.top_level):
        return f'{module}.{qualname}'
    return None


def _public_base(entry: list[Any], context: _Context) -> bool:
    """Whether MRO entry ``[module, qualname, name]`` is a public class.

    Outside the distribution: no ``_``-prefixed component. Inside: OLD's
    surface records it as a class (at some path).
    """
    module, qualname, name = [*entry, None, None, None][:3]
    if not name or name in _IGNORED_BASES:
        return False
    if not isinstance(module, str) or not isinstance(qualname, str):
        return not name.startswith('_')
    internal = _internal(entry, context)
    if internal is not None:
        return internal in context.classes
    return not _private(module, qualname)


def _lost_bases(old: dict[str, Any], new: dict[str, Any],
                context: _Context) -> list[str]:
    """Names of the public classes of OLD's MRO that NEW's lacks.

    A class counts as kept when NEW's MRO has a class of the same name
    (it may have moved modules), or, for a class of the distribution,
    when a path by which OLD published it reaches in NEW a class of NEW's
    MRO (``Traversible`` became an alias of ``Visitable``).
    """
    mro = [e for e in new.get('mro') or () if e]
    names = {e[2] for e in mro}
    qualified = {_internal(e, context) for e in mro} - {None}
    lost = set()
    for entry in old.get('mro') or ():
        if not entry or entry[2] in names or not _public_base(
                entry, context):
            continue
        internal = _internal(entry, context)
        if internal is not None and context.now(internal) & qualified:
            continue
        lost.add(entry[2])
    return sorted(lost)


def _call_label(path: str) -> str:
    parts = path.split('.')
    if parts[-1] == '__init__' and len(parts) > 1:
        return parts[-2]
    return parts[-1]


def _break(path: str, kind: str, detail: str, **extra: Any
           ) -> dict[str, Any]:
    return {'path': path, 'kind': kind, 'detail': detail, **extra}


def _is_none(record: dict[str, Any]) -> bool:
    return record.get('kind') == 'attribute' and record.get(
        'type') == _NONE_TYPE


def compare_records(path: str, old: dict[str, Any], new: dict[str, Any],
                    context: _Context | None = None
                    ) -> tuple[list[dict[str, Any]], bool]:
    """The breaks at ``path``; and whether they cover everything inside.

    :param context: what is known of the surfaces (:meth:`_Context.of`);
        without it, a base counts as public when no component of its
        module or qualified name starts with ``_``.
    """
    if context is None:
        context = _Context()
    ok, nk = old['kind'], new['kind']
    member = path.rsplit('.', 1)[-1]
    keywords = not (member.startswith('__') and member.endswith('__')
                    and member not in _KEYWORD_DUNDERS)
    label = _call_label(path)
    if ok != nk:
        if {ok, nk} <= {'attribute', 'property'} or _is_none(old):
            return [], False
        if {ok, nk} == {'attribute', 'enum-member'}:
            # Both plain values: only their type can break.
            return _type_break(path, old, new), False
        if ok in _METHOD_KINDS and nk in _METHOD_KINDS:
            return [_break(path, 'method-kind', f'{path} changed from {ok} '
                           f'to {nk}', old_kind=ok, new_kind=nk)], False
        if ok == 'function' and nk == 'class':
            old_sig, new_sig = old.get('signature'), new.get('signature')
            if old_sig is None or new_sig is None:
                return [], False
            calls = broken_calls(old_sig, new_sig, label)
            if calls is None:
                return [], False
            return [_break(path, 'kind', f'{path} became a class whose '
                           f'constructor rejects calls the function '
                           f'accepted', old_kind=ok, new_kind=nk,
                           **calls)], True
        return [_break(path, 'kind', f'{path} changed from {ok} to {nk}',
                       old_kind=ok, new_kind=nk)], True
    breaks = []
    if ok in _CALLABLE_KINDS:
        if bool(old.get('is_async')) != bool(new.get('is_async')):
            now = 'a coroutine' if new.get('is_async') else 'synchronous'
            breaks.append(_break(path, 'async', f'{path} is now {now}',
                                 old_async=bool(old.get('is_async')),
                                 new_async=bool(new.get('is_async'))))
        calls = broken_calls(old.get('signature'), new.get('signature'),
                             label, keywords)
        if calls is not None:
            breaks.append(_break(path, 'call', f'{path} rejects '
                                 f'{len(calls["calls"])} call(s) it '
                                 f'accepted: {calls["calls"][0]}',
                                 **calls))
    elif ok == 'class':
        lost = _lost_bases(old, new, context)
        if lost:
            breaks.append(_break(path, 'base', f'{path} no longer derives '
                                 f'from {", ".join(lost)}', lost=lost))
        added = sorted(set(new.get('abstract') or ())
                       - set(old.get('abstract') or ()))
        if added:
            breaks.append(_break(path, 'abstract', f'{path} has new '
                                 f'abstract methods {", ".join(added)}',
                                 added=added))
    elif ok == 'enum-member':
        if old.get('value') != new.get('value'):
            breaks.append(_break(path, 'enum-value', f'{path} changed value '
                                 f'from {old.get("value")} to '
                                 f'{new.get("value")}',
                                 old_value=old.get('value'),
                                 new_value=new.get('value')))
    elif ok == 'attribute':
        breaks.extend(_type_break(path, old, new))
    return breaks, False


def _type_break(path: str, old: dict[str, Any], new: dict[str, Any]
                ) -> list[dict[str, Any]]:
    """A ``type`` break when a constant changed type (not to/from None).

    None when: the type's qualified name stayed the same (it only moved
    modules); the OLD type is private (no code can name it) or
    ``object`` (a sentinel); the new value is still an instance of the
    OLD type (it is in the new type's MRO: ``int`` to an ``IntEnum``).
    """
    ot, nt = old.get('type'), new.get('type')
    if (not ot or not nt or ot in (nt, _OBJECT_TYPE)
            or _NONE_TYPE in (ot, nt)
            or old.get('type_qualname') == new.get('type_qualname')):
        return []
    module, qualname = _type_parts(old)
    if _private(module, qualname):
        return []
    if [module, qualname] in [list(e)[:2] for e in new.get('type_mro')
                              or () if e]:
        return []
    return [_break(path, 'type', f'{path} changed type from {ot} to '
                   f'{nt}', old_type=ot, new_type=nt)]


def _type_parts(record: dict[str, Any]) -> tuple[str, str]:
    """``(module, qualname)`` of a value record's type."""
    mro = record.get('type_mro')
    if mro and mro[0] and len(mro[0]) >= 2:
        return str(mro[0][0]), str(mro[0][1])
    full = record.get('type') or ''
    qualname = record.get('type_qualname') or ''
    if qualname and full.endswith('.' + qualname):
        return full[:-len(qualname) - 1], qualname
    module, _, name = full.rpartition('.')
    return module, qualname or name


def _depth_key(path: str) -> tuple[int, str]:
    return path.count('.'), path


def _covered(path: str, covered: set[str]) -> bool:
    parts = path.split('.')
    return any('.'.join(parts[:i]) in covered for i in range(1, len(parts)))


def _default_resolver(new: dict[str, Any], data_dir: pathlib.Path | str,
                      timeout: float) -> Resolver:
    def resolver(paths: dict[str, str]) -> dict[str, dict[str, Any]]:
        return resolve(new['name'], new['version'], paths,
                       python=new['python'], data_dir=data_dir,
                       timeout=timeout)
    return resolver


def compare(old: dict[str, Any], new: dict[str, Any], *,
            resolver: Resolver | None = None,
            data_dir: pathlib.Path | str = DATA_DIR,
            timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Diff two surfaces of one distribution.

    :param resolver: answers whether OLD paths missing from NEW's surface
        resolve in NEW (default: run NEW's worker in resolve mode).
    :returns: ``{'breaks', 'unknown', 'compared', 'old_paths',
        'new_paths', 'resolved', 'error'}``; ``unknown`` lists the
        outermost OLD paths that could not be judged, each
        ``{'path', 'reason'}``.
    """
    result: dict[str, Any] = {
        'name': old.get('name'), 'old': old.get('version'),
        'new': new.get('version'), 'python': new.get('python'),
        'breaks': [], 'unknown': [], 'compared': 0,
        'old_paths': len(old.get('objects', {})),
        'new_paths': len(new.get('objects', {})), 'resolved': 0,
        'error': None,
    }
    for label, side in (('old', old), ('new', new)):
        problem = side.get('install_error') or side.get('worker_error')
        if problem:
            result['error'] = f'{label} release: {problem}'
            return result
    old_objs: dict[str, Any] = old['objects']
    new_objs: dict[str, Any] = new['objects']
    new_modules: dict[str, Any] = new.get('modules', {})
    unknown: dict[str, str] = {}
    ask: dict[str, str] = {}
    for path, record in old_objs.items():
        if path in new_objs:
            continue
        module = record.get('module') or path
        status = new_modules.get(module, {}).get('status')
        if status == 'error':
            unknown[path] = ('module fails to import: '
                             f'{new_modules[module].get("error")}')
        else:
            ask[path] = module
    if resolver is None:
        resolver = _default_resolver(new, data_dir, timeout)
    answers = resolver(ask) if ask else {}
    result['resolved'] = len(ask)
    def new_record(path: str) -> dict[str, Any] | None:
        if path in new_objs:
            return new_objs[path]
        answer = answers.get(path) or {}
        return answer.get('record') if answer.get('status') == 'ok' else None

    context = _Context.of(old, new_record)
    covered: set[str] = set()
    breaks: list[dict[str, Any]] = []
    unknown_out: list[dict[str, str]] = []
    for path in sorted(old_objs, key=_depth_key):
        if _covered(path, covered):
            continue
        old_rec = old_objs[path]
        new_rec = new_objs.get(path)
        if new_rec is None:
            if path in unknown:
                unknown_out.append({'path': path, 'reason': unknown[path]})
                covered.add(path)
                continue
            answer = answers.get(path) or {'status': 'error',
                                           'error': 'not resolved'}
            if answer['status'] == 'missing':
                breaks.append(_break(path, 'removed', f'{path} '
                                     f'({old_rec["kind"]}) no longer '
                                     f'resolves', old_kind=old_rec['kind']))
                covered.add(path)
                continue
            if answer['status'] != 'ok' or not answer.get('record'):
                unknown_out.append({'path': path,
                                    'reason': str(answer.get('error'))})
                covered.add(path)
                continue
            new_rec = answer['record']
        result['compared'] += 1
        found, covers = compare_records(path, old_rec, new_rec, context)
        breaks.extend(found)
        if covers:
            covered.add(path)
    result['breaks'] = sorted(breaks, key=lambda b: (b['path'], b['kind']))
    result['unknown'] = unknown_out
    return result


def diff(old: dict[str, Any], new: dict[str, Any], *,
         resolver: Resolver | None = None,
         data_dir: pathlib.Path | str = DATA_DIR,
         timeout: float = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
    """The breaks from surface ``old`` to surface ``new``."""
    return compare(old, new, resolver=resolver, data_dir=data_dir,
                   timeout=timeout)['breaks']


# -- Command line -------------------------------------------------------------

def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True).encode()
    return hashlib.sha256(text).hexdigest()[:12]


def _describe_surface(label: str, s: dict[str, Any]) -> str:
    if s.get('install_error'):
        return f'{label}: INSTALL ERROR {s["install_error"][:300]}'
    mods = s.get('modules', {})
    bad = [m for m, v in mods.items() if v['status'] != 'ok']
    secs = s.get('seconds', {})
    return (f'{label}: {s["name"]} {s["version"]} on Python '
            f'{s.get("python_version")}: {len(mods)} modules '
            f'({len(bad)} not ok), {len(s.get("objects", {}))} paths; '
            f'exclude-newer {s.get("exclude_newer")}; install '
            f'{secs.get("install", 0):.1f}s, worker '
            f'{secs.get("worker", 0):.1f}s')


def _extra(b: dict[str, Any]) -> str:
    skip = {'path', 'kind', 'detail', 'calls'}
    parts = [f'{k}={v}' for k, v in b.items()
             if k not in skip and v not in (None, [], False)]
    return ('  [' + '; '.join(parts) + ']') if parts else ''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('name', help='distribution name')
    parser.add_argument('old', help='the earlier version')
    parser.add_argument('new', help='the later version')
    parser.add_argument('--python', default=DEFAULT_PYTHON,
                        help='interpreter version (default: %(default)s)')
    parser.add_argument('--json', metavar='FILE',
                        help='also write the result as JSON')
    parser.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT,
                        help='seconds a module may take before the worker '
                             'is killed (default: %(default)s)')
    parser.add_argument('--include-tests', action='store_true',
                        help='also import test packages')
    parser.add_argument('--data-dir', default=str(DATA_DIR),
                        help='cache directory (default: %(default)s)')
    parser.add_argument('--refresh', action='store_true',
                        help='recompute the cached surfaces')
    parser.add_argument('--verbose', action='store_true',
                        help='print every broken call and unknown path')
    args = parser.parse_args(argv)

    kw: dict[str, Any] = {'python': args.python, 'data_dir': args.data_dir,
                          'timeout': args.timeout}
    seconds = {}
    surfaces = []
    for label, version in (('old', args.old), ('new', args.new)):
        start = time.perf_counter()
        surfaces.append(surface(args.name, version,
                                exclude_tests=not args.include_tests,
                                refresh=args.refresh, **kw))
        seconds[label] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    result = compare(*surfaces, data_dir=args.data_dir,
                     timeout=args.timeout)
    seconds['diff'] = round(time.perf_counter() - start, 2)
    result['seconds'] = seconds

    for label, s in zip(('old', 'new'), surfaces, strict=True):
        print(_describe_surface(label, s))
        for crash in s.get('crashes', []):
            print(f'    crashed on {crash["module"]}: {crash["reason"]}')
        failed = {m: v['error'] for m, v in s.get('modules', {}).items()
                  if v['status'] != 'ok'}
        for module, error in list(failed.items())[:10]:
            print(f'    {module}: {str(error)[:120]}')
        if len(failed) > 10:
            print(f'    ... and {len(failed) - 10} more modules not ok')
    print(f'times: old {seconds["old"]}s, new {seconds["new"]}s, diff '
          f'{seconds["diff"]}s')
    if result['error']:
        print(f'ERROR: {result["error"]}')
    print(f'{result["compared"]} paths compared ({result["old_paths"]} in '
          f'old, {result["new_paths"]} in new, {result["resolved"]} '
          f'resolved in new), {len(result["unknown"])} unknown, '
          f'{len(result["breaks"])} breaks')
    for b in result['breaks']:
        print(f'  {b["kind"]:12} {b["path"]}{_extra(b)}')
        calls = b.get('calls') or []
        for call in calls if args.verbose else calls[:3]:
            print(f'      {call}')
        if not args.verbose and len(calls) > 3:
            print(f'      ... and {len(calls) - 3} more calls')
    if result['unknown']:
        print('unknown:')
        shown = result['unknown'] if args.verbose else result['unknown'][:20]
        for u in shown:
            print(f'  {u["path"]}: {u["reason"][:120]}')
        if len(shown) < len(result['unknown']):
            print(f'  ... and {len(result["unknown"]) - len(shown)} more')
    if args.json:
        result['surfaces'] = {
            s['version']: {k: s.get(k) for k in (
                'python_version', 'upload_time', 'exclude_newer',
                'install_error', 'worker_error', 'crashes', 'packages',
                'seconds')} | {'digest': _digest(s.get('objects'))}
            for s in surfaces}
        pathlib.Path(args.json).write_text(
            json.dumps(result, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
