"""`&&` chains of the consumer's real pnpm scripts: output after a script belongs to the next step.

The transcripts are what pnpm prints for the consumer's published scripts (bodies read from
``package-scripts.<sha>.json``): a header per ``pnpm run`` step, the body line, the tool's own
output, one ELIFECYCLE line per failing level.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CONSUMER_SCRIPTS, needs_real_world
from real_fixtures import copy_real_world

from cutover_kit.api import load_corpus
from cutover_kit.evidence.model import CommandResult
from cutover_kit.evidence.text import terminal_lines
from cutover_kit.evidence.transcripts import parse_transcript

pytestmark = needs_real_world

ROOT = "/Users/d/Projects/AssistSupport"
VITEST_STEP = (
    "vitest run src/hooks/useInitialize.test.ts src/hooks/useMemoryKernelEnrichment.test.ts"
)
CARGO_STEP = "(cd src-tauri && cargo test memory_kernel -- --nocapture)"
GENERATE_STEP = "node scripts/generate_memorykernel_contract_evidence.mjs"

FIXTURES = Path(__file__).parent / "fixtures" / "chains"
# vitest 3 and cargo output for the contract suite's two runner steps, as the tools print it.
VITEST_FAILS = (FIXTURES / "vitest_hooks_fail.txt").read_text()
VITEST_PASSES = (FIXTURES / "vitest_hooks_pass.txt").read_text()
CARGO_PASSES = (FIXTURES / "cargo_memory_kernel_pass.txt").read_text()


def scripts(commit: str) -> dict[str, str]:
    return json.loads((CONSUMER_SCRIPTS / f"package-scripts.{commit}.json").read_text())


def header(script: str, body: str) -> str:
    return f"\n> assistsupport@0.9.0 {script} {ROOT}\n> {body}\n\n"


def phase3_dry_run(commit: str, runner_output: str, failing_levels: int) -> str:
    """`pnpm run test:memorykernel-phase3-dry-run` as pnpm prints it with ``commit``'s scripts."""
    body = scripts(commit)
    text = "$ pnpm run test:memorykernel-phase3-dry-run\n"
    text += header("test:memorykernel-phase3-dry-run", body["test:memorykernel-phase3-dry-run"])
    text += header("check:memorykernel-handoff", body["check:memorykernel-handoff"])
    text += "MemoryKernel handoff payload validation passed.\n"
    text += f"Wrote MemoryKernel handoff evidence: {ROOT}/artifacts/handoff-evidence.json\n"
    text += header("test:memorykernel-contract", body["test:memorykernel-contract"])
    text += header("check:memorykernel-pin", body["check:memorykernel-pin"])
    text += "MemoryKernel pin + compatibility matrix + producer manifest validation passed.\n"
    text += header("check:memorykernel-governance", body["check:memorykernel-governance"])
    text += "MemoryKernel governance bundle validation passed.\n\n"
    text += runner_output
    text += "\n ELIFECYCLE  Command failed with exit code 1.\n" * failing_levels
    return text


def commands(text: str) -> dict[str, CommandResult]:
    extract = parse_transcript(terminal_lines(text))
    return {c.command: c for c in extract.commands}


def test_a_failing_vitest_step_after_governance_is_the_step_that_failed() -> None:
    assert VITEST_STEP in scripts("fe69488")["test:memorykernel-contract"]
    found = commands(phase3_dry_run("fe69488", VITEST_FAILS, failing_levels=2))

    assert found["check:memorykernel-governance"].result == "pass"
    assert found["check:memorykernel-pin"].result == "pass"
    step = found[VITEST_STEP]
    assert (step.result, step.parent) == ("fail", "test:memorykernel-contract")
    assert found["test:memorykernel-contract"].result == "fail"
    assert found["test:memorykernel-phase3-dry-run"].result == "fail"
    for never in (CARGO_STEP, GENERATE_STEP):
        assert (found[never].result, found[never].parent) == (
            "not run",
            "test:memorykernel-contract",
        )


def test_passing_steps_after_the_last_script_are_steps_of_the_parent() -> None:
    found = commands(phase3_dry_run("fe69488", VITEST_PASSES + "\n" + CARGO_PASSES, 0))
    assert {c.result for c in found.values()} == {"pass"}
    assert found[VITEST_STEP].parent == "test:memorykernel-contract"
    assert found[CARGO_STEP].parent == "test:memorykernel-contract"
    assert found["check:memorykernel-governance"].result == "pass"


def test_later_checks_of_1b33163_are_not_blamed_either() -> None:
    body = scripts("1b33163")["test:memorykernel-contract"]
    text = phase3_dry_run("1b33163", "", 0).replace("\n\n \n", "\n")
    for script in ("check:memorykernel-boundary", "check:memorykernel-cutover-policy"):
        assert f"pnpm run {script}" in body
        text += header(script, scripts("1b33163")[script]) + f"{script} passed.\n"
    text += "\n" + VITEST_FAILS + "\n ELIFECYCLE  Command failed with exit code 1.\n" * 2
    found = commands(text)
    assert found["check:memorykernel-cutover-policy"].result == "pass"
    assert found[VITEST_STEP].result == "fail"


def test_cmd_gates_name_the_failing_step(tmp_path: Path) -> None:
    folder = copy_real_world(tmp_path / "r-vitest-fails")
    (folder / "phase3-dry-run.txt").write_text(phase3_dry_run("fe69488", VITEST_FAILS, 2))
    verdict = load_corpus(folder).evaluate("latest")
    gates = {g.id: g for g in verdict.gates}

    assert gates["CMD-2"].status == "pass", gates["CMD-2"].detail
    cmd3 = gates["CMD-3"]
    assert cmd3.status == "fail"
    assert f"at step `{VITEST_STEP}`" in cmd3.detail
    assert any(ref.note == VITEST_STEP and ref.actual == "fail" for ref in cmd3.evidence)


def test_a_required_check_that_never_started_is_missing(tmp_path: Path) -> None:
    body = scripts("fe69488")
    text = "$ pnpm run test:memorykernel-phase3-dry-run\n"
    text += header("test:memorykernel-phase3-dry-run", body["test:memorykernel-phase3-dry-run"])
    text += header("check:memorykernel-handoff", body["check:memorykernel-handoff"])
    text += "MemoryKernel handoff payload validation passed.\n"
    text += header("test:memorykernel-contract", body["test:memorykernel-contract"])
    text += header("check:memorykernel-pin", body["check:memorykernel-pin"])
    text += (
        "MemoryKernel pin validation failed: release_tag mismatch; expected=v0.4.0, got=v0.3.2\n"
    )
    text += " ELIFECYCLE  Command failed with exit code 1.\n" * 3
    found = commands(text)
    assert found["check:memorykernel-governance"].result == "not run"
    assert found[VITEST_STEP].result == "not run"

    folder = copy_real_world(tmp_path / "r-pin-fails")
    (folder / "phase3-dry-run.txt").write_text(text)
    gates = {g.id: g for g in load_corpus(folder).evaluate("latest").gates}
    assert gates["CMD-2"].status == "missing"
    assert "never started" in gates["CMD-2"].detail
    assert "`check:memorykernel-pin`" in gates["CMD-3"].detail
