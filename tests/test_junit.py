"""JUnit XML: test cases with pointers, framework hints, and refusal of unsafe or broken XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from cutover_kit.errors import JunitError
from cutover_kit.evidence.junit import JUNIT_ROOTS, parse_junit
from cutover_kit.evidence.model import Severity

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"


def test_vitest_report() -> None:
    extract = parse_junit((FIXTURES / "vitest_junit.xml").read_bytes())
    assert (extract.kind, extract.detail) == ("junit", "vitest")
    assert [(c.pointer, c.status) for c in extract.test_cases] == [
        ("testsuite[1]/testcase[1]", "passed"),
        ("testsuite[1]/testcase[2]", "failed"),
        ("testsuite[1]/testcase[3]", "passed"),
        ("testsuite[2]/testcase[1]", "passed"),
        ("testsuite[2]/testcase[2]", "skipped"),
    ]
    timeout = extract.test_cases[1]
    assert timeout.suite == "src/lib/memorykernel/adapter.test.ts"
    assert timeout.name == "memorykernel adapter > preflight_reports_timeout_as_offline"
    assert timeout.duration_s == pytest.approx(5.004)
    assert timeout.framework == "vitest"
    assert timeout.message == "expected 'ready' to be 'offline' // Object.is equality"
    assert extract.test_cases[4].duration_s == 0.0
    assert extract.findings == []


def test_pytest_report_with_errors_and_text_only_failure() -> None:
    extract = parse_junit(
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4">'
        b'<testcase classname="tests.test_pin" name="test_pin_matches_manifest" time="0.010"/>'
        b'<testcase classname="tests.test_pin" name="test_pin_is_service_v2" time="0.002">'
        b"<failure>AssertionError: assert 'service.v3' == 'service.v2'\nmore detail</failure>"
        b"</testcase>"
        b'<testcase classname="tests.test_pin" name="test_fixture_broken" time="0.001">'
        b"<error message=\"fixture 'pin' not found\">trace</error></testcase>"
        b'<testcase classname="tests.test_pin" name="test_slow" time="0.000">'
        b'<skipped type="pytest.skip" message="needs network"/></testcase>'
        b"</testsuite></testsuites>"
    )
    assert extract.detail == "pytest"
    assert [(c.name, c.status, c.message) for c in extract.test_cases] == [
        ("test_pin_matches_manifest", "passed", ""),
        ("test_pin_is_service_v2", "failed", "AssertionError: assert 'service.v3' == 'service.v2'"),
        ("test_fixture_broken", "error", "fixture 'pin' not found"),
        ("test_slow", "skipped", "needs network"),
    ]
    assert {c.suite for c in extract.test_cases} == {"tests.test_pin"}


def test_single_testsuite_root_and_suite_name_fallback() -> None:
    extract = parse_junit(
        b'<testsuite name="memorykernel-core" tests="2">'
        b'<properties><property name="ci" value="true"/></properties>'
        b'<testcase name="store::tests::write_conflict_maps_to_409" time="0.001"/>'
        b'<testcase classname="" name="store::tests::schema_unavailable" time="0.003"/>'
        b"<system-out>noise</system-out>"
        b"</testsuite>"
    )
    assert extract.detail == ""
    assert [(c.pointer, c.suite, c.framework) for c in extract.test_cases] == [
        ("testsuite[1]/testcase[1]", "memorykernel-core", ""),
        ("testsuite[1]/testcase[2]", "memorykernel-core", ""),
    ]


def test_nested_testsuites_from_nextest() -> None:
    extract = parse_junit(
        b'<testsuites name="nextest-run" tests="3" failures="0" errors="0">'
        b'<testsuite name="memorykernel-core">'
        b'<testcase classname="memorykernel-core" name="store::a" time="0.001"/>'
        b'<testsuite name="memorykernel-core::integration">'
        b'<testcase name="api::b" time="0.002"/>'
        b"</testsuite>"
        b'<testcase classname="memorykernel-core" name="store::c" time="0.003"/>'
        b"</testsuite>"
        b"</testsuites>"
    )
    assert extract.detail == "nextest"
    assert [(c.pointer, c.suite, c.name) for c in extract.test_cases] == [
        ("testsuite[1]/testcase[1]", "memorykernel-core", "store::a"),
        ("testsuite[1]/testsuite[1]/testcase[1]", "memorykernel-core::integration", "api::b"),
        ("testsuite[1]/testcase[2]", "memorykernel-core", "store::c"),
    ]
    assert {c.framework for c in extract.test_cases} == {"nextest"}


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 5000
    raw = b"<testsuites>" + b"<testsuite>" * depth + b'<testcase name="deep"/>'
    raw += b"</testsuite>" * depth + b"</testsuites>"
    [case] = parse_junit(raw).test_cases
    assert case.name == "deep"
    assert case.pointer.count("testsuite[1]") == depth


@pytest.mark.parametrize("time", ["abc", "1,5", "-1", "nan", "inf"])
def test_bad_time_is_unknown_with_a_warning(time: str) -> None:
    raw = (
        f'<testsuites name="vitest tests"><testsuite name="a.test.ts">'
        f'<testcase classname="a.test.ts" name="ok" time="0.5"/>'
        f'<testcase classname="a.test.ts" name="x" time="{time}"/>'
        f"</testsuite></testsuites>"
    ).encode()
    extract = parse_junit(raw)
    assert [c.duration_s for c in extract.test_cases] == [0.5, None]
    [finding] = extract.findings
    assert (finding.severity, finding.code) == (Severity.WARNING, "junit-bad-time")
    assert finding.pointer == "testsuite[1]/testcase[2]"
    assert repr(time) in finding.message


def test_report_without_testcases_is_noted() -> None:
    extract = parse_junit(b'<testsuites name="vitest tests" tests="0"></testsuites>')
    assert extract.test_cases == []
    assert [(f.severity, f.code) for f in extract.findings] == [(Severity.INFO, "junit-empty")]


@pytest.mark.parametrize(
    "raw",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
        b"<testsuites><testsuite name='a'><testcase name='&lol3;'/></testsuite></testsuites>\n",
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        b"<testsuites><testsuite name='a'><testcase name='&e;'/></testsuite></testsuites>\n",
        b'<?xml version="1.0"?>\n<!DOCTYPE testsuites SYSTEM "http://example.invalid/junit.dtd">\n'
        b"<testsuites/>\n",
    ],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_entities_and_dtds_are_refused(raw: bytes) -> None:
    with pytest.raises(JunitError, match="refused for safety: XML entities and DTDs"):
        parse_junit(raw)


def test_malformed_xml_names_line_and_column() -> None:
    raw = b'<testsuites>\n  <testsuite name="a">\n    <testcase name="x">\n  </testsuite>\n'
    with pytest.raises(JunitError, match=r"not well-formed XML at line 4, column \d+: mismatched"):
        parse_junit(raw)


@pytest.mark.parametrize("raw", [b"", b"   ", b"\xff\xfe<testsuites/>"])
def test_empty_or_garbage_bytes_are_not_xml(raw: bytes) -> None:
    with pytest.raises(JunitError, match="not well-formed XML"):
        parse_junit(raw)


def test_wrong_root_is_rejected() -> None:
    with pytest.raises(JunitError, match=r"root element <coverage> is not <testsuites>"):
        parse_junit(b'<coverage line-rate="0.9"><packages/></coverage>')
    assert issubclass(JunitError, ValueError)


def test_junit_roots() -> None:
    assert frozenset({"testsuites", "testsuite"}) == JUNIT_ROOTS
