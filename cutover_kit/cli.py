"""``cutover-kit``: validate evidence, decide verdicts, export gates as JUnit, write sample data.

Exit codes: 0 success; 2 unreadable input (or, for ``validate``, rejected files); 3 a NO-GO
rehearsal continuation with ``--fail-on-no-go``; 1 a report notebook whose cell failed (``report``
and ``trend`` say which cell and why). User errors are explained in one line, never with a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cutover_kit import __version__
from cutover_kit.errors import CutoverKitError

if TYPE_CHECKING:
    from cutover_kit.report.runner import NotebookJob

EXIT_OK, EXIT_NOTEBOOK, EXIT_INPUT, EXIT_NO_GO = 0, 1, 2, 3


def _validate(args: argparse.Namespace) -> int:
    from cutover_kit.evidence.ledger import load_ledger
    from cutover_kit.output.validate_summary import render_validate_json, render_validate_text

    ledger = load_ledger(args.data_dir)
    render = render_validate_json if args.format == "json" else render_validate_text
    sys.stdout.write(render(ledger))
    return EXIT_INPUT if ledger.counts()["rejected"] else EXIT_OK


def _verdict(args: argparse.Namespace) -> int:
    from cutover_kit.api import load_corpus
    from cutover_kit.output.verdict_json import render_verdict_json
    from cutover_kit.output.verdict_text import render_verdict_text

    corpus = load_corpus(args.data_dir, args.policy)
    verdict = corpus.evaluate(args.session)
    if args.format == "json":
        sys.stdout.write(render_verdict_json(verdict, corpus.policy))
    else:
        sys.stdout.write(render_verdict_text(verdict))
    if args.fail_on_no_go and verdict.rehearsal_continuation != "GO":
        return EXIT_NO_GO
    return EXIT_OK


def _gates(args: argparse.Namespace) -> int:
    from cutover_kit.api import load_corpus
    from cutover_kit.output.gates_junit import render_gates_junit

    corpus = load_corpus(args.data_dir, args.policy)
    verdict = corpus.evaluate(args.session)
    xml = render_gates_junit(verdict)
    if args.junit == "-":
        sys.stdout.write(xml)
    else:
        Path(args.junit).write_text(xml, encoding="utf-8")
        print(f"wrote {len(verdict.gates)} gate(s) of {verdict.rehearsal.id} to {args.junit}")
    return EXIT_OK


def _run_job(job: NotebookJob, quiet: bool) -> Path | None:
    """Run a report notebook; ``None`` when a cell failed (already explained on stderr)."""
    from cutover_kit.report.runner import NotebookFailedError, run_notebook

    try:
        return run_notebook(job, quiet=quiet)
    except NotebookFailedError as exc:
        print(f"cutover-kit: {exc}", file=sys.stderr)
        print(f"cutover-kit: partial notebook kept in {exc.failed_dir}", file=sys.stderr)
        return None


def _report(args: argparse.Namespace) -> int:
    import json

    from cutover_kit.report.jobs import session_job
    from cutover_kit.report.outputs import VERDICT_JSON

    job = session_job(args.data_dir, args.session, args.policy, args.out)
    folder = _run_job(job, args.quiet)
    if folder is None:
        return EXIT_NOTEBOOK
    document = json.loads((folder / VERDICT_JSON).read_text(encoding="utf-8"))
    print(folder / job.html_name)
    if not args.quiet:
        print(
            f"rehearsal {document['session']['id']}: continuation "
            f"{document['rehearsal_continuation']}, runtime cutover {document['runtime_cutover']}"
        )
    if args.fail_on_no_go and document["rehearsal_continuation"] != "GO":
        return EXIT_NO_GO
    return EXIT_OK


def _trend(args: argparse.Namespace) -> int:
    from cutover_kit.report.jobs import trend_job

    if args.last < 0:
        raise CutoverKitError("--last must be 0 (all rehearsals) or more")
    job = trend_job(
        args.data_dir,
        last_n=args.last,
        since=args.since,
        until=args.until,
        service=args.service,
        policy=args.policy,
        out=args.out,
    )
    folder = _run_job(job, args.quiet)
    if folder is None:
        return EXIT_NOTEBOOK
    print(folder / job.html_name)
    return EXIT_OK


def _sample_data(args: argparse.Namespace) -> int:
    from cutover_kit.samples.generator import generate_corpus

    if args.scale < 1:
        raise CutoverKitError("--scale must be at least 1")
    ids = generate_corpus(Path(args.out_dir), scale=args.scale)
    print(f"wrote {len(ids)} rehearsal(s) ({ids[0]}..{ids[-1]}) to {args.out_dir}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cutover-kit", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"cutover-kit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="account for every evidence file")
    validate.add_argument("data_dir", type=Path)
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(run=_validate)

    verdict = commands.add_parser("verdict", help="decide both verdicts for one rehearsal")
    verdict.add_argument("data_dir", type=Path)
    verdict.add_argument("--session", default="latest", help="rehearsal id or 'latest'")
    verdict.add_argument("--policy", type=Path, help="policy TOML (default: the packaged one)")
    verdict.add_argument("--format", choices=("text", "json"), default="text")
    verdict.add_argument(
        "--fail-on-no-go",
        action="store_true",
        help="exit 3 when the rehearsal continuation is NO-GO",
    )
    verdict.set_defaults(run=_verdict)

    gates = commands.add_parser("gates", help="write one rehearsal's gates as JUnit XML")
    gates.add_argument("data_dir", type=Path)
    gates.add_argument("--session", default="latest")
    gates.add_argument("--policy", type=Path)
    gates.add_argument("--junit", required=True, help="output file, or - for stdout")
    gates.set_defaults(run=_gates)

    report = commands.add_parser(
        "report", help="execute the session report notebook for one rehearsal (HTML, Markdown)"
    )
    report.add_argument("data_dir", type=Path)
    report.add_argument("--session", default="latest", help="rehearsal id or 'latest'")
    report.add_argument("--policy", type=Path, help="policy TOML (default: the packaged one)")
    report.add_argument("--out", type=Path, help="report folder (default: reports/<rehearsal>)")
    report.add_argument(
        "--fail-on-no-go",
        action="store_true",
        help="exit 3 when the rehearsal continuation is NO-GO",
    )
    report.add_argument("--quiet", action="store_true", help="no progress, only the HTML path")
    report.set_defaults(run=_report)

    trend = commands.add_parser("trend", help="execute the trend review notebook over rehearsals")
    trend.add_argument("data_dir", type=Path)
    trend.add_argument("--last", type=int, default=0, help="only the last N rehearsals (0: all)")
    trend.add_argument("--since", default="", help="first date (ISO) of the window")
    trend.add_argument("--until", default="", help="last date (ISO) of the window")
    trend.add_argument("--service", default="", help="only this service (default: all)")
    trend.add_argument("--policy", type=Path, help="policy TOML (default: the packaged one)")
    trend.add_argument("--out", type=Path, help="report folder (default: reports/trend)")
    trend.add_argument("--quiet", action="store_true", help="no progress, only the HTML path")
    trend.set_defaults(run=_trend)

    sample = commands.add_parser("sample-data", help="(re)generate the bundled sample corpus")
    sample.add_argument("out_dir", type=Path)
    sample.add_argument("--scale", type=int, default=1, help="copies of the sample history")
    sample.set_defaults(run=_sample_data)

    from cutover_kit.capture.commands import add_capture_commands

    add_capture_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from cutover_kit.capture.commands import split_command

    kit_args, command = split_command(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(kit_args)
    args.argv_after_dashes = command
    try:
        return int(args.run(args))
    except CutoverKitError as exc:
        print(f"cutover-kit: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(
            f"cutover-kit: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
