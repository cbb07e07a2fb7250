"""The completion checklist in the session report and in ``gates.junit.xml`` (issue 12).

r15 is the sample corpus's COMPLETE cutover (its report is the shared ``latest_report``), r14 the
authorised but not yet completed one, r06 a dry run for which completion is not applicable.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from cutover_kit.analysis.session import build_session_report
from cutover_kit.api import Corpus
from cutover_kit.output.gates_junit import render_gates_junit
from cutover_kit.report.markup import escape_markdown
from cutover_kit.report.session_markdown import render_session_markdown

ITEMS = ("CMP-1", "CMP-2", "CMP-3", "CMP-4")


def _completion(markdown: str) -> str:
    return markdown.split("## 8. Runtime cutover completion", 1)[1]


def _item_rows(section: str) -> dict[str, str]:
    rows = re.findall(r"^\| `(CMP-\d)` \| \*\*(\w+)\*\* \| (.*)$", section, re.MULTILINE)
    return {item: status for item, status, _ in rows}


def test_complete_cutover_shows_every_item_passing_with_its_file(latest_report: Path) -> None:
    markdown = (latest_report / "report.md").read_text(encoding="utf-8")
    assert "- Runtime cutover completion: `COMPLETE`" in markdown.split("## 3.", 1)[0]
    section = _completion(markdown)
    assert section.lstrip().startswith("**Cutover completion: COMPLETE**: all 4 completion items")
    assert _item_rows(section) == dict.fromkeys(ITEMS, "PASS")
    for item in ITEMS:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{item}`"))
        assert "`r15/" in row, f"{item} cites no r15 file"
    assert "Evidence behind every item not met" not in section
    page = (latest_report / "report.html").read_text(encoding="utf-8")
    assert "8. Runtime cutover completion" in page
    assert '<div class="ck-label">Cutover completion</div><div class="ck-value">COMPLETE</div>' in (
        page
    )
    assert page.count("<code>CMP-") >= 4


def test_incomplete_cutover_quotes_the_evidence_of_every_item_not_met(corpus: Corpus) -> None:
    verdict = corpus.evaluate("r14")
    markdown = render_session_markdown(build_session_report(corpus, verdict))
    assert "- Runtime cutover completion: `INCOMPLETE`" in markdown
    section = _completion(markdown)
    assert section.lstrip().startswith(
        "**Cutover completion: INCOMPLETE**: 4 of 4 items not met: "
        "`CMP-1`, `CMP-2`, `CMP-3`, `CMP-4`."
    )
    assert _item_rows(section) == dict.fromkeys(ITEMS, "FAIL")
    # the table gives each item's headline; its whole detail heads its quoted evidence
    verdict_detail = verdict.completion.items[1].detail
    headline = verdict_detail.split(": ", 1)[0]
    assert headline == "the consumer repin is not atomic"
    assert "| the consumer repin is not atomic | `r14/config/" in section
    assert f"#### `CMP-2` **FAIL**: {escape_markdown(verdict_detail)}\n" in section
    quoted = section.split("### Evidence behind every item not met", 1)[1]
    for item in ITEMS:
        assert f"#### `{item}` **FAIL**" in quoted
    # CMP-2 quotes the pin still on the old release, read from the file itself
    cmp2 = quoted.split("#### `CMP-2`", 1)[1].split("#### `CMP-3`", 1)[0]
    assert "`r14/config/memorykernel-integration-pin.json /release_tag`: found `v0.3.2`" in cmp2
    assert '```json\n"v0.3.2"\n```' in cmp2


def test_other_rehearsals_say_in_one_line_why_completion_does_not_apply(corpus: Corpus) -> None:
    markdown = render_session_markdown(build_session_report(corpus, corpus.evaluate("r06")))
    assert "- Runtime cutover completion: `not-applicable`" in markdown
    section = _completion(markdown).strip()
    assert section == (
        "Not applicable: a dry\\-run rehearsal: "
        "completion is evaluated for a cutover rehearsal only."
    )


def test_junit_gives_completion_items_their_own_suite(corpus: Corpus) -> None:
    root = ElementTree.fromstring(render_gates_junit(corpus.evaluate("r14")))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["rehearsal r14", "rehearsal r14 completion"]
    completion = suites[1]
    cases = completion.findall("testcase")
    assert [c.get("name", "").split()[0] for c in cases] == list(ITEMS)
    assert {c.get("classname") for c in cases} == {"cutover.completion"}
    assert all(c.find("failure") is not None for c in cases)
    assert (completion.get("tests"), completion.get("failures")) == ("4", "4")
    assert root.get("tests") == str(len(suites[0].findall("testcase")) + 4)
    assert root.get("failures") == str(int(suites[0].get("failures", "0")) + 4)


def test_junit_of_a_rehearsal_without_completion_has_one_suite(corpus: Corpus) -> None:
    verdict = corpus.evaluate("r06")
    root = ElementTree.fromstring(render_gates_junit(verdict))
    [suite] = root.findall("testsuite")
    assert len(suite.findall("testcase")) == len(verdict.gates) == int(root.get("tests", "0"))
    assert "completion" not in render_gates_junit(verdict)
