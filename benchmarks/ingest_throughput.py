"""Ingest throughput of the evidence ledger against a bare read-and-parse floor.

The floor reads every file of the same corpus and only ``json.load``s the JSON, XML-parses the XML
(defusedxml) and decodes the rest: the least any ingester must do. The ratio says what recognition,
validation, transcript parsing and accounting cost on top. Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from defusedxml.ElementTree import fromstring

from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.samples.generator import generate_corpus


def bare_floor(data_dir: Path) -> int:
    """Read and parse every file the cheapest way; returns the number of files."""
    count = 0
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if path.suffix == ".json":
            json.loads(raw)
        elif path.suffix == ".xml":
            fromstring(raw)
        else:
            raw.decode("utf-8", errors="replace")
        count += 1
    return count


def best_of(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def measure(scale: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "rehearsals"
        generate_corpus(data_dir, scale=scale)
        files = bare_floor(data_dir)
        floor = best_of(runs, lambda: bare_floor(data_dir))
        ledger_time = best_of(runs, lambda: load_ledger(data_dir).tables)
    return {
        "scale": scale,
        "files": files,
        "floor_s": floor,
        "ledger_s": ledger_time,
        "ratio": ledger_time / floor,
        "files_per_s": files / ledger_time,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for scale in args.scale:
        m = measure(scale, args.runs)
        print(
            f"scale {m['scale']:>3}: {m['files']:>5} files  floor {m['floor_s'] * 1000:8.1f} ms  "
            f"ledger {m['ledger_s'] * 1000:8.1f} ms  ratio {m['ratio']:5.1f}x  "
            f"{m['files_per_s']:8.0f} files/s"
        )


if __name__ == "__main__":
    main()
