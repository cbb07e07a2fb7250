"""Reading ``commands.jsonl`` back: recognised by content, line by line, bad lines reported.

The lines are written by the real ``capture`` writer (``CommandRecord.line_json``) so reader and
writer cannot drift apart; the bad ones are made by hand.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cutover_kit.capture.record import ArtifactRecord, CommandRecord
from cutover_kit.evidence.ledger import load_ledger

SHA = hashlib.sha256(b"pin").hexdigest()


def record(n: int, argv: list[str], exit_code: int | None = 0, **extra: object) -> str:
    """A line as ``capture`` writes it (its own writer, so reader and writer must agree)."""
    fields: dict[str, object] = {
        "n": n,
        "argv": argv,
        "cwd": "/repo",
        "host": "ci-runner",
        "started_at": "2026-03-04T15:30:00.000000Z",
        "ended_at": "2026-03-04T15:30:02.500000Z",
        "duration_s": 2.5,
        "exit_code": exit_code,
        "signal": None,
        "stop_reason": None,
        "error": "",
        "timeout_s": None,
        "transcript": f"transcripts/{n:03d}-x.log",
        "transcript_sha256": SHA,
        "transcript_bytes": 3,
        "pin": "config/memorykernel-integration-pin.json",
        "pin_sha256_before": SHA,
        "pin_sha256_after": SHA,
        "artifacts": [ArtifactRecord("artifacts/a.json", "missing", reason="no such file")],
    }
    return CommandRecord(**(fields | extra)).line_json()  # type: ignore[arg-type]


def write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "r20"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_lines_become_commands_and_a_table_row_each(tmp_path: Path) -> None:
    text = "\n".join(
        [
            record(1, ["pnpm", "run", "test:memorykernel-cutover-dry-run"]),
            record(2, ["pnpm", "run", "check:memorykernel-governance"], 1),
            record(3, ["sleep", "9"], None, signal=15, stop_reason="timeout", timeout_s=1.0),
        ]
    )
    for n in (1, 2, 3):  # the transcripts, with the bytes whose sha256 the lines recorded
        (tmp_path / "r20" / "transcripts").mkdir(parents=True, exist_ok=True)
        (tmp_path / "r20" / "transcripts" / f"{n:03d}-x.log").write_bytes(b"pin")
    ledger = load_ledger(write(tmp_path, "any-name.log", text + "\n"))
    outcome = next(o for o in ledger.outcomes if o.path == "r20/any-name.log")
    assert (outcome.kind, str(outcome.status), outcome.findings) == ("command-log", "accepted", [])
    commands = ledger.tables["commands"]
    assert commands[["command", "result", "line", "exit_code", "source"]].values.tolist() == [
        ["test:memorykernel-cutover-dry-run", "pass", 1, 0, "capture"],
        ["check:memorykernel-governance", "fail", 2, 1, "capture"],
        ["sleep 9", "fail", 3, 143, "capture"],
    ]
    captured = ledger.tables["captured_commands"]
    assert captured["line"].tolist() == [1, 2, 3]
    assert captured["stop_reason"].tolist()[2] == "timeout"
    assert captured["argv"].tolist()[0] == "pnpm run test:memorykernel-cutover-dry-run"


def test_a_single_line_log_is_recognised(tmp_path: Path) -> None:
    ledger = load_ledger(write(tmp_path, "commands.jsonl", record(1, ["true"])))
    assert ledger.outcomes[0].kind == "command-log"


def test_bad_lines_are_findings_naming_the_line_and_the_rest_is_read(tmp_path: Path) -> None:
    good = record(1, ["true"])
    missing_exit = json.loads(record(3, ["false"]))
    del missing_exit["exit_code"]
    text = "\n".join(
        [
            good,
            '{"schema": "cutover-kit/command.v1", "n": 2, "argv": ["cut',  # truncated
            json.dumps(missing_exit),
            "",
            record(5, ["echo", "ok"]).replace(SHA, "not-a-hash", 1),
            record(6, ["echo", "last"]),
        ]
    )
    ledger = load_ledger(write(tmp_path, "commands.jsonl", text))
    [outcome] = ledger.outcomes
    assert str(outcome.status) == "accepted"
    pointers = [(f.code, f.pointer) for f in outcome.findings]
    assert ("malformed-command-line", "line 2") in pointers
    assert ("invalid-command-line", "line 3") in pointers
    assert any("/exit_code" in f.message for f in outcome.findings if f.pointer == "line 3")
    assert ("invalid-command-line", "line 5") in pointers
    assert outcome.extract is not None
    assert [c.line for c in outcome.extract.commands] == [1, 6]


def test_a_log_with_no_usable_line_is_rejected_with_reasons(tmp_path: Path) -> None:
    text = '{"schema": "cutover-kit/command.v1", "n": 0}\n{"schema": "cutover-kit/command.v1"\n'
    ledger = load_ledger(write(tmp_path, "commands.jsonl", text))
    [outcome] = ledger.outcomes
    assert (outcome.kind, str(outcome.status)) == ("command-log", "rejected")
    assert {f.pointer for f in outcome.findings} == {"line 1", "line 2"}
    assert all(str(f.severity) == "error" for f in outcome.findings)


def test_other_json_lines_and_broken_json_keep_their_old_outcomes(tmp_path: Path) -> None:
    write(tmp_path, "events.jsonl", '{"event": "a"}\n{"event": "b"}\n')
    write(tmp_path, "broken.json", '{"schema_version": 1, "checks": {')
    ledger = load_ledger(tmp_path)
    outcomes = {o.path.split("/")[-1]: o for o in ledger.outcomes}
    assert str(outcomes["events.jsonl"].status) == "rejected"
    assert outcomes["events.jsonl"].findings[0].code == "malformed-json"
    assert outcomes["broken.json"].findings[0].code == "truncated-json"


def test_a_json_document_quoting_the_marker_is_not_a_log(tmp_path: Path) -> None:
    quoting = {"schema_version": 1, "checks": {"note": "cutover-kit/command.v1"}}
    write(tmp_path, "evidence.json", json.dumps(quoting, indent=2))
    [outcome] = load_ledger(tmp_path).outcomes
    assert outcome.kind == "handoff-evidence"  # read as what it is, its own findings intact
    assert {f.pointer for f in outcome.findings} >= {"/schema_version", "/baseline"}
