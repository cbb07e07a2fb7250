"""The gate policy: the packaged default, ``--policy FILE`` copies, and refusal of bad policies.

Policies are edited as text (one targeted replacement each, asserted to apply exactly once), so
every invalid case differs from the valid default by the one key its message must name.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLE_DIR

from cutover_kit.api import load_corpus
from cutover_kit.cli import main
from cutover_kit.policy import load_policy, parse_policy

POLICY_FILE = REPO / "cutover_kit" / "policy" / "default.toml"
DEFAULT_TEXT = POLICY_FILE.read_text(encoding="utf-8")
# docs/gates.md's catalogue, with CMD-n expanded to the three required commands.
GATE_IDS = [
    "PRE-1",
    "PRE-2",
    "PRE-3",
    "CMD-1",
    "CMD-2",
    "CMD-3",
    "ART-1",
    "ART-2",
    "ART-3",
    "GRD-1",
    "GRD-2",
    "GRD-3",
    "STOP-1",
    "STOP-2",
    "STOP-3",
    "STOP-4",
    "RBK-1",
    "CMP-1",
    "CMP-2",
    "CMP-3",
    "CMP-4",
]
CATEGORY_BY_PREFIX = {
    "PRE": "precondition",
    "CMD": "command",
    "ART": "artifact-review",
    "GRD": "guardrail",
    "STOP": "stop-condition",
    "RBK": "rollback-readiness",
    "CMP": "completion",
}
GATES_HEADER = "[[gates]]"


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def edit_gate(text: str, index: int, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` inside the ``index``-th ``[[gates]]`` table only."""
    head, *blocks = text.split(GATES_HEADER)
    blocks[index] = replace_once(blocks[index], old, new)
    return GATES_HEADER.join([head, *blocks])


def write_policy(folder: Path, text: str, name: str = "policy.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def verdict_with(capsys: pytest.CaptureFixture[str], policy: Path, session: str = "r07") -> Any:
    code, out, err = run(
        capsys, "verdict", SAMPLE_DIR, "--session", session, "--policy", policy, "--format", "json"
    )
    assert code == 0, err
    return json.loads(out)


# --- the packaged default ---------------------------------------------------------------------


def test_default_policy_has_the_seventeen_gates_and_four_completion_items_in_order() -> None:
    loaded = load_policy()
    gates = loaded.policy.gates
    assert [g.id for g in gates] == GATE_IDS
    for g in gates:
        assert g.category == CATEGORY_BY_PREFIX[g.id.split("-")[0]], g.id
    commands = [g.command for g in gates if g.category == "command"]
    assert commands == loaded.policy.commands.required
    assert loaded.policy.baseline.service_contract_version == "service.v2"
    assert loaded.policy.runtime_target.service_contract_version == "service.v3"
    assert loaded.policy.readiness.window == 3


def test_default_policy_hash_is_stable() -> None:
    first, second = load_policy(), load_policy()
    assert first.sha256 == second.sha256 == hashlib.sha256(POLICY_FILE.read_bytes()).hexdigest()
    assert load_policy(POLICY_FILE).sha256 == first.sha256


def test_every_owner_role_is_a_required_role() -> None:
    policy = load_policy().policy
    roles = {role.id for role in policy.roles.required}
    assert len(roles) == 5
    assert {g.owner_role for g in policy.gates} <= roles


# --- --policy FILE ----------------------------------------------------------------------------


def test_policy_copy_gives_the_same_verdict_and_hash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.toml"
    shutil.copyfile(POLICY_FILE, copy)
    _, default_out, _ = run(capsys, "verdict", SAMPLE_DIR, "--session", "r07", "--format", "json")
    assert verdict_with(capsys, copy) == json.loads(default_out)


def test_edited_policy_changes_the_policy_hash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edited = write_policy(
        tmp_path,
        replace_once(
            DEFAULT_TEXT,
            'description = "Cutover-day dry-run gates',
            'description = "Edited: cutover-day dry-run gates',
        ),
    )
    document = verdict_with(capsys, edited)
    assert document["policy"]["sha256"] == hashlib.sha256(edited.read_bytes()).hexdigest()
    assert document["policy"]["sha256"] != hashlib.sha256(POLICY_FILE.read_bytes()).hexdigest()
    assert document["rehearsal_continuation"] == "GO"


def test_policy_follow_up_delay_sets_due_dates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edited = write_policy(
        tmp_path, replace_once(DEFAULT_TEXT, "due_in_days = 7", "due_in_days = 3")
    )
    document = verdict_with(capsys, edited, "r06")
    gate_follow_ups = [f for f in document["follow_ups"] if f["source"] == "gate"]
    assert gate_follow_ups
    assert {f["due"] for f in gate_follow_ups} == {"2026-01-30"}  # 2026-01-27 + 3 days


def test_policy_readiness_window_sets_the_trailing_window(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edited = write_policy(tmp_path, replace_once(DEFAULT_TEXT, "window = 3", "window = 2"))
    document = verdict_with(capsys, edited, "r14")
    assert document["runtime_cutover"] == "GO"
    [reason] = [r for r in document["reasons"] if r["verdict"] == "runtime_cutover"]
    assert "window r13, r14 GO" in reason["sentence"]


# --- invalid policies -------------------------------------------------------------------------


def _without_baseline(text: str) -> str:
    start = text.index("[baseline]")
    end = text.index("[runtime_target]")
    return text[:start] + text[end:]


INVALID = {
    "unknown-category": (
        lambda t: edit_gate(t, 3, 'category = "command"', 'category = "ceremony"'),
        ["gates[3].category", "ceremony"],
    ),
    "owner-not-a-required-role": (
        lambda t: edit_gate(
            t, 0, 'owner_role = "producer_rollback_owner"', 'owner_role = "release_wizard"'
        ),
        ["gates[0].owner_role", "release_wizard"],
    ),
    "unknown-check": (
        lambda t: edit_gate(t, 8, 'check = "manifest_hash"', 'check = "vibes_check"'),
        ["check", "vibes_check"],
    ),
    "duplicate-gate-id": (
        lambda t: edit_gate(t, 4, 'id = "CMD-2"', 'id = "CMD-1"'),
        ["duplicate", "CMD-1"],
    ),
    "missing-baseline": (_without_baseline, ["baseline"]),
    "window-wrong-type": (
        lambda t: replace_once(t, "window = 3", 'window = "three"'),
        ["readiness.window"],
    ),
    "due-date-past-the-calendar": (
        lambda t: replace_once(t, "due_in_days = 7", "due_in_days = 999999999"),
        ["follow_ups.due_in_days", "3650"],
    ),
    "bad-toml-syntax": (
        lambda t: replace_once(t, "[readiness]", "[readiness"),
        ["TOML"],
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_policy_is_refused_naming_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    edit, phrases = INVALID[case]
    path = write_policy(tmp_path, edit(DEFAULT_TEXT))
    code, out, err = run(capsys, "verdict", SAMPLE_DIR, "--session", "r07", "--policy", path)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith("cutover-kit: ")
    assert path.name in err
    for phrase in phrases:
        assert phrase in err, f"{phrase!r} not in {err!r}"


def test_command_gate_without_command_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_policy(
        tmp_path, edit_gate(DEFAULT_TEXT, 3, 'command = "test:memorykernel-cutover-dry-run"\n', "")
    )
    code, _, err = run(capsys, "verdict", SAMPLE_DIR, "--session", "r07", "--policy", path)
    assert code == 2
    assert "gates[3].command" in err


@pytest.mark.parametrize("command", ["verdict", "gates"])
def test_unreadable_policy_exits_two(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    absent = tmp_path / "absent.toml"
    extra = ["--junit", "-"] if command == "gates" else []
    code, out, err = run(
        capsys, command, SAMPLE_DIR, "--session", "r07", "--policy", absent, *extra
    )
    assert code == 2
    assert out == ""
    assert "absent.toml" in err
    assert "Traceback" not in err


def test_policy_that_is_a_folder_exits_two(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "verdict", SAMPLE_DIR, "--session", "r07", "--policy", tmp_path)
    assert code == 2
    assert "Traceback" not in err


def test_invalid_policy_is_refused_by_the_api(tmp_path: Path) -> None:
    path = write_policy(tmp_path, replace_once(DEFAULT_TEXT, "window = 3", "window = 0"))
    with pytest.raises(Exception, match=re.escape("readiness.window")):
        load_corpus(SAMPLE_DIR, path)


# --- another producer/consumer pair -----------------------------------------------------------


def _renamed_command_policy() -> str:
    text = DEFAULT_TEXT.replace("check:memorykernel-governance", "check:acme-governance")
    assert text.count("check:acme-governance") == DEFAULT_TEXT.count(
        "check:memorykernel-governance"
    )
    return text


def test_renamed_command_is_missing_when_no_transcript_shows_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = verdict_with(capsys, write_policy(tmp_path, _renamed_command_policy()))
    gates = {g["id"]: g for g in document["gates"]}
    assert gates["CMD-2"]["status"] == "missing"
    assert "check:acme-governance" in gates["CMD-2"]["detail"]
    assert gates["CMD-1"]["status"] == "pass"
    assert document["rehearsal_continuation"] == "NO-GO"


def test_renamed_command_passes_when_its_transcript_is_there(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_copy: Path
) -> None:
    policy = write_policy(tmp_path, _renamed_command_policy())
    renamed = 0
    for transcript in (sample_copy / "r07" / "transcripts").iterdir():
        text = transcript.read_text(encoding="utf-8")
        renamed += text.count("check:memorykernel-governance")
        transcript.write_text(
            text.replace("check:memorykernel-governance", "check:acme-governance"),
            encoding="utf-8",
        )
    assert renamed
    code, out, err = run(
        capsys, "verdict", sample_copy, "--session", "r07", "--policy", policy, "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    [cmd2] = [g for g in document["gates"] if g["id"] == "CMD-2"]
    assert cmd2["status"] == "pass"
    assert "check:acme-governance" in cmd2["detail"]
    assert [ref["note"] for ref in cmd2["evidence"]] == ["check:acme-governance"]
    assert document["rehearsal_continuation"] == "GO"


@pytest.mark.parametrize(
    ("version", "candidate_section", "stable_section", "mode", "rehearsal_prefix"),
    [
        (
            "service.v3",
            "service_v3_candidate",
            "service_v3_stable",
            "service-v3-candidate",
            "service-v3-rehearsal-handoff.",
        ),
        (
            "ledger.v5",
            "ledger_v5_candidate",
            "ledger_v5_stable",
            "ledger-v5-candidate",
            "ledger-v5-rehearsal-handoff.",
        ),
    ],
)
def test_names_derive_from_the_policy_versions(
    version: str, candidate_section: str, stable_section: str, mode: str, rehearsal_prefix: str
) -> None:
    """What a producer calls a version's sections, candidate mode and rehearsal payload is
    derived from the policy's version string, never spelled in the engine."""
    text = DEFAULT_TEXT.replace(
        'service_contract_version = "service.v3"', f'service_contract_version = "{version}"'
    )
    policy = parse_policy(text.encode("utf-8"), "derived.toml").policy
    target = policy.runtime_target
    assert target.envelope_section("candidate") == candidate_section
    assert target.envelope_section("stable") == stable_section
    assert target.candidate_handoff_mode == mode
    assert target.rehearsal_handoff_prefix == rehearsal_prefix
