"""Conditional blocks of a module or class body.

:class:`ConditionalBlocks` is the part of
:class:`~symbiosis.api._extract.objects.BodyBuilder` that visits ``if``
statements: Python-version branches (skipped when Python 2 only, their
names marked with the versions they exist for), ``TYPE_CHECKING``
branches (their names exist for type checkers only), and branches that
rebind a definition as a fallback.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
import dataclasses
from typing import TYPE_CHECKING

from symbiosis.api._extract.conditions import VersionRange
from symbiosis.api._extract.conditions import version_range
from symbiosis.api._extract.scope import Scope
from symbiosis.api._model import Class
from symbiosis.api._model import Function
from symbiosis.api._model import Member

__all__ = ['ConditionalBlocks']

#: ``else`` blocks read out of order inside each other (see
#: :meth:`ConditionalBlocks.visit_if`) before tests are no longer told
#: apart.
_MAX_NESTED_IFS = 20


class ConditionalBlocks:
    """Visits ``if`` statements of a body (a mixin of ``BodyBuilder``)."""

    scope: Scope
    members: dict[str, Member]

    if TYPE_CHECKING:
        def visit_body(self, body: Sequence[ast.stmt]) -> None: ...

    #: ``else`` blocks being read out of order (before their ``if``'s
    #: body, or for some Python versions only) around the current one.
    _nested_ifs = 0

    def visit_if(self, stmt: ast.If) -> None:
        """Both branches; Python-version and ``TYPE_CHECKING`` branches
        are told apart.

        An ``elif`` chain is read in a loop, not by recursion: Python
        compiles chains thousands of links long. Its ``else`` blocks are
        read in order, except those that must be read first (``if
        TYPE_CHECKING or X``, ``if not TYPE_CHECKING``) or for some Python
        versions only; past ``_MAX_NESTED_IFS`` of those inside each
        other, a test is no longer told apart (its names are kept, without
        their versions or their type-checking status).
        """
        link: ast.If | None = stmt
        while link is not None:
            link = self._visit_link(link)

    def _visit_link(self, stmt: ast.If) -> ast.If | None:
        """Read one ``if``; return the ``if`` its ``else`` block consists
        of when that is all there is left to read (an ``elif``)."""
        plain = self._nested_ifs >= _MAX_NESTED_IFS
        typing = None if plain else self._typing_test(stmt.test)
        if typing is not None:
            return self._visit_typing(stmt, typing)
        found = None if plain else version_range(
            stmt.test, self.scope.resolve, self.scope.flags)
        if found is None:
            if stmt.orelse:
                self.visit_body(stmt.body)
                return self._last(stmt.orelse)
            before = dict(self.members)
            self.visit_body(stmt.body)
            self._keep_definitions(before)
            return None
        self._visit_branch(stmt.body, found)
        rest = found.complement()
        if not stmt.orelse:
            return None
        if rest is None or rest.all_python3:
            return self._last(stmt.orelse)
        if rest.python2_only:
            return None
        self._nested_ifs += 1
        try:
            self._visit_for_versions(stmt.orelse, rest)
        finally:
            self._nested_ifs -= 1
        return None

    def _visit_branch(
        self, block: Sequence[ast.stmt], versions: VersionRange | None
    ) -> None:
        if not block:
            return
        if versions is None or versions.all_python3:
            self.visit_body(block)
        elif not versions.python2_only:
            self._visit_for_versions(block, versions)

    def _last(self, block: Sequence[ast.stmt]) -> ast.If | None:
        """Read ``block``, the last thing to read; when it is one ``if``
        (an ``elif``), return it for the caller's loop instead."""
        if len(block) == 1 and isinstance(block[0], ast.If):
            return block[0]
        self.visit_body(block)
        return None

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

    def _visit_typing(self, stmt: ast.If, typing: str) -> ast.If | None:
        """A ``TYPE_CHECKING`` branch: names bound only there exist for
        type checkers, not at run time; when both branches bind a name,
        the run-time binding wins -- except for ``TYPE_CHECKING or X``,
        whose branch also runs, and names the pure-Python code. Returns
        what :meth:`_last` returns for the block read last."""
        if typing == 'also':
            self._nested_ifs += 1
            try:
                self.visit_body(stmt.orelse)
            finally:
                self._nested_ifs -= 1
            return self._last(stmt.body)
        checker, runtime = ((stmt.body, stmt.orelse) if typing == 'only'
                            else (stmt.orelse, stmt.body))
        before = dict(self.members)
        self._nested_ifs += int(typing == 'not')
        try:
            self.visit_body(checker)
        finally:
            self._nested_ifs -= int(typing == 'not')
        for name, member in list(self.members.items()):
            if name not in before and not member.typing_only:
                self.members[name] = dataclasses.replace(
                    member, typing_only=True)
        return self._last(runtime)

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


def _narrow(current: str | None, versions: VersionRange) -> str | None:
    if current is not None:
        known = VersionRange.parse(current)
        if known is not None:
            versions = versions.intersect(known)
    return versions.specifier()
