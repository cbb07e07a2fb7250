"""The JSON line ``capture`` appends to ``commands.jsonl`` for every command it ran.

Written from a plain named tuple so that capturing needs no validation library (nor even
``dataclasses``, whose import and code generation cost every capture ~10 ms) at start-up; the
ledger reads the same line back through the strict model in
:mod:`cutover_kit.evidence.command_log`, and the tests check every line written here against it.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from cutover_kit.evidence.command_schema import COMMAND_SCHEMA, command_passed, exit_status


class ArtifactRecord(NamedTuple):
    """One evidence file looked for after a command: copied (with hash and mtime) or not."""

    source: str
    status: str
    path: str = ""
    sha256: str | None = None
    size: int | None = None
    mtime: str | None = None
    reason: str = ""


class CommandRecord(NamedTuple):
    """One captured command: what ran, where, how it ended, and the hashes around it."""

    n: int
    argv: list[str]
    cwd: str
    host: str
    started_at: str
    ended_at: str
    duration_s: float
    exit_code: int | None
    signal: int | None
    stop_reason: str | None
    error: str
    timeout_s: float | None
    transcript: str
    transcript_sha256: str
    transcript_bytes: int
    pin: str
    pin_sha256_before: str | None
    pin_sha256_after: str | None
    artifacts: tuple[ArtifactRecord, ...]

    @property
    def status_code(self) -> int:
        """The capture's own exit code: the command's, or 128 + the signal that ended it."""
        return exit_status(self.exit_code, self.signal)

    @property
    def passed(self) -> bool:
        return command_passed(self.exit_code, self.stop_reason)

    def line_json(self) -> str:
        """The line (schema marker first, no trailing newline)."""
        fields = self._asdict() | {"artifacts": [item._asdict() for item in self.artifacts]}
        return json.dumps({"schema": COMMAND_SCHEMA, **fields}, ensure_ascii=False)
