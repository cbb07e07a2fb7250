"""Markdown records: verdicts, command results, checklists, facts and role owners, with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from cutover_kit.evidence.model import Extract, Fact, RoleAssignment, Severity
from cutover_kit.evidence.records import looks_like_record, parse_record, record_type
from cutover_kit.evidence.text import decode_bytes, terminal_lines

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL_WORLD = SHARED / "real-world"
SEEDS = SHARED / "seeds"

needs_real_world = pytest.mark.skipif(
    not REAL_WORLD.is_dir(), reason=f"real-world samples not found at {REAL_WORLD}"
)
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


def read_lines(path: Path) -> list[str]:
    return terminal_lines(decode_bytes(path.read_bytes())[0])


def line_of(lines: list[str], needle: str) -> int:
    """1-based number of the first line containing ``needle``."""
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def verdicts(extract: Extract) -> list[tuple[str, str, str, int]]:
    return [(v.key, v.value, v.topic, v.line) for v in extract.verdicts]


def commands(extract: Extract) -> list[tuple[str, str, str]]:
    return [(c.command, c.result, c.parent) for c in extract.commands]


def facts_in(extract: Extract, section: str) -> dict[str, str]:
    return {f.key: f.value for f in extract.facts if f.section == section}


# --- the hand-written fixture ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_record() -> tuple[list[str], Extract]:
    lines = read_lines(FIXTURES / "rehearsal_record.md")
    return lines, parse_record(lines)


def test_fixture_type_and_date(fixture_record: tuple[list[str], Extract]) -> None:
    _, extract = fixture_record
    assert (extract.kind, extract.detail, extract.stated_at) == ("record", "dry-run", "2026-02-15")


def test_fenced_code_states_nothing(fixture_record: tuple[list[str], Extract]) -> None:
    lines, extract = fixture_record
    fenced = {
        line_of(lines, "# - Rehearsal continuation"),
        line_of(lines, "- Runtime cutover: **GO**"),
        line_of(lines, "this fence is still open"),
    }
    stated_lines = {v.line for v in extract.verdicts} | {f.line for f in extract.facts}
    stated_lines |= {c.line for c in extract.commands}
    assert not fenced & stated_lines
    assert all("fence" not in check.name for check in extract.checks)


def test_template_lines_state_no_verdict(fixture_record: tuple[list[str], Extract]) -> None:
    lines, extract = fixture_record
    templates = [
        line_of(lines, "Rehearsal continuation verdict"),
        line_of(lines, "Runtime cutover verdict"),
        line_of(lines, "Rollback posture"),
    ]
    assert not {v.line for v in extract.verdicts} & set(templates)
    notes = [f for f in extract.findings if f.code == "record-template-verdict"]
    assert [f.pointer for f in notes] == [f"line {n}" for n in templates]
    assert {f.severity for f in notes} == {Severity.INFO}


def test_stated_verdicts(fixture_record: tuple[list[str], Extract]) -> None:
    lines, extract = fixture_record
    assert verdicts(extract) == [
        ("Result", "PASS", "other", line_of(lines, "- Result: pass")),
        ("Readiness", "NOT READY", "other", line_of(lines, "- Readiness:")),
        (
            "Rehearsal continuation",
            "NO-GO",
            "rehearsal_continuation",
            line_of(lines, "- Rehearsal continuation: **NO GO**"),
        ),
        ("Runtime cutover", "NO-GO", "runtime_cutover", line_of(lines, "- Runtime cutover: `NO")),
    ]
    # "Go ahead and ..." is prose, not a verdict.
    assert facts_in(extract, "Notes")["Follow-up"].startswith("Go ahead")


def test_nested_command_results(fixture_record: tuple[list[str], Extract]) -> None:
    lines, extract = fixture_record
    assert commands(extract) == [
        ("check:memorykernel-governance", "pass", ""),
        ("test:memorykernel-cutover-dry-run", "fail", ""),
        ("check:memorykernel-pin", "pass", "test:memorykernel-cutover-dry-run"),
        ("test:memorykernel-contract", "fail", "test:memorykernel-cutover-dry-run"),
        ("vitest run src/lib/memorykernel", "fail", "test:memorykernel-contract"),
        ("test:memorykernel-phase3-dry-run", "pass", ""),
        ("cargo test --workspace", "pass", ""),
    ]
    assert {c.source for c in extract.commands} == {"record"}
    assert extract.commands[3].line == line_of(lines, "`test:memorykernel-contract`: Failed.")


def test_checklist_items(fixture_record: tuple[list[str], Extract]) -> None:
    lines, extract = fixture_record
    assert [(c.name, c.value, c.pointer) for c in extract.checks] == [
        ("Rollback target documented.", "checked", f"line {line_of(lines, 'target documented')}"),
        ("Rollback drill evidence refreshed.", "unchecked", f"line {line_of(lines, '- [ ]')}"),
        ("Decision log linked.", "checked", f"line {line_of(lines, '[X] Decision')}"),
    ]
    assert facts_in(extract, "Gate Checklist") == {
        "Rollback target documented.": "checked",
        "Rollback drill evidence refreshed.": "unchecked",
        "Decision log linked.": "checked",
    }


def test_ambiguous_owners_are_emitted_verbatim(fixture_record: tuple[list[str], Extract]) -> None:
    lines, extract = fixture_record
    assert [(r.role, r.owner) for r in extract.roles] == [
        ("consumer_incident_commander", "Dana Ruiz"),
        ("producer_incident_commander", "TBD"),
        ("consumer_rollback_owner", "?"),
        ("producer_rollback_owner", ""),
        ("joint_decision_log_owner", "Integration Program Owner"),
    ]
    blank = extract.roles[3]
    assert blank.raw_role == "Producer rollback owner"
    assert blank.line == line_of(lines, "- Producer rollback owner:")
    assert blank.pointer == f"line {blank.line}"
    # A plain `Owner:` line names the document's owner, not a cutover role.
    assert facts_in(extract, "")["Owner"] == "AssistSupport"


def test_looks_like_record() -> None:
    assert looks_like_record(read_lines(FIXTURES / "rehearsal_record.md"))
    for text in [
        "## Notes\n- Status: READY\n",  # no title
        "# Notes\n- Status: READY\n",  # no section
        "# Notes\n\n## Thoughts\nWe should meet again soon.\n",  # no statement
        "# Notes\n```\n## Fenced\n- Status: READY\n```\n",  # the section is inside a fence
        "$ pnpm run test:ci\n> assistsupport@0.1.0 test:ci /x\n> vitest run\n",
        "",
    ]:
        assert not looks_like_record(terminal_lines(text)), text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Service.v3 Cutover-Day Dry-Run Execution Record", "dry-run"),
        ("Cutover Dry Run Notes", "dry-run"),
        ("Joint Checkpoint Status: AssistSupport + MemoryKernel", "checkpoint"),
        ("Runtime Cutover Decision Record (Joint)", "decision"),
        ("MemoryKernel Rollback Drill", "rollback-drill"),
        ("Service.v3 Cutover Gates", "gate-review"),
        ("Producer Verification Record", "verification"),
        ("Weekly Sync", "other"),
    ],
)
def test_record_type(title: str, expected: str) -> None:
    assert record_type(title) == expected


# --- the real records -----------------------------------------------------------------------------


@needs_real_world
def test_every_real_record_is_recognised_and_parsed() -> None:
    paths = sorted(p for p in REAL_WORLD.glob("*.md") if p.name != "README.md")
    assert len(paths) == 5
    for path in paths:
        lines = read_lines(path)
        assert looks_like_record(lines), path.name
        extract = parse_record(lines)
        assert extract.stated_at == "2026-02-08", path.name
        assert extract.findings == [], path.name
    assert not looks_like_record(read_lines(REAL_WORLD / "README.md"))


@needs_real_world
def test_real_dry_run_execution_record() -> None:
    lines = read_lines(REAL_WORLD / "SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_2026-02-08.md")
    extract = parse_record(lines)
    assert extract.detail == "dry-run"
    assert verdicts(extract) == [
        (
            "Rehearsal continuation",
            "GO",
            "rehearsal_continuation",
            line_of(lines, "- Rehearsal continuation: `GO`"),
        ),
        ("Runtime cutover", "NO-GO", "runtime_cutover", line_of(lines, "- Runtime cutover:")),
    ]
    parent = "test:memorykernel-cutover-dry-run"
    assert commands(extract) == [
        ("check:memorykernel-governance", "pass", ""),
        (parent, "pass", ""),
        ("check:memorykernel-handoff:service-v3-candidate", "pass", parent),
        ("check:memorykernel-pin", "pass", parent),
        ("test:memorykernel-contract", "pass", parent),
        ("test:ci", "pass", parent),
        ("test:memorykernel-phase3-dry-run", "pass", ""),
    ]
    # The fenced `pnpm run ...` lines under "Commands Executed" are not results.
    assert extract.commands[0].line == line_of(lines, "1. `check:memorykernel-governance` -> PASS")


@needs_real_world
def test_real_joint_checkpoint_status() -> None:
    lines = read_lines(REAL_WORLD / "JOINT_CHECKPOINT_STATUS_2026-02-08.md")
    extract = parse_record(lines)
    assert extract.detail == "checkpoint"
    topics = {(v.topic, v.value) for v in extract.verdicts if v.topic != "other"}
    assert topics == {("rehearsal_continuation", "GO"), ("runtime_cutover", "GO")}
    continuation = next(v for v in extract.verdicts if v.topic == "rehearsal_continuation")
    assert continuation.key == "Rehearsal continuation decision"
    assert continuation.line == line_of(lines, "Rehearsal continuation decision")
    others = [(v.key, v.value) for v in extract.verdicts if v.topic == "other"]
    assert ("Checkpoint B (consumer contract suite green)", "GO") in others
    assert ("Bilateral sign-off status", "CLOSED") in others
    assert len(others) == 7
    assert facts_in(extract, "Baseline") == {
        "MemoryKernel release tag": "v0.4.0",
        "MemoryKernel commit": "7e4806a34b98e6c06ee33fa9f11499a975e7b922",
        "Service/API/baseline": "service.v3 / api.v1 / integration/v1",
    }
    assert extract.commands == []


@needs_real_world
def test_real_decision_checkpoint() -> None:
    lines = read_lines(REAL_WORLD / "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md")
    extract = parse_record(lines)
    assert extract.detail == "checkpoint"
    assert commands(extract) == [
        ("check:memorykernel-handoff", "pass", ""),
        ("check:memorykernel-pin", "pass", ""),
        ("test:memorykernel-contract", "pass", ""),
        ("test:ci", "pass", ""),
    ]
    assert extract.commands[0].line == line_of(lines, "`pnpm run check:memorykernel-handoff` PASS")
    assert len(extract.checks) == 10
    assert {c.value for c in extract.checks} == {"checked"}
    by_key = {v.key: v for v in extract.verdicts}
    assert (by_key["Runtime cutover decision"].topic, by_key["Runtime cutover decision"].value) == (
        "runtime_cutover",
        "GO",
    )
    posture = by_key["Rehearsal posture"]
    assert (posture.topic, posture.value) == ("rehearsal_continuation", "GO")
    assert posture.line == line_of(lines, "- Rehearsal posture: GO")
    assert (by_key["Technical gate verdict"].topic, by_key["Technical gate verdict"].value) == (
        "other",
        "GO",
    )
    phase8 = by_key["Phase 8 runtime cutover"]
    assert (phase8.topic, phase8.value) == ("runtime_cutover", "COMPLETE")
    assert facts_in(extract, "Baseline (Current)")["service_contract_version"] == "service.v3"
    assert (
        Fact(
            "Rollback Gates",
            "Rollback drill evidence is present.",
            "checked",
            line_of(lines, "Rollback drill evidence is present."),
        )
        in extract.facts
    )


@needs_real_world
def test_real_rollback_drill() -> None:
    lines = read_lines(REAL_WORLD / "MEMORYKERNEL_ROLLBACK_DRILL_2026-02-08.md")
    extract = parse_record(lines)
    assert extract.detail == "rollback-drill"
    runtime = facts_in(extract, "Runtime Target")
    rollback = facts_in(extract, "Rollback Target")
    assert (runtime["release_tag"], runtime["commit_sha"]) == (
        "v0.4.0",
        "7e4806a34b98e6c06ee33fa9f11499a975e7b922",
    )
    assert (rollback["release_tag"], rollback["commit_sha"]) == (
        "v0.3.2",
        "cf331449e1589581a5dcbb3adecd3e9ae4509277",
    )
    assert rollback["service/api/baseline"] == "service.v2 / api.v1 / integration/v1"
    assert verdicts(extract) == [
        ("Status", "READY", "other", line_of(lines, "- Status: READY")),
        ("Result", "PASS", "other", line_of(lines, "- Result: PASS")),
    ]
    assert extract.commands == []  # only fenced command lists, no stated results


@needs_real_world
def test_real_gates_review() -> None:
    lines = read_lines(REAL_WORLD / "SERVICE_V3_CUTOVER_GATES.md")
    extract = parse_record(lines)
    assert extract.detail == "gate-review"
    first = line_of(lines, "- [x] Joint GO/NO-GO documented for rehearsal")
    assert [(c.value, c.pointer) for c in extract.checks] == [
        ("checked", f"line {n}") for n in range(first, first + 4)
    ]
    assert extract.verdicts == []  # "GO/NO-GO" inside checklist text states no verdict
    assert facts_in(extract, "Non-2xx Envelope Policy (`service.v3`)")["Forbidden fields"] == (
        "legacy_error, api_contract_version"
    )


@needs_seeds
def test_seed_decision_record_roles_and_verdicts() -> None:
    lines = read_lines(SEEDS / "decision-record.md")
    extract = parse_record(lines)
    assert extract.detail == "decision"
    assert extract.roles == [
        RoleAssignment(
            role,
            raw,
            owner,
            line_of(lines, f"- {raw}:"),
            f"line {line_of(lines, f'- {raw}:')}",
        )
        for role, raw, owner in [
            (
                "assistsupport_incident_commander",
                "AssistSupport incident commander role",
                "Support Platform On-Call Lead",
            ),
            (
                "memorykernel_incident_commander",
                "MemoryKernel incident commander role",
                "MemoryKernel Producer On-Call Lead",
            ),
            (
                "assistsupport_rollback_owner",
                "AssistSupport rollback owner role",
                "AssistSupport Runtime Integrations Owner",
            ),
            (
                "memorykernel_rollback_owner",
                "MemoryKernel rollback owner role",
                "MemoryKernel Release Owner",
            ),
            (
                "joint_decision_log_owner",
                "Joint decision log owner role",
                "Integration Program Owner",
            ),
        ]
    ]
    assert verdicts(extract)[:2] == [
        (
            "Rehearsal continuation",
            "GO",
            "rehearsal_continuation",
            line_of(lines, "1. Rehearsal continuation: **GO**"),
        ),
        (
            "Runtime cutover execution",
            "GO",
            "runtime_cutover",
            line_of(lines, "2. Runtime cutover execution: **GO**"),
        ),
    ]


@needs_seeds
def test_seed_session_plan_template_states_no_verdict() -> None:
    lines = read_lines(SEEDS / "session-plan.md")
    extract = parse_record(lines)
    # Both lines sit in `## Session Output Template`: the single `NO-GO` (unless ...) is the
    # answer the plan expects, not a verdict anybody recorded.
    assert verdicts(extract) == []
    assert [(f.code, f.pointer) for f in extract.findings] == [
        ("record-template-verdict", f"line {line_of(lines, '- Rehearsal continuation verdict:')}"),
        ("record-template-verdict", f"line {line_of(lines, '- Runtime cutover verdict:')}"),
    ]
    assert "Session Output Template" in extract.findings[1].message
    # "record rehearsal continuation GO/NO-GO" in the agenda is an instruction, not a verdict.
    assert extract.commands == []
