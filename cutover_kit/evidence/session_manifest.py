"""The optional ``session.toml``: what evidence files cannot say about a rehearsal.

Recognised by content (a TOML document with a ``[session]`` table), whatever its file name. It
carries the rehearsal's identity and date, the named roles, the verdicts people recorded, risks,
follow-ups, a joint gate override if any, and pin hashes captured around each command.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cutover_kit.evidence.codes import FindingCode
from cutover_kit.evidence.model import Finding, Severity

RehearsalKind = Literal["dry-run", "rollback-drill", "cutover"]
VerdictValue = Literal["GO", "NO-GO"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Baseline(_Strict):
    """A release the consumer pins: tag, commit and the three contract versions."""

    release_tag: str = Field(min_length=1)
    commit_sha: str = Field(pattern=r"^[0-9a-f]{40}$")
    service_contract_version: str
    api_contract_version: str
    integration_baseline: str


class SessionInfo(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    date: dt.date
    started_at: dt.datetime | None = None
    # Empty: the manifest names no service, and the rehearsal is the policy's service.
    service: str = ""
    kind: RehearsalKind = "dry-run"
    title: str = ""


class RecordedVerdicts(_Strict):
    rehearsal_continuation: VerdictValue | None = None
    runtime_cutover: VerdictValue | None = None


class Risk(_Strict):
    id: str
    description: str
    owner_role: str = ""


class FollowUp(_Strict):
    action: str
    owner_role: str
    due: dt.date


class JointOverride(_Strict):
    """An explicit joint gate override: both approvers and the runtime target they approved."""

    consumer_approver: str = Field(min_length=1)
    producer_approver: str = Field(min_length=1)
    approved_at: dt.date
    target: Baseline


class PinCapture(_Strict):
    """The integration pin's sha256 captured right before and right after one command ran."""

    command: str
    before_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    after_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class SessionManifest(_Strict):
    session: SessionInfo
    baseline: Baseline | None = None
    roles: dict[str, str] = Field(default_factory=dict)
    verdicts: RecordedVerdicts = RecordedVerdicts()
    risks: list[Risk] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    override: JointOverride | None = None
    pin_captures: list[PinCapture] = Field(default_factory=list)


# `[session]` (or a `[session.x]` sub-table) on a line of its own: the file means to be a manifest.
_SESSION_TABLE = re.compile(r"^\s*\[session(?:\.[^\]]*)?\]\s*(?:#.*)?$", re.MULTILINE)
# tomllib states where it stopped as "... (at line 4, column 8)".
_TOML_POSITION = re.compile(r"\(at line (?P<line>\d+), column (?P<column>\d+)\)")
EXPECTED_FORM = '[session] with id and date (id = "r06", date = 2026-01-27)'


def broken_manifest(text: str, error: ValueError) -> Finding | None:
    """The rejection of a session manifest that is not valid TOML, at the parser's position.

    ``None`` when the text shows no ``[session]`` table: then it was never meant as a manifest.
    """
    if not _SESSION_TABLE.search(text):
        return None
    position = _TOML_POSITION.search(str(error))
    reason = _TOML_POSITION.sub("", str(error)).strip()
    where = f"line {position['line']}, column {position['column']}" if position else ""
    return Finding(
        Severity.ERROR,
        FindingCode.MALFORMED_SESSION_MANIFEST,
        f"session manifest is not valid TOML: {reason}" + (f" ({where})" if where else ""),
        f"line {position['line']}" if position else "",
    )


def manifest_lookalike(doc: dict[str, Any]) -> Finding | None:
    """A warning for TOML that carries manifest keys but no ``[session]`` table, naming the keys
    the kit therefore ignored and the form it expects; ``None`` for any other TOML."""
    keys = set(SessionManifest.model_fields) | set(SessionInfo.model_fields)
    ignored = sorted(key for key in doc if key in keys)
    if not ignored or "session" in doc:
        return None
    return Finding(
        Severity.WARNING,
        FindingCode.MANIFEST_WITHOUT_SESSION,
        f"TOML with session-manifest keys ({', '.join(ignored)}) but no [session] table: "
        f"these keys were ignored; a session manifest starts with {EXPECTED_FORM}",
    )
