"""Every listed fault becomes a finding naming file and field or line; the rest is still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cutover_kit.cli import main
from cutover_kit.evidence.ledger import Ledger, load_ledger
from cutover_kit.evidence.model import FileStatus


def outcome(ledger: Ledger, path: str):
    return next(o for o in ledger.outcomes if o.path == path)


def codes(ledger: Ledger, path: str) -> list[str]:
    return [f.code for f in outcome(ledger, path).findings]


def assert_rest_accepted(ledger: Ledger, bad: str) -> None:
    others = [o for o in ledger.outcomes if o.path not in {bad, "README.md"}]
    assert others, "the rest of the rehearsal must still be there"
    assert all(o.status is FileStatus.ACCEPTED for o in others), [
        (o.path, o.reason) for o in others if o.status is not FileStatus.ACCEPTED
    ]


def test_malformed_json_names_the_line(real_world_copy: Path) -> None:
    (real_world_copy / "integration-pin.json").write_text('{"release_tag": "v1",\n  oops}\n')
    ledger = load_ledger(real_world_copy)
    pin = outcome(ledger, "integration-pin.json")
    assert pin.status is FileStatus.REJECTED
    assert pin.findings[0].code == "malformed-json"
    assert pin.findings[0].pointer == "line 2"
    assert_rest_accepted(ledger, "integration-pin.json")


def test_truncated_json_is_reported_as_truncated(real_world_copy: Path) -> None:
    path = real_world_copy / "producer-manifest.json"
    path.write_bytes(path.read_bytes()[:200])
    ledger = load_ledger(real_world_copy)
    assert codes(ledger, "producer-manifest.json") == ["truncated-json"]
    assert_rest_accepted(ledger, "producer-manifest.json")


def _mutate_json(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2))


def test_wrong_type_names_the_field(real_world_copy: Path) -> None:
    _mutate_json(real_world_copy / "integration-pin.json", lambda d: d.update(commit_sha=42))
    ledger = load_ledger(real_world_copy)
    pin = outcome(ledger, "integration-pin.json")
    assert pin.kind == "integration-pin"
    assert pin.status is FileStatus.REJECTED
    assert [(f.code, f.pointer) for f in pin.findings] == [("invalid-field", "/commit_sha")]
    assert "42" in pin.findings[0].message


def test_missing_required_field_names_the_field(real_world_copy: Path) -> None:
    _mutate_json(
        real_world_copy / "memorykernel-contract-evidence.json",
        lambda d: d["memorykernel_pin"].pop("release_tag"),
    )
    ledger = load_ledger(real_world_copy)
    evidence = outcome(ledger, "memorykernel-contract-evidence.json")
    assert evidence.kind == "contract-evidence"
    assert [(f.code, f.pointer) for f in evidence.findings] == [
        ("missing-field", "/memorykernel_pin/release_tag")
    ]


def test_unknown_enum_value_names_the_field(real_world_copy: Path) -> None:
    _mutate_json(
        real_world_copy / "PRODUCER_RELEASE_HANDOFF_LATEST.json",
        lambda d: d.update(handoff_mode="experimental"),
    )
    _mutate_json(
        real_world_copy / "memorykernel-handoff-evidence.json",
        lambda d: d["checks"].update(release_tag="maybe"),
    )
    ledger = load_ledger(real_world_copy)
    handoff = outcome(ledger, "PRODUCER_RELEASE_HANDOFF_LATEST.json")
    assert [(f.code, f.pointer) for f in handoff.findings] == [
        ("unknown-enum-value", "/handoff_mode")
    ]
    evidence = outcome(ledger, "memorykernel-handoff-evidence.json")
    assert [(f.code, f.pointer) for f in evidence.findings] == [
        ("unknown-enum-value", "/checks/release_tag")
    ]


def test_non_utf8_bytes_are_replaced_and_reported(real_world_copy: Path) -> None:
    record = real_world_copy / "SERVICE_V3_CUTOVER_GATES.md"
    lines = record.read_bytes().split(b"\n")
    lines[4] = lines[4] + b" \xff\xfe caf\xe9"
    record.write_bytes(b"\n".join(lines))
    ledger = load_ledger(real_world_copy)
    gates = outcome(ledger, "SERVICE_V3_CUTOVER_GATES.md")
    assert gates.status is FileStatus.ACCEPTED
    finding = next(f for f in gates.findings if f.code == "non-utf8")
    assert finding.pointer == "line 5"


def test_empty_and_whitespace_files_are_rejected(real_world_copy: Path) -> None:
    (real_world_copy / "empty.json").write_bytes(b"")
    (real_world_copy / "blank.md").write_text("  \n\n")
    ledger = load_ledger(real_world_copy)
    assert codes(ledger, "empty.json") == ["empty-file"]
    assert outcome(ledger, "blank.md").status is FileStatus.REJECTED
    assert ledger.counts()["accepted"] == 13


def test_huge_file_is_not_read(real_world_copy: Path) -> None:
    (real_world_copy / "huge.txt").write_bytes(b"x" * 5000)
    ledger = load_ledger(real_world_copy, max_bytes=4096)
    huge = outcome(ledger, "huge.txt")
    assert huge.status is FileStatus.REJECTED
    assert huge.findings[0].code == "file-too-large"
    assert huge.sha256 == ""


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<testsuites>&lol2;</testsuites>\n',
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        b"<testsuites><testsuite name='a'>&e;</testsuite></testsuites>\n",
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_xml_entity_tricks_are_refused(real_world_copy: Path, payload: bytes) -> None:
    (real_world_copy / "junit.xml").write_bytes(payload)
    ledger = load_ledger(real_world_copy)
    junit = outcome(ledger, "junit.xml")
    assert junit.status is FileStatus.REJECTED
    assert junit.findings[0].code == "unsafe-or-malformed-xml"
    assert "refused" in junit.findings[0].message
    assert_rest_accepted(ledger, "junit.xml")


def test_symlink_out_of_the_data_folder_is_not_followed(real_world_copy: Path) -> None:
    secret = real_world_copy.parent / "outside.json"
    secret.write_text('{"memorykernel_repo": "x"}')
    (real_world_copy / "link.json").symlink_to(secret)
    (real_world_copy / "escape-dir").symlink_to(real_world_copy.parent)
    ledger = load_ledger(real_world_copy)
    for name in ("link.json", "escape-dir"):
        link = outcome(ledger, name)
        assert link.status is FileStatus.REJECTED
        assert link.findings[0].code == "path-escape"
        assert link.sha256 == ""


def _two_rehearsals(root: Path, source: Path, same_id: str) -> None:
    for folder in ("a", "b"):
        target = root / folder
        target.mkdir(parents=True)
        for name in ("integration-pin.json", "producer-manifest.json"):
            (target / name).write_bytes((source / name).read_bytes())
        (target / "session.toml").write_text(
            f'[session]\nid = "{same_id}"\ndate = 2026-02-0{1 if folder == "a" else 2}\n'
        )


def test_duplicate_rehearsal_ids_reject_the_second_folder(
    tmp_path: Path, real_world_copy: Path
) -> None:
    corpus = tmp_path / "corpus"
    _two_rehearsals(corpus, real_world_copy, "r1")
    ledger = load_ledger(corpus)
    assert [r.id for r in ledger.rehearsals] == ["r1"]
    assert ledger.rehearsals[0].folder == "a"
    second = [o for o in ledger.outcomes if o.path.startswith("b/")]
    assert len(second) == 3
    assert all(o.status is FileStatus.REJECTED for o in second)
    assert all(o.findings[-1].code == "duplicate-rehearsal-id" for o in second)
    assert "'a'" in second[0].findings[-1].message


def test_invalid_session_manifest_names_the_key(tmp_path: Path, real_world_copy: Path) -> None:
    (real_world_copy / "session.toml").write_text(
        '[session]\nid = "r1"\ndate = 2026-02-08\nkind = "party"\n'
    )
    ledger = load_ledger(real_world_copy)
    manifest = outcome(ledger, "session.toml")
    assert manifest.kind == "session-manifest"
    assert [(f.code, f.pointer) for f in manifest.findings] == [
        ("unknown-enum-value", "/session/kind")
    ]
    assert [r.id for r in ledger.rehearsals] == ["real-world"]


def test_validate_exit_code_and_every_file_accounted(real_world_copy: Path, capsys) -> None:
    (real_world_copy / "empty.json").write_bytes(b"")
    (real_world_copy / "binary.bin").write_bytes(b"\x00\x01\x02")
    (real_world_copy / "notes.json").write_text('{"hello": "world"}')
    code = main(["validate", str(real_world_copy), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert report["inputs"] == report["accepted"] + report["rejected"] + report["ignored"] == 17
    statuses = {f["path"]: f["status"] for f in report["files"]}
    assert statuses["empty.json"] == "rejected"
    assert statuses["binary.bin"] == "ignored"
    assert statuses["notes.json"] == "ignored"
    assert all(f["findings"] for f in report["files"] if f["status"] != "accepted")


def test_missing_data_folder_is_a_clear_error(tmp_path: Path, capsys) -> None:
    code = main(["validate", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code == 2
    assert "does not exist" in err
    assert "Traceback" not in err


def test_envelope_with_a_string_error_is_read_and_judged(real_world_copy: Path) -> None:
    body = {"service_contract_version": "service.v3", "legacy_error": "x", "error": "boom"}
    (real_world_copy / "capture.json").write_text(json.dumps({"status": 500, "body": body}))
    ledger = load_ledger(real_world_copy)
    assert outcome(ledger, "capture.json").kind == "error-envelope"
    envelopes = ledger.tables["envelopes"]
    assert envelopes["error_code"].isna().all()
    assert "legacy_error" in envelopes["fields"].iloc[0]


def test_a_second_session_manifest_is_rejected(real_world_copy: Path) -> None:
    (real_world_copy / "a-session.toml").write_text('[session]\nid = "first"\ndate = 2026-02-08\n')
    (real_world_copy / "b-session.toml").write_text('[session]\nid = "second"\ndate = 2026-02-09\n')
    ledger = load_ledger(real_world_copy)
    assert [r.id for r in ledger.rehearsals] == ["first"]
    second = outcome(ledger, "b-session.toml")
    assert second.status is FileStatus.REJECTED
    assert second.findings[-1].code == "duplicate-session-manifest"
    assert "a-session.toml" in second.findings[-1].message
