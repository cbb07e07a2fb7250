"""vitest's JUnit reporter output for ``test:ci``, written the way vitest writes it.

Built as text rather than with an XML library so the layout (declaration, four-space indent, the
empty ``<testcase>`` body, the escaping of quotes) matches a real vitest file byte for byte.
"""

from __future__ import annotations

import datetime as dt

from cutover_kit.samples.artifacts import iso
from cutover_kit.samples.suites import (
    FAILURE_LOCATION,
    FAILURE_MESSAGE,
    CaseResult,
    Suite,
)

HOSTNAME = "d-macbook-pro.local"


def _escape(text: str) -> str:
    """vitest's XML escaping: all five special characters, quotes included."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(char, entity)
    return text.replace("'", "&apos;")


def _seconds(millis: int) -> str:
    return f"{millis / 1000:.3f}"


def _case(result: CaseResult) -> list[str]:
    head = (
        f'        <testcase classname="{_escape(result.suite.file)}" '
        f'name="{_escape(result.full_name)}" time="{_seconds(result.millis)}">'
    )
    lines = [head]
    if result.status == "skipped":
        lines.append("            <skipped/>")
    elif result.status == "failed":
        message = _escape(FAILURE_MESSAGE)
        lines += [
            f'            <failure message="{message}" type="AssertionError">',
            f"AssertionError: {message}",
            f" ❯ {FAILURE_LOCATION}",
            "            </failure>",
        ]
    lines.append("        </testcase>")
    return lines


def render(results: list[CaseResult], started: dt.datetime) -> bytes:
    """The JUnit document of one ``vitest run`` that executed ``results``."""
    suites: dict[Suite, list[CaseResult]] = {}
    for result in results:
        suites.setdefault(result.suite, []).append(result)
    failures = sum(result.status == "failed" for result in results)
    total_ms = sum(result.millis for result in results)
    lines = [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        f'<testsuites name="vitest tests" tests="{len(results)}" failures="{failures}" '
        f'errors="0" time="{_seconds(total_ms + 900)}">',
    ]
    clock = started
    for suite, cases in suites.items():
        suite_ms = sum(case.millis for case in cases)
        lines.append(
            f'    <testsuite name="{_escape(suite.file)}" timestamp="{iso(clock, 3)}" '
            f'hostname="{HOSTNAME}" tests="{len(cases)}" '
            f'failures="{sum(c.status == "failed" for c in cases)}" errors="0" '
            f'skipped="{sum(c.status == "skipped" for c in cases)}" time="{_seconds(suite_ms)}">'
        )
        for case in cases:
            lines += _case(case)
        lines.append("    </testsuite>")
        clock += dt.timedelta(milliseconds=suite_ms + 40)
    lines.append("</testsuites>")
    return ("\n".join(lines) + "\n").encode()
