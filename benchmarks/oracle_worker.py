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
"""Record the public surface of an installed distribution by importing it.

Usage (with the interpreter of the environment the distribution is
installed in; :mod:`oracle` runs it)::

    python -I -B oracle_worker.py DIST OUTPUT.jsonl [--exclude-tests]
        [--skip MODULE ...] [--skip-file FILE] [--resolve PATHS_FILE]

Standard library only, for Python 3.8 to 3.13. It never imports anything of
the project it lives in.

Surface mode (the default) lists the distribution's public modules from
its installed files, imports each one and writes, as soon as a module is
done, one JSON line with every public object reachable from it (module
level names, class members, nested classes). Before each module it writes
a ``begin`` line, so that when an import crashes the interpreter or hangs,
the driver knows which module did it, keeps the lines already written and
runs the worker again with that module skipped.

Resolve mode (``--resolve PATHS_FILE``, a JSON list of ``[module, path]``)
answers, for each path, whether a user can still reach it: the module
imports and the attributes after it ``getattr``; when it resolves, the
object is described with the same record as in surface mode.

Output lines (one JSON object each, ``type`` first):

* ``{"type": "header", "dist", "version", "python", "modules",
  "top_level", "mode"}``
* ``{"type": "begin", "module"}``
* surface mode: ``{"type": "module", "module", "status", "error",
  "package", "objects": {path: record}}``
* resolve mode: ``{"type": "resolved", "module", "status", "error",
  "paths": {path: {"status", "error", "record"}}}``
* ``{"type": "done"}`` at the end, or ``{"type": "fatal", "error"}``.

Which module-level names are public follows the project's rules: the
names in ``__all__`` when the module has one; otherwise the names without
a leading underscore, minus submodules, ``__future__`` features and
imports:

* in a package ``__init__``, classes and callables defined outside the
  distribution (imported from the standard library or other
  distributions) are left out; everything else is kept;
* in a plain module, the module's source (``__file__``, a ``.py`` file)
  is parsed with :mod:`ast`: a name bound at module level only by
  ``import``/``from ... import`` statements (inside ``if``/``try``/
  ``with``/loop blocks too, not inside functions or classes) is an
  implementation detail and left out, whatever the object; the explicit
  re-export idioms ``import x as x``, ``from y import x as x`` and ``from
  . import x`` stay public, and so does any name the module also binds by
  a definition or an assignment (``HAS_SNI = False`` then ``from ssl
  import HAS_SNI``), whatever its ``__module__``. Names the source does
  not bind (``from x import *``, ``globals()`` updates), and every name
  when the source cannot be read or parsed, follow the package rule but
  also leave out classes and callables whose ``__module__`` is not the
  module itself.

Records (``{path: record}``; ``kind`` is ``module``, ``class``,
``function``, ``method``, ``classmethod``, ``staticmethod``,
``property``, ``attribute`` or ``enum-member``):

* ``defined_in``: where the object was defined, ``module.qualname``
  (``None`` when unknown). A class member inherited from a class outside
  the distribution has ``defined_in`` starting with that class,
  ``module.qualname.member`` of the first class of the MRO whose
  ``__dict__`` holds it (``builtins.dict.items`` on a class deriving from
  ``dict``), so that a member lost because the class no longer derives
  from that base can be told from one removed on its own.
* classes: ``signature`` (of calling the class), ``mro`` (``[module,
  qualname, name]`` of each class of ``__mro__``), ``abstract`` (sorted
  abstract method names).
* callables: ``signature`` (``[name, kind, has default]`` of each
  parameter, the bound one dropped for methods), ``is_async``.
* ``attribute`` and ``enum-member``: ``type`` (``module.qualname`` of the
  value's type), ``type_qualname`` and ``type_mro`` (``[module,
  qualname]`` of each class of the type's ``__mro__``); enum members also
  have ``value`` (its ``repr``).
* class members also include the instance attributes a class declares by
  annotation in its body or a base's (``columns: ColumnCollection``):
  ``attribute`` records with ``declared: true``. They exist on instances
  though ``getattr`` on the class fails, so turning a class-level
  placeholder (``columns = None``) into a declaration removes nothing;
  resolve mode answers the same for them.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import enum
import functools
import importlib
import importlib.metadata
import inspect
import json
import os
import platform
import re
import sys
import traceback
import types
from typing import Any
import warnings

# Dunder members recorded on classes (all other members starting with an
# underscore are private).
KEPT_DUNDERS = frozenset({
    '__init__', '__call__', '__enter__', '__exit__', '__aenter__',
    '__aexit__', '__iter__', '__aiter__', '__next__', '__anext__',
    '__len__', '__getitem__', '__setitem__', '__delitem__', '__contains__',
    '__await__', '__bool__', '__hash__', '__eq__', '__lt__', '__le__',
    '__gt__', '__ge__',
})
# Version metadata, never part of the API.
VERSION_NAMES = frozenset({
    'VERSION', 'version_info', '__version_tuple__', '__version__',
})
MAX_CLASS_DEPTH = 3
REPR_LIMIT = 200
ERROR_LIMIT = 500
EXTENSION_SUFFIXES = ('.so', '.pyd')

_MISSING = object()
_ADDRESS = re.compile(r' at 0x[0-9a-fA-F]+')


def _text(value: Any, limit: int = ERROR_LIMIT) -> str:
    try:
        text = str(value)
    except BaseException:
        text = '<unprintable>'
    return text[:limit]


def _error(err: BaseException) -> str:
    return _text(f'{type(err).__name__}: {_text(err)}')


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException as err:
        text = f'<repr failed: {type(err).__name__}>'
    return _ADDRESS.sub('', text)[:REPR_LIMIT]


def _type_name(value: Any) -> tuple[str, str]:
    cls = type(value)
    module = getattr(cls, '__module__', None) or '?'
    qualname = getattr(cls, '__qualname__', None) or cls.__name__
    return f'{module}.{qualname}', qualname


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    try:
        return getattr(obj, name, default)
    except BaseException:
        return default


def _is_class(obj: Any) -> bool:
    try:
        return inspect.isclass(obj)
    except BaseException:
        return False


def _callable(obj: Any) -> bool:
    try:
        return callable(obj)
    except BaseException:
        return False


def _defined_in(obj: Any) -> str | None:
    module = _attr(obj, '__module__')
    qualname = _attr(obj, '__qualname__')
    if isinstance(module, str) and isinstance(qualname, str):
        return f'{module}.{qualname}'
    return None


# -- Modules of the distribution ----------------------------------------------

def _module_of(parts: tuple[str, ...]) -> tuple[tuple[str, ...], bool] | None:
    """The dotted module a file installs, and whether it is a package."""
    if not parts:
        return None
    name = parts[-1]
    if name.endswith('.py'):
        stem = name[:-3]
    elif name.endswith(EXTENSION_SUFFIXES):
        stem = name.split('.', 1)[0]
    else:
        return None
    dirs = parts[:-1]
    if not all(d.isidentifier() for d in dirs) or not stem.isidentifier():
        return None
    if stem == '__init__':
        return (dirs, True) if dirs else None
    return (*dirs, stem), False


def dist_modules(dist: Any) -> tuple[dict[str, bool], list[str]]:
    """Every importable module the distribution installs.

    :returns: ``({dotted name: is package}, sorted top-level names)``,
        private modules included.
    """
    found: dict[tuple[str, ...], bool] = {}
    for file in dist.files or ():
        parts = tuple(str(file).replace('\\', '/').split('/'))
        if '__pycache__' in parts:
            continue
        module = _module_of(parts)
        if module is None:
            continue
        found[module[0]] = found.get(module[0], False) or module[1]
    packages = {m for m, is_pkg in found.items() if is_pkg}
    modules: dict[str, bool] = {}
    for parts, is_pkg in found.items():
        # Once inside a regular package, every directory on the way must
        # be a package too (data folders are not importable API); above
        # it, directories are namespace packages.
        inside = False
        ok = True
        for i in range(1, len(parts)):
            if parts[:i] in packages:
                inside = True
            elif inside:
                ok = False
                break
        if ok:
            modules['.'.join(parts)] = is_pkg
    top = sorted({m.split('.', 1)[0] for m in modules})
    return modules, top


def is_public_module(name: str, exclude_tests: bool) -> bool:
    """Whether ``name`` is public (and not a test module if excluded)."""
    parts = name.split('.')
    if any(p.startswith('_') for p in parts):
        return False
    return not (exclude_tests
                and any(p in ('tests', 'test', 'conftest') for p in parts))


# -- Object records -----------------------------------------------------------

def _announced(obj: Any, sig: inspect.Signature) -> inspect.Signature:
    """The signature a call really binds to, when a wrapper only
    *announces* another one.

    Deprecation wrappers that make parameters keyword-only in the future
    (matplotlib's ``_api.make_keyword_only``, pandas'
    ``deprecate_nonkeyword_arguments``) set ``__signature__`` to the
    future signature but still pass positional arguments through to the
    wrapped function. When a ``__signature__`` override names the same
    parameters as the wrapped function in other kinds, the wrapped
    function's signature is what calls bind to.
    """
    try:
        if '__signature__' not in vars(obj) or not hasattr(
                obj, '__wrapped__'):
            return sig
        inner = inspect.signature(inspect.unwrap(obj))
    except BaseException:
        return sig
    if [p.name for p in inner.parameters.values()] == [
            p.name for p in sig.parameters.values()]:
        return inner
    return sig


def _signature(obj: Any, drop_first: bool = False) -> list[list[Any]] | None:
    try:
        sig = _announced(obj, inspect.signature(obj))
    except BaseException:
        return None
    params = list(sig.parameters.values())
    if drop_first and params and params[0].kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD):
        params = params[1:]
    return [[p.name, p.kind.name, p.default is not inspect.Parameter.empty]
            for p in params]


def _is_async(obj: Any) -> bool:
    try:
        return bool(inspect.iscoroutinefunction(obj))
    except BaseException:
        return False


def _type_mro(value: Any) -> list[list[Any]]:
    """``[module, qualname]`` of each class of ``type(value).__mro__``."""
    out = []
    try:
        for klass in type(value).__mro__:
            out.append([_attr(klass, '__module__'),
                        _attr(klass, '__qualname__')
                        or _attr(klass, '__name__')])
    except BaseException:
        return out
    return out


def _value_record(value: Any, kind: str = 'attribute') -> dict[str, Any]:
    full, qualname = _type_name(value)
    return {'kind': kind, 'type': full, 'type_qualname': qualname,
            'type_mro': _type_mro(value), 'defined_in': None}


def _class_record(cls: Any) -> dict[str, Any]:
    mro = []
    try:
        for klass in inspect.getmro(cls):
            mro.append([_attr(klass, '__module__'),
                        _attr(klass, '__qualname__'),
                        _attr(klass, '__name__')])
    except BaseException:
        mro = []
    abstract = _attr(cls, '__abstractmethods__', ()) or ()
    try:
        abstract = sorted(str(a) for a in abstract)
    except BaseException:
        abstract = []
    return {'kind': 'class', 'signature': _signature(cls), 'is_async': False,
            'mro': mro, 'abstract': abstract, 'defined_in': _defined_in(cls)}


def _function_record(obj: Any, kind: str = 'function',
                     drop_first: bool = False) -> dict[str, Any]:
    return {'kind': kind, 'signature': _signature(obj, drop_first),
            'is_async': _is_async(obj), 'defined_in': _defined_in(obj)}


def describe(obj: Any) -> dict[str, Any]:
    """The record of a module-level object."""
    if isinstance(obj, types.ModuleType):
        return {'kind': 'module', 'defined_in': _attr(obj, '__name__')}
    if _is_class(obj):
        return _class_record(obj)
    if _callable(obj):
        return _function_record(obj)
    return _value_record(obj)


def _is_enum_member(cls: Any, name: str) -> bool:
    try:
        return issubclass(cls, enum.Enum) and name in cls.__members__
    except BaseException:
        return False


def _owner(cls: Any, name: str) -> Any:
    """The first class of ``cls``'s MRO whose ``__dict__`` holds ``name``."""
    try:
        mro = inspect.getmro(cls)
    except BaseException:
        return None
    for klass in mro:
        namespace = _attr(klass, '__dict__')
        try:
            if namespace is not None and name in namespace:
                return klass
        except BaseException:
            continue
    return None


def describe_member(cls: Any, name: str,
                    top_level: frozenset[str] | set[str] = frozenset()
                    ) -> dict[str, Any]:
    """The record of member ``name`` of class ``cls``, as users see it.

    :param top_level: the distribution's top-level names; when given, a
        member inherited from a class defined outside them has
        ``defined_in`` ``module.qualname.name`` of that class.

    A member that has no definition site of its own (a plain value, a
    slot, an enum member) gets ``module.qualname.name`` of the class in
    the MRO whose namespace holds it, so the same inherited attribute
    reached through many subclasses is recognisably one.
    """
    record = _describe_member(cls, name)
    owner = _owner(cls, name)
    module = _attr(owner, '__module__')
    qualname = _attr(owner, '__qualname__')
    if (owner is None or not isinstance(module, str)
            or not isinstance(qualname, str)):
        return record
    external = bool(top_level) and module.split('.', 1)[0] not in top_level
    if external or record.get('defined_in') is None or (
            record.get('kind') == 'enum-member'):
        record['defined_in'] = f'{module}.{qualname}.{name}'
    return record


def _describe_member(cls: Any, name: str) -> dict[str, Any]:
    if _is_enum_member(cls, name):
        try:
            value = _safe_repr(cls.__members__[name].value)
        except BaseException as err:
            value = f'<value failed: {type(err).__name__}>'
        member = _attr(cls, name)
        full, qualname = _type_name(member)
        return {'kind': 'enum-member', 'value': value, 'type': full,
                'type_qualname': qualname, 'type_mro': _type_mro(member),
                'defined_in': _defined_in(cls)}
    try:
        raw = inspect.getattr_static(cls, name, _MISSING)
    except BaseException:
        raw = _MISSING
    if name == '__init__':
        # What calling the class accepts, whatever __new__/__init__ say.
        record = _function_record(raw, 'method')
        record['signature'] = _signature(cls)
        try:
            announced = '__signature__' in vars(raw)
        except BaseException:
            announced = False
        if announced:
            record['signature'] = _signature(raw, drop_first=True)
        record['is_async'] = False
        return record
    if isinstance(raw, staticmethod):
        return _function_record(_attr(raw, '__func__'), 'staticmethod')
    if isinstance(raw, classmethod):
        func = _attr(raw, '__func__')
        record = _function_record(func, 'classmethod', drop_first=True)
        return record
    if isinstance(raw, types.ClassMethodDescriptorType):
        return _function_record(raw, 'classmethod', drop_first=True)
    if isinstance(raw, (property, functools.cached_property,
                        types.GetSetDescriptorType)):
        return {'kind': 'property', 'defined_in': _defined_in(
            _attr(raw, 'fget') or _attr(raw, 'func'))}
    if isinstance(raw, types.MemberDescriptorType):
        return {'kind': 'attribute', 'type': None, 'type_qualname': None,
                'defined_in': None}
    if raw is _MISSING:
        try:
            value = getattr(cls, name)
        except BaseException:
            return {'kind': 'attribute', 'type': None, 'type_qualname': None,
                    'defined_in': None}
        return _value_record(value)
    if _is_class(raw):
        return _class_record(raw)
    if isinstance(raw, functools.partialmethod):
        return _function_record(_attr(cls, name), 'method', drop_first=True)
    has_get = _attr(type(raw), '__get__') is not None
    if _callable(raw) and has_get:
        # Functions and method descriptors: bound to the instance.
        return _function_record(raw, 'method', drop_first=True)
    if has_get and not _callable(raw):
        # Another descriptor computing a value: property-like.
        return {'kind': 'property', 'defined_in': _defined_in(raw)}
    if inspect.isroutine(raw) or isinstance(raw, functools.partial):
        # Builtin functions and partials stored on a class are not bound.
        return _function_record(raw, 'staticmethod')
    return _value_record(raw)


def _declared(cls: Any) -> dict[str, str]:
    """Instance attributes a class declares by annotation (``columns:
    ColumnCollection``) in its body or a base's: they exist on instances,
    though ``getattr`` on the class fails. Name -> defining class."""
    found: dict[str, str] = {}
    try:
        mro = inspect.getmro(cls)
    except BaseException:
        return found
    for klass in mro:
        try:
            annotations = vars(klass).get('__annotations__') or {}
            names = [n for n in annotations if isinstance(n, str)]
        except BaseException:
            continue
        owner = f'{_attr(klass, "__module__")}.{_attr(klass, "__qualname__")}'
        for name in names:
            found.setdefault(name, owner)
    return found


def _declared_record(owner: str, name: str) -> dict[str, Any]:
    return {'kind': 'attribute', 'type': None, 'type_qualname': None,
            'declared': True, 'defined_in': f'{owner}.{name}'}


def class_members(cls: Any, prefix: str, depth: int,
                  cache: dict[tuple[int, int], Any],
                  top_level: frozenset[str] | set[str] = frozenset()
                  ) -> dict[str, dict[str, Any]]:
    """Records of the public members of ``cls`` under ``prefix``."""
    key = (id(cls), depth)
    if key not in cache:
        # The class is kept in the entry so that its id stays unique.
        cache[key] = (cls, _relative_members(cls, depth, cache, top_level))
    return {f'{prefix}.{rel}': rec for rel, rec in cache[key][1].items()}


def _relative_members(cls: Any, depth: int,
                      cache: dict[tuple[int, int], Any],
                      top_level: frozenset[str] | set[str]
                      ) -> dict[str, dict[str, Any]]:
    try:
        names = list(dir(cls))
    except BaseException:
        names = []
    qualname = _attr(cls, '__qualname__')
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        if not isinstance(name, str):
            continue
        if name.startswith('_') and name not in KEPT_DUNDERS:
            continue
        try:
            record = describe_member(cls, name, top_level)
        except BaseException as err:
            record = {'kind': 'attribute', 'type': None,
                      'type_qualname': None, 'defined_in': None,
                      'error': _error(err)}
        out[name] = record
        if record['kind'] != 'class' or depth >= MAX_CLASS_DEPTH:
            continue
        try:
            nested = inspect.getattr_static(cls, name)
        except BaseException:
            continue
        inner = _attr(nested, '__qualname__')
        if (isinstance(qualname, str) and isinstance(inner, str)
                and inner.startswith(qualname + '.')
                and _attr(nested, '__module__') == _attr(cls, '__module__')):
            out.update(class_members(nested, name, depth + 1, cache,
                                     top_level))
    for name, owner in _declared(cls).items():
        if name not in out and not name.startswith('_'):
            out[name] = _declared_record(owner, name)
    return out


# -- Modules ------------------------------------------------------------------

def _import(name: str) -> tuple[Any, str, str | None]:
    """Import ``name``: ``(module or None, status, error)``."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            missing = err.name or ''
            if missing and (name == missing
                            or name.startswith(missing + '.')):
                return None, 'missing', _error(err)
            return None, 'error', _error(err)
        except BaseException as err:
            return None, 'error', _error(err)
    return module, 'ok', None


def _public_names(module: Any) -> tuple[list[str], bool]:
    names = _attr(module, '__all__')
    if isinstance(names, (list, tuple)) and all(
            isinstance(n, str) for n in names):
        return list(dict.fromkeys(names)), True
    try:
        listed = dir(module)
    except BaseException:
        listed = []
    return [n for n in listed
            if isinstance(n, str) and not n.startswith('_')], False


class _Bindings(ast.NodeVisitor):
    """The names a module's top level binds, by how it binds them.

    ``imported``: bound by an ``import``/``from ... import`` statement
    (not an explicit re-export); ``defined``: bound any other way (``def``,
    ``class``, assignments, loop and ``with`` targets, explicit
    re-exports...). Blocks of ``if``/``try``/``with``/loops are entered;
    function, class and lambda bodies and comprehension targets are not
    (they bind in their own scope).
    """

    def __init__(self) -> None:
        self.imported: set[str] = set()
        self.defined: set[str] = set()

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname is None:
                # import a.b binds a.
                self.imported.add(alias.name.split('.', 1)[0])
            elif alias.asname == alias.name:
                self.defined.add(alias.asname)   # import x as x
            else:
                self.imported.add(alias.asname)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        # from . import x: the package's own submodule or name.
        explicit = bool(node.level) and not node.module
        for alias in node.names:
            if alias.name == '*':
                continue   # unknown names: the fallback rule judges them
            if explicit or alias.asname == alias.name:
                self.defined.add(alias.asname or alias.name)
            else:
                self.imported.add(alias.asname or alias.name)

    def _scope(self, node: Any, *fields: str) -> None:
        self.defined.add(node.name)
        for field in ('decorator_list', *fields):
            value = getattr(node, field, None)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, ast.AST):
                    self.visit(item)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._scope(node, 'args', 'returns')

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._scope(node, 'args', 'returns')

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope(node, 'bases', 'keywords')

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)

    def _comprehension(self, node: Any) -> None:
        # Targets bind in the comprehension; := inside binds here.
        for generator in node.generators:
            self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for field in ('elt', 'key', 'value'):
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                self.visit(value)

    visit_ListComp = visit_SetComp = _comprehension
    visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self.defined.add(node.id)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.defined.add(node.name)
        self.generic_visit(node)

    def _capture(self, node: Any) -> None:
        # match patterns: case [*rest], case {**rest}, case X() as name.
        for field in ('name', 'rest'):
            value = getattr(node, field, None)
            if isinstance(value, str):
                self.defined.add(value)
        self.generic_visit(node)

    visit_MatchAs = visit_MatchStar = visit_MatchMapping = _capture


def source_bindings(module: Any) -> tuple[set[str], set[str]] | None:
    """``(import-only names, defined names)`` of a module's top level.

    Import-only names are bound only by ``import`` statements (explicit
    re-exports aside); defined names are bound some other way too. Read
    from the module's ``.py`` source; None when there is none or it
    cannot be read or parsed.
    """
    filename = _attr(module, '__file__')
    if not isinstance(filename, str) or not filename.endswith('.py'):
        return None
    try:
        with open(filename, 'rb') as f:
            source = f.read()
        # Bytes: the parser honours coding cookies and BOMs.
        tree = ast.parse(source, filename)
        bindings = _Bindings()
        for statement in tree.body:
            bindings.visit(statement)
    except BaseException:
        return None
    return bindings.imported - bindings.defined, bindings.defined


def _is_future(obj: Any) -> bool:
    """Whether ``obj`` is a ``from __future__ import`` feature."""
    return _attr(type(obj), '__module__') == '__future__'


def _imported(obj: Any, modname: str, is_package: bool,
              top_level: set[str]) -> bool:
    """Whether a class or callable was only imported into ``modname``."""
    if not (_is_class(obj) or _callable(obj)):
        return False
    owner = _attr(obj, '__module__')
    if not isinstance(owner, str):
        return False
    if owner.split('.', 1)[0] not in top_level:
        return True
    return not is_package and owner != modname


def module_objects(module: Any, modname: str, is_package: bool,
                   top_level: set[str], dist_module_names: set[str],
                   cache: dict[tuple[int, int], Any]
                   ) -> dict[str, dict[str, Any]]:
    """Records of every public path reachable from ``module``."""
    objects: dict[str, dict[str, Any]] = {
        modname: {'kind': 'module', 'defined_in': modname,
                  'package': is_package}}
    names, from_all = _public_names(module)
    bindings = None
    if not from_all and not is_package:
        bindings = source_bindings(module)
    import_only, defined = bindings or (set(), set())
    for name in names:
        if name in VERSION_NAMES:
            continue
        path = f'{modname}.{name}'
        if path in dist_module_names:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            try:
                obj = getattr(module, name)
            except BaseException:
                continue
        if not from_all:
            if isinstance(obj, types.ModuleType) or _is_future(obj):
                continue
            if name in import_only:
                continue
            # Without a source, or for names the source does not bind
            # (star imports), judge by where classes and callables were
            # defined.
            if (name not in defined
                    and _imported(obj, modname, is_package, top_level)):
                continue
        try:
            record = describe(obj)
        except BaseException as err:
            record = {'kind': 'attribute', 'type': None,
                      'type_qualname': None, 'defined_in': None,
                      'error': _error(err)}
        objects[path] = record
        if record['kind'] == 'class':
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                objects.update(class_members(obj, path, 1, cache,
                                             top_level))
    return objects


def _fresh(objects: dict[str, dict[str, Any]], modname: str
           ) -> dict[str, dict[str, Any]]:
    # Records are shared between re-exports: copy each with its module.
    return {p: dict(r, module=modname) for p, r in objects.items()}


def run_surface(dist_name: str, emit: Any, skip: set[str],
                exclude_tests: bool) -> None:
    dist = importlib.metadata.distribution(dist_name)
    modules, top = dist_modules(dist)
    public = sorted(m for m in modules if is_public_module(m, exclude_tests))
    emit({'type': 'header', 'mode': 'surface', 'dist': dist_name,
          'version': dist.version, 'python': platform.python_version(),
          'modules': public, 'top_level': top})
    top_level = set(top)
    dist_module_names = set(modules)
    cache: dict[tuple[int, int], Any] = {}
    for name in public:
        if name in skip:
            continue
        emit({'type': 'begin', 'module': name})
        module, status, error = _import(name)
        objects: dict[str, dict[str, Any]] = {}
        if module is not None:
            try:
                objects = _fresh(module_objects(
                    module, name, modules[name], top_level,
                    dist_module_names, cache), name)
            except BaseException as err:
                status, error = 'error', 'introspection: ' + _error(err)
        emit({'type': 'module', 'module': name, 'status': status,
              'error': error, 'package': modules[name],
              'objects': objects})


# -- Resolve mode -------------------------------------------------------------

def resolve_path(module: Any, modname: str, path: str,
                 top_level: frozenset[str] | set[str] = frozenset()
                 ) -> dict[str, Any]:
    """Whether ``path`` is reachable from ``module``, and what it is."""
    if path == modname:
        return {'status': 'ok', 'error': None,
                'record': {'kind': 'module', 'defined_in': modname,
                           'module': modname}}
    if not path.startswith(modname + '.'):
        return {'status': 'error', 'error': 'path outside its module',
                'record': None}
    chain = path[len(modname) + 1:].split('.')
    obj, parent = module, None
    for attr in chain:
        parent = obj
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            try:
                obj = getattr(obj, attr)
            except AttributeError as err:
                owner = (_declared(obj).get(attr) if _is_class(obj)
                         and attr == chain[-1] else None)
                if owner is not None:
                    record = _declared_record(owner, attr)
                    record['module'] = modname
                    return {'status': 'ok', 'error': None,
                            'record': record}
                return {'status': 'missing', 'error': _error(err),
                        'record': None}
            except BaseException as err:
                return {'status': 'error', 'error': _error(err),
                        'record': None}
    try:
        if _is_class(parent):
            record = describe_member(parent, chain[-1], top_level)
        else:
            record = describe(obj)
    except BaseException as err:
        return {'status': 'error', 'error': _error(err), 'record': None}
    record['module'] = modname
    return {'status': 'ok', 'error': None, 'record': record}


def run_resolve(dist_name: str, emit: Any, skip: set[str],
                paths_file: str) -> None:
    with open(paths_file, encoding='utf-8') as f:
        pairs = json.load(f)
    by_module: dict[str, list[str]] = {}
    for modname, path in pairs:
        by_module.setdefault(modname, []).append(path)
    try:
        dist = importlib.metadata.distribution(dist_name)
        version = dist.version
        top = dist_modules(dist)[1]
    except BaseException:
        version, top = None, []
    emit({'type': 'header', 'mode': 'resolve', 'dist': dist_name,
          'version': version, 'python': platform.python_version(),
          'modules': sorted(by_module), 'top_level': top})
    top_level = frozenset(top)
    for modname in sorted(by_module):
        if modname in skip:
            continue
        emit({'type': 'begin', 'module': modname})
        module, status, error = _import(modname)
        results: dict[str, dict[str, Any]] = {}
        for path in by_module[modname]:
            if module is None:
                results[path] = {'status': status, 'error': error,
                                 'record': None}
            else:
                results[path] = resolve_path(module, modname, path,
                                             top_level)
        emit({'type': 'resolved', 'module': modname, 'status': status,
              'error': error, 'paths': results})


# -- Entry point --------------------------------------------------------------

def _silence() -> None:
    """Send the process's own stdin/stdout/stderr to the null device."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    sink = open(os.devnull, 'w')  # noqa: SIM115 - lives as long as we do
    sys.stdout = sys.stderr = sink
    warnings.simplefilter('ignore')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('dist', help='distribution name')
    parser.add_argument('output', help='JSON lines file to write')
    parser.add_argument('--exclude-tests', action='store_true',
                        help='skip test packages and conftest modules')
    parser.add_argument('--skip', action='append', default=[],
                        metavar='MODULE', help='module not to import')
    parser.add_argument('--skip-file', metavar='FILE',
                        help='file of modules not to import, one a line')
    parser.add_argument('--resolve', metavar='PATHS_FILE',
                        help='JSON list of [module, path] to resolve')
    args = parser.parse_args(argv)
    output = os.path.abspath(args.output)
    skip = set(args.skip)
    if args.skip_file:
        with open(args.skip_file, encoding='utf-8') as f:
            skip.update(line.strip() for line in f if line.strip())
    paths_file = os.path.abspath(args.resolve) if args.resolve else None
    out = open(output, 'w', encoding='utf-8')  # noqa: SIM115

    # Bound now: imported code cannot patch them from under us.
    dumps, write, flush = json.dumps, out.write, out.flush

    def emit(record: dict[str, Any]) -> None:
        write(dumps(record, sort_keys=True, default=repr) + '\n')
        flush()

    _silence()
    try:
        if paths_file:
            run_resolve(args.dist, emit, skip, paths_file)
        else:
            run_surface(args.dist, emit, skip, args.exclude_tests)
        emit({'type': 'done'})
    except BaseException:
        emit({'type': 'fatal', 'error': traceback.format_exc()[-4000:]})
    out.close()
    # Leave without running atexit hooks or joining threads that imported
    # modules may have started.
    os._exit(0)


if __name__ == '__main__':
    sys.exit(main())
