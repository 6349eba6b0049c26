"""Where the store is: ``--store``, ``$SYMBIOSIS_STORE_URL``, the
project's settings file, else SQLite in the user's data directory.

The settings file's table is ``[store]`` (``[tool.symbiosis.store]`` in
``pyproject.toml``):

.. code-block:: toml

    [tool.symbiosis.store]
    url = "postgresql+psycopg://gate@db.example.org/symbiosis"
"""

from __future__ import annotations

from collections.abc import Mapping
import os
import pathlib

from symbiosis._settings import check_keys
from symbiosis._settings import find_settings_file
from symbiosis._settings import read_settings_table
from symbiosis.exception import ConfigError

__all__ = ['default_store_url', 'resolve_store_url']

#: The environment variable naming the store.
STORE_URL_VARIABLE = 'SYMBIOSIS_STORE_URL'


def default_store_url(environ: Mapping[str, str] | None = None) -> str:
    """SQLite in ``$XDG_DATA_HOME/symbiosis`` (else
    ``~/.local/share/symbiosis``): ``store.sqlite``."""
    env = os.environ if environ is None else environ
    base = env.get('XDG_DATA_HOME') or '~/.local/share'
    path = pathlib.Path(base).expanduser() / 'symbiosis' / 'store.sqlite'
    return f'sqlite:///{path}'


def resolve_store_url(
    given: str | None,
    project_dir: str | pathlib.Path = '.',
    environ: Mapping[str, str] | None = None,
) -> str:
    """The store to use: ``given``, the variable, the settings, the
    default -- the first that says.

    :raises symbiosis.exception.ConfigError: the settings' ``url`` is not
        a non-empty string, or the table has unknown keys.
    """
    if given:
        return given
    env = os.environ if environ is None else environ
    if env.get(STORE_URL_VARIABLE):
        return env[STORE_URL_VARIABLE]
    file = find_settings_file(project_dir)
    if file is not None:
        table = read_settings_table(file, 'store')
        check_keys(table, {'url'}, 'store', str(file))
        url = table.get('url')
        if url is not None:
            if not isinstance(url, str) or not url:
                raise ConfigError('url must be a non-empty string',
                                  path=str(file), key='url')
            return url
    return default_store_url(env)
