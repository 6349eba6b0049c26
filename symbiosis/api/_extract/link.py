"""Passes across modules, run on the per-file results.

* ``from .x import *`` binds ``x``'s ``__all__`` (or, without one, its
  public names) in the importing module, following chains and stopping
  at cycles;
* ``__all__ = a.__all__ + b.__all__ + [...]`` is resolved from the other
  modules' resolved ``__all__``;
* a class whose base is an enum class of another module of the snapshot is
  an enum too;
* names bound to what a wrapper factory or a callable class makes are
  callables (:mod:`.factories`).

A module is linked once the modules it names are: chains of star imports
as long as the distribution has modules are followed with a stack of
their own, not by recursion.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator
from collections.abc import Mapping
import dataclasses
import logging

from symbiosis.api._extract.factories import apply_factories
from symbiosis.api._extract.module import ModuleLinks
from symbiosis.api._model import Alias
from symbiosis.api._model import Class
from symbiosis.api._model import Member
from symbiosis.api._model import Module

__all__ = ['link_modules']

LOG = logging.getLogger(__name__)

#: A module being linked: yields the names of the modules it needs, is
#: sent each of them linked, returns the module linked.
_Linking = Generator[str, 'Module | None', Module]


class _Linker:
    def __init__(
        self,
        modules: Mapping[str, Module],
        links: Mapping[str, ModuleLinks],
        top_level: frozenset[str],
    ) -> None:
        self.modules = modules
        self.links = links
        self.top_level = top_level
        self.done: dict[str, Module] = {}
        self.active: set[str] = set()

    def star_names(self, module: Module) -> tuple[str, ...]:
        """What ``from module import *`` binds: its ``__all__``, else
        every public name it binds -- imports from within the
        distribution included, as the interpreter does; imports from
        elsewhere (``os``, ``np``) are left out, like everywhere else."""
        if module.dunder_all is not None:
            return module.dunder_all
        return tuple(dict.fromkeys([
            *(n for n in module.exports if not n.startswith('_')),
            *(n for n, m in module.members.items()
              if not n.startswith('_')
              and (not isinstance(m, Alias) or m.internal)),
        ]))

    def resolve(self, name: str) -> Module | None:
        """The module ``name`` linked; ``None`` when it is not one of the
        distribution's. In a cycle, what is known so far."""
        known, answer = self._known(name)
        if known:
            return answer
        # Each module being linked waits, as a generator, for the module
        # it asked for: the stack holds what recursion would.
        stack = [(name, self._begin(name))]
        answer = None
        while stack:
            current, linking = stack[-1]
            try:
                wanted = linking.send(answer)
            except StopIteration as done:
                stack.pop()
                self.active.discard(current)
                answer = self.done[current] = done.value
                continue
            known, answer = self._known(wanted)
            if not known:
                stack.append((wanted, self._begin(wanted)))
        return answer

    def _known(self, name: str) -> tuple[bool, Module | None]:
        """``(True, module)`` when ``name`` needs no linking: linked
        already, not the distribution's (``None``), without links, or in
        a cycle (what is known so far); else ``(False, None)``."""
        done = self.done.get(name)
        if done is not None:
            return True, done
        module = self.modules.get(name)
        if module is None:
            return True, None
        if not self.links.get(name) or name in self.active:
            return True, module
        return False, None

    def _begin(self, name: str) -> _Linking:
        self.active.add(name)
        return self._link(self.modules[name], self.links[name])

    def _link(self, module: Module, link: ModuleLinks) -> _Linking:
        """Link ``module``; yields the name of each module it needs and
        is sent that module linked (``None``: not the distribution's)."""
        members: dict[str, Member] = dict(module.members)
        star_added: list[str] = []
        dynamic = link.all_dynamic
        for source_name in link.star_imports:
            source = yield source_name
            if source is None:
                LOG.debug('%s: star import of %s: names unknown',
                          module.name, source_name)
                continue
            dynamic = dynamic or (source.dynamic_names
                                  and source.dunder_all is None)
            for name in self.star_names(source):
                if name in members:
                    continue
                target = f'{source_name}.{name}'
                members[name] = Alias(
                    name=name,
                    path=f'{module.name}.{name}',
                    target=target,
                    internal=source_name.partition('.')[0]
                    in self.top_level,
                )
                star_added.append(name)
        dunder_all = module.dunder_all
        if link.all_parts is not None:
            names: list[str] = []
            for kind, value in link.all_parts:
                if kind == 'name':
                    names.append(value)
                    continue
                if kind == 'dir':
                    # What the module binds, as for a star import:
                    # imports from elsewhere (``np``) left out.
                    names.extend(
                        n for n, m in members.items()
                        if not n.startswith('_')
                        and (not isinstance(m, Alias) or m.internal))
                    continue
                other = yield value
                if other is None:
                    LOG.debug('%s: __all__ uses unknown %s.__all__',
                              module.name, value)
                    break
                dynamic = dynamic or (other.dynamic_names
                                      and other.dunder_all is None)
                names.extend(
                    other.dunder_all if other.dunder_all is not None
                    else other.exports
                )
            else:
                dunder_all = tuple(dict.fromkeys(names))
        if dunder_all is not None:
            exports = dunder_all
        else:
            exports = tuple(dict.fromkeys(
                [*module.exports,
                 *(n for n in star_added if not n.startswith('_'))]
            ))
        return dataclasses.replace(
            module, members=members, exports=exports, dunder_all=dunder_all,
            dynamic_names=dynamic,
        )


def _enum_paths(modules: Mapping[str, Module]) -> set[str]:
    found: set[str] = set()
    for module in modules.values():
        for member in module.members.values():
            if isinstance(member, Class) and member.is_enum:
                found.add(member.path)
    return found


def _aliases(modules: Mapping[str, Module]) -> dict[str, str]:
    table: dict[str, str] = {}
    for module in modules.values():
        for name, member in module.members.items():
            if isinstance(member, Alias) and member.internal:
                table[f'{module.name}.{name}'] = member.target
    return table


def _canonical(modules: Mapping[str, Module]) -> Callable[[str], str]:
    """A dotted path through the distribution's aliases (a few steps)."""
    aliases = _aliases(modules)

    def canonical(path: str) -> str:
        for _ in range(10):
            nxt = aliases.get(path)
            if nxt is None:
                break
            path = nxt
        return path
    return canonical


def _mark_enums(modules: dict[str, Module]) -> None:
    """Classes deriving from another module's enum class are enums."""
    enums = _enum_paths(modules)
    if not enums:
        return
    canonical = _canonical(modules)

    changed = True
    rounds = 0
    while changed and rounds < 5:
        changed = False
        rounds += 1
        for name, module in modules.items():
            updates: dict[str, Member] = {}
            for key, member in module.members.items():
                if (
                    isinstance(member, Class)
                    and not member.is_enum
                    and any(canonical(b) in enums for b in member.bases)
                ):
                    updates[key] = _as_enum(member)
                    enums.add(member.path)
            if updates:
                modules[name] = dataclasses.replace(
                    module, members={**module.members, **updates}
                )
                changed = True


def _as_enum(cls: Class) -> Class:
    from symbiosis.api._model import Attribute

    members: dict[str, Member] = {}
    for name, member in cls.members.items():
        if (
            isinstance(member, Attribute)
            and not name.startswith('_')
            and not member.instance
            and member.annotation is None
        ):
            member = dataclasses.replace(member, enum_member=True)
        members[name] = member
    return dataclasses.replace(cls, members=members, is_enum=True)


def link_modules(
    modules: Mapping[str, Module],
    links: Mapping[str, ModuleLinks],
    top_level: frozenset[str],
) -> dict[str, Module]:
    """Return ``modules`` with cross-module information resolved.

    :param modules: per-file results by module name.
    :param links: what each module needs from others.
    :param top_level: import names of the distribution.
    """
    linker = _Linker(modules, links, top_level)
    result = {name: linker.resolve(name) or module
              for name, module in modules.items()}
    _mark_enums(result)
    facts = {name: (link.wrappers, link.calls)
             for name, link in links.items() if link.calls}
    if facts:
        apply_factories(
            result,
            {**{name: (link.wrappers, ()) for name, link in links.items()
                if link.wrappers}, **facts},
            _canonical(result))
    return result
