"""Loaders for the JSON artifacts and the TOML session manifest.

Recognition looks at the keys a tool always writes (a version field where the format has one);
validation is the pydantic model's job, so a file of a known kind with a bad field is *rejected*
with the field's JSON pointer instead of being mistaken for another kind or silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cutover_kit.errors import EvidenceRejected
from cutover_kit.evidence import json_models as jm
from cutover_kit.evidence.codes import EvidenceKind, FindingCode
from cutover_kit.evidence.model import (
    CheckResult,
    Envelope,
    Extract,
    Finding,
    RecordedVerdict,
    RoleAssignment,
    Severity,
)
from cutover_kit.evidence.registry import Content, Loader
from cutover_kit.evidence.session_manifest import (
    SessionManifest,
    broken_manifest,
    manifest_lookalike,
)

Model = TypeVar("Model", bound=BaseModel)


def json_pointer(location: tuple[int | str, ...]) -> str:
    """RFC 6901 pointer for a pydantic error location."""
    parts = [str(part).replace("~", "~0").replace("/", "~1") for part in location]
    return "/" + "/".join(parts) if parts else ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def validation_findings(error: ValidationError) -> list[Finding]:
    """One finding per invalid field, naming the field by pointer and quoting what was found."""
    findings = []
    for issue in error.errors(include_url=False):
        pointer = json_pointer(tuple(issue["loc"]))
        if issue["type"] == "missing":
            code, message = FindingCode.MISSING_FIELD, f"required field {pointer} is missing"
        elif issue["type"] in {"literal_error", "enum"}:
            code = FindingCode.UNKNOWN_ENUM_VALUE
            message = f"field {pointer}: {issue['msg']} (found {_short(issue['input'])})"
        else:
            code = FindingCode.INVALID_FIELD
            message = f"field {pointer}: {issue['msg']} (found {_short(issue['input'])})"
        findings.append(Finding(Severity.ERROR, code, message, pointer))
    return findings


def validate(model: type[Model], doc: Any) -> Model:
    """Validate ``doc`` or reject the file with a finding per bad field."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise EvidenceRejected(validation_findings(exc)) from None


def _has(*keys: str) -> Callable[[Content], bool]:
    return lambda content: isinstance(content.doc, dict) and all(k in content.doc for k in keys)


def _has_any(*keys: str) -> Callable[[Content], bool]:
    return lambda content: isinstance(content.doc, dict) and any(k in content.doc for k in keys)


def _producer_key(doc: dict[str, Any], field: str) -> str:
    """The key a consumer tool names after the producer for ``field`` (``producer_pin`` ->
    the one key ending in ``_pin``, such as ``<producer>_pin``); ``field`` itself when there
    is no such key or more than one."""
    ending = "_" + field.rsplit("_", 1)[-1]
    named = [key for key in doc if isinstance(key, str) and key.endswith(ending)]
    return named[0] if len(named) == 1 else field


def _names_producer(*fields: str) -> Callable[[Content], bool]:
    """Recognises a document holding one of ``fields`` under the producer's name."""
    return lambda content: (
        isinstance(content.doc, dict)
        and any(_producer_key(content.doc, field) in content.doc for field in fields)
    )


def validate_named(model: type[Model], doc: dict[str, Any], field: str) -> Model:
    """Validate ``doc`` whose ``field`` the file names after the producer (``producer_pin`` is
    ``<producer>_pin``): the value is validated as ``field`` and the key kept in ``field_key``;
    findings point at the key as the file spells it."""
    key = _producer_key(doc, field)
    named = {**doc, f"{field}_key": key}
    if key in doc:
        named[field] = doc[key]
    try:
        return model.model_validate(named)
    except ValidationError as exc:
        findings = [
            replace(
                finding,
                message=finding.message.replace(f"/{field}", f"/{key}"),
                pointer=re.sub(rf"^/{field}(?=/|$)", f"/{key}", finding.pointer),
            )
            for finding in validation_findings(exc)
        ]
        raise EvidenceRejected(findings) from None


def _load_pin(content: Content) -> Extract:
    pin = validate_named(jm.IntegrationPin, content.doc, jm.PRODUCER_REPO)
    return Extract(kind=EvidenceKind.INTEGRATION_PIN, document=pin)


def _simple(kind: str, model: type[BaseModel], stamp_key: str = "") -> Callable[[Content], Extract]:
    def load(content: Content) -> Extract:
        document = validate(model, content.doc)
        stamp = str(content.doc.get(stamp_key, "")) if stamp_key else ""
        return Extract(kind=kind, document=document, stated_at=stamp)

    return load


def older_format(content: Content, key: str, implied: str, what: str) -> list[Finding]:
    """An info finding when ``key`` is absent: an earlier version of the tool wrote ``what``.

    A field a later version of a tool added is optional, with the value the earlier version
    implied; the file is read, never rejected for being older.
    """
    if key in content.doc:
        return []
    return [
        Finding(
            Severity.INFO,
            FindingCode.OLDER_FORMAT,
            f"no /{key}: {what} from before the field existed, read as {implied!r}",
            f"/{key}",
        )
    ]


def _load_handoff(content: Content) -> Extract:
    handoff = validate(jm.ProducerHandoff, content.doc)
    return Extract(
        kind=EvidenceKind.PRODUCER_HANDOFF,
        document=handoff,
        detail=handoff.handoff_mode,
        stated_at=handoff.handoff_generated_at_utc,
        findings=older_format(content, "handoff_mode", handoff.handoff_mode, "a producer handoff"),
    )


def _load_handoff_evidence(content: Content) -> Extract:
    evidence = validate(jm.HandoffEvidence, content.doc)
    findings = [
        Finding(
            Severity.ERROR,
            FindingCode.UNKNOWN_ENUM_VALUE,
            f"field /checks/{name}: {value!r} is not a check state the consumer script writes",
            f"/checks/{name}",
        )
        for name, value in evidence.invalid_check_values().items()
    ]
    if findings:
        raise EvidenceRejected(findings)
    checks = [
        CheckResult(name=name, value=value, pointer=f"/checks/{name}")
        for name, value in evidence.checks.items()
    ]
    checks.append(CheckResult(name="status", value=evidence.status, pointer="/status"))
    return Extract(
        kind=EvidenceKind.HANDOFF_EVIDENCE,
        document=evidence,
        detail=evidence.mode,
        stated_at=evidence.generated_at_utc,
        checks=checks,
        findings=older_format(
            content, "mode", evidence.mode, "handoff evidence of the consumer's first check"
        ),
    )


def _load_contract_evidence(content: Content) -> Extract:
    evidence = validate_named(jm.ContractEvidence, content.doc, jm.PRODUCER_PIN)
    return Extract(
        kind=EvidenceKind.CONTRACT_EVIDENCE,
        document=evidence,
        stated_at=evidence.generated_at,
        checks=[
            CheckResult(
                name="verification.status",
                value=evidence.verification.status,
                pointer="/verification/status",
            )
        ],
    )


def _envelope_items(doc: Any) -> list[tuple[str, Any]]:
    if isinstance(doc, list):
        return [(f"/{index}", item) for index, item in enumerate(doc)]
    return [("", doc)]


def _is_envelope_body(node: Any) -> bool:
    return isinstance(node, dict) and (
        isinstance(node.get("error"), dict) or "legacy_error" in node
    )


def _is_error_capture(node: Any) -> bool:
    """A captured non-2xx response, whatever its body: ``{"status": 500, "body": "..."}``."""
    status = node.get("status")
    return isinstance(status, int) and not isinstance(status, bool) and 300 <= status <= 599


def _is_envelope(node: Any) -> bool:
    if isinstance(node, dict) and "body" in node and "status" in node:
        return _is_envelope_body(node["body"]) or _is_error_capture(node)
    return _is_envelope_body(node)


def _matches_envelopes(content: Content) -> bool:
    items = _envelope_items(content.doc)
    return bool(items) and all(_is_envelope(item) for _, item in items)


def _load_envelopes(content: Content) -> Extract:
    envelopes, findings = [], []
    for pointer, item in _envelope_items(content.doc):
        status, body = None, item
        if "body" in item and "status" in item:
            body = item["body"]
            status = item["status"]
            if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        FindingCode.INVALID_FIELD,
                        f"field {pointer}/status: HTTP status must be an integer 100-599 "
                        f"(found {_short(status)})",
                        f"{pointer}/status",
                    )
                )
                continue
        raw = None if isinstance(body, dict) else (body if isinstance(body, str) else repr(body))
        envelopes.append(
            Envelope(
                pointer=pointer or "/",
                http_status=status,
                body=body if isinstance(body, dict) else {},
                raw_body=raw,
            )
        )
    if findings and not envelopes:
        raise EvidenceRejected(findings)
    return Extract(kind=EvidenceKind.ERROR_ENVELOPE, envelopes=envelopes, findings=findings)


def _load_session_manifest(content: Content) -> Extract:
    manifest = validate(SessionManifest, content.doc)
    verdicts = [
        RecordedVerdict(
            key=f"verdicts.{topic}",
            value=value,
            topic=topic,
            pointer=f"/verdicts/{topic}",
        )
        for topic, value in manifest.verdicts.model_dump().items()
        if value is not None
    ]
    roles = [
        RoleAssignment(role=role, raw_role=role, owner=owner, pointer=f"/roles/{role}")
        for role, owner in manifest.roles.items()
    ]
    return Extract(
        kind=EvidenceKind.SESSION_MANIFEST,
        document=manifest,
        detail=manifest.session.kind,
        stated_at=manifest.session.date.isoformat(),
        verdicts=verdicts,
        roles=roles,
    )


def _is_rehearsal_candidate(content: Content) -> bool:
    doc = content.doc
    return isinstance(doc, dict) and (
        "-rehearsal-handoff." in str(doc.get("payload_contract_version", ""))
        or ("rehearsal_candidate" in doc and "producer" in doc)
    )


JSON_LOADERS: tuple[Loader, ...] = (
    Loader(
        EvidenceKind.REHEARSAL_HANDOFF_CANDIDATE,
        "json",
        _is_rehearsal_candidate,
        _simple(
            EvidenceKind.REHEARSAL_HANDOFF_CANDIDATE,
            jm.RehearsalHandoffCandidate,
            "generated_at_utc",
        ),
    ),
    Loader(
        EvidenceKind.RELEASE_EVIDENCE_BUNDLE,
        "json",
        _has("evidence_bundle_version"),
        _simple(EvidenceKind.RELEASE_EVIDENCE_BUNDLE, jm.ReleaseEvidenceBundle, "generated_at_utc"),
    ),
    Loader(
        EvidenceKind.CONTRACT_SOURCE,
        "json",
        _has("service_contract_source_version"),
        _simple(EvidenceKind.CONTRACT_SOURCE, jm.ContractSource),
    ),
    Loader(
        EvidenceKind.PRODUCER_HANDOFF,
        "json",
        _has_any("handoff_mode", "handoff_generated_at_utc"),
        _load_handoff,
    ),
    Loader(
        EvidenceKind.PRODUCER_MANIFEST,
        "json",
        _has("manifest_contract_version"),
        _simple(EvidenceKind.PRODUCER_MANIFEST, jm.ProducerManifest),
    ),
    Loader(
        EvidenceKind.INTEGRATION_PIN,
        "json",
        lambda c: _has("expected_integration_baseline")(c) or _names_producer(jm.PRODUCER_REPO)(c),
        _load_pin,
    ),
    Loader(
        EvidenceKind.HANDOFF_EVIDENCE,
        "json",
        lambda c: _has("schema_version")(c) and _has_any("checks", "handoff_payload_path")(c),
        _load_handoff_evidence,
    ),
    Loader(
        EvidenceKind.CONTRACT_EVIDENCE,
        "json",
        lambda c: (
            _has("schema_version")(c)
            and (_has("verification")(c) or _names_producer(jm.PRODUCER_PIN)(c))
        ),
        _load_contract_evidence,
    ),
    Loader(EvidenceKind.ERROR_ENVELOPE, "json", _matches_envelopes, _load_envelopes),
)

TOML_LOADERS: tuple[Loader, ...] = (
    Loader(
        EvidenceKind.SESSION_MANIFEST,
        "toml",
        _has("session"),
        _load_session_manifest,
        broken=broken_manifest,
        near_miss=lambda content: manifest_lookalike(content.doc),
    ),
)
