"""The ``new-session``, ``capture`` and ``capture-plan`` subcommands of ``cutover-kit``.

``capture`` exits with the command's own exit code (128 + N when signal N ended it, as shells
report it), so it can stand in for the bare command in scripts and CI; its one summary line goes
to stderr, leaving stdout to the command's output.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cutover_kit.capture.command import CaptureRequest, capture
from cutover_kit.capture.plan import PlanStep, capture_plan, plan_exit_code
from cutover_kit.capture.record import CommandRecord
from cutover_kit.capture.run import DEFAULT_GRACE_S
from cutover_kit.capture.settings import read_capture_settings
from cutover_kit.errors import CaptureError

EXIT_INTERRUPTED = 128 + 2  # as a shell reports Ctrl-C


def split_command(argv: Sequence[str]) -> tuple[list[str], list[str] | None]:
    """cutover-kit's own arguments, and the command after the first ``--`` (``None``: no ``--``).

    Split before argparse sees them, so the command's own options (``-c``, ``--flag``) are
    never taken for cutover-kit's.
    """
    arguments = list(argv)
    if "--" not in arguments:
        return arguments, None
    at = arguments.index("--")
    return arguments[:at], arguments[at + 1 :]


def summary(record: CommandRecord, line: int) -> str:
    """One line about a captured command: how it ended and where it was recorded."""
    if record.stop_reason:
        ended = f"stopped ({record.stop_reason}), exit {record.status_code}"
    elif record.error:
        ended = f"{record.error}, exit {record.status_code}"
    else:
        ended = f"exit {record.status_code}"
    return (
        f"cutover-kit: captured `{' '.join(record.argv)}`: {ended} after {record.duration_s:.1f}s; "
        f"{record.transcript}, commands.jsonl line {line}"
    )


def _new_session(args: argparse.Namespace) -> int:
    from cutover_kit.capture.scaffold import new_session
    from cutover_kit.gates.checks import validate_policy_checks
    from cutover_kit.policy import load_policy

    policy = load_policy(args.policy)
    validate_policy_checks(policy)
    path = new_session(args.data_dir, args.id, args.kind, policy, previous_id=args.previous)
    print(f"wrote {path}")
    return 0


def _request(args: argparse.Namespace, argv: list[str]) -> CaptureRequest:
    settings = read_capture_settings(args.policy)
    if args.timeout is not None and args.timeout <= 0:
        raise CaptureError("--timeout must be more than 0 seconds")
    if args.grace < 0:
        raise CaptureError("--grace must not be negative")
    return CaptureRequest(
        rehearsal=args.rehearsal,
        argv=argv,
        repo=args.repo,
        settings=settings,
        artifacts=tuple(args.artifact or ()),
        timeout_s=args.timeout,
        grace_s=args.grace,
    )


def _capture(args: argparse.Namespace) -> int:
    command = list(args.argv_after_dashes or [])
    if not command:
        raise CaptureError("no command to capture: put it after --")
    try:
        record, line = capture(_request(args, command))
    except KeyboardInterrupt:
        return _interrupted()
    print(summary(record, line), file=sys.stderr)
    return record.status_code


def _capture_plan(args: argparse.Namespace) -> int:
    template = _request(args, [])  # each step puts its own command in

    def report(step: PlanStep) -> None:
        print(summary(step.record, step.line), file=sys.stderr)

    try:
        steps = capture_plan(template, args.stop_on_failure, report)
    except KeyboardInterrupt:
        return _interrupted()
    return plan_exit_code(steps)


def _interrupted() -> int:
    """Ctrl-C while a finished command was being recorded: its line is written, then we stop."""
    print("cutover-kit: interrupted after recording the command", file=sys.stderr)
    return EXIT_INTERRUPTED


def _capture_options(parser: argparse.ArgumentParser, repo_required: bool) -> None:
    parser.add_argument("rehearsal", type=Path, help="the rehearsal folder, DATA_DIR/ID")
    parser.add_argument(
        "--repo",
        type=Path,
        default=None if repo_required else Path(),
        required=repo_required,
        help="the consumer repo to run in (default: the current folder)",
    )
    parser.add_argument(
        "--artifact",
        action="append",
        metavar="PATH",
        help="a file of the repo to copy into the rehearsal after the command (repeatable)",
    )
    parser.add_argument("--timeout", type=float, metavar="S", help="stop a command after S s")
    parser.add_argument(
        "--grace",
        type=float,
        default=DEFAULT_GRACE_S,
        metavar="S",
        help=f"seconds from SIGTERM to SIGKILL when stopping (default {DEFAULT_GRACE_S:g})",
    )
    parser.add_argument("--policy", type=Path, help="policy TOML (default: the packaged one)")


def add_capture_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the three subcommands on ``cutover-kit``'s parser."""
    session = commands.add_parser("new-session", help="scaffold a rehearsal's session.toml")
    session.add_argument("data_dir", type=Path)
    session.add_argument("--id", required=True, help="the new rehearsal's id (its folder name)")
    session.add_argument(
        "--kind", choices=("dry-run", "rollback-drill", "cutover"), default="dry-run"
    )
    session.add_argument(
        "--from", dest="previous", metavar="PREVIOUS_ID", help="take roles and baseline from it"
    )
    session.add_argument("--policy", type=Path, help="policy TOML (default: the packaged one)")
    session.set_defaults(run=_new_session)

    one = commands.add_parser(
        "capture",
        help="run one command and record it in a rehearsal",
        usage="cutover-kit capture DATA_DIR/ID [--repo PATH] [--artifact PATH ...] [--timeout S] "
        "[--grace S] [--policy FILE] -- COMMAND [ARGS...]",
    )
    _capture_options(one, repo_required=False)
    one.epilog = "Put the command to run after --: cutover-kit capture DATA_DIR/ID -- COMMAND..."
    one.set_defaults(run=_capture)

    plan = commands.add_parser("capture-plan", help="capture every required command in order")
    _capture_options(plan, repo_required=True)
    plan.add_argument(
        "--stop-on-failure", action="store_true", help="stop at the first command that fails"
    )
    plan.set_defaults(run=_capture_plan)
