"""Self-contained HTML pages, rendered from the package's Jinja2
templates (``symbiosis/_html/templates``).

Every page carries its own CSS and its few lines of script inline: no
font, script or style sheet is fetched, so a page opened from disk, or
published as a CI artifact, reads the same with no network. Autoescaping
is on for every template: a probe name or an exception message is text,
never markup.

Jinja2 is imported here only, when a page is rendered: commands that
write no HTML never load it.
"""

from __future__ import annotations

from collections.abc import Mapping
import functools
import os
import pathlib
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    import jinja2

__all__ = ['TEMPLATES', 'render', 'svg_strip']

#: Where the templates are.
TEMPLATES = pathlib.Path(__file__).resolve().parent / 'templates'


@functools.lru_cache(maxsize=4)
def _environment(cache_dir: str | None = None) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Compiled templates, kept between runs (checked against the
        # template's source each time): a page is then rendered without
        # compiling its templates again.
        bytecode_cache=None if cache_dir is None
        else jinja2.FileSystemBytecodeCache(cache_dir),
    )


def render(
    template: str,
    context: Mapping[str, Any],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> str:
    """Render ``template`` (a file name under :data:`TEMPLATES`) with
    ``context``; every value is escaped unless the template says not.

    :param cache_dir: where compiled templates are kept between runs
        (``None``: compiled each run).
    """
    env = _environment(None if cache_dir is None else os.fspath(cache_dir))
    return env.get_template(template).render(**context)


#: Width and gap of one cell of a history strip, in pixels.
STRIP_CELL = 10


def svg_strip(
    cells: list[tuple[str, str]], colours: dict[str, str]
) -> str:
    """An inline SVG strip: one square per ``(state, title)``, oldest
    first, coloured by ``colours[state]``. The markup is built from
    escaped text, so it may be inserted as it is."""
    from html import escape

    width = max(1, len(cells)) * STRIP_CELL
    parts = [
        f'<svg class="strip" width="{width}" height="{STRIP_CELL}" '
        f'viewBox="0 0 {width} {STRIP_CELL}" role="img" '
        f'aria-label="{escape(" ".join(s for s, _ in cells))}">'
    ]
    for index, (state, title) in enumerate(cells):
        fill = colours.get(state, '#999999')
        parts.append(
            f'<rect x="{index * STRIP_CELL}" y="0" width="{STRIP_CELL - 2}"'
            f' height="{STRIP_CELL}" fill="{escape(fill)}">'
            f'<title>{escape(title)}</title></rect>')
    parts.append('</svg>')
    return ''.join(parts)
