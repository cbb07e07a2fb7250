"""Markdown records people write after a session: dry-run records, checkpoints, decisions, drills.

Records state verdicts, command results, checklists, baselines and role owners in a handful of
list-item forms. The gate engine never trusts them on their own: it compares what people wrote
with what the evidence shows, so this parser extracts every statement with its line and never
judges it. A template line that offers alternatives (``GO`` / ``NO-GO``) states nothing, nor
does any line of a template or example section (``## Session Output Template``, a heading or a
lead-in line naming a template, an example or how to record), even when it names one value: that
is the answer the plan expects, not one anybody recorded. Fenced code blocks are quoted commands,
not results.
"""

from __future__ import annotations

import re

from cutover_kit.evidence.codes import CommandOutcome, EvidenceKind, FindingCode, RecordType

from .model import (
    CheckResult,
    CommandResult,
    Extract,
    Fact,
    Finding,
    RecordedVerdict,
    RoleAssignment,
    Severity,
)
from .transcripts import normalise_command

TITLE = re.compile(r"^#\s+(?P<text>.+?)[\s#]*$")
SECTION = re.compile(r"^#{2,6}\s+(?P<text>.+?)[\s#]*$")
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
BLOCKQUOTE = re.compile(r"^\s*(?:>\s?)+")
# The body up to its last non-blank, greedy: the lazy `\S.*?\s*$` matched the same, slower.
LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])\s+(?P<body>\S(?:.*\S)?)\s*$")
CHECKLIST_ITEM = re.compile(r"^\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
# ``1. `check:x` -> PASS``, ``- `pnpm run check:y` PASS``, ``3. `pnpm run check:z`: Pass.``
COMMAND_RESULT = re.compile(
    r"^`(?P<command>[^`]+)`\s*(?:->|→|=>|:|–|—)?\s*\**"
    r"(?P<result>pass(?:ed)?|green|fail(?:ed)?|red)\**\.?$",
    re.IGNORECASE,
)
KEY_VALUE = re.compile(r"^(?P<key>(?:`[^`]*`|[^:`])+?)\s*:(?:\s+(?P<value>.*))?$")
MAX_KEY_LENGTH = 80
# Outside lists, only a short label (`Updated:`, `Owner:`) makes a statement; longer text is prose.
MAX_PLAIN_KEY_WORDS = 4
UPDATED = re.compile(r"^Updated:\s*(?P<date>\d{4}-\d{2}-\d{2})\b")
FAILED_RESULT = re.compile(r"^(?:fail|red)", re.IGNORECASE)

VERDICT_WORDS = (
    r"(?:NO[- _]?GO|GO|NOT[- _]READY|READY|COMPLETED?|PASS(?:ED)?|FAIL(?:ED)?|CLOSED"
    r"|APPROVED|REJECTED|BLOCKED)(?![\w-])"
)
# A verdict word, possibly in code or bold, then whatever the writer added (``(unless ...)``).
VERDICT_VALUE = re.compile(
    rf"^(?P<mark>`|\*\*|__|\*|_)?(?P<word>{VERDICT_WORDS})(?(mark)(?P=mark))(?P<rest>.*)$",
    re.IGNORECASE,
)
# ``GO` / `NO-GO``, ``GO/NO-GO``, ``[GO | NO-GO]``, ``GO or NO-GO``: a template, not a statement.
VERDICT_ALTERNATIVES = re.compile(
    rf"^[\s`*_<\[(]*{VERDICT_WORDS}[`*_\]>)]*\s*(?:/|\||\bor\b)\s*[`*_<\[(]*{VERDICT_WORDS}",
    re.IGNORECASE,
)
NO_GO = re.compile(r"^NO[- _]?GO$")
# A heading, or a lead-in line outside a list (ending in a colon), that introduces a template or
# an example of a record.
TEMPLATE_MARK = re.compile(r"\b(?:templates?|examples?|how to record)\b", re.IGNORECASE)
ROLE_KEY = re.compile(r"(?:owner|commander)(?: role)?$", re.IGNORECASE)
ROLE_SUFFIX = re.compile(r"\s+role$", re.IGNORECASE)
NON_WORD = re.compile(r"[^a-z0-9]+")
BASELINE_KEY = re.compile(
    r"(?:release[_ ]tag|commit(?:[_ ]sha)?|contract[_ ]version|integration[_ ]baseline"
    r"|service/api/baseline)$",
    re.IGNORECASE,
)

# Record type by title, first match wins.
RECORD_TYPES = (
    (RecordType.DRY_RUN, re.compile(r"dry[- ]run", re.IGNORECASE)),
    (RecordType.CHECKPOINT, re.compile(r"checkpoint", re.IGNORECASE)),
    (RecordType.DECISION, re.compile(r"decision record", re.IGNORECASE)),
    (RecordType.ROLLBACK_DRILL, re.compile(r"rollback drill", re.IGNORECASE)),
    (RecordType.GATE_REVIEW, re.compile(r"\bgates\b|\bgate review\b", re.IGNORECASE)),
    (RecordType.VERIFICATION, re.compile(r"verification", re.IGNORECASE)),
    (RecordType.COMPATIBILITY_MATRIX, re.compile(r"compatibility matrix", re.IGNORECASE)),
)


def looks_like_record(lines: list[str]) -> bool:
    """A markdown document (``# `` title, ``## `` section) stating at least one thing we read."""
    return has_record_shape(lines) and states_something(parse_record(lines))


def has_record_shape(lines: list[str]) -> bool:
    """A ``# `` title and a ``## `` section outside code fences: the cheap half of the test."""
    if not any(line.startswith("## ") for line in lines):
        return False  # no section anywhere: fences need not be tracked
    outside = [line for _, line in _outside_fences(lines)]
    if not any(TITLE.match(line) for line in outside):
        return False
    return any(line.startswith("## ") for line in outside)


def states_something(extract: Extract) -> bool:
    """A parsed record states a verdict, command, check, owner, date or baseline fact."""
    return bool(
        extract.verdicts
        or extract.commands
        or extract.checks
        or extract.roles
        or extract.stated_at
        or any(BASELINE_KEY.search(fact.key) for fact in extract.facts)
    )


def _outside_fences(lines: list[str]) -> list[tuple[int, str]]:
    """``(line number, line)`` for every line that is not inside (or delimiting) a code fence."""
    whole = "\n".join(lines)
    if "```" not in whole and "~~~" not in whole:
        return list(enumerate(lines, start=1))  # no fence can open: every line is outside one
    kept: list[tuple[int, str]] = []
    open_fence = ""
    for number, line in enumerate(lines, start=1):
        fence = FENCE.match(line)
        if not open_fence and fence:
            open_fence = fence["fence"]
        elif open_fence:
            # Only a bare run of the same character, at least as long, closes the block.
            marker = fence["fence"] if fence else ""
            closes = marker[:1] == open_fence[0] and len(marker) >= len(open_fence)
            if closes and not line.strip().strip(marker[0]):
                open_fence = ""
        else:
            kept.append((number, line))
    return kept


def parse_record(lines: list[str]) -> Extract:
    """Verdicts, command results, checklist items, facts and role owners of one record."""
    return _RecordParser().parse(lines)


def record_type(title: str) -> RecordType:
    """The record's type, guessed from its title (:attr:`RecordType.OTHER` when none fits)."""
    return next((name for name, pattern in RECORD_TYPES if pattern.search(title)), RecordType.OTHER)


def _plain(text: str) -> str:
    """Statement text without code and emphasis markup: ```api.v1``` -> ``api.v1``."""
    return text.replace("`", "").replace("*", "").strip()


class _RecordParser:
    """Single pass over the lines outside code fences, tracking title, section and list nesting."""

    def __init__(self) -> None:
        self.extract = Extract(kind=EvidenceKind.RECORD)
        self.title = ""
        self.section = ""
        # The heading or line that made the rest of this section a template ("" when it is not),
        # and the level of the heading it ends at (a heading of that level or above).
        self.template = ""
        self.template_level = 0
        # Command items by list indentation: a nested item's parent is the command above it.
        self.command_stack: list[tuple[int, str]] = []

    def parse(self, lines: list[str]) -> Extract:
        for number, line in _outside_fences(lines):
            self._line(number, line)
        self.extract.detail = str(record_type(self.title))
        return self.extract

    def _line(self, number: int, line: str) -> None:
        if not line.strip() or line.lstrip().startswith("|"):
            return
        # Headings, quotes, checklists, commands and statements each need one character: its
        # test is far cheaper than their pattern on the many lines without it.
        if line[:1] == "#":
            if heading := SECTION.match(line):
                self.section = heading["text"]
                level = len(line) - len(line.lstrip("#"))
                if level <= self.template_level or not self.template:
                    self.template = self.section if TEMPLATE_MARK.search(self.section) else ""
                    self.template_level = level if self.template else 0
                self.command_stack.clear()
                return
            if title := TITLE.match(line):
                self.title = self.title or title["text"]
                self.template, self.template_level = "", 0
                self.command_stack.clear()
                return
        if ">" in line:
            line = BLOCKQUOTE.sub("", line)
        if item := LIST_ITEM.match(line):
            self._list_item(number, len(item["indent"].expandtabs(4)), item["body"])
            return
        if not line[:1].isspace():
            self.command_stack.clear()  # a paragraph ends the list
        text = line.strip()
        if not self.template and TEMPLATE_MARK.search(text) and _plain(text).endswith(":"):
            self.template = text
            # Until the next heading of the section's level or above.
            self.template_level = 6
            return
        if updated := UPDATED.match(text):
            self.extract.stated_at = self.extract.stated_at or updated["date"]
        self._key_value(number, text, list_item=False)

    def _list_item(self, number: int, indent: int, body: str) -> None:
        while self.command_stack and self.command_stack[-1][0] >= indent:
            self.command_stack.pop()
        checklist = CHECKLIST_ITEM.match(body) if body[:1] == "[" else None
        command = COMMAND_RESULT.match(body) if body[:1] == "`" and not checklist else None
        if checklist:
            text = checklist["text"].strip()
            value = "unchecked" if checklist["mark"] == " " else "checked"
            self.extract.checks.append(CheckResult(text, value, f"line {number}"))
            self.extract.facts.append(Fact(self.section, text, value, number))
        elif command:
            name = normalise_command(command["command"])
            parent = self.command_stack[-1][1] if self.command_stack else ""
            result = (
                CommandOutcome.FAIL
                if FAILED_RESULT.match(command["result"])
                else CommandOutcome.PASS
            )
            self.extract.commands.append(
                CommandResult(name, result, number, parent=parent, source="record")
            )
            self.command_stack.append((indent, name))
        else:
            self._key_value(number, body, list_item=True)

    def _key_value(self, number: int, text: str, *, list_item: bool) -> None:
        statement = KEY_VALUE.match(text) if ":" in text else None
        if statement is None or len(statement["key"]) > MAX_KEY_LENGTH:
            return
        if not list_item and len(statement["key"].split()) > MAX_PLAIN_KEY_WORDS:
            return
        key = statement["key"].replace("`", "").strip()
        raw_value = (statement["value"] or "").strip()
        value = _plain(raw_value)
        if list_item and ROLE_KEY.search(key):
            role = NON_WORD.sub("_", ROLE_SUFFIX.sub("", key).lower()).strip("_")
            self.extract.roles.append(RoleAssignment(role, key, value, number, f"line {number}"))
        if not value:
            return
        self.extract.facts.append(Fact(self.section, key, value, number))
        self._verdict(number, key, raw_value)

    def _verdict(self, number: int, key: str, value: str) -> None:
        if self.template and VERDICT_VALUE.match(value):
            self.extract.findings.append(
                Finding(
                    Severity.INFO,
                    FindingCode.RECORD_TEMPLATE_VERDICT,
                    f"{key!r} is part of a template ({self.template!r}): "
                    f"{_plain(value)!r} is the expected answer, not a recorded verdict",
                    f"line {number}",
                )
            )
            return
        if VERDICT_ALTERNATIVES.match(value):
            self.extract.findings.append(
                Finding(
                    Severity.INFO,
                    FindingCode.RECORD_TEMPLATE_VERDICT,
                    f"{key!r} offers alternatives ({_plain(value)}) instead of stating a verdict",
                    f"line {number}",
                )
            )
            return
        match = VERDICT_VALUE.match(value)
        if match is None:
            return
        qualified = match["rest"].strip(" .")
        if qualified and not match["mark"] and not match["word"].isupper():
            return  # prose that starts with a verdict-like word ("Go ahead and ...")
        word = match["word"].upper().replace("_", " ")
        verdict = "NO-GO" if NO_GO.match(word) else word
        self.extract.verdicts.append(
            RecordedVerdict(key, verdict, _topic(key), number, f"line {number}")
        )


def _topic(key: str) -> str:
    lowered = key.lower()
    if "rehearsal continuation" in lowered or "rehearsal posture" in lowered:
        return "rehearsal_continuation"
    if "runtime cutover" in lowered:
        return "runtime_cutover"
    return "other"
