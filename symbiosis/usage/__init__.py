"""Where a downstream uses an upstream, and where an upstream change hits.

::

    from symbiosis import api, usage

    names = usage.find_import_names('tinylib').names   # ('tinylib',)
    report = usage.scan('src/', names)                 # -> UsageReport
    for use in report.uses:
        print(f'{use.file}:{use.line}: {use.path}')

    result = api.diff(api.load('tinylib==1.0'), api.load('tinylib==1.1'))
    for hit in usage.impact(report.uses, result):       # -> [Impact]
        print(hit)

The scan is static: the downstream's code is parsed, never imported.
``symbiosis usage`` is the command line over these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
import os
from typing import TYPE_CHECKING

from symbiosis.usage._model import Impact
from symbiosis.usage._model import ScanProblem
from symbiosis.usage._model import UsageReport
from symbiosis.usage._model import Use
from symbiosis.usage._model import UseKind
from symbiosis.usage._names import find_import_names

if TYPE_CHECKING:
    from symbiosis.api._changes import Bump
    from symbiosis.api._differ import Diff
    from symbiosis.config import Config
    from symbiosis.usage._scanner import ScanStats

__all__ = [
    'Impact',
    'ScanProblem',
    'UsageReport',
    'Use',
    'UseKind',
    'find_import_names',
    'impact',
    'scan',
]


def scan(
    root: str | os.PathLike[str],
    import_names: Iterable[str],
    *,
    config: Config | None = None,
    upstream: str | None = None,
    stats: ScanStats | None = None,
) -> UsageReport:
    """Find every use of ``import_names`` under ``root``.

    See :func:`symbiosis.usage._scanner.scan`.
    """
    from symbiosis.usage._scanner import scan as scan_downstream

    return scan_downstream(root, import_names, config, upstream=upstream,
                           stats=stats)


def impact(
    uses: Iterable[Use],
    diff: Diff,
    *,
    threshold: Bump | str = 'major',
) -> list[Impact]:
    """Return the uses hit by breaking changes of ``diff``.

    See :func:`symbiosis.usage._impacts.impact`.
    """
    from symbiosis.usage._impacts import impact as find_impacts

    return find_impacts(uses, diff, threshold=threshold)

