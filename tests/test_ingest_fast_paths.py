"""The per-file shortcuts of cold ingest give what the plain way gives.

Each shortcut skips work only when a cheap test proves it would change nothing: one combined
regex picks a transcript line's first handler pattern, strict JSON is walked for pointers only
when a quick pass sees a refused number or deep nesting, clean text is split without cleaning
each line, and ``validate --format json`` is written one file entry at a time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR
from hypothesis import given
from hypothesis import strategies as st

from cutover_kit.errors import JsonRefused
from cutover_kit.evidence.json_text import MAX_DEPTH, parse_json
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.text import decode_bytes, screen_line, terminal_lines
from cutover_kit.evidence.transcripts.parser import TOOLS, first_claimant
from cutover_kit.evidence.transcripts.state import TranscriptState
from cutover_kit.evidence.transcripts.window import LineWindow
from cutover_kit.output.validate_summary import render_validate_json

HANDLER_PATTERNS = tuple(
    pattern for tool in TOOLS for pattern, _ in tool(TranscriptState(LineWindow([]))).handlers()
)


def _first_by_trying(line: str) -> int | None:
    return next((i for i, p in enumerate(HANDLER_PATTERNS) if p.match(line)), None)


def _first_by_claimant(line: str) -> int | None:
    claimant = first_claimant(HANDLER_PATTERNS)
    assert claimant is not None
    claimed = claimant.match(line)
    return None if claimed is None else int(str(claimed.lastgroup)[1:])


def _sample_text_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SAMPLE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".log", ".md"}:
            lines += terminal_lines(decode_bytes(path.read_bytes())[0])
    return lines


def test_combined_regex_names_the_first_pattern_for_every_sample_line() -> None:
    lines = _sample_text_lines()
    claimed = [line for line in lines if _first_by_trying(line) is not None]
    assert len(lines) > 1000 and len(claimed) > 100  # the sample exercises both outcomes
    assert [_first_by_claimant(line) for line in lines] == [
        _first_by_trying(line) for line in lines
    ]


@pytest.mark.parametrize(
    "line",
    [
        "EXIT CODE: 2",  # a case-insensitive pattern keeps its flag inside the combination
        "Process exited with code 1",
        " ELIFECYCLE  Command failed with exit code 1.",
        "test result: ok. 3 passed; 0 failed; 0 ignored; finished in 0.01s",
        "> app@1.0.0 test /repo",
        "   ✓ src/a.test.ts (3 tests) 12ms",
        "nothing any tool prints",
    ],
)
def test_combined_regex_agrees_on_lines_of_each_tool(line: str) -> None:
    assert _first_by_claimant(line) == _first_by_trying(line)


@given(st.text(alphabet="$> ✓×❯()[]&|.:;-_=0123456789 abcdefghijklmnopqrstuvwxyzELIFCYRUNT\t"))
def test_combined_regex_agrees_on_any_line(line: str) -> None:
    assert _first_by_claimant(line) == _first_by_trying(line)


def test_patterns_that_need_their_group_names_are_not_combined() -> None:
    repeated = re.compile(r"^(?P<word>\w+) (?P=word)$")
    assert first_claimant((re.compile(r"^a"), repeated)) is None


def _json_findings(text: str) -> list[str]:
    try:
        parse_json(text)
    except JsonRefused as refused:
        return [f"{f.code} {f.pointer}" for f in refused.findings]
    return []


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
def test_nesting_is_refused_from_the_same_depth(depth: int) -> None:
    nested = '{"n": ' * depth + "[]" + "}" * depth
    expected = ["json-too-deep " + "/n" * MAX_DEPTH] if depth >= MAX_DEPTH else []
    assert _json_findings(nested) == expected


def test_a_refused_number_deep_in_a_document_is_still_found() -> None:
    doc = '{"a": [1, {"b": [2, 3, {"c": NaN}]}], "d": 1e999}'
    assert _json_findings(doc) == ["invalid-number /a/1/b/2/c", "invalid-number /d"]


@given(st.text(alphabet="ab \t\r\n\x1b[31m\x00\x7f\x1c\x85\u2028"))
def test_terminal_lines_shortcut_matches_cleaning_each_line(text: str) -> None:
    cleaned = [screen_line(line) for line in text.split("\n")]
    if cleaned and cleaned[-1] == "":
        cleaned.pop()
    assert terminal_lines(text) == cleaned


def test_validate_json_written_per_entry_equals_dumping_the_whole_document() -> None:
    ledger = load_ledger(SAMPLE_DIR)
    rendered = render_validate_json(ledger)
    document = json.loads(rendered)
    assert len(document["files"]) == document["inputs"] == len(ledger.outcomes)
    assert rendered == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_validate_json_of_an_empty_folder(tmp_path: Path) -> None:
    ledger = load_ledger(str(tmp_path))
    rendered = render_validate_json(ledger)
    assert rendered == json.dumps(json.loads(rendered), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(rendered)["files"] == []
