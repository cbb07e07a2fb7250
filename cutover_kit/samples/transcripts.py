"""Consumer command transcripts: ``pnpm run`` output with nested scripts and vitest runs.

Each transcript is one top-level command as the terminal showed it: the ``$`` prompt, pnpm's
``> package script cwd`` headers for every nested ``pnpm run``, the child's output, and on
failure one ``ELIFECYCLE`` line per nesting level, after which the remaining ``&&`` siblings
never run. Test results come from :mod:`cutover_kit.samples.suites`, the same source as the
JUnit file, so the two views of a run always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cutover_kit.samples import catalog
from cutover_kit.samples.history import Fault, Rehearsal, stable_int
from cutover_kit.samples.suites import (
    CONTRACT,
    FAILURE_LOCATION,
    FAILURE_MESSAGE,
    PHASE3,
    CaseResult,
    ci_suites,
    run,
)
from cutover_kit.samples.terminal import (
    BOLD,
    CLEAR_LINE,
    GRAY,
    GREEN,
    ON_RED,
    RED,
    YELLOW,
    Terminal,
)

VITEST_VERSION = "v3.2.4"
_RULE = "⎯" * 7
_HANDOFF_SCRIPT = "node scripts/validate_memorykernel_handoff_payload.mjs"
# The candidate variant relaxes the pin match and expects service.v3 (as the consumer's script).
_CANDIDATE_ENV = " ".join(
    (
        "ASSISTSUPPORT_HANDOFF_REQUIRE_PIN_MATCH=0",
        "MEMORYKERNEL_EXPECTED_SERVICE_CONTRACT_VERSION=service.v3",
    )
)
# The source lines vitest quotes under the failing assertion of the planted regression.
_FAILURE_SNIPPET = (
    "     39|     const status = await runPreflight(client, { timeoutMs: 50 });",
    "     40|",
    "     41|     expect(status.mode).toBe('offline');",
    "       |                         ^",
    "     42|   });",
)


def governance_failure(reh: Rehearsal) -> str:
    """The error line the governance bundle check prints in the rehearsal where it fails."""
    missing = f"docs/implementation/WEEKLY_INTEGRATION_REVIEW_{reh.date.isoformat()}.md"
    return f"MemoryKernel governance bundle validation failed: missing required file: {missing}"


@dataclass
class _Shell:
    """One transcript being recorded: the terminal plus the rehearsal it belongs to."""

    reh: Rehearsal
    term: Terminal

    def script(self, name: str, body: str) -> None:
        """pnpm's banner for a script: package, script and cwd, then the command it runs."""
        self.term.print("", f"> {catalog.CONSUMER_PACKAGE} {name} {catalog.CONSUMER_ROOT}")
        self.term.print(f"> {body}", "")

    def lifecycle_failed(self) -> None:
        failed = self.term.paint("Command failed with exit code 1.", RED)
        self.term.print(f"{self.term.paint(' ELIFECYCLE ', ON_RED)} {failed}")

    def handoff_check(self, default: bool = False) -> None:
        """The handoff check: the default one (pinned baseline) for a stable payload or when
        ``default``, else the candidate variant. The first check version names no mode."""
        pinned = self.reh.stable or default
        mode = "pinned-baseline" if pinned else "rehearsal-candidate"
        if pinned:
            self.script(catalog.HANDOFF_CHECK_STABLE, _HANDOFF_SCRIPT)
        else:
            self.script(catalog.HANDOFF_CHECK_CANDIDATE, f"{_CANDIDATE_ENV} {_HANDOFF_SCRIPT}")
        stated = "" if self.reh.plan.older_formats else f" ({mode})"
        self.term.print(
            f"MemoryKernel handoff payload validation passed{stated}.",
            "Wrote MemoryKernel handoff evidence: "
            f"{catalog.CONSUMER_ROOT}/artifacts/memorykernel-handoff-evidence.json",
        )

    def governance_check(self) -> None:
        """``check:memorykernel-governance``: pin, adapter boundary, then the governance bundle."""
        self.script(
            catalog.GOVERNANCE,
            f"pnpm run {catalog.PIN_CHECK} && pnpm run {catalog.BOUNDARY_CHECK} "
            "&& node scripts/validate_memorykernel_governance_bundle.mjs",
        )
        self.pin_check()
        self.script(catalog.BOUNDARY_CHECK, "node scripts/validate_memorykernel_boundary.mjs")
        self.term.print("MemoryKernel adapter boundary validation passed.")
        if self.reh.plan.fault is Fault.GOVERNANCE_FAILED:
            self.term.print(governance_failure(self.reh))
            self.lifecycle_failed()
        else:
            self.term.print("MemoryKernel governance bundle validation passed.")

    def pin_check(self) -> None:
        self.script(catalog.PIN_CHECK, "node scripts/validate_memorykernel_pin_sync.mjs")
        self.term.print(
            "MemoryKernel pin + compatibility matrix + producer manifest validation passed."
        )

    def vitest(self, results: list[CaseResult], started: dt.datetime, progress: bool) -> bool:
        """A verbose ``vitest run``; returns whether every executed case passed."""
        term = self.term
        term.print("", f"{term.paint(' RUN ', BOLD)} {VITEST_VERSION} {catalog.CONSUMER_ROOT}", "")
        for index, result in enumerate(results):
            line = self._case_line(result)
            if progress and index == 0:
                # A TTY redraws the running-file line in place before the first result lands.
                running = f"{CLEAR_LINE} ❯ {result.suite.file} 0/{len(result.suite.cases)}"
                line = f"{running}\r{CLEAR_LINE}{line}"
            term.print(line)
            if result.status == "failed":
                term.print(f"   → {FAILURE_MESSAGE}")
        failed = [result for result in results if result.status == "failed"]
        if failed:
            self._failure_details(failed)
        self._summary(results, started)
        return not failed

    def _case_line(self, result: CaseResult) -> str:
        path = f"{result.suite.file} > {result.full_name}"
        if result.status == "skipped":
            return f" {self.term.paint('↓', YELLOW)} {path}"
        passed = result.status == "passed"
        mark = self.term.paint("✓", GREEN) if passed else self.term.paint("×", RED)
        return f" {mark} {path} {result.millis}ms"

    def _failure_details(self, failed: list[CaseResult]) -> None:
        term = self.term
        term.print("", term.paint(f"{_RULE} Failed Tests {len(failed)} {_RULE}", RED), "")
        for result in failed:
            label = term.paint(" FAIL ", ON_RED)
            term.print(f"{label} {result.suite.file} > {result.full_name}")
            term.print(term.paint(f"AssertionError: {FAILURE_MESSAGE}", RED), "")
            term.print("- Expected", "+ Received", "", "- offline", "+ blocked", "")
            term.print(f" ❯ {FAILURE_LOCATION}", *_FAILURE_SNIPPET, "")
        term.print(term.paint(f"{_RULE * 7}[1/1]⎯", RED))

    def _summary(self, results: list[CaseResult], started: dt.datetime) -> None:
        term = self.term
        files = {result.suite.file for result in results}
        bad_files = {result.suite.file for result in results if result.status == "failed"}
        counts = {
            status: sum(result.status == status for result in results)
            for status in ("failed", "passed", "skipped")
        }
        file_parts = [term.paint(f"{len(bad_files)} failed", RED)] if bad_files else []
        file_parts.append(term.paint(f"{len(files) - len(bad_files)} passed", GREEN))
        test_parts = [term.paint(f"{counts['failed']} failed", RED)] if counts["failed"] else []
        test_parts.append(term.paint(f"{counts['passed']} passed", GREEN))
        if counts["skipped"]:
            test_parts.append(term.paint(f"{counts['skipped']} skipped", YELLOW))
        seed = f"{self.reh.id}/{sorted(files)[0]}"
        tests_ms = sum(result.millis for result in results)
        collect, prepare = stable_int(seed + "/c", 40, 400), stable_int(seed + "/p", 80, 420)
        transform = stable_int(seed + "/t", 30, 240)
        duration = transform + collect + prepare + tests_ms + stable_int(seed + "/d", 150, 600)
        shown = f"{duration / 1000:.2f}s" if duration >= 1000 else f"{duration}ms"
        term.print(
            "",
            f" Test Files  {' | '.join(file_parts)} {term.paint(f'({len(files)})', GRAY)}",
            f"      Tests  {' | '.join(test_parts)} {term.paint(f'({len(results)})', GRAY)}",
            f"   Start at  {started.strftime('%H:%M:%S')}",
            f"   Duration  {shown} (transform {transform}ms, setup 0ms, collect {collect}ms, "
            f"tests {tests_ms}ms, environment 0ms, prepare {prepare}ms)",
            "",
        )


def dry_run(reh: Rehearsal, junit_name: str) -> bytes:
    """``test:memorykernel-cutover-dry-run``: handoff, pin, contract suite, then ``test:ci``."""
    shell = _Shell(reh, Terminal(reh.plan.ansi))
    handoff = catalog.HANDOFF_CHECK_STABLE if reh.stable else catalog.HANDOFF_CHECK_CANDIDATE
    children = (handoff, catalog.PIN_CHECK, catalog.CONTRACT_SUITE, catalog.CI_SUITE)
    shell.term.prompt(f"pnpm run {catalog.DRY_RUN}")
    shell.script(catalog.DRY_RUN, " && ".join(f"pnpm run {child}" for child in children))
    shell.handoff_check()
    shell.pin_check()
    shell.script(
        catalog.CONTRACT_SUITE,
        f"vitest run --reporter=verbose {CONTRACT.file} "
        "&& node scripts/generate_memorykernel_contract_evidence.mjs",
    )
    shell.vitest(run(reh, (CONTRACT,)), reh.at(4, 15), progress=reh.plan.progress == "vitest")
    shell.term.print(
        "Wrote MemoryKernel contract evidence: "
        f"{catalog.CONSUMER_ROOT}/artifacts/memorykernel-contract-evidence.json"
    )
    ci_vitest = (
        f"vitest run --reporter=verbose --reporter=junit --outputFile.junit=junit/{junit_name}"
    )
    if reh.plan.nested_governance:
        shell.script(catalog.CI_SUITE, f"pnpm run {catalog.GOVERNANCE} && {ci_vitest}")
        shell.governance_check()
    else:
        shell.script(catalog.CI_SUITE, ci_vitest)
    passed = shell.vitest(run(reh, ci_suites(reh)), reh.at(4, 21), progress=False)
    shell.term.print(f"JUNIT report written to {catalog.CONSUMER_ROOT}/junit/{junit_name}")
    if not passed:
        shell.lifecycle_failed()  # test:ci
        shell.lifecycle_failed()  # test:memorykernel-cutover-dry-run
    return shell.term.render()


def governance(reh: Rehearsal) -> bytes:
    """``check:memorykernel-governance`` run on its own."""
    shell = _Shell(reh, Terminal(reh.plan.ansi))
    shell.term.prompt(f"pnpm run {catalog.GOVERNANCE}")
    shell.governance_check()
    return shell.term.render()


def phase3(reh: Rehearsal) -> bytes:
    """``test:memorykernel-phase3-dry-run``: pin check, then the phase 3 vitest suite."""
    shell = _Shell(reh, Terminal(reh.plan.ansi))
    shell.term.prompt(f"pnpm run {catalog.PHASE3}")
    steps = f"pnpm run {catalog.PIN_CHECK} && vitest run --reporter=verbose {PHASE3.file}"
    if reh.plan.pinned_handoff_check:
        # The consumer's phase 3 script requires the payload and runs the default check first.
        default_check = (
            f"ASSISTSUPPORT_REQUIRE_HANDOFF_PAYLOAD=1 pnpm run {catalog.HANDOFF_CHECK_STABLE}"
        )
        shell.script(catalog.PHASE3, f"{default_check} && {steps}")
        shell.handoff_check(default=True)
    else:
        shell.script(catalog.PHASE3, steps)
    shell.pin_check()
    shell.vitest(run(reh, (PHASE3,)), reh.at(12, 40), progress=False)
    return shell.term.render()
