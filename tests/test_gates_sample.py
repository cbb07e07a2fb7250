"""Gate engine on the bundled sample history: each planted fault fails its gate, greens stay GO.

What each rehearsal plants and the verdicts it should get come from ``data/README.md``; the
rules (which gate a fault trips, follow-up owners and due dates) from ``docs/gates.md`` and the
default policy. Evidence references are checked against the files they point at: a cited
``line N`` must hold what the gate says it holds, a cited JUnit pointer must resolve to the case.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from typing import Any

import defusedxml.ElementTree as SafeET
import pytest
from conftest import REPO, SAMPLE_DIR

from cutover_kit.api import Corpus
from cutover_kit.gates.model import EvidenceRef, GateResult
from cutover_kit.gates.view import RehearsalView
from cutover_kit.samples.history import HISTORY_LENGTH
from cutover_kit.verdict import Verdict

POLICY_FILE = REPO / "cutover_kit" / "policy" / "default.toml"
DATA_README = REPO / "data" / "README.md"
TIMEOUT_CASE = "preflight_reports_timeout_as_offline"
IDS = [f"r{n:02d}" for n in range(1, HISTORY_LENGTH + 1)]
# r14 authorises the runtime cutover (session.toml [override]); the last rehearsal carries it out,
# authorised by its joint decision record alone.
AUTHORISED, EXECUTED = "r14", IDS[-1]


# --- helpers ---------------------------------------------------------------------------------


def gate(verdict: Verdict, gate_id: str) -> GateResult:
    """The result of one gate, by id."""
    found = [g for g in verdict.gates if g.id == gate_id]
    assert len(found) == 1, f"{gate_id} appears {len(found)} times in {verdict.rehearsal.id}"
    return found[0]


def line_number(ref: EvidenceRef) -> int:
    """The line a ``line N`` pointer names."""
    match = re.fullmatch(r"line (\d+)", ref.pointer)
    assert match, f"{ref.path}: pointer {ref.pointer!r} is not a line"
    return int(match.group(1))


def cited_line(ref: EvidenceRef) -> str:
    """The text of the line an evidence reference cites (1-based, ANSI codes stripped)."""
    lines = (SAMPLE_DIR / ref.path).read_text(encoding="utf-8").splitlines()
    text = lines[line_number(ref) - 1]
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def junit_case(ref: EvidenceRef) -> Any:
    """The ``<testcase>`` element a JUnit pointer such as ``testsuite[3]/testcase[1]`` names."""
    node = SafeET.parse(SAMPLE_DIR / ref.path).getroot()
    for step in ref.pointer.split("/"):
        match = re.fullmatch(r"(\w+)\[(\d+)\]", step)
        assert match, f"unexpected JUnit pointer step {step!r}"
        tag, index = match.group(1), int(match.group(2))
        node = [child for child in node if child.tag == tag][index - 1]
    assert node.tag == "testcase"
    return node


def view(corpus: Corpus, rehearsal_id: str) -> RehearsalView:
    [rehearsal] = [r for r in corpus.ledger.rehearsals if r.id == rehearsal_id]
    return RehearsalView(corpus.ledger, rehearsal)


def session_toml(rehearsal_id: str) -> dict[str, Any]:
    return tomllib.loads((SAMPLE_DIR / rehearsal_id / "session.toml").read_text(encoding="utf-8"))


def readme_table() -> dict[str, dict[str, str]]:
    """``data/README.md``'s table: id -> date, expected and recorded verdicts."""
    rows: dict[str, dict[str, str]] = {}
    for line in DATA_README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"r\d\d", cells[0]):
            rows[cells[0]] = {"date": cells[1], "expected": cells[3], "recorded": cells[4]}
    return rows


def readme_gate_table() -> dict[str, set[str]]:
    """``data/README.md``'s second table: id -> the gates that do not pass, as ``ID status``."""
    rows: dict[str, set[str]] = {}
    for line in DATA_README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and re.fullmatch(r"r\d\d", cells[0]):
            rows[cells[0]] = set() if cells[1] == "none" else set(cells[1].split(", "))
    return rows


def split_verdicts(cell: str) -> tuple[str, str]:
    """``"NO-GO / NO-GO (note)"`` -> ``("NO-GO", "NO-GO")``."""
    match = re.match(r"(NO-GO|GO) / (NO-GO|GO)", cell)
    assert match, cell
    return match.group(1), match.group(2)


POLICY = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
OWNER_OF = {g["id"]: g["owner_role"] for g in POLICY["gates"]}
CATEGORY_OF = {g["id"]: g["category"] for g in POLICY["gates"]}
BLOCKING = set(POLICY["verdicts"]["continuation_categories"])
TABLE = readme_table()
GREEN = [rid for rid in IDS if split_verdicts(TABLE[rid]["expected"])[0] == "GO"]


@pytest.fixture(scope="module")
def verdicts(corpus: Corpus) -> dict[str, Verdict]:
    return {v.rehearsal.id: v for v in corpus.evaluate_all()}


# --- the history as a whole ------------------------------------------------------------------


def test_readme_table_lists_every_rehearsal() -> None:
    assert sorted(TABLE) == IDS
    assert GREEN and len(GREEN) < len(IDS)


def test_readme_states_the_gates_of_each_rehearsal(verdicts: dict[str, Verdict]) -> None:
    stated = readme_gate_table()
    assert sorted(stated) == IDS
    for rid, gates in stated.items():
        found = {f"{g.id} {g.status}" for g in verdicts[rid].gates if g.status != "pass"}
        assert found == gates, rid


def test_rehearsals_are_in_date_order(corpus: Corpus, verdicts: dict[str, Verdict]) -> None:
    dates = {rid: session_toml(rid)["session"]["date"].isoformat() for rid in IDS}
    by_date = sorted(IDS, key=lambda rid: (dates[rid], rid))
    assert by_date == IDS
    assert [r.id for r in corpus.ledger.rehearsals] == IDS
    assert [v.rehearsal.id for v in corpus.evaluate_all()] == IDS
    assert {rid: v.rehearsal.date for rid, v in verdicts.items()} == dates
    assert corpus.evaluate("latest").rehearsal.id == EXECUTED


@pytest.mark.parametrize("rehearsal_id", IDS)
def test_verdicts_are_the_ones_data_readme_expects(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    verdict = verdicts[rehearsal_id]
    continuation, runtime = split_verdicts(TABLE[rehearsal_id]["expected"])
    assert verdict.rehearsal.date == TABLE[rehearsal_id]["date"]
    assert verdict.rehearsal_continuation == continuation
    assert verdict.runtime_cutover == runtime


@pytest.mark.parametrize("rehearsal_id", IDS)
def test_continuation_is_go_exactly_when_no_blocking_gate_fails_or_is_missing(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    verdict = verdicts[rehearsal_id]
    rehearsal_gates = [g["id"] for g in POLICY["gates"] if g["category"] != "completion"]
    assert [g.id for g in verdict.gates] == rehearsal_gates
    blocking = [g for g in verdict.gates if CATEGORY_OF[g.id] in BLOCKING]
    stopped = [g.id for g in blocking if g.status in {"fail", "missing"}]
    assert verdict.rehearsal_continuation == ("NO-GO" if stopped else "GO")
    decided_by = [r.gate for r in verdict.reasons if r.verdict == "rehearsal_continuation"]
    assert decided_by == (stopped or ["ALL"])
    for g in verdict.gates:
        if g.status == "skipped":
            assert g.detail, f"{rehearsal_id} {g.id} is skipped without a reason"


@pytest.mark.parametrize("rehearsal_id", GREEN)
def test_green_rehearsals_pass_every_blocking_gate(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    verdict = verdicts[rehearsal_id]
    assert verdict.rehearsal_continuation == "GO"
    for g in verdict.gates:
        if CATEGORY_OF[g.id] in BLOCKING:
            assert g.status in {"pass", "skipped"}, f"{rehearsal_id} {g.id} {g.status}: {g.detail}"
    assert verdict.regressions == 0


@pytest.mark.parametrize(
    ("rehearsal_id", "tripped"),
    [
        # test:ci fails inside the dry run: CMD-1, PRE-3 (a consumer suite), STOP-4 (test:*);
        # the fallback case regressed: GRD-3 and STOP-2.
        ("r06", {"PRE-3", "CMD-1", "GRD-3", "STOP-2", "STOP-4"}),
        ("r08", {"STOP-1"}),  # legacy_error in a service.v3 envelope
        ("r09", {"STOP-3"}),  # rollback owner TBD (RBK-1 also fails, but does not block)
        ("r10", {"CMD-2", "STOP-4"}),  # check:memorykernel-governance fails
    ],
)
def test_planted_faults_fail_exactly_their_gates(
    verdicts: dict[str, Verdict], rehearsal_id: str, tripped: set[str]
) -> None:
    verdict = verdicts[rehearsal_id]
    failed = {g.id for g in verdict.gates if CATEGORY_OF[g.id] in BLOCKING and g.status != "pass"}
    assert failed == tripped
    assert all(gate(verdict, gate_id).status == "fail" for gate_id in tripped)
    assert verdict.rehearsal_continuation == "NO-GO"
    assert verdict.runtime_cutover == "NO-GO"


@pytest.mark.parametrize("rehearsal_id", IDS)
def test_every_failing_gate_cites_an_existing_file(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    for g in verdicts[rehearsal_id].gates:
        if g.status != "fail":
            continue
        paths = [ref.path for ref in g.evidence if ref.path]
        assert paths, f"{rehearsal_id} {g.id} fails without evidence"
        for path in paths:
            assert path.startswith(f"{rehearsal_id}/")
            assert (SAMPLE_DIR / path).is_file(), path


# --- r06 / r07: the timeout fallback regression and its fix ----------------------------------


def test_r06_timeout_regression_fails_grd3_and_stop2(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts["r06"]
    for gate_id in ("GRD-3", "STOP-2"):
        result = gate(verdict, gate_id)
        assert result.status == "fail"
        junit = [r for r in result.evidence if r.path.endswith(".xml")]
        lines = [r for r in result.evidence if r.pointer.startswith("line ")]
        assert junit and lines, f"{gate_id} should cite a JUnit case and a transcript line"
        for ref in junit:
            case = junit_case(ref)
            assert case.get("name", "").endswith(TIMEOUT_CASE)
            assert case.find("failure") is not None
            assert ref.actual == "failed"
        for ref in lines:
            assert ref.path.startswith("r06/transcripts/")
            text = cited_line(ref)
            assert TIMEOUT_CASE in text
            assert "×" in text  # vitest's failure mark
        assert all(TIMEOUT_CASE in ref.note for ref in result.evidence)
    assert "r05" in gate(verdict, "GRD-3").detail


def test_r06_fallback_comparison_names_the_regressed_case(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts["r06"]
    assert verdict.previous_id == "r05"
    assert list(verdict.fallback) == [s["id"] for s in POLICY["fallback"]["scenarios"]]
    assert verdict.fallback["timeout"].regressions == [TIMEOUT_CASE]
    for scenario, delta in verdict.fallback.items():
        assert delta.executed > 0, scenario
        if scenario != "timeout":
            assert delta.regressions == [], scenario
    assert verdict.regressions == 1
    assert verdict.rehearsal_continuation == "NO-GO"
    assert any(
        r.verdict == "runtime_cutover" and "fallback regression" in r.sentence
        for r in verdict.reasons
    )


def test_r07_the_regression_is_fixed(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts["r07"]
    assert verdict.previous_id == "r06"
    assert TIMEOUT_CASE in verdict.fallback["timeout"].fixed
    assert all(not delta.regressions for delta in verdict.fallback.values())
    assert gate(verdict, "GRD-3").status == "pass"
    assert gate(verdict, "STOP-2").status == "pass"
    assert verdict.rehearsal_continuation == "GO"


# --- r08: legacy_error in a service.v3 envelope, recorded GO anyway ---------------------------


def test_r08_legacy_error_envelope_fails_stop1(verdicts: dict[str, Verdict]) -> None:
    result = gate(verdicts["r08"], "STOP-1")
    assert result.status == "fail"
    [ref] = [r for r in result.evidence if "legacy_error" in r.actual]
    document = json.loads((SAMPLE_DIR / ref.path).read_text(encoding="utf-8"))
    body = document.get("body", document)
    assert body["service_contract_version"] == "service.v3"
    assert "legacy_error" in body
    assert "legacy_error" in ref.actual
    # every other envelope of r08 conforms: the one cited is the only one with legacy_error
    for path in (SAMPLE_DIR / "r08").rglob("captures/**/*.json"):
        if path.relative_to(SAMPLE_DIR).as_posix() != ref.path:
            assert "legacy_error" not in path.read_text(encoding="utf-8")


def test_r08_plain_text_5xx_capture_breaks_the_contract(verdicts: dict[str, Verdict]) -> None:
    result = gate(verdicts["r08"], "STOP-1")
    [ref] = [r for r in result.evidence if "not an error envelope" in r.actual]
    document = json.loads((SAMPLE_DIR / ref.path).read_text(encoding="utf-8"))
    assert document == {"status": 500, "body": "Internal Server Error"}
    assert "lacks error.code, error.message, service_contract_version" in ref.actual
    assert len(result.evidence) == 2


# --- planted reading problems: older formats, pinned-mode evidence, chains, test reports -----


def test_r01_older_formats_are_read_with_an_info_finding(corpus: Corpus) -> None:
    findings = {
        (o.path, f.code, f.pointer)
        for o in corpus.ledger.outcomes
        for f in o.findings
        if o.path.startswith("r01/")
    }
    assert (
        "r01/producer/docs/implementation/PRODUCER_RELEASE_HANDOFF_LATEST.json",
        "older-format",
        "/handoff_mode",
    ) in findings
    assert ("r01/artifacts/memorykernel-handoff-evidence.json", "older-format", "/mode") in findings


def test_r07_candidate_payload_reviewed_in_both_modes_that_ran(
    verdicts: dict[str, Verdict],
) -> None:
    evidence = json.loads(
        (SAMPLE_DIR / "r07/artifacts/memorykernel-handoff-evidence.json").read_text()
    )
    assert evidence["mode"] == "pinned-baseline"
    assert evidence["checks"]["candidate_runtime_baseline"] == "used-for-pinned-validation"
    result = gate(verdicts["r07"], "PRE-1")
    assert result.status == "pass"
    assert "pinned mode and candidate mode" in result.detail


def test_r06_the_failing_step_is_named_and_governance_passed(
    verdicts: dict[str, Verdict], corpus: Corpus
) -> None:
    cmd1 = gate(verdicts["r06"], "CMD-1")
    assert "at step `vitest run --reporter=verbose --reporter=junit" in cmd1.detail
    nested = [
        c
        for p, c in view(corpus, "r06").transcript_commands
        if c.command == "check:memorykernel-governance" and c.parent == "test:ci"
    ]
    assert [c.result for c in nested] == ["pass"]


def test_r12_libtest_report_cases_count(corpus: Corpus) -> None:
    cases = [
        (p, c)
        for p, c in view(corpus, "r12").test_cases
        if p == "r12/test-reports/src-tauri-cargo-test.jsonl"
    ]
    assert len(cases) == 6
    assert all(c.status == "passed" and c.duration_s for _, c in cases)


def test_r08_recorded_go_is_an_unbacked_audit_finding(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts["r08"]
    continuation = [
        a for a in verdict.audit if a.recorded.verdict.topic == "rehearsal_continuation"
    ]
    assert continuation, "r08 records a rehearsal continuation verdict"
    unbacked = [a for a in continuation if a.status == "unbacked"]
    assert unbacked == continuation  # every recorded continuation says GO, none is backed
    sources = {a.recorded.path for a in unbacked}
    assert "r08/session.toml" in sources
    assert any(path.endswith(".md") for path in sources)
    for item in unbacked:
        recorded = item.recorded.verdict
        assert recorded.value == "GO"
        assert item.computed == "NO-GO"
        assert item.recorded.path in item.message
        assert "GO" in item.message and "NO-GO" in item.message
        if recorded.line:
            assert f"line {recorded.line}" in item.message
            text = (SAMPLE_DIR / item.recorded.path).read_text(encoding="utf-8").splitlines()
            assert recorded.key in text[recorded.line - 1]
            assert "`GO`" in text[recorded.line - 1]
        else:
            assert recorded.pointer == "/verdicts/rehearsal_continuation"
            assert recorded.pointer in item.message
            assert session_toml("r08")["verdicts"]["rehearsal_continuation"] == "GO"
    runtime = [a for a in verdict.audit if a.recorded.verdict.topic == "runtime_cutover"]
    assert runtime and all(a.status == "agrees" for a in runtime)


def test_audit_agrees_everywhere_else(verdicts: dict[str, Verdict]) -> None:
    for rid, verdict in verdicts.items():
        flagged = {a.status for a in verdict.audit if a.status != "agrees"}
        assert flagged == ({"unbacked"} if rid == "r08" else set()), rid
        recorded = split_verdicts(TABLE[rid]["recorded"])
        manifest = session_toml(rid)["verdicts"]
        assert (manifest["rehearsal_continuation"], manifest["runtime_cutover"]) == recorded


# --- r09: rollback owner TBD ------------------------------------------------------------------


def test_r09_tbd_rollback_owner_fails_stop3(verdicts: dict[str, Verdict]) -> None:
    result = gate(verdicts["r09"], "STOP-3")
    assert result.status == "fail"
    assert session_toml("r09")["roles"]["producer_rollback_owner"] == "TBD"
    manifest = [r for r in result.evidence if r.path == "r09/session.toml"]
    assert [(r.pointer, r.actual) for r in manifest] == [("/roles/producer_rollback_owner", "TBD")]
    records = [r for r in result.evidence if r.path.endswith(".md")]
    assert records, "the checkpoint record's ownership line should be cited too"
    for ref in records:
        text = cited_line(ref)
        assert "TBD" in text
        assert "rollback owner" in text
        assert ref.actual == "TBD"


# --- r10: governance check fails --------------------------------------------------------------


def test_r10_governance_failure_fails_cmd2_and_stop4(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts["r10"]
    result = gate(verdict, "CMD-2")
    assert result.status == "fail"
    assert "check:memorykernel-governance" in result.detail
    ref = result.evidence[0]
    transcript = (SAMPLE_DIR / ref.path).read_text(encoding="utf-8")
    exit_codes = re.findall(r"ELIFECYCLE\s+Command failed with exit code (\d+)", transcript)
    assert exit_codes == ["1"]
    assert "check:memorykernel-governance" in cited_line(ref)
    assert f"exit {exit_codes[0]}" in ref.actual
    stop4 = gate(verdict, "STOP-4")
    assert stop4.status == "fail"
    assert (ref.path, ref.pointer) in {(r.path, r.pointer) for r in stop4.evidence}
    assert gate(verdict, "CMD-1").status == "pass"
    assert gate(verdict, "CMD-3").status == "pass"


# --- r01 / r02: pins without the manifest hash ------------------------------------------------


@pytest.mark.parametrize("rehearsal_id", ["r01", "r02", "r03"])
def test_art3_skipped_only_when_the_pin_predates_manifest_hashes(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    verdict = verdicts[rehearsal_id]
    pin_path = SAMPLE_DIR / rehearsal_id / "config" / "memorykernel-integration-pin.json"
    pin = json.loads(pin_path.read_text(encoding="utf-8"))
    result = gate(verdict, "ART-3")
    if "expected_producer_manifest_sha256" in pin:
        assert result.status == "pass"
    else:
        assert result.status == "skipped"
        assert "predates" in result.detail
        assert result.evidence[0].pointer == "/expected_producer_manifest_sha256"
    assert verdict.rehearsal_continuation == "GO"


def test_r01_and_r02_are_the_pins_without_hash(verdicts: dict[str, Verdict]) -> None:
    skipped = [rid for rid, v in verdicts.items() if gate(v, "ART-3").status == "skipped"]
    assert skipped == ["r01", "r02"]


# --- r14: the joint gate override -------------------------------------------------------------


def test_r14_runtime_cutover_go_with_override(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts["r14"]
    override = session_toml("r14")["override"]
    assert verdict.rehearsal.kind == "cutover"
    assert verdict.rehearsal_continuation == "GO"
    assert verdict.runtime_cutover == "GO"
    runtime = [r for r in verdict.reasons if r.verdict == "runtime_cutover"]
    assert [r.gate for r in runtime] == ["OVERRIDE"]
    reason = runtime[0]
    assert reason.evidence == ("r14/session.toml /override",)
    assert override["consumer_approver"] in reason.sentence
    assert override["producer_approver"] in reason.sentence
    assert override["target"]["release_tag"] in reason.sentence
    assert gate(verdict, "RBK-1").status == "pass"


@pytest.mark.parametrize("rehearsal_id", [rid for rid in IDS if rid not in {AUTHORISED, EXECUTED}])
def test_runtime_cutover_is_no_go_without_override(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    verdict = verdicts[rehearsal_id]
    assert "override" not in session_toml(rehearsal_id)
    assert verdict.runtime_cutover == "NO-GO"
    overrides = [r for r in verdict.reasons if r.gate == "OVERRIDE"]
    assert overrides and "no joint gate override" in overrides[0].sentence


# --- the executed cutover: override from the decision record, completion ---------------------


def test_executed_cutover_is_authorised_by_its_decision_record(
    verdicts: dict[str, Verdict],
) -> None:
    verdict = verdicts[EXECUTED]
    assert verdict.rehearsal.kind == "cutover"
    assert "override" not in session_toml(EXECUTED)
    assert (verdict.rehearsal_continuation, verdict.runtime_cutover) == ("GO", "GO")
    [reason] = [r for r in verdict.reasons if r.verdict == "runtime_cutover"]
    assert reason.gate == "OVERRIDE"
    [source] = reason.evidence
    path, _, line = source.partition(" line ")
    assert path.startswith(f"{EXECUTED}/records/RUNTIME_CUTOVER_DECISION_RECORD_")
    cited = cited_line(EvidenceRef(path, f"line {line}"))
    assert cited == "2. Runtime cutover execution: **GO**"
    assert "AssistSupport and MemoryKernel" in reason.sentence


def test_executed_cutover_is_complete_each_item_citing_its_file(
    verdicts: dict[str, Verdict],
) -> None:
    completion = verdicts[EXECUTED].completion
    assert completion.status == "COMPLETE", completion.detail
    items = [g["id"] for g in POLICY["gates"] if g["category"] == "completion"]
    assert [i.id for i in completion.items] == items == ["CMP-1", "CMP-2", "CMP-3", "CMP-4"]
    cited = {i.id: {ref.path.split("/", 1)[1] for ref in i.evidence} for i in completion.items}
    assert {
        "producer/docs/implementation/PRODUCER_RELEASE_HANDOFF_LATEST.json",
        "producer/RELEASE_EVIDENCE_BUNDLE_LATEST.json",
    } <= cited["CMP-1"]
    assert {
        "config/memorykernel-integration-pin.json",
        "config/memorykernel-producer-manifest.json",
        "docs/MEMORYKERNEL_COMPATIBILITY_MATRIX.md",
    } <= cited["CMP-2"]
    assert "artifacts/memorykernel-contract-evidence.json" in cited["CMP-3"]
    assert any(p.startswith("records/MEMORYKERNEL_ROLLBACK_DRILL_") for p in cited["CMP-4"])
    for item in completion.items:
        assert item.status == "pass", item.detail
        for ref in item.evidence:
            if ref.pointer.startswith("line "):
                # a record line states the value; a transcript line starts the command
                quoted = ref.actual if ref.path.endswith(".md") else ref.note.strip("`")
                assert quoted in cited_line(ref), ref


def test_executed_cutover_backs_its_recorded_completion(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts[EXECUTED]
    claims = [a for a in verdict.audit if a.computed == "COMPLETE"]
    assert sorted(a.recorded.verdict.key for a in claims) == [
        "Operational posture",
        "Runtime cutover status",
    ]
    assert {a.status for a in claims} == {"agrees"}


def test_authorised_cutover_is_incomplete_until_carried_out(verdicts: dict[str, Verdict]) -> None:
    completion = verdicts[AUTHORISED].completion
    assert completion.status == "INCOMPLETE"
    assert [i.id for i in completion.unmet] == ["CMP-1", "CMP-2", "CMP-3", "CMP-4"]
    assert "'service-v3-candidate', expected 'stable'" in completion.unmet[0].detail
    assert "/release_tag is 'v0.3.2', expected 'v0.4.0'" in completion.unmet[1].detail


@pytest.mark.parametrize("rehearsal_id", [r for r in IDS if r not in {AUTHORISED, EXECUTED}])
def test_completion_is_not_applicable_outside_cutover_rehearsals(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    completion = verdicts[rehearsal_id].completion
    assert completion.status == "not-applicable"
    assert f"a {verdicts[rehearsal_id].rehearsal.kind} rehearsal" in completion.detail
    assert completion.items == ()


# --- follow-ups and risks ---------------------------------------------------------------------


@pytest.mark.parametrize("rehearsal_id", IDS)
def test_follow_ups_one_per_failed_or_missing_gate_plus_the_sessions(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    verdict = verdicts[rehearsal_id]
    manifest = session_toml(rehearsal_id)
    date = manifest["session"]["date"]
    due = (date + dt.timedelta(days=POLICY["follow_ups"]["due_in_days"])).isoformat()
    from_gates = [f for f in verdict.follow_ups if f["source"] == "gate"]
    judged = [*verdict.gates, *verdict.completion.items]
    bad = [g.id for g in judged if g.status in {"fail", "missing"}]
    assert [f["gate"] for f in from_gates] == bad
    for item in from_gates:
        assert item["owner_role"] == OWNER_OF[item["gate"]]
        assert item["due"] == due
        assert item["gate"] in item["action"]
    from_session = [
        (f["action"], f["owner_role"], f["due"])
        for f in verdict.follow_ups
        if f["source"] == "session"
    ]
    expected = [
        (f["action"], f["owner_role"], f["due"].isoformat()) for f in manifest.get("follow_ups", [])
    ]
    assert from_session == expected


def test_r06_carries_its_session_follow_ups(verdicts: dict[str, Verdict]) -> None:
    sessions = [f for f in verdicts["r06"].follow_ups if f["source"] == "session"]
    assert sessions, "r06's session.toml plans follow-ups"
    assert all(f["due"] == "2026-01-31" for f in sessions)


@pytest.mark.parametrize("rehearsal_id", IDS)
def test_risks_carried_from_the_session_and_added_per_bad_gate(
    verdicts: dict[str, Verdict], rehearsal_id: str
) -> None:
    verdict = verdicts[rehearsal_id]
    planned = [
        (r["id"], r["description"], r["owner_role"])
        for r in session_toml(rehearsal_id).get("risks", [])
    ]
    carried = [
        (r["id"], r["description"], r["owner_role"])
        for r in verdict.risks
        if r["source"] == "session"
    ]
    assert carried == planned
    gate_risks = [r["id"] for r in verdict.risks if r["source"] == "gate"]
    judged = [*verdict.gates, *verdict.completion.items]
    assert gate_risks == [g.id for g in judged if g.status in {"fail", "missing"}]
    if rehearsal_id == "r06":
        assert TIMEOUT_CASE in carried[0][1]


# --- r02: a template section states no verdict ------------------------------------------------


def test_r02_template_lines_are_not_recorded_verdicts(verdicts: dict[str, Verdict]) -> None:
    template = []
    for path in sorted((SAMPLE_DIR / "r02").rglob("*.md")):
        in_template = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("## "):
                in_template = "Template" in line
            elif in_template and "verdict:" in line:
                template.append((path.relative_to(SAMPLE_DIR).as_posix(), number, line))
    assert len(template) >= 2, "r02 plants a template section"
    # One line offers alternatives, one is pre-filled with the single answer the plan expects.
    assert any("`GO` / `NO-GO`" in line for *_, line in template)
    assert any(
        line.endswith("(unless explicit joint gate override, out of scope here)")
        for *_, line in template
    )
    recorded = verdicts["r02"].recorded
    assert {(r.path, r.verdict.line) for r in recorded}.isdisjoint(
        (path, number) for path, number, _ in template
    )
    assert all("/" not in r.verdict.value for r in recorded)
    assert {a.status for a in verdicts["r02"].audit} == {"agrees"}
