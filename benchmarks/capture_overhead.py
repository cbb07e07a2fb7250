"""What ``cutover-kit capture`` adds to a command that prints 50 MB, as a ratio to running it bare.

The command is a small Python program printing 50 MB of test-log-like lines. Bare, its output
goes to ``/dev/null``; captured, the capture's terminal output goes to ``/dev/null`` too, while
the capture copies every byte through its pipe into the transcript, hashes it and records the
JSON line (and starts its own interpreter). Rounds alternate bare and captured runs so machine
noise hits both alike; the medians are compared, for wall time and for CPU time (the capture and
everything it ran), which a busy machine disturbs less. Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRINTER = """
import sys
line = "PASS  src/memorykernel/contract.test.ts > envelope {:>9} handled in 3ms " + "." * 24 + "\\n"
target, written, i = {size}, 0, 0
write = sys.stdout.write
while written < target:
    text = line.format(i)
    write(text)
    written += len(text)
    i += 1
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and everything it ran)."""
    start, cpu = time.perf_counter(), _cpu()
    with Path("/dev/null").open("wb") as null:
        subprocess.run(argv, stdout=null, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start, _cpu() - cpu


def measure(megabytes: int, rounds: int) -> dict[str, float]:
    size = megabytes * 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        printer = root / "printer.py"
        printer.write_text(PRINTER.replace("{size}", str(size)), encoding="utf-8")
        (root / "data").mkdir()
        bare_argv = [sys.executable, str(printer)]
        bare, captured = [], []
        for index in range(rounds):
            bare.append(_timed(bare_argv))
            rehearsal = root / "data" / f"r{index}"
            kit = [sys.executable, "-m", "cutover_kit", "capture", str(rehearsal)]
            captured.append(_timed([*kit, "--repo", str(root), "--", *bare_argv]))
            transcript = next((rehearsal / "transcripts").iterdir())
            if transcript.stat().st_size < size:
                raise SystemExit(f"capture kept {transcript.stat().st_size} of {size} bytes")
    bare_s, captured_s = (statistics.median(wall for wall, _ in runs) for runs in (bare, captured))
    bare_cpu, captured_cpu = (
        statistics.median(cpu for _, cpu in runs) for runs in (bare, captured)
    )
    return {
        "megabytes": megabytes,
        "rounds": rounds,
        "bare_s": round(bare_s, 4),
        "captured_s": round(captured_s, 4),
        "ratio": round(captured_s / bare_s, 3),
        "bare_cpu_s": round(bare_cpu, 4),
        "captured_cpu_s": round(captured_cpu, 4),
        "cpu_ratio": round(captured_cpu / bare_cpu, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    result = measure(args.megabytes, args.rounds)
    print(json.dumps(result))
    print(
        f"capture of a command printing {result['megabytes']} MB: median {result['captured_s']}s "
        f"vs {result['bare_s']}s bare over {result['rounds']} rounds -> {result['ratio']}x "
        f"(target <= 1.1x); CPU {result['captured_cpu_s']}s vs {result['bare_cpu_s']}s -> "
        f"{result['cpu_ratio']}x"
    )


if __name__ == "__main__":
    main()
