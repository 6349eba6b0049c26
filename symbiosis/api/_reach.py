"""What a user can reach in one snapshot: paths resolved as Python does.

A snapshot records where things are *defined*; users write paths that
Python *resolves*: through a module's namespace and its imports, through
the method resolution order of classes (a method moved into a base class,
a private mixin, or a base in another subpackage is still a member),
through a module ``__getattr__`` that forwards to another module. A
:class:`Reach` answers, for one snapshot:

* :meth:`Reach.resolve` -- the object a dotted path reaches, or ``None``;
* :meth:`Reach.members` -- a class's members, inherited ones included;
* :meth:`Reach.mro` -- a class's linearised bases (the distribution's own
  classes, followed by the bases defined elsewhere);
* :meth:`Reach.unknown_base` -- whether a class inherits from a base
  defined outside the distribution whose members cannot be known
  (classes of the standard library and builtins are looked up in the
  running interpreter; nothing of the analysed distribution is);
* :meth:`Reach.exists` -- whether a binding exists on the Python versions
  the distribution supports (``Requires-Python``).

Results are memoised on the object, which lives as long as one diff.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
import importlib
import sys

from packaging.specifiers import InvalidSpecifier
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from symbiosis.api._model import Alias
from symbiosis.api._model import Class
from symbiosis.api._model import Member
from symbiosis.api._model import Module
from symbiosis.api._model import Snapshot
from symbiosis.api._model import is_public_member_name

__all__ = ['Reach', 'base_name', 'supported_pythons', 'trivial_base']

ApiObject = Module | Member

_MAX_DEPTH = 20
# Bases every class has, that only parameterise it, or that stand for
# ``object`` on Python 3 (Python 2 compatibility shims): never "lost".
_TRIVIAL_BASES = frozenset({
    'object', 'builtins.object', 'typing.Generic', 'typing.Protocol',
    'typing_extensions.Generic', 'typing_extensions.Protocol',
    'six.Iterator', 'future.types.newobject.newobject',
    'future.builtins.object', 'past.builtins.object',
})
# Standard-library modules whose import has effects beyond defining names.
_UNSAFE_STDLIB = frozenset({'antigravity', 'this', '__main__', 'idlelib',
                            'turtledemo', 'tkinter', 'turtle'})


def base_name(text: str) -> str:
    """The short name of a base class text: ``typing.Generic[T]`` ->
    ``Generic``."""
    return text.split('[', 1)[0].split('(', 1)[0].strip().rpartition('.')[2]


def trivial_base(text: str) -> bool:
    """Whether a base is ``object`` in disguise or only parameterises the
    class (``Generic[T]``, ``Protocol``, ``six.Iterator``)."""
    return text.split('[', 1)[0].strip() in _TRIVIAL_BASES


# Python versions probed to compare two Requires-Python specifiers: every
# minor version of 2.7 and 3.x with a few micro versions each, which is
# what real-world specifiers distinguish.
_PROBES = tuple(
    Version(f'{major}.{minor}.{micro}')
    for major, minors in ((2, range(7, 8)), (3, range(31)))
    for minor in minors
    for micro in (0, 1, 2, 5, 10, 20)
)


def supported_pythons(requires_python: str | None) -> frozenset[Version]:
    """Return the probe versions a ``Requires-Python`` text accepts.

    :raises packaging.specifiers.InvalidSpecifier: the text is invalid.
    """
    spec = SpecifierSet(requires_python or '')
    return frozenset(v for v in _PROBES if v in spec)


def _requires_probe(requires_python: str | None) -> frozenset[Version] | None:
    if not requires_python:
        return None
    try:
        return supported_pythons(requires_python)
    except InvalidSpecifier:
        return None


class Reach:
    """Path resolution in ``snapshot`` (see the module docstring)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._supported = _requires_probe(snapshot.requires_python)
        self._python: dict[str, bool] = {}
        self._mro: dict[str, tuple[tuple[Class, ...], tuple[str, ...]]] = {}
        self._members: dict[str, dict[str, Member]] = {}
        self._external: dict[str, frozenset[str] | None] = {}
        self._resolved: dict[str, ApiObject | None] = {}

    # -- Python versions ----------------------------------------------------

    def exists(self, obj: object) -> bool:
        """Whether ``obj``'s binding exists at run time, on some
        supported Python (not only under ``if TYPE_CHECKING:``)."""
        if getattr(obj, 'typing_only', False):
            return False
        spec = getattr(obj, 'python', None)
        if spec is None or self._supported is None:
            return True
        known = self._python.get(spec)
        if known is None:
            known = self._python[spec] = self.python_overlaps(
                spec, self._supported)
        return known

    @staticmethod
    def python_overlaps(spec: str, supported: frozenset[Version]) -> bool:
        """Whether the specifier ``spec`` admits a ``supported`` version.
        """
        try:
            specifier = SpecifierSet(spec)
        except InvalidSpecifier:
            return True
        return any(v in specifier for v in supported)

    @property
    def supported(self) -> frozenset[Version] | None:
        """The probe versions ``Requires-Python`` admits (``None``: all)."""
        return self._supported

    # -- classes ------------------------------------------------------------

    def base_class(self, text: str) -> Class | None:
        """The distribution's class a base text names, if any."""
        dotted = text.split('[', 1)[0].strip()
        if not dotted or '(' in dotted:
            return None
        found = self.resolve(dotted)
        return found if isinstance(found, Class) else None

    def mro(self, cls: Class) -> tuple[tuple[Class, ...], tuple[str, ...]]:
        """``(classes, external)``: ``cls`` and the distribution's classes
        it derives from, in method resolution order (C3, as Python
        computes it; depth first when the hierarchy is inconsistent), and
        the texts of the bases defined elsewhere."""
        found = self._mro.get(cls.path)
        if found is None:
            self._mro[cls.path] = ((cls,), ())  # cycle guard
            found = self._mro[cls.path] = self._linearise(cls)
        return found

    def _linearise(
        self, cls: Class
    ) -> tuple[tuple[Class, ...], tuple[str, ...]]:
        sequences: list[list[Class]] = []
        direct: list[Class] = []
        external: list[str] = []
        for text in cls.bases:
            base = self.base_class(text)
            if base is None or base.path == cls.path:
                if not trivial_base(text):
                    external.append(self._external_text(text))
                continue
            direct.append(base)
            classes, outside = self.mro(base)
            sequences.append(list(classes))
            external.extend(outside)
        sequences.append(direct)
        merged = _c3(sequences)
        if merged is None:
            merged = []
            seen: set[str] = set()
            for seq in sequences:
                for item in seq:
                    if item.path not in seen:
                        seen.add(item.path)
                        merged.append(item)
        return (cls, *merged), tuple(dict.fromkeys(external))

    def _external_text(self, text: str) -> str:
        """A base that is not one of the distribution's classes: what it
        names when the distribution re-binds something from elsewhere
        (``text_type = str`` names ``str``?), or ``?`` + the text when it
        is some other object of the distribution, which cannot be known.
        """
        dotted = text.split('[', 1)[0].strip()
        if '(' in dotted:
            return '?' + text
        found = self.resolve(dotted)
        if isinstance(found, Alias):
            return text if found.internal else found.target
        if found is not None:
            return '?' + text
        return text

    def members(self, cls: Class) -> dict[str, Member]:
        """Every member of ``cls``: its own, then inherited ones."""
        found = self._members.get(cls.path)
        if found is not None:
            return found
        members: dict[str, Member] = {}
        for klass in self.mro(cls)[0]:
            for name, member in klass.members.items():
                if name not in members and self.exists(member):
                    members[name] = member
        self._members[cls.path] = members
        return members

    def public_members(self, cls: Class) -> Iterator[tuple[Member, bool]]:
        """``(member, inherited)`` for the public members of ``cls``."""
        own = cls.members
        for name, member in self.members(cls).items():
            if is_public_member_name(name):
                yield member, own.get(name) is not member

    def unknown_base(self, cls: Class, name: str) -> str | None:
        """A base of ``cls`` defined elsewhere, whose members are not
        known, that may provide ``name``."""
        for text in self.mro(cls)[1]:
            if self.external_members(text) is None:
                return text.lstrip('?')
        return None

    def external_provider(self, cls: Class, name: str) -> str | None:
        """A standard-library or builtin base of ``cls`` that has
        ``name`` (so ``cls.name`` resolves there)."""
        for text in self.mro(cls)[1]:
            members = self.external_members(text)
            if members is not None and name in members:
                return text
        return None

    def external_members(self, text: str) -> frozenset[str] | None:
        """Member names of a standard-library or builtin class, else
        ``None`` (unknown)."""
        if text in self._external:
            return self._external[text]
        self._external[text] = members = _stdlib_members(
            text.split('[', 1)[0].strip())
        return members

    # -- paths ----------------------------------------------------------------

    def resolve(self, path: str, _depth: int = 0) -> ApiObject | None:
        """The object ``path`` reaches, following internal aliases, class
        inheritance, submodules and ``__getattr__`` forwarding.

        An alias to something outside the distribution is returned as
        the :class:`Alias` (what lies beyond it is not known).
        """
        if not _depth:
            if path in self._resolved:
                return self._resolved[path]
            found = self._resolved[path] = self._resolve(path, 0)
            return found
        return self._resolve(path, _depth)

    def _resolve(self, path: str, _depth: int) -> ApiObject | None:
        if _depth > _MAX_DEPTH:
            return None
        module = self._module_of(path)
        if module is None:
            return None
        obj: ApiObject = module
        for part in path.split('.')[module.name.count('.') + 1:]:
            if isinstance(obj, Alias):
                if not obj.internal:
                    return obj
                target = self.resolve(obj.target, _depth + 1)
                if target is None:
                    return None
                obj = target
            nxt = self._child(obj, part, _depth)
            if nxt is None:
                return None
            obj = nxt
        if isinstance(obj, Alias) and obj.internal:
            target = self.resolve(obj.target, _depth + 1)
            if target is not None:
                return target
        return obj

    def binding(self, path: str) -> ApiObject | None:
        """Like :meth:`resolve`, but the last step's alias is not
        followed (``pkg.Client`` where ``pkg`` imports it gives the
        :class:`Alias`)."""
        head, _, tail = path.rpartition('.')
        if not head:
            return self.snapshot.modules.get(path)
        parent = self.resolve(head)
        if parent is None or isinstance(parent, Alias):
            return None
        return self._child(parent, tail, 0, follow=False)

    def _child(self, obj: ApiObject, part: str, depth: int,
               follow: bool = True) -> ApiObject | None:
        if isinstance(obj, Module):
            member = obj.members.get(part)
            if member is not None and self.exists(member):
                return member
            sub = self.snapshot.modules.get(f'{obj.name}.{part}')
            if sub is not None:
                return sub
            for forward in obj.getattr_forwards:
                target = (self.resolve(f'{forward}.{part}', depth + 1)
                          if follow else self.binding(f'{forward}.{part}'))
                if target is not None:
                    return target
            return None
        if isinstance(obj, Class):
            return self.members(obj).get(part)
        return None

    def open_reason(self, path: str) -> tuple[str, str] | None:
        """``(where, why)`` when ``path``'s absence proves nothing: the
        object that would hold it could not be read fully, or may serve
        it dynamically, or inherits from a base whose members are not
        known."""
        head, _, tail = path.rpartition('.')
        if not head:
            return None
        module = self.snapshot.modules.get(head)
        if module is not None:
            reason = _open(module)
            if reason is not None and tail not in module.refused:
                return head, reason
            binding = module.members.get(tail)
            if isinstance(binding, Alias) and binding.internal:
                # Re-exported from a module that cannot be read fully.
                target = self._module_of(binding.target)
                if target is not None and _open(target) is not None:
                    return target.name, str(_open(target))
            if tail in module.exports:
                return head, f'{path} is exported but cannot be resolved'
            return None
        parent = self.resolve(head)
        if parent is None:
            # The parent is gone too: it is reported, not this path.
            return self._open_parent(head)
        if isinstance(parent, Class):
            base = self.unknown_base(parent, tail)
            if base is not None:
                return head, f'it may be inherited from {base}'
        if isinstance(parent, Alias) and not parent.internal:
            return head, f'{parent.target} is defined outside the ' \
                'distribution'
        return None

    def _open_parent(self, head: str) -> tuple[str, str] | None:
        module = self._module_of(head)
        if module is not None and (module.errors or module.opaque):
            return module.name, str(_open(module))
        return None

    def _module_of(self, path: str) -> Module | None:
        """The module with the longest name ``path`` starts with."""
        parts = path.split('.')
        for end in range(len(parts), 0, -1):
            module = self.snapshot.modules.get('.'.join(parts[:end]))
            if module is not None:
                return module
        return None


def _open(module: Module) -> str | None:
    """Why names missing from ``module`` may still exist, if they may."""
    if module.errors:
        return str(module.errors[0])
    if module.opaque:
        return 'extension module without a stub'
    if module.getattr_opaque:
        return 'its module __getattr__ may provide names dynamically'
    if module.dynamic_names:
        return 'its public names are built in part at run time'
    return None


def _c3(sequences: list[list[Class]]) -> list[Class] | None:
    """C3 merge of ``sequences``; ``None`` when it is inconsistent."""
    seqs = [list(s) for s in sequences if s]
    result: list[Class] = []
    while seqs:
        for seq in seqs:
            head = seq[0]
            if not any(head.path in (c.path for c in other[1:])
                       for other in seqs):
                break
        else:
            return None
        result.append(head)
        seqs = [[c for c in seq if c.path != head.path] for seq in seqs]
        seqs = [s for s in seqs if s]
    return result


def _stdlib_members(dotted: str) -> frozenset[str] | None:
    """Attribute names of a builtin or standard-library class."""
    module_name, _, name = dotted.rpartition('.')
    if not module_name:
        obj = getattr(builtins, name, None)
    else:
        top = module_name.partition('.')[0]
        stdlib: frozenset[str] = getattr(
            sys, 'stdlib_module_names', frozenset())
        if top not in stdlib or top in _UNSAFE_STDLIB:
            return None
        try:
            module = importlib.import_module(module_name)
        except Exception:
            return None
        obj = getattr(module, name, None)
    # ``typing.Awaitable`` and friends stand for a collections.abc class.
    obj = getattr(obj, '__origin__', obj)
    if not isinstance(obj, type):
        return None
    return frozenset(dir(obj))
