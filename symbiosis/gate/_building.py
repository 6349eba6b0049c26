"""Build (or find) a gate's environments, concurrently.

:func:`start_builds` starts every distinct environment at once on a small
thread pool and returns an iterator that yields each variant as soon as
its own environment is ready, so a side's probes start while the other
side is still being built.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator
from collections.abc import Mapping
from collections.abc import Sequence
import concurrent.futures
import contextlib
import pathlib
import re
import threading
from typing import TYPE_CHECKING

from symbiosis import exception
from symbiosis.gate._model import EnvironmentInfo

if TYPE_CHECKING:
    from symbiosis.gate._environments.base import BuiltEnvironment
    from symbiosis.gate._environments.base import Environment
    from symbiosis.gate._environments.base import EnvironmentSpec
    from symbiosis.gate._plan import Slot
    from symbiosis.gate._plan import Variant
    from symbiosis.gate._specs import InstallSpec

__all__ = ['installer_not_found', 'start_builds']

#: Called with each environment's description and a progress message.
ReadyCallback = Callable[['Variant', EnvironmentInfo, str], None]

# An installer saying the requested release does not exist: the user's
# input is wrong (exit 2), not the infrastructure.
_NOT_FOUND = re.compile(
    r'not found in the package registry|there is no version of|'
    r'no versions of|No matching distribution found|'
    r'Could not find a version that satisfies',
    re.IGNORECASE,
)

#: At most this many environments are built at once.
MAX_PARALLEL_BUILDS = 8


def installer_not_found(text: str) -> str | None:
    """The line of an installer's message saying a release does not
    exist, if it says so."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if _NOT_FOUND.search(line):
            return line
    return None


def start_builds(
    plugin: Environment,
    root: pathlib.Path,
    matrix: Sequence[Variant],
    specs: Mapping[Slot, InstallSpec],
    wanted: Mapping[Variant, EnvironmentSpec],
    *,
    workers: int,
    upstream: str,
    ready: ReadyCallback,
    keep: contextlib.ExitStack | None = None,
) -> tuple[concurrent.futures.ThreadPoolExecutor,
           Generator[tuple[Variant, BuiltEnvironment | str], None, None]]:
    """Start building (or finding) every variant's environment.

    Variants sharing an :class:`EnvironmentSpec` share one build.

    :param wanted: each variant's environment.
    :param workers: the gate's parallelism (bounds the builds at once).
    :param ready: called as each variant's environment is ready (or
        failed), before the variant is yielded.
    :param keep: holds each environment against removal until it closes
        (see :meth:`Environment.ensure`).
    :returns: the pool running the builds, and an iterator of each
        variant with its environment, or why it could not be built.
    :raises symbiosis.exception.InputError: (while iterating) the
        installer says a SPEC's release does not exist.
    """
    from symbiosis.gate._environments.base import EnvironmentBuildError

    unique = list(dict.fromkeys(wanted.values()))
    # The tool's version is part of every key: ask once, here, rather
    # than once per build thread (a failure is reported by ensure()).
    with contextlib.suppress(EnvironmentBuildError):
        plugin.version()
    pool = concurrent.futures.ThreadPoolExecutor(
        max_workers=max(1, min(len(unique), workers, MAX_PARALLEL_BUILDS)))
    hold = None if keep is None else _holder(keep)
    futures = {pool.submit(plugin.ensure, s, root, hold=hold): s
               for s in unique}
    # The builds run from here on; what is left waits for them.
    return pool, _as_ready(plugin, matrix, specs, wanted, pool, futures,
                           upstream, ready)


def cached_pins(
    plugin: Environment,
    root: pathlib.Path,
    specs: Mapping[Slot, InstallSpec],
    wanted: Mapping[Variant, EnvironmentSpec],
) -> set[str]:
    """The exact pins (``NAME==VERSION``) among ``specs`` whose every
    environment is cached under ``root``: installing them asks the index
    nothing."""
    from symbiosis.gate._environments.base import MARKER
    from symbiosis.gate._specs import is_exact

    found = set()
    for slot, spec in specs.items():
        if spec.local or not is_exact(spec):
            continue
        paths = [root / env.key(plugin.name, plugin.version())[:32]
                 for variant, env in wanted.items() if variant.slot == slot]
        if all((p / MARKER).is_file() and plugin.interpreter(p).exists()
               for p in paths):
            found.add(spec.install)
    return found


def _holder(
    keep: contextlib.ExitStack,
) -> Callable[[contextlib.AbstractContextManager[object]], object]:
    """``keep.enter_context`` for the build threads, one at a time."""
    lock = threading.Lock()

    def hold(context: contextlib.AbstractContextManager[object]) -> object:
        with lock:
            return keep.enter_context(context)

    return hold


def _as_ready(
    plugin: Environment,
    matrix: Sequence[Variant],
    specs: Mapping[Slot, InstallSpec],
    wanted: Mapping[Variant, EnvironmentSpec],
    pool: concurrent.futures.ThreadPoolExecutor,
    futures: Mapping[concurrent.futures.Future[BuiltEnvironment],
                     EnvironmentSpec],
    upstream: str,
    ready: ReadyCallback,
) -> Generator[tuple[Variant, BuiltEnvironment | str], None, None]:
    """Yield each variant once its environment's build is over."""
    from symbiosis.gate._environments.base import EnvironmentBuildError

    try:
        for future in concurrent.futures.as_completed(futures):
            env_spec = futures[future]
            try:
                env: BuiltEnvironment | str = future.result()
            except EnvironmentBuildError as err:
                env = str(err)
            for variant in matrix:
                if wanted[variant] != env_spec:
                    continue
                info, message = describe(plugin, variant,
                                         specs[variant.slot], env, upstream)
                ready(variant, info, message)
                yield variant, env
    except BaseException:
        # Interrupted or bad input: do not wait for builds still running
        # here (an interrupt kills their process groups).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def describe(
    plugin: Environment,
    variant: Variant,
    side_spec: InstallSpec,
    env: BuiltEnvironment | str,
    upstream: str,
) -> tuple[EnvironmentInfo, str]:
    """Describe a variant's environment, with a progress message.

    :raises symbiosis.exception.InputError: the installer says the SPEC's
        release does not exist.
    """
    if isinstance(env, str):
        missing = installer_not_found(env)
        if not side_spec.local and missing:
            raise exception.InputError(
                f'{upstream} {side_spec.spec}: no such release '
                f'installable: {missing}')
        info = EnvironmentInfo(
            variant.side.value, side_spec.install, variant.python,
            variant.downstream, plugin.name, '', '', '', False, 0.0, env,
            candidate=variant.candidate)
        return info, (f'{variant.label()}: environment failed: '
                      f'{env.splitlines()[0]}')
    from symbiosis.gate._environments.base import installed_version

    version = installed_version(env.path, upstream)
    info = EnvironmentInfo(
        variant.side.value, side_spec.install, variant.python,
        variant.downstream, env.kind, env.key, str(env.path), env.python,
        env.reused, env.seconds, version=version,
        candidate=variant.candidate)
    installed = f' ({upstream} {version})' if version else ''
    return info, (f'{variant.label()}: environment '
                  f"{'reused' if env.reused else 'built'} in "
                  f'{env.seconds:.2f}s{installed}')
