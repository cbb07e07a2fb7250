"""Command transcripts: nested commands, exit codes, test cases, handoff checks and findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from cutover_kit.evidence.model import CommandResult, Extract, Severity
from cutover_kit.evidence.text import decode_bytes, terminal_lines
from cutover_kit.evidence.transcripts import (
    looks_like_transcript,
    normalise_command,
    parse_transcript,
)

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"
REAL_WORLD = Path(__file__).resolve().parents[1].parent / "shared" / "real-world"


def fixture_lines(name: str) -> list[str]:
    text, bad_line = decode_bytes((FIXTURES / name).read_bytes())
    assert bad_line is None
    return terminal_lines(text)


def parse_text(text: str) -> Extract:
    return parse_transcript(terminal_lines(text))


def line_of(lines: list[str], needle: str, start: int = 0) -> int:
    """1-based number of the first line (from ``start``) containing ``needle``."""
    return next(n for n, line in enumerate(lines, 1) if n > start and needle in line)


def by_command(extract: Extract) -> dict[str, CommandResult]:
    return {command.command: command for command in extract.commands}


def codes(extract: Extract) -> list[str]:
    return [finding.code for finding in extract.findings]


def test_consumer_dry_run_commands_nest_under_the_prompt_command() -> None:
    lines = fixture_lines("consumer_dry_run_pass.txt")
    extract = parse_transcript(lines)
    assert extract.kind == "transcript"
    assert extract.detail == "pnpm,node,vitest"
    assert [(c.command, c.result, c.parent) for c in extract.commands] == [
        ("test:memorykernel-cutover-dry-run", "pass", ""),
        (
            "check:memorykernel-handoff:service-v3-candidate",
            "pass",
            "test:memorykernel-cutover-dry-run",
        ),
        ("check:memorykernel-pin", "pass", "test:memorykernel-cutover-dry-run"),
        ("test:memorykernel-contract", "pass", "test:memorykernel-cutover-dry-run"),
        ("test:ci", "pass", "test:memorykernel-cutover-dry-run"),
        ("check:memorykernel-governance", "pass", ""),
        ("test:memorykernel-phase3-dry-run", "pass", ""),
    ]
    commands = by_command(extract)
    # The `$ pnpm run X` prompt and pnpm's `> pkg@ver X` header are one command, at the prompt.
    assert commands["test:memorykernel-cutover-dry-run"].line == 1
    assert commands["check:memorykernel-pin"].line == line_of(
        lines, "> assistsupport@0.1.0 check:memorykernel-pin"
    )
    assert commands["test:memorykernel-contract"].duration_s == pytest.approx(1.23)
    assert commands["test:ci"].duration_s == pytest.approx(2.5)
    assert all(c.exit_code is None and c.source == "transcript" for c in extract.commands)


def test_consumer_dry_run_test_cases_and_handoff_check() -> None:
    lines = fixture_lines("consumer_dry_run_pass.txt")
    extract = parse_transcript(lines)
    timeout = next(c for c in extract.test_cases if c.name.endswith("timeout_as_offline"))
    assert timeout.suite == "src/lib/memorykernel/adapter.test.ts"
    assert timeout.name == "memorykernel adapter > preflight_reports_timeout_as_offline"
    assert (timeout.status, timeout.framework) == ("passed", "vitest")
    assert timeout.duration_s == pytest.approx(0.012)
    assert timeout.pointer == f"line {line_of(lines, 'preflight_reports_timeout_as_offline')}"
    assert [c.status for c in extract.test_cases] == ["passed"] * 4 + ["skipped"]
    [check] = extract.checks
    assert (check.name, check.value) == ("handoff-validation", "pass")
    assert check.pointer == f"line {line_of(lines, 'validation passed')}"
    # test:ci ran the default reporter: the summary counts cases the transcript does not list.
    [mismatch] = extract.findings
    assert (mismatch.severity, mismatch.code) == (Severity.INFO, "summary-count-mismatch")
    assert mismatch.pointer == f"line {line_of(lines, 'Tests  11 passed')}"


def test_nested_failure_fails_child_and_parent_and_stops_siblings() -> None:
    lines = fixture_lines("consumer_nested_failure.txt")
    extract = parse_transcript(lines)
    commands = by_command(extract)
    child = commands["test:memorykernel-contract"]
    parent = commands["test:memorykernel-cutover-dry-run"]
    assert (child.result, child.exit_code, child.parent) == ("fail", 1, parent.command)
    assert (parent.result, parent.exit_code, parent.parent) == ("fail", 1, "")
    assert commands["check:memorykernel-pin"].result == "pass"
    assert commands["test:ci"].result == "not run"  # `&&` stopped the chain before it
    assert child.duration_s == pytest.approx(5.62)
    [case] = extract.test_cases
    assert case.suite == "src/lib/memorykernel/adapter.test.ts"
    assert case.name == "memorykernel adapter > preflight_reports_timeout_as_offline"
    assert (case.status, case.framework) == ("failed", "vitest")
    assert case.message == "expected 'ready' to be 'offline' // Object.is equality"
    assert case.pointer == f"line {line_of(lines, '× memorykernel adapter')}"
    assert "transcript-inconsistent" not in codes(extract)


GOVERNANCE_FAILS_AFTER_CHILDREN = """$ pnpm run check:memorykernel-governance

> assistsupport@0.9.0 check:memorykernel-governance /work/assistsupport
> pnpm run check:memorykernel-pin && pnpm run check:memorykernel-boundary && node scripts/gov.mjs


> assistsupport@0.9.0 check:memorykernel-pin /work/assistsupport
> node scripts/pin.mjs

pin in sync

> assistsupport@0.9.0 check:memorykernel-boundary /work/assistsupport
> node scripts/boundary.mjs

boundary intact
governance bundle is missing a required file
 ELIFECYCLE  Command failed with exit code 1.
"""


def test_one_elifecycle_fails_only_the_outermost_script() -> None:
    """Both children passed; the parent's own last step failed, so pnpm printed one line."""
    extract = parse_text(GOVERNANCE_FAILS_AFTER_CHILDREN)
    commands = by_command(extract)
    parent = commands["check:memorykernel-governance"]
    assert (parent.result, parent.exit_code) == ("fail", 1)
    assert commands["check:memorykernel-pin"].result == "pass"
    assert commands["check:memorykernel-boundary"].result == "pass"
    assert commands["check:memorykernel-boundary"].exit_code is None


def test_cargo_failure_and_other_producer_commands() -> None:
    lines = fixture_lines("producer_cargo_failure.txt")
    extract = parse_transcript(lines)
    assert extract.detail == "cargo"
    commands = by_command(extract)
    assert commands["cargo fmt --all -- --check"].result == "pass"
    clippy = commands["cargo clippy --workspace --all-targets --all-features -- -D warnings"]
    assert clippy.result == "pass"
    cargo_test = commands["cargo test --workspace --all-targets --all-features"]
    assert (cargo_test.result, cargo_test.exit_code) == ("fail", None)
    assert cargo_test.duration_s == pytest.approx(0.04)
    script = commands[
        "./scripts/verify_service_contract_alignment.sh --memorykernel-root /home/ci/MemoryKernel"
    ]
    assert (script.result, script.exit_code) == ("pass", 0)
    assert [(c.suite, c.name, c.status) for c in extract.test_cases] == [
        ("memorykernel_core", "store::tests::write_conflict_maps_to_409", "passed"),
        ("memorykernel_core", "store::tests::slow_reindex", "skipped"),
        ("memorykernel_core", "store::tests::schema_unavailable_maps_to_503", "failed"),
    ]
    failed = extract.test_cases[2]
    assert failed.message == "assertion `left == right` failed"
    assert failed.pointer == f"line {line_of(lines, 'schema_unavailable_maps_to_503 ... FAILED')}"
    assert extract.findings == []


def test_cargo_suites_come_from_running_lines_and_durations_add_up() -> None:
    extract = parse_transcript(fixture_lines("producer_cargo_pass.txt"))
    [command] = extract.commands
    assert (command.result, command.duration_s) == ("pass", pytest.approx(0.28))
    assert [(c.suite, c.name) for c in extract.test_cases] == [
        ("memorykernel_core", "store::tests::write_conflict_maps_to_409"),
        ("memorykernel_core", "store::tests::schema_unavailable_maps_to_503"),
        ("http_api", "envelope_omits_legacy_error"),
        ("memorykernel_core", "crates/core/src/lib.rs - open (line 12)"),
    ]
    assert {c.framework for c in extract.test_cases} == {"cargo"}
    assert extract.findings == []


def test_truncated_transcript_leaves_the_command_unknown() -> None:
    lines = fixture_lines("consumer_truncated.txt")
    extract = parse_transcript(lines)
    [command] = extract.commands
    assert (command.command, command.result) == ("test:memorykernel-contract", "unknown")
    [finding] = extract.findings
    assert (finding.severity, finding.code) == (Severity.WARNING, "transcript-truncated")
    assert finding.pointer == f"line {line_of(lines, 'RUN  v1.6.0')}"
    assert f"ends at line {len(lines)}" in finding.message
    assert len(extract.test_cases) == 2


def test_handoff_validation_failure_fails_its_command() -> None:
    lines = fixture_lines("consumer_handoff_failure.txt")
    extract = parse_transcript(lines)
    [command] = extract.commands
    assert (command.command, command.result, command.exit_code) == (
        "check:memorykernel-handoff:service-v3-candidate",
        "fail",
        1,
    )
    [check] = extract.checks
    assert check.name == "handoff-validation"
    assert check.value == (
        "fail: non_2xx_envelope_policy.service_v3_candidate.forbids must include legacy_error"
    )
    assert check.pointer == f"line {line_of(lines, 'validation failed')}"


def test_handoff_failure_without_pnpm_fails_the_node_command() -> None:
    extract = parse_text(
        "$ node scripts/validate-memorykernel-handoff.mjs\n"
        "MemoryKernel handoff payload validation failed: release_tag does not match the pin\n"
    )
    [command] = extract.commands
    assert (command.command, command.result) == (
        "node scripts/validate-memorykernel-handoff.mjs",
        "fail",
    )
    assert extract.checks[0].value == "fail: release_tag does not match the pin"
    assert extract.detail == "node"


def test_pytest_verbose_cases_messages_and_exit() -> None:
    lines = fixture_lines("pytest_verbose.txt")
    extract = parse_transcript(lines)
    [command] = extract.commands
    assert (command.result, command.exit_code) == ("fail", 1)
    assert command.duration_s == pytest.approx(0.12)
    assert [(c.suite, c.name, c.status) for c in extract.test_cases] == [
        ("tests/test_pin.py", "test_pin_matches_manifest", "passed"),
        ("tests/test_pin.py", "test_pin_is_service_v2", "failed"),
        ("tests/test_pin.py", "TestEnvelope::test_forbids_legacy_error", "passed"),
        ("tests/test_pin.py", "test_slow_path", "skipped"),
    ]
    failed = extract.test_cases[1]
    assert failed.message == "AssertionError: assert 'service.v3' == 'service.v2'"
    assert failed.pointer == f"line {line_of(lines, 'test_pin_is_service_v2 FAILED')}"
    assert extract.detail == "pytest"
    assert extract.findings == []


def test_failed_cases_without_elifecycle_are_inconsistent() -> None:
    lines = fixture_lines("consumer_inconsistent.txt")
    extract = parse_transcript(lines)
    # No prompt: the first header is a top-level command; `lint` is not called by test:ci.
    assert [(c.command, c.result, c.parent) for c in extract.commands] == [
        ("test:ci", "fail", ""),
        ("lint", "pass", ""),
    ]
    [finding] = extract.findings
    assert (finding.severity, finding.code) == (Severity.WARNING, "transcript-inconsistent")
    assert finding.pointer == f"line {line_of(lines, '× src/lib')}"


def test_ansi_colours_and_progress_redraws_parse_like_clean_output() -> None:
    clean = (FIXTURES / "consumer_nested_failure.txt").read_text(encoding="utf-8")
    coloured = (
        clean.replace(" ELIFECYCLE ", "\x1b[41m\x1b[30m ELIFECYCLE \x1b[39m\x1b[49m")
        .replace(" ✓ ", " \x1b[32m✓\x1b[39m ")
        .replace("   × ", "   \x1b[31m×\x1b[39m ")
        .replace(" RUN ", "\x1b[1m\x1b[46m RUN \x1b[49m\x1b[22m")
        .replace(
            "\n ❯ src/lib/memorykernel/adapter.test.ts (3",
            "\n ❯ src/lib/memorykernel/adapter.test.ts 0/3"
            "\r ❯ src/lib/memorykernel/adapter.test.ts 2/3"
            "\r ❯ src/lib/memorykernel/adapter.test.ts (3",
        )
        .replace("\n", "\r\n")
    )
    assert "\x1b[" in coloured
    assert parse_text(coloured) == parse_text(clean)


def test_non_utf8_bytes_keep_line_numbers() -> None:
    raw = (FIXTURES / "consumer_handoff_failure.txt").read_bytes()
    raw = raw.replace(b"scripts/validate", b"scripts/\xff\xfevalidate", 1)
    text, bad_line = decode_bytes(raw)
    assert bad_line == 4
    lines = terminal_lines(text)
    extract = parse_transcript(lines)
    assert extract.commands[0].result == "fail"
    assert extract.checks[0].pointer == f"line {line_of(lines, 'validation failed')}"


def test_vitest_verbose_tree_reporter() -> None:
    extract = parse_text(
        "$ pnpm test:memorykernel-contract\n"
        "\n"
        "> assistsupport@0.1.0 test:memorykernel-contract /home/ci/AssistSupport\n"
        "> vitest run --reporter verbose\n"
        "\n"
        " RUN  v1.6.0 /home/ci/AssistSupport\n"
        "\n"
        " ❯ src/lib/memorykernel/adapter.test.ts (3) 5021ms\n"
        "   ❯ memorykernel adapter (3) 5021ms\n"
        "     ✓ preflight_reports_offline_when_service_down\n"
        "     × preflight_reports_timeout_as_offline 5004ms\n"
        "     ↓ preflight_reports_version_mismatch [skipped]\n"
        "\n"
        " Test Files  1 failed (1)\n"
        "      Tests  1 failed | 1 passed | 1 skipped (3)\n"
        "   Duration  5.40s\n"
        " ELIFECYCLE  Test failed. See above for more details.\n"
    )
    assert [(c.suite, c.name, c.status) for c in extract.test_cases] == [
        (
            "src/lib/memorykernel/adapter.test.ts",
            "memorykernel adapter > preflight_reports_offline_when_service_down",
            "passed",
        ),
        (
            "src/lib/memorykernel/adapter.test.ts",
            "memorykernel adapter > preflight_reports_timeout_as_offline",
            "failed",
        ),
        (
            "src/lib/memorykernel/adapter.test.ts",
            "memorykernel adapter > preflight_reports_version_mismatch",
            "skipped",
        ),
    ]
    [command] = extract.commands
    assert (command.command, command.result, command.exit_code) == (
        "test:memorykernel-contract",
        "fail",
        None,
    )
    assert command.duration_s == pytest.approx(5.4)
    assert extract.findings == []


def test_checkmark_lines_outside_vitest_are_not_test_cases() -> None:
    extract = parse_text(
        "$ node scripts/check-pin.mjs\n✓ pin matches (v0.4.0)\n✓ manifest hash ok\n"
    )
    assert extract.test_cases == []
    assert extract.commands[0].result == "pass"


@pytest.mark.parametrize(
    ("output", "needle"),
    [
        ("Diff in /home/ci/MemoryKernel/crates/core/src/lib.rs at line 12:\n", "Diff in"),
        ("Diff in /home/ci/MemoryKernel/crates/core/src/lib.rs:12:\n", "Diff in"),
    ],
)
def test_cargo_fmt_check_diff_fails(output: str, needle: str) -> None:
    text = f"$ cargo fmt --all -- --check\n{output}$ cargo build\n"
    extract = parse_text(text)
    fmt, build = extract.commands
    assert (fmt.result, build.result) == ("fail", "pass")


def test_clippy_errors_fail_and_warnings_do_not() -> None:
    extract = parse_text(
        "$ cargo clippy --workspace -- -D warnings\n"
        "    Checking memorykernel-core v0.4.0\n"
        "error: this `if` has identical blocks\n"
        "  --> crates/core/src/store.rs:88:9\n"
        "error: could not compile `memorykernel-core` (lib) due to 1 previous error\n"
        "$ cargo clippy -p memorykernel-service\n"
        "warning: unused variable: `x`\n"
        "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.40s\n"
    )
    assert [c.result for c in extract.commands] == ["fail", "pass"]


def test_error_lines_fail_only_cargo_commands() -> None:
    extract = parse_text("$ node scripts/report.mjs\nerror: nothing to report\nreport written\n")
    assert extract.commands[0].result == "pass"


@pytest.mark.parametrize("exit_line", ["[exit 1]", "exit code: 1", "Process exited with code 1"])
def test_shell_reported_exit_codes(exit_line: str) -> None:
    extract = parse_text(
        f"$ ./scripts/verify_producer_handoff_payload.sh\nchecking...\n{exit_line}\n"
    )
    [command] = extract.commands
    assert (command.result, command.exit_code) == ("fail", 1)


def test_zero_exit_with_failure_output_is_inconsistent() -> None:
    extract = parse_text(
        "$ cargo test\nrunning 1 test\ntest a::b ... FAILED\n\n"
        "test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; "
        "finished in 0.01s\n\n[exit 0]\n"
    )
    assert extract.commands[0].result == "fail"
    assert codes(extract) == ["transcript-inconsistent"]


def test_missing_pnpm_script_fails_without_a_header() -> None:
    extract = parse_text(
        "$ pnpm run test:memorykernel-phase4\n"
        " ERR_PNPM_NO_SCRIPT  Missing script: test:memorykernel-phase4\n"
    )
    [command] = extract.commands
    assert (command.command, command.result) == ("test:memorykernel-phase4", "fail")
    assert extract.findings == []


def test_prompt_merges_with_confirming_header_even_with_arguments() -> None:
    extract = parse_text(
        "$ pnpm test:ci --silent\n"
        "\n"
        "> assistsupport@0.1.0 test:ci /home/ci/AssistSupport\n"
        "> vitest run --silent\n"
        "\n"
        "Done in 3.2s\n"
    )
    [command] = extract.commands
    assert (command.command, command.line, command.duration_s) == ("test:ci", 1, 3.2)


def test_summary_counts_that_disagree_are_reported() -> None:
    extract = parse_text(
        "$ cargo test -q\nrunning 3 tests\n...\n"
        "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; "
        "finished in 0.00s\n"
    )
    assert extract.commands[0].result == "pass"
    [finding] = extract.findings
    assert (finding.severity, finding.code, finding.pointer) == (
        Severity.INFO,
        "summary-count-mismatch",
        "line 4",
    )
    assert "3 passed" in finding.message


def test_runner_cut_off_by_the_next_prompt_is_unknown() -> None:
    extract = parse_text(
        "$ cargo test\nrunning 2 tests\ntest a::b ... ok\n$ cargo build\n   Compiling x v0.1.0\n"
    )
    assert [c.result for c in extract.commands] == ["unknown", "pass"]
    assert [(f.code, f.pointer) for f in extract.findings] == [("transcript-truncated", "line 2")]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("pnpm run check:memorykernel-pin", "check:memorykernel-pin"),
        ("pnpm check:memorykernel-pin", "check:memorykernel-pin"),
        ("pnpm --silent run test:ci -- --reporter verbose", "test:ci"),
        ("pnpm vitest run src", "pnpm vitest run src"),
        ("pnpm install", "pnpm install"),
        (
            "cargo test --workspace --all-targets --all-features",
            "cargo test --workspace --all-targets --all-features",
        ),
        ("check:memorykernel-governance", "check:memorykernel-governance"),
    ],
)
def test_normalise_command(command: str, expected: str) -> None:
    assert normalise_command(command) == expected


@pytest.mark.parametrize(
    "text",
    [
        "$ pnpm run check:memorykernel-pin\nPin OK\n",
        "> assistsupport@0.1.0 test:ci /home/ci/AssistSupport\n> vitest run\n",
        "some output\n ELIFECYCLE  Command failed with exit code 1.\n",
        "\n RUN  v1.6.0 /home/ci/AssistSupport\n",
        " Test Files  1 failed | 2 passed (3)\n",
        "running 3 tests\ntest a::b ... ok\n",
        "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out;"
        " finished in 0.01s\n",
        "==================== test session starts ====================\n",
        "==================== 3 passed in 0.12s ====================\n",
        "MemoryKernel handoff payload validation failed: pin mismatch\n",
    ],
)
def test_looks_like_transcript_recognises_tool_output(text: str) -> None:
    assert looks_like_transcript(terminal_lines(text))


@pytest.mark.parametrize(
    "text",
    [
        "# Cutover notes\n\n## Commands\n$ pnpm run check:memorykernel-pin\nPin OK\n",
        "We ran the rehearsal on Monday.\nEverything costs $ 5 here.\n$ \n",
        "$ pnpm run check:memorykernel-pin\n$ pnpm run test:ci\n",
        "> quoted text in an email reply\n> more quoted text\n",
        "",
    ],
)
def test_looks_like_transcript_rejects_records_and_prose(text: str) -> None:
    assert not looks_like_transcript(terminal_lines(text))


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason=f"real-world samples not found at {REAL_WORLD}")
def test_real_world_markdown_records_are_not_transcripts() -> None:
    records = sorted(REAL_WORLD.glob("*.md"))
    assert records
    for path in records:
        lines = terminal_lines(decode_bytes(path.read_bytes())[0])
        assert not looks_like_transcript(lines), path.name


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("pnpm --filter web run test:ci", "test:ci"),
        ("pnpm -C app check:memorykernel-pin", "check:memorykernel-pin"),
        ("pnpm run", "pnpm run"),
    ],
)
def test_pnpm_options_with_values_are_not_scripts(command: str, expected: str) -> None:
    assert normalise_command(command) == expected


def test_handoff_failure_reason_is_kept_verbatim() -> None:
    extract = parse_text(
        "$ node scripts/validate.mjs\n"
        "MemoryKernel handoff payload validation failed: missing field:\n"
    )
    [check] = extract.checks
    assert check.value == "fail: missing field:"


VITEST_VERSION_TREE = """$ pnpm vitest run --reporter verbose

 RUN  v1.6.0 /home/ci/app

 ✓ src/version.test.ts (3)
   ✓ version (2)
     ✓ parses version (2)
     ✓ rejects garbage
   ✓ formats version (2) 3ms
 ✓ src/collapsed.test.ts (4) 12ms

 Test Files  2 passed (2)
      Tests  7 passed (7)
"""


def test_vitest_tree_cases_ending_in_a_count_are_not_groups() -> None:
    """A tree line is a describe group only when deeper lines follow; files are known by path."""
    extract = parse_text(VITEST_VERSION_TREE)
    assert [(c.suite, c.name, c.duration_s) for c in extract.test_cases] == [
        ("src/version.test.ts", "version > parses version (2)", None),
        ("src/version.test.ts", "version > rejects garbage", None),
        ("src/version.test.ts", "formats version (2)", pytest.approx(0.003)),
    ]


def test_vitest_flat_cases_ending_in_a_count_are_cases() -> None:
    extract = parse_text(
        "$ pnpm vitest run\n"
        "\n"
        " RUN  v3.2.4 /home/ci/app\n"
        "\n"
        " ✓ src/a.test.ts > suite > parses version (2) 3ms\n"
        " ✓ src/a.test.ts > suite > formats version 1ms\n"
        " ✓ src/b.test.ts (12 tests | 1 skipped) 45ms\n"
        "\n"
        " Test Files  1 passed (1)\n"
        "      Tests  2 passed (2)\n"
    )
    assert [(c.suite, c.name) for c in extract.test_cases] == [
        ("src/a.test.ts", "suite > parses version (2)"),
        ("src/a.test.ts", "suite > formats version"),
    ]
    assert extract.findings == []


GOVERNANCE_CUT_OFF_IN_FIRST_CHILD = """$ pnpm run check:memorykernel-governance

> assistsupport@0.9.0 check:memorykernel-governance /work/assistsupport
> pnpm run check:memorykernel-pin && pnpm run check:memorykernel-boundary && node scripts/gov.mjs


> assistsupport@0.9.0 check:memorykernel-pin /work/assistsupport
> node scripts/pin.mjs

pin in sync
"""


def test_pnpm_chain_cut_off_before_its_next_script_is_unknown() -> None:
    """The `&&` chain would have printed the boundary header next: the output stopped first."""
    lines = terminal_lines(GOVERNANCE_CUT_OFF_IN_FIRST_CHILD)
    extract = parse_transcript(lines)
    assert [(c.command, c.result) for c in extract.commands] == [
        ("check:memorykernel-governance", "unknown"),
        ("check:memorykernel-pin", "unknown"),
    ]
    [finding] = extract.findings
    assert (finding.severity, finding.code) == (Severity.WARNING, "transcript-truncated")
    assert (
        finding.pointer == f"line {line_of(lines, '> assistsupport@0.9.0 check:memorykernel-pin')}"
    )
    assert "check:memorykernel-boundary" in finding.message


@pytest.mark.parametrize(
    "ending",
    [
        # The next prompt shows the chain's command ended (here, without printing more).
        "$ pnpm run lint\n",
        # The shell reported the command's exit.
        "[exit 0]\n",
    ],
)
def test_pnpm_chain_closed_by_a_prompt_or_exit_is_not_cut_off(ending: str) -> None:
    extract = parse_text(GOVERNANCE_CUT_OFF_IN_FIRST_CHILD + ending)
    results = {c.command: c.result for c in extract.commands}
    assert results["check:memorykernel-governance"] == "pass"
    assert results["check:memorykernel-pin"] == "pass"
    assert "transcript-truncated" not in codes(extract)


def test_pnpm_chain_ending_after_its_last_script_still_passes() -> None:
    """After the last pnpm step only plain commands remain, and they may print nothing."""
    text, _ = GOVERNANCE_FAILS_AFTER_CHILDREN.split("governance bundle is missing")
    extract = parse_text(text)
    assert {c.result for c in extract.commands} == {"pass"}
    assert extract.findings == []


def test_looks_like_transcript_skips_blank_lines_after_a_prompt() -> None:
    assert looks_like_transcript(terminal_lines("$ cargo build\n\n   Compiling x v0.1.0\n"))
    assert not looks_like_transcript(terminal_lines("$ cargo build\n\n$ cargo test\n"))


@pytest.mark.parametrize(
    "after_fail",
    [
        " ELIFECYCLE  Test failed. See above for more details.\n",
        "> app@1.0.0 lint /home/ci/app\n> eslint src\n",
    ],
)
def test_vitest_fail_line_does_not_take_pnpm_lines_as_its_message(after_fail: str) -> None:
    extract = parse_text(
        "$ pnpm run test:ci\n"
        "\n"
        "> app@1.0.0 test:ci /home/ci/app\n"
        "> vitest run\n"
        "\n"
        " RUN  v1.6.0 /home/ci/app\n"
        "\n"
        " FAIL  src/a.test.ts > suite > breaks\n"
        "\n" + after_fail
    )
    [case] = extract.test_cases
    assert (case.name, case.status, case.message) == ("suite > breaks", "failed", "")


def test_pnpm_builtin_commands_name_pnpm_as_a_tool() -> None:
    extract = parse_text("$ pnpm install\nLockfile is up to date, resolution step is skipped\n")
    assert extract.detail == "pnpm"
    assert extract.commands[0].command == "pnpm install"


def test_pytest_xdist_case_lines() -> None:
    lines = terminal_lines(
        "$ python -m pytest -n 2 -v\n"
        "============================= test session starts ==============================\n"
        "created: 2/2 workers\n"
        "2 workers [2 items]\n"
        "\n"
        "[gw0] [ 50%] PASSED tests/x.py::test_a\n"
        "[gw1] [100%] FAILED tests/x.py::test_b[some value]\n"
        "=========================== short test summary info ============================\n"
        "FAILED tests/x.py::test_b[some value] - assert 1 == 2\n"
        "========================= 1 failed, 1 passed in 0.50s ==========================\n"
    )
    extract = parse_transcript(lines)
    assert [(c.suite, c.name, c.status) for c in extract.test_cases] == [
        ("tests/x.py", "test_a", "passed"),
        ("tests/x.py", "test_b[some value]", "failed"),
    ]
    failed = extract.test_cases[1]
    assert failed.message == "assert 1 == 2"
    assert failed.pointer == f"line {line_of(lines, '[gw1]')}"
    assert extract.commands[0].result == "fail"
    assert extract.findings == []


def test_pytest_parametrised_ids_with_spaces() -> None:
    extract = parse_text(
        "$ python -m pytest -v\n"
        "============================= test session starts ==============================\n"
        "tests/y.py::test_c[a - b] PASSED                                         [ 50%]\n"
        "tests/y.py::test_c[x] y] FAILED                                          [100%]\n"
        "=========================== short test summary info ============================\n"
        "FAILED tests/y.py::test_c[x] y] - ValueError: x\n"
        "========================= 1 failed, 1 passed in 0.20s ==========================\n"
    )
    assert [(c.name, c.status, c.message) for c in extract.test_cases] == [
        ("test_c[a - b]", "passed", ""),
        ("test_c[x] y]", "failed", "ValueError: x"),
    ]
    assert extract.findings == []


@pytest.mark.parametrize(
    ("summary", "result"),
    [("1 failed, 3 passed in 0.12s", "fail"), ("4 passed, 1 warning in 0.12s", "pass")],
)
def test_pytest_quiet_summary_decides_the_result(summary: str, result: str) -> None:
    extract = parse_text(
        f"$ pytest -q\n..F.                                    [100%]\n{summary}\n"
    )
    [command] = extract.commands
    assert (command.result, command.duration_s) == (result, pytest.approx(0.12))
