"""A long trend window: per-rehearsal tables list the last rehearsals, counts cover them all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cutover_kit.analysis.flaky import case_flip_rates, case_outcomes
from cutover_kit.analysis.gate_rates import RUN_STATUSES, rolling_rates
from cutover_kit.analysis.stats import flips
from cutover_kit.analysis.trend import TrendReview
from cutover_kit.analysis.window import WindowSpec
from cutover_kit.api import load_corpus, trend_review
from cutover_kit.report.trend_outputs import write_trend_outputs
from cutover_kit.report.trend_sections import DETAIL_REHEARSALS, trend_sections
from cutover_kit.samples.fleet import generate_fleet

REHEARSALS = DETAIL_REHEARSALS + 12
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "rehearsals"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("long") / "rehearsals"
    generate_fleet(out, rehearsals=REHEARSALS, services=2)
    return out


@pytest.fixture(scope="module")
def review(fleet: Path) -> TrendReview:
    return trend_review(load_corpus(fleet), WindowSpec())


def test_per_rehearsal_tables_list_the_last_rehearsals(review: TrendReview) -> None:
    sections = {section.key: section for section in trend_sections(review)}
    detail = set(review.window_ids[-DETAIL_REHEARSALS:])
    summary, timeline = sections["verdicts"].tables
    assert [row[0].text for row in timeline.rows] == review.window_ids[-DETAIL_REHEARSALS:]
    assert sum(int(row[1].text) for row in summary.rows) == REHEARSALS
    assert [row[0].text for row in summary.rows] == review.services
    transitions = sections["transitions"].tables[0].rows
    assert transitions and {row[3].text for row in transitions} <= detail
    changed = review.transitions[review.transitions["change"] != "steady"]
    assert len(transitions) == int(changed["to_id"].isin(detail).sum()) < len(changed)
    fallback = sections["fallback"].tables[0].rows
    assert {row[0].text for row in fallback} <= detail
    for key in ("verdicts", "transitions", "fallback"):
        note = sections[key].paragraphs[-1].plain
        assert f"last {DETAIL_REHEARSALS} of the {REHEARSALS} rehearsals" in note


def test_json_keeps_every_row_and_markdown_says_what_it_lists(
    review: TrendReview, tmp_path: Path
) -> None:
    outputs = write_trend_outputs(review, tmp_path)
    document = json.loads(outputs.json_path.read_text(encoding="utf-8"))
    assert [r["id"] for r in document["rehearsals"]] == review.window_ids
    assert len(document["rolling"]) == REHEARSALS
    markdown = outputs.markdown_path.read_text(encoding="utf-8")
    assert f"lists the verdicts of the last {DETAIL_REHEARSALS} of the {REHEARSALS}" in markdown
    assert (
        f"`{review.window_ids[0]}`" not in markdown.split("## Verdict timeline")[1].split("##")[0]
    )


def test_a_short_window_lists_every_row_without_a_note() -> None:
    review = trend_review(load_corpus(SAMPLE), WindowSpec())
    assert len(review.window_ids) <= DETAIL_REHEARSALS
    sections = {section.key: section for section in trend_sections(review)}
    (timeline,) = sections["verdicts"].tables
    assert [row[0].text for row in timeline.rows] == review.window_ids
    assert not any("trend.json lists" in p.plain for s in sections.values() for p in s.paragraphs)


def test_rolling_rates_match_pooling_each_span(review: TrendReview) -> None:
    """The cumulative-sum rolling rates equal counting every span of rehearsals afresh."""
    size = 7
    rolling = rolling_rates(review.gate_status, review.window_ids, size)
    statuses = review.gate_status.groupby("rehearsal_id")["status"]
    counts = {rid: group.value_counts() for rid, group in statuses}
    for index, row in enumerate(rolling.itertuples(index=False)):
        span = review.window_ids[max(0, index - size + 1) : index + 1]
        tally = {s: sum(int(counts[r].get(s, 0)) for r in span) for s in RUN_STATUSES}
        assert (row.first_id, row.rehearsals) == (span[0], len(span))
        assert (row.runs, row[4], row.fail, row.missing) == (
            sum(tally.values()),
            tally["pass"],
            tally["fail"],
            tally["missing"],
        )


def test_case_flip_rates_match_counting_each_sequence(fleet: Path, review: TrendReview) -> None:
    """The one-sort flip count equals walking each case's runs per service in order."""
    tables = load_corpus(fleet).ledger.tables_of("test_cases")
    outcomes = case_outcomes(tables["test_cases"], review.rehearsals)
    rates = case_flip_rates(outcomes).set_index("case")
    assert len(rates) == outcomes["case"].nunique() > 0
    assert rates["flips"].sum() > 0
    for case, group in outcomes.groupby("case"):
        sequences = [
            list(runs.sort_values("order")["outcome"]) for _, runs in group.groupby("service")
        ]
        row = rates.loc[case]
        assert row["runs"] == len(group)
        assert row["fail"] == int((group["outcome"] == "fail").sum())
        assert row["flips"] == sum(flips(sequence) for sequence in sequences)
        assert row["pairs"] == sum(len(sequence) - 1 for sequence in sequences)
