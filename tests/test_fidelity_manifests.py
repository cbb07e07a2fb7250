"""Unusable manifests, duplicate ids and plain-text error responses beside the real evidence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import needs_real_world
from real_fixtures import copy_real_world

from cutover_kit.api import load_corpus
from cutover_kit.evidence.ledger import Ledger, load_ledger
from cutover_kit.evidence.model import FileStatus, Severity
from cutover_kit.evidence.reader import FileOutcome

pytestmark = needs_real_world

MANIFEST = '[session]\nid = "r-real"\ndate = 2026-02-08\nkind = "dry-run"\n'


def outcome(ledger: Ledger, path: str) -> FileOutcome:
    [found] = [o for o in ledger.outcomes if o.path == path]
    return found


def test_broken_toml_manifest_is_rejected_at_the_parser_position(tmp_path: Path) -> None:
    folder = copy_real_world(tmp_path / "r-real")
    # `kind = dry-run`: the value is not quoted, line 4 column 8.
    (folder / "session.toml").write_text(MANIFEST.replace('"dry-run"', "dry-run"))

    manifest = outcome(load_ledger(folder), "session.toml")

    assert (manifest.kind, manifest.status) == ("session-manifest", FileStatus.REJECTED)
    [finding] = manifest.findings
    assert finding.code == "malformed-session-manifest"
    assert finding.pointer == "line 4"
    assert "line 4, column 8" in finding.message


def test_manifest_keys_without_a_session_table_are_named(tmp_path: Path) -> None:
    folder = copy_real_world(tmp_path / "r-real")
    (folder / "session.toml").write_text(
        MANIFEST.replace("[session]\n", "")
        + '\n[roles]\nconsumer_incident_commander = "AssistSupport Runtime Integrations Owner"\n'
    )
    manifest = outcome(load_ledger(folder), "session.toml")
    assert manifest.status is FileStatus.IGNORED
    [warning] = [f for f in manifest.findings if f.severity is Severity.WARNING]
    assert warning.code == "manifest-without-session"
    assert "(date, id, kind, roles)" in warning.message
    assert "[session] with id and date" in warning.message


def test_a_table_first_lookalike_is_toml_not_broken_json(tmp_path: Path) -> None:
    folder = copy_real_world(tmp_path / "r-real")
    (folder / "session.toml").write_text('[verdicts]\nrehearsal_continuation = "GO"\n')
    manifest = outcome(load_ledger(folder), "session.toml")
    assert manifest.status is FileStatus.IGNORED
    assert [f.code for f in manifest.findings if f.severity is Severity.WARNING] == [
        "manifest-without-session"
    ]


def test_two_rehearsals_with_one_id_warn_naming_both_folders(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    first = copy_real_world(corpus / "dry-run-1")
    second = corpus / "dry-run-1-rerun"
    shutil.copytree(first, second)
    for folder in (first, second):
        (folder / "session.toml").write_text(MANIFEST)

    ledger = load_ledger(corpus)

    assert [r.folder for r in ledger.rehearsals] == ["dry-run-1"]
    [warning] = [
        f
        for f in outcome(ledger, "dry-run-1/session.toml").findings
        if f.code == "duplicate-rehearsal-id"
    ]
    assert warning.severity is Severity.WARNING
    assert "'dry-run-1' and 'dry-run-1-rerun'" in warning.message
    rejected = [o for o in ledger.outcomes if o.path.startswith("dry-run-1-rerun/")]
    assert f"rejects the {len(rejected)} file(s) of 'dry-run-1-rerun'" in warning.message


def test_a_plain_text_5xx_capture_breaks_the_envelope_contract(tmp_path: Path) -> None:
    folder = copy_real_world(tmp_path / "r-real")
    capture = folder / "captures" / "500-proxy.json"
    capture.parent.mkdir()
    capture.write_text(json.dumps({"status": 500, "body": "Internal Server Error"}))

    ledger = load_ledger(folder)
    captured = outcome(ledger, "captures/500-proxy.json")
    assert (captured.kind, captured.status) == ("error-envelope", FileStatus.ACCEPTED)

    verdict = load_corpus(folder).evaluate("latest")
    [stop1] = [g for g in verdict.gates if g.id == "STOP-1"]
    assert stop1.status == "fail"
    [ref] = stop1.evidence
    assert ref.path == "captures/500-proxy.json"
    assert "'Internal Server Error'" in ref.actual
    assert "error.code" in ref.actual and "service_contract_version" in ref.actual
    assert "STOP-1" in {r.gate for r in verdict.reasons}
