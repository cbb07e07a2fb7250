"""libtest's JSON events printed in a terminal (``cargo test -- -Z unstable-options --format
json``): the same cases as its pretty output, one JSON object per line."""

from __future__ import annotations

import re
from collections import Counter

from cutover_kit.evidence.codes import CaseStatus
from cutover_kit.evidence.test_reports import (
    LIBTEST_STATUS,
    exec_seconds,
    libtest_event,
    panic_message,
    test_module,
)
from cutover_kit.evidence.transcripts.runners import add_case, start_block, summary
from cutover_kit.evidence.transcripts.state import Handlers, ToolReader

LIBTEST_LINE = re.compile(r'^\s*\{\s*"type":\s*"(?:suite|test)"')


class LibtestJson(ToolReader):
    """Suite ``started`` opens a cargo block, each finished test is a case, the suite result
    closes the block and checks its counts."""

    def handlers(self) -> Handlers:
        return ((LIBTEST_LINE, self._event),)

    def _event(self, match: re.Match[str], number: int) -> bool:
        event = libtest_event(match.string)
        if event is None:
            return False
        kind, what, name = event["type"], event["event"], str(event.get("name", ""))
        if kind == "suite" and what == "started":
            start_block(self.state, "cargo", number)
        elif kind == "suite" and what in {"ok", "failed"}:
            stated = {status: event.get(key) for key, status in LIBTEST_STATUS.items()}
            stated[CaseStatus.PASSED] = event.get("passed")
            counts = Counter({k: n for k, n in stated.items() if isinstance(n, int) and n > 0})
            summary(self.state, "cargo", number, counts)
        elif kind == "test" and what in LIBTEST_STATUS:
            message = panic_message(str(event.get("stdout") or event.get("message") or ""))
            seconds = exec_seconds(event.get("exec_time"))
            status = LIBTEST_STATUS[what]
            add_case(self.state, "cargo", number, test_module(name), name, status, seconds, message)
        return True
