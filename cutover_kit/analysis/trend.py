"""The trend review: every view of a window of rehearsals, computed once from the API's frames.

``build_trend_review`` is the one entry point; the figures and the report writers only read the
:class:`TrendReview` it returns, so the notebook, the CLI and plain papermill show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cutover_kit.analysis.commands import command_stats
from cutover_kit.analysis.fallback_trend import fallback_trend
from cutover_kit.analysis.flaky import case_flip_rates, case_outcomes, flaky_cases, flaky_gates
from cutover_kit.analysis.gate_rates import gate_rates, rolling_rates
from cutover_kit.analysis.heap import collection_paused, settle
from cutover_kit.analysis.readiness import Readiness, readiness_statements
from cutover_kit.analysis.transitions import gate_transitions
from cutover_kit.analysis.window import WindowSpec, select_window
from cutover_kit.policy import Policy
from cutover_kit.verdict.corpus import Corpus


@dataclass(frozen=True)
class TrendInputs:
    """The corpus-wide frames a trend review reads (see :func:`trend_inputs`)."""

    policy: Policy
    policy_source: str
    policy_sha256: str
    verdicts: pd.DataFrame
    gates: pd.DataFrame
    reasons: pd.DataFrame
    fallback: pd.DataFrame
    fallback_cases: pd.DataFrame
    test_cases: pd.DataFrame
    commands: pd.DataFrame


@dataclass(frozen=True)
class TrendReview:
    """Everything the trend review shows, for one window."""

    spec: WindowSpec
    policy_name: str
    policy_source: str
    policy_sha256: str
    flaky_threshold: float
    rolling_window: int
    window_ids: list[str]
    rehearsals: pd.DataFrame
    gate_status: pd.DataFrame
    gate_rates: pd.DataFrame
    rolling: pd.DataFrame
    transitions: pd.DataFrame
    fallback: pd.DataFrame
    flaky_gates: pd.DataFrame
    flaky_cases: pd.DataFrame
    commands: pd.DataFrame
    readiness: list[Readiness]

    @property
    def services(self) -> list[str]:
        return sorted(set(self.rehearsals["service"]))

    @property
    def ready(self) -> bool:
        """Readiness holds for every service of the window."""
        return all(statement.holds for statement in self.readiness)


def window_gates(gates: pd.DataFrame, rehearsals: pd.DataFrame) -> pd.DataFrame:
    """The gate rows of the window's rehearsals, each with its rehearsal's ``service``.

    When the window is the whole corpus the rows are the corpus frame's own (pandas shares
    the columns, nothing is copied): a year of rehearsals is 170,000 gate rows, and a filtered
    copy merged with the services held them twice more.
    """
    position = pd.Index(rehearsals["rehearsal_id"]).get_indexer(gates["rehearsal_id"])
    inside = position >= 0
    if not inside.all():
        gates, position = gates[inside], position[inside]
    services = pd.Index(rehearsals["service"]).take(position)
    return gates.assign(service=services.to_numpy()).reset_index(drop=True)


def build_trend_review(inputs: TrendInputs, spec: WindowSpec) -> TrendReview:
    """Select the window and compute every view of it (raises ``WindowError`` when empty)."""
    settle()  # the corpus and its frames outlive the review: no collection needs to walk them
    policy = inputs.policy
    window_ids = select_window(inputs.verdicts, spec)
    chosen = set(window_ids)
    rehearsals = inputs.verdicts[inputs.verdicts["rehearsal_id"].isin(chosen)].reset_index(
        drop=True
    )
    gates = window_gates(inputs.gates, rehearsals)
    rates = gate_rates(gates)
    case_rates = case_flip_rates(case_outcomes(inputs.test_cases, rehearsals))
    last_per_service = rehearsals.groupby("service", sort=True)["rehearsal_id"].last()
    return TrendReview(
        spec=spec,
        policy_name=policy.policy.name,
        policy_source=inputs.policy_source,
        policy_sha256=inputs.policy_sha256,
        flaky_threshold=policy.trend.flaky_threshold,
        rolling_window=policy.trend.rolling_window,
        window_ids=window_ids,
        rehearsals=rehearsals,
        gate_status=gates,
        gate_rates=rates,
        rolling=rolling_rates(gates, window_ids, policy.trend.rolling_window),
        transitions=gate_transitions(gates),
        fallback=fallback_trend(inputs.fallback, inputs.fallback_cases, window_ids),
        flaky_gates=flaky_gates(rates, policy.trend.flaky_threshold),
        flaky_cases=flaky_cases(case_rates, policy.trend.flaky_threshold),
        commands=command_stats(inputs.commands, window_ids),
        readiness=readiness_statements(
            [str(at) for at in last_per_service],
            policy,
            inputs.verdicts,
            inputs.reasons,
            inputs.gates,
            inputs.fallback_cases,
        ),
    )


def trend_inputs(corpus: Corpus) -> TrendInputs:
    """The frames a trend review reads, over the whole corpus.

    The verdict frames and the ledger's ``test_cases`` and ``commands`` come from one pass over
    the rehearsals: each evidence file is unpacked once, for its gates and its table rows.
    """
    with collection_paused():
        frames = corpus.frames("test_cases", "commands")
    return TrendInputs(
        policy=corpus.policy.policy,
        policy_source=corpus.policy.source,
        policy_sha256=corpus.policy.sha256,
        verdicts=frames.verdicts.copy(deep=False),
        gates=frames.gates.copy(deep=False),
        reasons=frames.reasons.copy(deep=False),
        fallback=frames.fallback.copy(deep=False),
        fallback_cases=frames.fallback_cases.copy(deep=False),
        test_cases=frames.tables["test_cases"].copy(deep=False),
        commands=frames.tables["commands"].copy(deep=False),
    )


def trend_review(corpus: Corpus, window: WindowSpec | None = None) -> TrendReview:
    """Every view of the trend review over ``window`` (default: the whole corpus)."""
    return build_trend_review(trend_inputs(corpus), window or WindowSpec())
