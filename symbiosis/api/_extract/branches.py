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


class ConditionalBlocks:
    """Visits ``if`` statements of a body (a mixin of ``BodyBuilder``)."""

    scope: Scope
    members: dict[str, Member]

    if TYPE_CHECKING:
        def visit_body(self, body: Sequence[ast.stmt]) -> None: ...

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


def _narrow(current: str | None, versions: VersionRange) -> str | None:
    if current is not None:
        known = VersionRange.parse(current)
        if known is not None:
            versions = versions.intersect(known)
    return versions.specifier()
