"""Helpers the hostile-input tests share: the CLI commands under test and a disk inventory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from cutover_kit.evidence.cache import CACHE_FOLDER
from cutover_kit.evidence.corpus import rehearsal_folders

# Every command that reads a corpus, as argv for a data folder and a folder for its outputs.
# Adding a command to the no-traceback guarantee is one line here.
ArgvBuilder = Callable[[Path, Path], list[str]]
COMMANDS: dict[str, ArgvBuilder] = {
    "validate": lambda data, out: ["validate", str(data), "--format", "json"],
    "validate-text": lambda data, out: ["validate", str(data)],
    "verdict": lambda data, out: ["verdict", str(data), "--format", "json"],
    "verdict-text": lambda data, out: ["verdict", str(data), "--out", str(out / "verdict.txt")],
    "gates": lambda data, out: ["gates", str(data), "--junit", str(out / "gates.xml")],
}
# The notebook commands: a kernel each, so they run once over the whole corpus, not per case.
REPORT_COMMANDS: dict[str, ArgvBuilder] = {
    "report": lambda data, out: ["report", str(data), "--out", str(out / "report"), "--quiet"],
    "trend": lambda data, out: ["trend", str(data), "--out", str(out / "trend"), "--quiet"],
}


def as_text(rel: str) -> str:
    """A relative path as the kit names it: bytes that are not UTF-8 written ``\\xNN``."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def files_on_disk(data_dir: Path) -> list[str]:
    """Every entry the kit must account for: files, links, FIFOs.

    A hidden folder beside the rehearsal folders of a corpus counts as one entry; inside a
    rehearsal (or a data folder that is one rehearsal) hidden folders are read like any other.
    The kit's own ingest cache (``DATA_DIR/.cutover-kit``) is not evidence and is left out.
    """
    single = [folder for _, folder in rehearsal_folders(data_dir)] == [data_dir]
    found = []
    for current, dirs, files in os.walk(data_dir, followlinks=False):
        base = Path(current)
        if base == data_dir:
            dirs[:] = [name for name in dirs if name != CACHE_FOLDER]  # the kit's own cache
        if base == data_dir and not single:
            hidden = [name for name in dirs if name.startswith(".")]
            found += hidden
            dirs[:] = [name for name in dirs if name not in hidden]
        found += [(base / name).relative_to(data_dir).as_posix() for name in files]
        found += [
            (base / name).relative_to(data_dir).as_posix()
            for name in dirs
            if (base / name).is_symlink()
        ]
    return sorted(as_text(rel) for rel in found)


# VmHWM is this process's own peak; ru_maxrss would also count the parent it was forked from.
_MEASURED_MAIN = """
import re, resource, sys
from pathlib import Path

from cutover_kit.evidence.corpus import rehearsal_folders
from cutover_kit.cli import main
code = main(sys.argv[1:])
status = Path("/proc/self/status")
found = re.search(r"VmHWM:\\s+(\\d+)", status.read_text()) if status.exists() else None
peak = int(found[1]) if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("peak-rss-kib", peak, file=sys.stderr)
# the largest child reaped (the notebook kernel of report and trend), after the line above
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("child-peak-rss-kib", children, file=sys.stderr)
sys.exit(code)
"""


def run_measured(argv: list[str]) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run the CLI in a fresh interpreter; return the result and its peak RSS in KiB."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED_MAIN, *argv], capture_output=True, text=True, check=False
    )
    peak = next(
        int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("peak-rss")
    )
    return result, peak
