"""Environments the gate runs probes in (``symbiosis.environments``).

An environment plugin creates an isolated Python environment and installs
requirements into it; :class:`~symbiosis.gate._environments.base.Environment`
adds the caching every plugin shares (a directory per hash of the inputs,
reused when complete). ``uv`` is the default, ``venv`` (the standard
library's ``venv`` plus pip) the fallback when uv is absent.
"""

from __future__ import annotations

from symbiosis.gate._environments.base import BuiltEnvironment
from symbiosis.gate._environments.base import Environment
from symbiosis.gate._environments.base import EnvironmentBuildError
from symbiosis.gate._environments.base import EnvironmentSpec
from symbiosis.gate._environments.base import clean_environments
from symbiosis.gate._environments.base import load_environment

__all__ = [
    'BuiltEnvironment',
    'Environment',
    'EnvironmentBuildError',
    'EnvironmentSpec',
    'clean_environments',
    'load_environment',
]
