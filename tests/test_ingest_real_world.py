"""The ledger on the real published evidence: every file recognised as what it is."""

from __future__ import annotations

import json

from conftest import REAL_WORLD, needs_real_world

from cutover_kit.cli import main
from cutover_kit.evidence.ledger import load_ledger

pytestmark = needs_real_world

EXPECTED_KINDS = {
    "integration-pin.json": ("integration-pin", "accepted"),
    "producer-manifest.json": ("producer-manifest", "accepted"),
    "PRODUCER_RELEASE_HANDOFF_LATEST.json": ("producer-handoff", "accepted"),
    "SERVICE_V3_REHEARSAL_HANDOFF_CANDIDATE.json": ("rehearsal-handoff-candidate", "accepted"),
    "RELEASE_EVIDENCE_BUNDLE_LATEST.json": ("release-evidence-bundle", "accepted"),
    "service-contract-source-of-truth.json": ("contract-source", "accepted"),
    "memorykernel-handoff-evidence.json": ("handoff-evidence", "accepted"),
    "memorykernel-contract-evidence.json": ("contract-evidence", "accepted"),
    "JOINT_CHECKPOINT_STATUS_2026-02-08.md": ("record", "accepted"),
    "MEMORYKERNEL_ROLLBACK_DRILL_2026-02-08.md": ("record", "accepted"),
    "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md": ("record", "accepted"),
    "SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_2026-02-08.md": ("record", "accepted"),
    "SERVICE_V3_CUTOVER_GATES.md": ("record", "accepted"),
    "README.md": ("unknown", "ignored"),
}


def test_every_real_world_file_is_recognised() -> None:
    ledger = load_ledger(REAL_WORLD)
    seen = {o.path: (o.kind, str(o.status)) for o in ledger.outcomes}
    assert seen == EXPECTED_KINDS
    assert [r.id for r in ledger.rehearsals] == ["real-world"]
    assert ledger.rehearsals[0].date == "2026-02-08"


def test_record_types_and_handoff_modes() -> None:
    ledger = load_ledger(REAL_WORLD)
    details = ledger.tables["artifacts"].set_index("path")["detail"].to_dict()
    assert details["SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_2026-02-08.md"] == "dry-run"
    assert details["MEMORYKERNEL_ROLLBACK_DRILL_2026-02-08.md"] == "rollback-drill"
    assert details["SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md"] == "checkpoint"
    assert details["SERVICE_V3_CUTOVER_GATES.md"] == "gate-review"
    assert details["PRODUCER_RELEASE_HANDOFF_LATEST.json"] == "stable"
    assert details["memorykernel-handoff-evidence.json"] == "pinned-baseline"


def test_tables_are_keyed_by_rehearsal_and_file() -> None:
    tables = load_ledger(REAL_WORLD).tables
    for name, frame in tables.items():
        key = "rehearsal_id"
        assert key in frame.columns, name
        if name != "rehearsals":
            assert "path" in frame.columns, name
    checks = tables["checks"]
    handoff_checks = checks[checks["path"] == "memorykernel-handoff-evidence.json"]
    assert len(handoff_checks) == 11  # ten named checks and the overall status
    assert set(handoff_checks["value"]) == {"pass", "not-used", "passed"}


def test_validate_cli_json_on_real_world(capsys) -> None:
    code = main(["validate", str(REAL_WORLD), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["inputs"] == 14
    assert (report["accepted"], report["rejected"], report["ignored"]) == (13, 0, 1)
    assert report["rehearsals"] == ["real-world"]
    readme = next(f for f in report["files"] if f["path"] == "README.md")
    assert readme["status"] == "ignored"
    assert readme["findings"][0]["code"] == "unrecognised"
    assert {f["path"] for f in report["files"]} == set(EXPECTED_KINDS)
