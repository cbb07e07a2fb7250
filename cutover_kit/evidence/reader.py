"""Reading one evidence file safely and handing it to the loader of its kind.

Every file ends as accepted, rejected or ignored, with findings that say why. Nothing here raises
for bad input: a symlink out of the data folder or in a loop, a FIFO, a huge or empty file, one
that changes or vanishes while it is read, broken JSON or numbers no parser should trust, an XML
bomb or non-UTF-8 bytes all become findings, and the rest of the corpus is still read.

JSON, XML and markdown are read whole, so they have a size limit (``max_bytes``). Transcripts
have none: a text file over the limit is streamed, and read to its end if its first lines show a
terminal transcript (see :mod:`cutover_kit.evidence.text_stream`).
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from cutover_kit.errors import EvidenceRejected, FileRefused, JsonRefused
from cutover_kit.evidence.codes import EvidenceKind, FindingCode
from cutover_kit.evidence.json_text import parse_json
from cutover_kit.evidence.model import Extract, FileStatus, Finding, Severity
from cutover_kit.evidence.registry import Content, Family, Loader, LoaderRegistry
from cutover_kit.evidence.text import decode_bytes, terminal_lines
from cutover_kit.evidence.text_stream import TextStream

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
# How much of a file over the size limit is read to tell whether it is a transcript.
HEAD_BYTES = 1024 * 1024
_BINARY_SNIFF = 8192
# A path as listed (text) or built: files are opened by either.
StrPath = str | Path
# What ``Path.is_symlink`` takes for "no such file" (False) rather than an error.
_NO_SUCH_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})
# Only text with a table header can be a session manifest; the rest skips the TOML parse.
_TOML_TABLE = re.compile(r"^\s*\[", re.MULTILINE)
# A first line `[session]`, `[roles]` or `[[follow_ups]]` is a TOML table header, not JSON.
_TOML_HEADER = re.compile(r"^\[\[?[A-Za-z_][\w.-]*\]\]?[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass(slots=True)
class FileOutcome:
    """What ingestion made of one file: its kind, status, hash and findings (slots: a corpus
    holds 200,000 of them)."""

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
        rel, rehearsal, EvidenceKind.UNKNOWN, status, findings=[Finding(severity, code, message)]
    )


def _is_link(path: StrPath) -> bool:
    """``Path(path).is_symlink()``, same answers and errors, without building a :class:`Path`
    (building one cost more than the system call for each of 200,000 files)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError as exc:
        if exc.errno not in _NO_SUCH_FILE:
            raise
        return False
    except ValueError:
        return False


def _check_link(path: StrPath, root: Path) -> StrPath:
    """The file to open: ``path``, or the target of a link that stays inside ``root``.

    Refuses a symbolic link that loops, dangles, leaves ``root`` or names a folder.
    """
    if not _is_link(path):
        return path
    try:
        target = Path(path).resolve(strict=True)
    except FileNotFoundError:
        raise FileRefused(
            FileStatus.IGNORED,
            FindingCode.DANGLING_LINK,
            "symbolic link to nothing (its target is gone)",
        ) from None
    except (RuntimeError, OSError):
        # RuntimeError is how Python 3.11 reports a loop; ELOOP comes from the OS.
        raise FileRefused(
            FileStatus.REJECTED,
            FindingCode.SYMLINK_LOOP,
            "symbolic link loop (the link leads back to itself); not followed",
        ) from None
    if not target.is_relative_to(root):
        raise FileRefused(
            FileStatus.REJECTED,
            FindingCode.PATH_ESCAPE,
            "symbolic link points outside the data folder; not followed",
        )
    if target.is_dir():
        raise FileRefused(
            FileStatus.IGNORED,
            FindingCode.LINK_TO_FOLDER,
            "symbolic link to a folder inside the data folder; its files are read where they are",
        )
    return target


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> FileRefused:
    if stat.S_ISLNK(mode):
        return FileRefused(
            FileStatus.REJECTED,
            FindingCode.CHANGED_WHILE_READ,
            "file was replaced by a symbolic link after the folder was listed; not followed",
        )
    what = next((name for is_kind, name in _SPECIAL_FILES if is_kind(mode)), "a device")
    return FileRefused(
        FileStatus.IGNORED, FindingCode.NOT_A_FILE, f"{what}, not a regular file; not read"
    )


def open_evidence(path: StrPath) -> BinaryIO:
    """Open a regular file for reading, never blocking on a FIFO swapped in after listing.

    ``path`` is no link (links were resolved and checked): one swapped in since is not followed.
    """
    try:
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise FileRefused(
            FileStatus.REJECTED,
            FindingCode.VANISHED,
            "file disappeared between listing the folder and reading it; not used",
        ) from None
    except OSError as exc:
        raise FileRefused(
            FileStatus.REJECTED, FindingCode.UNREADABLE, f"cannot read: {exc.strerror or exc}"
        ) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _not_regular(mode)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


class _Stamp(NamedTuple):
    """What says a file is unchanged: its size, modification time and whether it still exists
    (a tuple: two are made for every file read)."""

    size: int
    mtime_ns: int
    links: int

    @classmethod
    def of(cls, handle: BinaryIO) -> _Stamp:
        info = os.fstat(handle.fileno())
        return cls(info.st_size, info.st_mtime_ns, info.st_nlink)


def _check_unchanged(handle: BinaryIO, opened: _Stamp, read: int) -> None:
    """Refuse what was read if the file changed or was deleted while it was being read."""
    now = _Stamp.of(handle)
    if now.links == 0:
        raise FileRefused(
            FileStatus.REJECTED,
            FindingCode.CHANGED_WHILE_READ,
            "file was deleted while it was being read; not used",
        )
    if read != opened.size or now != opened:
        raise FileRefused(
            FileStatus.REJECTED,
            FindingCode.CHANGED_WHILE_READ,
            f"file changed while it was being read ({opened.size} bytes when opened, {read}"
            f" read, {now.size} now); not used: read the folder again once it is complete",
        )


def _family(text: str) -> Family:
    head = text.lstrip()[:1]
    if head in {"{", "["} and not _TOML_HEADER.match(text.lstrip()):
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


def _json_lines(text: str) -> bool:
    """One JSON object per line (libtest's ``--format json``): a stream read as text, not one
    malformed document."""
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        return len(lines) > 1 and all(isinstance(parse_json(line), dict) for line in lines)
    except (ValueError, RecursionError):  # broken syntax, or numbers/nesting the kit refuses
        return False


def _json_error(exc: json.JSONDecodeError, text: str) -> Finding:
    truncated = _unclosed_brackets(text) > 0
    code = FindingCode.TRUNCATED_JSON if truncated else FindingCode.MALFORMED_JSON
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
        tag: str = element.tag
        return tag.rsplit("}", 1)[-1]
    raise ParseError("no root element")


def _xml_problem(exc: Exception) -> str:
    if isinstance(exc, DefusedXmlException):
        return f"XML uses a DTD or entities, refused for safety ({type(exc).__name__})"
    return f"XML is not well-formed: {exc}"


@dataclass(frozen=True)
class _Unparsed:
    """Content that did not parse as its family: why, and the kind a loader claimed it for."""

    findings: list[Finding]
    kind: str = ""


def _claimed_broken(
    text: str, error: ValueError, family: Family, registry: LoaderRegistry
) -> _Unparsed | None:
    """The first loader of ``family`` that recognises ``text`` as its kind despite ``error``."""
    for loader in registry.loaders(family):
        finding = loader.broken(text, error) if loader.broken else None
        if finding is not None:
            return _Unparsed([finding], loader.kind)
    return None


def _near_misses(content: Content, family: Family, registry: LoaderRegistry) -> list[Finding]:
    """What loaders of ``family`` say about content none of them recognised."""
    found = (loader.near_miss(content) for loader in registry.loaders(family) if loader.near_miss)
    return [finding for finding in found if finding is not None]


def _sniff_content(
    raw: bytes, text: str, registry: LoaderRegistry
) -> tuple[Family, Content] | _Unparsed:
    """Parse as the family the content looks like; a parse failure gives rejecting findings."""
    family = _family(text)
    if family == "json":
        try:
            return family, Content(raw=raw, doc=parse_json(text))
        except json.JSONDecodeError as exc:
            stream = Content(raw=raw, lines=tuple(terminal_lines(text)))
            if _json_lines(text) and registry.find("text", stream):
                return "text", stream  # a stream a text loader reads (libtest's JSON events)
            return _Unparsed([_json_error(exc, text)])
        except JsonRefused as exc:
            return _Unparsed(exc.findings)
        except RecursionError:
            return _Unparsed(
                [
                    Finding(
                        Severity.ERROR, FindingCode.JSON_TOO_DEEP, "JSON nests too deeply to read"
                    )
                ]
            )
    if family == "xml":
        try:
            # A well-formed document is parsed once: its loader gets the tree as ``doc``.
            root = fromstring(raw, forbid_dtd=True)
            return family, Content(raw=raw, doc=root, root_tag=root.tag.rsplit("}", 1)[-1])
        except (ParseError, DefusedXmlException):
            pass  # the root tag alone may still be readable: its loader says what is wrong
        try:
            return family, Content(raw=raw, root_tag=xml_root_tag(raw))
        except (ParseError, DefusedXmlException) as exc:
            problem = Finding(
                Severity.ERROR, FindingCode.UNSAFE_OR_MALFORMED_XML, _xml_problem(exc)
            )
            return _Unparsed([problem])
    lines = tuple(terminal_lines(text))
    if "[" not in text or not _TOML_TABLE.search(text):  # the test of a character is cheap
        return "text", Content(raw=raw, lines=lines)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        claimed = _claimed_broken(text, exc, "toml", registry)
        return claimed or ("text", Content(raw=raw, lines=lines))
    except (ValueError, RecursionError):  # an integer too long, deep nesting
        return "text", Content(raw=raw, lines=lines)
    return "toml", Content(raw=raw, doc=doc, lines=lines)


def read_evidence(
    path: StrPath,
    rel: str,
    rehearsal: str,
    root: Path,
    registry: LoaderRegistry,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileOutcome:
    """Account for one file under ``root``: never raises for anything the file contains.

    A bug of the kit's own while reading it rejects this file with an ``internal-error`` finding
    naming the error, so the rest of the corpus is still read and reported.
    """
    try:
        return _read_evidence(path, rel, rehearsal, root, registry, max_bytes)
    except Exception as exc:  # noqa: BLE001 - contained to the one file, reported as a bug
        return _outcome(
            rel,
            rehearsal,
            FileStatus.REJECTED,
            FindingCode.INTERNAL_ERROR,
            f"cutover-kit failed while reading this file ({type(exc).__name__}: {exc});"
            " please report it as a cutover-kit bug",
        )


def _read_evidence(
    path: StrPath, rel: str, rehearsal: str, root: Path, registry: LoaderRegistry, max_bytes: int
) -> FileOutcome:
    try:
        with open_evidence(_check_link(path, root)) as handle:
            opened = _Stamp.of(handle)
            if opened.size == 0:
                raise FileRefused(FileStatus.REJECTED, FindingCode.EMPTY_FILE, "file is empty")
            if opened.size > max_bytes:
                return _read_large(handle, opened, rel, rehearsal, registry, max_bytes)
            # Asking for the size known at opening (plus one byte, to see growth): asking for
            # the limit made every read allocate the limit's worth of memory first.
            raw = handle.read(opened.size + 1)
            if len(raw) > opened.size:  # it grew: read on as far as the limit, it is refused
                raw += handle.read(max_bytes - opened.size)
            _check_unchanged(handle, opened, len(raw))
    except FileRefused as refused:
        return _outcome(rel, rehearsal, refused.status, refused.code, refused.message)
    except OSError as exc:
        return _outcome(
            rel,
            rehearsal,
            FileStatus.REJECTED,
            FindingCode.UNREADABLE,
            f"cannot read: {exc.strerror}",
        )
    return _read_whole(raw, rel, rehearsal, registry)


def _read_whole(raw: bytes, rel: str, rehearsal: str, registry: LoaderRegistry) -> FileOutcome:
    outcome = FileOutcome(
        rel,
        rehearsal,
        EvidenceKind.UNKNOWN,
        FileStatus.IGNORED,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
    )
    if b"\x00" in raw[:_BINARY_SNIFF]:
        outcome.findings.append(
            Finding(Severity.INFO, FindingCode.BINARY_FILE, "binary file; not evidence")
        )
        return outcome
    text, bad_line = decode_bytes(raw)
    if bad_line is not None:
        outcome.findings.append(
            Finding(
                Severity.WARNING,
                FindingCode.NON_UTF8,
                f"bytes that are not UTF-8 from line {bad_line} on were replaced with U+FFFD",
                f"line {bad_line}",
            )
        )
    if not text.strip():
        outcome.status = FileStatus.REJECTED
        outcome.findings.append(
            Finding(Severity.ERROR, FindingCode.EMPTY_FILE, "file holds only whitespace")
        )
        return outcome
    _classify(outcome, raw, text, registry)
    return outcome


def _too_large(size: int, max_bytes: int, why: str) -> FileRefused:
    return FileRefused(
        FileStatus.REJECTED,
        FindingCode.FILE_TOO_LARGE,
        f"file is {size} bytes, over the {max_bytes}-byte limit for JSON, XML and markdown"
        f" (--max-file-mb){why}; not read",
    )


def _read_large(
    handle: BinaryIO,
    opened: _Stamp,
    rel: str,
    rehearsal: str,
    registry: LoaderRegistry,
    max_bytes: int,
) -> FileOutcome:
    """Stream a file over the size limit if its head shows a transcript; refuse it otherwise."""
    head = handle.read(HEAD_BYTES)
    if b"\x00" in head[:_BINARY_SNIFF]:
        raise _too_large(opened.size, max_bytes, ", and it is binary")
    head_text, _ = decode_bytes(head)
    # The last line of the head may be cut anywhere: it is left out of the sniff.
    head_lines = tuple(terminal_lines(head_text)[:-1])
    handle.seek(0)
    text = TextStream(handle)
    content = Content(raw=b"", lines=head_lines, stream=text.lines())
    loader = registry.find("text", content)
    if loader is None:
        raise _too_large(opened.size, max_bytes, "; only transcripts are read beyond it")
    outcome = FileOutcome(rel, rehearsal, loader.kind, FileStatus.IGNORED)
    _load(outcome, loader, content)
    text.drain()
    _check_unchanged(handle, opened, text.size)
    outcome.sha256, outcome.size = text.sha256, text.size
    outcome.findings[:0] = text.findings()
    return outcome


def _sniff_json_lines(
    raw: bytes, text: str, registry: LoaderRegistry
) -> tuple[Family, Content] | _Unparsed:
    """JSON lines (one object per line) that a ``jsonl`` loader recognises, else normal sniffing."""
    if text.lstrip()[:1] == "{":
        content = Content(raw=raw)
        if registry.find("jsonl", content):
            return "jsonl", content
    return _sniff_content(raw, text, registry)


def _classify(outcome: FileOutcome, raw: bytes, text: str, registry: LoaderRegistry) -> None:
    family: Family
    sniffed = _sniff_json_lines(raw, text, registry)
    if isinstance(sniffed, _Unparsed):
        if sniffed.kind:
            outcome.status = FileStatus.REJECTED
            outcome.findings.extend(sniffed.findings)
            outcome.kind = sniffed.kind
            return
        # CI logs often open with `[command]` or `[12:00:01]`: not broken JSON but a transcript.
        as_text = Content(raw=raw, lines=tuple(terminal_lines(text)))
        if registry.find("text", as_text) is None:
            outcome.status = FileStatus.REJECTED
            outcome.findings.extend(sniffed.findings)
            return
        family, content = "text", as_text
    else:
        family, content = sniffed
    loader = registry.find(family, content)
    if loader is None and family == "toml":
        outcome.findings.extend(_near_misses(content, family, registry))
        family, loader = "text", registry.find("text", content)
    if loader is None:
        outcome.findings.append(
            Finding(
                Severity.INFO, FindingCode.UNRECOGNISED, _unrecognised(family, content, registry)
            )
        )
        return
    outcome.kind = loader.kind
    _load(outcome, loader, content)


def _load(outcome: FileOutcome, loader: Loader, content: Content) -> None:
    """Run the loader: its extract accepts the file, anything it raises rejects it."""
    try:
        extract = loader.load(content)
    except EvidenceRejected as exc:
        outcome.status = FileStatus.REJECTED
        outcome.findings.extend(exc.findings)
        return
    except Exception as exc:  # noqa: BLE001 - one hostile file must not stop the whole corpus
        outcome.status = FileStatus.REJECTED
        outcome.findings.append(
            Finding(
                Severity.ERROR,
                FindingCode.LOADER_FAILED,
                f"the {loader.kind} loader could not read this file ({type(exc).__name__}: "
                f"{exc}); please report it as a cutover-kit bug",
            )
        )
        return
    outcome.status = FileStatus.ACCEPTED
    outcome.extract = extract
    outcome.findings.extend(extract.findings)


def _unrecognised(family: Family, content: Content, registry: LoaderRegistry) -> str:
    if family == "json":
        keys = sorted(content.doc)[:6] if isinstance(content.doc, dict) else []
        shown = ", ".join(keys) if keys else type(content.doc).__name__
        return f"JSON of no known evidence kind (top-level: {shown})"
    if family == "xml":
        roots = sorted({root for loader in registry.loaders("xml") for root in loader.roots})
        expected = " or ".join(roots) if roots else "any XML evidence kind"
        return f"XML root <{content.root_tag}> is not {expected}"
    return "text is neither a markdown record, a command transcript nor a session manifest"
