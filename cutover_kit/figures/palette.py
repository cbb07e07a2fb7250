"""One colour per status, the same in every chart, table and banner.

The colours are the Okabe-Ito palette, chosen because they stay distinct for the common forms of
colour blindness; ``missing`` and ``fail`` are deliberately far apart (purple vs vermillion) since
telling absent evidence from failing evidence is the point of keeping them apart.
"""

from __future__ import annotations

from typing import Final

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

STATUS_COLORS: Final = {
    "pass": OKABE_ITO["bluish_green"],
    "fail": OKABE_ITO["vermillion"],
    "missing": OKABE_ITO["reddish_purple"],
    "skipped": OKABE_ITO["grey"],
}

VERDICT_COLORS: Final = {
    "GO": OKABE_ITO["bluish_green"],
    "NO-GO": OKABE_ITO["vermillion"],
}

COMPLETION_COLORS: Final = {
    "COMPLETE": OKABE_ITO["blue"],
    "INCOMPLETE": OKABE_ITO["orange"],
}
"""Cutover completion (evaluated for an authorised cutover only): blue, apart from the verdicts."""

FALLBACK_COLORS: Final = {
    "regression": OKABE_ITO["vermillion"],
    "recurring": OKABE_ITO["reddish_purple"],
    "new_failing": OKABE_ITO["orange"],
    "fixed": OKABE_ITO["bluish_green"],
    "lost_coverage": OKABE_ITO["grey"],
}
