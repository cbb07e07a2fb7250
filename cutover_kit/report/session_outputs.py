"""What the session notebook computes once and writes into its output folder.

:func:`prepare_session_report` loads the corpus, evaluates the rehearsal, assembles every section
and draws both charts; :func:`write_session_outputs` writes ``report.md``, ``verdict.json``,
``gates.junit.xml`` and ``figures/*.png``. The notebook calls both, so plain papermill, nbval and
``cutover-kit report`` produce the same files. Each file is replaced atomically: a notebook run
by hand into an existing folder and killed halfway leaves every file whole, old or new.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cutover_kit.analysis.heap import settle
from cutover_kit.analysis.session import SessionReport, build_session_report
from cutover_kit.api import Corpus, load_corpus
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.figures.session_figures import fallback_figure, figure_png, gate_status_figure
from cutover_kit.output.atomic import write_atomically
from cutover_kit.output.gates_junit import render_gates_junit
from cutover_kit.output.verdict_json import render_verdict_json
from cutover_kit.report.outputs import GATES_JUNIT, REPORT_MD, VERDICT_JSON
from cutover_kit.report.parameters import resolve_data_dir, resolve_output_dir, resolve_policy
from cutover_kit.report.session_markdown import (
    FIGURE_FALLBACK,
    FIGURE_GATES,
    render_session_markdown,
)
from cutover_kit.verdict import Verdict


@dataclass(frozen=True)
class SessionRun:
    """One rehearsal's report, computed and ready to display and write."""

    corpus: Corpus
    verdict: Verdict
    report: SessionReport
    output_dir: Path
    figures: dict[str, bytes]


def prepare_session_report(
    data_dir: str,
    session_id: str,
    policy: str,
    output_dir: str,
    options: IngestOptions | None = None,
) -> SessionRun:
    """Resolve the notebook parameters, evaluate the rehearsal and draw its charts."""
    corpus = load_corpus(resolve_data_dir(data_dir), resolve_policy(policy), options=options)
    settle()  # the ledger lives as long as the report: no collection needs to walk it again
    verdict = corpus.evaluate(session_id.strip() or "latest")
    report = build_session_report(corpus, verdict)
    rehearsal_id = verdict.rehearsal.id
    figures = {
        FIGURE_GATES: figure_png(gate_status_figure(report.gate_groups, rehearsal_id)),
        FIGURE_FALLBACK: figure_png(
            fallback_figure(report.fallback, rehearsal_id, verdict.previous_id)
        ),
    }
    out = resolve_output_dir(output_dir, rehearsal_id)
    return SessionRun(corpus, verdict, report, out, figures)


def write_session_outputs(run: SessionRun) -> list[Path]:
    """Write the report's files into ``run.output_dir``; returns them in writing order."""
    written = []
    for relative, png in run.figures.items():
        target = run.output_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, png)
        written.append(target)
    texts = {
        REPORT_MD: render_session_markdown(run.report),
        VERDICT_JSON: render_verdict_json(run.verdict, run.corpus.policy),
        GATES_JUNIT: render_gates_junit(run.verdict),
    }
    for name, text in texts.items():
        target = run.output_dir / name
        write_atomically(target, text)
        written.append(target)
    return written
