"""Machine-readable test reports: libtest JSON lines (cargo) and vitest's JSON reporter.

``cargo test -- -Z unstable-options --format json [--report-time]`` prints one JSON object per
line: suite ``started`` / ``ok`` / ``failed`` with the counts, and per test ``started`` then
``ok``, ``failed`` or ``ignored`` (with ``exec_time`` in seconds under ``--report-time`` and the
captured ``stdout`` of a failure). It is what cargo2junit and nextest consume. ``vitest run
--reporter=json`` writes one document: ``testResults`` per file, each with ``assertionResults``.
Both become test cases with their durations, like JUnit and transcripts.
"""

from __future__ import annotations

import re
from typing import Any

from cutover_kit.evidence.codes import CaseStatus, EvidenceKind, FindingCode
from cutover_kit.evidence.json_text import parse_json
from cutover_kit.evidence.model import Extract, Finding, Severity, TestCaseResult
from cutover_kit.evidence.registry import Content, Loader

# The evidence kinds whose files are test reports (their cases join JUnit's and transcripts').
TEST_REPORT_KINDS = (EvidenceKind.LIBTEST_JSON, EvidenceKind.VITEST_JSON)
LIBTEST_STATUS = {
    "ok": CaseStatus.PASSED,
    "failed": CaseStatus.FAILED,
    "ignored": CaseStatus.SKIPPED,
}
VITEST_STATUS = {
    "passed": CaseStatus.PASSED,
    "failed": CaseStatus.FAILED,
    "skipped": CaseStatus.SKIPPED,
    "pending": CaseStatus.SKIPPED,
    "todo": CaseStatus.SKIPPED,
    "disabled": CaseStatus.SKIPPED,
}
# At least this share of a file's non-blank lines must be libtest events (the rest: cargo's own
# `Compiling` / `Running` lines when stderr went to the same file).
LIBTEST_SHARE = 0.5
# A `$ ` prompt or pnpm's `> pkg@ver script` header: a line only terminal transcripts have.
TERMINAL_LINE = re.compile(r"^(?:\$ \S|> \S+@\S+ \S)")


def libtest_event(line: str) -> dict[str, Any] | None:
    """A libtest event of one line (``{"type": "suite"|"test", "event": ...}``), else ``None``."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        event = parse_json(text)
    except (ValueError, RecursionError):  # broken syntax, or numbers/nesting the kit refuses
        return None
    if isinstance(event, dict) and event.get("type") in {"suite", "test"} and "event" in event:
        return event
    return None


def looks_like_libtest(content: Content) -> bool:
    """Mostly libtest events, and no prompt or pnpm header (then it is a terminal transcript,
    whose parser reads the events among the commands)."""
    if any(TERMINAL_LINE.match(line) for line in content.lines):
        return False
    lines = [line for line in content.lines if line.strip()]
    events = sum(1 for line in lines if libtest_event(line) is not None)
    return bool(events) and events >= LIBTEST_SHARE * len(lines)


def exec_seconds(value: Any) -> float | None:
    """``exec_time`` as seconds: a number, or a string like ``"0.0012s"`` (older toolchains)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.removesuffix("s"))
        except ValueError:
            return None
    return None


def test_module(name: str) -> str:
    return name.rsplit("::", 1)[0] if "::" in name else ""


def parse_libtest(content: Content) -> Extract:
    """Every finished test of a libtest JSON report; unfinished tests, count gaps: findings."""
    cases: list[TestCaseResult] = []
    findings: list[Finding] = []
    started: dict[str, int] = {}
    suite_start = 0
    for number, line in enumerate(content.lines, start=1):
        event = libtest_event(line)
        if event is None:
            continue
        kind, what = event["type"], event["event"]
        name = str(event.get("name", ""))
        if kind == "suite" and what == "started":
            suite_start = len(cases)
        elif kind == "suite" and what in {"ok", "failed"}:
            findings += _suite_counts(event, cases[suite_start:], number)
        elif kind == "test" and what == "started":
            started[name] = number
        elif kind == "test" and what in LIBTEST_STATUS:
            started.pop(name, None)
            message = str(event.get("stdout") or event.get("message") or "").strip()
            cases.append(
                TestCaseResult(
                    test_module(name),
                    name,
                    LIBTEST_STATUS[what],
                    exec_seconds(event.get("exec_time")),
                    f"line {number}",
                    "cargo",
                    panic_message(message),
                )
            )
    findings += [
        Finding(
            Severity.WARNING,
            FindingCode.TEST_UNFINISHED,
            f"test {name!r} started at line {line} but the report has no result for it",
            f"line {line}",
        )
        for name, line in started.items()
    ]
    return Extract(
        kind=EvidenceKind.LIBTEST_JSON, detail="cargo", test_cases=cases, findings=findings
    )


def panic_message(output: str) -> str:
    """The line after ``thread '…' panicked at file:line:col:`` (the assertion), else the first."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for index, line in enumerate(lines[:-1]):
        if "panicked at" in line:
            return lines[index + 1]
    return lines[0] if lines else ""


def _suite_counts(event: dict[str, Any], cases: list[TestCaseResult], number: int) -> list[Finding]:
    stated = {status: event.get(key) for key, status in LIBTEST_STATUS.items()}
    stated[CaseStatus.PASSED] = event.get("passed")
    seen = {status: sum(1 for c in cases if c.status == status) for status in stated}
    if all(stated[s] in (None, seen[s]) for s in stated):
        return []
    return [
        Finding(
            Severity.INFO,
            FindingCode.SUMMARY_COUNT_MISMATCH,
            f"libtest suite result states {stated} but the report shows {seen}",
            f"line {number}",
        )
    ]


def looks_like_vitest_json(content: Content) -> bool:
    doc = content.doc
    return isinstance(doc, dict) and "numTotalTests" in doc and "testResults" in doc


def parse_vitest_json(content: Content) -> Extract:
    """Every assertion result of vitest's JSON report, named ``describe > test`` as it prints."""
    cases: list[TestCaseResult] = []
    findings: list[Finding] = []
    results = content.doc.get("testResults")
    for file_index, file_result in enumerate(results if isinstance(results, list) else []):
        if not isinstance(file_result, dict):
            continue
        suite = str(file_result.get("name", ""))
        assertions = file_result.get("assertionResults")
        for index, item in enumerate(assertions if isinstance(assertions, list) else []):
            pointer = f"/testResults/{file_index}/assertionResults/{index}"
            if not isinstance(item, dict) or item.get("status") not in VITEST_STATUS:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        FindingCode.INVALID_FIELD,
                        f"field {pointer}/status: not a vitest test status",
                        f"{pointer}/status",
                    )
                )
                continue
            titles = [*item.get("ancestorTitles", []), item.get("title", "")]
            name = " > ".join(str(t) for t in titles if t) or str(item.get("fullName", ""))
            duration = exec_seconds(item.get("duration"))
            failures = item.get("failureMessages") or []
            message = str(failures[0]).strip().splitlines()[0] if failures else ""
            cases.append(
                TestCaseResult(
                    suite,
                    name,
                    VITEST_STATUS[item["status"]],
                    duration / 1000 if duration is not None else None,
                    pointer,
                    "vitest",
                    message,
                )
            )
    return Extract(
        kind=EvidenceKind.VITEST_JSON, detail="vitest", test_cases=cases, findings=findings
    )


TEST_REPORT_LOADERS: tuple[Loader, ...] = (
    Loader(EvidenceKind.VITEST_JSON, "json", looks_like_vitest_json, parse_vitest_json),
    Loader(EvidenceKind.LIBTEST_JSON, "text", looks_like_libtest, parse_libtest),
)
