"""The sample rehearsal history: which rehearsal happened when, on which releases, and what broke.

Every other sample module renders files from a :class:`Rehearsal`, so the story of the corpus
(repins, the first candidate handoff, the planted faults, the final override) lives in one table
here and the renderers never decide anything on their own. Everything is derived from the table
and the rehearsal's position, never from the clock or an unseeded random source, so the corpus is
byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

HISTORY_START = dt.date(2026, 1, 5)
# Rehearsals alternate 4 and 5 days apart.
_GAPS = (4, 5)
# The earliest runtime cutover date the producer announces, counted from the history's start.
CUTOVER_NOT_BEFORE_DAYS = 60
_START_TIMES = (dt.time(14, 0), dt.time(15, 30), dt.time(13, 0), dt.time(16, 0))

SERVICE_V2 = "service.v2"
SERVICE_V3 = "service.v3"
API_V1 = "api.v1"
INTEGRATION_V1 = "integration/v1"
MEMORYKERNEL_REPO = "https://github.com/saagar210/MemoryKernel"

ROLE_TITLES: dict[str, str] = {
    "consumer_incident_commander": "Support Platform On-Call Lead",
    "producer_incident_commander": "MemoryKernel Service On-Call Lead",
    "consumer_rollback_owner": "AssistSupport Release Engineer",
    "producer_rollback_owner": "MemoryKernel Release Captain",
    "joint_decision_log_owner": "Integration Program Manager",
}
UNASSIGNED = "TBD"


def stable_int(seed: str, low: int, high: int) -> int:
    """A number in ``[low, high]`` that depends only on ``seed``: durations, ports, jitter."""
    digest = hashlib.sha256(seed.encode()).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low + 1)


def fake_sha1(label: str) -> str:
    """A 40-hex commit id derived from ``label``, so a tag always maps to the same commit."""
    return hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Release:
    """A MemoryKernel release: tag, the service contract it speaks, and its commit."""

    tag: str
    service: str

    @property
    def commit_sha(self) -> str:
        return fake_sha1(f"MemoryKernel@{self.tag}")

    @property
    def crate_version(self) -> str:
        return self.tag.removeprefix("v")


V030 = Release("v0.3.0", SERVICE_V2)
V031 = Release("v0.3.1", SERVICE_V2)
V032 = Release("v0.3.2", SERVICE_V2)
ROLLBACK_TARGET = V031
OVERRIDE_TARGET = Release("v0.4.0", SERVICE_V3)


class Fault(StrEnum):
    """The single problem planted in a rehearsal (``NONE`` for a green one)."""

    NONE = "none"
    FALLBACK_REGRESSION = "fallback-regression"
    ENVELOPE_LEGACY_ERROR = "envelope-legacy-error"
    ROLLBACK_OWNER_TBD = "rollback-owner-tbd"
    GOVERNANCE_FAILED = "governance-failed"


Kind = Literal["dry-run", "rollback-drill", "cutover"]
Drill = Literal["none", "short", "full"]
Verdict = Literal["GO", "NO-GO"]
# Which transcript shows a TTY progress line redrawn with ``\r``.
Progress = Literal["none", "vitest", "cargo"]


@dataclass(frozen=True)
class Plan:
    """One row of the history: everything that differs between rehearsals."""

    kind: Kind
    pin: Release
    candidate: Release | None
    fault: Fault = Fault.NONE
    continuation: Verdict = "GO"
    cutover: Verdict = "NO-GO"
    drill: Drill = "short"
    pin_has_manifest_hash: bool = True
    pin_captures: bool = True
    producer_record: bool = False
    ansi: bool = False
    progress: Progress = "none"
    template_section: bool = False
    runtime_capture: bool = False
    # Formats as the earliest tool versions wrote them: a handoff without `handoff_mode`, an
    # evidence file without `mode` (the consumer's first check, b80ca7f).
    older_formats: bool = False
    # The default handoff check also runs (in phase 3) and writes the evidence file last: the
    # candidate payload carries the pinned release and is validated in pinned-baseline mode.
    pinned_handoff_check: bool = False
    # test:ci runs check:memorykernel-governance before its vitest step.
    nested_governance: bool = False
    # The consumer's src-tauri tests also leave a libtest JSON report.
    libtest_report: bool = False
    # A proxy answered one request with a plain-text 500 instead of an error envelope.
    proxy_capture: bool = False
    # False: the joint gate override is only in the decision record, not in session.toml.
    override_in_session: bool = True


def _rc(n: int) -> Release:
    return Release(f"v0.4.0-rc.{n}", SERVICE_V3)


_PLANS: tuple[Plan, ...] = (
    Plan("dry-run", V030, None, drill="none", pin_has_manifest_hash=False, older_formats=True),
    Plan(
        "dry-run",
        V031,
        None,
        drill="none",
        pin_has_manifest_hash=False,
        pin_captures=False,
        ansi=True,
        template_section=True,
    ),
    Plan("dry-run", V032, None, drill="none", pin_captures=False, producer_record=True),
    Plan("dry-run", V032, _rc(1), drill="none", progress="cargo"),
    Plan("rollback-drill", V032, _rc(1), drill="full", runtime_capture=True),
    Plan(
        "dry-run",
        V032,
        _rc(2),
        Fault.FALLBACK_REGRESSION,
        "NO-GO",
        ansi=True,
        nested_governance=True,
    ),
    Plan("dry-run", V032, _rc(2), pinned_handoff_check=True),
    Plan("dry-run", V032, _rc(3), Fault.ENVELOPE_LEGACY_ERROR, "GO", proxy_capture=True),
    Plan("dry-run", V032, _rc(3), Fault.ROLLBACK_OWNER_TBD, "NO-GO", ansi=True),
    Plan("dry-run", V032, _rc(3), Fault.GOVERNANCE_FAILED, "NO-GO"),
    Plan("dry-run", V032, _rc(4), producer_record=True, runtime_capture=True),
    Plan("dry-run", V032, _rc(4), ansi=True, progress="vitest", libtest_report=True),
    Plan("rollback-drill", V032, _rc(4), drill="full"),
    Plan("cutover", V032, OVERRIDE_TARGET, cutover="GO"),
)
# The runtime cutover carried out: always the last rehearsal of the history, after every dry
# run. The consumer runs on the approved target, and the joint decision record alone authorises
# it (no [override] in session.toml).
EXECUTED_CUTOVER = Plan(
    "cutover", OVERRIDE_TARGET, None, cutover="GO", drill="full", override_in_session=False
)
_HISTORY = (*_PLANS, EXECUTED_CUTOVER)
HISTORY_LENGTH = len(_HISTORY)
# One copy of the history: every rehearsal and the gap after the last one.
CYCLE_DAYS = sum(_GAPS[index % len(_GAPS)] for index in range(HISTORY_LENGTH))


@dataclass(frozen=True)
class Rehearsal:
    """One rehearsal of the generated corpus: its identity, date and plan."""

    id: str
    number: int
    position: int
    date: dt.date
    started_at: dt.datetime
    plan: Plan
    cycle_start: dt.date
    # A rehearsal of a fleet corpus: its CI run also has the fleet's card suite (see
    # :func:`.suites.ci_suites`), about 100 test cases a rehearsal as a real consumer has.
    fleet: bool = False

    @property
    def stable(self) -> bool:
        """Stable-mode handoff (before the first service.v3 candidate)."""
        return self.plan.candidate is None

    @property
    def producer_release(self) -> Release:
        """The release the producer handed off: the candidate, else the pinned release."""
        return self.plan.candidate or self.plan.pin

    @property
    def cutover_executed(self) -> bool:
        """The consumer already runs on the runtime target: the cutover has been carried out."""
        return self.plan.pin.service == OVERRIDE_TARGET.service

    @property
    def rollback_target(self) -> Release:
        """Where a rollback goes: the last service.v2 release once the cutover is carried out."""
        return V032 if self.cutover_executed else ROLLBACK_TARGET

    @property
    def has_override(self) -> bool:
        """A runtime cutover GO is only ever recorded together with a joint gate override."""
        return self.plan.cutover == "GO"

    def at(self, minutes: int, seconds: int = 0, millis: int = 0) -> dt.datetime:
        """A moment of the session, ``minutes`` after it started."""
        return self.started_at + dt.timedelta(minutes=minutes, seconds=seconds, milliseconds=millis)

    def day(self, offset: int) -> dt.date:
        return self.date + dt.timedelta(days=offset)

    @property
    def cutover_not_before(self) -> dt.date:
        """The earliest runtime cutover date the producer announces: after the dry runs."""
        return self.cycle_start + dt.timedelta(days=CUTOVER_NOT_BEFORE_DAYS)

    def roles(self) -> dict[str, str]:
        """Role holders as people named them; the planted fault leaves one role unassigned."""
        roles = dict(ROLE_TITLES)
        if self.plan.fault is Fault.ROLLBACK_OWNER_TBD:
            roles["producer_rollback_owner"] = UNASSIGNED
        return roles

    def window_ids(self, size: int) -> list[str]:
        """Ids of the last ``size`` rehearsals up to this one (the readiness window)."""
        first = max(1, self.number - size + 1)
        width = len(self.id) - 1
        return [f"r{n:0{width}d}" for n in range(first, self.number + 1)]


def history(scale: int = 1) -> list[Rehearsal]:
    """``scale`` consecutive copies of the history, ids ``r01``... in date order."""
    if scale < 1:
        raise ValueError(f"scale must be at least 1, got {scale}")
    width = max(2, len(str(HISTORY_LENGTH * scale)))
    rehearsals = []
    for copy in range(scale):
        cycle_start = HISTORY_START + dt.timedelta(days=CYCLE_DAYS * copy)
        date = cycle_start
        for position, plan in enumerate(_HISTORY, start=1):
            number = copy * HISTORY_LENGTH + position
            start = _START_TIMES[(position - 1) % len(_START_TIMES)]
            rehearsals.append(
                Rehearsal(
                    id=f"r{number:0{width}d}",
                    number=number,
                    position=position,
                    date=date,
                    started_at=dt.datetime.combine(date, start, tzinfo=dt.UTC),
                    plan=plan,
                    cycle_start=cycle_start,
                )
            )
            date += dt.timedelta(days=_GAPS[(position - 1) % len(_GAPS)])
    return rehearsals
