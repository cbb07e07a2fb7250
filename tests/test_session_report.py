"""End to end: ``cutover-kit report`` executes the real session notebook on the sample corpus.

The reports of the latest sample rehearsal and of r06 are executed once per test run and shared
(``conftest.py``); the other cases (determinism, failing cell, bad input) each run once.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REAL_WORLD, SAMPLE_DIR, needs_real_world
from matplotlib import image as mpimg

from cutover_kit.api import load_corpus
from cutover_kit.cli import main
from cutover_kit.output.verdict_json import render_verdict_json
from cutover_kit.report.html import remote_references

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FILES = ("report.html", "report.md", "verdict.json", "gates.junit.xml", "notebook.ipynb")


def _report(*args: str) -> int:
    return main(["report", *args, "--quiet"])


def test_report_writes_every_output(latest_report: Path) -> None:
    for name in FILES:
        assert (latest_report / name).is_file(), name
    figures = sorted(p.name for p in (latest_report / "figures").iterdir())
    assert figures == ["fallback-by-scenario.png", "gate-status.png"]
    assert not list(latest_report.parent.glob(".latest-*")), "temporary folders left behind"


def test_verdicts_equal_the_verdict_command(
    latest_report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["verdict", str(SAMPLE_DIR), "--session", "latest", "--format", "json"]) == 0
    printed = capsys.readouterr().out
    written = (latest_report / "verdict.json").read_text(encoding="utf-8")
    assert written == printed
    document = json.loads(written)
    assert document["session"]["id"] == "r15"
    assert (document["rehearsal_continuation"], document["runtime_cutover"]) == ("GO", "GO")
    markdown = (latest_report / "report.md").read_text(encoding="utf-8")
    assert "**Rehearsal continuation: GO**" in markdown
    assert "**Runtime cutover: GO**" in markdown


def test_gate_counts_in_markdown_and_junit(latest_report: Path) -> None:
    corpus = load_corpus(SAMPLE_DIR)
    verdict = corpus.evaluate("latest")
    statuses = [str(g.status) for g in verdict.gates]
    counts = {s: statuses.count(s) for s in ("pass", "fail", "missing", "skipped")}
    assert counts == {"pass": 14, "fail": 0, "missing": 0, "skipped": 3}
    markdown = (latest_report / "report.md").read_text(encoding="utf-8")
    assert "Gates: pass 14 · fail 0 · missing 0 · skipped 3" in markdown
    gates_section = markdown.split("## 3. Gates", 1)[1].split("## 4.", 1)[0]
    gate_rows = re.findall(r"^\| `([A-Z]+-\d+)` \| \*\*(\w+)\*\* \|", gates_section, re.MULTILINE)
    assert [gate for gate, _ in gate_rows] == [g.id for g in verdict.gates]
    assert [status.lower() for _, status in gate_rows] == statuses
    junit = (latest_report / "gates.junit.xml").read_text(encoding="utf-8")
    # the gates, then the four completion items of this COMPLETE cutover in their own suite
    assert junit.count("<testcase ") == len(verdict.gates) + 4
    assert junit.count('classname="cutover.completion"') == 4
    assert (latest_report / "verdict.json").read_text(encoding="utf-8") == render_verdict_json(
        verdict, corpus.policy
    )


def test_figures_are_valid_pngs(latest_report: Path) -> None:
    for png in (latest_report / "figures").glob("*.png"):
        assert png.read_bytes()[:8] == PNG_SIGNATURE, png.name
        pixels = mpimg.imread(png)
        height, width = pixels.shape[:2]
        assert width == 800 and height >= 300, (png.name, pixels.shape)
        assert pixels.std() > 0.05, f"{png.name} is blank"


def test_markdown_links_figures_relatively(latest_report: Path) -> None:
    markdown = (latest_report / "report.md").read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert links == ["figures/gate-status.png", "figures/fallback-by-scenario.png"]
    for link in links:
        assert (latest_report / link).is_file()


def test_html_hides_inputs_embeds_images_fetches_nothing(latest_report: Path) -> None:
    page = (latest_report / "report.html").read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bhref=", page)
    assert "jp-InputArea" not in page.split("<body", 1)[1]
    assert "prepare_session_report" not in page  # no code cell source
    # statuses in the palette's colours, the same as the charts and the banner
    pass_badge = '<strong class="ck-status" style="background:#009E73;color:#ffffff">PASS</strong>'
    skipped = '<strong class="ck-status" style="background:#999999;color:#000000">SKIPPED</strong>'
    assert pass_badge in page and skipped in page
    images = re.findall(r"<img [^>]*src=\"([^\"]{0,30})", page)
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    for section in (
        "1. Verdicts",
        "2. Session output",
        "3. Gates",
        "4.1 Baseline confirmation",
        "4.2 Consumer command execution",
        "4.3 Producer artifact review",
        "4.4 Rollback readiness walkthrough",
        "5. Fallback by scenario",
        "6. Non-2xx envelopes",
        "7. Evidence behind every failing or missing gate",
    ):
        assert section in page, section


def test_report_is_deterministic(latest_report: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert _report(str(SAMPLE_DIR), "--session", "latest", "--out", str(again)) == 0
    for name in ("report.md", "verdict.json", "gates.junit.xml"):
        assert (again / name).read_bytes() == (latest_report / name).read_bytes(), name


def test_no_go_rehearsal_exits_3_and_quotes_its_evidence(no_go_report: Path) -> None:
    out = no_go_report
    assert (out.parent / "exit-code").read_text() == "3"
    document = json.loads((out / "verdict.json").read_text(encoding="utf-8"))
    assert document["rehearsal_continuation"] == "NO-GO"
    markdown = (out / "report.md").read_text(encoding="utf-8")
    section = markdown.split("## 7. Evidence behind every failing or missing gate", 1)[1]
    for gate in ("PRE-3", "CMD-1", "GRD-3", "STOP-2", "STOP-4"):
        assert f"### `{gate}` **FAIL**" in section
    # the failing vitest line itself, marked as the cited line, without terminal colour codes
    transcript = (SAMPLE_DIR / "r06/transcripts/01-cutover-dry-run.txt").read_text(encoding="utf-8")
    failing = next(
        number
        for number, line in enumerate(transcript.splitlines(), 1)
        if "preflight_reports_timeout_as_offline" in line and "\x1b[31m" in line
    )
    assert (
        f"> {failing} |  × src/memorykernel/fallback.test.ts > deterministic fallback > " in section
    )
    assert "\x1b" not in markdown
    # the failing JUnit case, quoted from the XML
    assert "expected 'blocked' to be 'offline'" in section
    # the regression named in the fallback table
    fallback = markdown.split("## 5.", 1)[1].split("## 6.", 1)[0]
    assert "| `timeout` | 3 | `preflight_reports_timeout_as_offline` |" in fallback


def test_unknown_session_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nope"
    assert _report(str(SAMPLE_DIR), "--session", "r99", "--out", str(out)) == 2
    assert "no rehearsal 'r99'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_missing_data_dir_and_invalid_policy_exit_2(tmp_path: Path) -> None:
    assert _report(str(tmp_path / "absent"), "--out", str(tmp_path / "a")) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy]\nname = 'x'\n", encoding="utf-8")
    assert _report(str(SAMPLE_DIR), "--policy", str(bad), "--out", str(tmp_path / "b")) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_failing_cell_keeps_partial_notebook_and_previous_report(
    latest_report: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = tmp_path / "report"
    shutil.copytree(latest_report, previous)
    before = {p.relative_to(previous): p.read_bytes() for p in previous.rglob("*") if p.is_file()}
    # Good inputs, broken environment: the kernel inherits a matplotlib backend that does not
    # exist (a misconfigured MPLBACKEND is a real user setup), so importing the report's chart
    # module fails inside the notebook's first computing cell. Nothing in the kit is patched.
    monkeypatch.setenv("MPLBACKEND", "no-such-backend")
    capsys.readouterr()
    assert _report(str(SAMPLE_DIR), "--out", str(previous)) == 1
    err = capsys.readouterr().err
    assert "session_report.ipynb: cell 3 (from IPython.display import HTML, display) failed" in err
    assert "ValueError" in err and "no-such-backend" in err
    assert "Traceback" not in err
    after = {p.relative_to(previous): p.read_bytes() for p in previous.rglob("*") if p.is_file()}
    assert after == before
    failed = tmp_path / "failed-report"
    assert (failed / "notebook.ipynb").is_file()
    assert not (failed / "report.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["failed-report", "report"]


def test_plain_papermill_gives_the_same_files(latest_report: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "session_report.ipynb"
    out = tmp_path / "papermill"
    command = [sys.executable, "-m", "papermill", str(notebook), str(tmp_path / "run.ipynb")]
    command += ["-p", "data_dir", str(SAMPLE_DIR), "-p", "session_id", "latest"]
    command += ["-p", "output_dir", str(out), "--no-progress-bar"]
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path, timeout=300)
    for name in ("report.md", "verdict.json", "gates.junit.xml", "figures/gate-status.png"):
        assert (out / name).read_bytes() == (latest_report / name).read_bytes(), name


@needs_real_world
def test_report_on_the_real_world_rehearsal(tmp_path: Path) -> None:
    """The published evidence as one rehearsal folder: quoted from, audited, NO-GO."""
    out = tmp_path / "real-world"
    assert _report(str(REAL_WORLD), "--out", str(out), "--fail-on-no-go") == 3
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "**Rehearsal continuation: NO\\-GO**" in markdown
    assert "**unbacked**" in markdown  # recorded GO verdicts the evidence does not back
    evidence = markdown.split("## 7.", 1)[1]
    assert "not quoted" not in evidence
    assert "> 21 | 2. `test:memorykernel-cutover-dry-run` -> PASS" in evidence
