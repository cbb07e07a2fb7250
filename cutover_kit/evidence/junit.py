"""JUnit XML reports (vitest, pytest, cargo-nextest, Jest...): one test case result per testcase.

JUnit files come from CI runners we do not control, so they are untrusted XML: they are parsed
with defusedxml, and any DTD or entity declaration (billion laughs, external entities) rejects the
file instead of being expanded. Problems with the file as a whole raise :class:`JunitError`, which
the caller turns into a rejected file; problems with single values become findings.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from cutover_kit.errors import JunitError
from cutover_kit.evidence.codes import CaseStatus, EvidenceKind, FindingCode
from cutover_kit.evidence.model import Extract, Finding, Severity, TestCaseResult

if TYPE_CHECKING:  # the stdlib parser is never called: only its element type is named
    from xml.etree.ElementTree import Element

JUNIT_ROOTS = frozenset({"testsuites", "testsuite"})

# Name hints the common JUnit writers put on the root or suite: checked in this order.
FRAMEWORK_HINTS = ("nextest", "vitest", "pytest", "jest")
# Child elements that decide a testcase's status, by precedence.
STATUS_ELEMENTS = (
    ("error", CaseStatus.ERROR),
    ("failure", CaseStatus.FAILED),
    ("skipped", CaseStatus.SKIPPED),
)


def parse_junit(raw: bytes, root: Element | None = None) -> Extract:
    """Every testcase of a JUnit report, with a pointer like ``testsuite[1]/testcase[3]``.

    ``root`` is the document ``raw`` already parsed (safely) when the caller has it.
    """
    if root is None:
        root = _parse_xml(raw)
    root_tag = _local_name(root.tag)
    if root_tag not in JUNIT_ROOTS:
        raise JunitError(f"root element <{root_tag}> is not <testsuites> or <testsuite>")
    framework = _framework(root)
    extract = Extract(kind=EvidenceKind.JUNIT, detail=framework)
    root_pointer = "testsuite[1]" if root_tag == "testsuite" else ""
    for case, pointer, suite_name in _testcases(root, root_pointer):
        extract.test_cases.append(_test_case(case, pointer, suite_name, framework, extract))
    if not extract.test_cases:
        extract.findings.append(
            Finding(Severity.INFO, FindingCode.JUNIT_EMPTY, "the report holds no testcase elements")
        )
    return extract


def _parse_xml(raw: bytes) -> Element:
    try:
        root: Element = fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise JunitError(
            f"refused for safety: XML entities and DTDs are not allowed ({type(exc).__name__})"
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).rsplit(": line ", 1)[0]
        raise JunitError(f"not well-formed XML at line {line}, column {column}: {reason}") from exc
    return root


def _local_name(tag: str) -> str:
    """Tag without a ``{namespace}`` prefix: some writers namespace their reports."""
    return tag.rsplit("}", 1)[-1]


def _framework(root: Element) -> str:
    names = [root.get("name", "")]
    names += [suite.get("name", "") for suite in root if _local_name(suite.tag) == "testsuite"]
    text = " ".join(names).lower()
    return next((hint for hint in FRAMEWORK_HINTS if hint in text), "")


def _testcases(root: Element, root_pointer: str) -> Iterator[tuple[Element, str, str]]:
    """Each testcase with its pointer and enclosing suite name, in document order.

    Iterative rather than recursive: a hostile report nested thousands deep must not exhaust the
    interpreter stack.
    """
    stack = [(iter(root), root_pointer, root.get("name", ""), {"testsuite": 0, "testcase": 0})]
    while stack:
        children, pointer, suite_name, counts = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        tag = _local_name(child.tag)
        if tag not in counts:
            continue  # properties, system-out...
        counts[tag] += 1
        child_pointer = f"{pointer}/{tag}[{counts[tag]}]".lstrip("/")
        if tag == "testcase":
            yield child, child_pointer, suite_name
        else:
            name = child.get("name") or suite_name
            stack.append((iter(child), child_pointer, name, {"testsuite": 0, "testcase": 0}))


def _test_case(
    case: Element, pointer: str, suite_name: str, framework: str, extract: Extract
) -> TestCaseResult:
    status, message = CaseStatus.PASSED, ""
    # Most testcases passed and hold no element at all: nothing to look for in them.
    for tag, outcome in STATUS_ELEMENTS if len(case) else ():
        child = next((c for c in case if _local_name(c.tag) == tag), None)
        if child is not None:
            status = outcome
            message = child.get("message") or (child.text or "").strip().split("\n", 1)[0]
            break
    return TestCaseResult(
        suite=case.get("classname") or suite_name,
        name=case.get("name", ""),
        status=status,
        duration_s=_duration(case.get("time"), pointer, extract),
        pointer=pointer,
        framework=framework,
        message=message,
    )


def _duration(value: str | None, pointer: str, extract: Extract) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        extract.findings.append(
            Finding(
                Severity.WARNING,
                FindingCode.JUNIT_BAD_TIME,
                f"testcase time {value!r} is not a duration in seconds; duration left unknown",
                pointer,
            )
        )
        return None
    return seconds
