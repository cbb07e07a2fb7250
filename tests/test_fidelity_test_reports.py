"""libtest JSON lines and vitest's JSON report read as test cases, beside the real evidence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import needs_real_world
from real_fixtures import copy_real_world

from cutover_kit.api import load_corpus
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.model import FileStatus
from cutover_kit.evidence.registry import Content
from cutover_kit.evidence.test_reports import looks_like_libtest
from cutover_kit.evidence.text import terminal_lines
from cutover_kit.evidence.transcripts import parse_transcript

pytestmark = needs_real_world

FIXTURES = Path(__file__).parent / "fixtures" / "test_reports"
LIBTEST = "cargo-test-memory-kernel.json"
VITEST = "vitest-report.json"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = copy_real_world(tmp_path / "r-reports")
    shutil.copy(FIXTURES / "libtest_memory_kernel.jsonl", folder / LIBTEST)
    shutil.copy(FIXTURES / "vitest_report.json", folder / VITEST)
    return folder


def test_libtest_json_lines_are_test_cases_with_durations(folder: Path) -> None:
    ledger = load_ledger(folder)
    [report] = [o for o in ledger.outcomes if o.path == LIBTEST]
    assert (report.kind, report.status) == ("libtest-json", FileStatus.ACCEPTED)
    assert report.extract is not None
    cases = {c.name.rsplit("::", 1)[-1]: c for c in report.extract.test_cases}
    assert set(cases) == {
        "enrichment_request_times_out_without_blocking_reply",
        "health_probe_unreachable_uses_local_mode",
        "malformed_json_body_uses_fallback",
        "version_mismatch_disables_enrichment",
    }
    timeout = cases["enrichment_request_times_out_without_blocking_reply"]
    assert (timeout.status, timeout.duration_s, timeout.framework) == ("passed", 0.002113, "cargo")
    malformed = cases["malformed_json_body_uses_fallback"]
    assert malformed.status == "failed"
    assert malformed.pointer == "line 8"
    assert malformed.message == "assertion failed: outcome.used_fallback"
    assert cases["version_mismatch_disables_enrichment"].status == "skipped"
    assert report.findings == []


def test_a_cut_off_libtest_report_names_the_unfinished_test(folder: Path) -> None:
    lines = (folder / LIBTEST).read_text().splitlines()
    (folder / LIBTEST).write_text("\n".join(lines[:7]) + "\n")
    [report] = [o for o in load_ledger(folder).outcomes if o.path == LIBTEST]
    assert report.status is FileStatus.ACCEPTED
    codes = {(f.code, f.pointer) for f in report.findings}
    assert ("test-unfinished", "line 3") in codes


def test_vitest_json_report_cases_in_seconds(folder: Path) -> None:
    [report] = [o for o in load_ledger(folder).outcomes if o.path == VITEST]
    assert (report.kind, report.status) == ("vitest-json", FileStatus.ACCEPTED)
    assert report.extract is not None
    [timeout] = [c for c in report.extract.test_cases if "timeout" in c.name]
    assert timeout.name == "deterministic fallback > preflight_reports_timeout_as_offline"
    assert timeout.status == "failed"
    assert timeout.duration_s == pytest.approx(0.006412)
    assert timeout.pointer == "/testResults/0/assertionResults/0"
    assert timeout.message.startswith("AssertionError: expected 'degraded'")


def test_report_cases_reach_the_fallback_gates(folder: Path) -> None:
    verdict = load_corpus(folder).evaluate("latest")
    [stop2] = [g for g in verdict.gates if g.id == "STOP-2"]
    assert stop2.status == "fail"
    cited = {(ref.path, ref.pointer) for ref in stop2.evidence}
    assert (LIBTEST, "line 8") in cited
    assert (VITEST, "/testResults/0/assertionResults/0") in cited


def test_libtest_json_inside_a_pnpm_transcript_keeps_the_commands() -> None:
    events = (FIXTURES / "libtest_memory_kernel.jsonl").read_text()
    text = (
        "$ pnpm run test:memorykernel-rust\n\n"
        "> assistsupport@0.9.0 test:memorykernel-rust /Users/d/Projects/AssistSupport\n"
        "> cd src-tauri && cargo test memory_kernel -- -Z unstable-options --format json"
        " --report-time\n\n"
        "   Compiling assistsupport v0.9.0 (/Users/d/Projects/AssistSupport/src-tauri)\n"
        "    Finished `test` profile [unoptimized + debuginfo] target(s) in 38.04s\n"
        "     Running unittests src/lib.rs"
        " (target/debug/deps/assistsupport_lib-3f1c2a9b8d7e6f50)\n"
        + events
        + "error: test failed, to rerun pass `--lib`\n"
        " ELIFECYCLE  Command failed with exit code 101.\n"
    )
    lines = terminal_lines(text)
    assert not looks_like_libtest(Content(raw=text.encode(), lines=tuple(lines)))
    extract = parse_transcript(lines)
    [command] = extract.commands
    assert (command.command, command.result, command.exit_code) == (
        "test:memorykernel-rust",
        "fail",
        101,
    )
    statuses = {c.name.rsplit("::", 1)[-1]: c.status for c in extract.test_cases}
    assert statuses["malformed_json_body_uses_fallback"] == "failed"
    assert statuses["version_mismatch_disables_enrichment"] == "skipped"
    assert len(statuses) == 4
    assert "summary-count-mismatch" not in {f.code for f in extract.findings}
