"""``capture-plan``: capture every required command of the policy, in the policy's order.

Each command runs as the policy's runner followed by its name (``pnpm run <script>``). A failed
command does not stop the plan unless asked (``--stop-on-failure``): the gates want every
command's evidence. An interrupted command (Ctrl-C) always ends the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from cutover_kit.capture.command import CaptureRequest, capture
from cutover_kit.capture.record import CommandRecord
from cutover_kit.capture.settings import CaptureSettings


class PlanStep(NamedTuple):
    """One required command as captured: its JSON line and line number."""

    record: CommandRecord
    line: int


def plan_argvs(settings: CaptureSettings) -> list[list[str]]:
    """The command line of each required command (runner + name)."""
    return [[*settings.runner, name] for name in settings.required]


def capture_plan(
    template: CaptureRequest,
    stop_on_failure: bool = False,
    on_step: Callable[[PlanStep], None] | None = None,
) -> list[PlanStep]:
    """Capture the required commands in order; returns the steps that ran."""
    steps: list[PlanStep] = []
    for argv in plan_argvs(template.settings):
        record, line = capture(template._replace(argv=argv))
        step = PlanStep(record, line)
        steps.append(step)
        if on_step:
            on_step(step)
        if record.stop_reason == "interrupted" or (stop_on_failure and not record.passed):
            break
    return steps


def plan_exit_code(steps: list[PlanStep]) -> int:
    """0 when every command passed, else the exit code of the first one that did not."""
    failed = [step.record.status_code for step in steps if not step.record.passed]
    return failed[0] if failed else 0
