"""Deciding the verdicts of a corpus: one rehearsal, or all of them in order.

A rehearsal's verdict reads its own evidence, its predecessor's fallback cases and the
continuation and regressions of a fixed readiness window. Walking the corpus in order, the
evaluator keeps only those: the latest fallback cases of each service and a two-field standing
per rehearsal. So :meth:`Evaluator.verdicts` reads each file once and holds one rehearsal's
evidence at a time however long the history is; asked for one rehearsal out of order, it reads
what that rehearsal needs again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
    previous_id: str | None
    gates: list[GateResult]
    fallback: dict[str, ScenarioDelta]
    continuation: Decision
    reasons: list[Reason]


class Evaluator:
    """Evaluates one policy over one ledger, in order or one rehearsal at a time."""

    def __init__(self, ledger: Ledger, policy: LoadedPolicy) -> None:
        self.ledger = ledger
        self.policy = policy.policy
        # Per service, the last rehearsal whose fallback cases were gathered, and its cases.
        self._latest_cases: dict[str, tuple[str, dict[str, FallbackCase]]] = {}
        self._scenarios: dict[str, str | None] = {}  # test name -> fallback scenario
        # What the readiness window of a later rehearsal reads of each one assessed.
        self._standings: dict[str, WindowEntry] = {}
        self._verdicts: dict[str, Verdict] = {}  # the ones asked for by id (see evaluate)
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

    def _fallback_cases(
        self, rehearsal: Rehearsal, view: RehearsalView | None = None
    ) -> dict[str, FallbackCase]:
        """The rehearsal's fallback cases, kept as its service's latest for its successor."""
        latest = self._latest_cases.get(rehearsal.service)
        if latest is not None and latest[0] == rehearsal.id:
            return latest[1]
        view = view or RehearsalView(self.ledger, rehearsal)
        cases = fallback_cases(view.test_cases, self.policy.fallback, self._scenarios)
        self._latest_cases[rehearsal.service] = (rehearsal.id, cases)
        return cases

    def _standing(self, rehearsal: Rehearsal) -> WindowEntry:
        """The rehearsal's continuation and regressions, assessing it when not yet known."""
        if rehearsal.id not in self._standings:
            self._assess(rehearsal, RehearsalView(self.ledger, rehearsal))
        return self._standings[rehearsal.id]

    def _window(self, rehearsal: Rehearsal) -> list[WindowEntry]:
        """The readiness window ending with ``rehearsal``, oldest first."""
        entries: list[WindowEntry] = []
        current: Rehearsal | None = rehearsal
        while current is not None and len(entries) < self.policy.readiness.window:
            entries.insert(0, self._standing(current))
            current = self._previous(current)
        return entries

    def evaluate(self, session: str) -> Verdict:
        """The verdict of one rehearsal (``latest`` for the last one), kept for the next ask."""
        rehearsal = self.resolve(session)
        if rehearsal.id not in self._verdicts:
            self._verdicts[rehearsal.id] = self._decide(rehearsal)
        return self._verdicts[rehearsal.id]

    def verdicts(self) -> Iterator[Verdict]:
        """Every rehearsal's verdict in order, each let go by the evaluator once yielded.

        Corpus-wide frames are built from this stream: holding every verdict of a long history
        (gates, reasons, evidence) cost more memory than the frames made of them.
        """
        for rehearsal in self.ledger.rehearsals:
            yield self._verdicts.get(rehearsal.id) or self._decide(rehearsal)

    def evaluate_all(self) -> list[Verdict]:
        return list(self.verdicts())

    def _assess(self, rehearsal: Rehearsal, view: RehearsalView) -> _Assessment:
        """Gates, fallback comparison and continuation verdict of one rehearsal."""
        previous = self._previous(rehearsal)
        # The predecessor's cases first: they are its service's latest until this one's are.
        before = self._fallback_cases(previous) if previous else None
        fallback = compare(self._fallback_cases(rehearsal, view), before, self.policy.fallback)
        previous_id = previous.id if previous else None
        gates = evaluate_gates(view, self.policy, fallback, previous_id)
        continuation, reasons = decide_continuation(self.policy, gates)
        assessed = _Assessment(previous_id, gates, fallback, continuation, reasons)
        regressions = sum(len(delta.regressions) for delta in fallback.values())
        self._standings[rehearsal.id] = WindowEntry(rehearsal.id, continuation, regressions)
        return assessed

    def _decide(self, rehearsal: Rehearsal) -> Verdict:
        view = RehearsalView(self.ledger, rehearsal)
        assessed = self._assess(rehearsal, view)
        gates = assessed.gates
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
