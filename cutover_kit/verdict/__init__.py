"""The verdict stage: decide both verdicts, cutover completion and the audit from gate results.

:mod:`cutover_kit.gates` evaluates a policy's gates on a rehearsal; this package decides from what
they found. It imports the gates, never the reverse.

- :mod:`~cutover_kit.verdict.decision`: the rules of the two verdicts (``docs/gates.md``);
- :mod:`~cutover_kit.verdict.completion`: whether an authorised runtime cutover is COMPLETE;
- :mod:`~cutover_kit.verdict.audit`: recorded verdicts against the computed ones;
- :mod:`~cutover_kit.verdict.follow_ups`: risks and follow-ups for every unmet gate;
- :mod:`~cutover_kit.verdict.evaluator`: all of it over a corpus, memoised per rehearsal.
"""

from cutover_kit.verdict.audit import AuditItem, Recorded, audit, recorded_verdicts
from cutover_kit.verdict.completion import CutoverCompletion, evaluate_completion
from cutover_kit.verdict.decision import WindowEntry, decide_continuation, decide_runtime
from cutover_kit.verdict.evaluator import Evaluator
from cutover_kit.verdict.follow_ups import FollowUp, Risk, risks_and_follow_ups
from cutover_kit.verdict.model import Verdict
from cutover_kit.verdict.reasons import Reason
from cutover_kit.verdict.values import (
    AuditStatus,
    CompletionStatus,
    Decision,
    Rule,
    VerdictName,
)

__all__ = [
    "AuditItem",
    "AuditStatus",
    "CompletionStatus",
    "CutoverCompletion",
    "Decision",
    "Evaluator",
    "FollowUp",
    "Reason",
    "Recorded",
    "Risk",
    "Rule",
    "Verdict",
    "VerdictName",
    "WindowEntry",
    "audit",
    "decide_continuation",
    "decide_runtime",
    "evaluate_completion",
    "recorded_verdicts",
    "risks_and_follow_ups",
]
