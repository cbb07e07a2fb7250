"""ART-2 on the real evidence: a release bundle is required only where the policy says so."""

from __future__ import annotations

from pathlib import Path

from conftest import needs_real_world
from real_fixtures import BUNDLE, candidate_era

from cutover_kit.api import load_corpus
from cutover_kit.gates.model import GateResult
from cutover_kit.policy import load_policy

pytestmark = needs_real_world


def art2(folder: Path, policy: Path | None = None) -> GateResult:
    verdict = load_corpus(folder, policy).evaluate("latest")
    [found] = [g for g in verdict.gates if g.id == "ART-2"]
    return found


def test_a_dry_run_without_a_bundle_skips_art2_saying_why(tmp_path: Path) -> None:
    folder = candidate_era(tmp_path / "r-dry-run")
    assert not (folder / BUNDLE).exists()
    assert load_policy().policy.release_bundle.required_for_kinds == ["cutover"]

    result = art2(folder)

    assert result.status == "skipped"
    assert "no release evidence bundle" in result.detail
    assert "dry-run rehearsal needs none" in result.detail
    assert "release_bundle.required_for_kinds: cutover" in result.detail


def test_a_cutover_without_a_bundle_is_missing(tmp_path: Path) -> None:
    folder = candidate_era(tmp_path / "r-cutover")
    (folder / "session.toml").write_text(
        '[session]\nid = "r-cutover"\ndate = 2026-02-08\nkind = "cutover"\n'
    )
    result = art2(folder)
    assert result.status == "missing"
    assert "release evidence bundle" in result.detail


def test_a_policy_can_require_the_bundle_of_dry_runs(tmp_path: Path) -> None:
    folder = candidate_era(tmp_path / "r-strict")
    default = load_policy().raw.decode()
    strict = tmp_path / "strict.toml"
    strict.write_text(
        default.replace(
            'required_for_kinds = ["cutover"]', 'required_for_kinds = ["cutover", "dry-run"]'
        )
    )
    assert strict.read_text() != default
    assert art2(folder, strict).status == "missing"
