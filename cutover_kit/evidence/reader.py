"""Reading one evidence file safely and handing it to the loader of its kind.

Every file ends as accepted, rejected or ignored, with findings that say why. Nothing here raises
for bad input: a symlink out of the data folder, a huge or empty file, broken JSON, an XML bomb or
non-UTF-8 bytes all become findings, and the rest of the corpus is still read.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from cutover_kit.errors import EvidenceRejected
from cutover_kit.evidence.junit import JUNIT_ROOTS, JunitError
from cutover_kit.evidence.model import Extract, FileStatus, Finding, Severity
from cutover_kit.evidence.registry import Content, Family, LoaderRegistry
from cutover_kit.evidence.text import decode_bytes, terminal_lines

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
_BINARY_SNIFF = 8192
# Only text with a table header can be a session manifest; the rest skips the TOML parse.
_TOML_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


@dataclass
class FileOutcome:
    """What ingestion made of one file: its kind, status, hash and findings."""

    path: str
    rehearsal_id: str
    kind: str
    status: FileStatus
    sha256: str = ""
    size: int = 0
    extract: Extract | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """Why the file was rejected or ignored: its first error, else its first finding."""
        if self.status is FileStatus.ACCEPTED:
            return ""
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        return (errors or self.findings or [Finding(Severity.INFO, "", "")])[0].message


def _outcome(rel: str, rehearsal: str, status: FileStatus, code: str, message: str) -> FileOutcome:
    """An outcome decided before the content was read: one finding says why."""
    severity = Severity.ERROR if status is FileStatus.REJECTED else Severity.INFO
    return FileOutcome(
        rel, rehearsal, "unknown", status, findings=[Finding(severity, code, message)]
    )


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve(strict=True).relative_to(root)
    except (ValueError, OSError):
        return False
    return True


def _family(text: str) -> Family:
    head = text.lstrip()[:1]
    if head in {"{", "["} and not text.lstrip().startswith("[session"):
        return "json"
    if head == "<":
        return "xml"
    return "text"


def _unclosed_brackets(text: str) -> int:
    """Opening minus closing brackets outside strings: above zero, the document was cut short."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            escaped = char == "\\" and not escaped
            in_string = escaped or char != '"'
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return depth + in_string


def _json_error(exc: json.JSONDecodeError, text: str) -> Finding:
    truncated = _unclosed_brackets(text) > 0
    code = "truncated-json" if truncated else "malformed-json"
    what = (
        "ends before the JSON document is complete"
        if truncated
        else f"is not valid JSON: {exc.msg}"
    )
    return Finding(
        Severity.ERROR,
        code,
        f"file {what} (line {exc.lineno}, column {exc.colno})",
        f"line {exc.lineno}",
    )


def xml_root_tag(raw: bytes) -> str:
    """The root element's local name, read with entity expansion and DTDs refused."""
    for _event, element in iterparse(io.BytesIO(raw), events=("start",), forbid_dtd=True):
        return element.tag.rsplit("}", 1)[-1]
    raise ParseError("no root element")


def _xml_problem(exc: Exception) -> str:
    if isinstance(exc, DefusedXmlException):
        return f"XML uses a DTD or entities, refused for safety ({type(exc).__name__})"
    return f"XML is not well-formed: {exc}"


def _sniff_content(raw: bytes, text: str) -> tuple[Family, Content] | Finding | None:
    """Parse as the family the content looks like; a parse failure is a rejecting finding."""
    family = _family(text)
    if family == "json":
        try:
            return family, Content(raw=raw, doc=json.loads(text))
        except json.JSONDecodeError as exc:
            return _json_error(exc, text)
        except RecursionError:
            return Finding(Severity.ERROR, "malformed-json", "JSON nests too deeply to read")
    if family == "xml":
        try:
            return family, Content(raw=raw, root_tag=xml_root_tag(raw))
        except (ParseError, DefusedXmlException) as exc:
            return Finding(Severity.ERROR, "unsafe-or-malformed-xml", _xml_problem(exc))
    lines = tuple(terminal_lines(text))
    if not _TOML_TABLE.search(text):
        return "text", Content(raw=raw, lines=lines)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "text", Content(raw=raw, lines=lines)
    return "toml", Content(raw=raw, doc=doc, lines=lines)


def read_evidence(
    path: Path,
    rel: str,
    rehearsal: str,
    root: Path,
    registry: LoaderRegistry,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileOutcome:
    """Account for one file under ``root``: never raises for anything the file contains."""
    if path.is_symlink() and not _inside(path, root):
        return _outcome(
            rel,
            rehearsal,
            FileStatus.REJECTED,
            "path-escape",
            "symbolic link points outside the data folder; not followed",
        )
    if not path.is_file():
        return _outcome(
            rel,
            rehearsal,
            FileStatus.IGNORED,
            "not-a-file",
            "not a regular file (device, socket or dangling link)",
        )
    size = path.stat().st_size
    if size == 0:
        return _outcome(rel, rehearsal, FileStatus.REJECTED, "empty-file", "file is empty")
    if size > max_bytes:
        return _outcome(
            rel,
            rehearsal,
            FileStatus.REJECTED,
            "file-too-large",
            f"file is {size} bytes, over the {max_bytes}-byte limit; not read",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _outcome(
            rel, rehearsal, FileStatus.REJECTED, "unreadable", f"cannot read: {exc.strerror}"
        )
    outcome = FileOutcome(
        rel,
        rehearsal,
        "unknown",
        FileStatus.IGNORED,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=size,
    )
    if b"\x00" in raw[:_BINARY_SNIFF]:
        outcome.findings.append(Finding(Severity.INFO, "binary-file", "binary file; not evidence"))
        return outcome
    text, bad_line = decode_bytes(raw)
    if bad_line is not None:
        outcome.findings.append(
            Finding(
                Severity.WARNING,
                "non-utf8",
                f"bytes that are not UTF-8 from line {bad_line} on were replaced with U+FFFD",
                f"line {bad_line}",
            )
        )
    if not text.strip():
        outcome.status = FileStatus.REJECTED
        outcome.findings.append(Finding(Severity.ERROR, "empty-file", "file holds only whitespace"))
        return outcome
    _classify(outcome, raw, text, registry)
    return outcome


def _sniff_json_lines(
    raw: bytes, text: str, registry: LoaderRegistry
) -> tuple[Family, Content] | Finding | None:
    """JSON lines (one object per line) that a ``jsonl`` loader recognises, else normal sniffing."""
    if text.lstrip()[:1] == "{":
        content = Content(raw=raw)
        if registry.find("jsonl", content):
            return "jsonl", content
    return _sniff_content(raw, text)


def _classify(outcome: FileOutcome, raw: bytes, text: str, registry: LoaderRegistry) -> None:
    sniffed = _sniff_json_lines(raw, text, registry)
    if isinstance(sniffed, Finding):
        outcome.status = FileStatus.REJECTED
        outcome.findings.append(sniffed)
        return
    family, content = sniffed
    loader = registry.find(family, content)
    if loader is None and family == "toml":
        family, loader = "text", registry.find("text", content)
    if loader is None:
        outcome.findings.append(
            Finding(Severity.INFO, "unrecognised", _unrecognised(family, content))
        )
        return
    outcome.kind = loader.kind
    try:
        extract = loader.load(content)
    except EvidenceRejected as exc:
        outcome.status = FileStatus.REJECTED
        outcome.findings.extend(exc.findings)
        return
    except JunitError as exc:
        outcome.status = FileStatus.REJECTED
        outcome.findings.append(Finding(Severity.ERROR, "invalid-junit", str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - one hostile file must not stop the whole corpus
        outcome.status = FileStatus.REJECTED
        outcome.findings.append(
            Finding(
                Severity.ERROR,
                "loader-failed",
                f"the {loader.kind} loader could not read this file ({type(exc).__name__}: "
                f"{exc}); please report it as a cutover-kit bug",
            )
        )
        return
    outcome.status = FileStatus.ACCEPTED
    outcome.extract = extract
    outcome.findings.extend(extract.findings)


def _unrecognised(family: Family, content: Content) -> str:
    if family == "json":
        keys = sorted(content.doc)[:6] if isinstance(content.doc, dict) else []
        shown = ", ".join(keys) if keys else type(content.doc).__name__
        return f"JSON of no known evidence kind (top-level: {shown})"
    if family == "xml":
        expected = " or ".join(sorted(JUNIT_ROOTS))
        return f"XML root <{content.root_tag}> is not {expected}"
    return "text is neither a markdown record, a command transcript nor a session manifest"
