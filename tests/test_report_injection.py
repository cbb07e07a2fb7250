"""Markup planted in evidence never becomes markup in the session report or the trend review.

The latest sample rehearsal (r15) is copied and given hostile evidence: a title, a record (roles
and a recorded verdict), a transcript command and a file name that carry a ``<script>``, an
``<img onerror>``, a ``javascript:`` link, a Markdown image and an HTML comment. ``report`` and
``trend`` run once over it; the Markdown is rendered as a Markdown viewer would (raw HTML on), the
HTML parsed, and the page opened in headless Chromium to see that no script from evidence ran.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import mistune
import pytest
from conftest import SAMPLE_DIR
from test_report_browser import CHROMIUM_FLAGS, _chromium

from cutover_kit.cli import main

SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
LINKS = "[click](javascript:document.title='pwned') ![pixel](https://evil.example/p.png)"
COMMENT = "<!-- hidden comment -->"
PAYLOAD = f"{SCRIPT} {IMG} {LINKS} {COMMENT}"


def plant(rehearsal: Path) -> None:
    """Hostile evidence in every place a report quotes from (the verdict does not matter)."""
    manifest = rehearsal / "session.toml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"^title = .*$", "title = " + json.dumps(PAYLOAD), text, count=1, flags=re.M)
    manifest.write_text(text, encoding="utf-8")
    (rehearsal / "records" / "hostile-notes.md").write_text(
        f"# Checkpoint {PAYLOAD}\n\n## Roles\n\n- MemoryKernel rollback owner role: {PAYLOAD}\n"
        f"- Rehearsal continuation: NO-GO {PAYLOAD}\n",
        encoding="utf-8",
    )
    (rehearsal / "transcripts" / "99-hostile.txt").write_text(
        f"$ pnpm run {SCRIPT}\n{IMG}\n", encoding="utf-8"
    )
    (rehearsal / "records" / f"{IMG}.md").write_text("plain words\n", encoding="utf-8")


@dataclass(frozen=True)
class Pages:
    report: Path
    trend: Path


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    root = tmp_path_factory.mktemp("hostile-report")
    data = root / "data"
    shutil.copytree(SAMPLE_DIR, data)
    plant(data / "r15")
    report, trend = root / "report", root / "trend"
    assert main(["report", str(data), "--session", "r15", "--out", str(report), "--quiet"]) == 0
    assert main(["trend", str(data), "--out", str(trend), "--quiet"]) == 0
    return Pages(report, trend)


@dataclass
class LiveMarkup(HTMLParser):
    """Every element, attribute and comment of a page that came from the planted evidence."""

    found: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if any(name.startswith("on") for name in values):
            self.found.append(f"<{tag}> with an event handler")
        if tag == "img" and not str(values.get("src", "")).startswith(("data:", "figures/")):
            self.found.append(f"<img src={values.get('src')!r}>")
        href = str(values.get("href", ""))
        if tag == "a" and (href.startswith("javascript:") or href == "#harmful-link"):
            self.found.append(f"<a href={href!r}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "pwned" in data:
            self.found.append("<script> from evidence")

    def handle_comment(self, data: str) -> None:
        if "hidden comment" in data:
            self.found.append("<!-- comment --> from evidence")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_checker_sees_planted_markup_when_it_is_not_escaped() -> None:
    found = live_markup(mistune.html(f"A line: {PAYLOAD}\n"))
    assert found == [
        "<script> from evidence",
        "<img> with an event handler",
        "<img src='x'>",
        "<a href='#harmful-link'>",  # how mistune neutralises a javascript: link
        "<img src='https://evil.example/p.png'>",
        "<!-- comment --> from evidence",
    ]


@pytest.mark.parametrize("name", ["report/report.md", "trend/trend.md"])
def test_markdown_shows_evidence_markup_as_text(pages: Pages, name: str) -> None:
    folder, file = name.split("/")
    markdown = (getattr(pages, folder) / file).read_text(encoding="utf-8")
    assert "pwned" in markdown, "the planted evidence did not reach the page"
    # rendered as GitHub and notebooks render Markdown: raw HTML would be live
    assert live_markup(mistune.html(markdown)) == []


@pytest.mark.parametrize("name", ["report/report.html", "trend/trend.html"])
def test_html_shows_evidence_markup_as_text(pages: Pages, name: str) -> None:
    folder, file = name.split("/")
    page = (getattr(pages, folder) / file).read_text(encoding="utf-8")
    assert "document.title=&#x27;pwned&#x27;" in page or "document.title='pwned'" in page
    assert "&lt;script&gt;document.title=" in page
    assert live_markup(page) == []


def _dom_title(page: Path, profile: Path) -> str:
    """The page's title after Chromium loaded it and ran its scripts (and image handlers)."""
    command = [
        _chromium(),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    dom = subprocess.run(command, capture_output=True, check=True, text=True, timeout=120).stdout
    found = re.search(r"<title>(.*?)</title>", dom, re.S)
    return found[1].strip() if found else ""


def test_no_script_from_evidence_runs_in_the_browser(pages: Pages, tmp_path: Path) -> None:
    # control: the same markup left raw does run in this browser, so the check can fail
    control = tmp_path / "control.html"
    control.write_text(f"<html><head><title>control</title></head><body>{IMG}</body></html>")
    assert _dom_title(control, tmp_path / "p0") == "pwned"
    report = _dom_title(pages.report / "report.html", tmp_path / "p1")
    trend = _dom_title(pages.trend / "trend.html", tmp_path / "p2")
    assert report.startswith("cutover-kit session report"), report
    assert trend.startswith("cutover-kit trend review"), trend
