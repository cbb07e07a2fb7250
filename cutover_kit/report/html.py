"""Executed notebook to a self-contained HTML page that renders offline.

The page has no input cells and no prompts, embeds its images (the notebooks display PNG bytes,
which nbconvert writes as data URIs) and fetches nothing: the kit's ``cutover_offline`` template
extends JupyterLab's and empties every block that would load a script from a CDN.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "cutover_offline"


def render_html(notebook: nbformat.NotebookNode, title: str) -> str:
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
    return body


def remote_references(page: str) -> list[str]:
    """Every ``src``/``href``/CSS ``url()``/``@import`` in ``page`` that points off the machine."""
    import re

    pattern = re.compile(
        r"""(?:\b(?:src|href)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s>]+)""",
        re.IGNORECASE,
    )
    return sorted(set(pattern.findall(page)))
