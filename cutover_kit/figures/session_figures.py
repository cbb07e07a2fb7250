"""The session report's two charts: gate status by category, fallback by scenario.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state, no GUI
backend), coloured from :mod:`cutover_kit.figures.palette` so a status has one colour in every
chart, and written as PNG without a timestamp so the same evidence gives the same image.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import AutoLocator

from cutover_kit.analysis.session import (
    CATEGORY_TITLES,
    FALLBACK_KINDS,
    STATUSES,
    ScenarioRow,
    status_counts,
)
from cutover_kit.figures.palette import FALLBACK_COLORS, STATUS_COLORS
from cutover_kit.figures.png import png_bytes
from cutover_kit.gates.model import GateResult

DPI = 100
WIDTH_IN = 8.0
_LEFT_IN, _RIGHT_IN, _TOP_IN, _BOTTOM_IN = 1.75, 0.25, 0.45, 1.0


def _framed(height_in: float) -> Figure:
    """A figure with fixed margins in inches: room for the category labels on the left, the
    axis label and the legend below. Fixed margins draw once; a layout engine draws twice."""
    figure = Figure(figsize=(WIDTH_IN, height_in))
    figure.subplots_adjust(
        left=_LEFT_IN / WIDTH_IN,
        right=1 - _RIGHT_IN / WIDTH_IN,
        top=1 - _TOP_IN / height_in,
        bottom=_BOTTOM_IN / height_in,
    )
    return figure


def _whole_number_ticks(axes: Axes) -> None:
    """matplotlib's default ticks along x, held to whole numbers (counts of gates or cases)."""
    ticks = AutoLocator()
    ticks.set_params(integer=True)
    axes.xaxis.set_major_locator(ticks)


def _legend_below(figure: Figure, columns: int) -> None:
    figure.legend(loc="lower center", ncols=columns, frameon=False, bbox_to_anchor=(0.5, 0.0))


_FALLBACK_LABELS = {
    "regressions": "regression",
    "recurring": "recurring",
    "new_failing": "new failing",
    "fixed": "fixed",
    "lost_coverage": "lost coverage",
}
_FALLBACK_COLOR_KEYS = {"regressions": "regression"}


def figure_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, without the metadata that would change between runs."""
    return png_bytes(figure, DPI)


def gate_status_figure(
    gate_groups: Sequence[tuple[str, Sequence[GateResult]]], rehearsal_id: str
) -> Figure:
    """Stacked horizontal bars: per category, how many gates pass, fail, miss or are skipped."""
    categories = [category for category, _ in gate_groups][::-1]
    counts = {category: status_counts(gates) for category, gates in gate_groups}
    figure = _framed(0.45 * len(categories) + 1.9)
    axes = figure.add_subplot()
    left = [0] * len(categories)
    labels = [CATEGORY_TITLES.get(c, c) for c in categories]
    for status in STATUSES:
        widths = [counts[c][status] for c in categories]
        bars = axes.barh(
            labels, widths, left=left, color=STATUS_COLORS[status], label=status, height=0.6
        )
        axes.bar_label(
            bars,
            labels=[str(w) if w else "" for w in widths],
            label_type="center",
            color="white",
            fontweight="bold",
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_xlabel("number of gates")
    axes.set_ylabel("gate category")
    axes.set_title(f"Gate status by category, rehearsal {rehearsal_id}")
    _whole_number_ticks(axes)
    axes.set_xlim(0, max(left, default=1) + 0.5)
    _legend_below(figure, len(STATUSES))
    return figure


def fallback_figure(
    rows: Sequence[ScenarioRow], rehearsal_id: str, previous_id: str | None
) -> Figure:
    """Per scenario: the cases executed (outlined) and those that regressed, recur, are new
    failures or got fixed since the previous rehearsal; a scenario with no executed case is
    marked as lost coverage."""
    scenarios = [row.scenario for row in rows][::-1]
    by_name = {row.scenario: row for row in rows}
    figure = _framed(0.6 * max(len(scenarios), 1) + 1.9)
    axes = figure.add_subplot()
    executed = [by_name[s].executed for s in scenarios]
    axes.barh(
        range(len(scenarios)),
        executed,
        height=0.84,
        color="#f2f2f2",
        edgecolor=FALLBACK_COLORS["lost_coverage"],
        label="executed cases",
    )
    changes = [kind for kind in FALLBACK_KINDS if kind != "lost_coverage"]
    band = 0.7 / len(changes)
    for index, kind in enumerate(changes):
        positions = [y + 0.35 - band * (index + 0.5) for y in range(len(scenarios))]
        values = [by_name[s].count(kind) for s in scenarios]
        color = FALLBACK_COLORS[_FALLBACK_COLOR_KEYS.get(kind, kind)]
        axes.barh(positions, values, height=band, color=color, label=_FALLBACK_LABELS[kind])
    for y, scenario in enumerate(scenarios):
        if by_name[scenario].lost_coverage:
            axes.text(
                0.05,
                y,
                "lost coverage: no case executed",
                va="center",
                color="#333333",
                fontweight="bold",
            )
    axes.set_yticks(range(len(scenarios)), scenarios)
    against = f"against {previous_id}" if previous_id else "(no previous rehearsal)"
    axes.set_title(f"Fallback cases by scenario, {rehearsal_id} {against}")
    axes.set_xlabel("number of test cases")
    axes.set_ylabel("fallback scenario")
    axes.set_xlim(0, max([*executed, 2]) + 0.5)
    _whole_number_ticks(axes)
    _legend_below(figure, len(changes) + 1)
    return figure
