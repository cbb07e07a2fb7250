"""pnpm ``&&`` chains: output that stops before a script's chain reached its next pnpm script.

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

from cutover_kit.evidence.model import Finding, Severity
from cutover_kit.evidence.transcripts.state import TranscriptState

# A step pnpm or npm announces with its own header: `pnpm run x`, with no option before the name
# that could silence it or run it somewhere else.
HEADER_STEP = re.compile(r"^(?:pnpm|npm) run (?P<name>[^\s-]\S*)(?:\s|$)")
# Anything but `&&` between steps (`;`, `||`, pipes, subshells, quoting) makes the order uncertain.
NOT_A_PLAIN_STEP = re.compile(r"[;&|()<>`'\"]|\$\(")


def script_chain(body: str) -> tuple[str, ...]:
    """Each step of a plain ``a && b`` body: its script when pnpm will print a header, else "".

    Empty when the body is anything but commands joined by ``&&``.
    """
    steps = [step.strip() for step in body.split("&&")]
    if any(not step or NOT_A_PLAIN_STEP.search(step) for step in steps):
        return ()
    return tuple(match["name"] if (match := HEADER_STEP.match(step)) else "" for step in steps)


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
            "transcript-truncated",
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
