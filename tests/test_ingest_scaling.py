"""Ingest scales: linear cold reads, warm reads a small fraction of cold, extracts left packed.

Only ratios measured in one run and counts are asserted, never absolute times: the sample history
at 1x and 4x, read cold (no cache) and warm (cache, nothing changed).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cutover_kit.api import Corpus
from cutover_kit.evidence.cache import CACHE_FOLDER
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.model import Extract
from cutover_kit.evidence.packing import CachedExtract, UnpackedWindow
from cutover_kit.output.verdict_json import render_verdict_json
from cutover_kit.policy import load_policy
from cutover_kit.samples.generator import generate_corpus

RUNS = 3
# Targets of the 10,000-rehearsal benchmark are 0.1x (warm) and flat per-file cost; a small
# corpus on a shared machine gets headroom.
MAX_WARM_RATIO = 0.5
MAX_PER_FILE_GROWTH = 2.5
CACHED = IngestOptions(use_cache=True, jobs=1)


def best(action: Callable[[], object], before: Callable[[], object] = lambda: None) -> float:
    timings = []
    for _ in range(RUNS):
        before()
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folders = {}
    for scale in (1, 4):
        folders[scale] = tmp_path_factory.mktemp(f"ingest{scale}") / "rehearsals"
        generate_corpus(folders[scale], scale=scale)
    return folders


def test_cold_ingest_cost_per_file_stays_flat(corpora: dict[int, Path]) -> None:
    per_file = {}
    for scale, folder in corpora.items():
        files = load_ledger(folder).counts()["inputs"]
        per_file[scale] = best(lambda folder=folder: load_ledger(folder)) / files
    assert per_file[4] <= MAX_PER_FILE_GROWTH * per_file[1], per_file


def test_warm_ingest_is_a_fraction_of_cold(corpora: dict[int, Path]) -> None:
    folder = corpora[4]
    cold = best(
        lambda: load_ledger(folder, options=CACHED),
        before=lambda: shutil.rmtree(folder / CACHE_FOLDER, ignore_errors=True),
    )
    load_ledger(folder, options=CACHED)
    warm = best(lambda: load_ledger(folder, options=CACHED))
    assert warm <= MAX_WARM_RATIO * cold, f"warm {warm:.3f} s vs cold {cold:.3f} s"


def test_a_warm_ledger_unpacks_only_what_is_asked(corpora: dict[int, Path]) -> None:
    folder = corpora[4]
    load_ledger(folder, options=CACHED)
    ledger = load_ledger(folder, options=CACHED)
    extracts = [o.extract for o in ledger.outcomes if o.extract is not None]
    packed = [e for e in extracts if isinstance(e, CachedExtract)]
    # Each rehearsal's identity came from its session manifest, packed again once read: a
    # loaded history holds no extract as objects, and the manifest is read back when asked for.
    assert packed == extracts
    assert ledger.rehearsals[0].manifest is not None
    assert ledger.rehearsals[0].manifest.session.id == ledger.rehearsals[0].id
    packed = [e for e in extracts if isinstance(e, CachedExtract)]
    latest = ledger.rehearsals[-1].id
    ledger.documents(latest, "integration-pin")
    assert sum(isinstance(o.extract, CachedExtract) for o in ledger.files(latest)) < len(
        ledger.files(latest)
    )
    assert sum(isinstance(e, CachedExtract) for e in extracts) == len(packed) - 1
    # Once unpacked, an extract is an ordinary one, equal to a fresh parse.
    fresh = {o.path: o.extract for o in load_ledger(folder).outcomes}
    for outcome in ledger.files(latest):
        if outcome.extract is not None:
            assert outcome.extract.kind == outcome.kind  # reading a field unpacks it
            assert type(outcome.extract) is Extract
            assert outcome.extract == fresh[outcome.path], outcome.path


def test_evaluating_a_history_keeps_only_a_window_unpacked(corpora: dict[int, Path]) -> None:
    folder = corpora[4]
    load_ledger(folder, options=CACHED)
    policy = load_policy()
    windowed = Corpus(load_ledger(folder, options=CACHED), policy)
    window = 4
    windowed.ledger._unpacked = UnpackedWindow(window)  # a small window, to see it work
    verdicts = windowed.evaluate_all()
    unpacked = {
        o.rehearsal_id
        for o in windowed.ledger.outcomes
        if o.extract is not None and not isinstance(o.extract, CachedExtract)
    }
    assert len(unpacked) <= window < len(windowed.ledger.rehearsals)
    plain = Corpus(load_ledger(folder), policy)
    assert [render_verdict_json(v, policy) for v in verdicts] == [
        render_verdict_json(v, policy) for v in plain.evaluate_all()
    ]
