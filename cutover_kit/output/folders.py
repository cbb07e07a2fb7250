"""Emptying an output folder the kit wrote before, without ever following a link out of it."""

from __future__ import annotations

import shutil
from pathlib import Path


def empty_folder(folder: Path) -> None:
    """Remove every entry of ``folder``; a link is removed itself, never what it points to.

    Callers first prove the folder is theirs (a marker or manifest of an earlier run), since this
    deletes whatever is there.
    """
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
