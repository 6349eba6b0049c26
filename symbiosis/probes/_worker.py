"""Run probes inside a target environment: the stdlib-only worker.

This file is executed as a script by the *target environment's*
interpreter (Python 3.8 or newer), never imported by symbiosis's own
process for running probes. It must therefore import nothing but the
standard library; symbiosis's dependencies are never on its path.

Invocation::

    python _worker.py --probes-file F [--select ID]... [--marker M]
    python _worker.py --job -            # a JSON job on stdin
    python _worker.py --job job.json

A job is ``{"probes_file": F, "select": [ID, ...], "marker": M,
"scratch": DIR}``; every key but ``probes_file`` is optional (no
``select``: every probe the worker finds in the file).

Protocol: the worker writes everything to its standard output, merged
with the probes' own output. Each protocol message is one line, preceded
by a newline and written with a single ``write`` call::

    \\n<marker> {"event": "importing"}\\n
    \\n<marker> {"event": "start", "probe_id": ID}\\n
    \\n<marker> {"event": "outcome", "probe_id": ID, "status": ..., ...}\\n
    \\n<marker> {"event": "done"}\\n

``importing`` is written before the probes file is imported; a worker
that dies after it and before the first ``start`` died loading the file.
Bytes between a ``start`` and its ``outcome`` are that probe's output. The
marker is chosen per run by the caller, so a probe cannot forge messages
by accident. Outcome fields are those of :class:`symbiosis.probes.Outcome`
without ``output`` (the caller captures it). A worker that dies leaves a
``start`` without an ``outcome``: the caller reports the probe as an
``error`` and starts a fresh worker for the probes that remain.

To make ``from symbiosis.probes import probe`` work where symbiosis is not
installed, the worker writes a tiny package holding a copy of
``_decorator.py`` into a scratch directory and *appends* it to
``sys.path``: an installed symbiosis still wins, and nothing else of
symbiosis becomes importable.
"""

from __future__ import annotations

import contextlib
import faulthandler
import importlib.util
import json
import os
import sys
import time
import types

# The worker starts once per job: it imports only what every run needs.
# argparse, unittest, inspect, traceback, tempfile and typing cost tens
# of milliseconds together and are imported where (and when) they are
# needed; a probes file that defines no unittest class never loads
# unittest at all.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any
    from typing import Protocol

    class _ResultLike(Protocol):
        status: str
        message: str
        text: str
        error: tuple[Any, Any, Any] | None
        cause: str | None

__all__ = [
    'DEFAULT_MARKER',
    'import_probes_file',
    'install_shim',
    'list_probes',
    'main',
    'outcome_from_exception',
    'run_probe',
]

DEFAULT_MARKER = '@@symbiosis-probe@@'

#: Protocol lines stay below the pipe's atomic write size, so output a
#: probe's stray threads write concurrently cannot split them.
_MAX_LINE = 4000
_MAX_MESSAGE = 1000
_MAX_TRACEBACK = 3000
_PROBE_ATTRIBUTE = '__symbiosis_probe__'
_THIS = os.path.abspath(__file__)
_HERE = os.path.dirname(_THIS)
_SHIM_INIT = '"""Stand-in for symbiosis inside a probe environment."""\n'


class _Emitter:
    """Write protocol lines to file descriptor 1."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def emit(self, message: dict[str, Any]) -> None:
        # Flush what the probe left in Python's buffers first, so its
        # output lands before the message that closes it.
        for stream in (sys.stdout, sys.stderr):
            # A stream the probe closed or replaced is the probe's business.
            with contextlib.suppress(Exception):
                stream.flush()
        line = _encode(self.marker, message)
        os.write(1, line)


def _encode(marker: str, message: dict[str, Any]) -> bytes:
    message = dict(message)
    while True:
        text = json.dumps(message, ensure_ascii=False, sort_keys=True)
        line = ('\n' + marker + ' ' + text + '\n').encode('utf-8', 'replace')
        if len(line) <= _MAX_LINE:
            return line
        shrunk = False
        for key in ('traceback', 'message', 'location'):
            value = message.get(key)
            if isinstance(value, str) and len(value) > 40:
                message[key] = _tail(value, len(value) // 2)
                shrunk = True
                break
        if not shrunk:
            return line


def _tail(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return '...' + text[-limit:]


def _head(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + '...'


def _isolate_path() -> None:
    # Running ``python .../symbiosis/probes/_worker.py`` puts this directory
    # first on sys.path, which would make symbiosis's private modules
    # importable under top-level names in the target environment.
    if sys.path and sys.path[0] and os.path.abspath(sys.path[0]) == _HERE:
        del sys.path[0]


def install_shim(scratch: str) -> str:
    """Make ``symbiosis.probes.probe`` importable from ``scratch``.

    :param scratch: a directory the worker may write to.
    :returns: the directory appended to ``sys.path``.
    """
    root = os.path.join(scratch, 'symbiosis-shim')
    package = os.path.join(root, 'symbiosis', 'probes')
    os.makedirs(package, exist_ok=True)
    with open(os.path.join(_HERE, '_decorator.py'), encoding='utf-8') as fh:
        decorator = fh.read()
    with open(os.path.join(root, 'symbiosis', '__init__.py'), 'w',
              encoding='utf-8') as fh:
        fh.write(_SHIM_INIT)
    with open(os.path.join(package, '__init__.py'), 'w',
              encoding='utf-8') as fh:
        fh.write(decorator)
    if root not in sys.path:
        sys.path.append(root)
    return root


def import_probes_file(path: str) -> types.ModuleType:
    """Import the probes file at ``path`` under a private module name.

    Its directory goes first on ``sys.path`` so it can import helpers that
    sit next to it.
    """
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    stem = os.path.splitext(os.path.basename(path))[0]
    name = '_symbiosis_probes_' + ''.join(
        c if c.isalnum() else '_' for c in stem
    )
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f'cannot load {path} as Python source')
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _unittest() -> types.ModuleType | None:
    """The ``unittest`` module if anything imported it, else ``None``.

    Without it no object can be a ``TestCase`` or a ``SkipTest``, so the
    worker need not import it to tell.
    """
    return sys.modules.get('unittest')


def _location(tb: types.TracebackType | None, path: str, shown: str) -> str:
    import traceback

    frames = traceback.extract_tb(tb)
    if not frames:
        return ''
    path = os.path.abspath(path)
    for frame in reversed(frames):
        if os.path.abspath(frame.filename) == path:
            return f'{shown}:{frame.lineno}'
    frame = frames[-1]
    return f'{frame.filename}:{frame.lineno}'


def _describe(exc: BaseException) -> str:
    import traceback

    text = ''.join(traceback.format_exception_only(type(exc), exc)).strip()
    return _head(text, _MAX_MESSAGE)


def _exception_status(exc: BaseException) -> tuple[str, str | None]:
    """Map an exception raised by a probe to ``(status, cause)``."""
    kind = type(exc)
    loaded = _unittest()
    if loaded is not None and isinstance(exc, loaded.SkipTest):
        return 'skip', None
    # pytest's skip() and fail() raise BaseException subclasses; honour
    # them without importing pytest.
    if kind.__module__.startswith('_pytest'):
        if kind.__name__ == 'Skipped':
            return 'skip', None
        if kind.__name__ == 'Failed':
            return 'fail', None
    if isinstance(exc, (SystemExit, KeyboardInterrupt)):
        return 'error', 'exited'
    if isinstance(exc, Exception):
        return 'fail', None
    return 'error', None


def outcome_from_exception(
    probe_id: str,
    exc: BaseException,
    path: str,
    shown: str,
    duration: float,
) -> dict[str, Any]:
    """Build an outcome message for a probe that raised ``exc``."""
    import traceback

    status, cause = _exception_status(exc)
    tb = exc.__traceback__
    # The worker's own frames say nothing about the probe.
    while tb is not None and os.path.abspath(
            tb.tb_frame.f_code.co_filename) == _THIS:
        tb = tb.tb_next
    message = _describe(exc)
    if isinstance(exc, SystemExit):
        message = f'the probe called sys.exit({exc.code!r})'
    elif status == 'skip':
        message = _head(str(exc), _MAX_MESSAGE)
    lines = traceback.format_exception(type(exc), exc, tb)
    return {
        'event': 'outcome',
        'probe_id': probe_id,
        'status': status,
        'message': message,
        'traceback': '' if status == 'skip' else _tail(
            ''.join(lines), _MAX_TRACEBACK),
        'location': _location(tb, path, shown) or None,
        'duration': duration,
        'cause': cause,
    }


def _call(function: Callable[[], object]) -> None:
    result = function()
    if result is None:
        return
    import inspect

    if inspect.isawaitable(result):
        import asyncio

        async def wait() -> object:
            return await result

        asyncio.run(wait())


_RESULT_CLASS: type[_ResultLike] | None = None


def _result_class() -> type[_ResultLike]:
    """The ``unittest.TestResult`` that records one test (made on first
    use: defining it needs ``unittest``)."""
    global _RESULT_CLASS
    if _RESULT_CLASS is not None:
        return _RESULT_CLASS
    import unittest

    class Result(unittest.TestResult):
        """Record the first non-passing event of a single test."""

        def __init__(self) -> None:
            super().__init__()
            self.status = 'pass'
            self.message = ''
            self.text = ''
            self.error: tuple[Any, Any, Any] | None = None
            self.cause: str | None = None

        def _record(self, status: str, test: object, err: object) -> None:
            if self.status != 'pass':
                return
            self.status = status
            if isinstance(err, tuple) and len(err) == 3:
                exc = err[1]
                self.error = err
                try:
                    # A private helper, stable since Python 2.7: it drops
                    # unittest's own frames from the traceback.
                    self.text = self._exc_info_to_string(  # type: ignore[attr-defined]
                        err, test)
                except Exception:
                    import traceback

                    self.text = ''.join(traceback.format_exception(*err))
                if isinstance(exc, BaseException):
                    self.message = _describe(exc)
                    status, cause = _exception_status(exc)
                    if status == 'error':
                        self.status, self.cause = status, cause
                        if isinstance(exc, SystemExit):
                            self.message = (
                                f'the probe called sys.exit({exc.code!r})'
                            )
            else:
                self.message = _head(str(err), _MAX_MESSAGE)

        def addError(self, test: Any, err: Any) -> None:
            self._record('fail', test, err)

        def addFailure(self, test: Any, err: Any) -> None:
            self._record('fail', test, err)

        def addSubTest(self, test: Any, subtest: Any, err: Any) -> None:
            if err is not None:
                self._record('fail', subtest, err)

        def addSkip(self, test: Any, reason: str) -> None:
            if self.status == 'pass':
                self.status = 'skip'
                self.message = _head(str(reason), _MAX_MESSAGE)

        def addUnexpectedSuccess(self, test: Any) -> None:
            if self.status == 'pass':
                self.status = 'fail'
                self.message = 'unexpected success of an expected failure'

    _RESULT_CLASS = Result
    return Result


def _run_testcase(
    cls: type, method: str
) -> _ResultLike:
    import unittest

    result = _result_class()()
    suite = unittest.TestSuite([cls(method)])
    suite.run(result)  # type: ignore[arg-type]
    return result


def run_probe(
    module: types.ModuleType, probe_id: str, path: str
) -> dict[str, Any]:
    """Run one probe of an imported probes file; return its outcome.

    :param module: the imported probes file.
    :param probe_id: ``file.py::name`` or ``file.py::Class::method``.
    :param path: the probes file, to locate failures in it.
    """
    shown, _, name = probe_id.partition('::')
    parts = name.split('::') if name else []
    started = time.monotonic()
    target: object = module
    for part in parts:
        target = getattr(target, part, None)
        if target is None:
            break
    if not parts or target is None or not callable(target):
        return {
            'event': 'outcome', 'probe_id': probe_id, 'status': 'error',
            'message': f'no probe {name!r} in {shown}',
            'cause': 'not-found', 'duration': 0.0,
        }
    loaded = _unittest()
    if len(parts) == 2 and loaded is not None \
            and isinstance(getattr(module, parts[0]), type) \
            and issubclass(getattr(module, parts[0]), loaded.TestCase):
        result = _run_testcase(getattr(module, parts[0]), parts[1])
        duration = time.monotonic() - started
        outcome = {
            'event': 'outcome', 'probe_id': probe_id,
            'status': result.status, 'message': result.message,
            'traceback': _tail(result.text, _MAX_TRACEBACK),
            'duration': duration, 'cause': result.cause, 'location': None,
        }
        if result.error is not None:
            outcome['location'] = _location(
                result.error[2], path, shown) or None
        return outcome
    try:
        _call(target)
    except BaseException as exc:
        return outcome_from_exception(
            probe_id, exc, path, shown, time.monotonic() - started
        )
    return {
        'event': 'outcome', 'probe_id': probe_id, 'status': 'pass',
        'duration': time.monotonic() - started,
    }


def list_probes(module: types.ModuleType, shown: str) -> list[str]:
    """Return the ids of the probes an imported file defines.

    Used when a job selects nothing: the same rules as static discovery,
    applied to live objects.
    """
    ids = []
    loaded = _unittest()
    for name, value in vars(module).items():
        if loaded is not None and isinstance(value, type) \
                and issubclass(value, loaded.TestCase):
            if value.__module__ != module.__name__:
                continue
            for method in loaded.TestLoader().getTestCaseNames(value):
                ids.append(f'{shown}::{name}::{method}')
        elif (
            isinstance(value, types.FunctionType)
            and value.__module__ == module.__name__
            and (name.startswith('test_') or hasattr(value, _PROBE_ATTRIBUTE))
        ):
            ids.append(f'{shown}::{name}')
    return ids


def _read_job(args: argparse.Namespace) -> dict[str, Any]:
    if args.job:
        if args.job == '-':
            text = sys.stdin.read()
        else:
            with open(args.job, encoding='utf-8') as fh:
                text = fh.read()
        job = json.loads(text)
        if not isinstance(job, dict) or 'probes_file' not in job:
            raise ValueError('a job is a JSON object with "probes_file"')
        return job
    if not args.probes_file:
        raise ValueError('give --probes-file or --job')
    return {
        'probes_file': args.probes_file,
        'select': args.select or [],
        'marker': args.marker,
    }


def _redirect_stdin() -> None:
    # A probe that reads stdin must see end-of-file, not hang on the pipe
    # the job came from.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == '--job':
        # How symbiosis always starts it: no need to load argparse.
        return types.SimpleNamespace(  # type: ignore[return-value]
            job=args[1], probes_file=None, select=None,
            marker=DEFAULT_MARKER)
    import argparse

    parser = argparse.ArgumentParser(
        prog='_worker.py', description='Run symbiosis probes in this Python.'
    )
    parser.add_argument('--probes-file')
    parser.add_argument('--select', action='append', metavar='ID')
    parser.add_argument('--marker', default=DEFAULT_MARKER)
    parser.add_argument('--job', metavar='FILE')
    return parser.parse_args(args)


def main(argv: list[str] | None = None) -> int:
    """Run the worker; return its exit status (``0`` once ``done``)."""
    args = _parse_args(argv)
    try:
        job = _read_job(args)
    except (OSError, ValueError) as err:
        sys.stderr.write(f'_worker.py: error: {err}\n')
        return 2
    _isolate_path()
    _redirect_stdin()
    faulthandler.enable()
    emitter = _Emitter(str(job.get('marker') or DEFAULT_MARKER))
    path = os.path.abspath(job['probes_file'])
    scratch = job.get('scratch')
    own_scratch = None
    if not scratch:
        import tempfile

        own_scratch = tempfile.mkdtemp(prefix='symbiosis-worker-')
        scratch = own_scratch
    try:
        install_shim(scratch)
        selected = list(job.get('select') or [])
        shown = job.get('shown') or (
            selected[0].partition('::')[0] if selected
            else os.path.basename(path))
        started = time.monotonic()
        # Said first: a worker that dies now (os._exit at import) died
        # loading the file, not running a probe.
        emitter.emit({'event': 'importing'})
        try:
            module = import_probes_file(path)
        except BaseException as exc:
            duration = time.monotonic() - started
            for probe_id in selected or [shown]:
                outcome = outcome_from_exception(
                    probe_id, exc, path, shown, duration)
                outcome['status'] = 'error'
                outcome['cause'] = 'import-error'
                location = outcome.get('location')
                if isinstance(exc, SyntaxError) and exc.lineno:
                    location = f'{shown}:{exc.lineno}'
                    outcome['location'] = location
                outcome['message'] = (
                    f"cannot import {location or shown}: {outcome['message']}"
                )
                emitter.emit(outcome)
            emitter.emit({'event': 'done'})
            return 0
        for probe_id in selected or list_probes(module, shown):
            emitter.emit({'event': 'start', 'probe_id': probe_id})
            emitter.emit(run_probe(module, probe_id, path))
        emitter.emit({'event': 'done'})
        return 0
    finally:
        if own_scratch:
            import shutil

            shutil.rmtree(own_scratch, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
