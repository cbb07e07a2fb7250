"""One ``cutover-kit capture``: hash the pin, run the command, copy the evidence, record a line.

Numbering and the transcript's file are reserved under an exclusive lock on the transcripts
folder, so two captures into one rehearsal at the same time never take the same number; the
JSON line is appended with a single ``O_APPEND`` write once the command is over.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from cutover_kit.capture.artifacts import (
    COMMAND_LOG,
    TRANSCRIPTS,
    ArtifactSpec,
    artifact_specs,
    copy_artifact,
    pin_sha256,
)
from cutover_kit.capture.record import CommandRecord
from cutover_kit.capture.run import (
    DEFAULT_GRACE_S,
    RunOutcome,
    interrupts_deferred,
    run_command,
)
from cutover_kit.capture.settings import CaptureSettings
from cutover_kit.errors import CaptureError

# `007-pnpm-run-x.log`, not a dated name people gave a pasted transcript (`2026-03-04-x.log`).
_NUMBERED = re.compile(r"^(\d{3,})-(?!\d\d-\d\d)")
_SLUG_LENGTH = 60


class CaptureRequest(NamedTuple):
    """What to run, where, and what to keep of it."""

    rehearsal: Path
    argv: Sequence[str]
    repo: Path
    settings: CaptureSettings
    artifacts: tuple[str, ...] = ()
    timeout_s: float | None = None
    grace_s: float = DEFAULT_GRACE_S
    terminal_fd: int | None = 1


def slug(argv: Sequence[str]) -> str:
    """A file-name-safe summary of the command (``pnpm-run-test-contract``)."""
    text = re.sub(r"[^a-z0-9]+", "-", " ".join(argv).lower()).strip("-")
    return text[:_SLUG_LENGTH].rstrip("-") or "command"


def _stamp(outcome: RunOutcome, which: str) -> str:
    moment = outcome.started_at if which == "start" else outcome.ended_at
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _recorded_numbers(rehearsal: Path) -> list[int]:
    numbers = []
    log = rehearsal / COMMAND_LOG
    if log.is_file():
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                numbers.append(int(json.loads(line).get("n")))
    folder = rehearsal / TRANSCRIPTS
    numbers += [int(m[1]) for p in folder.iterdir() if (m := _NUMBERED.match(p.name))]
    return numbers


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def reserve_transcript(rehearsal: Path, argv: Sequence[str]) -> tuple[int, Path]:
    """The next command number and its empty transcript ``transcripts/<nnn>-<slug>.log``.

    Numbers are zero-padded so that path order (the order the ledger reads files in) is the
    order the commands ran in.
    """
    folder = rehearsal / TRANSCRIPTS
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        number = max(_recorded_numbers(rehearsal), default=0) + 1
        while True:
            path = folder / f"{number:03d}-{slug(argv)}.log"
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            except FileExistsError:
                number += 1
                continue
            return number, path


def append_line(rehearsal: Path, line: str) -> int:
    """Append one JSON line to ``commands.jsonl``; returns its 1-based line number."""
    path = rehearsal / COMMAND_LOG
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        existing = os.pread(fd, size, 0) if size else b""
        prefix = b"\n" if existing and not existing.endswith(b"\n") else b""
        os.write(fd, prefix + line.encode("utf-8") + b"\n")
        return len((existing + prefix).splitlines()) + 1
    finally:
        os.close(fd)


def _check_folders(request: CaptureRequest) -> None:
    if not request.repo.is_dir():
        raise CaptureError(f"repo {request.repo} does not exist or is not a folder")
    if not request.rehearsal.parent.is_dir():
        raise CaptureError(f"data folder {request.rehearsal.parent} does not exist")
    if request.rehearsal.exists() and not request.rehearsal.is_dir():
        raise CaptureError(f"rehearsal {request.rehearsal} is not a folder")
    if not request.argv:
        raise CaptureError("no command to capture (put it after --)")


def capture(request: CaptureRequest) -> tuple[CommandRecord, int]:
    """Run and record one command; returns its JSON line's model and line number."""
    _check_folders(request)
    repo = request.repo.absolute()
    specs = artifact_specs(repo, request.artifacts, request.settings.evidence)
    request.rehearsal.mkdir(exist_ok=True)
    number, transcript = reserve_transcript(request.rehearsal, request.argv)
    pin_before = pin_sha256(repo, request.settings.pin)
    outcome = run_command(
        request.argv,
        repo,
        transcript,
        request.terminal_fd,
        request.timeout_s,
        request.grace_s,
    )
    with interrupts_deferred():
        return _record(request, repo, number, transcript, pin_before, outcome, specs)


def _record(
    request: CaptureRequest,
    repo: Path,
    number: int,
    transcript: Path,
    pin_before: str | None,
    outcome: RunOutcome,
    specs: list[ArtifactSpec],
) -> tuple[CommandRecord, int]:
    """After the command: hash the pin, copy the evidence, append the line."""
    pin_after = pin_sha256(repo, request.settings.pin)
    artifacts = tuple(copy_artifact(spec, repo, request.rehearsal) for spec in specs)
    record = CommandRecord(
        n=number,
        argv=list(request.argv),
        cwd=str(repo),
        host=os.uname().nodename,  # gethostname(), without importing socket
        started_at=_stamp(outcome, "start"),
        ended_at=_stamp(outcome, "end"),
        duration_s=outcome.duration_s,
        exit_code=outcome.exit_code,
        signal=outcome.signal,
        stop_reason=outcome.stop_reason,
        error=outcome.error,
        timeout_s=request.timeout_s,
        transcript=transcript.relative_to(request.rehearsal).as_posix(),
        transcript_sha256=outcome.transcript_sha256,
        transcript_bytes=outcome.transcript_bytes,
        pin=request.settings.pin,
        pin_sha256_before=pin_before,
        pin_sha256_after=pin_after,
        artifacts=artifacts,
    )
    return record, append_line(request.rehearsal, record.line_json())
