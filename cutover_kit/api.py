"""The Python API the notebooks use: load a corpus once, evaluate, get DataFrames.

corpus = load_corpus("data/rehearsals")
verdicts = corpus.evaluate_all()
corpus.gate_frame()          # one row per rehearsal and gate
corpus.completion_frame()    # one row per cutover rehearsal and completion item
trend_review(corpus)         # every view of the trend review over the whole history

The names live in their layers (:mod:`cutover_kit.verdict.corpus`,
:mod:`cutover_kit.analysis.trend`); this module gathers them in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cutover_kit.verdict.corpus import Corpus, load_corpus
from cutover_kit.verdict.model import Verdict

if TYPE_CHECKING:
    from cutover_kit.analysis.trend import TrendReview
    from cutover_kit.analysis.window import WindowSpec

__all__ = ["Corpus", "Verdict", "load_corpus", "trend_review"]


def trend_review(corpus: Corpus, window: WindowSpec | None = None) -> TrendReview:
    """Every view of the trend review over ``window`` (default: the whole corpus)."""
    # Imported on call: a session report never needs the trend analysis.
    from cutover_kit.analysis.trend import trend_review as review

    return review(corpus, window)
