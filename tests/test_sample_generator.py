"""The sample corpus generator: deterministic, in sync with ``data/rehearsals``, valid evidence.

The committed corpus is the kit's demo and regression input, so these tests pin down that it is
exactly what the generator writes, that every file parses as the format it imitates, that the
hashes tying files together hold, and that each planted fault is really there.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import tomllib
from pathlib import Path

import pytest
from defusedxml import ElementTree

from cutover_kit.cli import main
from cutover_kit.evidence.cache import CACHE_FOLDER
from cutover_kit.evidence.session_manifest import SessionManifest
from cutover_kit.samples import suites
from cutover_kit.samples.generator import MARKER, generate_corpus
from cutover_kit.samples.history import HISTORY_LENGTH

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "rehearsals"
POLICY = REPO / "cutover_kit" / "policy" / "default.toml"
IDS = [f"r{n:02d}" for n in range(1, HISTORY_LENGTH + 1)]
# The last rehearsal is the runtime cutover carried out: the consumer already runs service.v3.
EXECUTED = IDS[-1]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and CACHE_FOLDER not in path.relative_to(root).parts
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "rehearsals"
    assert generate_corpus(out) == IDS
    return out


def _files(corpus: Path, suffix: str) -> list[Path]:
    return sorted(path for path in corpus.rglob(f"*{suffix}") if path.is_file())


def _json(path: Path) -> dict:
    return json.loads(path.read_bytes())


def test_generating_twice_gives_byte_identical_trees(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_corpus(again)
    assert _tree(again) == _tree(corpus)


def test_committed_corpus_equals_a_fresh_generation(corpus: Path) -> None:
    committed, fresh = _tree(COMMITTED), _tree(corpus)
    differing = sorted(
        path for path in committed.keys() | fresh.keys() if committed.get(path) != fresh.get(path)
    )
    assert not differing, (
        "data/rehearsals drifted from the generator; run "
        f"`python -m cutover_kit.samples.generator data/rehearsals`: {differing[:10]}"
    )


def test_every_session_manifest_validates(corpus: Path) -> None:
    manifests = _files(corpus, "session.toml")
    assert [path.parent.name for path in manifests] == IDS
    for path in manifests:
        manifest = SessionManifest.model_validate(tomllib.loads(path.read_text()))
        assert manifest.session.id == path.parent.name
        assert manifest.baseline is not None
        expected = "service.v3" if path.parent.name == EXECUTED else "service.v2"
        assert manifest.baseline.service_contract_version == expected


def test_every_json_and_xml_file_parses(corpus: Path) -> None:
    json_files, xml_files = _files(corpus, ".json"), _files(corpus, ".xml")
    assert len(json_files) >= len(IDS) * 10
    assert len(xml_files) == len(IDS)
    for path in json_files:
        assert isinstance(_json(path), dict), path
    for path in xml_files:
        root = ElementTree.fromstring(path.read_bytes())
        assert root.tag == "testsuites", path


def test_bundle_hashes_match_the_files_shipped(corpus: Path) -> None:
    for folder in (corpus / rid for rid in IDS):
        bundle = _json(folder / "producer" / "RELEASE_EVIDENCE_BUNDLE_LATEST.json")
        shipped = [a for a in bundle["artifacts"] if (folder / "producer" / a["path"]).is_file()]
        missing = [a for a in bundle["artifacts"] if a not in shipped]
        assert len(shipped) >= 2, folder.name
        assert missing, f"{folder.name}: the bundle should also list files not shipped"
        for artifact in shipped:
            data = (folder / "producer" / artifact["path"]).read_bytes()
            assert _sha256(data) == artifact["sha256"], (folder.name, artifact["path"])


def test_pin_manifest_hash_matches_the_mirror_bytes(corpus: Path) -> None:
    for folder in (corpus / rid for rid in IDS):
        pin = _json(folder / "config" / "memorykernel-integration-pin.json")
        mirror = (folder / "config" / "memorykernel-producer-manifest.json").read_bytes()
        if folder.name in {"r01", "r02"}:
            assert "expected_producer_manifest_sha256" not in pin
        else:
            assert pin["expected_producer_manifest_sha256"] == _sha256(mirror)
        expected = "service.v3" if folder.name == EXECUTED else "service.v2"
        assert pin["expected_service_contract_version"] == expected


def test_pin_captures_hash_the_unchanged_pin(corpus: Path) -> None:
    without = []
    for folder in (corpus / rid for rid in IDS):
        manifest = tomllib.loads((folder / "session.toml").read_text())
        pin = _sha256((folder / "config" / "memorykernel-integration-pin.json").read_bytes())
        captures = manifest.get("pin_captures", [])
        if not captures:
            without.append(folder.name)
        for capture in captures:
            assert capture["before_sha256"] == capture["after_sha256"] == pin
    assert without == ["r02", "r03"]


def test_scale_two_doubles_the_history_with_unique_ids(tmp_path: Path) -> None:
    ids = generate_corpus(tmp_path / "big", scale=2)
    assert len(ids) == len(set(ids)) == 2 * len(IDS)
    assert ids == sorted(ids)
    dates = [
        tomllib.loads((tmp_path / "big" / rid / "session.toml").read_text())["session"]["date"]
        for rid in ids
    ]
    assert dates == sorted(dates) and len(set(dates)) == 2 * len(IDS)


def test_fallback_cases_map_to_every_policy_scenario() -> None:
    scenarios = tomllib.loads(POLICY.read_text())["fallback"]["scenarios"]

    def scenario(name: str) -> str | None:
        return next(
            (s["id"] for s in scenarios if any(fnmatch.fnmatch(name, p) for p in s["patterns"])),
            None,
        )

    mapped = [scenario(name) for name in suites.FALLBACK.cases]
    assert scenario("preflight_reports_timeout_as_offline") == "timeout"
    for entry in scenarios:
        assert 2 <= mapped.count(entry["id"]) <= 3, entry["id"]
    others = [
        case
        for suite in (suites.ADAPTER, suites.CONTRACT, suites.PIN_SYNC, suites.PHASE3)
        for case in suite.cases
    ]
    assert all(scenario(name) is None for name in others)


def test_planted_faults_are_where_the_history_says(corpus: Path) -> None:
    junit = next((corpus / "r06" / "junit").iterdir()).read_text()
    assert junit.count("<failure ") == 1
    assert 'name="deterministic fallback &gt; preflight_reports_timeout_as_offline"' in junit
    dry_run = next((corpus / "r06" / "transcripts").glob("*cutover-dry-run*")).read_text()
    assert dry_run.count("ELIFECYCLE") == 2

    legacy_v3, plain_text = [], []
    for path in _files(corpus, ".json"):
        if "envelopes" in path.parts:
            body = _json(path).get("body", _json(path))
            if isinstance(body, str):
                plain_text.append(path.relative_to(corpus).parts[0])
            elif body["service_contract_version"] == "service.v3" and "legacy_error" in body:
                legacy_v3.append(path.relative_to(corpus).parts[0])
    assert legacy_v3 == ["r08"]
    assert plain_text == ["r08"]

    r09 = tomllib.loads((corpus / "r09" / "session.toml").read_text())
    assert r09["roles"]["producer_rollback_owner"] == "TBD"
    checkpoint = next((corpus / "r09" / "records").glob("JOINT_CHECKPOINT_STATUS_*")).read_text()
    assert "- MemoryKernel rollback owner role: TBD" in checkpoint

    governance = next((corpus / "r10" / "transcripts").glob("*governance*")).read_text()
    assert "MemoryKernel governance bundle validation failed:" in governance
    assert governance.rstrip().endswith(" ELIFECYCLE  Command failed with exit code 1.")

    manifests = {rid: tomllib.loads((corpus / rid / "session.toml").read_text()) for rid in IDS}
    with_override = [rid for rid, manifest in manifests.items() if "override" in manifest]
    assert with_override == ["r14"]


def test_the_executed_cutover_is_authorised_by_its_decision_record_alone(corpus: Path) -> None:
    folder = corpus / EXECUTED
    assert "override" not in tomllib.loads((folder / "session.toml").read_text())
    [record] = (folder / "records").glob("RUNTIME_CUTOVER_DECISION_RECORD_*")
    text = record.read_text()
    for form in (
        "Owner: AssistSupport + MemoryKernel",
        "## Approved Runtime Cutover Window",
        "2. Runtime cutover execution: **GO**",
        "## Runtime Cutover Completion Evidence",
        "- Operational posture: **GO**",
    ):
        assert form in text
    pin = _json(folder / "config" / "memorykernel-integration-pin.json")
    assert f"  - release_tag: `{pin['release_tag']}`" in text
    assert f"  - commit_sha: `{pin['commit_sha']}`" in text
    matrix = (folder / "docs" / "MEMORYKERNEL_COMPATIBILITY_MATRIX.md").read_text()
    assert f"- MemoryKernel release tag: `{pin['release_tag']}`" in matrix
    assert f"`{pin['expected_producer_manifest_sha256']}`" in matrix
    handoff = _json(
        folder / "producer" / "docs" / "implementation" / "PRODUCER_RELEASE_HANDOFF_LATEST.json"
    )
    assert handoff["handoff_mode"] == "stable"
    assert handoff["release_tag"] == pin["release_tag"]
    envelopes = [_json(p) for p in sorted((folder / "captures" / "envelopes").iterdir())]
    bodies = [e.get("body", e) for e in envelopes]
    assert {b["service_contract_version"] for b in bodies} == {"service.v3"}


def test_text_is_lf_only_and_corpus_stays_small(corpus: Path) -> None:
    tree = _tree(corpus)
    assert sum(len(data) for data in tree.values()) < 1_000_000
    assert not [path for path, data in tree.items() if b"\r\n" in data]
    redrawn = sorted(path for path, data in tree.items() if b"\r" in data)
    assert redrawn and all("/transcripts/" in path for path in redrawn)


def test_refuses_a_non_empty_folder_it_did_not_write(tmp_path: Path) -> None:
    precious = tmp_path / "evidence" / "keep.txt"
    precious.parent.mkdir()
    precious.write_text("real evidence")
    assert main(["sample-data", str(precious.parent)]) == 2
    assert precious.read_text() == "real evidence"
    (precious.parent / MARKER).write_text("not ours")
    assert main(["sample-data", str(precious.parent)]) == 2
    assert precious.exists()


def test_rewrites_its_own_output_and_drops_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "samples"
    assert main(["sample-data", str(out)]) == 0
    stale = out / "r99" / "stale.txt"
    stale.parent.mkdir()
    stale.write_text("left over")
    assert main(["sample-data", str(out), "--scale", "1"]) == 0
    assert not stale.parent.exists()
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == IDS
