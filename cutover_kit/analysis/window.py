"""Which rehearsals a trend review looks at: service, date range, then the last N.

The filters apply in that order, so ``last_n=5, service="x"`` means the last five rehearsals of
service x, not the x ones among the last five of all. Dates are inclusive and compared with the
rehearsal's date (its session manifest's, else the latest date its evidence states).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from cutover_kit.errors import WindowError


def _iso_date(name: str, value: str) -> str:
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise WindowError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class WindowSpec:
    """The trend window's parameters as the notebook and CLI take them ("" / 0 = no limit)."""

    last_n: int = 0
    since: str = ""
    until: str = ""
    service: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.last_n, bool) or not isinstance(self.last_n, int) or self.last_n < 0:
            raise WindowError(f"last_n: {self.last_n!r} is not a whole number >= 0 (0 = all)")
        object.__setattr__(self, "since", _iso_date("since", self.since))
        object.__setattr__(self, "until", _iso_date("until", self.until))
        object.__setattr__(self, "service", self.service.strip())
        if self.since and self.until and self.since > self.until:
            raise WindowError(f"since {self.since} is after until {self.until}")

    def describe(self) -> str:
        """The filters in words, for a report heading and for error messages."""
        parts = [
            f"service {self.service}" if self.service else "all services",
            f"since {self.since}" if self.since else "",
            f"until {self.until}" if self.until else "",
            f"last {self.last_n}" if self.last_n else "",
        ]
        return ", ".join(part for part in parts if part)

    def as_dict(self) -> dict[str, object]:
        return {
            "last_n": self.last_n,
            "since": self.since,
            "until": self.until,
            "service": self.service,
        }


def select_window(rehearsals: pd.DataFrame, spec: WindowSpec) -> list[str]:
    """Ids of the rehearsals inside the window, in corpus order (date, then id).

    ``rehearsals`` has one row per rehearsal in corpus order with ``rehearsal_id``, ``date`` and
    ``service`` columns (``Corpus.verdict_frame()``). An empty window is an error that names the
    filters: a review of nothing would read as "nothing is wrong".
    """
    chosen = rehearsals
    if spec.service:
        chosen = chosen[chosen["service"] == spec.service]
    if spec.since:
        chosen = chosen[chosen["date"].astype(str).str[:10] >= spec.since]
    if spec.until:
        chosen = chosen[chosen["date"].astype(str).str[:10] <= spec.until]
    ids = [str(rehearsal_id) for rehearsal_id in chosen["rehearsal_id"]]
    if spec.last_n:
        ids = ids[-spec.last_n :]
    if not ids:
        known = sorted({str(s) for s in rehearsals["service"]})
        raise WindowError(
            f"no rehearsal in the window ({spec.describe()}); "
            f"{len(rehearsals)} rehearsal(s) of service(s) {', '.join(known) or '(none)'}"
        )
    return ids
