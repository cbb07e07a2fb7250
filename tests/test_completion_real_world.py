"""Cutover completion (CMP-1..CMP-4) on the real published evidence of the finished cutover.

The fixture is the real evidence as one rehearsal of kind ``cutover``, authorised by the seed's
joint decision record (no ``[override]`` in ``session.toml``). The finished cutover is COMPLETE
with every item citing its file; each mutation breaks exactly one item the way the cutover could
really have been left half done, and completion turns INCOMPLETE naming that item.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REAL_WORLD, REPO, needs_real_world
from helpers import edit_json, replace_in_file

from cutover_kit.api import load_corpus
from cutover_kit.output.verdict_json import render_verdict_json
from cutover_kit.policy import load_policy
from cutover_kit.verdict import Verdict

SEED_RECORD = REPO.parent / "shared" / "seeds" / "decision-record.md"
RECORD = "RUNTIME_CUTOVER_DECISION_RECORD_2026-02-08.md"
DRILL = "MEMORYKERNEL_ROLLBACK_DRILL_2026-02-08.md"
CHECKPOINT = "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md"
SESSION = '[session]\nid = "runtime-cutover"\ndate = 2026-02-08\nkind = "{kind}"\n'
ITEMS = ["CMP-1", "CMP-2", "CMP-3", "CMP-4"]
# Each item and the files it must cite when it passes.
CITED = {
    "CMP-1": {"PRODUCER_RELEASE_HANDOFF_LATEST.json", "RELEASE_EVIDENCE_BUNDLE_LATEST.json"},
    "CMP-2": {"integration-pin.json", "producer-manifest.json"},
    "CMP-3": {"memorykernel-contract-evidence.json"},
    "CMP-4": {DRILL},
}
OLD_SHA = "cf331449e1589581a5dcbb3adecd3e9ae4509277"
NEW_SHA = "7e4806a34b98e6c06ee33fa9f11499a975e7b922"

pytestmark = [
    needs_real_world,
    pytest.mark.skipif(not SEED_RECORD.is_file(), reason=f"seed record not found: {SEED_RECORD}"),
]


def make_rehearsal(tmp_path: Path, kind: str = "cutover") -> Path:
    folder = tmp_path / "runtime-cutover"
    shutil.copytree(REAL_WORLD, folder)
    shutil.copy(SEED_RECORD, folder / RECORD)
    (folder / "session.toml").write_text(SESSION.format(kind=kind), encoding="utf-8")
    return folder


@pytest.fixture
def cutover(tmp_path: Path) -> Path:
    return make_rehearsal(tmp_path)


def evaluate(folder: Path) -> Verdict:
    return load_corpus(folder).evaluate("latest")


def completion_claims(verdict: Verdict) -> list[Any]:
    return [
        a
        for a in verdict.audit
        if a.recorded.verdict.value == "COMPLETE" or a.recorded.verdict.key == "Operational posture"
    ]


# --- the finished cutover ----------------------------------------------------------------------


def test_the_finished_cutover_is_complete_each_item_citing_its_file(cutover: Path) -> None:
    completion = evaluate(cutover).completion
    assert completion.status == "COMPLETE", completion.detail
    assert [item.id for item in completion.items] == ITEMS
    for item in completion.items:
        assert item.category == "completion"
        assert item.status == "pass", f"{item.id}: {item.detail}"
        cited = {ref.path for ref in item.evidence}
        assert CITED[item.id] <= cited, f"{item.id} cites {cited}"
    assert "v0.4.0" in completion.detail
    assert f"{RECORD} line 11" in completion.detail


def test_recorded_complete_and_operational_posture_are_backed(cutover: Path) -> None:
    verdict = evaluate(cutover)
    claims = completion_claims(verdict)
    recorded = {(a.recorded.path, a.recorded.verdict.line) for a in claims}
    assert recorded == {(RECORD, 49), (RECORD, 50), (CHECKPOINT, 59)}
    for item in claims:
        assert item.status == "agrees", item.message
        assert item.computed == "COMPLETE"
        assert "agrees with cutover completion COMPLETE" in item.message


def test_verdict_json_carries_the_completion_checklist(cutover: Path) -> None:
    policy = load_policy()
    verdict = load_corpus(cutover).evaluate("latest")
    first = render_verdict_json(verdict, policy)
    again = render_verdict_json(load_corpus(cutover).evaluate("latest"), policy)
    assert first == again  # byte-stable
    document = json.loads(first)
    completion = document["cutover_completion"]
    assert completion["status"] == "COMPLETE"
    assert [item["id"] for item in completion["items"]] == ITEMS
    for item in completion["items"]:
        assert {"id", "status", "detail", "evidence"} <= set(item)
        assert item["status"] == "pass"
        assert all({"path", "pointer", "actual", "expected"} <= set(r) for r in item["evidence"])
    # completion items are no rehearsal gates: the gate list is the policy's seventeen
    assert [g["id"] for g in document["gates"] if g["id"].startswith("CMP")] == []


# --- one item broken at a time ----------------------------------------------------------------


def pin_left_on_rc(folder: Path) -> None:
    edit_json(folder / "integration-pin.json", lambda d: d.update(release_tag="v0.4.0-rc.4"))


def mirror_changed(folder: Path) -> None:
    edit_json(
        folder / "producer-manifest.json",
        lambda d: d["stability_window"].update(minimum_sprint_days=7),
    )


def contract_evidence_on_v2(folder: Path) -> None:
    edit_json(
        folder / "memorykernel-contract-evidence.json",
        lambda d: d["expected_contracts"].update(service_contract_version="service.v2"),
    )


def drill_names_old_baseline(folder: Path) -> None:
    drill = folder / DRILL
    replace_in_file(
        drill,
        "## Runtime Target\n- release_tag: `v0.4.0`\n"
        f"- commit_sha: `{NEW_SHA}`\n"
        "- service/api/baseline: `service.v3`",
        "## Runtime Target\n- release_tag: `v0.3.2`\n"
        f"- commit_sha: `{OLD_SHA}`\n"
        "- service/api/baseline: `service.v2`",
    )


@pytest.mark.parametrize(
    ("mutate", "item", "file", "said"),
    [
        (pin_left_on_rc, "CMP-2", "integration-pin.json", "'v0.4.0-rc.4'"),
        (mirror_changed, "CMP-2", "producer-manifest.json", "sha256"),
        (
            contract_evidence_on_v2,
            "CMP-3",
            "memorykernel-contract-evidence.json",
            "/expected_contracts/service_contract_version is 'service.v2'",
        ),
        (drill_names_old_baseline, "CMP-4", DRILL, "'v0.3.2'"),
    ],
    ids=["pin-left-on-rc", "manifest-mirror-changed", "contract-evidence-on-v2", "drill-old"],
)
def test_a_half_done_cutover_is_incomplete_naming_the_item(
    cutover: Path, mutate: Callable[[Path], None], item: str, file: str, said: str
) -> None:
    mutate(cutover)
    verdict = evaluate(cutover)
    completion = verdict.completion
    assert completion.status == "INCOMPLETE"
    assert [i.id for i in completion.unmet] == [item]
    [broken] = completion.unmet
    assert broken.status == "fail"
    assert said in broken.detail
    assert file in {ref.path for ref in broken.evidence}
    assert f"{item} fail" in completion.detail
    # the recorded COMPLETE is no longer backed, and the audit quotes the failing item
    claims = completion_claims(verdict)
    assert claims
    for claim in claims:
        assert claim.status == "unbacked"
        assert claim.computed == "INCOMPLETE"
        assert f"{item} fail" in claim.message
    # and the owner of the item gets a follow-up
    assert item in [f["gate"] for f in verdict.follow_ups]


# --- where completion does not apply ----------------------------------------------------------


def test_a_dry_run_has_no_completion_and_its_complete_claims_stay_unbacked(
    tmp_path: Path,
) -> None:
    verdict = evaluate(make_rehearsal(tmp_path, kind="dry-run"))
    completion = verdict.completion
    assert completion.status == "not-applicable"
    assert "a dry-run rehearsal" in completion.detail
    assert completion.items == ()
    claims = completion_claims(verdict)
    assert {c.status for c in claims} == {"unbacked"}
    assert all("cutover completion is not-applicable" in c.message for c in claims)


def test_a_cutover_without_override_has_nothing_to_complete(cutover: Path) -> None:
    (cutover / RECORD).unlink()
    completion = evaluate(cutover).completion
    assert completion.status == "not-applicable"
    assert "no joint gate override" in completion.detail


@pytest.mark.parametrize(
    ("name", "item"),
    [
        ("memorykernel-contract-evidence.json", "CMP-3"),
        ("PRODUCER_RELEASE_HANDOFF_LATEST.json", "CMP-1"),
    ],
    ids=["contract-evidence-truncated", "handoff-truncated"],
)
def test_unreadable_evidence_leaves_its_item_missing_citing_the_file(
    cutover: Path, name: str, item: str
) -> None:
    path = cutover / name
    path.write_bytes(path.read_bytes()[:200])
    completion = evaluate(cutover).completion
    assert completion.status == "INCOMPLETE"
    [unmet] = completion.unmet
    assert unmet.id == item
    assert unmet.status == "missing"
    assert [ref.path for ref in unmet.evidence] == [name]
    assert unmet.evidence[0].note.startswith("rejected:")


def test_without_a_rollback_drill_cmp4_is_missing(cutover: Path) -> None:
    (cutover / DRILL).unlink()
    completion = evaluate(cutover).completion
    assert [(i.id, str(i.status)) for i in completion.unmet] == [("CMP-4", "missing")]
    assert "rollback drill record" in completion.unmet[0].detail
