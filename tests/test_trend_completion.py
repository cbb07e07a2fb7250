"""The trend review marks where the runtime cutover was completed (issue 12).

In the sample corpus r14 is an authorised cutover still INCOMPLETE and r15 the COMPLETE one; a
window of dry runs only evaluates no completion and keeps its chart as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib import image as mpimg

from cutover_kit.analysis.trend import TrendReview, build_trend_review
from cutover_kit.analysis.window import WindowSpec
from cutover_kit.api import Corpus
from cutover_kit.figures.palette import COMPLETION_COLORS
from cutover_kit.report.trend_outputs import write_trend_outputs


def _review(corpus: Corpus, spec: WindowSpec) -> TrendReview:
    return build_trend_review(corpus.trend_inputs(), spec)


def _pixels_of(png: Path, hex_colour: str) -> int:
    pixels = mpimg.imread(png)[..., :3]
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).sum(axis=-1) < 0.03).sum())


def test_trend_json_and_markdown_name_the_rehearsal_that_completed(
    corpus: Corpus, tmp_path: Path
) -> None:
    written = write_trend_outputs(_review(corpus, WindowSpec()), tmp_path)
    document = json.loads(written.json_path.read_text(encoding="utf-8"))
    completion = {r["id"]: r["cutover_completion"] for r in document["rehearsals"]}
    assert completion.pop("r15") == "COMPLETE"
    assert completion.pop("r14") == "INCOMPLETE"
    assert set(completion.values()) == {"not-applicable"}
    markdown = written.markdown_path.read_text(encoding="utf-8")
    section = markdown.split("## Verdict timeline", 1)[1].split("\n## ", 1)[0]
    assert "Runtime cutover completion reached in r15 (2026\\-03\\-09)." in section
    assert "| `r15` | 2026-03-09 | cutover | **GO** | **GO** | **COMPLETE** | 0 |" in section
    assert "| `r14` | 2026-03-04 | cutover | **GO** | **GO** | **INCOMPLETE** | 0 |" in section
    assert (
        "| `r06` | 2026-01-27 | dry\\-run | **NO\\-GO** | **NO\\-GO** | not applicable | 1 |"
        in (section)
    )


def test_timeline_chart_marks_completion_only_where_evaluated(
    corpus: Corpus, tmp_path: Path
) -> None:
    whole = write_trend_outputs(_review(corpus, WindowSpec()), tmp_path / "whole")
    dry = write_trend_outputs(_review(corpus, WindowSpec(until="2026-02-23")), tmp_path / "dry")
    marked = whole.figures["verdict_timeline"]
    plain = dry.figures["verdict_timeline"]
    # the blue star of r15 and the orange open square of r14 (legend swatches are far smaller)
    assert _pixels_of(marked, COMPLETION_COLORS["COMPLETE"]) > 300
    assert _pixels_of(marked, COMPLETION_COLORS["INCOMPLETE"]) > 100
    for colour in COMPLETION_COLORS.values():
        assert _pixels_of(plain, colour) == 0
    # the completion row adds height only when the window holds an authorised cutover
    assert mpimg.imread(marked).shape[0] > mpimg.imread(plain).shape[0]
    sentence = "No rehearsal of the window is an authorised cutover: completion not evaluated."
    assert sentence in dry.markdown_path.read_text(encoding="utf-8")
