"""``cutover-kit``: validate evidence, decide verdicts, export gates as JUnit, write sample data.

Exit codes: 0 success; 2 unreadable input (or, for ``validate``, rejected files); 3 a NO-GO
rehearsal continuation with ``--fail-on-no-go``. Exit 1 means a bug in cutover-kit, or for
``report`` and ``trend`` a notebook cell that failed (they say which cell and why): user errors
are always explained in one line, and so are bugs, never with a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cutover_kit._version import __version__
from cutover_kit.errors import CutoverKitError
from cutover_kit.warning_lines import warnings_as_lines

if TYPE_CHECKING:
    from cutover_kit.api import Corpus
    from cutover_kit.evidence.ingest import IngestOptions
    from cutover_kit.report.runner import NotebookJob
    from cutover_kit.verdict import Verdict

EXIT_OK, EXIT_BUG, EXIT_INPUT, EXIT_NO_GO, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_NOTEBOOK = 1
MAX_FILE_MB_ENV = "CUTOVER_KIT_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = "16"


def _ingest_options(args: argparse.Namespace) -> IngestOptions:
    # Here, not at the top: the ingest stack (pyarrow, pydantic) must not slow `capture` down.
    from cutover_kit.evidence.ingest import IngestOptions

    if args.jobs < 1:
        raise CutoverKitError("--jobs must be at least 1")
    return IngestOptions(use_cache=not args.no_cache, cache_dir=args.cache, jobs=args.jobs)


def _add_ingest_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--cache", type=Path, metavar="DIR", help="cache folder (default: DATA_DIR/.cutover-kit)"
    )
    command.add_argument("--no-cache", action="store_true", help="read every file afresh")
    command.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes for files not cached (default: the number of cores)",
    )


def _validate(args: argparse.Namespace) -> int:
    from cutover_kit.evidence.ledger import load_ledger
    from cutover_kit.output.validate_summary import render_validate_json, render_validate_text

    ledger = load_ledger(
        args.data_dir, max_bytes=args.max_file_bytes, options=_ingest_options(args)
    )
    render = render_validate_json if args.format == "json" else render_validate_text
    _write_output(args.out, render(ledger), f"the accounts of {len(ledger.outcomes)} file(s)")
    return EXIT_INPUT if ledger.counts()["rejected"] else EXIT_OK


def _evaluate(args: argparse.Namespace) -> tuple[Corpus, Verdict]:
    from cutover_kit.api import load_corpus

    corpus = load_corpus(
        args.data_dir,
        args.policy,
        max_bytes=args.max_file_bytes,
        options=_ingest_options(args),
    )
    try:
        return corpus, corpus.evaluate(args.session)
    except CutoverKitError:
        raise
    except Exception as exc:
        exc.add_note(f"while evaluating rehearsal {args.session}")
        raise


def _write_output(target: str, text: str, what: str) -> None:
    """``-`` is stdout; a file is replaced whole or not at all (see :mod:`.output.atomic`)."""
    from cutover_kit.output.atomic import write_atomically

    if target == "-":
        sys.stdout.write(text)
    else:
        write_atomically(target, text)
        print(f"wrote {what} to {target}")


def _verdict(args: argparse.Namespace) -> int:
    from cutover_kit.output.verdict_json import render_verdict_json
    from cutover_kit.output.verdict_text import render_verdict_text
    from cutover_kit.verdict.values import Decision

    corpus, verdict = _evaluate(args)
    if args.format == "json":
        text = render_verdict_json(verdict, corpus.policy)
    else:
        text = render_verdict_text(verdict)
    _write_output(args.out, text, f"the verdict of {verdict.rehearsal.id}")
    if args.fail_on_no_go and verdict.rehearsal_continuation is not Decision.GO:
        return EXIT_NO_GO
    return EXIT_OK


def _gates(args: argparse.Namespace) -> int:
    from cutover_kit.output.gates_junit import render_gates_junit

    _, verdict = _evaluate(args)
    xml = render_gates_junit(verdict)
    _write_output(args.junit, xml, f"{len(verdict.gates)} gate(s) of {verdict.rehearsal.id}")
    return EXIT_OK


def _run_job(job: NotebookJob, quiet: bool) -> Path | None:
    """Run a report notebook; ``None`` when a cell failed (already explained on stderr)."""
    from cutover_kit.errors import NotebookFailedError
    from cutover_kit.report.runner import run_notebook

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
    from cutover_kit.verdict.values import Decision

    job = session_job(
        args.data_dir, args.session, args.policy, args.out, options=_ingest_options(args)
    )
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
    if args.fail_on_no_go and document["rehearsal_continuation"] != Decision.GO:
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
        options=_ingest_options(args),
    )
    folder = _run_job(job, args.quiet)
    if folder is None:
        return EXIT_NOTEBOOK
    print(folder / job.html_name)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from cutover_kit.api import load_corpus
    from cutover_kit.export.parquet import write_export

    corpus = load_corpus(
        args.data_dir,
        args.policy,
        max_bytes=args.max_file_bytes,
        options=_ingest_options(args),
    )
    counts = write_export(corpus, args.to)
    rows = ", ".join(f"{name} {count}" for name, count in counts.items())
    print(f"wrote {len(corpus.ledger.rehearsals)} rehearsal(s) to {args.to}: {rows}")
    return EXIT_OK


def _sample_data(args: argparse.Namespace) -> int:
    from cutover_kit.samples.generator import generate_corpus

    if args.scale < 1:
        raise CutoverKitError("--scale must be at least 1")
    if args.rehearsals is not None:
        from cutover_kit.samples.fleet import generate_fleet

        ids = generate_fleet(Path(args.out_dir), args.rehearsals, args.services)
    else:
        ids = generate_corpus(Path(args.out_dir), scale=args.scale)
    print(f"wrote {len(ids)} rehearsal(s) ({ids[0]}..{ids[-1]}) to {args.out_dir}")
    return EXIT_OK


def _megabytes(value: str) -> int:
    """``--max-file-mb`` in bytes; a bad value is a usage error, not a traceback."""
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < 1024 * 1024:
        raise argparse.ArgumentTypeError(f"expected a positive number of MiB, got {value!r}")
    return int(megabytes * 1024 * 1024)


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-file-mb",
        dest="max_file_bytes",
        type=_megabytes,
        default=os.environ.get(MAX_FILE_MB_ENV, DEFAULT_MAX_FILE_MB),
        metavar="MB",
        help="size limit for JSON, XML and markdown evidence; transcripts have none"
        f" (default: ${MAX_FILE_MB_ENV} or {DEFAULT_MAX_FILE_MB})",
    )


_OUT_HELP = "output file, replaced whole or not at all (default: - for stdout)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cutover-kit", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"cutover-kit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="account for every evidence file")
    validate.add_argument("data_dir", type=Path)
    validate.add_argument("--format", choices=("text", "json"), default="text")
    _add_ingest_arguments(validate)
    validate.add_argument("--out", default="-", help=_OUT_HELP)
    _add_reading_options(validate)
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
    _add_ingest_arguments(verdict)
    verdict.add_argument("--out", default="-", help=_OUT_HELP)
    _add_reading_options(verdict)
    verdict.set_defaults(run=_verdict)

    gates = commands.add_parser("gates", help="write one rehearsal's gates as JUnit XML")
    gates.add_argument("data_dir", type=Path)
    gates.add_argument("--session", default="latest")
    gates.add_argument("--policy", type=Path)
    gates.add_argument("--junit", required=True, help="output file, or - for stdout")
    _add_ingest_arguments(gates)
    _add_reading_options(gates)
    gates.set_defaults(run=_gates)

    export = commands.add_parser(
        "export", help="write every table, gate and verdict as a Parquet dataset"
    )
    export.add_argument("data_dir", type=Path)
    export.add_argument("--to", type=Path, required=True, metavar="DIR", help="output folder")
    export.add_argument("--policy", type=Path)
    _add_ingest_arguments(export)
    _add_reading_options(export)
    export.set_defaults(run=_export)

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
    _add_ingest_arguments(report)
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
    _add_ingest_arguments(trend)
    trend.set_defaults(run=_trend)

    sample = commands.add_parser("sample-data", help="(re)generate the bundled sample corpus")
    sample.add_argument("out_dir", type=Path)
    sample.add_argument("--scale", type=int, default=1, help="copies of the sample history")
    sample.add_argument(
        "--rehearsals", type=int, metavar="N", help="a fleet of N rehearsals (instead of --scale)"
    )
    sample.add_argument(
        "--services", type=int, default=1, metavar="K", help="producer/consumer pairs of a fleet"
    )
    sample.set_defaults(run=_sample_data)

    from cutover_kit.capture.commands import add_capture_commands

    add_capture_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from cutover_kit.capture.commands import split_command

    kit_args, command = split_command(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(kit_args)
    args.argv_after_dashes = command
    warnings_as_lines()
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
    except KeyboardInterrupt:
        print("cutover-kit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - a bug still gets one line, never a traceback
        print(_bug_line(exc), file=sys.stderr)
        return EXIT_BUG


def _bug_line(exc: BaseException) -> str:
    """One line naming where the kit was (file or rehearsal, when known) and the error."""
    from cutover_kit.output.plain_text import one_line

    where = "".join(f" {note}" for note in getattr(exc, "__notes__", ()))
    return one_line(
        f"cutover-kit: internal error{where}: {type(exc).__name__}: {exc}"
        " (a bug in cutover-kit, not in your evidence; please report it)"
    )


if __name__ == "__main__":
    sys.exit(main())
