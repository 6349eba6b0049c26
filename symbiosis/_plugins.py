"""Loading plugins: the one place symbiosis reads its entry points.

Every extension point of symbiosis is an entry-point namespace whose
entry points name classes deriving from the extension point's base class
(``symbiosis.sources``, ``symbiosis.api.rules``, ``symbiosis.probes``,
``symbiosis.release.checks``, ``symbiosis.environments``,
``symbiosis.executors``, ``symbiosis.reports``, ``symbiosis.cli``).
This module finds them with stevedore -- imported here only, when a
plugin is first asked for -- and loads them with one behaviour:

* a plugin that cannot be loaded (its module raises on import, the
  attribute is missing, it is not a subclass of the base class, or its
  constructor raises) is skipped, with one warning line naming it, its
  namespace and its entry point;
* a plugin the user asked for by name (``--executor``, ``--format``,
  ``--environment``, a command) that cannot be loaded, or is not
  installed, is a :class:`~symbiosis.exception.ConfigError` naming it.

The plugins symbiosis ships are the entry points its own distribution
declares; there is no second list of them. When symbiosis runs from a
source tree that was never installed, those entry points are read from the
tree's ``pyproject.toml``, so the built-in plugins are always there.
"""

from __future__ import annotations

from collections.abc import Callable
import importlib.metadata
import logging
import pathlib
import sys
from typing import Any

from symbiosis import exception

__all__ = ['builtin_names', 'load', 'load_all', 'names']

LOG = logging.getLogger(__name__)

#: The distribution whose entry points are the built-in plugins.
DISTRIBUTION = 'symbiosis'

#: Turns a loaded plugin class into what the caller wants (an instance).
Create = Callable[[Any], Any]


def builtin_names(namespace: str) -> list[str]:
    """Return the names symbiosis's own distribution declares in
    ``namespace``, sorted (nothing is imported)."""
    return sorted(ep.name for ep in _declared(namespace))


def names(namespace: str) -> list[str]:
    """Return the names of the plugins installed in ``namespace``, sorted.

    Nothing is imported: a broken plugin is listed too.
    """
    return sorted(_entry_points(namespace))


def load_all(
    namespace: str,
    base: type,
    *,
    what: str,
    create: Create | None = None,
    builtin: bool = False,
) -> dict[str, Any]:
    """Load every plugin of ``namespace``; skip (and log) broken ones.

    :param base: the class every plugin must derive from.
    :param what: what a plugin is, for messages (``report format``).
    :param create: called with each loaded class; its result is what is
        returned (``None``: the classes themselves). An exception it
        raises makes the plugin broken.
    :param builtin: only the plugins symbiosis itself declares.
    :returns: ``{name: class or created object}``, sorted by name.
    """
    entry_points = (
        {ep.name: ep for ep in _declared(namespace)} if builtin
        else _entry_points(namespace)
    )
    loaded: dict[str, Any] = {}
    for name in sorted(entry_points):
        entry_point = entry_points[name]
        try:
            loaded[name] = _load(entry_point, base, create)
        except Exception as err:
            LOG.warning('skipping broken %s %r %s',
                        what, name, _describe(entry_point, err))
            LOG.debug('loading %s failed', entry_point, exc_info=True)
    return loaded


def load(
    namespace: str,
    name: str,
    base: type,
    *,
    what: str,
    create: Create | None = None,
) -> Any:
    """Load the plugin ``name`` of ``namespace``, asked for by the user.

    Only that plugin is imported.

    :param base: the class the plugin must derive from.
    :param what: what a plugin is, for messages (``report format``).
    :param create: called with the loaded class; its result is returned
        (``None``: the class itself). A
        :class:`~symbiosis.exception.SymbiosisError` it raises (a bad
        option value) is passed on as it is.
    :raises symbiosis.exception.ConfigError: no plugin of that name is
        installed (the message lists those that are), or it cannot be
        loaded (the message says why).
    """
    entry_points = _entry_points(namespace)
    entry_point = entry_points.get(name)
    if entry_point is None:
        raise exception.ConfigError(
            f'unknown {what} {name!r}; installed: '
            f"{', '.join(sorted(entry_points)) or 'none'}",
            key=name,
        )
    try:
        return _load(entry_point, base, create)
    except exception.SymbiosisError:
        raise
    except Exception as err:
        LOG.debug('loading %s failed', entry_point, exc_info=True)
        raise exception.ConfigError(
            f'{what} {name!r} cannot be loaded '
            f'{_describe(entry_point, err)}',
            key=name,
        ) from err


def _load(
    entry_point: importlib.metadata.EntryPoint,
    base: type,
    create: Create | None,
) -> Any:
    plugin = entry_point.load()
    if not (isinstance(plugin, type) and issubclass(plugin, base)):
        raise TypeError(
            f'{entry_point.value} is not a {base.__qualname__} subclass')
    return plugin if create is None else create(plugin)


def _describe(
    entry_point: importlib.metadata.EntryPoint, err: BaseException
) -> str:
    # One line whatever the error says: a log line per plugin.
    reason = ' '.join(str(err).split())
    error = f'{type(err).__name__}: {reason}' if reason else (
        type(err).__name__)
    return (
        f'({entry_point.group} entry point {entry_point.name} = '
        f'{entry_point.value}): {error}'
    )


def _entry_points(
    namespace: str,
) -> dict[str, importlib.metadata.EntryPoint]:
    """The entry points of ``namespace`` by name, symbiosis's own first.

    A name registered twice keeps the first entry point (symbiosis's own
    plugins cannot be replaced); the others are logged.
    """
    from stevedore import named

    # No names: stevedore lists the namespace without importing anything.
    manager: named.NamedExtensionManager[Any] = named.NamedExtensionManager(
        namespace, names=(), on_missing_entrypoints_callback=None,
    )
    found: dict[str, importlib.metadata.EntryPoint] = {}
    for entry_point in [*_declared(namespace),
                        *manager.list_entry_points()]:
        kept = found.setdefault(entry_point.name, entry_point)
        if kept.value != entry_point.value:
            LOG.warning(
                'ignoring %s entry point %s = %s: %r is already %s',
                namespace, entry_point.name, entry_point.value,
                entry_point.name, kept.value,
            )
    return found


def _declared(namespace: str) -> list[importlib.metadata.EntryPoint]:
    """The entry points symbiosis's own distribution declares."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return _declared_in_tree(namespace)
    return list(dist.entry_points.select(group=namespace))


def _declared_in_tree(
    namespace: str,
) -> list[importlib.metadata.EntryPoint]:
    """The entry points in the ``pyproject.toml`` of the source tree
    symbiosis is imported from (none when it is not in one)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    path = pathlib.Path(__file__).resolve().parent.parent / 'pyproject.toml'
    try:
        data = tomllib.loads(path.read_text(encoding='utf-8'))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    project = data.get('project', {})
    if not isinstance(project, dict) or project.get('name') != DISTRIBUTION:
        return []
    table = project.get('entry-points', {}).get(namespace, {})
    return [
        importlib.metadata.EntryPoint(name, value, namespace)
        for name, value in table.items()
        if isinstance(value, str)
    ]
