"""Small statistics with stated conventions: Wilson intervals, quantiles, flips.

Each function documents its convention, because a rate or a p90 without one cannot be checked:
Wilson score intervals (they stay inside [0, 1] and behave at 0 and n successes, where the
normal approximation does not), linear-interpolation quantiles (numpy's and pandas' default) and
flips counted between consecutive runs.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from itertools import pairwise
from statistics import NormalDist
from typing import Final

Z_95: Final = NormalDist().inv_cdf(0.975)


def rate(part: int, whole: int) -> float | None:
    """``part / whole``, or ``None`` when there is nothing to divide by (no run is no rate)."""
    return part / whole if whole else None


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval of a binomial proportion (95% by default); ``None`` without trials."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes {successes} outside 0..{trials}")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = (z / (1 + z2 / trials)) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def quantile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile by linear interpolation between order statistics; ``None`` if empty."""
    if not 0 <= q <= 1:
        raise ValueError(f"quantile {q} outside 0..1")
    ordered = sorted(values)
    if not ordered:
        return None
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def flips(outcomes: Sequence[Hashable]) -> int:
    """How often the outcome changes between consecutive runs."""
    return sum(before != after for before, after in pairwise(outcomes))


def flip_rate(outcomes: Sequence[Hashable]) -> float | None:
    """Flips / (runs − 1): 0 for a steady series, 1 for one that changes every run."""
    return rate(flips(outcomes), len(outcomes) - 1) if len(outcomes) > 1 else None
