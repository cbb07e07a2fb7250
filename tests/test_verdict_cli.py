"""The ``verdict`` and ``gates`` commands: verdict.json, exit codes, JUnit gates, text output.

Everything runs through ``cutover_kit.cli.main`` as a user would; expected values come from the
files themselves (hashes computed here) or from the rules in ``docs/gates.md`` and the README.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import pytest
from conftest import REPO, SAMPLE_DIR

from cutover_kit.cli import main
from cutover_kit.samples.history import HISTORY_LENGTH

POLICY_FILE = REPO / "cutover_kit" / "policy" / "default.toml"
UNTRUSTED = '<script>&"'
TOP_KEYS = [
    "schema",
    "session",
    "rehearsal_continuation",
    "runtime_cutover",
    "reasons",
    "gates",
    "cutover_completion",
    "fallback",
    "recorded",
    "audit",
    "risks",
    "follow_ups",
    "inputs",
    "policy",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one CLI invocation."""
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def verdict_json(capsys: pytest.CaptureFixture[str], data_dir: Path, session: str) -> Any:
    code, out, _ = run(capsys, "verdict", data_dir, "--session", session, "--format", "json")
    assert code == 0
    return json.loads(out)


def junit_gates(capsys: pytest.CaptureFixture[str], data_dir: Path, session: str) -> Any:
    code, out, _ = run(capsys, "gates", data_dir, "--session", session, "--junit", "-")
    assert code == 0
    return SafeET.fromstring(out.encode("utf-8"))


@pytest.fixture(scope="module")
def r06_json() -> str:
    """``verdict --format json`` of r06, rendered once for the module."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["verdict", str(SAMPLE_DIR), "--session", "r06", "--format", "json"]) == 0
    return buffer.getvalue()


# --- verdict.json -----------------------------------------------------------------------------


def test_verdict_json_is_byte_identical_across_runs_and_folders(
    capsys: pytest.CaptureFixture[str], r06_json: str, sample_copy: Path
) -> None:
    _, again, _ = run(capsys, "verdict", SAMPLE_DIR, "--session", "r06", "--format", "json")
    assert again == r06_json
    assert sample_copy != SAMPLE_DIR
    _, moved, _ = run(capsys, "verdict", sample_copy, "--session", "r06", "--format", "json")
    assert moved == r06_json
    assert str(SAMPLE_DIR) not in r06_json
    assert str(sample_copy) not in moved


def test_verdict_and_validate_json_do_not_depend_on_hash_seeds(r06_json: str) -> None:
    """Separate processes with different hash seeds (set iteration order) give the same bytes."""
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(
            [
                subprocess.run(
                    [sys.executable, "-m", "cutover_kit", *argv, "--format", "json"],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout
                for argv in (
                    ("verdict", str(SAMPLE_DIR), "--session", "r06"),
                    ("validate", str(SAMPLE_DIR)),
                )
            ]
        )
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == r06_json


def test_verdict_json_has_every_documented_key(r06_json: str) -> None:
    document = json.loads(r06_json)
    assert list(document) == TOP_KEYS
    assert document["schema"] == "cutover-kit/verdict.v1"
    assert document["session"]["id"] == "r06"
    assert document["session"]["previous"] == "r05"
    assert document["rehearsal_continuation"] == "NO-GO"
    assert document["runtime_cutover"] == "NO-GO"
    assert len(document["gates"]) == 17
    completion = document["cutover_completion"]
    assert completion["status"] == "not-applicable"
    assert "dry-run" in completion["detail"]
    assert completion["items"] == []
    for item in document["gates"]:
        assert {"id", "category", "status", "evidence", "detail"} <= set(item)
        for ref in item["evidence"]:
            assert {"path", "pointer"} <= set(ref)
    for reason in document["reasons"]:
        assert {"verdict", "gate", "sentence", "evidence"} <= set(reason)
    assert document["fallback"], "r06 has fallback scenarios"
    for delta in document["fallback"].values():
        assert {"regressions", "recurring", "fixed", "new_failing", "executed"} <= set(delta)
    assert document["fallback"]["timeout"]["regressions"] == [
        "preflight_reports_timeout_as_offline"
    ]
    for entry in document["recorded"]:
        assert {"key", "value", "file", "line"} <= set(entry)
    for item in document["audit"]:
        assert {"status", "message", "computed", "file"} <= set(item)
    assert document["risks"] and document["follow_ups"]
    for follow_up in document["follow_ups"]:
        assert {"action", "owner_role", "due"} <= set(follow_up)
    assert set(document["policy"]) == {"name", "sha256"}


def test_verdict_json_inputs_are_the_rehearsal_files_with_their_hashes(r06_json: str) -> None:
    inputs = json.loads(r06_json)["inputs"]
    on_disk = {
        path.relative_to(SAMPLE_DIR).as_posix()
        for path in (SAMPLE_DIR / "r06").rglob("*")
        if path.is_file()
    }
    assert {item["path"] for item in inputs} == on_disk
    assert len(inputs) == len(on_disk)
    for item in inputs:
        digest = hashlib.sha256((SAMPLE_DIR / item["path"]).read_bytes()).hexdigest()
        assert item["sha256"] == digest, item["path"]


def test_verdict_json_policy_hash_is_the_policy_files(r06_json: str) -> None:
    policy = json.loads(r06_json)["policy"]
    assert policy["sha256"] == hashlib.sha256(POLICY_FILE.read_bytes()).hexdigest()
    assert policy["name"] == "memorykernel-assistsupport-service-v3"


def test_verdict_json_failing_gates_cite_existing_files(r06_json: str) -> None:
    for item in json.loads(r06_json)["gates"]:
        if item["status"] == "fail":
            assert item["evidence"]
            for ref in item["evidence"]:
                assert (SAMPLE_DIR / ref["path"]).is_file(), ref


# --- exit codes -------------------------------------------------------------------------------


def test_verdict_exits_zero_by_default_even_on_no_go(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "verdict", SAMPLE_DIR, "--session", "r06")[0] == 0


@pytest.mark.parametrize(("session", "expected"), [("r06", 3), ("r07", 0), ("r14", 0)])
def test_fail_on_no_go(capsys: pytest.CaptureFixture[str], session: str, expected: int) -> None:
    code, out, _ = run(capsys, "verdict", SAMPLE_DIR, "--session", session, "--fail-on-no-go")
    assert code == expected
    assert "rehearsal continuation" in out


def test_unknown_session_exits_two_naming_the_known_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "verdict", SAMPLE_DIR, "--session", "r99")
    assert code == 2
    assert out == ""
    assert "r99" in err
    for known in ("r01", "r06", "r14"):
        assert known in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_data_dir_exits_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    absent = tmp_path / "no-such-folder"
    code, out, err = run(capsys, "verdict", absent, "--session", "latest")
    assert code == 2
    assert out == ""
    assert str(absent) in err
    assert "Traceback" not in err
    assert run(capsys, "gates", absent, "--junit", "-")[0] == 2


def test_latest_is_the_last_rehearsal(capsys: pytest.CaptureFixture[str]) -> None:
    document = verdict_json(capsys, SAMPLE_DIR, "latest")
    assert document["session"]["id"] == f"r{HISTORY_LENGTH:02d}"
    assert document["rehearsal_continuation"] == "GO"
    assert document["runtime_cutover"] == "GO"


# --- text output ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "verdicts"), [("r06", ("NO-GO", "NO-GO")), ("r14", ("GO", "GO"))]
)
def test_text_output_states_both_verdicts(
    capsys: pytest.CaptureFixture[str], session: str, verdicts: tuple[str, str]
) -> None:
    code, out, _ = run(capsys, "verdict", SAMPLE_DIR, "--session", session)
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    continuation = next(line for line in lines if line.startswith("rehearsal continuation:"))
    runtime = next(line for line in lines if line.startswith("runtime cutover:"))
    assert continuation.split(":", 1)[1].strip() == verdicts[0]
    assert runtime.split(":", 1)[1].strip() == verdicts[1]
    assert session in out


def test_text_output_names_failing_gates_and_the_audit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "verdict", SAMPLE_DIR, "--session", "r08")
    assert "STOP-1" in out
    assert "unbacked" in out
    assert "404-context-package-not-found.json" in out


# --- gates as JUnit ---------------------------------------------------------------------------


@pytest.mark.parametrize("session", ["r06", "r09", "r14"])
def test_gates_junit_one_testcase_per_gate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, session: str
) -> None:
    document = verdict_json(capsys, SAMPLE_DIR, session)
    statuses = {g["id"]: g["status"] for g in document["gates"]}
    target = tmp_path / "gates.xml"
    code, out, _ = run(capsys, "gates", SAMPLE_DIR, "--session", session, "--junit", target)
    assert code == 0
    assert str(target) in out
    root = SafeET.parse(target).getroot()
    gates_suite, *completion_suites = root.findall("testsuite")
    cases = gates_suite.findall("testcase")
    assert len(cases) == 17
    # completion items (r14: an authorised cutover) come as a suite of their own, after the gates
    items = {i["id"]: i["status"] for i in document["cutover_completion"]["items"]}
    assert len(completion_suites) == (1 if items else 0)
    for suite in completion_suites:
        assert [c.get("name").split(" ", 1)[0] for c in suite.findall("testcase")] == list(items)
    by_id = {case.get("name").split(" ", 1)[0]: case for case in cases}
    assert list(by_id) == list(statuses)
    for gate_id, status in statuses.items():
        case = by_id[gate_id]
        failure, skipped = case.find("failure"), case.find("skipped")
        assert (failure is not None) == (status == "fail"), gate_id
        assert (skipped is not None) == (status in {"missing", "skipped"}), gate_id
        if skipped is not None:
            assert skipped.get("message", "").startswith(status)
    every = [*statuses.values(), *items.values()]
    assert int(gates_suite.get("failures")) == sum(s == "fail" for s in statuses.values())
    assert int(root.get("failures")) == sum(s == "fail" for s in every)
    assert int(root.get("tests")) == 17 + len(items)
    assert int(root.get("skipped")) == sum(s in {"missing", "skipped"} for s in every)
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["rehearsal_continuation"] == document["rehearsal_continuation"]
    assert properties["runtime_cutover"] == document["runtime_cutover"]


def test_untrusted_text_round_trips_escaped(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    envelope = sample_copy / "r12" / "captures" / "envelopes" / "409-write-conflict.json"
    document = json.loads(envelope.read_text(encoding="utf-8"))
    document["body"]["error"]["code"] = UNTRUSTED
    envelope.write_text(json.dumps(document, indent=2), encoding="utf-8")
    owner_line = "- MemoryKernel rollback owner role: MemoryKernel Release Captain"
    record = next(
        path
        for path in (sample_copy / "r12" / "records").iterdir()
        if owner_line in path.read_text(encoding="utf-8")
    )
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            owner_line, f"- MemoryKernel rollback owner role: {UNTRUSTED}"
        ),
        encoding="utf-8",
    )

    code, raw, _ = run(capsys, "gates", sample_copy, "--session", "r12", "--junit", "-")
    assert code == 0
    assert "<script>" not in raw
    root = SafeET.fromstring(raw.encode("utf-8"))
    gates = {g["id"]: g for g in verdict_json(capsys, sample_copy, "r12")["gates"]}
    cases = {case.get("name").split(" ", 1)[0]: case for case in root.iter("testcase")}
    for gate_id in ("STOP-1", "STOP-3"):
        assert gates[gate_id]["status"] == "fail", gate_id
        failure = cases[gate_id].find("failure")
        assert failure is not None
        assert failure.get("message") == gates[gate_id]["detail"]
        actuals = [ref["actual"] for ref in gates[gate_id]["evidence"]]
        assert any(UNTRUSTED in actual for actual in actuals), gate_id
        for actual in actuals:
            assert actual in failure.text
    recorded_owner = [r for r in gates["STOP-3"]["evidence"] if r["actual"] == UNTRUSTED]
    assert (
        recorded_owner and recorded_owner[0]["path"] == record.relative_to(sample_copy).as_posix()
    )


def test_control_characters_never_break_the_junit_file(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, tmp_path: Path
) -> None:
    session = sample_copy / "r12" / "session.toml"
    text = session.read_text(encoding="utf-8")
    owner = 'producer_rollback_owner = "MemoryKernel Release Captain"'
    assert text.count(owner) == 1
    session.write_text(
        text.replace(owner, 'producer_rollback_owner = "Night\\u0007Shift\\u001b[31mLead"'),
        encoding="utf-8",
    )
    smuggled = "Night\x07Shift\x1b[31mLead"

    gates = {g["id"]: g for g in verdict_json(capsys, sample_copy, "r12")["gates"]}
    assert gates["STOP-3"]["status"] == "fail"
    assert smuggled in [ref["actual"] for ref in gates["STOP-3"]["evidence"]]

    target = tmp_path / "gates.xml"
    assert run(capsys, "gates", sample_copy, "--session", "r12", "--junit", target)[0] == 0
    root = SafeET.parse(target).getroot()
    [case] = [c for c in root.iter("testcase") if c.get("name", "").startswith("STOP-3 ")]
    failure = case.find("failure")
    assert failure is not None
    assert "Night\ufffdShift\ufffd[31mLead" in failure.text
