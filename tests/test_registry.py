"""The loader registry: new kinds plug in by registration, and a failing loader is contained."""

from __future__ import annotations

from pathlib import Path

import pytest

from cutover_kit.errors import CutoverKitError, DuplicateNameError, UnknownNameError
from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.model import Extract, FileStatus
from cutover_kit.evidence.registry import Content, Loader, LoaderRegistry
from cutover_kit.registry import Registry


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


def test_every_registry_names_itself_and_what_it_knows_on_an_unknown_name() -> None:
    from cutover_kit.evidence.transcripts.parser import TOOLS
    from cutover_kit.gates.checks import CHECKS

    for registry, what in (
        (default_registry(), "evidence kind"),
        (CHECKS, "check"),
        (TOOLS, "transcript tool"),
    ):
        with pytest.raises(UnknownNameError) as caught:
            registry.lookup("no-such-name")
        assert caught.value.registry == what
        assert str(caught.value).startswith(f"unknown {what} 'no-such-name' (known: ")
        known = registry.kinds() if isinstance(registry, LoaderRegistry) else registry.names()
        assert caught.value.known == sorted(known)
        assert isinstance(caught.value, CutoverKitError)


def test_a_registry_keeps_registration_order_and_refuses_a_second_entry() -> None:
    registry: Registry[int] = Registry("number", [("one", 1), ("two", 2)])
    registry.register("three", 3)
    assert (list(registry), registry.names()) == ([1, 2, 3], ["one", "two", "three"])
    assert registry.lookup("two") == 2 and "two" in registry and "four" not in registry
    with pytest.raises(DuplicateNameError, match="a number for 'two' is already registered"):
        registry.register("two", 22)
    assert registry.lookup("two") == 2


def test_loaders_are_tried_per_family_in_registration_order() -> None:
    registry = default_registry()
    assert registry.lookup("junit").roots == {"testsuite", "testsuites"}
    json_kinds = [loader.kind for loader in registry.loaders("json")]
    assert json_kinds.index("rehearsal-handoff-candidate") < json_kinds.index("error-envelope")
    assert {loader.family for loader in registry.loaders("toml")} == {"toml"}
