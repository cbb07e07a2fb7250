"""``commands.jsonl``: one JSON line per command ``cutover-kit capture`` ran.

Each line is a fact recorded while the command ran (argv, times, exit code or signal, the pin's
sha256 around it, the transcript's sha256, the artifacts copied after it), so the gates prefer it
to anything parsed from free text. Recognised by content (the ``schema`` marker of a line), not
by name. Every line is validated on its own: a bad line is a finding naming the line, and the
other lines are still read.
"""

from __future__ import annotations

import json
import posixpath
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cutover_kit.errors import EvidenceRejected, JsonRefused
from cutover_kit.evidence.codes import CommandOutcome, EvidenceKind, FindingCode
from cutover_kit.evidence.command_schema import COMMAND_SCHEMA, command_passed, exit_status
from cutover_kit.evidence.json_text import parse_json
from cutover_kit.evidence.model import CommandResult, Extract, Finding, Severity
from cutover_kit.evidence.registry import Content, Loader
from cutover_kit.evidence.transcripts.names import normalise_command

if TYPE_CHECKING:
    from cutover_kit.evidence.reader import FileOutcome

_MARKER = f'"{COMMAND_SCHEMA}"'.encode()
_SHA256 = r"^[0-9a-f]{64}$"

StopReason = Literal["timeout", "interrupted"]
ArtifactStatus = Literal["copied", "missing", "refused"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CapturedArtifact(_Strict):
    """One evidence file looked for after a command: copied (with hash and mtime) or not."""

    source: str = Field(min_length=1)
    path: str = ""
    status: ArtifactStatus
    sha256: str | None = Field(default=None, pattern=_SHA256)
    size: int | None = Field(default=None, ge=0)
    mtime: str | None = None
    reason: str = ""


class CapturedCommand(_Strict):
    """One command run by ``cutover-kit capture``, as its JSON line states it."""

    schema_: Literal["cutover-kit/command.v1"] = Field(alias="schema")
    n: int = Field(ge=1)
    argv: list[str] = Field(min_length=1)
    cwd: str
    host: str
    started_at: str
    ended_at: str
    duration_s: float = Field(ge=0)
    exit_code: int | None
    signal: int | None = None
    stop_reason: StopReason | None = None
    error: str = ""
    timeout_s: float | None = None
    transcript: str
    transcript_sha256: str = Field(pattern=_SHA256)
    transcript_bytes: int = Field(ge=0)
    pin: str = ""
    pin_sha256_before: str | None = Field(default=None, pattern=_SHA256)
    pin_sha256_after: str | None = Field(default=None, pattern=_SHA256)
    artifacts: list[CapturedArtifact] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def command(self) -> str:
        """The command's name as gates compare it (``pnpm run X`` is script ``X``)."""
        return normalise_command(shlex.join(self.argv))

    @property
    def status_code(self) -> int:
        """The capture's own exit code: the command's, or 128 + the signal that ended it."""
        return exit_status(self.exit_code, self.signal)

    @property
    def passed(self) -> bool:
        return command_passed(self.exit_code, self.stop_reason)


@dataclass(frozen=True)
class CommandLog:
    """The valid lines of one ``commands.jsonl``, each with its 1-based line number."""

    entries: tuple[tuple[int, CapturedCommand], ...]


def looks_like_command_log(content: Content) -> bool:
    """JSON lines, one of which is an object carrying the capture schema marker.

    The cheap byte search rules out every other file; the line test keeps a pretty-printed JSON
    document that merely quotes the marker (on a line of its own) from being taken for a log.
    """
    if _MARKER not in content.raw:
        return False
    return any(
        line.lstrip().startswith(b"{") and _MARKER in line for line in content.raw.splitlines()
    )


def _line_findings(number: int, error: ValidationError) -> list[Finding]:
    findings = []
    for issue in error.errors(include_url=False):
        field = "/".join(str(part) for part in issue["loc"])
        found = repr(issue["input"])[:80] if issue["type"] != "missing" else "nothing"
        findings.append(
            Finding(
                Severity.WARNING,
                FindingCode.INVALID_COMMAND_LINE,
                f"line {number}: field /{field}: {issue['msg']} (found {found}); line not used",
                f"line {number}",
            )
        )
    return findings


def _parse_line(number: int, text: str) -> CapturedCommand | list[Finding]:
    try:
        doc: Any = parse_json(text)
    except (json.JSONDecodeError, JsonRefused, RecursionError) as exc:
        if isinstance(exc, JsonRefused):
            message = exc.findings[0].message
        else:
            message = getattr(exc, "msg", "nests too deeply")
        return [
            Finding(
                Severity.WARNING,
                FindingCode.MALFORMED_COMMAND_LINE,
                f"line {number} is not a JSON object ({message}); line not used",
                f"line {number}",
            )
        ]
    try:
        return CapturedCommand.model_validate(doc)
    except ValidationError as exc:
        return _line_findings(number, exc)


def load_command_log(content: Content) -> Extract:
    """Every valid line becomes a command; a bad line is a finding and the rest is still read."""
    text = content.raw.decode("utf-8", errors="replace")
    entries: list[tuple[int, CapturedCommand]] = []
    findings: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parsed = _parse_line(number, line)
        if isinstance(parsed, list):
            findings.extend(parsed)
        else:
            entries.append((number, parsed))
    if not entries:
        raise EvidenceRejected(
            [
                Finding(Severity.ERROR, f.code, f.message, f.pointer)
                for f in findings
                or [Finding(Severity.ERROR, FindingCode.EMPTY_FILE, "no command line")]
            ]
        )
    commands = [
        CommandResult(
            command=entry.command,
            result=CommandOutcome.PASS if entry.passed else CommandOutcome.FAIL,
            line=number,
            exit_code=entry.status_code,
            duration_s=entry.duration_s,
            source="capture",
        )
        for number, entry in entries
    ]
    return Extract(
        kind=EvidenceKind.COMMAND_LOG,
        document=CommandLog(tuple(entries)),
        detail=f"{len(entries)} captured command(s)",
        stated_at=entries[-1][1].ended_at,
        commands=commands,
        findings=findings,
    )


COMMAND_LOG_LOADER = Loader(
    EvidenceKind.COMMAND_LOG, "jsonl", looks_like_command_log, load_command_log
)

CAPTURED_COLUMNS = [
    "rehearsal_id",
    "path",
    "line",
    "command",
    "argv",
    "cwd",
    "host",
    "started_at",
    "ended_at",
    "duration_s",
    "exit_code",
    "signal",
    "stop_reason",
    "transcript",
    "transcript_sha256",
    "pin_sha256_before",
    "pin_sha256_after",
]


def captured_rows(rehearsal_id: str, path: str, log: CommandLog) -> list[dict[str, Any]]:
    """Rows of the ledger's ``captured_commands`` table: one per valid line."""
    return [
        {
            "rehearsal_id": rehearsal_id,
            "path": path,
            "line": number,
            "command": entry.command,
            "argv": shlex.join(entry.argv),
            "cwd": entry.cwd,
            "host": entry.host,
            "started_at": entry.started_at,
            "ended_at": entry.ended_at,
            "duration_s": entry.duration_s,
            "exit_code": entry.exit_code,
            "signal": entry.signal,
            "stop_reason": entry.stop_reason,
            "transcript": entry.transcript,
            "transcript_sha256": entry.transcript_sha256,
            "pin_sha256_before": entry.pin_sha256_before,
            "pin_sha256_after": entry.pin_sha256_after,
        }
        for number, entry in log.entries
    ]


def verify_captured_files(outcomes: list[FileOutcome]) -> None:
    """Flag captured transcripts changed or lost since the capture recorded their sha256.

    The line is a fact taken when the command ran; a transcript edited afterwards (a redaction,
    a paste over it) no longer proves what the command printed, so it carries a finding naming
    the line it contradicts, and a lost one is a finding on ``commands.jsonl``.
    """
    by_path = {outcome.path: outcome for outcome in outcomes}
    for outcome in outcomes:
        # The kind first: reading any other extract would unpack it from the cache for nothing.
        if outcome.kind != COMMAND_LOG_LOADER.kind:
            continue
        log = outcome.extract.document if outcome.extract else None
        if not isinstance(log, CommandLog):
            continue
        folder = posixpath.dirname(outcome.path)
        for number, entry in log.entries:
            path = posixpath.normpath(posixpath.join(folder, entry.transcript))
            transcript = by_path.get(path)
            if transcript is None:
                outcome.findings.append(
                    Finding(
                        Severity.WARNING,
                        FindingCode.CAPTURED_TRANSCRIPT_MISSING,
                        f"line {number}: transcript {entry.transcript} is not in the rehearsal",
                        f"line {number}",
                    )
                )
            elif transcript.sha256 != entry.transcript_sha256:
                transcript.findings.append(
                    Finding(
                        Severity.WARNING,
                        FindingCode.TRANSCRIPT_CHANGED_SINCE_CAPTURE,
                        f"sha256 {transcript.sha256 or '(unreadable)'} differs from "
                        f"{entry.transcript_sha256} recorded in {outcome.path} line {number}: "
                        "the file was changed after the capture",
                    )
                )
