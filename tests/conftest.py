"""Shared fixtures: the bundled sample corpus and the real-world evidence beside the checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "rehearsals"
REAL_WORLD = REPO.parent / "shared" / "real-world"

needs_real_world = pytest.mark.skipif(
    not REAL_WORLD.is_dir(),
    reason=f"real-world fixtures not found at {REAL_WORLD} (CI checks them out beside the repo)",
)


@pytest.fixture
def real_world_copy(tmp_path: Path) -> Path:
    """A writable copy of the real-world folder, for mutating into bad-input cases."""
    if not REAL_WORLD.is_dir():
        pytest.skip(f"real-world fixtures not found at {REAL_WORLD}")
    target = tmp_path / "real-world"
    shutil.copytree(REAL_WORLD, target)
    return target


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample corpus."""
    target = tmp_path / "rehearsals"
    shutil.copytree(SAMPLE_DIR, target)
    return target
