"""Showing a Markdown section in a notebook with its charts as embedded PNG outputs.

``report.md`` links its charts relatively (``![…](figures/x.png)``); a notebook output cannot rely
on a relative file (the HTML page must embed its images), so :func:`show` splits a section at
those links and displays each chart from the PNG bytes instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_FIGURE_LINK = re.compile(r"!\[([^\]\n]*)\]\((figures/[^)\s]+\.png)\)")


@dataclass(frozen=True)
class Block:
    """A piece of a section: Markdown text, or a chart's PNG bytes with its alt text."""

    markdown: str = ""
    png: bytes = b""
    alt: str = ""


def section_blocks(markdown: str, figures: Mapping[str, bytes]) -> list[Block]:
    """The section as Markdown and chart blocks, in order; links to unknown charts stay text."""
    blocks: list[Block] = []
    position = 0
    for match in _FIGURE_LINK.finditer(markdown):
        if match.group(2) not in figures:
            continue
        before = markdown[position : match.start()].strip()
        if before:
            blocks.append(Block(markdown=before))
        blocks.append(Block(png=figures[match.group(2)], alt=match.group(1)))
        position = match.end()
    rest = markdown[position:].strip()
    if rest:
        blocks.append(Block(markdown=rest))
    return blocks


def show(markdown: str, figures: Mapping[str, bytes] | None = None) -> None:
    """Display a Markdown section, its chart links replaced by the charts themselves."""
    from IPython.display import Image, Markdown, display

    for block in section_blocks(markdown, figures or {}):
        if block.png:
            display(Image(data=block.png, format="png", alt=block.alt))
        else:
            display(Markdown(block.markdown))
