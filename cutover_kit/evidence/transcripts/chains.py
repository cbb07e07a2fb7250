"""pnpm ``&&`` chains: which step of a script's body the output belongs to, and where it stopped.

A script body such as ``pnpm run a && pnpm run b && vitest run X && (cd src-tauri && cargo test)``
runs its steps in order. pnpm prints a ``> pkg@ver`` header for the ``pnpm run`` steps only, so
output printed after ``b`` has finished carries no header of its own: a test runner starting
there belongs to the parent's next step that runs that tool, not to ``b`` (whose body runs no
such tool). That step becomes a command of its own, named by its text, and the steps after a
failing step never started: they are ``not run``.

pnpm prints nothing when a script succeeds, so a transcript cut off inside a script's output looks
just like one that ran to the end, and an open script at the end of the file proves nothing. One
case is certain: the enclosing script's body is a plain ``a && b`` chain and a later step is
another ``pnpm run``. That step prints its ``> pkg@ver`` header when it starts, and had any step
before it failed, pnpm would have printed ELIFECYCLE; a file that ends showing neither stopped
before the chain finished. Only the last script still open can be the one cut short: a sibling
header or the next ``$`` prompt shows that the scripts before it ended.
"""

from __future__ import annotations

import re

from cutover_kit.evidence.codes import CommandOutcome, FindingCode
from cutover_kit.evidence.model import CommandResult, Finding, Severity
from cutover_kit.evidence.transcripts.names import normalise_command
from cutover_kit.evidence.transcripts.state import Run, TranscriptState

# `VAR=value ` assignments a step may start with: they do not change which command runs.
ENV_PREFIX = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*")
# A step pnpm or npm announces with its own header: `pnpm run x`, with no option before the name
# that could silence it or run it somewhere else.
HEADER_STEP = re.compile(r"^(?:pnpm|npm) run (?P<name>[^\s-]\S*)(?:\s|$)")
# Anything but `&&` between steps (`;`, `||`, pipes, quoting) makes the order uncertain; a whole
# step in parentheses (`(cd src-tauri && cargo test)`) is one subshell step.
NOT_A_PLAIN_STEP = re.compile(r"[;&|()<>`'\"]|\$\(")
SUBSHELL_STEP = re.compile(r"^\((?P<inner>[^()]*)\)$")
# What changes where a step ends: a parenthesis, or the first `&` of each `&&` (overlapping too).
_CHAIN_MARKS = re.compile(r"[()]|&(?=&)")
# What a step's text runs, for each test runner whose output can start a step.
RUNS_TOOL = {
    "vitest": re.compile(r"\bvitest\b"),
    "cargo": re.compile(r"\bcargo\s+(?:\+\S+\s+)?(?:test|nextest)\b"),
    "pytest": re.compile(r"\bpytest\b"),
}


def chain_steps(body: str) -> tuple[str, ...]:
    """The steps of a body joined by ``&&`` outside parentheses; empty when the order is uncertain.

    A step is plain (a command with arguments, possibly after ``VAR=value`` assignments) or a
    whole subshell in parentheses whose inside is a plain chain.
    """
    if "&&" not in body:
        return ()  # one step at most: no chain
    steps, depth, start = [], 0, 0
    for found in _CHAIN_MARKS.finditer(body):
        char, index = found.group(), found.start()
        if char == "&":
            if depth == 0:
                steps.append(body[start:index])
                start = index + 2
            continue
        depth += 1 if char == "(" else -1
        if depth < 0:
            return ()
    steps.append(body[start:])
    steps = [step.strip() for step in steps]
    if depth or len(steps) < 2 or not all(_plain_step(step) for step in steps):
        return ()
    return tuple(steps)


def _plain_step(step: str) -> bool:
    subshell = SUBSHELL_STEP.match(step)
    if subshell:
        inner = subshell["inner"].split("&&")
        return all(part.strip() and not NOT_A_PLAIN_STEP.search(part) for part in inner)
    return bool(step) and not NOT_A_PLAIN_STEP.search(step)


def _header_script(step: str) -> str:
    match = HEADER_STEP.match(ENV_PREFIX.sub("", step))
    return match["name"] if match else ""


def script_chain(steps: tuple[str, ...]) -> tuple[str, ...]:
    """Each of a body's :func:`chain_steps`: its script when pnpm will print a header, else ""."""
    return tuple(_header_script(step) for step in steps)


def step_name(step: str) -> str:
    """How a step is named in the commands table: its script, else its text as written."""
    return _header_script(step) or normalise_command(ENV_PREFIX.sub("", step))


def place_in_chain(parent: Run | None, run: Run) -> None:
    """Note which step of its parent's chain a script header opened (the next one naming it)."""
    if parent is None or not parent.steps:
        return
    for index in range(parent.reached + 1, len(parent.steps)):
        if _header_script(parent.steps[index]) == run.script:
            run.step_index, parent.reached = index, index
            parent.step_runs[index] = run
            return


def enter_runner_step(state: TranscriptState, tool: str, number: int) -> None:
    """A test runner starts: when the open command does not run it, the step of an enclosing
    chain that does begins, and the commands above it have finished.

    The open command's remaining steps are searched first, then (once they show no such step,
    so it ended silently) its parent's, and so on up. A ``pnpm run`` step on the way would have
    printed its header before the runner: then the output stays with the open command.
    """
    wanted = RUNS_TOOL.get(tool)
    stack = state.stack
    if wanted is None:
        return
    for depth in range(len(stack) - 1, 0, -1):
        child, parent = stack[depth], stack[depth - 1]
        if wanted.search(child.text) or not parent.steps or child.step_index < 0:
            return
        for index in range(child.step_index + 1, len(parent.steps)):
            step = parent.steps[index]
            if _header_script(step):
                return
            if wanted.search(step):
                del stack[depth:]
                run = Run(
                    step_name(step), number, parent.command, prompt=False, text=step, pnpm=False
                )
                run.step_index, parent.reached = index, index
                parent.step_runs[index] = run
                state.open_run(run)
                return


def steps_not_run(state: TranscriptState, failed: set[int]) -> list[CommandResult]:
    """The steps after a failing step of a chain: ``&&`` never started them.

    ``failed`` holds the ids of the runs whose result is ``fail``; a chain whose furthest step
    seen did not fail gives nothing (the failure may lie in a later step that printed nothing).
    """
    rows = []
    for parent in state.runs:
        last = parent.step_runs.get(parent.reached)
        if id(parent) not in failed or last is None or id(last) not in failed:
            continue
        rows += [
            CommandResult(
                step_name(step), CommandOutcome.NOT_RUN, parent.line, parent=parent.command
            )
            for step in parent.steps[parent.reached + 1 :]
        ]
    return rows


def end_of_chain(state: TranscriptState) -> None:
    """Leave the open scripts unknown when the file ends before their chain's next pnpm script."""
    stack = state.stack
    # A runner block cut off already made them unknown; a shell exit shows the command ended.
    if len(stack) < 2 or any(run.truncated or run.exit_code is not None for run in stack):
        return
    parent, last = stack[-2], stack[-1]
    due = _script_due_after(parent.chain, last.script)
    if not due:
        return
    for run in stack:
        run.truncated = True
    state.findings.append(
        Finding(
            Severity.WARNING,
            FindingCode.TRANSCRIPT_TRUNCATED,
            f"{last.command} (line {last.line}) is still running when the transcript ends at line"
            f" {state.lines.line_count}: {parent.command} runs {due} after it, but neither its"
            " header nor an ELIFECYCLE line appears",
            f"line {last.line}",
        )
    )


def _script_due_after(chain: tuple[str, ...], script: str) -> str:
    """The first header-printing script after the last ``script`` step of ``chain``, or ""."""
    if script not in chain:
        return ""
    after = chain[len(chain) - chain[::-1].index(script) :]
    return next((name for name in after if name), "")
