"""The joint gate override of a rehearsal: ``session.toml [override]`` or a joint decision record.

The joint runtime cutover decision record is the bilateral artifact that authorises a cutover:
owned by both sides, it names the approved runtime target (release tag, commit sha, service and
api contract versions, integration baseline) under an approval section and states the runtime
cutover execution as ``GO``. Such a record is recognised by that content, never by its file name,
and counts as a joint gate override exactly when both sides are named as its owners or approvers
and the approved target is complete and is the policy's runtime target. A record of that form
that falls short is no override: it becomes a runtime reason saying what is missing, citing the
record's lines, so nobody mistakes it for an authorisation.

An explicit ``[override]`` in ``session.toml`` takes precedence over any record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from cutover_kit.evidence.codes import EvidenceKind
from cutover_kit.evidence.model import Extract, Fact
from cutover_kit.evidence.session_manifest import JointOverride
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Policy

# A section that holds what was approved: "Approved Runtime Cutover Window", "Joint Gate Override".
_APPROVAL_SECTION = re.compile(r"approv|override|authori[sz]", re.IGNORECASE)
# "Owner:", "Owners:", "<consumer name> approver:", "Approved by:", "Signed off by:".
_OWNERSHIP_KEY = re.compile(
    r"^(?:(?P<who>.*?)\s+)?(?:owners?|approvers?|approved by|signed[- ]off by)$", re.IGNORECASE
)
# Words that may qualify an owner line of the record itself ("Decision owner:", "Record owners:").
_RECORD_WORDS = {"", "decision", "record", "joint", "bilateral"}
_APPROVAL_DATE_KEY = re.compile(r"^(?:approved(?: on| at)?|approval date)$", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMBINED_SEPARATOR = re.compile(r"\s+/\s+")
# A runtime cutover recorded as done: a status, not a decision to go ahead.
RECORDED_COMPLETE = frozenset({"COMPLETE", "COMPLETED"})

TARGET_FIELDS = (
    "release_tag",
    "commit_sha",
    "service_contract_version",
    "api_contract_version",
    "integration_baseline",
)
# Written key (normalised) -> target field; ``service/api/baseline`` states three at once.
_FIELD_ALIASES = {
    "release_tag": "release_tag",
    "release": "release_tag",
    "tag": "release_tag",
    "commit_sha": "commit_sha",
    "commit": "commit_sha",
    "service_contract_version": "service_contract_version",
    "service_contract": "service_contract_version",
    "api_contract_version": "api_contract_version",
    "api_contract": "api_contract_version",
    "integration_baseline": "integration_baseline",
}
_COMBINED_KEY = "service_api_baseline"
_CONTRACT_FIELDS = TARGET_FIELDS[2:]


@dataclass(frozen=True)
class Shortfall:
    """A decision record that looks like an authorisation but is not one: what it lacks, citing
    the record's lines."""

    sentence: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class OverrideReading:
    """The override a rehearsal carries (if any), where it came from, and records that fell short.

    ``shortfalls`` are the decision records that look like an authorisation but are not one (the
    verdict stage turns each into a runtime cutover reason); empty when an override was found.
    """

    override: JointOverride | None
    source: str = ""
    from_record: bool = False
    shortfalls: list[Shortfall] = field(default_factory=list)


def read_override(view: RehearsalView, policy: Policy) -> OverrideReading:
    """The rehearsal's joint gate override: the session manifest's, else a decision record's."""
    manifest = view.manifest
    if manifest and manifest.override:
        return OverrideReading(manifest.override, f"{view.rehearsal.manifest_path} /override")
    shortfalls: list[Shortfall] = []
    for path, extract in view.extracts(EvidenceKind.RECORD):
        if not is_decision_record(extract):
            continue
        reading = _DecisionRecord(path, extract, policy, view.rehearsal.date).read()
        if reading.override is not None:
            return reading
        shortfalls += reading.shortfalls
    return OverrideReading(None, shortfalls=shortfalls)


def is_decision_record(extract: Extract) -> bool:
    """A record in the joint decision record's form: a target stated under an approval section."""
    return any(_approved_target_field(fact) for fact in extract.facts)


def _approved_target_field(fact: Fact) -> bool:
    if not _APPROVAL_SECTION.search(fact.section):
        return False
    key = _normalised(fact.key)
    return key in _FIELD_ALIASES or key == _COMBINED_KEY


def _normalised(key: str) -> str:
    return _NON_WORD.sub("_", key.casefold()).strip("_")


def _words(text: str) -> str:
    """Lower-case words separated by single spaces: ``"Memory-Kernel "`` -> ``"memory kernel"``."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


class _DecisionRecord:
    """One decision record judged as an override against the policy."""

    def __init__(self, path: str, extract: Extract, policy: Policy, fallback_date: str) -> None:
        self.path = path
        self.extract = extract
        self.policy = policy
        self.fallback_date = fallback_date
        self.problems: list[str] = []
        self.lines: list[int] = []

    def read(self) -> OverrideReading:
        go_line = self._runtime_go()
        approvers = {side: self._approver(side) for side in ("consumer", "producer")}
        target = self._target()
        approved_at = self._approved_at()
        override = None
        if not self.problems:
            try:
                override = JointOverride.model_validate(
                    {
                        "consumer_approver": approvers["consumer"],
                        "producer_approver": approvers["producer"],
                        "approved_at": approved_at,
                        "target": target,
                    }
                )
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(part) for part in first["loc"])
                self.problems.append(f"{where}: {first['msg']}")
        if override is not None:
            return OverrideReading(override, f"{self.path} line {go_line}", from_record=True)
        cited = sorted(set(self.lines))
        evidence = tuple(f"{self.path} line {n}" for n in cited) or (self.path,)
        sentence = f"decision record {self.path} is no joint gate override: " + "; ".join(
            self.problems
        )
        return OverrideReading(None, shortfalls=[Shortfall(sentence, evidence)])

    def _runtime_go(self) -> int:
        """The line of the record's runtime cutover GO (a COMPLETE status is not a decision)."""
        decisions = [
            v
            for v in self.extract.verdicts
            if v.topic == "runtime_cutover" and v.value not in RECORDED_COMPLETE
        ]
        for decision in decisions:
            if decision.value == "GO":
                self.lines.append(decision.line)
                return decision.line
        for decision in decisions:
            self.lines.append(decision.line)
            self.problems.append(f"it records '{decision.key}: {decision.value}', not GO")
        if not decisions:
            self.problems.append("it states no runtime cutover GO")
        return 0

    def _approver(self, side: str) -> str:
        """Who approves for one side: an approver line naming the side, else an owner line.

        A line that names the side but leaves it unassigned (``<producer name> approver: TBD``) is
        a problem even when another line names the side: the record contradicts itself.
        """
        name = self.policy.policy.consumer if side == "consumer" else self.policy.policy.producer
        side_words = {_words(name), side}
        approver, unassigned = "", False
        for fact in self.extract.facts:
            match = _OWNERSHIP_KEY.match(fact.key.strip())
            if match is None:
                continue
            who = _words(match["who"] or "")
            by_key = who in side_words
            if not by_key and not (
                set(who.split()) <= _RECORD_WORDS and _mentions(fact.value, name)
            ):
                continue  # a role's owner ("rollback owner"), not an owner of the record
            self.lines.append(fact.line)
            if self.policy.roles.is_unassigned(fact.value):
                unassigned = True
                self.problems.append(f"the {name} ({side}) approver is {fact.value!r}")
            elif by_key or not approver:
                approver = fact.value if by_key else name
        if not approver and not unassigned:
            self.problems.append(f"the {name} ({side}) side is not named as owner or approver")
        return "" if unassigned else approver

    def _target(self) -> dict[str, str]:
        """The approved target's fields; missing, malformed or off-policy ones are problems."""
        stated: dict[str, tuple[str, int]] = {}
        for fact in self.extract.facts:
            if not _approved_target_field(fact):
                continue
            key = _normalised(fact.key)
            if key == _COMBINED_KEY:
                values = _COMBINED_SEPARATOR.split(fact.value)
                if len(values) == len(_CONTRACT_FIELDS):
                    for name, value in zip(_CONTRACT_FIELDS, values, strict=True):
                        stated.setdefault(name, (value.strip(), fact.line))
                continue
            stated.setdefault(_FIELD_ALIASES[key], (fact.value, fact.line))
        self.lines += [line for _, line in stated.values()]
        absent = [name for name in TARGET_FIELDS if name not in stated]
        if absent:
            self.problems.append(f"the approved target lacks {', '.join(absent)}")
        if "commit_sha" in stated and not _SHA1.match(stated["commit_sha"][0]):
            self.problems.append(
                f"the approved commit_sha {stated['commit_sha'][0]!r} is not a full sha"
            )
        wanted = self.policy.runtime_target
        for name in _CONTRACT_FIELDS:
            if name in stated and stated[name][0] != getattr(wanted, name):
                self.problems.append(
                    f"the approved {name} is {stated[name][0]!r}, the policy's runtime target "
                    f"is {getattr(wanted, name)!r}"
                )
        return {name: value for name, (value, _) in stated.items()}

    def _approved_at(self) -> str:
        """The approval date: ``Approved on:``, else the record's date, else the session's."""
        for fact in self.extract.facts:
            if _APPROVAL_DATE_KEY.match(fact.key.strip()) and (
                found := _ISO_DATE.search(fact.value)
            ):
                return found.group()
        date = self.extract.stated_at[:10] or self.fallback_date
        if not date:
            self.problems.append("it is undated (no approval date, no Updated: line)")
        return date
