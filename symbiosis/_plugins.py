"""Loading plugins: the one place symbiosis reads its entry points.

Every extension point of symbiosis is an entry-point namespace whose
entry points name classes deriving from the extension point's base class
(``symbiosis.sources``, ``symbiosis.api.rules``, ``symbiosis.probes``,
``symbiosis.release.checks``, ``symbiosis.environments``,
``symbiosis.executors``, ``symbiosis.reports``, ``symbiosis.cli``).
This module finds them with stevedore -- imported here only, when a
plugin is first asked for -- and loads them with one behaviour. A plugin
*cannot be loaded* when its module raises on import (or exits), the
attribute is missing, it is not a subclass of the base class, or its
constructor raises; then:

* when the caller needs every plugin of the namespace (sources, diff
  rules, probe kinds, release checks: a run without one of them would
  judge less and could still pass), it is a
  :class:`~symbiosis.exception.PluginLoadError` (exit code 3) naming the
  plugin, its namespace, its entry point and the error -- unless
  ``SYMBIOSIS_ALLOW_BROKEN_PLUGINS`` is set (``--allow-broken-plugins``),
  for users who accept a degraded run: the plugin is then skipped with
  one warning line saying the same;
* when the caller picks one plugin among them (the commands of the
  program, the environment chosen by default), it is skipped with that
  warning line: the run does not use it;
* a plugin the user asked for by name (``--executor``, ``--format``,
  ``--environment``, a command) that cannot be loaded, or is not
  installed, is a :class:`~symbiosis.exception.ConfigError` naming it
  (exit code 2).

The plugins symbiosis ships are the entry points its own distribution
declares; there is no second list of them. When symbiosis runs from a
source tree that was never installed, those entry points are read from the
tree's ``pyproject.toml``, so the built-in plugins are always there.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Mapping
import importlib.metadata
import logging
import os
import pathlib
import sys
from typing import Any

from symbiosis import exception

__all__ = [
    'ALLOW_BROKEN',
    'broken_allowed',
    'builtin_names',
    'load',
    'load_all',
    'names',
]

LOG = logging.getLogger(__name__)

#: The distribution whose entry points are the built-in plugins.
DISTRIBUTION = 'symbiosis'

#: Turns a loaded plugin class into what the caller wants (an instance).
Create = Callable[[Any], Any]

#: The environment variable that lets a run go on without the plugins
#: that cannot be loaded (set to anything but ``0``).
ALLOW_BROKEN = 'SYMBIOSIS_ALLOW_BROKEN_PLUGINS'

#: What loading a plugin may raise and still leave symbiosis running: a
#: plugin module calling ``sys.exit()`` must not end the run, with its
#: exit status, having judged nothing.
_LOAD_FAILURES = (Exception, SystemExit)


def broken_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """Whether :data:`ALLOW_BROKEN` is set (read at each load).

    :param environ: the environment to read (defaults to ``os.environ``).
    """
    env = os.environ if environ is None else environ
    return env.get(ALLOW_BROKEN, '') not in ('', '0')


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
    complete: bool = True,
    skip: Collection[str] = (),
) -> dict[str, Any]:
    """Load every plugin of ``namespace``.

    :param base: the class every plugin must derive from.
    :param what: what a plugin is, for messages (``report format``).
    :param create: called with each loaded class; its result is what is
        returned (``None``: the classes themselves). An exception it
        raises makes the plugin broken.
    :param builtin: only the plugins symbiosis itself declares.
    :param complete: the caller needs every plugin (a run without one
        would judge less): a broken one raises, unless
        :func:`broken_allowed`. ``False`` when the caller picks one among
        them: a broken one is skipped with a warning.
    :param skip: names not to load (the caller loads them itself).
    :returns: ``{name: class or created object}``, sorted by name.
    :raises symbiosis.exception.PluginLoadError: a plugin cannot be
        loaded, ``complete`` is true and broken plugins are not allowed
        (the first one, by name, is named; the message counts the others).
    """
    entry_points = (
        {ep.name: ep for ep in _declared(namespace)} if builtin
        else _entry_points(namespace)
    )
    loaded: dict[str, Any] = {}
    broken: list[tuple[str, importlib.metadata.EntryPoint,
                       BaseException]] = []
    for name in sorted(set(entry_points).difference(skip)):
        entry_point = entry_points[name]
        try:
            loaded[name] = _load(entry_point, base, create)
        except _LOAD_FAILURES as err:
            broken.append((name, entry_point, err))
    if broken and complete and not broken_allowed():
        name, entry_point, error = broken[0]
        more = len(broken) - 1
        others = (f'; {more} more {what}{"s" if more > 1 else ""} '
                  'cannot be loaded either' if more else '')
        raise exception.PluginLoadError(
            f'{what} {name!r} cannot be loaded '
            f'{_describe(entry_point, error)}{others} (set '
            f'{ALLOW_BROKEN}=1 or --allow-broken-plugins to run without '
            'it)',
            namespace=namespace, name=name, entry_point=entry_point.value,
        ) from error
    for name, entry_point, error in broken:
        LOG.warning('skipping broken %s %r %s',
                    what, name, _describe(entry_point, error))
        LOG.debug('loading %s failed', entry_point, exc_info=error)
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
    except _LOAD_FAILURES as err:
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
