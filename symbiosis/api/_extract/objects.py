"""Functions, parameters and classes from their AST nodes.

Only what defines the API is visited: signatures, decorators, class
bodies, and -- for instance attributes -- the statements of method bodies
(never their expressions). Everything here works on one module's
:class:`Scope` and returns model objects.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
import dataclasses

from symbiosis.api._extract import deprecations as static
from symbiosis.api._extract.conditions import VersionRange
from symbiosis.api._extract.conditions import version_range
from symbiosis.api._extract.text import dotted
from symbiosis.api._extract.text import expr_text
from symbiosis.api._extract.text import is_literal
from symbiosis.api._model import Alias
from symbiosis.api._model import Attribute
from symbiosis.api._model import Class
from symbiosis.api._model import Deprecation
from symbiosis.api._model import Function
from symbiosis.api._model import KeywordAlias
from symbiosis.api._model import Location
from symbiosis.api._model import Member
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._model import Signature

__all__ = [
    'ENUM_BASES',
    'BodyBuilder',
    'Scope',
    'build_signature',
    'normalise_decorators',
]

#: Bases that make a class an enumeration.
ENUM_BASES = frozenset(
    f'enum.{name}'
    for name in ('Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag',
                 'ReprEnum')
)

# Decorators that matter to the API, by last dotted component.
_KEPT_DECORATORS = frozenset(
    {'property', 'cached_property', 'classmethod', 'staticmethod',
     'abstractmethod', 'final', 'overload', 'setter', 'deleter',
     'contextmanager', 'asynccontextmanager', 'dataclass',
     'total_ordering', 'unique', 'runtime_checkable', 'override',
     'singledispatch', 'singledispatchmethod'}
)
_COMPOUND_DECORATORS = {
    'abstractproperty': ('property', 'abstractmethod'),
    'abstractclassmethod': ('classmethod', 'abstractmethod'),
    'abstractstaticmethod': ('staticmethod', 'abstractmethod'),
}
_MAX_CLASS_DEPTH = 30


@dataclasses.dataclass
class Scope:
    """What one module's extraction knows while it walks the file.

    :param module: dotted module name.
    :param file: file path relative to the tree root.
    :param top_level: import names of the distribution.
    :param names: local name -> absolute dotted path, from imports and
        module-level ``def``/``class`` statements seen so far.
    :param enums: dotted paths of enum classes defined in the module.
    :param flags: module-level names assigned a Python-version condition
        (``PY38 = sys.version_info >= (3, 8)``).
    """

    module: str
    file: str
    top_level: frozenset[str]
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    enums: set[str] = dataclasses.field(default_factory=set)
    flags: dict[str, VersionRange] = dataclasses.field(default_factory=dict)
    parameters: dict[
        tuple[str, ParameterKind, str | None, str | None], Parameter
    ] = dataclasses.field(default_factory=dict)

    def location(self, node: ast.stmt | ast.expr) -> Location:
        """Location of ``node`` in this module's file."""
        return Location(self.file, node.lineno)

    def resolve(self, node: ast.expr) -> str | None:
        """Absolute dotted path of a name expression, through imports."""
        return static.dotted_name(node, self.names)

    def is_internal(self, target: str) -> bool:
        """Whether ``target`` lies inside the distribution."""
        return target.partition('.')[0] in self.top_level


def normalise_decorators(
    decorators: Sequence[ast.expr],
) -> frozenset[str]:
    """Return the API-relevant decorators by their last name.

    ``functools.cached_property`` -> ``cached_property``, ``x.setter`` ->
    ``setter``, ``abc.abstractmethod`` -> ``abstractmethod``,
    ``typing_extensions.final`` -> ``final``,
    ``dataclasses.dataclass(frozen=True)`` -> ``dataclass``; any other
    decorator ending in ``property`` (``memoized_property``,
    ``hybrid_property``) reads as ``property``.
    """
    found: set[str] = set()
    for decorator in decorators:
        if isinstance(decorator, ast.Call):
            decorator = decorator.func
        name = dotted(decorator)
        if name is None:
            continue
        last = name.rpartition('.')[2]
        if last in _KEPT_DECORATORS:
            found.add(last)
        elif last in _COMPOUND_DECORATORS:
            found.update(_COMPOUND_DECORATORS[last])
        elif last.endswith('property') and not last.startswith(
            ('moved_', 'removed_')
        ):
            found.add('property')
    return frozenset(found)


def _annotation(node: ast.expr | None) -> str | None:
    return None if node is None else expr_text(node)


_POSITIONAL_ONLY = ParameterKind.POSITIONAL_ONLY
_POSITIONAL_OR_KEYWORD = ParameterKind.POSITIONAL_OR_KEYWORD
_VAR_POSITIONAL = ParameterKind.VAR_POSITIONAL
_KEYWORD_ONLY = ParameterKind.KEYWORD_ONLY
_VAR_KEYWORD = ParameterKind.VAR_KEYWORD


def build_signature(
    args: ast.arguments,
    returns: ast.expr | None,
    shared: dict[tuple[str, ParameterKind, str | None, str | None],
                 Parameter] | None = None,
) -> Signature:
    """Build a :class:`Signature` from a function's ``arguments``.

    :param shared: equal parameters built earlier (``self``, ``cls``,
        ``**kwargs``...), reused since parameters are immutable.
    """
    params: list[Parameter] = []
    table = {} if shared is None else shared

    def add(
        name: str, kind: ParameterKind, default: ast.expr | None,
        annotation: ast.expr | None,
    ) -> None:
        key = (
            name, kind,
            None if default is None else expr_text(default),
            None if annotation is None else expr_text(annotation),
        )
        param = table.get(key)
        if param is None:
            param = table[key] = Parameter(*key)
        params.append(param)

    positional = args.posonlyargs + args.args
    defaults = args.defaults
    first_default = len(positional) - len(defaults)
    n_posonly = len(args.posonlyargs)
    for index, arg in enumerate(positional):
        add(
            arg.arg,
            _POSITIONAL_ONLY if index < n_posonly else _POSITIONAL_OR_KEYWORD,
            defaults[index - first_default] if index >= first_default
            else None,
            arg.annotation,
        )
    if args.vararg is not None:
        add(args.vararg.arg, _VAR_POSITIONAL, None, args.vararg.annotation)
    kw_pairs = zip(args.kwonlyargs, args.kw_defaults, strict=False)
    for arg, kw_default in kw_pairs:
        add(arg.arg, _KEYWORD_ONLY, kw_default, arg.annotation)
    if args.kwarg is not None:
        add(args.kwarg.arg, _VAR_KEYWORD, None, args.kwarg.annotation)
    return Signature(tuple(params), _annotation(returns))


def _is_final(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    name = dotted(annotation)
    return name is not None and name.rpartition('.')[2] == 'Final'


def _self_targets(target: ast.expr, self_name: str) -> list[ast.Attribute]:
    if isinstance(target, ast.Attribute):
        value = target.value
        if isinstance(value, ast.Name) and value.id == self_name:
            return [target]
        return []
    if isinstance(target, (ast.Tuple, ast.List)):
        found: list[ast.Attribute] = []
        for elt in target.elts:
            found.extend(_self_targets(elt, self_name))
        return found
    return []


_NESTED_BODIES = ('body', 'orelse', 'finalbody')


def _instance_assignments(
    body: Sequence[ast.stmt], self_name: str
) -> list[tuple[ast.Attribute, ast.expr | None]]:
    """``self.x = ...`` statements of a method body.

    Statements are visited, including those of ``if``/``for``/``with``/
    ``try`` blocks, but no expression and no nested function is.
    """
    found: list[tuple[ast.Attribute, ast.expr | None]] = []
    stack: list[Sequence[ast.stmt]] = [body]
    while stack:
        for stmt in stack.pop():
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for attr in _self_targets(target, self_name):
                        found.append((attr, None))
            elif isinstance(stmt, ast.AnnAssign):
                for attr in _self_targets(stmt.target, self_name):
                    found.append((attr, stmt.annotation))
            elif isinstance(
                stmt,
                (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With,
                 ast.AsyncWith, ast.Try),
            ):
                for field in _NESTED_BODIES:
                    block = getattr(stmt, field, None)
                    if block:
                        stack.append(block)
                if isinstance(stmt, ast.Try):
                    stack.extend(h.body for h in stmt.handlers)
            elif isinstance(stmt, ast.Match):
                stack.extend(case.body for case in stmt.cases)
    return found


class BodyBuilder:
    """Collects the members bound by a module or class body.

    ``if``/``try``/``with``/``for`` blocks are entered: a name bound in any
    branch is a member (the union of what every branch defines), the last
    binding in source order wins. Branches taken only on Python 2 are
    skipped; names bound only in a branch for some Python 3 versions carry
    those versions (:attr:`~symbiosis.api._model.Class.python`).

    :param scope: the module's scope.
    :param prefix: dotted path members are defined under.
    :param in_enum: the body is an enum class's.
    :param depth: class nesting depth.
    """

    def __init__(
        self, scope: Scope, prefix: str, *, in_enum: bool = False,
        depth: int = 0,
    ) -> None:
        self.scope = scope
        self.prefix = prefix
        self.in_enum = in_enum
        self.depth = depth
        self.members: dict[str, Member] = {}
        self._overloads: dict[str, list[Signature]] = {}

    # -- statements common to modules and classes -------------------------

    def visit_body(self, body: Sequence[ast.stmt]) -> None:
        """Visit every statement of ``body`` in order."""
        for stmt in body:
            self.visit(stmt)

    def visit(self, stmt: ast.stmt) -> None:
        """Visit one statement."""
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.add_function(stmt)
        elif isinstance(stmt, ast.ClassDef):
            self.add_class(stmt)
        elif isinstance(stmt, ast.Assign):
            self.visit_assign(stmt)
        elif isinstance(stmt, ast.AnnAssign):
            self.visit_annassign(stmt)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    self.members.pop(target.id, None)
        elif isinstance(stmt, ast.If):
            self.visit_if(stmt)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == 'TryStar':
            self.visit_body(stmt.body)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                self.visit_body(handler.body)
            self.visit_body(stmt.orelse)  # type: ignore[attr-defined]
            self.visit_body(stmt.finalbody)  # type: ignore[attr-defined]
        elif isinstance(
            stmt, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)
        ):
            self.visit_body(stmt.body)
            if not isinstance(stmt, (ast.With, ast.AsyncWith)):
                self.visit_body(stmt.orelse)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                self.visit_body(case.body)

    def path(self, name: str) -> str:
        """Dotted path of member ``name``."""
        return f'{self.prefix}.{name}'

    def visit_if(self, stmt: ast.If) -> None:
        """Both branches; Python-version and ``TYPE_CHECKING`` branches
        are told apart."""
        typing = self._typing_test(stmt.test)
        if typing is not None:
            self._visit_typing(stmt, typing)
            return
        found = version_range(stmt.test, self.scope.resolve,
                              self.scope.flags)
        if found is None:
            if stmt.orelse:
                self.visit_body(stmt.body)
                self.visit_body(stmt.orelse)
                return
            before = dict(self.members)
            self.visit_body(stmt.body)
            self._keep_definitions(before)
            return
        branches = ((stmt.body, found), (stmt.orelse, found.complement()))
        for block, versions in branches:
            if not block:
                continue
            if versions is None or versions.all_python3:
                self.visit_body(block)
            elif not versions.python2_only:
                self._visit_for_versions(block, versions)

    def _typing_test(self, test: ast.expr) -> str | None:
        """``only`` for ``if TYPE_CHECKING:``, ``not`` for ``if not
        TYPE_CHECKING:``, ``also`` for ``if TYPE_CHECKING or X:``."""
        def is_flag(node: ast.expr) -> bool:
            name = self.scope.resolve(node) if isinstance(
                node, (ast.Name, ast.Attribute)) else None
            return (name or '').rpartition('.')[2] == 'TYPE_CHECKING'

        if is_flag(test):
            return 'only'
        if isinstance(test, ast.UnaryOp) and isinstance(
            test.op, ast.Not
        ) and is_flag(test.operand):
            return 'not'
        if isinstance(test, ast.BoolOp) and isinstance(
            test.op, ast.Or
        ) and any(is_flag(v) for v in test.values):
            return 'also'
        return None

    def _visit_typing(self, stmt: ast.If, typing: str) -> None:
        """A ``TYPE_CHECKING`` branch: names bound only there exist for
        type checkers, not at run time; when both branches bind a name,
        the run-time binding wins -- except for ``TYPE_CHECKING or X``,
        whose branch also runs, and names the pure-Python code."""
        if typing == 'also':
            self.visit_body(stmt.orelse)
            self.visit_body(stmt.body)
            return
        checker, runtime = ((stmt.body, stmt.orelse) if typing == 'only'
                            else (stmt.orelse, stmt.body))
        before = dict(self.members)
        self.visit_body(checker)
        for name, member in list(self.members.items()):
            if name not in before and not member.typing_only:
                self.members[name] = dataclasses.replace(
                    member, typing_only=True)
        self.visit_body(runtime)

    def _keep_definitions(self, before: dict[str, Member]) -> None:
        """After an ``if`` without ``else``: where it rebound a defined
        class or function to something that is not one (``if not ssl:
        HTTPSConnection = DummyConnection``), the definition stays -- the
        branch is a fallback for some environments, not the API."""
        for name, earlier in before.items():
            now = self.members.get(name)
            if now is None or now is earlier:
                continue
            if isinstance(earlier, (Class, Function)) and not isinstance(
                now, (Class, Function)
            ):
                self.rebind(name, earlier)

    def rebind(self, name: str, member: Member) -> None:
        """Put back an earlier binding of ``name``."""
        self.members[name] = member

    def _visit_for_versions(
        self, block: Sequence[ast.stmt], versions: VersionRange
    ) -> None:
        """Visit ``block``; names it newly binds exist for ``versions``."""
        before = dict(self.members)
        self.visit_body(block)
        for name, member in list(self.members.items()):
            earlier = before.get(name)
            if earlier is member:
                continue
            if earlier is not None:
                # Rebound: the name existed before the branch already.
                python = earlier.python
            else:
                python = _narrow(member.python, versions)
            if python != member.python:
                self.members[name] = dataclasses.replace(
                    member, python=python
                )

    def add_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> Function:
        """Record a ``def``, gathering ``@overload`` variants."""
        name = node.name
        decorators = normalise_decorators(node.decorator_list)
        signature = build_signature(node.args, node.returns,
                                    self.scope.parameters)
        existing = self.members.get(name)
        if ('setter' in decorators or 'deleter' in decorators) and (
            isinstance(existing, Function) and existing.is_property
        ):
            # ``@x.setter`` completes the property; it is not a new member.
            updated = dataclasses.replace(
                existing,
                decorators=existing.decorators
                | (decorators & {'setter', 'deleter'}),
            )
            self.members[name] = updated
            return updated
        deprecation = static.deprecation_from_decorators(
            node.decorator_list, self.scope.names
        ) or static.deprecation_from_body(node.body, self.scope.names)
        if 'overload' in decorators:
            variants = self._overloads.setdefault(name, [])
            variants.append(signature)
            overloads = tuple(variants)
        else:
            overloads = tuple(self._overloads.pop(name, ()))
        aliases: tuple[KeywordAlias, ...] = ()
        if node.decorator_list:
            aliases = tuple(
                KeywordAlias(old, dep.replacement, dep)
                for old, dep in static.deprecated_kwargs_from_decorators(
                    node.decorator_list, self.scope.names
                ).items()
            )
        function = Function(
            name=name,
            path=self.path(name),
            location=self.scope.location(node),
            deprecation=deprecation,
            signature=signature,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            decorators=decorators,
            overloads=overloads,
            keyword_aliases=aliases,
        )
        self.bind(name, function)
        return function

    def bind(self, name: str, member: Member) -> None:
        """Bind ``name`` (a later binding replaces an earlier one)."""
        self.members[name] = member

    def add_class(self, node: ast.ClassDef) -> Class | None:
        """Record a ``class`` statement."""
        if self.depth >= _MAX_CLASS_DEPTH:
            return None
        scope = self.scope
        bases_list: list[str] = []
        metaclass = None
        for base in node.bases:
            expanded = self._with_metaclass(base)
            if expanded is None:
                bases_list.append(self._base(base))
            else:
                metaclass, more = expanded
                bases_list.extend(more)
        bases = tuple(bases_list)
        for keyword in node.keywords:
            if keyword.arg == 'metaclass':
                metaclass = scope.resolve(keyword.value) or expr_text(
                    keyword.value
                )
        path = self.path(node.name)
        is_enum = any(
            b in ENUM_BASES or b in scope.enums for b in bases
        ) or (metaclass is not None and metaclass.endswith('EnumMeta'))
        if is_enum:
            scope.enums.add(path)
        body = BodyBuilder(
            scope, path, in_enum=is_enum, depth=self.depth + 1
        )
        body.visit_body(node.body)
        body.add_instance_attributes(node.body)
        if is_enum:
            _number_auto_members(body.members, bases)
        deprecation = static.deprecation_from_decorators(
            node.decorator_list, scope.names
        )
        init = body.members.get('__init__')
        if deprecation is None and isinstance(init, Function):
            deprecation = init.deprecation
        cls = Class(
            name=node.name,
            path=path,
            location=scope.location(node),
            deprecation=deprecation,
            bases=bases,
            members=body.members,
            decorators=normalise_decorators(node.decorator_list),
            metaclass=metaclass,
            is_enum=is_enum,
        )
        self.bind(node.name, cls)
        return cls

    def _with_metaclass(
        self, node: ast.expr
    ) -> tuple[str | None, list[str]] | None:
        """``six.with_metaclass(Meta, Base, ...)`` (and ``future``'s):
        the metaclass and the real bases; ``None`` for any other base."""
        if not isinstance(node, ast.Call) or not node.args:
            return None
        func = self.scope.resolve(node.func) or ''
        if func.rpartition('.')[2] != 'with_metaclass':
            return None
        meta = self.scope.resolve(node.args[0]) or expr_text(node.args[0])
        return meta, [self._base(arg) for arg in node.args[1:]]

    def _base(self, node: ast.expr) -> str:
        if isinstance(node, ast.Subscript):
            value = self.scope.resolve(node.value)
            if value is not None:
                return f'{value}[{expr_text(node.slice)}]'
        return self.scope.resolve(node) or expr_text(node)

    def visit_assign(self, node: ast.Assign) -> None:
        """Record ``name = value`` bindings (tuple targets included)."""
        value = node.value
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.bind(target.id, self.assigned(target.id, node, value))
            elif isinstance(target, (ast.Tuple, ast.List)):
                for elt in target.elts:
                    if isinstance(elt, ast.Starred):
                        elt = elt.value
                    if isinstance(elt, ast.Name):
                        self.bind(
                            elt.id,
                            Attribute(
                                name=elt.id,
                                path=self.path(elt.id),
                                location=self.scope.location(node),
                            ),
                        )

    def visit_annassign(self, node: ast.AnnAssign) -> None:
        """Record ``name: annotation [= value]``."""
        if not isinstance(node.target, ast.Name):
            return
        name = node.target.id
        if self.in_enum and node.value is not None and _enum_name(name):
            self.bind(name, self._enum_member(name, node, node.value))
            return
        value = node.value
        self.bind(
            name,
            Attribute(
                name=name,
                path=self.path(name),
                location=self.scope.location(node),
                value=expr_text(value)
                if value is not None and is_literal(value) else None,
                annotation=expr_text(node.annotation),
                final=_is_final(node.annotation),
            ),
        )

    def _enum_member(
        self, name: str, node: ast.stmt, value: ast.expr
    ) -> Attribute:
        return Attribute(
            name=name,
            path=self.path(name),
            location=self.scope.location(node),
            value=expr_text(value),
            enum_member=True,
        )

    def assigned(
        self, name: str, node: ast.stmt, value: ast.expr
    ) -> Member:
        """The member a ``name = value`` statement binds."""
        if self.in_enum and _enum_name(name):
            return self._enum_member(name, node, value)
        location = self.scope.location(node)
        path = self.path(name)
        deprecation: Deprecation | None = None
        if isinstance(value, ast.Call):
            deprecation = static.deprecation_from_call(
                value, self.scope.names
            )
            # ``disconnect = moved_method('close')`` in a class: the same
            # method under its old name, deprecated.
            target = self.members.get(
                deprecation.replacement or '') if (
                deprecation is not None and self.depth) else None
            if isinstance(target, Function):
                return dataclasses.replace(
                    target, name=name, path=path, location=location,
                    deprecation=deprecation)
        elif isinstance(value, ast.Name) and value.id in self.members:
            # ``get = fetch`` in a class: the same function, another name.
            same = self.members.get(value.id)
            if isinstance(same, Function) and self.depth:
                return dataclasses.replace(same, name=name, path=path)
        if self.depth and isinstance(value, (ast.Name, ast.Attribute)):
            # ``type_compiler = compiler.GenericTypeCompiler`` in a class:
            # the class attribute is that object.
            root: ast.expr = value
            while isinstance(root, ast.Attribute):
                root = root.value
            dotted_target = (self.scope.resolve(value)
                             if isinstance(root, ast.Name)
                             and root.id in self.scope.names else None)
            if dotted_target is not None:
                return alias_for(self.scope, name, self.prefix,
                                 dotted_target, location)
        return Attribute(
            name=name,
            path=path,
            location=location,
            deprecation=deprecation,
            value=expr_text(value) if is_literal(value) else None,
        )

    # -- classes only -------------------------------------------------------

    def add_instance_attributes(self, body: Sequence[ast.stmt]) -> None:
        """Record public ``self.x = ...`` attributes set in methods.

        Only initialising methods are read (``__init__``, ``__new__``,
        ``__post_init__``, ``__setstate__``, ``__enter__``, ``setUp`` and
        names starting with ``init``/``setup``, underscores aside): an
        attribute first set elsewhere exists only after some call, and
        reading every method body would cost as much as the rest of
        extraction together.
        """
        for stmt in body:
            if not isinstance(
                stmt, (ast.FunctionDef, ast.AsyncFunctionDef)
            ) or not _initialises(stmt.name):
                continue
            args = stmt.args
            positional = args.posonlyargs or args.args
            if not positional:
                continue
            decorators = normalise_decorators(stmt.decorator_list)
            if {'staticmethod', 'classmethod'} & decorators:
                continue
            self_name = positional[0].arg
            for attr, annotation in _instance_assignments(
                stmt.body, self_name
            ):
                name = attr.attr
                if name.startswith('_') or name in self.members:
                    continue
                self.members[name] = Attribute(
                    name=name,
                    path=self.path(name),
                    location=self.scope.location(attr),
                    annotation=_annotation(annotation),
                    instance=True,
                )


_INITIALISERS = frozenset(
    {'__init__', '__new__', '__post_init__', '__setstate__', '__enter__',
     '__aenter__', 'setUp', 'asyncSetUp'}
)


_FLAG_BASES = frozenset({'enum.Flag', 'enum.IntFlag'})
_STR_BASES = frozenset({'enum.StrEnum'})
_INT_BASES = frozenset({'enum.Enum', 'enum.IntEnum', 'enum.ReprEnum'})


def _is_auto(text: str) -> bool:
    """``auto()`` or ``enum.auto()`` (any dotted prefix)."""
    if text == 'auto()':
        return True
    head, _, tail = text.rpartition('.')
    return tail == 'auto()' and all(p.isidentifier() for p in head.split('.'))


def _number_auto_members(
    members: dict[str, Member], bases: Sequence[str]
) -> None:
    """Give ``auto()`` members the values the enum machinery assigns.

    Only for classes deriving directly from the standard enum bases and
    not overriding ``_generate_next_value_``: ``Enum``/``IntEnum`` count
    up from the largest integer value so far (from 1), ``Flag``/
    ``IntFlag`` take the next power of two, ``StrEnum`` the lowercased
    name. Anything else keeps the text ``auto()``.
    """
    if '_generate_next_value_' in members:
        return
    known = set(bases)
    if known & _STR_BASES:
        flavour = 'str'
    elif known & _FLAG_BASES:
        flavour = 'flag'
    elif known & _INT_BASES:
        flavour = 'int'
    else:
        return
    values: list[int] = []
    for name, member in list(members.items()):
        if not (isinstance(member, Attribute) and member.enum_member):
            continue
        text = member.value or ''
        if _is_auto(text):
            if flavour == 'str':
                value = repr(name.lower())
            elif flavour == 'flag':
                highest = max(values, default=0)
                number = 1 if highest < 1 else 1 << highest.bit_length()
                values.append(number)
                value = str(number)
            else:
                number = max(values, default=0) + 1
                values.append(number)
                value = str(number)
            members[name] = dataclasses.replace(member, value=value)
            continue
        try:
            values.append(int(text, 0))
        except ValueError:
            if flavour != 'str':
                return  # a non-integer value: leave auto() as written


def _narrow(current: str | None, versions: VersionRange) -> str | None:
    if current is not None:
        known = VersionRange.parse(current)
        if known is not None:
            versions = versions.intersect(known)
    return versions.specifier()


def _initialises(name: str) -> bool:
    if name in _INITIALISERS:
        return True
    return name.lstrip('_').lower().startswith(('init', 'setup'))


def _enum_name(name: str) -> bool:
    return not name.startswith('_')


def alias_for(
    scope: Scope, name: str, prefix: str, target: str, location: Location,
    deprecation: Deprecation | None = None,
) -> Alias:
    """An :class:`Alias` bound at ``prefix.name`` pointing at ``target``."""
    return Alias(
        name=name,
        path=f'{prefix}.{name}',
        location=location,
        deprecation=deprecation,
        target=target,
        internal=scope.is_internal(target),
    )
