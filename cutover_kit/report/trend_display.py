"""What the trend notebook displays: each section's text, its chart and its tables.

The notebook converts to ``trend.html`` with inputs hidden, so these displays are the page: HTML
escaped by :mod:`cutover_kit.report.trend_render`, and the charts as the PNGs already written
(embedded in the notebook, not drawn a second time).
"""

from __future__ import annotations

from IPython.display import HTML, Image, display

from cutover_kit.report.markup import escape_html
from cutover_kit.report.trend_outputs import TrendOutputs
from cutover_kit.report.trend_render import prose_html, section_tables_html, section_text_html
from cutover_kit.report.trend_sections import FIGURE_TITLES, window_sentence


def show_window(outputs: TrendOutputs) -> None:
    """The window and policy the review covers, and where its files were written."""
    files = ", ".join(
        path.relative_to(outputs.output_dir).as_posix()
        for path in (outputs.markdown_path, outputs.json_path, *outputs.figures.values())
    )
    display(
        HTML(
            f"<p>{prose_html(window_sentence(outputs.review))}</p>"
            f"<p>Files: {escape_html(files)}</p>"
        )
    )


def show_section(outputs: TrendOutputs, key: str) -> None:
    """Display one section: lead and paragraphs, then its chart, then its tables."""
    section = outputs.sections[key]
    holds = outputs.review.ready if key == "readiness" else None
    display(HTML(section_text_html(section, holds)))
    if section.figure and section.figure in outputs.figures:
        display(
            Image(
                filename=str(outputs.figures[section.figure]),
                alt=FIGURE_TITLES[section.figure],
            )
        )
    if section.tables:
        display(HTML(section_tables_html(section)))
