"""The evidence itself behind a failing or missing gate: a few lines, or the value at a pointer.

A reason that says "line 38 of the transcript" is only believed once someone opens the file; the
report opens it for them. Reading is confined to the rehearsal's own folder: a path that resolves
outside it (``..``, an absolute path, a symbolic link pointing away) is refused, and only the
first :data:`MAX_BYTES` of a file are read, so hostile evidence cannot make the report read the
rest of the machine or blow up its size.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from defusedxml import ElementTree

from cutover_kit.gates.model import EvidenceRef

MAX_BYTES: Final = 2_000_000
MAX_VALUE_CHARS: Final = 1_200
MAX_LINE_CHARS: Final = 240
_LINE = re.compile(r"^line (\d+)$")
_XML_STEP = re.compile(r"^([A-Za-z_][\w.-]*)\[(\d+)\]$")
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ExcerptLine:
    """One line of a text excerpt; ``cited`` marks the line the evidence points at."""

    number: int
    text: str
    cited: bool = False


@dataclass(frozen=True)
class Excerpt:
    """What the report quotes for one evidence reference.

    ``lines`` for text evidence (transcripts, records), ``value`` for structured evidence (the
    JSON/TOML value at a pointer, a JUnit test case), ``problem`` when nothing can be quoted.
    """

    path: str
    pointer: str
    lines: tuple[ExcerptLine, ...] = ()
    value: str = ""
    problem: str = ""
    language: str = field(default="text")


def _inside(root: Path, candidate: Path) -> bool:
    try:
        return candidate.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _read(root: Path, relative: str, data_dir: Path) -> tuple[bytes | None, str]:
    """The bytes of ``relative`` (a ledger path, relative to ``data_dir``) if inside ``root``."""
    candidate = data_dir / relative
    if Path(relative).is_absolute() or not _inside(root, candidate):
        return None, "not quoted: the path lies outside the rehearsal folder"
    if not candidate.is_file():
        return None, "not quoted: the file is not there"
    try:
        with candidate.open("rb") as handle:
            return handle.read(MAX_BYTES), ""
    except OSError as exc:
        return None, f"not quoted: {exc.strerror or 'unreadable'}"


def _clip(text: str, limit: int) -> str:
    """``text`` without terminal colour codes or control characters, at most ``limit`` long."""
    text = _TERMINAL_CODES.sub("", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_lines(data: bytes, line: int, context: int) -> tuple[ExcerptLine, ...]:
    lines = data.decode("utf-8", errors="replace").splitlines()
    first, last = max(1, line - context), min(len(lines), line + context)
    return tuple(
        ExcerptLine(number, _clip(lines[number - 1].rstrip(), MAX_LINE_CHARS), number == line)
        for number in range(first, last + 1)
    )


def _walk(document: object, pointer: str) -> tuple[bool, object]:
    """The value at a JSON pointer (RFC 6901) in a parsed document."""
    if pointer in ("", "/"):
        return True, document
    node = document
    for raw in pointer.lstrip("/").split("/"):
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return False, None
    return True, node


def _structured_value(document: object, pointer: str) -> tuple[str, str]:
    found, value = _walk(document, pointer)
    if not found:
        return "", f"not quoted: the file holds nothing at {pointer}"
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False, default=str)
    return _clip(text, MAX_VALUE_CHARS), ""


def _xml_value(data: bytes, pointer: str) -> tuple[str, str]:
    """The element an XPath-like pointer (``testsuite[3]/testcase[1]``) names, as XML text."""
    try:
        node = ElementTree.fromstring(data, forbid_dtd=True)
    except Exception:  # noqa: BLE001 - hostile XML of any kind: quote nothing, say so
        return "", "not quoted: the XML cannot be parsed safely"
    steps = pointer.split("/")
    first = _XML_STEP.match(steps[0])
    if first and first.group(1) == node.tag and not any(c.tag == node.tag for c in node):
        steps = steps[1:]  # the pointer names the root element itself
    for step in steps:
        match = _XML_STEP.match(step)
        if not match:
            return "", f"not quoted: {pointer} is not an element path"
        children = [child for child in node if child.tag == match.group(1)]
        index = int(match.group(2)) - 1
        if not 0 <= index < len(children):
            return "", f"not quoted: the file holds nothing at {pointer}"
        node = children[index]
    attributes = " ".join(f'{key}="{value}"' for key, value in sorted(node.attrib.items()))
    lines = [f"<{node.tag} {attributes}>".replace(" >", ">")]
    for child in node:
        message = child.get("message", "")
        body = (child.text or "").strip()
        lines.append(f"  <{child.tag}> {message}".rstrip())
        lines += [f"    {line}" for line in body.splitlines()[:8]]
    return _clip("\n".join(lines), MAX_VALUE_CHARS), ""


def excerpt(ref: EvidenceRef, data_dir: Path, rehearsal_folder: str, context: int = 3) -> Excerpt:
    """Quote the evidence ``ref`` points at, read from inside the rehearsal folder only.

    ``rehearsal_folder`` is relative to ``data_dir``; ``""`` when the data folder is a single
    rehearsal.
    """
    root = data_dir / rehearsal_folder
    data, problem = _read(root, ref.path, data_dir)
    if data is None:
        return Excerpt(ref.path, ref.pointer, problem=problem)
    pointer = ref.pointer.strip()
    line = _LINE.match(pointer)
    if line:
        return Excerpt(ref.path, pointer, lines=_text_lines(data, int(line.group(1)), context))
    suffix = Path(ref.path).suffix.lower()
    if pointer.startswith("/") or (not pointer and suffix in {".json", ".toml"}):
        try:
            if suffix == ".toml":
                document: object = tomllib.loads(data.decode("utf-8"))
            else:
                document = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return Excerpt(ref.path, pointer, problem="not quoted: the file does not parse")
        value, problem = _structured_value(document, pointer)
        return Excerpt(ref.path, pointer, value=value, problem=problem, language="json")
    if _XML_STEP.match(pointer.split("/")[0]):
        value, problem = _xml_value(data, pointer)
        return Excerpt(ref.path, pointer, value=value, problem=problem, language="xml")
    if not pointer:
        return Excerpt(ref.path, pointer, lines=_text_lines(data, 1, context * 2)[: context * 2])
    return Excerpt(ref.path, pointer, problem=f"not quoted: {pointer} is no line or field")
