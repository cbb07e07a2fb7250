"""pytest output: verbose case lines, the short test summary and the closing summary line.

Case lines come in pytest's verbose form (``nodeid PASSED``) and pytest-xdist's, which puts the
worker and progress first (``[gw0] [ 50%] PASSED nodeid``). A parametrised node id may contain
spaces inside its ``[...]``. ``pytest -q`` prints its closing summary without the ``===`` rule.
"""

from __future__ import annotations

import re

from cutover_kit.evidence.codes import CaseStatus
from cutover_kit.evidence.transcripts.runners import (
    add_case,
    in_block,
    start_block,
    summary,
    summary_counts,
)
from cutover_kit.evidence.transcripts.state import Handlers, ToolReader

PYTEST_SESSION = re.compile(r"^=+ test session starts =+$")
# `tests/x.py::Class::test_a[some value]`: only the parameter ids may contain spaces.
_NODE_ID = r"(?P<nodeid>\S+?\.py::[^\s\[]+(?:\[.*?\])?)"
_STATUS = r"(?P<status>PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)"
PYTEST_CASE = re.compile(rf"^{_NODE_ID}\s+{_STATUS}\b")
PYTEST_XDIST_CASE = re.compile(rf"^\[gw\d+\]\s+\[\s*\d+%\]\s+{_STATUS}\s+{_NODE_ID}\s*$")
PYTEST_SHORT_SUMMARY = re.compile(rf"^(?P<status>FAILED|ERROR) {_NODE_ID}(?: - (?P<message>.*))?$")
PYTEST_SUMMARY = re.compile(
    r"^=+ (?P<counts>.*?(?:passed|failed|errors?|skipped|no tests ran).*?) "
    r"in (?P<secs>\d+(?:\.\d+)?)s\b.*=+$"
)
# `pytest -q`'s summary, `1 failed, 3 passed, 2 warnings in 0.12s (0:00:00)`: every count
# names a pytest outcome, which keeps other tools' lines out.
_OUTCOME = r"\d+ (?:passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?|rerun)"
PYTEST_QUIET_SUMMARY = re.compile(
    rf"^(?P<counts>{_OUTCOME}(?:, {_OUTCOME})*|no tests ran) in (?P<secs>\d+(?:\.\d+)?)s"
    r"(?: \(\d+:\d\d:\d\d\))?$"
)
PYTEST_STATUS = {
    "PASSED": CaseStatus.PASSED,
    "XPASS": CaseStatus.PASSED,
    "FAILED": CaseStatus.FAILED,
    "ERROR": CaseStatus.ERROR,
    "SKIPPED": CaseStatus.SKIPPED,
    "XFAIL": CaseStatus.SKIPPED,
}


class Pytest(ToolReader):
    """pytest blocks: cases by node id, their messages from the short test summary."""

    signals = (PYTEST_SESSION, PYTEST_SUMMARY)

    def handlers(self) -> Handlers:
        return (
            (PYTEST_SESSION, self._session),
            (PYTEST_CASE, self._case),
            (PYTEST_XDIST_CASE, self._case),
            (PYTEST_SHORT_SUMMARY, self._short_summary),
            (PYTEST_SUMMARY, self._summary),
            (PYTEST_QUIET_SUMMARY, self._summary),
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
