"""``cutover-kit report`` (and ``trend``) against the floor of any papermill report, in one run.

The floor is what every papermill-and-nbconvert report pays whatever it shows: a kernel start,
a notebook that only imports pandas and matplotlib and draws one figure, and its conversion to
HTML, through the very same path as the kit (:func:`cutover_kit.report.runner.run_notebook`:
papermill's Python API in this process, the kit's kernel manager, nbconvert in this process,
atomic publish). Each measurement is the median of ``--runs`` runs, interleaved so machine noise
hits all of them alike; the ratio to the floor is the figure to watch (targets: session report
<= 1.2x, trend review <= 1.5x). CPU seconds (this process and the kernel, a reaped child) are
printed too: on a machine shared with other work, wall time inflates the CPU-heavy side most, and
the CPU ratio shows what the report itself costs. Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from cutover_kit.cli import main as cli
from cutover_kit.report.notebooks import TREND_NOTEBOOK, NotebookNotFoundError, notebook_path
from cutover_kit.report.runner import NotebookJob, run_notebook
from cutover_kit.samples.location import default_data_dir

FLOOR_SOURCE = """\
import io

import matplotlib
import pandas as pd
from IPython.display import Image, display
from matplotlib.figure import Figure

frame = pd.DataFrame({"run": range(14), "seconds": [1.0 + 0.1 * i for i in range(14)]})
figure = Figure(figsize=(8, 4), layout="constrained")
axes = figure.add_subplot()
axes.plot(frame["run"], frame["seconds"], marker="o")
axes.set_title("floor")
axes.set_xlabel("run")
axes.set_ylabel("seconds")
buffer = io.BytesIO()
figure.savefig(buffer, format="png", dpi=100)
display(Image(data=buffer.getvalue(), format="png"))
"""


def _floor_notebook(folder: Path) -> Path:
    parameters = new_code_cell('output_dir = ""')
    parameters.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[parameters, new_code_cell(FLOOR_SOURCE)])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "floor.ipynb"
    nbformat.write(notebook, path)
    return path


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its kernels) of one run."""
    start, cpu = time.perf_counter(), _cpu_seconds()
    action()
    return time.perf_counter() - start, _cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_dir = str(default_data_dir())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        floor = NotebookJob(
            _floor_notebook(root), {}, "floor.html", "floor", out_dir=root / "floor"
        )
        actions: dict[str, Callable[[], object]] = {
            "floor (pandas + matplotlib, 1 figure)": lambda: run_notebook(floor, quiet=True),
            "cutover-kit report (latest sample)": lambda: cli(
                ["report", data_dir, "--out", str(root / "report"), "--quiet"]
            ),
        }
        try:
            notebook_path(TREND_NOTEBOOK)
            actions["cutover-kit trend (whole sample)"] = lambda: cli(
                ["trend", data_dir, "--out", str(root / "trend"), "--quiet"]
            )
        except NotebookNotFoundError:
            print("trend review notebook not found: trend not measured")
        for action in actions.values():  # warm-up: imports of papermill and nbconvert
            action()
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in actions}
        for _ in range(args.runs):
            for name, action in actions.items():
                samples[name].append(_timed(action))
    wall = {name: statistics.median(w for w, _ in runs) for name, runs in samples.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in samples.items()}
    floor_wall, floor_cpu = next(iter(wall.values())), next(iter(cpu.values()))
    print(f"\n{'run':<40} {'wall s':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6}")
    for name in samples:
        print(
            f"{name:<40} {wall[name]:>7.2f} {wall[name] / floor_wall:>5.2f}x"
            f" {cpu[name]:>7.2f} {cpu[name] / floor_cpu:>5.2f}x"
        )


if __name__ == "__main__":
    main()
