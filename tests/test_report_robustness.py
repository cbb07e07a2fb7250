"""``report`` and ``trend`` on hostile evidence, interrupted, and under other hash seeds.

Each runs as a user runs it, in a fresh process: over the whole bad-input corpus (once, not per
case: a kernel start costs seconds), killed with SIGKILL mid-run over a previous good report, and
under two hash seeds that must give the same bytes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from bad_inputs.make_corpus import CASES, write_corpus
from conftest import SAMPLE_DIR
from hostile import REPORT_COMMANDS, run_measured

CLI = [sys.executable, "-m", "cutover_kit"]


def test_report_and_trend_over_the_whole_bad_input_corpus(tmp_path: Path) -> None:
    """Every case at once, the 100 MB transcript included: both reports, no traceback."""
    data_dir = write_corpus(tmp_path / "in", CASES)
    out = tmp_path / "out"
    out.mkdir()
    peaks = {}
    for command, argv in REPORT_COMMANDS.items():
        result, cli_peak = run_measured(argv(data_dir, out))
        kernel_peak = next(
            int(line.split()[1])
            for line in result.stderr.splitlines()
            if line.startswith("child-peak-rss-kib")
        )
        peaks[command] = {"cli": cli_peak, "kernel": kernel_peak}
        assert "Traceback" not in result.stdout + result.stderr, command
        assert "internal error" not in result.stderr, command
        assert result.returncode == 0, result.stderr
    inventory = (
        (out / "report" / "report.md")
        .read_text(encoding="utf-8")
        .split("### Evidence inventory", 1)[1]
    )
    for path in ("r12/bad/json-truncated.json", "r12/links/loop-a", "r12/bad/junit-doctype.xml"):
        assert f"`{path}` | " in inventory, path
    assert "| `r12/bad/transcript-100mb.txt` | transcript | accepted |" in inventory
    assert (out / "trend" / "trend.json").is_file()
    print(f"peak RSS of report and trend over the whole bad-input corpus (KiB): {peaks}")
    assert all(peak["kernel"] < 1024 * 1024 for peak in peaks.values()), peaks  # under 1 GiB


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _kill_once_rendering(argv: list[str], page: str) -> None:
    """Run the command and SIGKILL it (and its kernel) once the notebook has run and written
    every file into its work folder, while the page is being rendered."""
    child = subprocess.Popen(
        [*CLI, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # the kernel is in the same group: it dies with the run
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == f"rendering {page}\n"
        assert child.poll() is None, "the run ended before it could be killed"
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL


def test_a_report_killed_mid_run_leaves_the_previous_report(
    latest_report: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report"
    shutil.copytree(latest_report, target)
    before = _snapshot(target)
    # r06 differs from the report in place: had any of its files landed, the snapshot would show
    _kill_once_rendering(
        ["report", str(SAMPLE_DIR), "--session", "r06", "--out", str(target)], "report.html"
    )
    assert _snapshot(target) == before
    [work] = [p for p in tmp_path.iterdir() if p != target]
    assert work.name.startswith(".report-work-"), work.name  # the unpublished run, hidden
    assert (work / "report.md").read_bytes() != before["report.md"]


def test_a_trend_killed_mid_run_leaves_the_previous_review(tmp_path: Path) -> None:
    target = tmp_path / "trend"
    argv = ["trend", str(SAMPLE_DIR), "--out", str(target)]
    assert subprocess.run([*CLI, *argv, "--last", "2", "--quiet"], check=False).returncode == 0
    before = _snapshot(target)
    _kill_once_rendering(argv, "trend.html")  # the whole history: other bytes than the last 2
    assert _snapshot(target) == before
    [work] = [p for p in tmp_path.iterdir() if p != target]
    assert work.name.startswith(".trend-work-"), work.name
    assert (work / "trend.json").read_bytes() != before["trend.json"]


def _run_with_seed(argv: list[str], seed: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, *argv, "--quiet"],
        env={**os.environ, "PYTHONHASHSEED": seed},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_report_and_trend_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """The hostile corpus's report (findings, rejected files, odd names) and the sample
    history's trend review, each under two hash seeds. The four run at once from one folder,
    as parallel CI steps do: no run may disturb another's kernel."""
    hostile = write_corpus(tmp_path / "hostile", tuple(c for c in CASES if not c.large))
    commands = {"report": ["report", str(hostile)], "trend": ["trend", str(SAMPLE_DIR)]}
    runs = {
        (name, seed): _run_with_seed([*argv, "--out", str(tmp_path / f"{name}-{seed}")], seed)
        for seed in ("0", "4242")
        for name, argv in commands.items()
    }
    try:
        for key, process in runs.items():
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, (key, err)
            assert "Traceback" not in err and "Invalid Signature" not in err, (key, err)
    finally:
        for process in runs.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    for name, files in (("report", ("report.md",)), ("trend", ("trend.md", "trend.json"))):
        for file in files:
            first = (tmp_path / f"{name}-0" / file).read_bytes()
            assert first == (tmp_path / f"{name}-4242" / file).read_bytes(), file
            assert len(first) > 1000, file
