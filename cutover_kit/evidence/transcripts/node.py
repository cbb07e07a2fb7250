"""Node scripts: the consumer's producer-handoff validator states its verdict in one line.

The validator, its environment variable and its message are named after the producer
(``<Producer> handoff payload validation passed``); the patterns accept any producer's name.
"""

from __future__ import annotations

import re

from cutover_kit.evidence.model import CheckResult
from cutover_kit.evidence.transcripts.state import Handlers, ToolReader

# The name of the check result a handoff payload validation line becomes.
HANDOFF_CHECK = "handoff-validation"
HANDOFF_VALIDATION = re.compile(
    r"^\s*[A-Za-z][\w.-]* handoff payload validation (?P<outcome>passed|failed)\b:?\s*"
    r"(?P<reason>.*)$"
)
# `validation passed (rehearsal-candidate).` or `(mode=pinned-baseline)`: the mode the run took.
STATED_MODE = re.compile(r"^\((?:mode=)?(?P<mode>[a-z][a-z-]*)\)")
# The check takes its mode from the expected service version, which this variable overrides
# (set on the script's own command line or on a command that runs it).
EXPECTED_OVERRIDE = re.compile(
    r"\b[A-Z][A-Z0-9]*_EXPECTED_SERVICE_CONTRACT_VERSION=(?P<version>\S+)"
)
VALIDATOR = re.compile(r"\bvalidate_[a-z0-9]+_handoff_payload\.m?js\b")
# ``CheckResult.mode`` for a run whose expected version is known: ``expected:`` + the override,
# nothing after the colon when the run used the pin's (no override in sight of the invocation).
EXPECTED_PREFIX = "expected:"


class HandoffValidation(ToolReader):
    """``validation passed|failed: reason`` becomes a check; a failure fails its command."""

    signals = (HANDOFF_VALIDATION,)

    def handlers(self) -> Handlers:
        return ((HANDOFF_VALIDATION, self._validation),)

    def _validation(self, match: re.Match[str], number: int) -> bool:
        state = self.state
        state.note_tool("node")
        if match["outcome"] == "failed":
            reason = match["reason"].strip()
            value = f"fail: {reason}" if reason else "fail"
            state.fail(number)
        else:
            value = "pass"
        stated = STATED_MODE.match(match["reason"].strip())
        command = state.current.command if state.current else ""
        state.checks.append(
            CheckResult(
                HANDOFF_CHECK,
                value,
                f"line {number}",
                command=command,
                mode=stated["mode"] if stated else self._expected(),
            )
        )
        return True

    def _expected(self) -> str:
        """The expected version the run printing the line was given, as ``expected:VERSION``
        (``expected:`` for none), when the validator's invocation is in sight; else ""."""
        stack = self.state.stack
        if not stack or not VALIDATOR.search(stack[-1].text):
            return ""
        override = next(
            (found for run in reversed(stack) if (found := EXPECTED_OVERRIDE.search(run.text))),
            None,
        )
        return EXPECTED_PREFIX + (override["version"] if override else "")
