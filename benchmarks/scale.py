"""Scale benchmark: cold, warm and incremental ingest, trend and peak memory at fleet sizes.

For each size (default 1,000, 3,000 and 10,000 rehearsals over 12 producer/consumer pairs) it
generates a fleet under ``--dir`` (outside the repo), then times, each in a fresh process:

- the bare floor: read every file and only ``json.loads`` / XML-parse / decode it;
- ``validate --format json`` cold (no cache) with ``--jobs 1`` and with every core;
- the same warm (cache present, nothing changed) and after one rehearsal was added;
- ``trend``: every rehearsal evaluated, then the gate and verdict frames (what the trend
  command and notebook do), on a warm cache;
- ``verdict --session latest`` and ``export`` on a warm cache.

Peak memory is each process's maximum resident set (its worker processes included), from
``wait4``. Ratios are what to compare: they are measured in one run on one machine. The table
ends with the cost per 1,000 rehearsals at each size (flat means linear). Run:
``make bench-scale`` (several minutes; about 1.5 GB of files per 10,000 rehearsals in /tmp).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from defusedxml.ElementTree import fromstring

from cutover_kit.evidence.cache import CACHE_FOLDER
from cutover_kit.samples.fleet import generate_fleet

TREND = (
    "import sys\n"
    "from cutover_kit.api import load_corpus\n"
    "from cutover_kit.evidence.ingest import IngestOptions\n"
    "corpus = load_corpus(sys.argv[1], options=IngestOptions(use_cache=True))\n"
    "corpus.gate_frame(); corpus.verdict_frame()\n"
)
FLOOR = (
    "import sys\n"
    "sys.path.insert(0, sys.argv[2])\n"
    "from scale import bare_floor\n"
    "bare_floor(sys.argv[1])\n"
)


def bare_floor(data_dir: str) -> int:
    """Read and parse every file the cheapest way; returns the number of files."""
    count = 0
    for current, dirs, files in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if d != CACHE_FOLDER)
        for name in sorted(files):
            raw = Path(current, name).read_bytes()
            if name.endswith(".json"):
                json.loads(raw)
            elif name.endswith(".xml"):
                fromstring(raw)
            else:
                raw.decode("utf-8", errors="replace")
            count += 1
    return count


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB of the process and its waited-for workers)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 2):
        raise SystemExit(f"{argv} failed with exit code {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def kit(*args: str) -> list[str]:
    return [sys.executable, "-m", "cutover_kit", *args]


def drop_cache(data_dir: Path) -> None:
    shutil.rmtree(data_dir / CACHE_FOLDER, ignore_errors=True)


def add_rehearsal(data_dir: Path) -> None:
    """Copy the last rehearsal under a new id, as tomorrow's run would add one."""
    last = sorted(p for p in data_dir.iterdir() if p.is_dir() and p.name != CACHE_FOLDER)[-1]
    new = data_dir / f"{last.name}-next"
    shutil.copytree(last, new)
    manifest = new / "session.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace(f'id = "{last.name}"', f'id = "{new.name}"', 1), "utf-8")


def measure(data_dir: Path, jobs: int) -> dict[str, float]:
    here = str(Path(__file__).parent)
    results: dict[str, float] = {}
    validate = ("validate", str(data_dir), "--format", "json")
    results["floor"], results["floor_mb"] = timed(
        [sys.executable, "-c", FLOOR, str(data_dir), here]
    )
    drop_cache(data_dir)
    results["cold1"], results["cold1_mb"] = timed(kit(*validate, "--no-cache", "--jobs", "1"))
    drop_cache(data_dir)
    results["coldn"], results["coldn_mb"] = timed(kit(*validate, "--jobs", str(jobs)))
    results["warm"], results["warm_mb"] = timed(kit(*validate, "--jobs", str(jobs)))
    add_rehearsal(data_dir)
    results["added"], results["added_mb"] = timed(kit(*validate, "--jobs", str(jobs)))
    results["trend"], results["trend_mb"] = timed([sys.executable, "-c", TREND, str(data_dir)])
    results["verdict"], results["verdict_mb"] = timed(
        kit("verdict", str(data_dir), "--session", "latest", "--format", "json")
    )
    export_dir = data_dir.parent / f"{data_dir.name}-export"
    shutil.rmtree(export_dir, ignore_errors=True)
    results["export"], results["export_mb"] = timed(
        kit("export", str(data_dir), "--to", str(export_dir))
    )
    shutil.rmtree(export_dir, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rehearsals", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--services", type=int, default=12)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cutover-kit-scale"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", action="store_true", help="keep the generated fleets")
    args = parser.parse_args()
    rows = []
    for count in args.rehearsals:
        data_dir = args.dir / f"fleet-{count}"
        start = time.perf_counter()
        generate_fleet(data_dir, rehearsals=count, services=args.services)
        files = sum(len(f) for _, _, f in os.walk(data_dir))
        print(f"generated {count} rehearsals, {files} files in {time.perf_counter() - start:.0f} s")
        rows.append((count, files, measure(data_dir, args.jobs)))
        if not args.keep:
            shutil.rmtree(data_dir)
    print(f"\nload average now: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    cold_n = f"cold j{args.jobs}"
    header = (
        f"{'rehearsals':>10} {'files':>7} {'floor s':>8} {'cold j1':>14} {cold_n:>14}"
        f" {'warm':>13} {'+1 rehearsal':>13} {'trend s':>8}"
        f" {'peak MiB (validate/trend/verdict/export)':>40}"
    )
    print(header)
    for count, files, r in rows:
        peak = max(r["cold1_mb"], r["coldn_mb"], r["warm_mb"], r["added_mb"])
        print(
            f"{count:>10} {files:>7} {r['floor']:>8.1f}"
            f" {r['cold1']:>6.1f} ({r['cold1'] / r['floor']:>4.1f}x)"
            f" {r['coldn']:>6.1f} ({r['coldn'] / r['floor']:>4.1f}x)"
            f" {r['warm']:>5.1f} ({r['warm'] / r['coldn']:.2f}x)"
            f" {r['added']:>5.1f} ({r['added'] / r['coldn']:.2f}x)"
            f" {r['trend']:>8.1f}"
            f" {peak:>10.0f}/{r['trend_mb']:.0f}/{r['verdict_mb']:.0f}/{r['export_mb']:.0f}"
        )
    print("\ncost per 1,000 rehearsals (flat = linear):")
    for count, _, r in rows:
        per = 1000 / count
        print(
            f"{count:>10}: cold j1 {r['cold1'] * per:6.2f} s  cold j{args.jobs} "
            f"{r['coldn'] * per:6.2f} s  warm {r['warm'] * per:5.2f} s"
            f"  trend {r['trend'] * per:5.2f} s"
        )


if __name__ == "__main__":
    main()
