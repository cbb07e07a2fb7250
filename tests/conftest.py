"""Shared fixtures: the bundled sample corpus and the real-world evidence beside the checkout."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cutover_kit.api import Corpus, load_corpus

# Property tests stay quick by default; HYPOTHESIS_PROFILE=thorough explores far more examples.
settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "rehearsals"
REAL_WORLD_SOURCE = REPO.parent / "shared" / "real-world"
CONSUMER_SCRIPTS = REAL_WORLD_SOURCE / "consumer-scripts"


def _evidence_only(source: Path) -> Path:
    """The published evidence files of ``source`` as one rehearsal folder named ``real-world``.

    The fixture folder also holds ``consumer-scripts/`` (the consumer's check, the specification
    PRE-1 follows); that is source code, not evidence of a rehearsal, so it stays out.
    """
    if not source.is_dir():
        return source
    parent = Path(tempfile.mkdtemp(prefix="cutover-kit-real-world-"))
    atexit.register(shutil.rmtree, parent, True)
    target = parent / "real-world"
    target.mkdir()
    for path in source.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


REAL_WORLD = _evidence_only(REAL_WORLD_SOURCE)

needs_real_world = pytest.mark.skipif(
    not REAL_WORLD_SOURCE.is_dir(),
    reason=f"real-world fixtures not found at {REAL_WORLD_SOURCE} (CI has them beside the repo)",
)


@pytest.fixture
def real_world_copy(tmp_path: Path) -> Path:
    """A writable copy of the real-world folder, for mutating into bad-input cases."""
    if not REAL_WORLD_SOURCE.is_dir():
        pytest.skip(f"real-world fixtures not found at {REAL_WORLD_SOURCE}")
    target = tmp_path / "real-world"
    shutil.copytree(REAL_WORLD, target)
    return target


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The bundled sample corpus, loaded once per test module (read only)."""
    return load_corpus(SAMPLE_DIR)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample corpus (without the kit's cache of it)."""
    target = tmp_path / "rehearsals"
    shutil.copytree(SAMPLE_DIR, target, ignore=shutil.ignore_patterns(".cutover-kit"))
    return target


def _executed_report(factory: pytest.TempPathFactory, session: str, *extra: str) -> Path:
    """Run ``cutover-kit report`` (the real notebook, in process) once for the whole test run."""
    from cutover_kit.cli import main

    out = factory.mktemp(f"report-{session}") / session
    code = main(
        ["report", str(SAMPLE_DIR), "--session", session, "--out", str(out), "--quiet", *extra]
    )
    (out.parent / "exit-code").write_text(str(code), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def latest_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session report of the latest sample rehearsal (r15, both verdicts GO)."""
    out = _executed_report(tmp_path_factory, "latest")
    assert (out.parent / "exit-code").read_text() == "0"
    return out


@pytest.fixture(scope="session")
def no_go_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session report of r06 (continuation NO-GO), run with ``--fail-on-no-go``."""
    return _executed_report(tmp_path_factory, "r06", "--fail-on-no-go")
