"""symbiosis's own public API matches the checked-in description.

A change to the public API of symbiosis makes this test fail until
``tests/data/public-api.txt`` is regenerated::

    python -m tests.test_dogfood --update

so the change is deliberate, reviewed in the diff of that file, and gets a
release note.
"""

from __future__ import annotations

import pathlib
import sys

from symbiosis.api import _model as model
from tests import base

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXPECTED = ROOT / 'tests' / 'data' / 'public-api.txt'


def _params(signature: model.Signature) -> str:
    parts: list[str] = []
    seen_kw_only = False
    for i, param in enumerate(signature.parameters):
        kind = param.kind
        if kind is model.ParameterKind.VAR_POSITIONAL:
            text = f'*{param.name}'
            seen_kw_only = True
        elif kind is model.ParameterKind.VAR_KEYWORD:
            text = f'**{param.name}'
        else:
            if kind is model.ParameterKind.KEYWORD_ONLY and not seen_kw_only:
                parts.append('*')
                seen_kw_only = True
            text = param.name
            if param.default is not None:
                text += f'={param.default}'
        parts.append(text)
        nxt = signature.parameters[i + 1:i + 2]
        if (kind is model.ParameterKind.POSITIONAL_ONLY
                and (not nxt or nxt[0].kind
                     is not model.ParameterKind.POSITIONAL_ONLY)):
            parts.append('/')
    return ', '.join(parts)


def describe(snapshot: model.Snapshot) -> list[str]:
    """One line per public path: kind and the shape that matters."""
    lines = []
    for path, obj in snapshot.public_objects():
        if '.examples' in path:
            continue
        if isinstance(obj, model.Module):
            lines.append(f'module {path}')
        elif isinstance(obj, model.Function):
            prefix = 'async def' if obj.is_async else 'def'
            decorators = ''.join(
                f'@{d} ' for d in sorted(obj.decorators)
                if d in ('property', 'classmethod', 'staticmethod',
                         'cached_property')
            )
            lines.append(
                f'{decorators}{prefix} {path}({_params(obj.signature)})'
            )
        elif isinstance(obj, model.Class):
            bases = ', '.join(obj.bases)
            lines.append(f'class {path}({bases})')
        elif isinstance(obj, model.Attribute):
            value = f' = {obj.value}' if obj.value is not None else ''
            if obj.value is not None and len(obj.value) > 60:
                value = ' = ...'
            lines.append(f'attribute {path}{value}')
        else:
            lines.append(f'{obj.kind} {path}')
    return sorted(set(lines))


def current_description() -> list[str]:
    """Describe the public API of the symbiosis source tree."""
    from symbiosis.api._extract.snapshot import extract_snapshot
    from symbiosis.config import Config
    from symbiosis.sources._base import SourceTree

    tree = SourceTree(
        target=str(ROOT), root=ROOT, top_level=('symbiosis',),
        name='symbiosis',
    )
    snapshot = extract_snapshot(tree, Config(use_cache=False))
    assert snapshot.complete, [str(e) for e in snapshot.errors]
    return describe(snapshot)


class TestOwnPublicApi(base.TestCase):
    def test_public_api_is_as_recorded(self) -> None:
        expected = EXPECTED.read_text(encoding='utf-8').splitlines()
        current = current_description()
        added = sorted(set(current) - set(expected))
        removed = sorted(set(expected) - set(current))
        self.assertEqual(
            ([], []), (added, removed),
            'the public API of symbiosis changed; if that is deliberate, '
            'run "python -m tests.test_dogfood --update", add a release '
            'note, and commit both',
        )


if __name__ == '__main__':
    if sys.argv[1:] == ['--update']:
        EXPECTED.write_text('\n'.join(current_description()) + '\n',
                            encoding='utf-8')
        print(f'wrote {EXPECTED}')
    else:
        print(__doc__)
