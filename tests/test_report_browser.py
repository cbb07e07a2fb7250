"""The report page as a browser shows it: headless Chromium renders it offline to a PNG.

Chromium is the Debian package, installed by ``make chromium`` (which this test calls when the
browser is absent); without root or network the test skips and says why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from matplotlib import image as mpimg

from cutover_kit.figures.palette import COMPLETION_COLORS, VERDICT_COLORS

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        subprocess.run(["make", "-C", str(REPO), "chromium"], capture_output=True, check=False)
        found = shutil.which("chromium")
    if found is None:
        pytest.skip("headless Chromium is not installed and `make chromium` could not install it")
    return found


def screenshot(page: Path, target: Path, profile: Path, height: int = 4000) -> np.ndarray:
    """Render ``page`` with a fresh profile and no network, and return the pixels."""
    command = [
        _chromium(),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--screenshot={target}",
        f"--window-size=1280,{height}",
        page.resolve().as_uri(),
    ]
    subprocess.run(command, capture_output=True, check=True, timeout=120)
    return mpimg.imread(target)


def _has_colour(pixels: np.ndarray, hex_colour: str, minimum: int = 5000) -> bool:
    """At least ``minimum`` pixels of this colour (a banner box is ~40,000; a badge ~1,500)."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    distance = np.abs(pixels[..., :3] - rgb).sum(axis=-1)
    return int((distance < 0.03).sum()) > minimum


def test_banner_renders_in_the_verdict_colours(
    latest_report: Path, no_go_report: Path, tmp_path: Path
) -> None:
    go = screenshot(latest_report / "report.html", tmp_path / "go.png", tmp_path / "p1")
    no_go = screenshot(no_go_report / "report.html", tmp_path / "no-go.png", tmp_path / "p2")
    for pixels in (go, no_go):
        assert pixels.shape[:2] == (4000, 1280)
        assert pixels[..., :3].std() > 0.1, "blank page"
    banner = slice(0, 400)  # both verdict boxes sit at the top of the page
    assert _has_colour(go[banner], VERDICT_COLORS["GO"])
    assert not _has_colour(go[banner], VERDICT_COLORS["NO-GO"])
    assert _has_colour(no_go[banner], VERDICT_COLORS["NO-GO"])
    assert not _has_colour(no_go[banner], VERDICT_COLORS["GO"])
    # r15 completed the cutover: a third box; r06 is a dry run, where completion does not apply
    assert _has_colour(go[banner], COMPLETION_COLORS["COMPLETE"])
    assert not _has_colour(no_go[banner], COMPLETION_COLORS["COMPLETE"])


def test_trend_page_renders_offline(tmp_path: Path) -> None:
    from conftest import SAMPLE_DIR

    from cutover_kit.cli import main

    out = tmp_path / "trend"
    assert main(["trend", str(SAMPLE_DIR), "--out", str(out), "--quiet"]) == 0
    pixels = screenshot(out / "trend.html", tmp_path / "trend.png", tmp_path / "profile")
    assert pixels.shape[:2] == (4000, 1280)
    assert pixels[..., :3].std() > 0.1, "blank page"
    # the verdict timeline shows GO and NO-GO rehearsals in their palette colours
    assert _has_colour(pixels, VERDICT_COLORS["GO"], minimum=500)
    assert _has_colour(pixels, VERDICT_COLORS["NO-GO"], minimum=500)
