"""One colour per status, the same in every chart, table and banner.

The colours are the Okabe-Ito palette, chosen because they stay distinct for the common forms of
colour blindness; ``missing`` and ``fail`` are deliberately far apart (purple vs vermillion) since
telling absent evidence from failing evidence is the point of keeping them apart.
"""

from __future__ import annotations

from typing import Final

from cutover_kit.gates.model import GateStatus
from cutover_kit.verdict.values import CompletionStatus, Decision

OKABE_ITO: Final = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

STATUS_COLORS: Final[dict[str, str]] = {
    GateStatus.PASS: OKABE_ITO["bluish_green"],
    GateStatus.FAIL: OKABE_ITO["vermillion"],
    GateStatus.MISSING: OKABE_ITO["reddish_purple"],
    GateStatus.SKIPPED: OKABE_ITO["grey"],
}

VERDICT_COLORS: Final[dict[str, str]] = {
    Decision.GO: OKABE_ITO["bluish_green"],
    Decision.NO_GO: OKABE_ITO["vermillion"],
}

COMPLETION_COLORS: Final[dict[str, str]] = {
    CompletionStatus.COMPLETE: OKABE_ITO["blue"],
    CompletionStatus.INCOMPLETE: OKABE_ITO["orange"],
}
"""Cutover completion (evaluated for an authorised cutover only): blue, apart from the verdicts."""

FALLBACK_COLORS: Final = {
    "regression": OKABE_ITO["vermillion"],
    "recurring": OKABE_ITO["reddish_purple"],
    "new_failing": OKABE_ITO["orange"],
    "fixed": OKABE_ITO["bluish_green"],
    "lost_coverage": OKABE_ITO["grey"],
}
