"""Where the bundled sample corpus lives, so an empty ``data_dir`` means "the samples".

In a clone (or an editable install) the committed copy ``data/rehearsals/`` beside the package is
used as is. An installed wheel carries no ``data/``; then the deterministic generator writes the
same corpus once into a per-version cache folder, and later runs reuse it.
"""

from __future__ import annotations

import os
from pathlib import Path

from cutover_kit._version import __version__

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the ``cutover_kit`` package: the project root in a clone."""


def project_root() -> Path | None:
    """The project root when the package runs from a clone (its ``pyproject.toml`` beside it)."""
    return PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else None


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cutover-kit" / f"sample-rehearsals-{__version__}"


def default_data_dir() -> Path:
    """The bundled sample corpus: the committed copy in a clone, else a generated cached one."""
    root = project_root()
    if root is not None and (root / "data" / "rehearsals").is_dir():
        return root / "data" / "rehearsals"
    cached = _cache_dir()
    if not cached.is_dir():
        from cutover_kit.samples.generator import generate_corpus

        generate_corpus(cached)
    return cached
