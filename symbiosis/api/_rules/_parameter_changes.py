"""What changed between two parameter lists, pairing their parameters.

Parameters are paired by name; a removed and an added parameter at the
same position (or the only keyword-only ones) are one parameter renamed
when :func:`same_parameter` says so. Each :class:`Finding` carries the
:class:`~symbiosis.api._changes.CallShape` of the calls it would break;
:mod:`symbiosis.api._rules._parameter_judge` then judges which do.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
import dataclasses

from symbiosis.api._changes import Bump
from symbiosis.api._changes import CallShape
from symbiosis.api._changes import ChangeKind
from symbiosis.api._model import Parameter
from symbiosis.api._model import ParameterKind
from symbiosis.api._rules.attributes import literal_type

__all__ = [
    'Finding',
    'compare_parameters',
    'describe_changes',
    'same_parameter',
]

K = ChangeKind


@dataclasses.dataclass(frozen=True)
class Finding:
    """One parameter difference: its kind, message and graded severity.

    :param severity: ``None`` to use the rule's default.
    :param calls: the calls it breaks (``None``: every call).
    """

    kind: str
    message: str
    severity: Bump | None = None
    calls: CallShape | None = None


def _star(param: Parameter) -> str:
    if param.kind is ParameterKind.VAR_POSITIONAL:
        return f'*{param.name}'
    if param.kind is ParameterKind.VAR_KEYWORD:
        return f'**{param.name}'
    return param.name


def compare_parameters(
    path: str,
    old: Sequence[Parameter],
    new: Sequence[Parameter],
    *,
    bound: int = 0,
) -> list[Finding]:
    """Compare two parameter lists of the function at ``path``.

    Renames are recognised by position, kind and default (see
    :func:`same_parameter`); renaming a positional-only parameter is not
    a change, since callers cannot use its name. Each finding's
    :class:`CallShape` is what the change *would* break; see
    :func:`judge_function` for what it does break.

    :param bound: leading parameters a call does not pass (1 for the
        ``self`` or ``cls`` of a method): positions in each finding's
        :class:`CallShape` are counted without them.
    """
    return describe_changes(path, old, new, bound)[0]


def _name_tokens(name: str) -> set[str]:
    return {t for t in name.lower().split('_') if t}


def same_parameter(was: Parameter, now: Parameter) -> bool:
    """Whether ``now`` is ``was`` under another name.

    Same kind and the same need for a value (both required or both
    optional), and one more sign they are the same: both required (a
    required argument is identified by its position), the same default
    or annotation, a default of the same literal type, or related names
    (``host``/``hostname``, ``max_size``/``size``).
    """
    if was.kind is not now.kind or was.required != now.required:
        return False
    if was.required:
        return True
    if was.default == now.default:
        return True
    if was.annotation and was.annotation == now.annotation:
        return True
    kind = literal_type(was.default)
    if kind is not None and kind == literal_type(now.default):
        return True
    a, b = was.name.lower(), now.name.lower()
    return a in b or b in a or bool(_name_tokens(a) & _name_tokens(b))


def describe_changes(
    path: str,
    old: Sequence[Parameter],
    new: Sequence[Parameter],
    bound: int,
) -> tuple[list[Finding], dict[str, str]]:
    """The findings, and the renames found (old name -> new name)."""

    def from_position(index: int) -> int:
        """The positional-argument count that reaches slot ``index``."""
        return max(1, index - bound + 1)

    found: list[Finding] = []
    old_kinds = {p.kind for p in old}
    new_kinds = {p.kind for p in new}
    for kind, change in (
        (ParameterKind.VAR_POSITIONAL, K.VAR_POSITIONAL_REMOVED),
        (ParameterKind.VAR_KEYWORD, K.VAR_KEYWORD_REMOVED),
    ):
        if kind in old_kinds and kind not in new_kinds:
            name = _star(next(p for p in old if p.kind is kind))
            named = sum(1 for p in old if p.kind.positional)
            # Extra positional arguments break; unknown keywords cannot
            # be told from named ones here, so every call counts.
            calls = (CallShape(positional=from_position(named))
                     if kind is ParameterKind.VAR_POSITIONAL else None)
            found.append(Finding(
                change.value, f'{path} no longer accepts {name}',
                calls=calls,
            ))
        elif kind in new_kinds and kind not in old_kinds:
            name = _star(next(p for p in new if p.kind is kind))
            found.append(Finding(
                K.PARAMETER_ADDED_OPTIONAL.value,
                f'{path} now accepts {name}',
            ))

    old_named = [p for p in old if not p.kind.variadic]
    new_named = [p for p in new if not p.kind.variadic]
    old_by = {p.name: p for p in old_named}
    new_by = {p.name: p for p in new_named}
    removed = [p for p in old_named if p.name not in new_by]
    added = [p for p in new_named if p.name not in old_by]
    common = [(p, new_by[p.name]) for p in old_named if p.name in new_by]

    old_pos = [p for p in old_named if p.kind.positional]
    new_pos = [p for p in new_named if p.kind.positional]
    renames: dict[str, str] = {}
    pairs = [
        (was, new_pos[index]) for index, was in enumerate(old_pos)
        if index < len(new_pos) and was in removed
        and new_pos[index] in added
    ]
    old_kw = [p for p in removed if p.kind is ParameterKind.KEYWORD_ONLY]
    new_kw = [p for p in added if p.kind is ParameterKind.KEYWORD_ONLY]
    if len(old_kw) == 1 and len(new_kw) == 1:
        pairs.append((old_kw[0], new_kw[0]))
    for was, now in pairs:
        if not same_parameter(was, now):
            continue
        removed.remove(was)
        added.remove(now)
        renames[was.name] = now.name
        if was.kind is not ParameterKind.POSITIONAL_ONLY:
            found.append(Finding(
                K.PARAMETER_RENAMED.value,
                f"parameter '{was.name}' of {path} was renamed to "
                f"'{now.name}'",
                calls=CallShape(keywords=(was.name,)),
            ))
        common.append((was, now))

    # ``f(x, old=None)`` -> ``f(x, new=None, *, old=None)``: the slot was
    # renamed and the old name kept as a keyword-only alias.
    aliased: set[str] = set()
    for index, was in enumerate(old_pos):
        kept = new_by.get(was.name)
        if (index >= len(new_pos) or kept is None
                or kept.kind is not ParameterKind.KEYWORD_ONLY
                or was.kind is not ParameterKind.POSITIONAL_OR_KEYWORD):
            continue
        now = new_pos[index]
        if now not in added or not same_parameter(was, dataclasses.replace(
                now, kind=was.kind)):
            continue
        added.remove(now)
        aliased.add(was.name)
        renames[was.name] = now.name
        found.append(Finding(
            K.PARAMETER_RENAMED.value,
            f"parameter '{was.name}' of {path} was renamed to "
            f"'{now.name}'",
            calls=CallShape(keywords=(was.name,)),
        ))

    for param in removed:
        found.append(Finding(
            K.PARAMETER_REMOVED.value,
            f"parameter '{param.name}' of {path} was removed",
            calls=CallShape(
                keywords=(param.name,) if param.kind.keyword else (),
                positional=(from_position(old_pos.index(param))
                            if param.kind.positional else None),
            ),
        ))
    common_pos = {now.name for was, now in common
                  if was.kind.positional and now.kind.positional}
    for param in added:
        if param.required:
            found.append(Finding(
                K.PARAMETER_ADDED_REQUIRED.value,
                f"required parameter '{param.name}' was added to {path}",
            ))
            continue
        message = (
            f"optional parameter '{param.name}' "
            f'(default {param.default}) was added to {path}'
        )
        severity = None
        calls = None
        if param.kind.positional:
            index = new_pos.index(param)
            after = [p.name for p in new_pos[index + 1:]
                     if p.name in common_pos]
            if after:
                # Existing positional arguments now land in the new slot.
                message += (
                    f", before '{after[0]}', shifting positional arguments"
                )
                severity = Bump.MAJOR
                calls = CallShape(positional=from_position(index))
        found.append(Finding(
            K.PARAMETER_ADDED_OPTIONAL.value, message, severity, calls
        ))

    for was, now in common:
        if was.name in aliased:
            continue
        found.extend(_compare_one(
            path, was, now,
            old_pos.index(was) if was in old_pos else None, from_position,
        ))

    # Compare the order of the parameters that stayed positional, under
    # their old names (a rename at the same index is not a reordering).
    positional = [
        (old_pos.index(was), new_pos.index(now), was.name)
        for was, now in common
        if was.kind.positional and now.kind.positional
    ]
    old_order = [name for _, _, name in sorted(positional)]
    new_order = [name for _, _, name in sorted(
        positional, key=lambda item: item[1]
    )]
    if old_order != new_order:
        moved = [min(o, n) for o, n, _ in positional if o != n]
        found.append(Finding(
            K.PARAMETER_REORDERED.value,
            f'positional parameters of {path} were reordered: '
            f'({", ".join(old_order)}) -> ({", ".join(new_order)})',
            calls=CallShape(positional=from_position(min(moved)))
            if moved else None,
        ))
    return found, renames


def _compare_one(
    path: str,
    was: Parameter,
    now: Parameter,
    old_index: int | None,
    from_position: Callable[[int], int],
) -> list[Finding]:
    found: list[Finding] = []
    name = now.name
    if was.kind is not now.kind:
        lost_position = was.kind.positional and not now.kind.positional
        lost_keyword = was.kind.keyword and not now.kind.keyword
        widened = not lost_position and not lost_keyword
        calls = None
        if not widened:
            calls = CallShape(
                keywords=(was.name,) if lost_keyword else (),
                positional=(from_position(old_index)
                            if lost_position and old_index is not None
                            else None),
            )
        found.append(Finding(
            K.PARAMETER_KIND_CHANGED.value,
            f"parameter '{name}' of {path} changed from {was.kind} to "
            f'{now.kind}',
            Bump.MINOR if widened else None,
            calls,
        ))
    if was.default is None and now.default is not None:
        found.append(Finding(
            K.PARAMETER_DEFAULT_ADDED.value,
            f"parameter '{name}' of {path} now has a default "
            f'({now.default})',
        ))
    elif was.default is not None and now.default is None:
        found.append(Finding(
            K.PARAMETER_DEFAULT_REMOVED.value,
            f"parameter '{name}' of {path} no longer has a default "
            f'(was {was.default}); callers must pass it',
        ))
    elif was.default != now.default:
        found.append(Finding(
            K.PARAMETER_DEFAULT_CHANGED.value,
            f"default of parameter '{name}' of {path} changed from "
            f'{was.default} to {now.default}',
        ))
    return found
