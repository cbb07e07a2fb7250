"""A corpus: a ledger and a policy, evaluated rehearsal by rehearsal, as DataFrames.

This is the verdict stage seen whole: what the session views, the trend analysis, the export and
the API all read. It sits on the verdict layer so the layers above take it as their input without
reaching up to :mod:`cutover_kit.api`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.evidence.ledger import Ledger, load_ledger
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES
from cutover_kit.gates.checks import validate_policy_checks
from cutover_kit.policy import LoadedPolicy, load_policy
from cutover_kit.verdict.evaluator import Evaluator
from cutover_kit.verdict.frames import VerdictFrames, verdict_frames
from cutover_kit.verdict.model import Verdict

__all__ = ["Corpus", "load_corpus"]


@dataclass
class Corpus:
    """A ledger and a policy, with an evaluator and the corpus-wide frames made once."""

    ledger: Ledger
    policy: LoadedPolicy
    # The frames of every rehearsal, from the first pass that needed them (see frames()).
    _frames: VerdictFrames | None = field(default=None, init=False, repr=False, compare=False)

    @cached_property
    def evaluator(self) -> Evaluator:
        return Evaluator(self.ledger, self.policy)

    def evaluate(self, session: str = "latest") -> Verdict:
        return self.evaluator.evaluate(session)

    def evaluate_all(self) -> list[Verdict]:
        return self.evaluator.evaluate_all()

    def frames(self, *tables: str) -> VerdictFrames:
        """Every frame below, from one pass over the verdicts, kept for the next ask.

        ``tables`` names ledger tables of extracts (``test_cases``, ``commands``...) to build in
        the same pass, each file read once for both; asked for later, they come from
        :meth:`Ledger.tables_of <cutover_kit.evidence.ledger.Ledger.tables_of>`.
        """
        if self._frames is None:
            self._frames = verdict_frames(self.evaluator, tables)
        missing = [name for name in tables if name not in self._frames.tables]
        if missing:
            tables_now = {**self._frames.tables, **self.ledger.tables_of(*missing)}
            self._frames = replace(self._frames, tables=tables_now)
        return self._frames

    def gate_frame(self) -> pd.DataFrame:
        """Gate results across rehearsals: rehearsal_id, order, date, gate, category, status..."""
        return self.frames().gates.copy(deep=False)

    def verdict_frame(self) -> pd.DataFrame:
        """One row per rehearsal: both verdicts, regressions and audit findings."""
        return self.frames().verdicts.copy(deep=False)

    def reason_frame(self) -> pd.DataFrame:
        """Every reason of both verdicts: rehearsal_id, verdict, gate, sentence, evidence labels."""
        return self.frames().reasons.copy(deep=False)

    def fallback_case_frame(self) -> pd.DataFrame:
        """One row per fallback case that changed or kept failing against the previous rehearsal.

        ``change`` is ``regression``, ``recurring``, ``fixed`` or ``new_failing``: the names behind
        the counts of :meth:`fallback_frame`.
        """
        return self.frames().fallback_cases.copy(deep=False)

    def completion_frame(self) -> pd.DataFrame:
        """The cutover completion checklist: one row per rehearsal and completion item.

        Only rehearsals whose completion was evaluated (a cutover with a joint gate override)
        have rows; ``completion`` repeats the rehearsal's status (COMPLETE / INCOMPLETE) so a
        trend chart can mark where completion was reached, and ``evidence`` lists the cited
        files and fields for a session report's checklist.
        """
        return self.frames().completion.copy(deep=False)

    def fallback_frame(self) -> pd.DataFrame:
        """Per rehearsal and scenario: executed cases and regressions, recurring, fixed, new."""
        return self.frames().fallback.copy(deep=False)


def load_corpus(
    data_dir: Path | str,
    policy: Path | str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: IngestOptions | None = None,
) -> Corpus:
    """Read every rehearsal under ``data_dir`` and load the policy (default when ``None``).

    ``max_bytes`` limits JSON, XML and markdown files; transcripts are streamed whatever their size.
    ``options`` turn on the ingest cache and worker processes (``IngestOptions(use_cache=True,
    jobs=4)``); the corpus is the same either way.
    """
    loaded = load_policy(policy)
    validate_policy_checks(loaded)
    service = loaded.policy.policy.service
    ledger = load_ledger(data_dir, max_bytes=max_bytes, options=options, service=service)
    return Corpus(ledger, loaded)
