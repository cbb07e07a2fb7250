"""Writing the trend review: ``trend.json``, ``trend.md`` and ``figures/*.png`` in one folder.

The notebook calls :func:`write_trend_outputs`, so the CLI and plain papermill write the same
files. JSON and Markdown are byte-identical for the same evidence, policy and window: rates are
rounded to four decimals, lists come in corpus or policy order, and nothing machine-specific
(absolute paths, times) is written. Each file is replaced atomically (a run killed halfway
leaves every file whole, old or new); ``cutover-kit trend`` also publishes the folder as a whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from cutover_kit.analysis.fallback_trend import CHANGE_CLASSES
from cutover_kit.analysis.transitions import Transition
from cutover_kit.analysis.trend import TrendReview
from cutover_kit.figures import trend_figures
from cutover_kit.figures.png import png_bytes
from cutover_kit.output.atomic import write_atomically
from cutover_kit.output.indented_json import indented_json
from cutover_kit.report.trend_render import trend_markdown
from cutover_kit.report.trend_sections import Section, title, trend_sections, window_sentence

SCHEMA: Final = "cutover-kit/trend.v1"
FIGURE_DIR: Final = "figures"


def _number(value: Any) -> Any:
    """JSON-ready scalar: numpy types to Python, rates rounded, NaN / None to null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if hasattr(value, "item"):
        return _number(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    return value


def _columns(frame: pd.DataFrame, columns: list[str]) -> list[list[Any]]:
    """The columns as plain Python lists: iterating a pandas string column (``itertuples``,
    ``to_dict``) yields one boxed value at a time, many times slower than one ``tolist``."""
    return [frame[column].tolist() for column in columns]


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    values = [[_number(value) for value in column] for column in _columns(frame, columns)]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def trend_document(review: TrendReview) -> dict[str, Any]:
    """The content of ``trend.json``."""
    fallback_columns = ["rehearsal_id", "scenario", "executed", "lost_coverage", *CHANGE_CLASSES]
    fallback_rows = list(zip(*_columns(review.fallback, fallback_columns), strict=True))
    named = fallback_columns.index("regression")
    regressions: dict[str, list[dict[str, str]]] = {}
    for row in fallback_rows:
        regressions.setdefault(str(row[0]), []).extend(
            {"scenario": str(row[1]), "case": str(case)} for case in row[named]
        )
    rehearsal_columns = [
        "rehearsal_id",
        "date",
        "service",
        "kind",
        "rehearsal_continuation",
        "runtime_cutover",
        "cutover_completion",
        "fallback_regressions",
    ]
    rehearsals = [
        {
            "id": rehearsal_id,
            "date": date,
            "service": service,
            "kind": kind,
            "rehearsal_continuation": continuation,
            "runtime_cutover": runtime,
            "cutover_completion": completion,
            "fallback_regressions": int(count),
            "regressions": regressions.get(str(rehearsal_id), []),
        }
        for (
            rehearsal_id,
            date,
            service,
            kind,
            continuation,
            runtime,
            completion,
            count,
        ) in zip(*_columns(review.rehearsals, rehearsal_columns), strict=True)
    ]
    gate_columns = [c for c in review.gate_rates.columns if c != "pairs"]
    fallback = [
        {
            "rehearsal_id": rehearsal_id,
            "scenario": scenario,
            "executed": int(executed),
            "lost_coverage": bool(lost_coverage),
            **{change: list(cases) for change, cases in zip(CHANGE_CLASSES, changes, strict=True)},
        }
        for rehearsal_id, scenario, executed, lost_coverage, *changes in fallback_rows
    ]
    transitions = review.transitions[review.transitions["change"] != Transition.STEADY]
    return {
        "schema": SCHEMA,
        "policy": {
            "name": review.policy_name,
            "source": review.policy_source,
            "sha256": review.policy_sha256,
            "flaky_threshold": review.flaky_threshold,
            "rolling_window": review.rolling_window,
        },
        "window": {**review.spec.as_dict(), "rehearsals": list(review.window_ids)},
        "rehearsals": rehearsals,
        "gates": _records(review.gate_rates, gate_columns),
        "rolling": _records(review.rolling, list(review.rolling.columns)),
        "transitions": _records(transitions, list(transitions.columns)),
        "fallback": fallback,
        "flaky": {
            "threshold": review.flaky_threshold,
            "gates": [str(g) for g in review.flaky_gates["gate"]],
            "test_cases": _records(review.flaky_cases, list(review.flaky_cases.columns)),
        },
        "commands": _records(review.commands, list(review.commands.columns)),
        "readiness": {
            "holds": review.ready,
            "services": [statement.as_dict() for statement in review.readiness],
        },
    }


def trend_json(review: TrendReview) -> bytes:
    """``trend.json``'s bytes (UTF-8, indented by two spaces)."""
    return indented_json(trend_document(review))


def render_figures(review: TrendReview, figure_dir: Path) -> dict[str, Path]:
    """Draw every chart of the review into ``figure_dir``; returns name -> PNG path."""
    dates = list(review.rehearsals["date"])
    figures = {
        "verdict_timeline": trend_figures.verdict_timeline(review.rehearsals, review.gate_status),
        "gate_pass_rates": trend_figures.gate_pass_rates(review.gate_rates),
        "pass_rate_trend": trend_figures.pass_rate_trend(
            review.rolling, dates, review.rolling_window
        ),
        "fallback_by_scenario": trend_figures.fallback_grid(
            review.fallback, review.window_ids, dates
        ),
    }
    figure_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, figure in figures.items():
        path = figure_dir / f"{name}.png"
        write_atomically(path, png_bytes(figure, trend_figures.DPI))
        written[name] = path
    return written


@dataclass(frozen=True)
class TrendOutputs:
    """What :func:`write_trend_outputs` wrote, and the sections the notebook displays."""

    review: TrendReview
    output_dir: Path
    json_path: Path
    markdown_path: Path
    figures: dict[str, Path]
    sections: dict[str, Section]


def write_trend_outputs(review: TrendReview, output_dir: Path | str) -> TrendOutputs:
    """Write ``trend.json``, ``trend.md`` and ``figures/*.png`` into ``output_dir``."""
    target = Path(output_dir)
    target.mkdir(parents=True, exist_ok=True)
    figures = render_figures(review, target / FIGURE_DIR)
    sections = trend_sections(review)
    links = {name: f"{FIGURE_DIR}/{path.name}" for name, path in figures.items()}
    json_path = target / "trend.json"
    write_atomically(json_path, trend_json(review))
    markdown_path = target / "trend.md"
    write_atomically(
        markdown_path, trend_markdown(title(review), window_sentence(review), sections, links)
    )
    return TrendOutputs(
        review=review,
        output_dir=target,
        json_path=json_path,
        markdown_path=markdown_path,
        figures=figures,
        sections={section.key: section for section in sections},
    )
