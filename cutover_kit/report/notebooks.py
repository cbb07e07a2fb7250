"""Where the two notebooks are: beside the package in a clone, or in the installed data files.

A clone and an editable install find ``notebooks/`` at the project root; a wheel installs the same
files under ``<prefix>/share/cutover-kit/notebooks`` (``[tool.setuptools.data-files]``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

from cutover_kit.errors import NotebookNotFoundError
from cutover_kit.samples.location import project_root

SESSION_NOTEBOOK: Final = "session_report.ipynb"
TREND_NOTEBOOK: Final = "trend_review.ipynb"


def notebook_dirs() -> list[Path]:
    """The folders searched for notebooks, first match wins."""
    dirs = [Path(sys.prefix) / "share" / "cutover-kit" / "notebooks"]
    root = project_root()
    if root is not None:
        dirs.insert(0, root / "notebooks")
    return dirs


def notebook_path(name: str) -> Path:
    """The notebook file called ``name`` (e.g. ``session_report.ipynb``)."""
    for folder in notebook_dirs():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in notebook_dirs())
    raise NotebookNotFoundError(f"notebook {name} not found (searched {searched})")
