"""The loader registry: new kinds plug in by registration, and a failing loader is contained."""

from __future__ import annotations

from pathlib import Path

import pytest

from cutover_kit.errors import DuplicateNameError
from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.model import Extract, FileStatus
from cutover_kit.evidence.registry import Content, Loader


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "r1"
    folder.mkdir()
    (folder / "slo.json").write_text('{"slo_policy_version": "service-slo-policy.v1"}')
    (folder / "pin.json").write_text('{"memorykernel_repo": "x", "release_tag": "v1"}')
    return folder


def _is_slo(content: Content) -> bool:
    return isinstance(content.doc, dict) and "slo_policy_version" in content.doc


def test_a_registered_kind_is_recognised_by_content(tmp_path: Path) -> None:
    registry = default_registry()
    registry.register(
        Loader("slo-policy", "json", _is_slo, lambda c: Extract("slo-policy", detail="v1"))
    )
    ledger = load_ledger(_folder(tmp_path), registry=registry)
    slo = next(o for o in ledger.outcomes if o.path == "slo.json")
    assert (slo.kind, slo.status) == ("slo-policy", FileStatus.ACCEPTED)
    assert "slo-policy" in registry.kinds()


def test_without_the_loader_the_file_is_ignored_with_its_keys(tmp_path: Path) -> None:
    ledger = load_ledger(_folder(tmp_path))
    slo = next(o for o in ledger.outcomes if o.path == "slo.json")
    assert slo.status is FileStatus.IGNORED
    assert "slo_policy_version" in slo.findings[0].message


def test_a_loader_that_raises_rejects_only_its_file(tmp_path: Path) -> None:
    def explode(content: Content) -> Extract:
        raise RuntimeError("unexpected shape")

    registry = default_registry()
    registry.register(Loader("slo-policy", "json", _is_slo, explode))
    ledger = load_ledger(_folder(tmp_path), registry=registry)
    slo = next(o for o in ledger.outcomes if o.path == "slo.json")
    assert slo.status is FileStatus.REJECTED
    assert slo.findings[-1].code == "loader-failed"
    assert "RuntimeError: unexpected shape" in slo.findings[-1].message
    pin = next(o for o in ledger.outcomes if o.path == "pin.json")
    assert pin.kind == "integration-pin"  # read (and rejected for its own missing fields)


def test_a_kind_registers_once() -> None:
    registry = default_registry()
    with pytest.raises(DuplicateNameError, match="integration-pin"):
        registry.register(Loader("integration-pin", "json", _is_slo, lambda c: Extract("x")))
