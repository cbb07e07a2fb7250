"""Trend review stage benchmark: what a trend review costs once the evaluation is done.

For each fleet size (default 1,000, 3,000 and 10,000 rehearsals over 12 producer/consumer pairs)
it generates a fleet under ``--dir`` (outside the repo), warms the ingest cache, computes the
trend inputs (``analysis.trend.trend_inputs``: every rehearsal evaluated) once and pickles them,
then, in a fresh process reading that pickle, times each stage after it: ``build_trend_review``,
the four charts, ``trend.json`` and ``trend.md`` (with the notebook's HTML sections). Memory is
what those stages add to the process's resident set at its peak (``VmHWM`` after a reset, minus
``VmRSS`` before them). The table ends with the cost per 1,000 rehearsals (flat means linear).

Run: ``.venv/bin/python benchmarks/trend_review_stage.py [--rehearsals 1000 3000 10000]``
(minutes at 10,000: generating the fleet and evaluating it take most of them).
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cutover_kit.analysis.trend import trend_inputs
from cutover_kit.api import load_corpus
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.samples.fleet import generate_fleet

STAGES = """
import gc, json, pickle, sys, time
from pathlib import Path
import matplotlib.figure, pandas
from cutover_kit.analysis.trend import build_trend_review
from cutover_kit.analysis.window import WindowSpec
from cutover_kit.report.trend_outputs import render_figures, trend_json
from cutover_kit.report.trend_render import section_tables_html, section_text_html, trend_markdown
from cutover_kit.report.trend_sections import title, trend_sections, window_sentence

def status(key):
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) // 1024 for line in handle if line.startswith(key))

with open(sys.argv[1], "rb") as handle:
    inputs = pickle.load(handle)
out = Path(sys.argv[2])
gc.collect()
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # reset the peak
seconds = {}
start = time.perf_counter()
review = build_trend_review(inputs, WindowSpec())
seconds["review"] = time.perf_counter() - start
start = time.perf_counter()
figures = render_figures(review, out / "figures")
seconds["charts"] = time.perf_counter() - start
start = time.perf_counter()
(out / "trend.json").write_bytes(trend_json(review))
seconds["json"] = time.perf_counter() - start
start = time.perf_counter()
sections = trend_sections(review)
links = {name: f"figures/{path.name}" for name, path in figures.items()}
(out / "trend.md").write_text(
    trend_markdown(title(review), window_sentence(review), sections, links), encoding="utf-8"
)
"".join(section_text_html(s) + section_tables_html(s) for s in sections)
seconds["page"] = time.perf_counter() - start
print(json.dumps({**seconds, "extra_mib": status("VmHWM") - before}))
"""


def stage_costs(inputs: Path, out: Path) -> dict[str, float]:
    """The stages after ``trend_inputs`` in a fresh process: seconds each and extra MiB."""
    done = subprocess.run(
        [sys.executable, "-c", STAGES, str(inputs), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    costs: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rehearsals", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--services", type=int, default=12)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp)")
    arguments = parser.parse_args()
    work = arguments.dir or Path(tempfile.mkdtemp(prefix="cutover-kit-review-"))
    rows = []
    try:
        for count in arguments.rehearsals:
            fleet = work / f"fleet-{count}"
            if not fleet.exists():
                generate_fleet(fleet, rehearsals=count, services=arguments.services)
            corpus = load_corpus(fleet, options=IngestOptions(use_cache=True))
            pickled = work / f"inputs-{count}.pickle"
            with pickled.open("wb") as handle:
                pickle.dump(trend_inputs(corpus), handle, protocol=pickle.HIGHEST_PROTOCOL)
            del corpus
            costs = stage_costs(pickled, work / f"review-{count}")
            rows.append((count, costs))
            print(f"{count} rehearsals: {json.dumps(costs)}", file=sys.stderr, flush=True)
    finally:
        if arguments.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        "| rehearsals | review | charts | trend.json | trend.md + page | total | per 1,000 "
        "| extra MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for count, costs in rows:
        total = costs["review"] + costs["charts"] + costs["json"] + costs["page"]
        print(
            f"| {count:,} | {costs['review']:.2f} s | {costs['charts']:.2f} s | "
            f"{costs['json']:.2f} s | {costs['page']:.2f} s | {total:.2f} s | "
            f"{total / count * 1000:.2f} s | {costs['extra_mib']:.0f} |"
        )


if __name__ == "__main__":
    main()
