"""Which commands ran and how they nested: `$` prompts, pnpm script headers, ELIFECYCLE, exits.

Every prompt starts a new top-level command. pnpm announces each script it runs with a
``> pkg@ver script`` header followed by the script body, and a failing script makes pnpm print
one ELIFECYCLE line per level the failure climbs through; those lines are the only record of
which scripts failed, so the stack of open commands is rebuilt from them.
"""

from __future__ import annotations

import re

from cutover_kit.evidence.transcripts.chains import chain_steps, place_in_chain, script_chain
from cutover_kit.evidence.transcripts.names import pnpm_script, script_or_text
from cutover_kit.evidence.transcripts.runners import end_block, interrupt_block
from cutover_kit.evidence.transcripts.state import (
    Handlers,
    Run,
    ToolReader,
    TranscriptState,
    seconds,
)

# The text up to its last non-blank: `\S(?:.*\S)?` backtracks only over trailing blanks, where the
# lazy `\S.*?\s*$` tried the end of the line after every character (the same matches).
PROMPT = re.compile(r"^\$ (?P<command>\S(?:.*\S)?)\s*$")
# `> pkg@1.2.3 script-name /path`: the header pnpm prints before running a script.
PNPM_HEADER = re.compile(r"^> (?:@[^\s/@]+/)?[^\s@]+@\S+ (?P<script>\S+)(?: .*)?$")
PNPM_SCRIPT_BODY = re.compile(r"^> (?P<body>.*)$")
# Scripts a script body calls: `pnpm run a && pnpm b`, `npm run c`.
NESTED_SCRIPT_CALL = re.compile(
    r"(?:^|[\s;&|(])(?:pnpm|npm|yarn)(?:\s+--?[\w-]+(?:=\S+)?)*\s+(?:run\s+)?(?P<name>[^\s;&|()-][^\s;&|()]*)"
)
PNPM_LIFECYCLE_FAILURE = re.compile(
    r"^\s*ELIFECYCLE\s+(?:Command|Test) failed(?: with exit code (?P<code>\d+))?"
)
PNPM_ERROR = re.compile(r"^\s*ERR_PNPM_\w+")
SHELL_EXIT = re.compile(
    r"^\s*\[?(?:exit(?: code| status)?:?|process exited with (?:exit )?code)\s*"
    r"(?P<code>\d+)\]?\.?\s*$",
    re.IGNORECASE,
)
# Tools a prompt line names: `cargo test`, `node scripts/x.mjs`, `python -m pytest`.
TOOL_IN_COMMAND = re.compile(r"\b(?P<tool>cargo|node|pytest)\b")
# pnpm called in a prompt line, for a script or not: `pnpm install`, `cd web && pnpm i`.
PNPM_IN_COMMAND = re.compile(r"(?:^|[\s;&|(])pnpm(?:\s|$)")
DONE_IN = re.compile(r"^\s*Done in (?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s)\b")


class Commands(ToolReader):
    """The stack of open commands: prompts, pnpm scripts, their failures, exits and durations."""

    signals = (PNPM_LIFECYCLE_FAILURE,)

    def __init__(self, state: TranscriptState) -> None:
        super().__init__(state)
        # The last `$` command: a shell-reported exit code belongs to it.
        self.last_root: Run | None = None
        # Last line of the ELIFECYCLE group already read ahead.
        self.lifecycle_until = 0

    def handlers(self) -> Handlers:
        return (
            (PROMPT, self._prompt),
            (PNPM_HEADER, self._pnpm_header),
            (PNPM_LIFECYCLE_FAILURE, self._lifecycle_failure),
            (PNPM_ERROR, self._failure_marker),
            (SHELL_EXIT, self._shell_exit),
            (DONE_IN, self._done_in),
        )

    def _prompt(self, match: re.Match[str], number: int) -> bool:
        state = self.state
        interrupt_block(state, number)
        state.stack.clear()
        text = match["command"]
        script = pnpm_script(text)
        run = Run(
            command=script_or_text(text, script),
            line=number,
            parent="",
            prompt=True,
            text=text,
            pnpm=script is not None,
            script=script[0] if script else "",
        )
        if PNPM_IN_COMMAND.search(text):
            state.note_tool("pnpm")
        for tool in TOOL_IN_COMMAND.finditer(text):
            state.note_tool(tool["tool"])
        state.open_run(run)
        self.last_root = run
        return True

    def _pnpm_header(self, match: re.Match[str], number: int) -> bool:
        state = self.state
        following = state.lines.get(number)
        body = PNPM_SCRIPT_BODY.match(following) if following is not None else None
        if body is None:
            return False
        state.note_tool("pnpm")
        state.skip_line = number + 1
        interrupt_block(state, number)
        script = match["script"]
        # Only a body naming npm, pnpm or yarn calls a script: the pattern is not tried on others.
        calls = "npm" in body["body"] or "yarn" in body["body"]
        found = NESTED_SCRIPT_CALL.finditer(body["body"]) if calls else ()
        invokes = frozenset(m["name"] for m in found)
        steps = chain_steps(body["body"])
        chain = script_chain(steps)
        root = state.stack[0] if len(state.stack) == 1 else None
        if root is not None and root.pnpm and not root.framed and root.script == script:
            # `$ pnpm run X` and pnpm's `> pkg@ver X` header are the same command.
            root.command, root.framed, root.text, root.invokes = script, True, body["body"], invokes
            root.chain, root.steps = chain, steps
            return True
        # Siblings end the frames before them; the frame whose body calls this script is its parent.
        while state.stack and script not in state.stack[-1].invokes and not state.stack[-1].prompt:
            state.stack.pop()
        parent = state.current.command if state.current else ""
        run = Run(script, number, parent, prompt=False, text=body["body"], pnpm=True)
        run.framed, run.script, run.invokes, run.chain = True, script, invokes, chain
        run.steps = steps
        place_in_chain(state.current, run)
        state.open_run(run)
        return True

    def _lifecycle_group(self, number: int) -> list[tuple[int, int | None]]:
        """The consecutive ELIFECYCLE lines starting at ``number`` (blank lines between allowed)."""
        group = []
        for index, line in enumerate(self.state.lines.following(number - 1), start=number - 1):
            found = PNPM_LIFECYCLE_FAILURE.match(line)
            if found is None and line.strip():
                break
            if found is not None:
                group.append((index + 1, int(found["code"]) if found["code"] else None))
        return group

    def _lifecycle_failure(self, match: re.Match[str], number: int) -> bool:
        state = self.state
        state.note_tool("pnpm")
        end_block(state)
        if number <= self.lifecycle_until:
            return True
        group = self._lifecycle_group(number)
        self.lifecycle_until = group[-1][0]
        frames = [run for run in state.stack if run.pnpm]
        if not frames:
            state.fail(number)
            return True
        # pnpm prints one ELIFECYCLE per level the failure climbs through, innermost first, and a
        # failure always climbs to the outermost script: N lines mean the N outermost open scripts
        # failed, and any script nested deeper had already finished successfully.
        failing = frames[: len(group)]
        for run, (line, code) in zip(reversed(failing), group, strict=False):
            state.fail(line, run)
            run.exit_code = code
            run.lifecycle_failed = True
        outermost = state.stack.index(failing[0])
        del state.stack[outermost:]
        return True

    def _failure_marker(self, match: re.Match[str], number: int) -> bool:
        self.state.fail(number)
        return True

    def _shell_exit(self, match: re.Match[str], number: int) -> bool:
        if self.last_root is None:
            return False
        self.last_root.exit_code = int(match["code"])
        return True

    def _done_in(self, match: re.Match[str], number: int) -> bool:
        if self.state.current is not None:
            self.state.current.add_duration(seconds(match["value"], match["unit"]))
        return True
