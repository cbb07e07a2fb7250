"""``cutover-kit trend`` runs the real trend notebook through the same runner as ``report``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR
from matplotlib import image as mpimg

from cutover_kit.cli import main
from cutover_kit.evidence.cache import CACHE_FILE, CACHE_FOLDER
from cutover_kit.report.html import remote_references


def test_trend_writes_its_folder_with_the_window_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "trend"
    assert main(["trend", str(SAMPLE_DIR), "--last", "5", "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out.strip() == str(out.resolve() / "trend.html")
    for name in ("trend.html", "trend.md", "trend.json", "notebook.ipynb"):
        assert (out / name).is_file(), name
    document = json.loads((out / "trend.json").read_text(encoding="utf-8"))
    assert document["window"]["last_n"] == 5
    assert document["window"]["rehearsals"] == ["r11", "r12", "r13", "r14", "r15"]
    figures = sorted((out / "figures").glob("*.png"))
    assert figures
    for png in figures:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert mpimg.imread(png).std() > 0.05, png.name
    page = (out / "trend.html").read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "from cutover_kit" not in page  # code inputs hidden (Markdown cells stay visible)
    images = re.findall(r"<img [^>]*src=\"([^\"]{0,22})", page)
    assert len(images) == len(figures)
    assert all(src.startswith("data:image/png;base64,") for src in images)


def test_trend_with_an_impossible_window_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "trend"
    code = main(["trend", str(SAMPLE_DIR), "--since", "2026-13-01", "--out", str(out), "--quiet"])
    assert code == 2
    assert "since: '2026-13-01' is not an ISO date" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_both_reports_read_through_the_cache_asked_for_and_show_the_same(
    tmp_path: Path, sample_copy: Path
) -> None:
    """A review over a big corpus goes through the same cached, parallel ingest as ``validate``:
    ``--cache DIR --jobs 2`` fills DIR, ``--no-cache`` reads afresh, and the outputs are equal."""
    cache = tmp_path / "cache"
    outputs: dict[str, dict[str, bytes]] = {}
    for name, options in (
        ("cached", ["--cache", str(cache), "--jobs", "2"]),
        ("fresh", ["--no-cache"]),
    ):
        trend, report = tmp_path / name / "trend", tmp_path / name / "report"
        assert main(["trend", str(sample_copy), "--out", str(trend), "--quiet", *options]) == 0
        assert main(["report", str(sample_copy), "--out", str(report), "--quiet", *options]) == 0
        outputs[name] = {
            file: (folder / file).read_bytes()
            for folder, file in (
                (trend, "trend.md"), (trend, "trend.json"), (report, "report.md"),
                (report, "verdict.json"),
            )
        }  # fmt: skip
        if name == "cached":
            assert (cache / CACHE_FILE).is_file()
    assert outputs["cached"] == outputs["fresh"]
    assert not (sample_copy / CACHE_FOLDER).exists()
