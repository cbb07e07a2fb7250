"""What ``cutover-kit capture`` adds to a command that prints 50 MB, as a ratio to running it bare.

The command is a small Python program printing 50 MB of test-log-like lines, run two ways: with
``PYTHONUNBUFFERED=1`` (one write call per line, about 500,000: the worst case for any capture)
and block-buffered (one write per 8 KiB, about 6,000). Bare, its output goes to ``/dev/null``;
captured, the capture's terminal output goes to ``/dev/null`` too, while the capture copies every
byte through its pipe into the transcript, hashes it and records the JSON line (and starts its own
interpreter). Rounds alternate bare and captured runs so machine noise hits both alike; the
medians are compared, for wall time and for CPU time (the capture and everything it ran), which a
busy machine disturbs less.

Two more measurements say where the difference goes: the same capture run inside this process
(``run_command``, no interpreter to start: what moving, hashing and storing the bytes costs,
the command's writes into a pipe included), and ``capture -- true`` against ``true`` (what the
capture's own start-up and recording cost, whatever the command). With ``--terminal pipe`` both
write into a pipe this process drains, as a CI runner collecting a job's log does. With
``--terminal pty`` both
write into a pseudo-terminal this process reads, as a terminal emulator would: the case people
see, where the capture's few large writes cost the terminal less than the command's many small
ones (this process's reading is counted for neither). Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pty
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from cutover_kit.capture.run import run_command

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

Timing = tuple[float, float]  # wall seconds, CPU seconds


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _timed(work: Callable[..., object], *args: object, mine: bool = False) -> Timing:
    """Wall and CPU time of ``work(*args)``: the processes it ran (and this one's if ``mine``).

    This process's own CPU is left out of subprocess runs: there it is the terminal's reading.
    """
    who = [resource.RUSAGE_CHILDREN, resource.RUSAGE_SELF] if mine else [resource.RUSAGE_CHILDREN]
    start, cpu = time.perf_counter(), sum(map(_cpu, who))
    work(*args)
    return time.perf_counter() - start, sum(map(_cpu, who)) - cpu


@contextlib.contextmanager
def _terminal(kind: str) -> Iterator[int]:
    """Where a run's output goes: ``/dev/null``, or a pipe or pseudo-terminal this process reads.

    A pipe is what a CI runner's log collector gives a job; a pseudo-terminal is a person's
    terminal window.
    """
    if kind == "null":
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            yield null
        finally:
            os.close(null)
        return
    master, slave = pty.openpty() if kind == "pty" else os.pipe()

    def drain() -> None:
        with contextlib.suppress(OSError):  # a pty gives EIO once the last writer closed it
            while os.read(master, 1 << 16):
                pass

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        yield slave
    finally:
        os.close(slave)
        reader.join()
        os.close(master)


def _run(argv: list[str], env: dict[str, str], terminal: str) -> None:
    with _terminal(terminal) as out:
        subprocess.run(argv, stdout=out, stderr=subprocess.DEVNULL, env=env, check=True)


def _captured_in_process(argv: list[str], folder: Path, env: dict[str, str]) -> Path:
    """The capture's copy loop on its own: ``run_command`` with no interpreter start-up."""
    transcript = folder / "in-process.log"
    transcript.write_bytes(b"")
    null = os.open(os.devnull, os.O_WRONLY)
    previous = os.environ.copy()
    os.environ.clear()
    os.environ.update(env)  # the command inherits the mode's environment
    try:
        run_command(argv, folder, transcript, null)
    finally:
        os.environ.clear()
        os.environ.update(previous)
        os.close(null)
    return transcript


def _medians(runs: list[Timing]) -> Timing:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def _summary(bare: list[Timing], captured: list[Timing]) -> dict[str, float]:
    (bare_s, bare_cpu), (captured_s, captured_cpu) = _medians(bare), _medians(captured)
    return {
        "bare_s": round(bare_s, 4),
        "captured_s": round(captured_s, 4),
        "ratio": round(captured_s / bare_s, 3),
        "bare_cpu_s": round(bare_cpu, 4),
        "captured_cpu_s": round(captured_cpu, 4),
        "cpu_ratio": round(captured_cpu / bare_cpu, 3),
    }


def _kit(rehearsal: Path, repo: Path, argv: list[str]) -> list[str]:
    kit = [sys.executable, "-m", "cutover_kit", "capture", str(rehearsal), "--repo", str(repo)]
    return [*kit, "--", *argv]


def measure_mode(
    root: Path, size: int, rounds: int, unbuffered: bool, terminal: str
) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    printer = [sys.executable, str(root / "printer.py")]
    bare: list[Timing] = []
    captured: list[Timing] = []
    in_process: list[Timing] = []
    for index in range(rounds):
        bare.append(_timed(_run, printer, env, terminal))
        rehearsal = root / "data" / f"{terminal}-{'u' if unbuffered else 'b'}{index}"
        captured.append(_timed(_run, _kit(rehearsal, root, printer), env, terminal))
        transcript = next((rehearsal / "transcripts").iterdir())
        if transcript.stat().st_size < size:
            raise SystemExit(f"capture kept {transcript.stat().st_size} of {size} bytes")
        if terminal == "null":
            in_process.append(_timed(_captured_in_process, printer, root, env, mine=True))
    row: dict[str, object] = {
        "writes": "one per line" if unbuffered else "one per 8 KiB",
        **_summary(bare, captured),
    }
    if in_process:
        (copy_s, copy_cpu), (bare_s, bare_cpu) = _medians(in_process), _medians(bare)
        row["copy_loop_extra_s"] = round(copy_s - bare_s, 4)
        row["copy_loop_extra_cpu_s"] = round(copy_cpu - bare_cpu, 4)
    return row


def measure_fixed(root: Path, rounds: int) -> dict[str, float]:
    """``capture -- true`` against ``true``: the capture's own start-up and recording."""
    bare: list[Timing] = []
    captured: list[Timing] = []
    env = dict(os.environ)
    for index in range(rounds * 3):
        bare.append(_timed(_run, ["true"], env, "null"))
        rehearsal = root / "data" / f"t{index}"
        captured.append(_timed(_run, _kit(rehearsal, root, ["true"]), env, "null"))
    (bare_s, bare_cpu), (captured_s, captured_cpu) = _medians(bare), _medians(captured)
    return {
        "fixed_s": round(captured_s - bare_s, 4),
        "fixed_cpu_s": round(captured_cpu - bare_cpu, 4),
    }


def measure(megabytes: int, rounds: int, terminal: str) -> dict[str, object]:
    size = megabytes * 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "printer.py").write_text(PRINTER.replace("{size}", str(size)), encoding="utf-8")
        (root / "data").mkdir()
        return {
            "megabytes": megabytes,
            "rounds": rounds,
            "terminal": terminal,
            "unbuffered": measure_mode(root, size, rounds, True, terminal),
            "buffered": measure_mode(root, size, rounds, False, terminal),
            "capture_of_true": measure_fixed(root, rounds),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--terminal",
        choices=("null", "pipe", "pty"),
        default="null",
        help="where the output ends, for bare and captured alike (default: /dev/null)",
    )
    args = parser.parse_args()
    result = measure(args.megabytes, args.rounds, args.terminal)
    print(json.dumps(result))
    fixed = result["capture_of_true"]
    assert isinstance(fixed, dict)
    for mode in ("unbuffered", "buffered"):
        row = result[mode]
        assert isinstance(row, dict)
        print(
            f"capture of a command printing {args.megabytes} MB ({row['writes']}, to "
            f"{args.terminal}): median {row['captured_s']}s vs {row['bare_s']}s bare over "
            f"{args.rounds} rounds -> {row['ratio']}x (target <= 1.1x); CPU "
            f"{row['captured_cpu_s']}s vs {row['bare_cpu_s']}s -> {row['cpu_ratio']}x"
            + (
                f"; of the difference, copying in-process {row['copy_loop_extra_s']}s wall / "
                f"{row['copy_loop_extra_cpu_s']}s CPU"
                if "copy_loop_extra_s" in row
                else ""
            )
        )
    print(
        f"capture's own start-up and recording (`capture -- true` vs `true`): "
        f"{fixed['fixed_s']}s wall, {fixed['fixed_cpu_s']}s CPU"
    )


if __name__ == "__main__":
    main()
