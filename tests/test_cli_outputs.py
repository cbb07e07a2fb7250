"""What the CLI promises about its outputs: atomic files, one line for a bug, escaped markup."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from bad_inputs.make_corpus import CASES, MARKUP, write_corpus
from conftest import SAMPLE_DIR

from cutover_kit.cli import main
from cutover_kit.output import verdict_json

# A child that runs the CLI with the write slowed down: it says so on stdout, then waits for the
# kill, with the new content written to the temporary file but not yet in place.
_SLOW_WRITE = """
import os, sys, time
from cutover_kit.cli import main
from cutover_kit.output import atomic

def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)

atomic.os.fsync = slow_fsync
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["verdict", "DATA", "--session", "r06", "--format", "json", "--out", "TARGET"],
        ["gates", "DATA", "--session", "r06", "--junit", "TARGET"],
        ["validate", "DATA", "--format", "json", "--out", "TARGET"],
    ],
    ids=["verdict --out", "gates --junit", "validate --out"],
)
def test_a_run_killed_while_writing_leaves_the_previous_output(
    argv: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "result"
    target.parent.mkdir()
    previous = "the previous good output\n"
    target.write_text(previous, encoding="utf-8")
    args = [str(SAMPLE_DIR) if a == "DATA" else str(target) if a == "TARGET" else a for a in argv]
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n", child.stderr.read() if child.stderr else ""
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
    assert target.read_text(encoding="utf-8") == previous
    leftovers = [p.name for p in target.parent.iterdir() if p != target]
    assert all(name.startswith(".result.") and name.endswith(".partial") for name in leftovers)

    # Run to completion, the output is replaced whole and nothing is left beside it.
    assert main(args) == 0
    assert target.read_text(encoding="utf-8") != previous
    for name in leftovers:
        (target.parent / name).unlink()
    assert main(args) == 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["result"]


def test_a_run_killed_while_reading_leaves_the_previous_output(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # Without the ingest cache of the sample: a warm run could end before it is interrupted.
    shutil.copytree(SAMPLE_DIR, data, ignore=shutil.ignore_patterns(".cutover-kit"))
    target = tmp_path / "verdict.json"
    target.write_text("{}\n", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "cutover_kit", "verdict", str(data), "--out", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "verdict.json"]


def test_verdict_out_keeps_the_file_mode_and_writes_what_stdout_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "verdict.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    argv = ["verdict", str(SAMPLE_DIR), "--session", "r06", "--format", "json"]
    assert main(argv) == 0
    shown = capsys.readouterr().out
    assert main([*argv, "--out", str(target)]) == 0
    assert f"to {target}" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == shown
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_bug_is_one_line_naming_where_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> str:
        raise ZeroDivisionError("kit bug\nsecond line")

    monkeypatch.setattr(verdict_json, "render_verdict_json", broken)
    code = main(["verdict", str(SAMPLE_DIR), "--session", "r06", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("cutover-kit: internal error")
    assert "ZeroDivisionError: kit bug\\nsecond line" in line
    assert "Traceback" not in captured.err


def test_a_bug_while_evaluating_names_the_rehearsal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cutover_kit.verdict import evaluator

    def broken(self: object, rehearsal: object) -> object:
        raise KeyError("gate")

    monkeypatch.setattr(evaluator.Evaluator, "_decide", broken)
    assert main(["gates", str(SAMPLE_DIR), "--session", "r06", "--junit", "-"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert "internal error while evaluating rehearsal r06: KeyError" in line


def test_a_bug_in_a_real_process_shows_no_traceback(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from cutover_kit import cli\n"
        "from cutover_kit.output import validate_summary\n"
        "validate_summary.render_validate_text = lambda ledger: 1 / 0\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "validate", str(SAMPLE_DIR)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_markup_from_evidence_is_escaped_in_the_junit_file(tmp_path: Path) -> None:
    """Scripts, handlers, links and comments from a record reach JUnit only as escaped text."""
    [markup_case] = [case for case in CASES if case.name == "records-markup"]
    data_dir = write_corpus(tmp_path / "in", (markup_case,))
    target = tmp_path / "gates.xml"
    assert main(["gates", str(data_dir), "--junit", str(target)]) == 0
    raw = target.read_text(encoding="utf-8")
    for live in ("<script", "<img", "<!--", "</script>"):
        assert live not in raw, live
    assert "&lt;script&gt;" in raw
    root = SafeET.fromstring(raw.encode("utf-8"))
    assert [element.tag for element in root.iter()].count("script") == 0
    [failure] = [
        case.find("failure")
        for case in root.iter("testcase")
        if case.get("name", "").startswith("STOP-3 ")
    ]
    assert failure is not None
    assert MARKUP in (failure.text or "")
