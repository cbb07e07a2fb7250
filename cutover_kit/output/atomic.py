"""Writing an output file so that it is either the previous good one or the complete new one.

Reports and verdict files are read by CI steps and people while the kit may be killed (a CI
timeout, Ctrl-C, an out-of-memory kill). The new content goes to a hidden temporary file beside
the target, is flushed to disk, and then replaces the target in one ``os.replace``: an
interrupted run leaves the target untouched and, at worst, a ``.NAME.*.partial`` file beside it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _mode_for(path: Path) -> int:
    """The target's current permissions, else what a plain ``open`` would give under umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path | str, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` (text as UTF-8, or bytes such as a PNG) in one step."""
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        partial.chmod(_mode_for(target))
        partial.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
