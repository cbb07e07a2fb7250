"""Trend charts over a long history: drawing grows with what is labelled, not with rehearsals."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from cutover_kit.analysis.trend import TrendReview
from cutover_kit.analysis.window import WindowSpec
from cutover_kit.api import load_corpus, trend_review
from cutover_kit.figures import trend_figures
from cutover_kit.figures.lettering import written_cells
from cutover_kit.figures.palette import STATUS_COLORS, VERDICT_COLORS
from cutover_kit.samples.fleet import generate_fleet

REHEARSALS = 90


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> TrendReview:
    out = tmp_path_factory.mktemp("long") / "rehearsals"
    generate_fleet(out, rehearsals=REHEARSALS, services=3)
    return trend_review(load_corpus(out), WindowSpec())


def test_only_labelled_rehearsals_get_a_tick_and_no_cell_is_lettered(review: TrendReview) -> None:
    figure = trend_figures.verdict_timeline(review.rehearsals, review.gate_status)
    verdicts, grid = figure.axes[:2]
    ticks = list(grid.get_xticks())
    labels = [label.get_text() for label in grid.get_xticklabels()]
    assert len(review.rehearsals) == REHEARSALS
    assert len(ticks) == len(labels) <= trend_figures._MAX_TICKS
    assert all(labels)  # every tick carries its label
    assert ticks[:2] == [0, 3]  # every third of 90 rehearsals (40 labels at most)
    assert (
        written_cells(grid) == written_cells(verdicts) == 0
    )  # a letter is wider than a cell of 90
    dates = list(review.rehearsals["date"])
    fallback = trend_figures.fallback_grid(review.fallback, review.window_ids, dates)
    assert len(fallback.axes[0].get_xticks()) <= trend_figures._MAX_TICKS
    assert len(fallback.axes[0].texts) == 0


def test_a_short_window_keeps_a_tick_and_a_letter_per_rehearsal(review: TrendReview) -> None:
    short = review.rehearsals.tail(12)
    gates = review.gate_status[review.gate_status["rehearsal_id"].isin(short["rehearsal_id"])]
    figure = trend_figures.verdict_timeline(short, gates)
    grid = figure.axes[1]
    assert list(grid.get_xticks()) == list(range(12))
    failing = int((gates["status"] != "pass").sum())
    assert written_cells(grid) == failing > 0
    assert written_cells(figure.axes[0]) == 2 * len(short)  # GO / NO in both verdict rows


def test_trend_outputs_of_a_long_history_are_written(review: TrendReview, tmp_path: Path) -> None:
    from cutover_kit.report.trend_outputs import write_trend_outputs

    write_trend_outputs(review, tmp_path)
    assert len(list((tmp_path / "figures").glob("*.png"))) == 4


def _rolling(count: int) -> tuple[pd.DataFrame, list[str]]:
    """A rolling-rate frame of ``count`` rehearsals whose rates swing as interleaved services do."""
    rng = np.random.default_rng(9)
    passing = rng.uniform(0.7, 1.0, count)
    failing = (1 - passing) * rng.uniform(0, 1, count)
    frame = pd.DataFrame(
        {
            "rehearsal_id": [f"r{n:05d}" for n in range(count)],
            "pass_rate": passing,
            "fail_rate": failing,
            "missing_rate": 1 - passing - failing,
        }
    )
    return frame, [f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}" for n in range(count)]


def test_a_long_trend_draws_span_means_over_a_band_not_a_point_per_rehearsal() -> None:
    count = 1000
    rolling, dates = _rolling(count)
    figure = trend_figures.pass_rate_trend(rolling, dates, 5)
    top, bottom = figure.axes[:2]
    step = math.ceil(count / trend_figures._POINTS_UP_TO)
    (line,) = top.get_lines()
    means = [rolling["pass_rate"][start : start + step].mean() for start in range(0, count, step)]
    assert list(line.get_ydata()) == pytest.approx(means)
    assert len(line.get_xdata()) <= trend_figures._POINTS_UP_TO
    assert line.get_markevery() == len(means) // 40  # shapes kept for grey print, thinned
    (band,) = top.collections[:1]  # the range of each span under its mean
    lows = band.get_paths()[0].vertices[:, 1]
    assert min(lows) == pytest.approx(rolling["pass_rate"].min())
    assert f"mean of {step} consecutive points" in bottom.get_xlabel()
    assert len(bottom.get_lines()) == 2


def test_a_short_trend_keeps_a_marked_point_per_rehearsal() -> None:
    rolling, dates = _rolling(trend_figures._POINTS_UP_TO)
    figure = trend_figures.pass_rate_trend(rolling, dates, 5)
    (line,) = figure.axes[0].get_lines()
    assert list(line.get_ydata()) == list(rolling["pass_rate"])
    assert line.get_marker() == "o"
    assert "mean of" not in figure.axes[1].get_xlabel()


def _long_window(count: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``count`` rehearsals, all GO and passing, but for one NO-GO, one failing and one
    skipped gate, and one fallback regression."""
    ids = [f"r{n:05d}" for n in range(count)]
    continuation = ["GO"] * count
    continuation[801] = "NO-GO"
    rehearsals = pd.DataFrame(
        {
            "rehearsal_id": ids,
            "date": ["2026-01-01"] * count,
            "rehearsal_continuation": continuation,
            "runtime_cutover": ["NO-GO"] * count,
            "cutover_completion": ["not-applicable"] * count,
        }
    )
    gates = pd.DataFrame(
        [(rid, gate, "pass") for rid in ids for gate in ("G-1", "G-2")],
        columns=["rehearsal_id", "gate", "status"],
    )
    gates.loc[(gates["rehearsal_id"] == ids[517]) & (gates["gate"] == "G-2"), "status"] = "fail"
    gates.loc[(gates["rehearsal_id"] == ids[518]) & (gates["gate"] == "G-2"), "status"] = "skipped"
    fallback = pd.DataFrame(
        {
            "rehearsal_id": ids,
            "scenario": ["timeout"] * count,
            "executed": [2] * count,
            "lost_coverage": [False] * count,
            **{change: [[] for _ in ids] for change in ("regression", "recurring", "new_failing")},
            "fixed": [[] for _ in ids],
        }
    )
    fallback.at[333, "regression"] = ["a_case"]
    fallback.at[334, "fixed"] = ["a_case"]
    return rehearsals, gates, fallback


def test_a_window_wider_than_the_axis_shows_the_worst_of_each_span() -> None:
    count = 1000
    span = math.ceil(count / trend_figures._CELLS_UP_TO)
    rehearsals, gates, fallback = _long_window(count)
    figure = trend_figures.verdict_timeline(rehearsals, gates)
    verdicts, grid = figure.axes[:2]
    (image,) = grid.get_images()
    cells = np.asarray(image.get_array())
    assert cells.shape == (2, math.ceil(count / span))
    statuses = list(STATUS_COLORS)
    # the one failure is not sampled away: its span shows fail (worse than the skip beside it)
    assert [statuses[int(code)] for code in cells[1]].count("fail") == 1
    assert statuses[int(cells[1][517 // span])] == "fail"
    assert {statuses[int(code)] for code in cells[0]} == {"pass"}
    assert image.get_extent()[:2] == [-0.5, cells.shape[1] * span - 0.5]
    assert f"the worst of {span} consecutive rehearsals" in grid.get_xlabel()
    # verdict rows as bars tiling the row: the one NO-GO span is NO-GO
    no_go = to_hex(VERDICT_COLORS["NO-GO"])
    continuation_no_go = [
        path.vertices[0][0]
        for collection in verdicts.collections
        if len(collection.get_facecolor()) and to_hex(collection.get_facecolor()[0]) == no_go
        for path in collection.get_paths()
        if path.vertices[0][1] < 0.5
    ]
    assert continuation_no_go == [801 // span * span - 0.5]
    dates = list(rehearsals["date"])
    ids = list(rehearsals["rehearsal_id"])
    fallback_figure = trend_figures.fallback_grid(fallback, ids, dates)
    (fallback_image,) = fallback_figure.axes[0].get_images()
    row = np.asarray(fallback_image.get_array())[0]
    regression = 1 + list(trend_figures._FALLBACK_ORDER).index("regression")
    assert int(row[333 // span]) == regression  # the regression wins over the fix beside it
    assert sorted({int(code) for code in row}) == [0, regression]
