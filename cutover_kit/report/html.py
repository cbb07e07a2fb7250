"""Executed notebook to a self-contained HTML page that renders offline.

The page has no input cells and no prompts, embeds its images (the notebooks display PNG bytes,
which nbconvert writes as data URIs) and fetches nothing: the kit's ``cutover_offline`` template
extends JupyterLab's and empties every block that would load a script from a CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cutover_kit.figures.palette import STATUS_COLORS

if TYPE_CHECKING:
    from nbformat import NotebookNode

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "cutover_offline"


def render_html(notebook: NotebookNode, title: str) -> str:
    """The HTML page of an executed notebook, inputs hidden."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        theme="light",
    )
    notebook.metadata["title"] = title
    body, _resources = exporter.from_notebook_node(notebook)
    return colour_statuses(body)


_DARK_TEXT_ON = frozenset({"missing", "skipped"})
"""Statuses whose palette colour is light enough that black text reads better than white."""


def badge_style(status: str) -> str:
    """The inline style of a status badge: its palette colour, and a text colour that reads."""
    background = STATUS_COLORS.get(status, "#000000")
    text = "#000000" if status in _DARK_TEXT_ON else "#ffffff"
    return f"background:{background};color:{text}"


def colour_statuses(page: str) -> str:
    """Give every bold status word (``**FAIL**`` in the Markdown) its palette colour.

    Markdown cannot colour text; the rendered ``<strong>FAIL</strong>`` can be. Evidence text
    never renders as ``<strong>``: its ``*`` are escaped before it reaches the Markdown.
    """
    for status in STATUS_COLORS:
        page = page.replace(
            f"<strong>{status.upper()}</strong>",
            f'<strong class="ck-status" style="{badge_style(status)}">{status.upper()}</strong>',
        )
    return page


def remote_references(page: str) -> list[str]:
    """Every ``src``/``href``/CSS ``url()``/``@import`` in ``page`` that points off the machine."""
    import re

    pattern = re.compile(
        r"""(?:\b(?:src|href)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s>]+)""",
        re.IGNORECASE,
    )
    return sorted(set(pattern.findall(page)))
