"""Environments the gate runs probes in (``symbiosis.environments``).

An environment plugin creates an isolated Python environment and installs
requirements into it; :class:`~symbiosis.gate._environments.base.Environment`
adds the caching every plugin shares (a directory per hash of the inputs,
reused when complete). ``uv`` is the default, ``venv`` (the standard
library's ``venv`` plus pip) the fallback when uv is absent. The plugin
interface is in :mod:`symbiosis.gate._environments.base` (served publicly
by :mod:`symbiosis.gate`).
"""
