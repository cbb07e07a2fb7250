"""``cutover-kit new-session``: a scaffold that validates as written and refuses to overwrite."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tomllib
from pathlib import Path

from conftest import SAMPLE_DIR

from cutover_kit.cli import main
from cutover_kit.policy import load_policy


def run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def test_the_scaffold_validates_and_carries_the_plan(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, _ = run("new-session", data, "--id", "r15", "--kind", "rollback-drill")
    assert code == 0 and "r15/session.toml" in out
    text = (data / "r15" / "session.toml").read_text(encoding="utf-8")
    policy = load_policy().policy
    for name in policy.commands.required:
        assert f"#   pnpm run {name}" in text
    for item in policy.capture.agenda:
        assert item in text
    assert "#   PRE-2  Consumer baseline is still pinned" in text
    document = tomllib.loads(text)
    assert document["session"]["kind"] == "rollback-drill"
    assert document["roles"] == {role.id: "" for role in policy.roles.required}
    assert document["verdicts"] == {}  # blank to fill: a verdict nobody recorded is no verdict
    assert "baseline" not in document
    code, out, _ = run("validate", data, "--format", "json")
    report = json.loads(out)
    assert code == 0
    [entry] = report["files"]
    assert (entry["kind"], entry["status"]) == ("session-manifest", "accepted")
    assert [f for f in entry["findings"] if f["severity"] == "error"] == []


def test_unfilled_roles_leave_stop3_failing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run("new-session", data, "--id", "r15")
    code, out, _ = run("verdict", data, "--session", "r15", "--format", "json")
    gates = {gate["id"]: gate for gate in json.loads(out)["gates"]}
    assert code == 0
    assert gates["STOP-3"]["status"] == "fail"
    assert json.loads(out)["rehearsal_continuation"] == "NO-GO"


def test_from_a_previous_rehearsal_takes_roles_and_baseline(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR / "r12", data / "r12")
    code, _, err = run("new-session", data, "--id", "r15", "--from", "r12")
    assert code == 0, err
    new = tomllib.loads((data / "r15" / "session.toml").read_text(encoding="utf-8"))
    old = tomllib.loads((data / "r12" / "session.toml").read_text(encoding="utf-8"))
    assert new["roles"] == old["roles"]
    assert new["baseline"] == old["baseline"]
    assert new["session"]["id"] == "r15" and "pin_captures" not in new
    assert run("validate", data)[0] == 0


def test_an_existing_rehearsal_is_never_overwritten(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run("new-session", data, "--id", "r15")
    manifest = data / "r15" / "session.toml"
    manifest.write_text(manifest.read_text() + "# notes\n")
    before = manifest.read_bytes()
    code, _, err = run("new-session", data, "--id", "r15")
    assert code == 2 and "already exists" in err and len(err.splitlines()) == 1
    assert manifest.read_bytes() == before


def test_an_id_used_by_another_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR / "r12", data / "folder-of-r12")
    code, _, err = run("new-session", data, "--id", "r12")
    assert code == 2 and "already used" in err
    assert not (data / "r12").exists()


def test_unknown_previous_and_bad_ids_are_one_line_errors(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, _, err = run("new-session", data, "--id", "r15", "--from", "r99")
    assert code == 2 and "r99" in err and len(err.splitlines()) == 1
    assert not (data / "r15").exists()
    code, _, err = run("new-session", data, "--id", "../escape")
    assert code == 2 and "rehearsal id" in err
    assert not (tmp_path / "escape").exists()


def test_capture_reads_the_same_capture_table_as_the_policy(tmp_path: Path) -> None:
    from cutover_kit.capture.settings import read_capture_settings

    policy = load_policy().policy
    settings = read_capture_settings()
    assert list(settings.runner) == policy.capture.runner == ["pnpm", "run"]
    assert settings.pin == policy.capture.pin == "config/memorykernel-integration-pin.json"
    assert list(settings.evidence) == policy.capture.evidence
    assert list(settings.required) == policy.commands.required
    broken = tmp_path / "policy.toml"
    broken.write_text('[capture]\nevidence = "artifacts/one.json"\n', encoding="utf-8")
    code, _, err = run("capture", tmp_path / "r1", "--policy", broken, "--", "true")
    assert code == 2 and "capture.evidence: must be a list of strings" in err
    assert not (tmp_path / "r1").exists()
