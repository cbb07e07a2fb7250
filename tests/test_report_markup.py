"""Markup planted in evidence shows as text in the session report, never as markup.

A copy of the sample corpus gets ``<script>``, ``<img onerror>`` and ``javascript:`` links in a
risk of ``session.toml``, in a line of the rollback drill record and in a JUnit test name; the
real notebook then reports on that rehearsal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cutover_kit.cli import main

SCRIPT = "<script>alert('risk')</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[click](javascript:alert(2))"
RECORD_SCRIPT = "<script>alert('record')</script>"
TEST_IMG = "<img src=y onerror=alert(3)>"


def _xml_attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _plant(corpus: Path) -> None:
    r14 = corpus / "r14"
    risk = f"Planted {SCRIPT} {IMG} {LINK}".replace("\\", "\\\\").replace('"', '\\"')
    with (r14 / "session.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[[risks]]\nid = "planted-R1"\ndescription = "{risk}"\n'
            'owner_role = "consumer_incident_commander"\n'
        )
    record = r14 / "records" / "rollback-readiness-2026-03-04.md"
    text = record.read_text(encoding="utf-8")
    planted = f"- [ ] Incident channel {RECORD_SCRIPT} [open](javascript:alert(5)) exercised"
    record.write_text(
        text.replace("- [x] Incident channel and paging path exercised", planted), "utf-8"
    )
    junit = r14 / "junit" / "junit-report.xml"
    xml = junit.read_text(encoding="utf-8")
    old = 'name="deterministic fallback &gt; preflight_reports_timeout_as_offline" time="0.002">'
    assert old in xml
    name = f"deterministic fallback > preflight_reports_timeout_as_offline {TEST_IMG}"
    new = (
        f'name="{_xml_attr(name)}" time="0.002">'
        f'<failure message="{_xml_attr("planted " + TEST_IMG)}">planted</failure>'
    )
    junit.write_text(xml.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def planted_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("planted")
    import shutil

    from conftest import SAMPLE_DIR

    corpus = base / "rehearsals"
    shutil.copytree(SAMPLE_DIR, corpus)
    _plant(corpus)
    out = base / "report"
    assert main(["report", str(corpus), "--session", "r14", "--out", str(out), "--quiet"]) == 0
    return out


def test_planted_evidence_reaches_the_report(planted_report: Path) -> None:
    markdown = (planted_report / "report.md").read_text(encoding="utf-8")
    assert "planted\\-R1" in markdown or "planted-R1" in markdown  # the risk is listed
    assert "RBK-1" in markdown.split("## 7.", 1)[1]  # the unchecked record line fails RBK-1
    assert "preflight\\_reports\\_timeout\\_as\\_offline" in markdown or (
        "preflight_reports_timeout_as_offline &lt;img" in markdown
    )


def test_markdown_escapes_planted_markup(planted_report: Path) -> None:
    markdown = (planted_report / "report.md").read_text(encoding="utf-8")
    # code spans and fenced excerpts show their content literally; everywhere else no tag may
    # open and no link may form
    outside_code = re.sub(r"(`+)[^`]*?\1", "", re.sub(r"(?ms)^(`{3,}).*?^\1", "", markdown))
    for raw in ("<script", "<img", "](javascript:"):
        assert raw not in outside_code, raw
    assert "&lt;script&gt;alert" in markdown
    assert "\\[click\\]\\(javascript:alert\\(2\\)\\)" in markdown


def test_html_escapes_planted_markup(planted_report: Path) -> None:
    page = (planted_report / "report.html").read_text(encoding="utf-8")
    body = page.split("<body", 1)[1]
    assert "<script" not in body.lower()
    assert not re.search(r"<img(?![^>]*src=\"data:image/png;base64,)", body)
    assert not re.search(r"<[^>]*\sonerror\s*=", body, re.IGNORECASE)  # no handler attribute
    assert not re.search(r"href=[\"']?javascript:", body, re.IGNORECASE)
    for visible in (
        "&lt;script&gt;alert(",
        "&lt;img src=x onerror=alert(1)&gt;",
        "&lt;img src=y onerror=alert(3)&gt;",
        "javascript:alert(2)",
    ):
        assert visible in body, visible
