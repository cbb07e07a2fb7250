"""The session report's parts on their own: excerpts, sections, chart blocks, the runner."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cutover_kit.analysis.excerpts import MAX_BYTES, excerpt
from cutover_kit.analysis.session import (
    build_session_report,
    command_runs,
    gates_by_category,
    non_2xx_envelopes,
    status_counts,
)
from cutover_kit.gates.model import EvidenceRef
from cutover_kit.report.display import section_blocks
from cutover_kit.report.html import remote_references
from cutover_kit.report.runner import NotebookFailedError, NotebookJob, run_notebook
from cutover_kit.report.session_markdown import fenced, render_session_markdown


def _rehearsal(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "r01"
    folder.mkdir(parents=True)
    (folder / "run.txt").write_text("\n".join(f"line {n}" for n in range(1, 21)), "utf-8")
    (folder / "doc.json").write_text(json.dumps({"a": {"b/c": [1, {"d": "<x>"}]}}), "utf-8")
    return tmp_path / "data"


def test_excerpt_quotes_lines_around_the_cited_one(tmp_path: Path) -> None:
    data = _rehearsal(tmp_path)
    quote = excerpt(EvidenceRef("r01/run.txt", "line 10"), data, "r01", context=2)
    assert [(line.number, line.text, line.cited) for line in quote.lines] == [
        (8, "line 8", False),
        (9, "line 9", False),
        (10, "line 10", True),
        (11, "line 11", False),
        (12, "line 12", False),
    ]
    edge = excerpt(EvidenceRef("r01/run.txt", "line 20"), data, "r01", context=3)
    assert [line.number for line in edge.lines] == [17, 18, 19, 20]


def test_excerpt_quotes_the_json_value_at_a_pointer(tmp_path: Path) -> None:
    data = _rehearsal(tmp_path)
    quote = excerpt(EvidenceRef("r01/doc.json", "/a/b~1c/1/d"), data, "r01")
    assert quote.value == '"<x>"' and not quote.problem
    absent = excerpt(EvidenceRef("r01/doc.json", "/a/zzz"), data, "r01")
    assert absent.problem == "not quoted: the file holds nothing at /a/zzz"


def test_excerpt_never_reads_outside_the_rehearsal_folder(tmp_path: Path) -> None:
    data = _rehearsal(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    (data / "r02").mkdir()
    (data / "r02" / "other.txt").write_text("other rehearsal", encoding="utf-8")
    (data / "r01" / "link.txt").symlink_to(secret)
    for path in (
        "../secret.txt",
        "r01/../../secret.txt",
        str(secret),
        "r01/link.txt",
        "r02/other.txt",
    ):
        quote = excerpt(EvidenceRef(path, "line 1"), data, "r01")
        assert quote.problem == "not quoted: the path lies outside the rehearsal folder", path
        assert not quote.lines and not quote.value


def test_excerpt_reads_a_bounded_prefix_of_huge_files(tmp_path: Path) -> None:
    data = _rehearsal(tmp_path)
    (data / "r01" / "huge.txt").write_bytes(b"x\n" * (MAX_BYTES // 2 + 10) + b"tail\n")
    quote = excerpt(EvidenceRef("r01/huge.txt", f"line {MAX_BYTES // 2 + 11}"), data, "r01")
    assert all(line.text != "tail" for line in quote.lines)


def test_excerpt_of_a_junit_case(corpus) -> None:
    verdict = corpus.evaluate("r06")
    ref = next(r for g in verdict.gates if g.id == "GRD-3" for r in g.evidence if "junit" in r.path)
    quote = excerpt(ref, corpus.ledger.data_dir, verdict.rehearsal.folder)
    assert quote.language == "xml"
    assert "preflight_reports_timeout_as_offline" in quote.value
    assert "expected 'blocked' to be 'offline'" in quote.value


def test_gates_grouped_in_plan_order_with_missing_apart(corpus) -> None:
    verdict = corpus.evaluate("r01")
    groups = gates_by_category(verdict.gates)
    assert [c for c, _ in groups] == [
        "precondition",
        "command",
        "artifact-review",
        "guardrail",
        "stop-condition",
        "rollback-readiness",
    ]
    counts = status_counts(verdict.gates)
    assert counts["missing"] == 1 and counts["fail"] == 0  # RBK-1 has no drill record in r01
    markdown = render_session_markdown(build_session_report(corpus, verdict))
    assert "- Missing evidence (not a pass, not a fail): `RBK-1`" in markdown
    assert "| `RBK-1` | **MISSING** |" in markdown


def test_command_tree_marks_the_step_that_failed(corpus) -> None:
    runs = command_runs(corpus, corpus.evaluate("r06"))
    dry_run = next(run for run in runs if run.path.endswith("01-cutover-dry-run.txt"))
    assert dry_run.top.command == "test:memorykernel-cutover-dry-run"
    assert dry_run.top.result == "fail" and not dry_run.top.failed_step
    failed = [step for step in dry_run.steps if step.failed_step]
    # test:ci failed, but the step that broke is its vitest run, after a passing nested check
    assert [(s.command.split()[:2], s.depth) for s in failed] == [(["vitest", "run"], 2)]
    test_ci = next(s for s in dry_run.steps if s.command == "test:ci")
    assert (test_ci.result, test_ci.exit_code, test_ci.failed_step) == ("fail", 1, False)


def test_envelope_without_a_json_body_shows_no_contract_version_nor_code(corpus) -> None:
    rows = non_2xx_envelopes(corpus, corpus.evaluate("r08"))
    proxy = next(row for row in rows if row.path.endswith("500-proxy-internal-server-error.json"))
    # a proxy's plain-text page has no envelope fields: empty, never a stray "nan"
    assert (proxy.http_status, proxy.service_contract_version, proxy.error_code) == ("500", "", "")
    assert "not an error envelope" in proxy.outcome


def test_fence_outlasts_backticks_in_evidence() -> None:
    text = "before\n````\n<script>alert(1)</script>\n````"
    block = fenced(text)
    assert block.startswith("`````\n") and block.endswith("\n`````")


def test_section_blocks_split_at_known_figures() -> None:
    markdown = "## A\n\n![chart](figures/a.png)\n\ntext ![other](figures/unknown.png)"
    blocks = section_blocks(markdown, {"figures/a.png": b"PNG"})
    assert [(b.markdown, b.png, b.alt) for b in blocks] == [
        ("## A", b"", ""),
        ("", b"PNG", "chart"),
        ("text ![other](figures/unknown.png)", b"", ""),
    ]


def test_remote_references_are_found() -> None:
    page = (
        '<script src="https://cdn.example/x.js"></script><link href="//fonts.example/f.css">'
        '<style>@import "http://a.example/s.css"; b { background: url(https://b.example/i.png) }'
        '</style><img src="data:image/png;base64,AAAA"><a href="#local">x</a>'
    )
    assert remote_references(page) == [
        "//fonts.example/f.css",
        "http://a.example/s.css",
        "https://b.example/i.png",
        "https://cdn.example/x.js",
    ]


def _notebook(tmp_path: Path, source: str) -> Path:
    parameters = new_code_cell('output_dir = ""')
    parameters.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[parameters, new_code_cell(source)])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    return path


def test_runner_publishes_atomically_and_runs_this_interpreter(tmp_path: Path) -> None:
    source = (
        "import sys, pathlib\n"
        "pathlib.Path(output_dir, 'python.txt').write_text(sys.executable)\n"
        "print('<b>hello</b>')"
    )
    job = NotebookJob(_notebook(tmp_path, source), {}, "page.html", "t", out_dir=tmp_path / "out")
    folder = run_notebook(job, quiet=True)
    assert folder == (tmp_path / "out").resolve()
    import sys

    assert (folder / "python.txt").read_text() == sys.executable
    assert sorted(p.name for p in folder.iterdir()) == ["notebook.ipynb", "page.html", "python.txt"]
    assert "&lt;b&gt;hello&lt;/b&gt;" in (folder / "page.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.ipynb", "out"]


def test_runner_keeps_a_failed_run_apart(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "page.html").write_text("previous", encoding="utf-8")
    job = NotebookJob(
        _notebook(tmp_path, "raise ValueError('bad evidence')"),
        {},
        "page.html",
        "t",
        out_dir=tmp_path / "out",
    )
    with pytest.raises(NotebookFailedError) as failure:
        run_notebook(job, quiet=True)
    assert str(failure.value) == (
        "nb.ipynb: cell 3 (raise ValueError('bad evidence')) failed: ValueError: bad evidence"
    )
    assert failure.value.failed_dir == (tmp_path / "failed-out").resolve()
    assert (tmp_path / "out" / "page.html").read_text(encoding="utf-8") == "previous"
    assert (tmp_path / "failed-out" / "notebook.ipynb").is_file()


def test_charts_have_titles_labels_and_the_palette(corpus) -> None:
    from matplotlib.colors import to_hex

    from cutover_kit.figures.palette import FALLBACK_COLORS, STATUS_COLORS
    from cutover_kit.figures.session_figures import fallback_figure, gate_status_figure

    report = build_session_report(corpus, corpus.evaluate("r06"))
    gates = gate_status_figure(report.gate_groups, "r06")
    axes = gates.axes[0]
    assert axes.get_title() == "Gate status by category, rehearsal r06"
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("number of gates", "gate category")
    legend = gates.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["pass", "fail", "missing", "skipped"]
    colours = [to_hex(h.get_facecolor()).upper() for h in legend.legend_handles]
    assert colours == [STATUS_COLORS[s].upper() for s in ("pass", "fail", "missing", "skipped")]
    fallback = fallback_figure(report.fallback, "r06", "r05")
    axes = fallback.axes[0]
    assert axes.get_title() == "Fallback cases by scenario, r06 against r05"
    assert [t.get_text() for t in axes.get_yticklabels()][::-1] == [
        r.scenario for r in report.fallback
    ]
    regression = next(
        h
        for h, t in zip(
            fallback.legends[0].legend_handles, fallback.legends[0].get_texts(), strict=True
        )
        if t.get_text() == "regression"
    )
    assert to_hex(regression.get_facecolor()).upper() == FALLBACK_COLORS["regression"].upper()
