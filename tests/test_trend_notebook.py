"""``notebooks/trend_review.ipynb`` executed with papermill (in process) on the sample corpus.

One execution per corpus, shared by the module: the outputs it writes are checked against what
the kit computes, for determinism against a second, direct run of the kit, and for escaping of
hostile evidence text.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import mistune
import nbformat
import papermill
import pytest
from conftest import REPO, SAMPLE_DIR

from cutover_kit.analysis.window import WindowSpec
from cutover_kit.api import load_corpus, trend_review
from cutover_kit.report.trend_outputs import write_trend_outputs

NOTEBOOK = REPO / "notebooks" / "trend_review.ipynb"
PARAMETERS = (
    "data_dir", "last_n", "since", "until", "service", "policy", "output_dir", "cache_dir",
    "no_cache", "jobs",
)  # fmt: skip
HOSTILE_LEAF = (
    "timeout_<script>alert(1)</script>_<img src=x onerror=alert(2)>_[x](javascript:alert(3))"
)


def _execute(tmp: Path, **parameters: object) -> tuple[Path, nbformat.NotebookNode]:
    """Run the notebook as the CLI does: papermill's Python API, current interpreter's kernel."""
    output_dir = tmp / "out"
    executed = tmp / "trend_review.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(executed),
        parameters={**parameters, "output_dir": str(output_dir)},
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,
        cwd=str(tmp),
    )
    return output_dir, nbformat.read(executed, as_version=4)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nbformat.NotebookNode]:
    return _execute(tmp_path_factory.mktemp("trend-sample"), data_dir=str(SAMPLE_DIR))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nbformat.NotebookNode]:
    """A copy of the sample corpus whose r06 JUnit names a failing timeout case with markup."""
    tmp = tmp_path_factory.mktemp("trend-hostile")
    corpus = tmp / "rehearsals"
    shutil.copytree(SAMPLE_DIR, corpus)
    junit = corpus / "r06" / "junit" / "vitest-ci.xml"
    escaped = HOSTILE_LEAF.replace("<", "&lt;").replace(">", "&gt;")
    text = junit.read_text(encoding="utf-8")
    original = "deterministic fallback &gt; preflight_reports_timeout_as_offline"
    assert original in text
    junit.write_text(text.replace(original, escaped), encoding="utf-8")
    return _execute(tmp, data_dir=str(corpus), until="2026-01-27")


def test_notebook_is_stored_clean_with_the_contract_parameters() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = [line.split("=")[0].strip() for line in tagged[0].source.splitlines()]
    assert tuple(names) == PARAMETERS
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


def test_trend_json_counts_equal_the_kit(sample_run: tuple[Path, nbformat.NotebookNode]) -> None:
    output_dir, _ = sample_run
    document = json.loads((output_dir / "trend.json").read_text(encoding="utf-8"))
    corpus = load_corpus(SAMPLE_DIR)
    frame = corpus.gate_frame()
    assert document["window"]["rehearsals"] == [r.id for r in corpus.ledger.rehearsals]
    assert [g["gate"] for g in document["gates"]] == list(frame["gate"].unique())
    for gate in document["gates"]:
        statuses = frame[frame["gate"] == gate["gate"]]["status"]
        for status in ("pass", "fail", "missing", "skipped"):
            assert gate[status] == int((statuses == status).sum()), (gate["gate"], status)
        assert gate["runs"] == gate["pass"] + gate["fail"] + gate["missing"]
        assert {"pass_rate", "wilson_low", "wilson_high", "flip_rate"} <= set(gate)
    verdicts = {v.rehearsal.id: v for v in corpus.evaluate_all()}
    for rehearsal in document["rehearsals"]:
        verdict = verdicts[rehearsal["id"]]
        assert rehearsal["rehearsal_continuation"] == verdict.rehearsal_continuation
        assert rehearsal["runtime_cutover"] == verdict.runtime_cutover
        assert len(rehearsal["regressions"]) == verdict.regressions
    assert document["readiness"]["holds"] is True
    (statement,) = document["readiness"]["services"]
    assert (statement["at"], statement["window"]) == ("r15", ["r13", "r14", "r15"])


def test_trend_md_links_figures_that_exist_and_are_png(
    sample_run: tuple[Path, nbformat.NotebookNode],
) -> None:
    output_dir, _ = sample_run
    markdown = (output_dir / "trend.md").read_text(encoding="utf-8")
    links = [
        line.split("](", 1)[1].rstrip(")")
        for line in markdown.splitlines()
        if line.startswith("![")
    ]
    assert len(links) == 4
    for link in links:
        assert link.startswith("figures/")
        png = (output_dir / link).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert 600 <= width <= 1200
        assert 150 <= height <= 1200
    assert sorted(p.name for p in (output_dir / "figures").iterdir()) == sorted(
        Path(link).name for link in links
    )


def test_notebook_displays_every_section_with_its_chart(
    sample_run: tuple[Path, nbformat.NotebookNode],
) -> None:
    _, notebook = sample_run
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    html = "".join(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert len(images) == 4
    assert "Runtime cutover readiness HOLDS." in html
    assert "preflight_reports_timeout_as_offline" in html


def test_two_runs_write_byte_identical_json_and_markdown(
    sample_run: tuple[Path, nbformat.NotebookNode], tmp_path: Path
) -> None:
    output_dir, _ = sample_run
    again = write_trend_outputs(trend_review(load_corpus(SAMPLE_DIR), WindowSpec()), tmp_path)
    assert again.json_path.read_bytes() == (output_dir / "trend.json").read_bytes()
    assert again.markdown_path.read_bytes() == (output_dir / "trend.md").read_bytes()


def test_markup_from_evidence_is_escaped(hostile_run: tuple[Path, nbformat.NotebookNode]) -> None:
    output_dir, notebook = hostile_run
    markdown = (output_dir / "trend.md").read_text(encoding="utf-8")
    # the hostile case is listed (new failing in r06) and named by a blocker (STOP-2's detail)
    assert markdown.count("onerror=alert") >= 2
    rendered = mistune.html(markdown)
    assert "<script" not in rendered
    assert "javascript:" not in "".join(rendered.split('href="')[1:])
    assert rendered.count("<img") == 4  # the four charts, nothing from evidence
    assert "&lt;script&gt;" in rendered
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    html = "".join(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert "onerror=alert(2)" in html
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
