"""The name a command goes by: pnpm script invocations are their script, the rest their text."""

from __future__ import annotations

import re

# `pnpm [opts] [run] <name> [args]`: the form a pnpm script is invoked with. Options that take
# a separate value (`--filter web`, `-C app`) consume it, so the value is not taken for a script.
PNPM_INVOCATION = re.compile(
    r"^pnpm(?:\s+(?:(?:--filter|-F|--dir|-C|--prefix)\s+[^\s-]\S*|--?[\w-]+(?:=\S+)?))*"
    r"\s+(?:(?P<run>run)\s+)?(?P<name>[^\s-]\S*)(?P<args>.*)$"
)
# pnpm subcommands that are not scripts: `pnpm install` keeps its full text.
PNPM_BUILTINS = frozenset(
    {"add", "audit", "create", "dlx", "exec", "i", "install", "list", "ls", "outdated", "remove"}
    | {"rm", "store", "update", "up", "why"}
)


def pnpm_script(command: str) -> tuple[str, bool] | None:
    """The pnpm script a command line may invoke, and whether the line alone proves it.

    ``pnpm run X`` and a bare ``pnpm X`` are certainly script X; ``pnpm X --flag`` may be a binary
    (``pnpm vitest run``) until pnpm's own ``> pkg@ver X`` header confirms it.
    """
    match = PNPM_INVOCATION.match(command.strip())
    if match is None or (not match["run"] and match["name"] in PNPM_BUILTINS | {"run"}):
        return None
    return match["name"], bool(match["run"]) or not match["args"].strip()


def normalise_command(command: str) -> str:
    """pnpm script invocations become the script name; every other command keeps its full text.

    Records and transcripts name the same command differently (``pnpm run check:x`` vs
    ``check:x``); gates compare commands by this normal form.
    """
    return script_or_text(command, pnpm_script(command))


def script_or_text(command: str, script: tuple[str, bool] | None) -> str:
    """:func:`normalise_command` of ``command`` whose :func:`pnpm_script` is already known."""
    return script[0] if script and script[1] else command.strip()
