"""The trend review's charts: each a function from a frame of the review to a matplotlib Figure.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state, no GUI backend,
nothing left open), with constrained layout so labels never overlap. Every colour comes from
:mod:`cutover_kit.figures.palette`, so a status or verdict has the same colour in every chart;
non-pass cells also carry a letter, so the charts read in grey print too. Text from evidence
(rehearsal ids, command names) is shown literally: ``$`` would start mathtext, so it is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from cutover_kit.figures.lettering import write_at
from cutover_kit.figures.palette import (
    COMPLETION_COLORS,
    FALLBACK_COLORS,
    OKABE_ITO,
    STATUS_COLORS,
    VERDICT_COLORS,
)
from cutover_kit.verdict.values import CompletionStatus, Decision

DPI: Final = 100
_WIDTH: Final = 9.5
_MAX_LABEL: Final = 18
_CHAR_WIDTH: Final = 0.075
_ROTATE_ABOVE: Final = 16
_MAX_TICKS: Final = 40
_LETTERED_UP_TO: Final = 30
_CELLS_UP_TO: Final = 300
"""Rehearsals the verdict timeline and the fallback grid give a column each. Beyond, a column
is a span of consecutive rehearsals showing the worst among them: the axis has some 700 pixels,
and drawing 10,000 columns into them showed whichever rehearsal a pixel happened to sample (a
failure could vanish) and let each verdict square cover its neighbours."""
_STATUS_SEVERITY: Final = {"pass": 0, "skipped": 1, "missing": 2, "fail": 3}
_VERDICT_SEVERITY: Final[dict[str, int]] = {Decision.GO: 0, Decision.NO_GO: 2}  # any other: 1
_POINTS_UP_TO: Final = 150
"""Rehearsals the pass-rate trend draws a point each for; beyond, points are means of spans."""
_CLEAN: Final = "#FFFFFF"
_GUIDE: Final = "#DDDDDD"
_STATUS_LETTER: Final = {"pass": "", "fail": "F", "missing": "M", "skipped": "S"}
_FALLBACK_ORDER: Final = ("regression", "new_failing", "recurring", "lost_coverage", "fixed")
_FALLBACK_LABEL: Final = {
    "regression": "regression",
    "new_failing": "new failing",
    "recurring": "recurring",
    "lost_coverage": "lost coverage",
    "fixed": "fixed",
}


def literal(text: object, limit: int = _MAX_LABEL) -> str:
    """Evidence text as a chart label: shortened with an ellipsis, ``$`` kept literal."""
    flat = " ".join(str(text).split())
    short = flat if len(flat) <= limit else flat[: limit - 1] + "…"
    return short.replace("$", r"\$")


def rehearsal_labels(ids: Sequence[str], dates: Sequence[str]) -> list[str]:
    """Tick labels: the rehearsal id and its date (month-day), both shortened if long.

    Up to ``_ROTATE_ABOVE`` rehearsals the date sits under the id; beyond, labels are one line
    (they are rotated) and only every n-th is written, so at most ``_MAX_TICKS`` show.
    """
    one_line = len(ids) > _ROTATE_ABOVE
    step = math.ceil(len(ids) / _MAX_TICKS)
    labels = []
    for index, (rid, date) in enumerate(zip(ids, dates, strict=True)):
        day = str(date)[5:10] if len(str(date)) >= 10 else literal(date, 10)
        label = f"{literal(rid, 10)}{' ' if one_line else chr(10)}{day}"
        labels.append(label if index % step == 0 else "")
    return labels


def _rehearsal_axis(axis: Axes, ids: Sequence[str], dates: Sequence[str]) -> None:
    """Rehearsal ticks along x, rotated when there are too many to sit side by side.

    Only labelled rehearsals get a tick: matplotlib builds and draws a tick object per position,
    which for a year of rehearsals was most of the time spent drawing a chart.
    """
    labelled = [(x, label) for x, label in enumerate(rehearsal_labels(ids, dates)) if label]
    axis.set_xticks([x for x, _ in labelled])
    labels = [label for _, label in labelled]
    if len(ids) > _ROTATE_ABOVE:
        axis.set_xticklabels(labels, rotation=60, ha="right", rotation_mode="anchor", fontsize=7.5)
    else:
        axis.set_xticklabels(labels, fontsize=8)
    axis.set_xlim(-0.6, len(ids) - 0.4)


def _column_guides(axis: Axes, ids: Sequence[str], dates: Sequence[str]) -> None:
    """A faint vertical line at each labelled rehearsal of an upper panel, as one collection.

    The panel shares its x axis with the panel below, which carries the tick labels, so its own
    x axis is not drawn: a tick object per rehearsal there (tick line, grid line and hidden label
    each) cost more than everything else the panel draws.
    """
    columns = [x for x, label in enumerate(rehearsal_labels(ids, dates)) if label]
    axis.vlines(
        columns, 0, 1, transform=axis.get_xaxis_transform(), colors=_GUIDE, lw=0.6, zorder=0.5
    )
    axis.xaxis.set_visible(False)


def _cell_borders(axis: Axes, columns: int, rows: int, colour: str, width: float) -> None:
    """Lines between the cells of a grid chart (two line collections, not a tick per line).

    Beyond ``_LETTERED_UP_TO`` columns the lines between columns would be wider than the
    columns themselves and paint the grid over; rows keep theirs.
    """
    if columns <= _LETTERED_UP_TO:
        axis.vlines([x - 0.5 for x in range(1, columns)], -0.5, rows - 0.5, colors=colour, lw=width)
    axis.hlines([y - 0.5 for y in range(1, rows)], -0.5, columns - 0.5, colors=colour, lw=width)


def _text_width(labels: Sequence[str], per_char: float = _CHAR_WIDTH) -> float:
    """Inches the longest label needs (DejaVu Sans at about 8.5 pt, with headroom)."""
    return per_char * max((len(label) for label in labels), default=0)


def _rehearsal_margin(count: int) -> float:
    """Inches below the axes for two-line rehearsal ticks and the x label (more if rotated)."""
    return 1.45 if count > _ROTATE_ABOVE else 0.78


def _figure(
    height: float, *, left: float, right: float, bottom: float, top: float = 0.42
) -> Figure:
    """A figure whose margins (inches) are set from the labels it will carry.

    Margins are computed, not found by constrained layout: labels are shortened to known
    lengths, so their room is known, and a layout pass per chart doubled the time to draw it.
    """
    figure = Figure(figsize=(_WIDTH, height), dpi=DPI)
    figure.subplots_adjust(
        left=left / _WIDTH,
        right=1 - right / _WIDTH,
        bottom=bottom / height,
        top=1 - top / height,
    )
    return figure


def _span(count: int) -> int:
    """How many consecutive rehearsals one column of a grid stands for (1 up to _CELLS_UP_TO)."""
    return max(1, math.ceil(count / _CELLS_UP_TO))


def _span_note(span: int) -> str:
    return f"; each column: the worst of {span} consecutive rehearsals" if span > 1 else ""


def _worst_per_span(codes: np.ndarray, severity: Sequence[int], span: int) -> np.ndarray:
    """``codes`` (rows x rehearsals, NaN for none) with each span of ``span`` consecutive
    columns reduced to its most severe code (``severity[code]``, higher is worse)."""
    if span == 1:
        return codes
    rows, columns = codes.shape
    ranks = np.asarray(severity)[np.nan_to_num(codes, nan=0).astype(np.int64)]
    ranks = np.where(np.isnan(codes), -1, ranks)
    padded = np.pad(ranks, ((0, 0), (0, -columns % span)), constant_values=-1)
    worst = padded.reshape(rows, -1, span).max(axis=2)
    code_of = np.zeros(max(severity) + 1)
    code_of[list(severity)] = np.arange(len(severity))
    return np.where(worst < 0, np.nan, code_of[np.maximum(worst, 0)])


def _grid_image(
    axis: Axes, codes: np.ndarray, colours: Sequence[str], severity: Sequence[int], span: int
) -> None:
    """A grid of coded cells (a colour per code) over rehearsal x positions, in spans."""
    shown = _worst_per_span(codes, severity, span)
    axis.imshow(
        shown,
        cmap=ListedColormap(list(colours)),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        aspect="auto",
        interpolation="nearest",
        extent=None if span == 1 else (-0.5, shown.shape[1] * span - 0.5, len(shown) - 0.5, -0.5),
    )


def _completion_evaluated(rehearsals: pd.DataFrame) -> bool:
    """Whether any rehearsal of the window had its cutover completion evaluated."""
    return bool(rehearsals["cutover_completion"].isin(list(COMPLETION_COLORS)).any())


def _completion_row(axis: Axes, rehearsals: pd.DataFrame, level: int, size: float) -> None:
    """Cutover completion where it was evaluated: a star where it was reached, an open square
    where it was not, nothing where it does not apply (shape as well as colour tells them apart)."""
    values = rehearsals["cutover_completion"].tolist()
    complete = [x for x, value in enumerate(values) if value == CompletionStatus.COMPLETE]
    incomplete = [x for x, value in enumerate(values) if value == CompletionStatus.INCOMPLETE]
    if complete:
        axis.scatter(
            complete,
            [level] * len(complete),
            c=COMPLETION_COLORS[CompletionStatus.COMPLETE],
            s=size * 1.6,
            marker="*",
        )
    if incomplete:
        axis.scatter(
            incomplete,
            [level] * len(incomplete),
            facecolors="none",
            edgecolors=COMPLETION_COLORS[CompletionStatus.INCOMPLETE],
            s=size * 0.8,
            marker="s",
            linewidths=2,
        )


def _verdict_spans(axis: Axes, values: Sequence[object], level: int, span: int) -> None:
    """One verdict row in spans of ``span`` rehearsals, each the colour of its worst verdict
    (NO-GO over anything unknown over GO), as bars that tile the row without overlapping."""
    severity = [_VERDICT_SEVERITY.get(str(value), 1) for value in values]
    worst = [max(severity[start : start + span]) for start in range(0, len(values), span)]
    colours = {
        0: VERDICT_COLORS[Decision.GO],
        1: OKABE_ITO["grey"],
        2: VERDICT_COLORS[Decision.NO_GO],
    }
    for rank, colour in colours.items():
        starts = [index * span for index, value in enumerate(worst) if value == rank]
        _bars(
            axis,
            [level] * len(starts),
            [x - 0.5 for x in starts],
            [span] * len(starts),
            0.55,
            colour,
            f"_{rank}",
        )


def _verdict_rows(axis: Axes, rehearsals: pd.DataFrame) -> None:
    """Both verdicts per rehearsal as coloured squares, GO / NO written in while they fit; above
    them, when the window holds an authorised cutover, the row marking where it completed."""
    rows = [
        ("rehearsal_continuation", "Rehearsal\ncontinuation"),
        ("runtime_cutover", "Runtime\ncutover"),
    ]
    count = len(rehearsals)
    size = 260 if count <= 16 else max(12.0, (380 / count) ** 2)
    span = _span(count)
    for level, (column, _) in enumerate(rows):
        values = rehearsals[column].tolist()
        if span > 1:
            _verdict_spans(axis, values, level, span)
            continue
        colours = [VERDICT_COLORS.get(str(v), OKABE_ITO["grey"]) for v in values]
        axis.scatter(range(count), [level] * count, c=colours, s=size, marker="s")
        if count > _LETTERED_UP_TO:
            continue
        go = [value == Decision.GO for value in values]
        for word, written in (("GO", True), ("NO", False)):
            points = [(x, level) for x, is_go in enumerate(go) if is_go is written]
            write_at(axis, points, word, 6.5 if count <= 16 else 5, "white", bold=True)
    handles: list[object] = [
        Patch(color=colour, label=verdict) for verdict, colour in VERDICT_COLORS.items()
    ]
    if _completion_evaluated(rehearsals):
        _completion_row(axis, rehearsals, len(rows), size)
        rows.append(("cutover_completion", "Cutover\ncompletion"))
        handles += [
            Line2D(
                [],
                [],
                color=COMPLETION_COLORS[CompletionStatus.COMPLETE],
                marker="*",
                linestyle="",
                markersize=11,
                label=CompletionStatus.COMPLETE,
            ),
            Line2D(
                [],
                [],
                color=COMPLETION_COLORS[CompletionStatus.INCOMPLETE],
                marker="s",
                linestyle="",
                markerfacecolor="none",
                markeredgewidth=2,
                markersize=8,
                label=CompletionStatus.INCOMPLETE,
            ),
        ]
    axis.set_yticks(range(len(rows)))
    axis.set_yticklabels([label for _, label in rows], fontsize=9)
    axis.set_ylim(-0.6, len(rows) - 0.4)
    axis.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.05),
        frameon=False,
        title="Verdict",
    )


def _status_codes(
    gate_status: pd.DataFrame, window_ids: Sequence[str], statuses: Sequence[str]
) -> tuple[list[str], np.ndarray]:
    """The gates (first-seen order) and a gate x rehearsal grid of each status's index in
    ``statuses`` (NaN where a gate has no row), placed by integer codes: a pivot and a map per
    rehearsal column cost seconds for a year of rehearsals."""
    gate_codes, gates = pd.factorize(gate_status["gate"], use_na_sentinel=False)
    columns = pd.Index(window_ids).get_indexer(pd.Index(gate_status["rehearsal_id"], dtype=object))
    status = pd.Categorical(gate_status["status"].astype(object), categories=list(statuses)).codes
    placed = (columns >= 0) & (status >= 0)
    codes = np.full((len(gates), len(window_ids)), np.nan)
    codes[gate_codes[placed], columns[placed]] = status[placed]
    return [str(gate) for gate in gates], codes


def _status_grid(axis: Axes, gate_status: pd.DataFrame, window_ids: Sequence[str]) -> None:
    """Every gate's status in every rehearsal, one coloured cell each, lettered unless pass."""
    statuses = list(STATUS_COLORS)
    gates, codes = _status_codes(gate_status, window_ids, statuses)
    _grid_image(
        axis,
        codes,
        [STATUS_COLORS[s] for s in statuses],
        [_STATUS_SEVERITY[s] for s in statuses],
        _span(len(window_ids)),
    )
    lettered = len(window_ids) <= _LETTERED_UP_TO  # beyond, a letter is wider than its cell
    cells: dict[str, list[tuple[float, float]]] = {}
    for y in range(len(gates) if lettered else 0):
        for x in range(len(window_ids)):
            code = codes[y, x]
            letter = "" if np.isnan(code) else _STATUS_LETTER.get(statuses[int(code)], "")
            cells.setdefault(letter, []).append((x, y))
    for letter, points in cells.items():
        write_at(axis, points, letter, 7, "white")
    _cell_borders(axis, len(window_ids), len(gates), "white", 1.2)
    axis.set_yticks(range(len(gates)))
    axis.set_yticklabels([literal(gate) for gate in gates], fontsize=8.5)
    axis.set_ylabel("Gate")
    axis.legend(
        handles=[Patch(color=STATUS_COLORS[s], label=s) for s in statuses],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        title="Gate status",
    )


def verdict_timeline(rehearsals: pd.DataFrame, gate_status: pd.DataFrame) -> Figure:
    """Both verdicts per rehearsal over time, above every gate's status in the same columns:
    a NO-GO and the gates that caused it line up, and transitions read along each row."""
    window_ids = list(rehearsals["rehearsal_id"])
    gates = list(gate_status["gate"].unique())
    bottom = _rehearsal_margin(len(window_ids))
    grid_height = 0.3 * len(gates)
    completion = _completion_evaluated(rehearsals)
    verdict_height = 1.35 if completion else 0.95
    figure = _figure(
        0.6 + verdict_height + bottom + grid_height,
        left=max(1.15, 0.5 + _text_width([literal(g) for g in gates])),
        right=1.65 if completion else 1.3,  # room for the INCOMPLETE legend entry
        bottom=bottom,
    )
    top, grid = figure.subplots(2, 1, sharex=True, height_ratios=(verdict_height, grid_height))
    figure.subplots_adjust(hspace=0.06)
    _verdict_rows(top, rehearsals)
    _column_guides(top, window_ids, list(rehearsals["date"]))
    _status_grid(grid, gate_status, window_ids)
    _rehearsal_axis(grid, window_ids, list(rehearsals["date"]))
    grid.set_xlabel("Rehearsal (id, month-day)" + _span_note(_span(len(window_ids))))
    top.set_title("Verdict timeline: both verdicts and every gate (F fail, M missing, S skipped)")
    return figure


def gate_pass_rates(rates: pd.DataFrame) -> Figure:
    """Per gate, the share of its runs that pass / fail / miss, and the 95% Wilson interval of
    the pass rate as a black bar; the count of runs and skips is written at the right."""
    labels = [literal(gate) for gate in rates["gate"]]
    counts = [_run_counts(row) for _, row in rates.iterrows()]
    figure = _figure(
        1.7 + 0.32 * len(rates),
        left=0.5 + _text_width(labels),
        right=0.3 + _text_width(counts, 0.068),
        bottom=1.05,
    )
    axis = figure.add_subplot()
    order = list(reversed(range(len(rates))))
    left = [0.0] * len(rates)
    for status in ("pass", "fail", "missing"):
        shares = [float(r[f"{status}_rate"]) if r["runs"] else 0.0 for _, r in rates.iterrows()]
        _bars(axis, order, left, shares, 0.62, STATUS_COLORS[status], status)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ran = [(y, row) for y, (_, row) in zip(order, rates.iterrows(), strict=True) if row["runs"]]
    lows = [float(row["wilson_low"]) for _, row in ran]
    highs = [float(row["wilson_high"]) for _, row in ran]
    ys = [y for y, _ in ran]
    black = OKABE_ITO["black"]
    axis.hlines(ys, lows, highs, colors=black, linewidth=1.6)
    axis.vlines(
        lows + highs,
        [y - 0.18 for y in ys * 2],
        [y + 0.18 for y in ys * 2],
        colors=black,
        linewidth=1.6,
    )
    for y_index, y in enumerate(order):
        axis.annotate(
            counts[y_index],
            (1.02, y),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8,
        )
    axis.set_yticks(order)
    axis.set_yticklabels(labels, fontsize=8.5)
    axis.set_xlim(0, 1)
    axis.set_ylim(-0.6, len(rates) - 0.4)
    axis.xaxis.set_major_formatter(PercentFormatter(1.0))
    axis.set_xlabel("Share of runs (skipped is not a run); black: 95% Wilson interval of pass rate")
    axis.set_ylabel("Gate")
    axis.set_title("Gate pass rate over the window")
    figure.legend(loc="lower center", ncols=3, frameon=False, fontsize=8.5)
    return figure


def _bars(
    axis: Axes,
    ys: Sequence[float],
    lefts: Sequence[float],
    widths: Sequence[float],
    height: float,
    colour: str,
    label: str,
) -> None:
    """Horizontal bars of one colour as one collection (``barh`` makes a patch per bar, each
    built and drawn alone); bars of no width are left out, the legend entry stays."""
    half = height / 2
    cells = [
        [(x, y - half), (x + width, y - half), (x + width, y + half), (x, y + half)]
        for y, x, width in zip(ys, lefts, widths, strict=True)
        if width > 0
    ]
    bars = PolyCollection(cells, facecolors=colour, edgecolors="none", linewidths=0, label=label)
    axis.add_collection(bars, autolim=False)


def _run_counts(row: pd.Series) -> str:
    """``13/14 pass, 1 fail, 2 skipped``: the counts behind a bar, zero counts left out."""
    parts = [f"{row['pass']}/{row['runs']} pass" if row["runs"] else "no run"]
    parts += [f"{row[s]} {s}" for s in ("fail", "missing", "skipped") if row[s]]
    return ", ".join(parts)


def _rate_line(
    axis: Axes, rates: pd.Series, step: int, colour: str, label: str, marker: str
) -> None:
    """One rolling rate as a marked line, a point per rehearsal; with ``step`` above 1 (more
    rehearsals than points fit), a line through the mean of each ``step`` consecutive points
    over a band of their range, markers thinned to about forty: ten thousand markers merged
    into a solid wall in which no level or trend could be read."""
    values = pd.to_numeric(rates, errors="coerce").to_numpy(dtype=float)
    if step == 1:
        axis.plot(range(len(values)), values, marker=marker, color=colour, label=label)
        return
    spans = [values[start : start + step] for start in range(0, len(values), step)]
    known = [span[~np.isnan(span)] for span in spans]
    centres = [
        start + (len(span) - 1) / 2
        for start, span in zip(range(0, len(values), step), spans, strict=True)
    ]
    mean = [float(span.mean()) if len(span) else math.nan for span in known]
    low = [float(span.min()) if len(span) else math.nan for span in known]
    high = [float(span.max()) if len(span) else math.nan for span in known]
    axis.fill_between(centres, low, high, color=colour, alpha=0.25, linewidth=0)
    axis.plot(
        centres,
        mean,
        marker=marker,
        markersize=4,
        markevery=max(1, len(centres) // 40),
        linewidth=1.2,
        color=colour,
        label=label,
    )


def pass_rate_trend(rolling: pd.DataFrame, dates: Sequence[str], size: int) -> Figure:
    """Rolling share of all gate runs that pass (top) and that fail or miss (bottom)."""
    bottom_margin = _rehearsal_margin(len(rolling))
    figure = _figure(3.9 + bottom_margin, left=1.15, right=1.15, bottom=bottom_margin)
    figure.subplots_adjust(hspace=0.12)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    step = math.ceil(len(rolling) / _POINTS_UP_TO)
    for axis, status, marker in (
        (top, "pass", "o"),
        (bottom, "fail", "s"),
        (bottom, "missing", "D"),
    ):
        _rate_line(axis, rolling[f"{status}_rate"], step, STATUS_COLORS[status], status, marker)
    lowest = min((float(v) for v in rolling["pass_rate"].dropna()), default=0.0)
    top.set_ylim(max(0.0, lowest - 0.05), 1.02)
    highest = max(
        (float(v) for c in ("fail_rate", "missing_rate") for v in rolling[c].dropna()),
        default=0.0,
    )
    bottom.set_ylim(0, max(0.05, highest * 1.25))
    for axis in (top, bottom):
        axis.yaxis.set_major_formatter(PercentFormatter(1.0))
        axis.grid(color=_GUIDE, linewidth=0.6)
        axis.set_axisbelow(True)
        axis.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    _column_guides(top, list(rolling["rehearsal_id"]), list(dates))
    top.set_ylabel("Pass share")
    bottom.set_ylabel("Fail / missing\nshare")
    _rehearsal_axis(bottom, list(rolling["rehearsal_id"]), list(dates))
    bottom.set_xlabel(
        "Rehearsal (id, month-day): window ends here"
        + (f"; line: mean of {step} consecutive points, band: their range" if step > 1 else "")
    )
    top.set_title(f"Pass-rate trend: share of all gate runs over the last {size} rehearsals")
    return figure


def _fallback_class(row: Mapping[str, Any]) -> tuple[str, int]:
    """The worst class of a rehearsal's scenario, and how many cases it names."""
    for change in _FALLBACK_ORDER:
        if change == "lost_coverage":
            if row["lost_coverage"]:
                return change, 0
        elif row[change]:
            return change, len(row[change])
    return "", 0


def fallback_grid(
    fallback: pd.DataFrame, window_ids: Sequence[str], dates: Sequence[str]
) -> Figure:
    """Per scenario and rehearsal, the worst change against the previous rehearsal."""
    scenarios = list(dict.fromkeys(fallback["scenario"]))
    classes = ["", *_FALLBACK_ORDER]
    colours = [_CLEAN, *(FALLBACK_COLORS[c] for c in _FALLBACK_ORDER)]
    position = {rid: x for x, rid in enumerate(window_ids)}
    codes = [[0.0] * len(window_ids) for _ in scenarios]
    labels = [literal(s) for s in scenarios]
    bottom = _rehearsal_margin(len(window_ids))
    figure = _figure(
        1.1 + bottom + 0.36 * len(scenarios),
        left=0.5 + _text_width(labels),
        right=1.7,
        bottom=bottom,
    )
    axis = figure.add_subplot()
    cells = []
    rows = {scenario: y for y, scenario in enumerate(scenarios)}
    columns = ["rehearsal_id", "scenario", *_FALLBACK_ORDER]
    for values in zip(*(fallback[column].tolist() for column in columns), strict=True):
        row = dict(zip(columns, values, strict=True))
        change, count = _fallback_class(row)
        y, x = rows[row["scenario"]], position[row["rehearsal_id"]]
        codes[y][x] = float(classes.index(change))
        if change:
            cells.append((x, y, str(count) if count else "–"))
    if len(window_ids) > _LETTERED_UP_TO:
        cells = []  # a number is wider than its cell: the colour alone tells the change
    # severity: no change, then the legend's order read from its end (regression the worst)
    severity = [0, *range(len(_FALLBACK_ORDER), 0, -1)]
    _grid_image(axis, np.asarray(codes), colours, severity, _span(len(window_ids)))
    for x, y, text in cells:
        axis.annotate(text, (x, y), ha="center", va="center", fontsize=8, color="black")
    _cell_borders(axis, len(window_ids), len(scenarios), "#CCCCCC", 0.8)
    _rehearsal_axis(axis, list(window_ids), list(dates))
    axis.set_yticks(range(len(scenarios)))
    axis.set_yticklabels(labels, fontsize=8.5)
    axis.set_xlabel(
        "Rehearsal (id, month-day), each against the previous one of its service"
        + _span_note(_span(len(window_ids)))
    )
    axis.set_ylabel("Fallback scenario")
    axis.set_title("Fallback changes by scenario (number: cases; blank: no change)")
    axis.legend(
        handles=[
            Patch(facecolor=FALLBACK_COLORS[c], edgecolor="#999999", label=_FALLBACK_LABEL[c])
            for c in _FALLBACK_ORDER
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        title="Change",
    )
    return figure
