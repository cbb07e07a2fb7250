"""pytest output: verbose case lines, the short test summary and the closing ``===`` line."""

from __future__ import annotations

import re

from cutover_kit.evidence.transcripts.runners import (
    add_case,
    in_block,
    start_block,
    summary,
    summary_counts,
)
from cutover_kit.evidence.transcripts.state import Handlers, ToolReader

PYTEST_SESSION = re.compile(r"^=+ test session starts =+$")
PYTEST_CASE = re.compile(
    r"^(?P<nodeid>\S+?\.py::\S+)\s+(?P<status>PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b"
)
PYTEST_SHORT_SUMMARY = re.compile(
    r"^(?P<status>FAILED|ERROR) (?P<nodeid>\S+?\.py::\S+)(?: - (?P<message>.*))?$"
)
PYTEST_SUMMARY = re.compile(
    r"^=+ (?P<counts>.*?(?:passed|failed|errors?|skipped|no tests ran).*?) "
    r"in (?P<secs>\d+(?:\.\d+)?)s\b.*=+$"
)
PYTEST_STATUS = {
    "PASSED": "passed",
    "XPASS": "passed",
    "FAILED": "failed",
    "ERROR": "error",
    "SKIPPED": "skipped",
    "XFAIL": "skipped",
}


class Pytest(ToolReader):
    """pytest blocks: cases by node id, their messages from the short test summary."""

    signals = (PYTEST_SESSION, PYTEST_SUMMARY)

    def handlers(self) -> Handlers:
        return (
            (PYTEST_SESSION, self._session),
            (PYTEST_CASE, self._case),
            (PYTEST_SHORT_SUMMARY, self._short_summary),
            (PYTEST_SUMMARY, self._summary),
        )

    def _session(self, match: re.Match[str], number: int) -> bool:
        start_block(self.state, "pytest", number)
        return True

    def _case(self, match: re.Match[str], number: int) -> bool:
        suite, _, name = match["nodeid"].partition("::")
        add_case(self.state, "pytest", number, suite, name, PYTEST_STATUS[match["status"]])
        return True

    def _short_summary(self, match: re.Match[str], number: int) -> bool:
        if not in_block(self.state, "pytest"):
            return False
        suite, _, name = match["nodeid"].partition("::")
        status = PYTEST_STATUS[match["status"]]
        message = match["message"] or ""
        add_case(self.state, "pytest", number, suite, name, status, message=message)
        return True

    def _summary(self, match: re.Match[str], number: int) -> bool:
        if self.state.current is not None:
            self.state.current.add_duration(float(match["secs"]))
        summary(self.state, "pytest", number, summary_counts(match["counts"]))
        return True
