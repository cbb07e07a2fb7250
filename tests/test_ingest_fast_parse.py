"""The cheaper per-file paths give exactly what the careful ones give.

Patterns rewritten to run faster match the same lines with the same groups as the ones they
replaced; a JSON document parsed without a callback per number is the same document, and one that
may hold a refused number still gets its findings; the pool, whose parent reads batches too,
returns every file's row once, in corpus order, whatever the number of jobs.
"""

from __future__ import annotations

import json
import re
from dataclasses import astuple, replace
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

from cutover_kit.errors import JsonRefused
from cutover_kit.evidence import json_text
from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.cache import CacheRow
from cutover_kit.evidence.corpus import corpus_entries
from cutover_kit.evidence.packing import decode, unpack
from cutover_kit.evidence.parallel import FileTask, read_parallel, read_task
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES
from cutover_kit.evidence.records import LIST_ITEM
from cutover_kit.evidence.transcripts.commands import PROMPT
from cutover_kit.evidence.transcripts.vitest import (
    VITEST_CASE_DURATION,
    VITEST_FAIL,
    VITEST_MARKED_LINE,
)

# Each rewritten pattern and the lazy one it replaced (which tried the line's end after every
# character): they must agree on every line.
REWRITTEN = [
    (PROMPT, r"^\$ (?P<command>\S.*?)\s*$"),
    (VITEST_FAIL, r"^\s*FAIL\s+(?P<text>\S.*?)\s*$"),
    (VITEST_MARKED_LINE, r"^(?P<indent>\s*)(?P<mark>[✓√✔×✗✕↓❯])\s+(?P<text>.+?)\s*$"),
    (VITEST_CASE_DURATION, r"^(?P<name>.+?)\s+(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s)$"),
    (LIST_ITEM, r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])\s+(?P<body>\S.*?)\s*$"),
]
# Lines built from what decides these patterns: blanks of several kinds, marks, digits, units.
PIECES = ["a", "x y", " ", "  ", "\t", "\u3000", "\x0b", "\n", "5", "12", ".", "ms", "s"]
PIECES += ["✓", "×", "❯", "$ ", "FAIL", "-", "*", "2)", "1.", "pnpm run x"]
LINES = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


def _same(new: re.Pattern[str], old: re.Pattern[str], line: str) -> None:
    fast, slow = new.match(line), old.match(line)
    assert (fast is None) == (slow is None), line
    if fast is not None and slow is not None:
        assert (fast.span(), fast.groupdict()) == (slow.span(), slow.groupdict()), line


@pytest.mark.parametrize(("new", "old"), REWRITTEN, ids=lambda p: getattr(p, "pattern", p)[:24])
@settings(max_examples=400, deadline=None)
@given(line=LINES)
def test_rewritten_patterns_match_what_the_lazy_ones_matched(
    new: re.Pattern[str], old: str, line: str
) -> None:
    _same(new, re.compile(old), line)


@pytest.mark.parametrize(
    "line",
    [
        " ✓ src/a.test.ts > suite > case 5ms",
        " ✓   ",
        " ×  src/a.test.ts > fails  ",
        "   FAIL  src/a.test.ts > suite > x  ",
        "$ pnpm run check:x   ",
        "$ x",
        "- item body  ",
        "12) `cmd` PASS",
        "case name \t 1.5s",
        "   7ms",
    ],
)
def test_rewritten_patterns_agree_on_real_shapes(line: str) -> None:
    for new, old in REWRITTEN:
        _same(new, re.compile(old), line)


def _careful(text: str) -> object:
    """The document the way every JSON file was parsed before: a callback per number."""
    doc = json.loads(
        text,
        parse_int=json_text._parse_int,
        parse_float=json_text._parse_float,
        parse_constant=json_text._parse_constant,
    )
    problems = json_text._problems(doc)
    if problems:
        raise JsonRefused(problems)
    return doc


def _result(parse: object, text: str) -> tuple[str, str]:
    assert callable(parse)
    try:
        return "doc", repr(parse(text))
    except JsonRefused as refused:
        return "refused", repr(refused.findings)
    except json.JSONDecodeError as exc:
        return "broken", str(exc)
    except RecursionError:
        return "too deep for the parser", ""


TOKENS = ["[", "]", '{"k": ', "}", "1", "-0.0", "2.5", "1e999", "-1e400", "1e308", ",", '"s"']
TOKENS += ["NaN", "Infinity", "true", " ", '"1e999"', "9" * 400 + ".0"]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map("".join))
def test_json_parsed_fast_or_carefully_gives_the_same_result(text: str) -> None:
    assert _result(json_text.parse_json, text) == _result(_careful, text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1e999}',
        "[" * 64 + "1" + "]" * 64,
        "[" * 65 + "]" * 65,
        '{"a": ' * 64 + "{}" + "}" * 64,
        "[" + "9" * 400 + ".0]",
        "1" * (json_text.MAX_NUMBER_DIGITS + 1),
        '{"status": 404, "ok": [1, 2.5, -0.0]}',
    ],
)
def test_json_numbers_and_depth_the_fast_path_must_not_miss(text: str) -> None:
    assert _result(json_text.parse_json, text) == _result(_careful, text)


def _tasks(data_dir: Path) -> list[FileTask]:
    tasks = []
    for entry in corpus_entries(data_dir):
        status = Path(entry.location).lstat()
        tasks.append(
            FileTask(entry.location, entry.rel, entry.folder_id, status.st_size, status.st_mtime_ns)
        )
    return tasks


@pytest.mark.parametrize("jobs", [2, 3])
def test_the_pool_and_its_parent_return_every_row_once_in_order(jobs: int) -> None:
    tasks = _tasks(SAMPLE_DIR)
    root = SAMPLE_DIR.resolve()
    registry = default_registry()
    alone = [read_task(task, root, registry, DEFAULT_MAX_BYTES) for task in tasks]
    pooled = read_parallel(tasks, root, DEFAULT_MAX_BYTES, jobs)
    assert [row.rel for row in pooled] == [task.rel for task in tasks]
    # Pickles of the same values may differ in bytes between processes (a model's set of field
    # names follows each process's string hashing): the values read back are compared.
    assert [_values(row) for row in pooled] == [_values(row) for row in alone]


def _values(row: CacheRow) -> tuple[object, ...]:
    findings = decode(row.findings) if row.findings is not None else None
    extract = unpack(row.extract) if row.extract is not None else None
    return (*astuple(replace(row, findings=None, extract=None)), findings, extract)
