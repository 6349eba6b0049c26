"""symbiosis: gate upstream releases before they reach you.

Importing this package is deliberately cheap: it pulls in no plugin
machinery (stevedore, cliff, futurist). Capabilities live in subpackages
(:mod:`symbiosis.api`, :mod:`symbiosis.sources`, ...) that are imported
when used.
"""

from __future__ import annotations

__all__ = ['__version__']


def __getattr__(name: str) -> str:
    # The version is computed on first access only: asking the installed
    # metadata is cheap but not free, and most importers never need it.
    if name == '__version__':
        from symbiosis._version import version_string

        return version_string()
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
