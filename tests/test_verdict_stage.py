"""The verdict stage on its own: it decides from gate results alone.

The sample corpus gives real gate results; the rules of ``cutover_kit.verdict.decision`` applied to
them again must give every verdict and reason the evaluator wrote, and a rehearsal without a joint
gate override can never be a runtime cutover GO.
"""

from __future__ import annotations

import pytest

from cutover_kit.api import Corpus
from cutover_kit.gates.override import OverrideReading, Shortfall
from cutover_kit.verdict import (
    Decision,
    Rule,
    Verdict,
    VerdictName,
    WindowEntry,
    decide_continuation,
    decide_runtime,
)


@pytest.fixture(scope="module")
def verdicts(corpus: Corpus) -> list[Verdict]:
    return corpus.evaluate_all()


def test_the_continuation_rule_reproduces_every_decided_continuation(
    corpus: Corpus, verdicts: list[Verdict]
) -> None:
    policy = corpus.policy.policy
    decided = {verdict.rehearsal_continuation for verdict in verdicts}
    assert decided == {Decision.GO, Decision.NO_GO}  # the corpus exercises both branches
    for verdict in verdicts:
        continuation, reasons = decide_continuation(policy, verdict.gates)
        assert continuation is verdict.rehearsal_continuation
        assert reasons == [r for r in verdict.reasons if r.verdict is VerdictName.CONTINUATION]
        if continuation is Decision.GO:
            assert [r.gate for r in reasons] == [Rule.ALL]


def test_without_an_override_the_runtime_cutover_is_no_go_whatever_else_holds(
    corpus: Corpus, verdicts: list[Verdict]
) -> None:
    policy = corpus.policy.policy
    green = [v for v in verdicts if v.rehearsal_continuation is Decision.GO]
    assert green
    full_window = [WindowEntry(f"w{n}", Decision.GO, 0) for n in range(policy.readiness.window)]
    for verdict in green:
        runtime, reasons = decide_runtime(
            policy, Decision.GO, verdict.gates, OverrideReading(None), full_window
        )
        assert runtime is Decision.NO_GO
        assert reasons[0].gate is Rule.OVERRIDE
        assert "no joint gate override" in reasons[0].sentence


def test_a_decision_record_that_falls_short_is_the_first_runtime_reason(
    corpus: Corpus, verdicts: list[Verdict]
) -> None:
    policy = corpus.policy.policy
    shortfall = Shortfall(
        "decision record x.md is no joint gate override: it is undated", ("x.md",)
    )
    reading = OverrideReading(None, shortfalls=[shortfall])
    runtime, reasons = decide_runtime(policy, Decision.NO_GO, verdicts[0].gates, reading, [])
    assert runtime is Decision.NO_GO
    assert (reasons[0].gate, reasons[0].sentence, reasons[0].evidence) == (
        Rule.OVERRIDE,
        shortfall.sentence,
        ("x.md",),
    )
    assert [r.gate for r in reasons[1:3]] == [Rule.OVERRIDE, Rule.CONTINUATION]
    assert reasons[-1].gate is Rule.WINDOW
