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
