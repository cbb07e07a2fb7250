"""Rendering trend sections as GitHub-flavoured Markdown (``trend.md``) and as HTML (notebook).

Every cell and sentence goes through :mod:`cutover_kit.report.markup` for its format: text with
``escape_markdown`` / ``escape_html``, identifiers from evidence as code spans. Statuses and
verdicts get their palette colour in HTML, and their word in both, so colour is never the only
carrier of meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from cutover_kit.figures.palette import COMPLETION_COLORS, STATUS_COLORS, VERDICT_COLORS
from cutover_kit.report.markup import escape_html, escape_markdown, markdown_code
from cutover_kit.report.trend_sections import FIGURE_TITLES, Cell, Prose, Section, Table

_CHIP_COLORS: Final = {**STATUS_COLORS, **VERDICT_COLORS, **COMPLETION_COLORS}
# Counts, rates, seconds and ISO dates need no escape; anything else in a number cell gets one.
_PLAIN_NUMBER: Final = re.compile(r"^[0-9][0-9.%–\- ]*$|^–$")

TABLE_STYLE: Final = (
    "<style>"
    ".ck-trend table.ck-table{border-collapse:collapse;margin:0.4em 0 1em;font-size:0.9em}"
    ".ck-trend table.ck-table th,.ck-trend table.ck-table td{border:1px solid #ccc;"
    "padding:3px 7px;text-align:left;vertical-align:top}"
    ".ck-trend table.ck-table th{background:#f2f2f2}"
    ".ck-trend table.ck-table code{overflow-wrap:break-word}"
    ".ck-trend .chip{color:#fff;font-weight:bold;padding:1px 6px;border-radius:3px}"
    ".ck-trend .lead{font-size:1.1em;font-weight:bold}"
    ".ck-trend .holds{color:#009E73}.ck-trend .blocked{color:#D55E00}"
    "</style>"
)


def prose_markdown(prose: Prose) -> str:
    """The kit's words as written, each value from evidence escaped."""
    return prose.template.format(*(escape_markdown(value) for value in prose.values))


def prose_html(prose: Prose) -> str:
    return escape_html(prose.template).format(*(escape_html(value) for value in prose.values))


def _markdown_cell(cell: Cell) -> str:
    if cell.style == "number" and _PLAIN_NUMBER.match(cell.text):
        return cell.text
    if cell.style == "code":
        return markdown_code(cell.text)
    if cell.style in {"status", "verdict"}:
        return f"**{escape_markdown(cell.text)}**"
    return escape_markdown(cell.text)


def markdown_table(table: Table) -> str:
    if not table.rows:
        return escape_markdown(table.empty)
    lines = [
        "| " + " | ".join(escape_markdown(h) for h in table.headers) + " |",
        "|" + "---|" * len(table.headers),
    ]
    lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def section_markdown(section: Section, figure_links: Mapping[str, str]) -> str:
    """One section as Markdown; its figure linked by the relative path in ``figure_links``."""
    parts = [f"## {section.title}"]
    if section.lead:
        parts.append(f"**{prose_markdown(section.lead)}**")
    parts += [prose_markdown(paragraph) for paragraph in section.paragraphs]
    if section.figure and section.figure in figure_links:
        title = FIGURE_TITLES[section.figure]
        parts.append(f"![{escape_markdown(title)}]({figure_links[section.figure]})")
    parts += [markdown_table(table) for table in section.tables]
    return "\n\n".join(parts)


def trend_markdown(
    title: Prose, intro: Prose, sections: list[Section], figure_links: Mapping[str, str]
) -> str:
    """The whole ``trend.md``: a title, the window sentence, then every section."""
    body = [f"# {prose_markdown(title)}", prose_markdown(intro)]
    body += [section_markdown(section, figure_links) for section in sections]
    return "\n\n".join(body) + "\n"


def _html_cell(cell: Cell) -> str:
    text = escape_html(cell.text)
    if cell.style == "code":
        return f"<code>{text}</code>"
    if cell.style in {"status", "verdict"}:
        colour = _CHIP_COLORS.get(cell.text, "#999999")
        return f'<span class="chip" style="background:{colour}">{text}</span>'
    return text


def html_table(table: Table) -> str:
    if not table.rows:
        return f"<p>{escape_html(table.empty)}</p>"
    head = "".join(f"<th>{escape_html(h)}</th>" for h in table.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_html_cell(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return f'<table class="ck-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def section_text_html(section: Section, holds: bool | None = None) -> str:
    """A section's lead sentence and paragraphs as an HTML fragment (figure and tables apart).

    ``holds`` colours the lead sentence (the readiness section).
    """
    tone = "" if holds is None else (" holds" if holds else " blocked")
    lead = f'<p class="lead{tone}">{prose_html(section.lead)}</p>' if section.lead else ""
    paragraphs = "".join(f"<p>{prose_html(paragraph)}</p>" for paragraph in section.paragraphs)
    return f'{TABLE_STYLE}<div class="ck-trend">{lead}{paragraphs}</div>'


def section_tables_html(section: Section) -> str:
    """A section's tables as an HTML fragment."""
    tables = "".join(html_table(table) for table in section.tables)
    return f'{TABLE_STYLE}<div class="ck-trend">{tables}</div>'
