"""``cutover-kit capture``: real subprocesses, their bytes, their JSON line, timeouts and Ctrl-C.

Each test writes a small script, captures it through the real CLI in a subprocess (as a person
would run it) and checks the transcript's bytes, the terminal's bytes and ``commands.jsonl``.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

PIN = "config/memorykernel-integration-pin.json"


def kit(
    *args: str | Path, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cutover_kit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def lines(rehearsal: Path) -> list[dict[str, Any]]:
    text = (rehearsal / "commands.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (dead, not yet reaped by init) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def wait_for(condition: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / "config").mkdir(parents=True)
    (folder / PIN).write_text('{"release_tag": "v0.3.2"}\n', encoding="utf-8")
    return folder


@pytest.fixture
def rehearsal(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data" / "r15"


def test_output_is_captured_byte_for_byte_interleaved(repo: Path, rehearsal: Path) -> None:
    script(
        repo,
        "talk.py",
        "import sys\n"
        "out, err = sys.stdout.buffer, sys.stderr.buffer\n"
        "out.write(b'one\\n'); out.flush()\n"
        "err.write(b'two (stderr)\\n'); err.flush()\n"
        "out.write(b'caf\\xc3\\xa9 \\xff\\xfe raw\\r\\n'); out.flush()\n"
        "err.write(b'no newline at the end'); err.flush()\n"
        "sys.exit(3)\n",
    )
    done = kit("capture", rehearsal, "--repo", repo, "--", sys.executable, "talk.py")
    expected = b"one\ntwo (stderr)\ncaf\xc3\xa9 \xff\xfe raw\r\nno newline at the end"
    assert done.returncode == 3
    assert done.stdout == expected  # streamed live to the terminal, same bytes
    [line] = lines(rehearsal)
    transcript = rehearsal / line["transcript"]
    assert transcript.read_bytes() == expected
    assert line["transcript"].startswith("transcripts/001-") and line["transcript"].endswith(
        "-talk-py.log"
    )
    assert line["transcript_sha256"] == sha256(transcript)
    assert line["transcript_bytes"] == len(expected)
    assert line["exit_code"] == 3 and line["signal"] is None and line["stop_reason"] is None
    assert line["argv"] == [sys.executable, "talk.py"]
    assert line["cwd"] == str(repo.absolute())
    assert line["schema"] == "cutover-kit/command.v1" and line["n"] == 1
    assert line["started_at"].endswith("Z") and line["ended_at"] >= line["started_at"]
    assert line["duration_s"] >= 0 and line["host"]
    pin_hash = sha256(repo / PIN)
    assert line["pin_sha256_before"] == line["pin_sha256_after"] == pin_hash
    assert b"exit 3" in done.stderr and b"commands.jsonl line 1" in done.stderr


def test_second_capture_appends_and_numbers(repo: Path, rehearsal: Path) -> None:
    assert kit("capture", rehearsal, "--repo", repo, "--", "true").returncode == 0
    assert kit("capture", rehearsal, "--repo", repo, "--", "false").returncode == 1
    first, second = lines(rehearsal)
    assert (first["n"], first["exit_code"]) == (1, 0)
    assert (second["n"], second["exit_code"]) == (2, 1)
    assert second["transcript"] == "transcripts/002-false.log"
    assert (rehearsal / second["transcript"]).read_bytes() == b""


def test_default_repo_is_the_current_folder(repo: Path, rehearsal: Path) -> None:
    done = kit("capture", rehearsal.absolute(), "--", "pwd", cwd=repo)
    assert done.returncode == 0
    assert lines(rehearsal)[0]["cwd"] == str(repo.absolute())


def test_unknown_command_is_recorded_with_127(repo: Path, rehearsal: Path) -> None:
    done = kit("capture", rehearsal, "--repo", repo, "--", "no-such-command-xyz")
    assert done.returncode == 127
    [line] = lines(rehearsal)
    assert line["exit_code"] == 127 and "no-such-command-xyz" in line["error"]


def test_timeout_stops_the_whole_group_and_keeps_the_output(repo: Path, rehearsal: Path) -> None:
    script(
        repo,
        "slow.py",
        "import subprocess, sys, time\n"
        "child = subprocess.Popen(['sleep', '60'])\n"
        "open('grandchild.pid', 'w').write(str(child.pid))\n"
        "print('working', flush=True)\n"
        "time.sleep(60)\n",
    )
    started = time.monotonic()
    done = kit(
        "capture", rehearsal, "--repo", repo, "--timeout", "1", "--", sys.executable, "slow.py"
    )
    assert time.monotonic() - started < 20
    assert done.returncode == 128 + signal.SIGTERM
    [line] = lines(rehearsal)
    assert line["stop_reason"] == "timeout" and line["timeout_s"] == 1
    assert line["exit_code"] is None and line["signal"] == signal.SIGTERM
    assert (rehearsal / line["transcript"]).read_bytes() == b"working\n"
    grandchild = int((repo / "grandchild.pid").read_text())
    wait_for(lambda: not alive(grandchild), 5)


def test_a_child_ignoring_sigterm_is_killed_after_the_grace(repo: Path, rehearsal: Path) -> None:
    script(
        repo,
        "stubborn.py",
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "print('ignoring', flush=True)\n"
        "time.sleep(60)\n",
    )
    done = kit(
        "capture",
        rehearsal,
        "--repo",
        repo,
        "--timeout",
        "0.5",
        "--grace",
        "0.5",
        "--",
        sys.executable,
        "stubborn.py",
    )
    assert done.returncode == 128 + signal.SIGKILL
    [line] = lines(rehearsal)
    assert (line["stop_reason"], line["signal"]) == ("timeout", signal.SIGKILL)
    assert (rehearsal / line["transcript"]).read_bytes() == b"ignoring\n"


def _interrupted_capture(repo: Path, rehearsal: Path, body: str) -> tuple[int, dict[str, Any]]:
    script(repo, "job.py", body)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cutover_kit",
            "capture",
            str(rehearsal),
            "--repo",
            str(repo),
            "--grace",
            "0.5",
            "--",
            sys.executable,
            "job.py",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"ready\n"  # the child runs: now press Ctrl-C
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=20)
    return process.returncode, lines(rehearsal)[0]


def test_ctrl_c_stops_the_command_and_records_the_interruption(repo: Path, rehearsal: Path) -> None:
    code, line = _interrupted_capture(
        repo,
        rehearsal,
        "import subprocess, sys, time\n"
        "child = subprocess.Popen(['sleep', '60'])\n"
        "open('grandchild.pid', 'w').write(str(child.pid))\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n",
    )
    assert code == 128 + signal.SIGTERM
    assert line["stop_reason"] == "interrupted" and line["signal"] == signal.SIGTERM
    assert (rehearsal / line["transcript"]).read_bytes() == b"ready\n"
    assert line["transcript_sha256"] == sha256(rehearsal / line["transcript"])
    wait_for(lambda: not alive(int((repo / "grandchild.pid").read_text())), 5)


def test_ctrl_c_on_a_command_ignoring_sigint(repo: Path, rehearsal: Path) -> None:
    code, line = _interrupted_capture(
        repo,
        rehearsal,
        "import signal, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "signal.signal(signal.SIGTERM, lambda *_: (print('bye', flush=True), exit(5)))\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n",
    )
    # The command handled SIGTERM itself and chose its exit code: that code is the capture's.
    assert code == 5
    assert (line["stop_reason"], line["exit_code"], line["signal"]) == ("interrupted", 5, None)
    assert (rehearsal / line["transcript"]).read_bytes() == b"ready\nbye\n"


def test_background_leftovers_do_not_hang_the_capture(repo: Path, rehearsal: Path) -> None:
    script(
        repo,
        "leaves.sh",
        "sleep 60 &\necho $! > leftover.pid\necho done\n",
    )
    started = time.monotonic()
    done = kit("capture", rehearsal, "--repo", repo, "--grace", "0.3", "--", "sh", "leaves.sh")
    assert time.monotonic() - started < 15
    assert done.returncode == 0
    [line] = lines(rehearsal)
    assert line["exit_code"] == 0 and line["stop_reason"] is None
    wait_for(lambda: not alive(int((repo / "leftover.pid").read_text())), 5)


def test_artifacts_are_copied_with_hash_and_mtime(repo: Path, rehearsal: Path) -> None:
    script(
        repo,
        "write.py",
        "import os\n"
        "os.makedirs('artifacts', exist_ok=True)\n"
        "open('artifacts/memorykernel-handoff-evidence.json', 'w').write('{\"a\": 1}')\n"
        "os.makedirs('out', exist_ok=True)\n"
        "open('out/extra.txt', 'w').write('extra')\n",
    )
    done = kit(
        "capture",
        rehearsal,
        "--repo",
        repo,
        "--artifact",
        "out/extra.txt",
        "--artifact",
        "out/never-written.txt",
        "--",
        sys.executable,
        "write.py",
    )
    assert done.returncode == 0, done.stderr
    by_source = {a["source"]: a for a in lines(rehearsal)[0]["artifacts"]}
    assert list(by_source) == [
        "out/extra.txt",
        "out/never-written.txt",
        "artifacts/memorykernel-handoff-evidence.json",
        "artifacts/memorykernel-contract-evidence.json",
        PIN,
    ]
    handoff = by_source["artifacts/memorykernel-handoff-evidence.json"]
    copied = rehearsal / "artifacts" / "memorykernel-handoff-evidence.json"
    assert copied.read_bytes() == b'{"a": 1}'
    assert handoff["status"] == "copied" and handoff["sha256"] == sha256(copied)
    assert handoff["size"] == 8 and handoff["mtime"].endswith("Z")
    assert (rehearsal / "out" / "extra.txt").read_text() == "extra"
    assert by_source["out/never-written.txt"]["status"] == "missing"
    assert by_source["artifacts/memorykernel-contract-evidence.json"]["status"] == "missing"
    assert (rehearsal / PIN).read_bytes() == (repo / PIN).read_bytes()


@pytest.mark.parametrize(
    "artifact", ["../outside.json", "/etc/passwd", "commands.jsonl", "transcripts/x.log"]
)
def test_artifact_paths_that_leave_the_repo_are_refused_before_running(
    repo: Path, rehearsal: Path, artifact: str
) -> None:
    done = kit("capture", rehearsal, "--repo", repo, "--artifact", artifact, "--", "touch", "ran")
    assert done.returncode == 2
    assert len(done.stderr.decode().strip().splitlines()) == 1
    assert artifact.split("/")[-1] in done.stderr.decode() or "outside" in done.stderr.decode()
    assert not (repo / "ran").exists() and not (rehearsal / "commands.jsonl").exists()


def test_a_link_out_of_the_repo_is_refused_not_followed(
    repo: Path, rehearsal: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text("{}")
    (repo / "artifacts").mkdir()
    (repo / "artifacts" / "memorykernel-contract-evidence.json").symlink_to(secret)
    assert kit("capture", rehearsal, "--repo", repo, "--", "true").returncode == 0
    by_source = {a["source"]: a for a in lines(rehearsal)[0]["artifacts"]}
    refused = by_source["artifacts/memorykernel-contract-evidence.json"]
    assert refused["status"] == "refused" and "outside" in refused["reason"]
    assert not (rehearsal / "artifacts" / "memorykernel-contract-evidence.json").exists()


def test_a_command_that_changes_the_pin_is_recorded(repo: Path, rehearsal: Path) -> None:
    before = sha256(repo / PIN)
    script(repo, "repin.py", f"open({PIN!r}, 'a').write(' ')\n")
    assert (
        kit("capture", rehearsal, "--repo", repo, "--", sys.executable, "repin.py").returncode == 0
    )
    [line] = lines(rehearsal)
    assert line["pin_sha256_before"] == before
    assert line["pin_sha256_after"] == sha256(repo / PIN) != before


def test_no_command_is_a_one_line_error(repo: Path, rehearsal: Path) -> None:
    done = kit("capture", rehearsal, "--repo", repo, "--")
    assert done.returncode == 2 and b"no command" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_numbering_ignores_dated_transcripts_pasted_by_hand(repo: Path, rehearsal: Path) -> None:
    (rehearsal / "transcripts").mkdir(parents=True)
    (rehearsal / "transcripts" / "2026-03-04-dry-run.log").write_text("$ pnpm run x\n")
    assert kit("capture", rehearsal, "--repo", repo, "--", "true").returncode == 0
    assert lines(rehearsal)[0]["transcript"] == "transcripts/001-true.log"


def test_ctrl_c_ends_a_plan_after_the_interrupted_command(repo: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pnpm = bin_dir / "pnpm"
    pnpm.write_text(
        f"#!{sys.executable}\n"
        "import sys, time\n"
        "open('calls.log', 'a').write(sys.argv[2] + '\\n')\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    pnpm.chmod(0o755)
    (tmp_path / "data").mkdir()
    rehearsal = tmp_path / "data" / "r15"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cutover_kit", "capture-plan", str(rehearsal), "--repo", str(repo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"ready\n"
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=20)
    assert process.returncode == 128 + signal.SIGTERM
    [line] = lines(rehearsal)
    assert line["argv"] == ["pnpm", "run", "test:memorykernel-cutover-dry-run"]
    assert line["stop_reason"] == "interrupted"
    assert (repo / "calls.log").read_text().split() == ["test:memorykernel-cutover-dry-run"]


def test_ctrl_c_while_recording_is_held_until_the_line_is_written() -> None:
    from cutover_kit.capture.run import interrupts_deferred

    done = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        done.append("recorded")  # still runs: the interrupt waits for the block's end
    assert done == ["recorded"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# The layers above what a capture needs (the policy model, the evidence reading stack, gates,
# reports...): each would be start-up time added to every command people wait for. Of the
# evidence layer, a capture uses only the command-log schema it writes.
HEAVIER_LAYERS = (
    "cutover_kit.policy",
    "cutover_kit.gates",
    "cutover_kit.verdict",
    "cutover_kit.analysis",
    "cutover_kit.output",
    "cutover_kit.report",
    "cutover_kit.figures",
    "cutover_kit.export",
    "cutover_kit.samples",
    "cutover_kit.api",
)
EVIDENCE_A_CAPTURE_USES = {"cutover_kit.evidence", "cutover_kit.evidence.command_schema"}


def test_capture_imports_only_the_standard_library_and_the_modules_it_needs(
    repo: Path, rehearsal: Path, tmp_path: Path
) -> None:
    report = tmp_path / "modules.json"
    program = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "from cutover_kit.cli import main\n"
        f"code = main(['capture', {str(rehearsal)!r}, '--repo', {str(repo)!r}, '--', 'true'])\n"
        f"with open({str(report)!r}, 'w') as out:\n"
        "    json.dump(sorted(set(sys.modules) - before), out)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(report.read_text(encoding="utf-8"))
    heavier = {name for name in loaded if name.startswith(HEAVIER_LAYERS)}
    evidence = {name for name in loaded if name.startswith("cutover_kit.evidence")}
    others = {name.split(".")[0] for name in loaded} - {"cutover_kit"}
    assert not heavier
    assert evidence <= EVIDENCE_A_CAPTURE_USES, evidence - EVIDENCE_A_CAPTURE_USES
    assert others <= set(sys.stdlib_module_names), others - set(sys.stdlib_module_names)
    assert lines(rehearsal)[0]["exit_code"] == 0
