"""The trend review's content as sections of plain cells: one source for Markdown and HTML.

A section says *what* is shown (title, lead sentence, paragraphs, a figure, tables); the
renderers in :mod:`cutover_kit.report.trend_render` say *how*, escaping every cell for their
format. Keeping the content free of markup is what lets evidence text (rehearsal ids, test
names, gate details) go through one escape per format and nowhere else.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from cutover_kit.analysis.fallback_trend import CHANGE_CLASSES
from cutover_kit.analysis.transitions import Transition
from cutover_kit.analysis.trend import TrendReview
from cutover_kit.verdict.values import CompletionStatus, Decision

COUNTING_NOTE: Final = (
    "A run of a gate is a rehearsal where it was evaluated: pass, fail or missing. Missing "
    "(its evidence absent or unreadable) is its own share of the runs, never a pass and never "
    "folded into fail. Skipped (the gate does not apply to that kind of rehearsal) is not a run: "
    "it is counted apart and left out of every rate. The interval is the 95% Wilson score "
    "interval of the pass rate."
)

DETAIL_REHEARSALS: Final = 50
"""Tables with rows per rehearsal (verdicts, transitions, fallback changes) list the rows of the
last this-many rehearsals of the window. A year of nightly runs for a dozen services is 10,000
rows a table: past this, a page is a dump nobody reads (and costs minutes to render). The
counts and the charts cover the whole window; ``trend.json`` keeps every row."""

FIGURE_TITLES: Final = {
    "verdict_timeline": "Verdict timeline with every gate's status",
    "gate_pass_rates": "Gate pass rates with 95% Wilson intervals",
    "pass_rate_trend": "Rolling pass-rate trend",
    "fallback_by_scenario": "Fallback changes by scenario",
}


@dataclass(frozen=True)
class Cell:
    """One table cell: ``style`` is text, number (counts, rates, dates the kit formatted), code
    (identifiers from evidence), status or verdict. ``Section.title`` is the kit's own words."""

    text: str
    style: str = "text"


@dataclass(frozen=True)
class Prose:
    """A sentence: the kit's own words as a ``str.format`` template, and the values that came
    from evidence (rehearsal ids, service, policy name), which the renderers escape."""

    template: str
    values: tuple[str, ...] = ()

    @property
    def plain(self) -> str:
        return self.template.format(*self.values)


def words(text: str) -> Prose:
    """A sentence of the kit's own words only (no placeholder, nothing to escape)."""
    return Prose(text.replace("{", "{{").replace("}", "}}"))


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]
    empty: str = "Nothing to list."


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lead: Prose | None = None
    paragraphs: tuple[Prose, ...] = ()
    figure: str | None = None
    tables: tuple[Table, ...] = field(default_factory=tuple)


def _real(value: object) -> float | None:
    """A rate or duration as read from a frame: ``None`` where there is none (None, NaN, NA)."""
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isnan(number) else number
    return None


def percent(value: object) -> str:
    """``92.9%``, or an en dash where there is no rate (no run)."""
    number = _real(value)
    return "–" if number is None else f"{number:.1%}"


def seconds(value: object) -> str:
    number = _real(value)
    return "–" if number is None else f"{number:.3f}"


def _text(value: object) -> Cell:
    return Cell(str(value))


def _number(value: object) -> Cell:
    return Cell(str(value), "number")


def _code(value: object) -> Cell:
    return Cell(str(value), "code")


def detail_ids(review: TrendReview) -> set[str]:
    """The rehearsals whose rows the per-rehearsal tables list: the last ``DETAIL_REHEARSALS``."""
    return set(review.window_ids[-DETAIL_REHEARSALS:])


def detail_note(review: TrendReview, what: str) -> tuple[Prose, ...]:
    """The sentence saying a table lists only the last rehearsals (none when it lists all)."""
    total = len(review.window_ids)
    if total <= DETAIL_REHEARSALS:
        return ()
    return (
        words(
            f"The table lists {what} of the last {DETAIL_REHEARSALS} of the {total} rehearsals "
            "of the window; the counts and the chart cover them all, and trend.json lists "
            "every row."
        ),
    )


def service_summary(review: TrendReview) -> Table:
    """Per service: rehearsals, continuation and runtime GO counts, the last rehearsal."""
    rows = [
        (
            _code(service),
            _number(len(group)),
            _number(int((group["rehearsal_continuation"] == Decision.GO).sum())),
            _number(int((group["runtime_cutover"] == Decision.GO).sum())),
            _number(int(group["fallback_regressions"].sum())),
            _code(group["rehearsal_id"].iloc[-1]),
            _number(group["date"].iloc[-1]),
        )
        for service, group in review.rehearsals.groupby("service", sort=True)
    ]
    return Table(
        (
            "Service",
            "Rehearsals",
            "Rehearsal continuation GO",
            "Runtime cutover GO",
            "Fallback regressions",
            "Last rehearsal",
            "Last date",
        ),
        rows,
    )


def window_sentence(review: TrendReview) -> Prose:
    first, last = review.rehearsals.iloc[0], review.rehearsals.iloc[-1]
    return Prose(
        f"Window: {len(review.window_ids)} rehearsal(s), {{}} ({{}}) to {{}} ({{}}); {{}}. "
        f"Policy {{}} ({{}}, sha256 {review.policy_sha256[:12]}).",
        (
            str(first["rehearsal_id"]),
            str(first["date"]),
            str(last["rehearsal_id"]),
            str(last["date"]),
            review.spec.describe(),
            review.policy_name,
            review.policy_source,
        ),
    )


def title(review: TrendReview) -> Prose:
    return Prose("Trend review: {}", (", ".join(review.services),))


def readiness_section(review: TrendReview) -> Section:
    lead = words(
        "Runtime cutover readiness HOLDS."
        if review.ready
        else "Runtime cutover readiness DOES NOT HOLD."
    )
    rows = [
        (
            _code(blocker.rehearsal_id),
            _code(blocker.gate),
            _text(blocker.reason),
            _code("; ".join(blocker.evidence)) if blocker.evidence else _number("–"),
        )
        for statement in review.readiness
        for blocker in statement.blockers
    ]
    return Section(
        "readiness",
        "Runtime cutover readiness",
        lead,
        tuple(Prose(*statement.statement_template) for statement in review.readiness),
        tables=(
            Table(
                ("Rehearsal", "Gate", "What blocks it", "Evidence"),
                rows,
                "Nothing blocks the runtime cutover.",
            ),
        ),
    )


def _completion_cell(status: object) -> Cell:
    """COMPLETE / INCOMPLETE as a coloured chip; not applicable as plain words."""
    return (
        Cell(str(status), "verdict")
        if status != CompletionStatus.NOT_APPLICABLE
        else _text("not applicable")
    )


def completion_sentence(review: TrendReview) -> Prose:
    """Where the runtime cutover was completed: the first COMPLETE rehearsal of the window."""
    frame = review.rehearsals
    complete = frame[frame["cutover_completion"] == CompletionStatus.COMPLETE]
    if not complete.empty:
        first = complete.iloc[0]
        return Prose(
            "Runtime cutover completion reached in {} ({}).",
            (str(first["rehearsal_id"]), str(first["date"])),
        )
    if (frame["cutover_completion"] == CompletionStatus.INCOMPLETE).any():
        return words(
            "Runtime cutover completion not reached: every evaluated cutover is INCOMPLETE."
        )
    return words("No rehearsal of the window is an authorised cutover: completion not evaluated.")


def verdict_section(review: TrendReview) -> Section:
    rows = [
        (
            _code(r.rehearsal_id),
            _number(r.date),
            _text(r.kind),
            Cell(str(r.rehearsal_continuation), "verdict"),
            Cell(str(r.runtime_cutover), "verdict"),
            _completion_cell(r.cutover_completion),
            _number(r.fallback_regressions),
        )
        for r in review.rehearsals.tail(DETAIL_REHEARSALS).itertuples(index=False)
    ]
    go = int((review.rehearsals["rehearsal_continuation"] == Decision.GO).sum())
    summary = (service_summary(review),) if len(review.window_ids) > DETAIL_REHEARSALS else ()
    return Section(
        "verdicts",
        "Verdict timeline",
        words(f"Rehearsal continuation GO in {go} of {len(review.rehearsals)} rehearsal(s)."),
        paragraphs=(completion_sentence(review), *detail_note(review, "the verdicts")),
        figure="verdict_timeline",
        tables=(
            *summary,
            Table(
                (
                    "Rehearsal",
                    "Date",
                    "Kind",
                    "Rehearsal continuation",
                    "Runtime cutover",
                    "Cutover completion",
                    "Fallback regressions",
                ),
                rows,
            ),
        ),
    )


def gate_rate_section(review: TrendReview) -> Section:
    rows = [
        (
            _code(r.gate),
            _text(r.category),
            _number(r.runs),
            _number(r["pass"]),
            _number(r.fail),
            _number(r.missing),
            _number(r.skipped),
            _number(percent(r.pass_rate)),
            _number(f"{percent(r.wilson_low)} – {percent(r.wilson_high)}" if r.runs else "–"),
            _number(percent(r.fail_rate)),
            _number(percent(r.missing_rate)),
            _number(percent(r.flip_rate)),
        )
        for _, r in review.gate_rates.iterrows()
    ]
    return Section(
        "gate_rates",
        "Gate pass rates",
        words("Pass / fail / missing of the runs of every gate over the window."),
        (words(COUNTING_NOTE),),
        figure="gate_pass_rates",
        tables=(
            Table(
                (
                    "Gate",
                    "Category",
                    "Runs",
                    "Pass",
                    "Fail",
                    "Missing",
                    "Skipped",
                    "Pass rate",
                    "95% Wilson",
                    "Fail rate",
                    "Missing rate",
                    "Flip rate",
                ),
                rows,
            ),
        ),
    )


def trend_section(review: TrendReview) -> Section:
    last = review.rolling.iloc[-1]
    return Section(
        "trend",
        "Pass-rate trend",
        Prose(
            f"Over the last {int(last['rehearsals'])} rehearsal(s) ({{}} to {{}}): "
            f"{percent(last['pass_rate'])} of {int(last['runs'])} gate runs pass, "
            f"{percent(last['fail_rate'])} fail, {percent(last['missing_rate'])} missing.",
            (str(last["first_id"]), str(last["rehearsal_id"])),
        ),
        (
            words(
                f"Each point pools every gate run of the {review.rolling_window} rehearsal(s) "
                "ending there (fewer at the start of the window); [trend] rolling_window in the "
                "policy."
            ),
        ),
        figure="pass_rate_trend",
    )


_CHANGE_LABEL: Final[dict[str, str]] = {
    Transition.NEWLY_FAILING: "newly failing",
    Transition.NEWLY_MISSING: "newly missing",
    Transition.FIXED: "fixed",
    Transition.STILL_FAILING: "still failing",
    Transition.STILL_MISSING: "still missing",
}


def transition_section(review: TrendReview) -> Section:
    changed = review.transitions[review.transitions["change"] != Transition.STEADY]
    listed = changed[changed["to_id"].isin(detail_ids(review))]
    rows = [
        (
            _code(t.gate),
            _code(t.from_id),
            Cell(str(t.from_status), "status"),
            _code(t.to_id),
            Cell(str(t.to_status), "status"),
            _text(_CHANGE_LABEL[str(t.change)]),
        )
        for t in listed.itertuples(index=False)
    ]
    counts = changed["change"].value_counts()
    summary = ", ".join(
        f"{int(counts.get(change, 0))} {label}" for change, label in _CHANGE_LABEL.items()
    )
    return Section(
        "transitions",
        "Status transitions",
        words(f"Between consecutive runs of each gate: {summary}."),
        (
            words(
                "Consecutive runs of a gate for one service; a rehearsal where the gate was "
                "skipped is passed over. Pairs that stayed pass are not listed. The verdict "
                "timeline above shows every gate's status per rehearsal."
            ),
            *detail_note(review, "the transitions into each"),
        ),
        tables=(
            Table(
                ("Gate", "From", "From status", "To", "To status", "Change"),
                rows,
                "No gate changed status and none kept failing.",
            ),
        ),
    )


def _names(cases: list[str]) -> Cell:
    return _code(", ".join(cases)) if cases else _number("–")


def fallback_section(review: TrendReview) -> Section:
    frame = review.fallback
    notable = frame[frame["lost_coverage"] | frame[list(CHANGE_CLASSES)].map(len).sum(axis=1).gt(0)]
    notable = notable[notable["rehearsal_id"].isin(detail_ids(review))]
    rows = [
        (
            _code(r.rehearsal_id),
            _code(r.scenario),
            _number(r.executed),
            *(_names(getattr(r, change)) for change in CHANGE_CLASSES),
            _text("yes" if r.lost_coverage else "–"),
        )
        for r in notable.itertuples(index=False)
    ]
    regressions = int(frame["regression"].map(len).sum())
    return Section(
        "fallback",
        "Fallback regressions by scenario",
        words(f"{regressions} fallback regression(s) in the window."),
        (
            words(
                "Each rehearsal against the previous rehearsal of its service. Regression: passed "
                "before, fails now. Recurring: failed before and now. New failing: fails and did "
                "not run before. Fixed: failed before, passes now. Lost coverage: no case of the "
                "scenario ran."
            ),
            *detail_note(review, "the changes"),
        ),
        figure="fallback_by_scenario",
        tables=(
            Table(
                (
                    "Rehearsal",
                    "Scenario",
                    "Executed",
                    "Regression",
                    "Recurring",
                    "New failing",
                    "Fixed",
                    "Lost coverage",
                ),
                rows,
                "No fallback case changed and every scenario ran in every rehearsal.",
            ),
        ),
    )


def flaky_section(review: TrendReview) -> Section:
    gates = [
        (_code(r.gate), _number(r.runs), _number(r.flips), _number(percent(r.flip_rate)))
        for r in review.flaky_gates.itertuples(index=False)
    ]
    cases = [
        (
            _code(r.case),
            _number(r.runs),
            _number(r.fail),
            _number(r.flips),
            _number(percent(r.flip_rate)),
        )
        for r in review.flaky_cases.itertuples(index=False)
    ]
    return Section(
        "flaky",
        "Flaky gates and test cases",
        words(
            f"{len(gates)} flaky gate(s) and {len(cases)} flaky test case(s): flip rate above "
            f"{percent(review.flaky_threshold)}."
        ),
        (
            words(
                "Flip rate = flips / (runs − 1) over the window: how often the outcome changed "
                "between consecutive runs. The threshold is [trend] flaky_threshold in the "
                "policy. A test case is its leaf name; a failure anywhere in a rehearsal wins."
            ),
        ),
        tables=(
            Table(("Gate", "Runs", "Flips", "Flip rate"), gates, "No flaky gate."),
            Table(
                ("Test case", "Runs", "Failing runs", "Flips", "Flip rate"),
                cases,
                "No flaky test case.",
            ),
        ),
    )


def command_section(review: TrendReview) -> Section:
    rows = [
        (
            _code(r.command),
            _number(r.runs),
            _number(r["pass"]),
            _number(r.fail),
            _number(r.unknown),
            _number(percent(r.pass_rate)),
            _number(r.timed_runs),
            _number(seconds(r.median_s)),
            _number(seconds(r.p90_s)),
        )
        for _, r in review.commands.iterrows()
    ]
    return Section(
        "commands",
        "Commands",
        words(f"{len(rows)} command(s) seen running in the transcripts of the window."),
        (
            words(
                "From transcripts only (a record that reports a command is a claim, not a run). "
                "Unknown: the transcript does not state the result; it counts as a run, never a "
                "pass. Median and p90 over the runs whose duration the transcript prints (linear "
                "interpolation)."
            ),
        ),
        tables=(
            Table(
                (
                    "Command",
                    "Runs",
                    "Pass",
                    "Fail",
                    "Unknown",
                    "Pass rate",
                    "Timed runs",
                    "Median (s)",
                    "p90 (s)",
                ),
                rows,
                "No command ran in a transcript of the window.",
            ),
        ),
    )


def trend_sections(review: TrendReview) -> list[Section]:
    """Every section of the trend review, in reading order."""
    return [
        readiness_section(review),
        verdict_section(review),
        gate_rate_section(review),
        trend_section(review),
        transition_section(review),
        fallback_section(review),
        flaky_section(review),
        command_section(review),
    ]
