"""Evaluating every rehearsal costs about the same per rehearsal however long the history is.

The engine only looks back at a rehearsal's predecessor and a fixed readiness window, so the time
per rehearsal of a fresh ``evaluate_all`` at 4x the sample history must stay within a small
factor of the time at 1x. Only a ratio measured in one run is asserted, never absolute times.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cutover_kit.api import Corpus, load_corpus
from cutover_kit.samples.generator import generate_corpus
from cutover_kit.samples.history import HISTORY_LENGTH as HISTORY

RUNS = 3
MAX_RATIO = 2.5


def seconds_per_rehearsal(corpus: Corpus) -> float:
    """Best of ``RUNS`` fresh evaluations of every rehearsal, per rehearsal."""
    best = float("inf")
    for _ in range(RUNS):
        fresh = Corpus(corpus.ledger, corpus.policy)
        start = time.perf_counter()
        fresh.evaluate_all()
        best = min(best, time.perf_counter() - start)
    return best / len(corpus.ledger.rehearsals)


def pattern(corpus: Corpus, count: int) -> list[tuple[str, str]]:
    return [(v.rehearsal_continuation, v.runtime_cutover) for v in corpus.evaluate_all()[:count]]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Corpus]:
    loaded = {}
    for scale in (1, 4):
        folder: Path = tmp_path_factory.mktemp(f"scale{scale}") / "rehearsals"
        ids = generate_corpus(folder, scale=scale)
        assert len(ids) == HISTORY * scale
        loaded[scale] = load_corpus(folder)
    return loaded


def test_time_per_rehearsal_stays_flat(corpora: dict[int, Corpus]) -> None:
    small = seconds_per_rehearsal(corpora[1])
    large = seconds_per_rehearsal(corpora[4])
    assert large <= MAX_RATIO * small, (
        f"{large * 1e3:.2f} ms per rehearsal at 4x vs {small * 1e3:.2f} ms at 1x"
    )


def test_first_history_decides_the_same_at_every_scale(corpora: dict[int, Corpus]) -> None:
    one, four = corpora[1], corpora[4]
    assert [r.id for r in four.ledger.rehearsals[:HISTORY]] == [r.id for r in one.ledger.rehearsals]
    assert pattern(four, HISTORY) == pattern(one, HISTORY)
    assert ("NO-GO", "NO-GO") in pattern(one, HISTORY)
    assert ("GO", "GO") in pattern(one, HISTORY)


def test_every_copy_of_the_history_repeats_the_planted_faults(corpora: dict[int, Corpus]) -> None:
    verdicts = corpora[4].evaluate_all()
    continuation = [v.rehearsal_continuation for v in verdicts]
    first = continuation[:HISTORY]
    # the first rehearsal of a later copy has a predecessor, so only compare from position 2
    for copy in range(1, 4):
        later = continuation[copy * HISTORY : (copy + 1) * HISTORY]
        assert later[1:] == first[1:], f"copy {copy + 1}"
