"""The values the verdict stage decides and the codes its reasons carry, each spelled once.

They are :class:`~enum.StrEnum` members, so ``verdict.json`` and every report write exactly the
strings they always did.
"""

from __future__ import annotations

from enum import StrEnum


class Decision(StrEnum):
    """What each of the two verdicts can be."""

    GO = "GO"
    NO_GO = "NO-GO"


class VerdictName(StrEnum):
    """The two verdicts, as ``verdict.json`` keys them and as a reason names its verdict."""

    CONTINUATION = "rehearsal_continuation"
    RUNTIME = "runtime_cutover"


class Rule(StrEnum):
    """What a reason cites when no single gate decided it."""

    ALL = "ALL"  # every blocking gate passes
    OVERRIDE = "OVERRIDE"  # the joint gate override, or a decision record that is none
    CONTINUATION = "CONTINUATION"  # the runtime cutover needs the continuation GO
    WINDOW = "WINDOW"  # the trailing readiness window


class AuditStatus(StrEnum):
    """A recorded verdict judged against the computed one."""

    AGREES = "agrees"
    UNBACKED = "unbacked"  # recorded GO (or COMPLETE) the evidence does not back
    CONTRADICTED = "contradicted"  # recorded NO-GO where the evidence decides GO


class CompletionStatus(StrEnum):
    """Whether an authorised runtime cutover happened."""

    COMPLETE = "COMPLETE"
    INCOMPLETE = "INCOMPLETE"
    NOT_APPLICABLE = "not-applicable"
