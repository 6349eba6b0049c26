"""Which interpreter a ``--python X.Y`` means.

A version is looked up the same way whichever interpreter runs
symbiosis: the running interpreter itself when it is that version, else
the first ``pythonX.Y`` on ``PATH`` that starts and says it is that
version. Version managers (pyenv, asdf, mise) put *shims* on ``PATH``:
small scripts that start whichever interpreter the manager selects, or
fail when it selects none of that version. So each candidate is asked, in
a subprocess, for its version and ``sys.executable`` -- the real
interpreter behind a shim -- and a shim that fails is passed over rather
than handed to the installer.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
import os
import re
import sys

from symbiosis._process import run_command

__all__ = ['InterpreterFinder', 'distinct_interpreters']

#: Seconds an interpreter may take to say what it is (a shim of a
#: version manager starts a shell first).
_QUERY_TIMEOUT = 30.0

_VERSION = re.compile(r'(\d+)\.(\d+)')

_QUERY = 'import sys; print(sys.executable); print(*sys.version_info[:2])'


class InterpreterFinder:
    """Finds interpreters by version, asking each candidate once.

    :param environ: the environment whose ``PATH`` is searched (default:
        this process's).
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._found: dict[str, str | None] = {}
        self._asked: dict[str, tuple[str, tuple[int, int]] | None] = {}

    def find(self, python: str) -> str | None:
        """The interpreter of version ``python`` (``3.12``), else ``None``.

        ``None`` too when ``python`` is not an ``X.Y`` version: an
        installer may know what to do with it.
        """
        if python not in self._found:
            self._found[python] = self._search(python)
        return self._found[python]

    def _search(self, python: str) -> str | None:
        match = _VERSION.fullmatch(python)
        if match is None:
            return None
        wanted = (int(match[1]), int(match[2]))
        if sys.version_info[:2] == wanted and sys.executable:
            return sys.executable
        for directory in self._environ.get('PATH', '').split(os.pathsep):
            candidate = os.path.join(directory or '.', f'python{python}')
            if not os.access(candidate, os.X_OK) or os.path.isdir(candidate):
                continue
            answer = self._ask(candidate)
            if answer is not None and answer[1] == wanted:
                return answer[0]
        return None

    def identify(self, python: str) -> str | None:
        """Where the interpreter ``python`` names really is (a version
        or a path; its ``sys.executable``), else ``None``."""
        if _VERSION.fullmatch(python):
            found = self.find(python)
        elif os.path.isfile(python) and os.access(python, os.X_OK):
            answer = self._ask(python)
            found = answer[0] if answer is not None else None
        else:
            return None
        return os.path.normcase(os.path.abspath(found)) if found else None

    def _ask(self, candidate: str) -> tuple[str, tuple[int, int]] | None:
        """``(sys.executable, (major, minor))`` of ``candidate``, or
        ``None`` when it does not start or answers nonsense."""
        if candidate not in self._asked:
            self._asked[candidate] = _query(candidate, self._environ)
        return self._asked[candidate]


def _query(
    candidate: str, environ: Mapping[str, str],
) -> tuple[str, tuple[int, int]] | None:
    # -I: no user site, no PYTHON* variables, no current directory.
    result = run_command([candidate, '-I', '-c', _QUERY], env=environ,
                         timeout=_QUERY_TIMEOUT, output_limit=4096)
    if result.returncode != 0:
        return None
    # The last two lines: a shim may warn before the interpreter starts.
    lines = result.output.strip().splitlines()[-2:]
    if len(lines) != 2:
        return None
    executable = lines[0].strip()
    parts = lines[1].split()
    if not executable or len(parts) != 2 or not all(
        p.isdigit() for p in parts
    ):
        return None
    return executable, (int(parts[0]), int(parts[1]))


def distinct_interpreters(
    pythons: Sequence[str], finder: InterpreterFinder | None = None,
) -> tuple[str, ...]:
    """``pythons`` less those naming an interpreter named before: a
    version and the path of the interpreter it means are one (the first
    name given is kept).
    """
    unique = tuple(dict.fromkeys(pythons))
    if len(unique) < 2:
        return unique
    finder = finder or InterpreterFinder()
    seen: set[str] = set()
    kept = []
    for python in unique:
        identity = finder.identify(python) or python
        if identity not in seen:
            seen.add(identity)
            kept.append(python)
    return tuple(kept)
