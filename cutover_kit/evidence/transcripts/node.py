"""Node scripts: the MemoryKernel handoff validator states its verdict in one line."""

from __future__ import annotations

import re

from cutover_kit.evidence.model import CheckResult
from cutover_kit.evidence.transcripts.state import Handlers, ToolReader

HANDOFF_VALIDATION = re.compile(
    r"^\s*MemoryKernel handoff payload validation (?P<outcome>passed|failed)\b:?\s*(?P<reason>.*)$"
)
# `validation passed (rehearsal-candidate).` or `(mode=pinned-baseline)`: the mode the run took.
STATED_MODE = re.compile(r"^\((?:mode=)?(?P<mode>[a-z][a-z-]*)\)")


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
                "handoff-validation",
                value,
                f"line {number}",
                command=command,
                mode=stated["mode"] if stated else "",
            )
        )
        return True
