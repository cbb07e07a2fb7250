"""The producer's verification transcript: cargo fmt, clippy, test and the verify scripts.

MemoryKernel runs these before publishing a handoff; the kit reads them as the producer half of
"both sides' suites were green". The crate version follows the release that was handed off.
"""

from __future__ import annotations

from cutover_kit.samples import catalog
from cutover_kit.samples.history import SERVICE_V2, Rehearsal, stable_int
from cutover_kit.samples.terminal import CARGO_GREEN, GREEN, Terminal

_UNIT_TESTS = (
    "api::envelope::tests::envelope_carries_service_contract_version",
    "api::errors::tests::context_package_not_found_maps_to_404",
    "api::errors::tests::internal_error_maps_to_500",
    "api::errors::tests::invalid_json_maps_to_400",
    "api::errors::tests::schema_unavailable_maps_to_503",
    "api::errors::tests::validation_error_maps_to_400",
    "api::errors::tests::write_conflict_maps_to_409",
)
_INTEGRATION_TESTS = [
    "error_code_enum_matches_manifest",
    "handoff_payload_matches_release",
    "health_and_ready_endpoints_respond",
]
_DEV_PROFILE = "`dev` profile [unoptimized + debuginfo] target(s)"
_TEST_PROFILE = "`test` profile [unoptimized + debuginfo] target(s)"


def _hex16(seed: str) -> str:
    return f"{stable_int(seed, 0, 2**64 - 1):016x}"


def _cargo(term: Terminal, verb: str, rest: str) -> str:
    """A cargo status line: right-aligned verb (green and bold in a TTY), then the message."""
    return f"{term.paint(f'{verb:>12}', CARGO_GREEN)} {rest}"


def _test_binary(term: Terminal, reh: Rehearsal, target: tuple[str, str, list[str]]) -> None:
    """One ``Running ...`` block of ``cargo test``: ``target`` is (source, binary, test names)."""
    source, binary, names = target
    deps = f"target/debug/deps/{binary}-{_hex16(reh.id + binary)}"
    term.print(_cargo(term, "Running", f"{source} ({deps})"), "", f"running {len(names)} tests")
    term.print(*(f"test {name} ... {term.paint('ok', GREEN)}" for name in names))
    seconds = stable_int(f"{reh.id}/{binary}/time", 1, 15) / 100
    term.print(
        "",
        f"test result: {term.paint('ok', GREEN)}. {len(names)} passed; 0 failed; 0 ignored; "
        f"0 measured; 0 filtered out; finished in {seconds:.2f}s",
        "",
    )


def transcript(reh: Rehearsal) -> bytes:
    """The producer's terminal for its required verification commands, all passing."""
    term = Terminal(reh.plan.ansi)
    release = reh.producer_release
    crate = f"memorykernel v{release.crate_version} ({catalog.PRODUCER_ROOT})"
    fmt, clippy, test, *scripts = catalog.producer_commands()
    term.prompt(fmt)
    term.prompt(clippy)
    checking = _cargo(term, "Checking", crate)
    if reh.plan.progress == "cargo":
        # cargo's progress bar is redrawn in place, then overwritten by the status line.
        bars = ("[=======>                 ] 61/187: tokio", "[=======================> ] 186/187")
        checking = "\r".join([*(f"    Building {bar}" for bar in bars), checking])
    build_s = stable_int(reh.id + "/clippy", 400, 900) / 100
    term.print(checking, _cargo(term, "Finished", f"{_DEV_PROFILE} in {build_s:.2f}s"))
    term.prompt(test)
    test_s = stable_int(reh.id + "/test", 900, 1800) / 100
    term.print(
        _cargo(term, "Compiling", crate),
        _cargo(term, "Finished", f"{_TEST_PROFILE} in {test_s:.2f}s"),
    )
    legacy = "keeps" if release.service == SERVICE_V2 else "omits"
    unit = sorted([*_UNIT_TESTS, f"api::envelope::tests::envelope_{legacy}_legacy_error"])
    _test_binary(term, reh, ("unittests src/lib.rs", "memorykernel", unit))
    _test_binary(term, reh, ("tests/service_contract.rs", "service_contract", _INTEGRATION_TESTS))
    outputs = (
        f"Service contract alignment verified: {release.service} / api.v1 / integration/v1 "
        f"({len(catalog.ERROR_CODES)} error codes).",
        f"Producer contract manifest verified for {release.tag}.",
        f"Producer handoff payload verified (release {release.tag}).",
    )
    for command, output in zip(scripts, outputs, strict=True):
        term.prompt(command)
        term.print(output)
    return term.render()
