"""Time per rehearsal of evaluating every rehearsal, at 1x and 10x the sample history.

Evaluating a rehearsal looks back only at its predecessor and a fixed readiness window, so the
time per rehearsal should stay flat as the history grows; the ratio printed last says whether it
does. Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from cutover_kit.api import Corpus
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.policy import load_policy
from cutover_kit.samples.generator import generate_corpus


def per_rehearsal_seconds(scale: int, runs: int) -> tuple[int, float]:
    """(rehearsals, best seconds per rehearsal) of a fresh ``evaluate_all`` at this scale."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "rehearsals"
        generate_corpus(data_dir, scale=scale)
        ledger, policy = load_ledger(data_dir), load_policy()
        best = float("inf")
        for _ in range(runs):
            corpus = Corpus(ledger, policy)
            start = time.perf_counter()
            corpus.evaluate_all()
            best = min(best, time.perf_counter() - start)
        count = len(ledger.rehearsals)
    return count, best / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs=2, default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    small, large = args.scales
    n_small, t_small = per_rehearsal_seconds(small, args.runs)
    n_large, t_large = per_rehearsal_seconds(large, args.runs)
    print(f"{n_small:>5} rehearsals: {t_small * 1000:7.2f} ms per rehearsal")
    print(f"{n_large:>5} rehearsals: {t_large * 1000:7.2f} ms per rehearsal")
    print(f"per-rehearsal ratio {large}x/{small}x: {t_large / t_small:.2f} (flat is about 1)")


if __name__ == "__main__":
    main()
