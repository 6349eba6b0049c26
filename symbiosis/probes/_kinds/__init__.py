"""Probe kinds: ``function``, ``command``, ``usage`` and ``semver``.

Each is a :class:`ProbeKind` plugin in the ``symbiosis.probes`` stevedore
namespace. Importing this package loads none of them.
"""

from __future__ import annotations

from symbiosis.probes._kinds.base import NAMESPACE
from symbiosis.probes._kinds.base import ProbeKind
from symbiosis.probes._kinds.base import load_kind
from symbiosis.probes._kinds.base import load_kinds

__all__ = ['NAMESPACE', 'ProbeKind', 'load_kind', 'load_kinds']
