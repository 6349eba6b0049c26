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
"""Run a consumer module one top-level statement at a time.

Usage (with the interpreter of the environment to test)::

    python usage_truth_runner.py CONSUMER.py IMPORT_NAME...

Standard library only: it runs inside each upstream release's own
environment. Every top-level statement is compiled on its own (with the
consumer's file name, so line numbers are the file's) and executed in one
shared namespace inside its own ``try``; a statement that raises does not
stop the next. For each failure it prints, as one JSON line after
:data:`MARK`, the line of the consumer where the exception surfaced
(the innermost frame in the consumer's file: the calling line for an
error raised inside the upstream, the line inside a method for one raised
there), the statement's
first line, the exception type, its message, and whether static analysis
could see it coming (``static``): an error raised by the consumer's own
line (not inside the upstream) that is an ``ImportError``, a
``NameError``, an ``AttributeError`` on one of the upstream's modules,
classes or instances, or a ``TypeError`` binding a call's arguments.
Anything else (a value of another type, an error raised inside the
upstream) is a change of behaviour.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import traceback
import types
import warnings


def _consumer_line(err: BaseException, filename: str, default: int) -> int:
    line = default
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == filename and frame.lineno is not None:
            line = frame.lineno
    if isinstance(err, SyntaxError) and err.filename == filename:
        line = err.lineno or line
    return line


#: Prefix of the runner's own output lines (the consumer prints too).
MARK = '@@usage-truth '

_CALL_ERRORS = re.compile(
    r'unexpected keyword argument|positional argument|required '
    r'(?:positional|keyword-only) argument|multiple values for argument'
    r'|takes no arguments|takes no keyword arguments')


def _upstream_object(obj: object, names: list[str]) -> bool:
    if isinstance(obj, types.ModuleType):
        module = obj.__name__
    elif isinstance(obj, type):
        module = obj.__module__
    else:
        module = type(obj).__module__
    return module.partition('.')[0] in names


def _static(err: BaseException, path: str, names: list[str],
            failed_imports: set[str]) -> bool:
    frames = traceback.extract_tb(err.__traceback__)
    if not frames or frames[-1].filename != path:
        return False  # raised inside the upstream: behaviour
    if isinstance(err, ImportError):
        return True
    if isinstance(err, NameError):
        # A name a failed import did not bind; a name another failed
        # statement did not bind is the echo of that failure.
        return getattr(err, 'name', None) in failed_imports
    if isinstance(err, AttributeError):
        return _upstream_object(getattr(err, 'obj', None), names)
    if isinstance(err, TypeError):
        return bool(_CALL_ERRORS.search(str(err)))
    return False


def main(path: str, names: list[str]) -> int:
    warnings.simplefilter('ignore')
    with open(path, encoding='utf-8') as stream:
        source = stream.read()
    tree = ast.parse(source, path)
    namespace: dict[str, object] = {'__name__': 'consumer'}
    failed_imports: set[str] = set()
    for stmt in tree.body:
        code = compile(ast.Module(body=[stmt], type_ignores=[]), path,
                       'exec')
        try:
            exec(code, namespace)
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt):
                raise
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                failed_imports.update(
                    (a.asname or a.name).partition('.')[0]
                    for a in stmt.names)
            print(MARK + json.dumps({
                'line': _consumer_line(err, path, stmt.lineno),
                'statement': stmt.lineno,
                'type': type(err).__name__,
                'message': str(err)[:300],
                'static': _static(err, path, names, failed_imports),
            }), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2:]))
