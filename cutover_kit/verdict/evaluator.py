"""Deciding the verdicts of a corpus: one rehearsal, or all of them in order.

The evaluator memoises per-rehearsal work (fallback cases, verdicts) so evaluating every rehearsal
costs the same per rehearsal however long the history is: each rehearsal only looks back at its
predecessor (fallback comparison) and at a fixed readiness window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cutover_kit.errors import SessionNotFoundError
from cutover_kit.evidence.ledger import Ledger, Rehearsal
from cutover_kit.gates.engine import evaluate_gates
from cutover_kit.gates.fallback import FallbackCase, ScenarioDelta, compare, fallback_cases
from cutover_kit.gates.model import GateResult
from cutover_kit.gates.override import read_override
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import LoadedPolicy
from cutover_kit.verdict.audit import audit, recorded_verdicts
from cutover_kit.verdict.completion import evaluate_completion
from cutover_kit.verdict.decision import WindowEntry, decide_continuation, decide_runtime
from cutover_kit.verdict.follow_ups import risks_and_follow_ups
from cutover_kit.verdict.model import Verdict
from cutover_kit.verdict.reasons import Reason
from cutover_kit.verdict.values import Decision


@dataclass(frozen=True)
class _Assessment:
    view: RehearsalView
    previous_id: str | None
    gates: list[GateResult]
    fallback: dict[str, ScenarioDelta]
    continuation: Decision
    reasons: list[Reason]

    @property
    def regressions(self) -> int:
        return sum(len(delta.regressions) for delta in self.fallback.values())


class Evaluator:
    """Evaluates one policy over one ledger, memoising per rehearsal."""

    def __init__(self, ledger: Ledger, policy: LoadedPolicy) -> None:
        self.ledger = ledger
        self.policy = policy.policy
        self._cases: dict[str, dict[str, FallbackCase]] = {}
        self._scenarios: dict[str, str | None] = {}  # test name -> fallback scenario
        self._assessments: dict[str, _Assessment] = {}
        self._verdicts: dict[str, Verdict] = {}
        self._order = {r.id: index for index, r in enumerate(ledger.rehearsals)}
        # Each rehearsal's previous one of its service, found in one pass (a search back from
        # each rehearsal made evaluating a long history quadratic).
        self._previous_of: dict[str, Rehearsal] = {}
        last_of_service: dict[str, Rehearsal] = {}
        for rehearsal in ledger.rehearsals:
            if rehearsal.service in last_of_service:
                self._previous_of[rehearsal.id] = last_of_service[rehearsal.service]
            last_of_service[rehearsal.service] = rehearsal

    def resolve(self, session: str) -> Rehearsal:
        """A rehearsal by id, or the last one for ``latest``."""
        if not self.ledger.rehearsals:
            raise SessionNotFoundError("the data folder holds no rehearsal")
        if session == "latest":
            return self.ledger.rehearsals[-1]
        if session not in self._order:
            known = ", ".join(r.id for r in self.ledger.rehearsals)
            raise SessionNotFoundError(f"no rehearsal {session!r} (known: {known})")
        return self.ledger.rehearsals[self._order[session]]

    def _previous(self, rehearsal: Rehearsal) -> Rehearsal | None:
        """The rehearsal before this one for the same service, in date order."""
        return self._previous_of.get(rehearsal.id)

    def _fallback_cases(self, rehearsal: Rehearsal) -> dict[str, FallbackCase]:
        if rehearsal.id not in self._cases:
            view = RehearsalView(self.ledger, rehearsal)
            self._cases[rehearsal.id] = fallback_cases(
                view.test_cases, self.policy.fallback, self._scenarios
            )
        return self._cases[rehearsal.id]

    def _window(self, rehearsal: Rehearsal) -> list[WindowEntry]:
        """The readiness window ending with ``rehearsal``, oldest first."""
        entries: list[WindowEntry] = []
        current: Rehearsal | None = rehearsal
        while current is not None and len(entries) < self.policy.readiness.window:
            assessed = self._assess(current)
            entries.insert(0, WindowEntry(current.id, assessed.continuation, assessed.regressions))
            current = self._previous(current)
        return entries

    def evaluate(self, session: str) -> Verdict:
        """The verdict of one rehearsal (``latest`` for the last one)."""
        rehearsal = self.resolve(session)
        if rehearsal.id not in self._verdicts:
            self._verdicts[rehearsal.id] = self._decide(rehearsal)
            # Decided: later rehearsals only read its continuation and regressions, so its view
            # (every record it gathered) is let go, or a long history would stay in memory.
            assessed = self._assessments[rehearsal.id]
            fresh = RehearsalView(self.ledger, rehearsal)
            self._assessments[rehearsal.id] = replace(assessed, view=fresh)
        return self._verdicts[rehearsal.id]

    def evaluate_all(self) -> list[Verdict]:
        return [self.evaluate(r.id) for r in self.ledger.rehearsals]

    def _assess(self, rehearsal: Rehearsal) -> _Assessment:
        """Gates, fallback comparison and continuation verdict of one rehearsal (memoised)."""
        if rehearsal.id in self._assessments:
            return self._assessments[rehearsal.id]
        view = RehearsalView(self.ledger, rehearsal)
        previous = self._previous(rehearsal)
        fallback = compare(
            self._fallback_cases(rehearsal),
            self._fallback_cases(previous) if previous else None,
            self.policy.fallback,
        )
        previous_id = previous.id if previous else None
        gates = evaluate_gates(view, self.policy, fallback, previous_id)
        continuation, reasons = decide_continuation(self.policy, gates)
        assessed = _Assessment(view, previous_id, gates, fallback, continuation, reasons)
        self._assessments[rehearsal.id] = assessed
        return assessed

    def _decide(self, rehearsal: Rehearsal) -> Verdict:
        assessed = self._assess(rehearsal)
        view, gates = assessed.view, assessed.gates
        reading = read_override(view, self.policy)
        runtime, runtime_reasons = decide_runtime(
            self.policy, assessed.continuation, gates, reading, self._window(rehearsal)
        )
        completion = evaluate_completion(
            view, self.policy, reading, assessed.fallback, assessed.previous_id
        )
        recorded = recorded_verdicts(view)
        risks, follow_ups = risks_and_follow_ups(view, self.policy, [*gates, *completion.items])
        inputs = [
            {"path": outcome.path, "sha256": outcome.sha256}
            for outcome in self.ledger.files(rehearsal.id)
            if outcome.sha256
        ]
        return Verdict(
            rehearsal=rehearsal,
            previous_id=assessed.previous_id,
            gates=gates,
            fallback=assessed.fallback,
            rehearsal_continuation=assessed.continuation,
            runtime_cutover=runtime,
            reasons=assessed.reasons + runtime_reasons,
            recorded=recorded,
            audit=audit(recorded, assessed.continuation, runtime, completion),
            risks=risks,
            follow_ups=follow_ups,
            inputs=inputs,
            completion=completion,
        )
