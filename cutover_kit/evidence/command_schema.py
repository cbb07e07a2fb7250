"""What a ``commands.jsonl`` line means, shared by the writer (``capture``) and the reader.

Standard library only: ``capture`` imports it at start-up, before any command runs.
"""

from __future__ import annotations

COMMAND_SCHEMA = "cutover-kit/command.v1"


def exit_status(exit_code: int | None, signal: int | None) -> int:
    """The command's exit code, or 128 + the signal that ended it (as shells report it)."""
    if exit_code is not None:
        return exit_code
    return 128 + (signal or 0)


def command_passed(exit_code: int | None, stop_reason: str | None) -> bool:
    """Exit 0 and not stopped: a command stopped by a timeout or Ctrl-C never passed."""
    return exit_code == 0 and stop_reason is None
