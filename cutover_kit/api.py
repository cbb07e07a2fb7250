"""The Python API the notebooks use: load a corpus once, evaluate, get DataFrames.

corpus = load_corpus("data/rehearsals")
verdicts = corpus.evaluate_all()
corpus.gate_frame()          # one row per rehearsal and gate
corpus.completion_frame()    # one row per cutover rehearsal and completion item
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.evidence.ledger import Ledger, load_ledger
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES
from cutover_kit.gates.checks import validate_policy_checks
from cutover_kit.policy import LoadedPolicy, load_policy
from cutover_kit.verdict import AuditStatus, Evaluator, Verdict

if TYPE_CHECKING:
    # The trend analysis is imported when a trend is asked for: a session report never needs it.
    from cutover_kit.analysis.trend import TrendInputs, TrendReview
    from cutover_kit.analysis.window import WindowSpec

__all__ = ["Corpus", "Verdict", "load_corpus"]


@dataclass
class Corpus:
    """A ledger and a policy, with an evaluator that memoises verdicts."""

    ledger: Ledger
    policy: LoadedPolicy

    @cached_property
    def evaluator(self) -> Evaluator:
        return Evaluator(self.ledger, self.policy)

    def evaluate(self, session: str = "latest") -> Verdict:
        return self.evaluator.evaluate(session)

    def evaluate_all(self) -> list[Verdict]:
        return self.evaluator.evaluate_all()

    def gate_frame(self) -> pd.DataFrame:
        """Gate results across rehearsals: rehearsal_id, order, date, gate, category, status..."""
        rows = [
            {
                "rehearsal_id": v.rehearsal.id,
                "order": order,
                "date": v.rehearsal.date,
                "gate": gate.id,
                "category": gate.category,
                "status": str(gate.status),
                "detail": gate.detail,
            }
            for order, v in enumerate(self.evaluate_all())
            for gate in v.gates
        ]
        columns = ["rehearsal_id", "order", "date", "gate", "category", "status", "detail"]
        return pd.DataFrame(rows, columns=columns)

    def verdict_frame(self) -> pd.DataFrame:
        """One row per rehearsal: both verdicts, regressions and audit findings."""
        rows = [
            {
                "rehearsal_id": v.rehearsal.id,
                "date": v.rehearsal.date,
                "kind": v.rehearsal.kind,
                "rehearsal_continuation": v.rehearsal_continuation,
                "runtime_cutover": v.runtime_cutover,
                "fallback_regressions": v.regressions,
                "unbacked_recorded_verdicts": sum(
                    a.status is AuditStatus.UNBACKED for a in v.audit
                ),
                "cutover_completion": v.completion.status,
                "service": v.rehearsal.service,
                "previous_id": v.previous_id or "",
                "order": order,
            }
            for order, v in enumerate(self.evaluate_all())
        ]
        return pd.DataFrame(rows)

    def reason_frame(self) -> pd.DataFrame:
        """Every reason of both verdicts: rehearsal_id, verdict, gate, sentence, evidence labels."""
        rows = [
            {
                "rehearsal_id": v.rehearsal.id,
                "verdict": reason.verdict,
                "gate": reason.gate,
                "sentence": reason.sentence,
                "evidence": reason.evidence,
            }
            for v in self.evaluate_all()
            for reason in v.reasons
        ]
        return pd.DataFrame(
            rows, columns=["rehearsal_id", "verdict", "gate", "sentence", "evidence"]
        )

    def fallback_case_frame(self) -> pd.DataFrame:
        """One row per fallback case that changed or kept failing against the previous rehearsal.

        ``change`` is ``regression``, ``recurring``, ``fixed`` or ``new_failing``: the names behind
        the counts of :meth:`fallback_frame`.
        """
        changes = ("regressions", "recurring", "fixed", "new_failing")
        rows = [
            {
                "rehearsal_id": v.rehearsal.id,
                "scenario": scenario,
                "case": case,
                "change": "regression" if change == "regressions" else change,
            }
            for v in self.evaluate_all()
            for scenario, delta in v.fallback.items()
            for change in changes
            for case in getattr(delta, change)
        ]
        return pd.DataFrame(rows, columns=["rehearsal_id", "scenario", "case", "change"])

    def completion_frame(self) -> pd.DataFrame:
        """The cutover completion checklist: one row per rehearsal and completion item.

        Only rehearsals whose completion was evaluated (a cutover with a joint gate override)
        have rows; ``completion`` repeats the rehearsal's status (COMPLETE / INCOMPLETE) so a
        trend chart can mark where completion was reached, and ``evidence`` lists the cited
        files and fields for a session report's checklist.
        """
        rows = [
            {
                "rehearsal_id": v.rehearsal.id,
                "order": order,
                "date": v.rehearsal.date,
                "completion": v.completion.status,
                "item": item.id,
                "description": item.description,
                "status": str(item.status),
                "detail": item.detail,
                "evidence": "; ".join(ref.label() for ref in item.evidence),
            }
            for order, v in enumerate(self.evaluate_all())
            for item in v.completion.items
        ]
        columns = [
            "rehearsal_id",
            "order",
            "date",
            "completion",
            "item",
            "description",
            "status",
            "detail",
            "evidence",
        ]
        return pd.DataFrame(rows, columns=columns)

    def fallback_frame(self) -> pd.DataFrame:
        """Per rehearsal and scenario: executed cases and regressions, recurring, fixed, new."""
        rows = [
            {
                "rehearsal_id": v.rehearsal.id,
                "date": v.rehearsal.date,
                "scenario": scenario,
                "executed": delta.executed,
                "regressions": len(delta.regressions),
                "recurring": len(delta.recurring),
                "fixed": len(delta.fixed),
                "new_failing": len(delta.new_failing),
                "lost_coverage": delta.executed == 0,
            }
            for v in self.evaluate_all()
            for scenario, delta in v.fallback.items()
        ]
        return pd.DataFrame(rows)

    def trend_inputs(self) -> TrendInputs:
        """The frames a trend review reads, over the whole corpus."""
        from cutover_kit.analysis.trend import TrendInputs

        tables = self.ledger.tables_of("test_cases", "commands")
        return TrendInputs(
            policy=self.policy.policy,
            policy_source=self.policy.source,
            policy_sha256=self.policy.sha256,
            verdicts=self.verdict_frame(),
            gates=self.gate_frame(),
            reasons=self.reason_frame(),
            fallback=self.fallback_frame(),
            fallback_cases=self.fallback_case_frame(),
            test_cases=tables["test_cases"],
            commands=tables["commands"],
        )

    def trend_review(self, window: WindowSpec | None = None) -> TrendReview:
        """Every view of the trend review over ``window`` (default: the whole corpus)."""
        from cutover_kit.analysis.trend import build_trend_review
        from cutover_kit.analysis.window import WindowSpec

        return build_trend_review(self.trend_inputs(), window or WindowSpec())


def load_corpus(
    data_dir: Path | str,
    policy: Path | str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: IngestOptions | None = None,
) -> Corpus:
    """Read every rehearsal under ``data_dir`` and load the policy (default when ``None``).

    ``max_bytes`` limits JSON, XML and markdown files; transcripts are streamed whatever their size.
    ``options`` turn on the ingest cache and worker processes (``IngestOptions(use_cache=True,
    jobs=4)``); the corpus is the same either way.
    """
    loaded = load_policy(policy)
    validate_policy_checks(loaded)
    service = loaded.policy.policy.service
    ledger = load_ledger(data_dir, max_bytes=max_bytes, options=options, service=service)
    return Corpus(ledger, loaded)
