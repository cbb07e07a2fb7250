"""The verdict banner of the session report page: both verdicts big and coloured.

Markdown cannot colour text, so the page shows this HTML banner above the Markdown sections;
``report.md`` carries the same verdicts as bold text. Every evidence string is HTML-escaped.
"""

from __future__ import annotations

from cutover_kit.analysis.session import STATUSES, Banner
from cutover_kit.figures.palette import COMPLETION_COLORS, VERDICT_COLORS
from cutover_kit.report.html import badge_style
from cutover_kit.report.markup import escape_html

_UNKNOWN = "#000000"


def _verdict_box(label: str, value: str) -> str:
    colour = {**VERDICT_COLORS, **COMPLETION_COLORS}.get(value, _UNKNOWN)
    return (
        f'<div class="ck-verdict" style="background:{colour}">'
        f'<div class="ck-label">{escape_html(label)}</div>'
        f'<div class="ck-value">{escape_html(value)}</div></div>'
    )


def status_badge(status: str) -> str:
    """A status word on its palette colour (``missing`` and ``fail`` never look alike)."""
    return f'<span class="ck-status" style="{badge_style(status)}">{escape_html(status)}</span>'


def banner_html(banner: Banner) -> str:
    """Both verdicts as coloured boxes (and cutover completion where it was evaluated), with
    the rehearsal and the gate counts under them."""
    counts = " ".join(
        f"{status_badge(status)} {banner.counts.get(status, 0)}" for status in STATUSES
    )
    previous = f", compared with {escape_html(banner.previous_id)}" if banner.previous_id else ""
    title = escape_html(banner.title or "Rehearsal")
    # completion only where it was evaluated (an authorised cutover): section 8 says why not
    completion = (
        _verdict_box("Cutover completion", banner.completion)
        if banner.completion in COMPLETION_COLORS
        else ""
    )
    return (
        f"<h1>Session report: {escape_html(banner.rehearsal_id)}</h1>"
        f'<p class="ck-muted">{title} ({escape_html(banner.kind)}, '
        f"{escape_html(banner.date)}{previous})</p>"
        '<div class="ck-banner">'
        f"{_verdict_box('Rehearsal continuation', banner.continuation)}"
        f"{_verdict_box('Runtime cutover', banner.runtime)}"
        f"{completion}"
        "</div>"
        f"<p>Gates: {counts}</p>"
    )
