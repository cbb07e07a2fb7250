"""Scale benchmark: cold, warm and incremental ingest, trend and peak memory at fleet sizes.

For each size (default 1,000, 3,000 and 10,000 rehearsals over 12 producer/consumer pairs) it
generates a fleet under ``--dir`` (outside the repo), then times, each in a fresh process:

- the bare floor: read every file and only ``json.loads`` / XML-parse / decode it;
- ``validate --format json`` cold (no cache) with ``--jobs 1`` and with every core;
- the same warm (cache present, nothing changed) and after one rehearsal was added;
- ``trend``: the whole ``cutover-kit trend`` command (the notebook reading the corpus through
  the cache, every rehearsal evaluated, the review's tables, charts and HTML page), on a warm
  cache; and its analysis part alone in-process (the corpus read through the cache, every
  rehearsal evaluated, every frame the review reads and the review built: no charts, no page);
- ``report`` (the session notebook of the latest rehearsal), ``verdict --session latest`` and
  ``export`` on a warm cache.

Every cold run, like the floor, starts with the fleet's files in the page cache: an untimed
pass reads them all just before it. Some virtual machines page out file cache untouched for a
minute (this one runs DAMON reclaim with that rule): the one-job cold run of 10,000 rehearsals
takes about a minute, so the run after it found its first files paged out and read them from
disk, where the floor never did.

With ``--rounds N`` (``make bench-scale``: 3) the floor and the two cold runs are measured N
times, interleaved, and each round is printed: the table gives their medians.

Peak memory is each process's maximum resident set (its worker processes included), from
``wait4``. Ratios are what to compare: they are measured in one run on one machine. The table
ends with the cost per 1,000 rehearsals at each size (flat means linear). Run:
``make bench-scale`` (several minutes; about 1.5 GB of files per 10,000 rehearsals in /tmp).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from defusedxml.ElementTree import fromstring

from cutover_kit.evidence.cache import CACHE_FOLDER
from cutover_kit.samples.fleet import generate_fleet

# Each phase runs in a fresh process that times itself (imports excluded) and prints JSON.
INGEST = """
import json, sys, time
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.evidence.ledger import load_ledger
start = time.perf_counter()
options = IngestOptions(use_cache=sys.argv[2] == "cache", jobs=int(sys.argv[3]))
ledger = load_ledger(sys.argv[1], options=options)
print(json.dumps({"seconds": time.perf_counter() - start, "files": ledger.counts()["inputs"]}))
"""
TREND = """
import json, sys, time
from cutover_kit.api import load_corpus, trend_review
from cutover_kit.evidence.ingest import IngestOptions
start = time.perf_counter()
corpus = load_corpus(sys.argv[1], options=IngestOptions(use_cache=True))
review = trend_review(corpus)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""
FLOOR = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from scale import bare_floor
start = time.perf_counter()
files = bare_floor(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start, "files": files}))
"""


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


def page_in(data_dir: Path) -> None:
    """Read every file once, untimed, so that a cold run starts as the floor did: with the
    files in the page cache (see the module doc)."""
    for current, _, files in os.walk(data_dir):
        for name in files:
            Path(current, name).read_bytes()


def timed(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of the process and its waited-for workers) of one process.

    The seconds are the ones the process reports on its stdout (phase only, imports excluded),
    else its wall time.
    """
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):
        print(f"FAILED (exit code {code}): {' '.join(argv[-4:])}", flush=True)
        return math.nan, usage.ru_maxrss / 1024
    with contextlib.suppress(ValueError, KeyError, TypeError):
        elapsed = json.loads(out)["seconds"]
    return elapsed, usage.ru_maxrss / 1024


def kit(*args: str) -> list[str]:
    return [sys.executable, "-m", "cutover_kit", *args]


def ingest(data_dir: Path, cache: bool, jobs: int) -> list[str]:
    mode = "cache" if cache else "no-cache"
    return [sys.executable, "-c", INGEST, str(data_dir), mode, str(jobs)]


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


def cold_round(data_dir: Path, jobs: int) -> dict[str, float]:
    """The floor and the two cold runs, back to back (the last one writes the cache)."""
    here = str(Path(__file__).parent)
    r: dict[str, float] = {}
    r["floor"], r["floor_mb"] = timed([sys.executable, "-c", FLOOR, str(data_dir), here])
    drop_cache(data_dir)
    page_in(data_dir)
    r["cold1"], r["cold1_mb"] = timed(ingest(data_dir, cache=False, jobs=1))
    page_in(data_dir)
    r["coldn"], r["coldn_mb"] = timed(ingest(data_dir, cache=True, jobs=jobs))  # writes cache
    return r


def measure(data_dir: Path, jobs: int, rounds: int) -> dict[str, float]:
    """Every phase's seconds and peak MiB: ingest phases timed in-process, commands whole.

    The floor and the cold runs are measured ``rounds`` times, interleaved: their seconds are
    the medians, their ratios the medians of each round's own ratios (a virtual machine's speed
    drifts over minutes), their memory the largest.
    """
    measured = []
    for number in range(1, rounds + 1):
        measured.append(cold_round(data_dir, jobs))
        c = measured[-1]
        print(
            f"  round {number}: floor {c['floor']:.1f} s, cold j1 {c['cold1']:.1f} s"
            f" ({c['cold1'] / c['floor']:.2f}x), cold j{jobs} {c['coldn']:.1f} s"
            f" ({c['coldn'] / c['floor']:.2f}x)",
            flush=True,
        )
    r: dict[str, float] = {}
    for name in ("floor", "cold1", "coldn"):
        r[name] = statistics.median(c[name] for c in measured)
        r[f"{name}_mb"] = max(c[f"{name}_mb"] for c in measured)
    for name in ("cold1", "coldn"):
        r[f"{name}_x"] = statistics.median(c[name] / c["floor"] for c in measured)
    r["warm"], r["warm_mb"] = timed(ingest(data_dir, cache=True, jobs=jobs))
    add_rehearsal(data_dir)
    r["added"], r["added_mb"] = timed(ingest(data_dir, cache=True, jobs=jobs))
    r["validate"], r["validate_mb"] = timed(kit("validate", str(data_dir), "--format", "json"))
    r["evaluate"], r["evaluate_mb"] = timed([sys.executable, "-c", TREND, str(data_dir)])
    reports = data_dir.parent / f"{data_dir.name}-reports"
    shutil.rmtree(reports, ignore_errors=True)
    r["trend"], r["trend_mb"] = timed(
        kit("trend", str(data_dir), "--out", str(reports / "trend"), "--quiet")
    )
    r["report"], r["report_mb"] = timed(
        kit("report", str(data_dir), "--out", str(reports / "latest"), "--quiet")
    )
    shutil.rmtree(reports, ignore_errors=True)
    r["verdict"], r["verdict_mb"] = timed(
        kit("verdict", str(data_dir), "--session", "latest", "--format", "json")
    )
    export_dir = data_dir.parent / f"{data_dir.name}-export"
    shutil.rmtree(export_dir, ignore_errors=True)
    r["export"], r["export_mb"] = timed(kit("export", str(data_dir), "--to", str(export_dir)))
    shutil.rmtree(export_dir, ignore_errors=True)
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rehearsals", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--services", type=int, default=12)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cutover-kit-scale"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated fleets (and reuse kept ones)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="floor and cold runs measured this many times"
    )
    args = parser.parse_args()
    rows = []
    for count in args.rehearsals:
        data_dir = args.dir / f"fleet-{count}"
        start = time.perf_counter()
        if not (args.keep and data_dir.is_dir()):
            generate_fleet(data_dir, rehearsals=count, services=args.services)
        files = bare_floor(str(data_dir))
        print(f"{count} rehearsals, {files} files ready in {time.perf_counter() - start:.0f} s")
        rows.append((count, files, measure(data_dir, args.jobs, args.rounds)))
        print(json.dumps({"rehearsals": count, "files": files, **rows[-1][2]}), flush=True)
        if not args.keep:
            shutil.rmtree(data_dir)
    print(f"\nload average now: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    cold_n = f"cold j{args.jobs}"
    print("ingest seconds (ratio); warm and +1 rehearsal are against the cold run with cache")
    print(
        f"{'rehearsals':>10} {'files':>7} {'floor':>6} {'cold j1':>13} {cold_n:>13}"
        f" {'warm':>12} {'+1 rehearsal':>12} {'evaluate':>8} {'trend':>6}"
    )
    for count, files, r in rows:
        print(
            f"{count:>10} {files:>7} {r['floor']:>6.1f}"
            f" {r['cold1']:>6.1f} ({r['cold1_x']:>4.1f}x)"
            f" {r['coldn']:>6.1f} ({r['coldn_x']:>4.1f}x)"
            f" {r['warm']:>5.1f} ({r['warm'] / r['coldn']:.2f}x)"
            f" {r['added']:>5.1f} ({r['added'] / r['coldn']:.2f}x)"
            f" {r['evaluate']:>8.1f} {r['trend']:>6.1f}"
        )
    print("\nwhole commands: seconds / peak MiB")
    for count, _, r in rows:
        print(
            f"{count:>10}: validate warm {r['validate']:.1f}/{r['validate_mb']:.0f}"
            f"  trend {r['trend']:.1f}/{r['trend_mb']:.0f}"
            f"  report {r['report']:.1f}/{r['report_mb']:.0f}"
            f"  verdict {r['verdict']:.1f}/{r['verdict_mb']:.0f}"
            f"  export {r['export']:.1f}/{r['export_mb']:.0f}"
            f"  ingest peaks j1/j{args.jobs}/warm {r['cold1_mb']:.0f}/{r['coldn_mb']:.0f}"
            f"/{r['warm_mb']:.0f}"
        )
    print("\ncost per 1,000 rehearsals (flat = linear):")
    for count, _, r in rows:
        per = 1000 / count
        print(
            f"{count:>10}: floor {r['floor'] * per:5.2f} s  cold j1 {r['cold1'] * per:6.2f} s"
            f"  cold j{args.jobs} {r['coldn'] * per:6.2f} s  warm {r['warm'] * per:5.2f} s"
            f"  evaluate {r['evaluate'] * per:5.2f} s  trend {r['trend'] * per:5.2f} s"
        )


if __name__ == "__main__":
    main()
