"""Captured sessions through to the verdict: recorded exit codes and pin hashes decide the gates.

The green sample rehearsal r12 is taken apart: its pin and session artifacts go into a fake
consumer repo, its three command transcripts become what a fake ``pnpm`` (a script on PATH)
prints, and its hand-written pin captures are removed. ``capture-plan`` then records the
session again, and ``cutover-kit verdict`` must decide from what was recorded.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DIR

from cutover_kit.cli import main

PIN = "config/memorykernel-integration-pin.json"
SCRIPTS = (
    "test:memorykernel-cutover-dry-run",
    "check:memorykernel-governance",
    "test:memorykernel-phase3-dry-run",
)
FAKE_PNPM = """#!{python}
import json, pathlib, sys
repo = pathlib.Path.cwd()
assert sys.argv[1] == "run", sys.argv
name = sys.argv[2]
with open(repo / "pnpm-calls.log", "a") as calls:
    calls.write(name + "\\n")
behaviour = json.loads((repo / "behaviour.json").read_text()).get(name, {{}})
output = (repo / "outputs" / (name.replace(":", "_") + ".log")).read_bytes()
sys.stdout.buffer.write(output.split(b"\\n", 1)[1])  # without the pasted `$ pnpm run` line
sys.stdout.flush()
if behaviour.get("repin"):
    with open(repo / {pin!r}, "a") as pin:
        pin.write("\\n")
sys.exit(behaviour.get("exit", 0))
"""


class Session:
    """A corpus with rehearsal r12 ready to be captured, a consumer repo and a fake pnpm."""

    def __init__(self, root: Path) -> None:
        self.data = root / "data"
        self.rehearsal = self.data / "r12"
        self.repo = root / "repo"
        self.bin = root / "bin"
        shutil.copytree(SAMPLE_DIR / "r12", self.rehearsal)
        for relative in (
            PIN,
            "artifacts/memorykernel-handoff-evidence.json",
            "artifacts/memorykernel-contract-evidence.json",
        ):
            self._move(relative)
        (self.repo / "outputs").mkdir(parents=True)
        for transcript in sorted((self.rehearsal / "transcripts").iterdir()):
            first = transcript.read_text(encoding="utf-8").splitlines()[0]
            name = first.removeprefix("$ pnpm run ")
            if name in SCRIPTS:
                transcript.rename(self.repo / "outputs" / (name.replace(":", "_") + ".log"))
        manifest = self.rehearsal / "session.toml"
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.split("[[pin_captures]]")[0], encoding="utf-8")
        self.bin.mkdir()
        pnpm = self.bin / "pnpm"
        pnpm.write_text(FAKE_PNPM.format(python=sys.executable, pin=PIN), encoding="utf-8")
        pnpm.chmod(0o755)
        self.behave({})

    def _move(self, relative: str) -> None:
        destination = self.repo / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        (self.rehearsal / relative).rename(destination)

    def behave(self, behaviour: dict[str, dict[str, Any]]) -> None:
        (self.repo / "behaviour.json").write_text(json.dumps(behaviour), encoding="utf-8")

    def kit(self, *args: str | Path) -> tuple[int, str]:
        """Run cutover-kit in this process with the fake pnpm first on PATH: (exit, stdout)."""
        out = io.StringIO()
        with (
            pytest.MonkeyPatch.context() as patch,
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            patch.setenv("PATH", f"{self.bin}{os.pathsep}{os.environ['PATH']}")
            code = main([str(arg) for arg in args])
        return code, out.getvalue()

    def plan(self, *extra: str) -> int:
        return self.kit("capture-plan", self.rehearsal, "--repo", self.repo, *extra)[0]

    def capture(self, *command: str) -> int:
        return self.kit("capture", self.rehearsal, "--repo", self.repo, "--", *command)[0]

    def verdict(self) -> dict[str, Any]:
        code, out = self.kit("verdict", self.data, "--session", "r12", "--format", "json")
        assert code == 0
        return json.loads(out)

    def gates(self) -> dict[str, dict[str, Any]]:
        return {gate["id"]: gate for gate in self.verdict()["gates"]}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session(tmp_path)


def _cites(gate: dict[str, Any], path: str, pointer: str) -> bool:
    return any(
        ref["path"] == path and ref["pointer"].startswith(pointer) for ref in gate["evidence"]
    )


def test_a_green_captured_session_is_go_from_recorded_facts(session: Session) -> None:
    assert session.plan() == 0
    assert (session.repo / "pnpm-calls.log").read_text().split() == list(SCRIPTS)
    verdict = session.verdict()
    gates = {gate["id"]: gate for gate in verdict["gates"]}
    assert verdict["rehearsal_continuation"] == "GO"
    for number in (1, 2, 3):
        gate = gates[f"CMD-{number}"]
        assert gate["status"] == "pass"
        assert _cites(gate, "r12/commands.jsonl", f"line {number}")
        assert gate["evidence"][0]["actual"] == "pass (exit 0)"
    assert gates["CMD-1"]["detail"].endswith("with 4 sub-command(s)")  # from the captured log
    assert gates["GRD-1"]["status"] == "pass"
    assert "all 3 captured command(s)" in gates["GRD-1"]["detail"]
    assert _cites(gates["GRD-1"], "r12/commands.jsonl", "line 3")
    assert gates["GRD-2"]["status"] == "pass"
    assert {ref["path"] for ref in gates["GRD-2"]["evidence"]} == {
        "r12/" + PIN,
        "r12/artifacts/memorykernel-contract-evidence.json",
    }
    assert gates["PRE-3"]["status"] == "pass" and gates["STOP-4"]["status"] == "pass"
    code, out = session.kit("validate", session.data, "--format", "json")
    kinds = {entry["path"]: (entry["kind"], entry["status"]) for entry in json.loads(out)["files"]}
    assert code == 0
    assert kinds["r12/commands.jsonl"] == ("command-log", "accepted")
    transcripts = [k for path, k in kinds.items() if path.startswith("r12/transcripts/00")]
    assert transcripts == [("transcript", "accepted")] * 3


def test_exit_codes_drive_cmd_gates_and_the_plan_goes_on(session: Session) -> None:
    # The governance output reads as a pass; the recorded exit code says it failed.
    session.behave({"check:memorykernel-governance": {"exit": 1}})
    assert session.plan() == 1
    assert (session.repo / "pnpm-calls.log").read_text().split() == list(SCRIPTS)
    verdict = session.verdict()
    gates = {gate["id"]: gate for gate in verdict["gates"]}
    assert gates["CMD-1"]["status"] == gates["CMD-3"]["status"] == "pass"
    assert gates["CMD-2"]["status"] == "fail"
    assert gates["CMD-2"]["detail"] == "`check:memorykernel-governance` failed (exit 1)"
    assert gates["CMD-2"]["evidence"][0] | {"note": ""} == {
        "path": "r12/commands.jsonl",
        "pointer": "line 2",
        "actual": "fail (exit 1)",
        "expected": "pass",
        "note": "",
    }
    assert gates["STOP-4"]["status"] == "fail"
    assert verdict["rehearsal_continuation"] == "NO-GO"


def test_stop_on_failure_leaves_the_rest_uncaptured(session: Session) -> None:
    session.behave({"test:memorykernel-cutover-dry-run": {"exit": 2}})
    assert session.plan("--stop-on-failure") == 2
    assert (session.repo / "pnpm-calls.log").read_text().split() == [SCRIPTS[0]]
    gates = session.gates()
    assert gates["CMD-1"]["status"] == "fail"
    assert gates["CMD-2"]["status"] == gates["CMD-3"]["status"] == "missing"


def test_a_command_that_changes_the_pin_fails_grd1_and_the_rehearsal(session: Session) -> None:
    session.behave({"check:memorykernel-governance": {"repin": True}})
    assert session.plan() == 0
    verdict = session.verdict()
    grd1 = next(gate for gate in verdict["gates"] if gate["id"] == "GRD-1")
    assert grd1["status"] == "fail"
    [change] = grd1["evidence"]
    assert (change["path"], change["pointer"]) == ("r12/commands.jsonl", "line 2 /pin_sha256_after")
    assert change["actual"] != change["expected"]
    assert "check:memorykernel-governance" in change["note"]
    assert verdict["rehearsal_continuation"] == "NO-GO"
    assert "GRD-1" in json.dumps(verdict["reasons"])


def test_a_pin_edited_between_commands_fails_grd1(session: Session) -> None:
    assert session.capture("pnpm", "run", SCRIPTS[0]) == 0
    with (session.repo / PIN).open("a") as pin:
        pin.write(" ")
    assert session.capture("pnpm", "run", SCRIPTS[1]) == 0
    grd1 = session.gates()["GRD-1"]
    assert grd1["status"] == "fail"
    [change] = grd1["evidence"]
    assert change["pointer"] == "line 2 /pin_sha256_before"
    assert "between `test:memorykernel-cutover-dry-run` (line 1)" in change["note"]


def test_a_pin_copy_edited_after_the_capture_fails_grd1(session: Session) -> None:
    assert session.plan() == 0
    with (session.rehearsal / PIN).open("a") as pin:
        pin.write("\n")
    grd1 = session.gates()["GRD-1"]
    assert grd1["status"] == "fail"
    assert grd1["evidence"][0]["path"] == "r12/" + PIN
    assert "line 3 /pin_sha256_after" in grd1["evidence"][0]["note"]


def test_transcripts_changed_or_lost_after_the_capture_are_findings(session: Session) -> None:
    from cutover_kit.evidence.ledger import load_ledger

    assert session.plan() == 0
    log = (session.rehearsal / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = (json.loads(line)["transcript"] for line in log[:2])
    with (session.rehearsal / first).open("a") as transcript:
        transcript.write("(redacted)\n")
    (session.rehearsal / second).unlink()
    outcomes = {o.path: o for o in load_ledger(session.data).outcomes}
    [changed] = outcomes[f"r12/{first}"].findings
    assert changed.code == "transcript-changed-since-capture"
    assert "r12/commands.jsonl line 1" in changed.message
    lost = list(outcomes["r12/commands.jsonl"].findings)
    assert [(f.code, f.pointer) for f in lost] == [("captured-transcript-missing", "line 2")]


def test_a_captured_passing_suite_is_green(session: Session) -> None:
    """A captured run records its exit code (``pass (exit 0)``): the suite gate and the handoff
    review decide on the run's result, never on how the reference shows it."""
    (session.repo / "outputs" / "test_ci.log").write_text(
        "$ pnpm run test:ci\n\n> vitest run\n\n Test Files  3 passed (3)\n", encoding="utf-8"
    )
    assert session.plan() == 0
    assert session.capture("pnpm", "run", "test:ci") == 0
    gate = session.gates()["PRE-3"]
    assert any(ref["actual"] == "pass (exit 0)" for ref in gate["evidence"])
    assert gate["status"] == "pass", gate["detail"]
