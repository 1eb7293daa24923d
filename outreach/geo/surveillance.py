"""When a count in a time window is a spike: improbable for the place's usual rate (no Flask).

ODMAP-style alerts fire on a fixed count (3 overdoses in 24 hours, 8 in 7 days). Where
overdoses are common, a fixed count fires every day on nothing but the usual rate, and
coordinators learn to ignore it. So a count is a spike only when it also reaches the smallest
count that a Poisson process at the place's usual rate would reach with probability under
`alpha`. The usual rate is measured over a baseline period before the window; `prior` (one
report over the baseline period) keeps a place with no history from alarming at its first
report while still letting three overdoses in a day where there were none stand out.
"""

from __future__ import annotations

from scipy.stats import poisson

ALPHA = 1e-5  # per window and place: about one false alert in 100,000 checks


def spike_threshold(
    rate_per_day: float, window_days: float, floor: int, prior_per_day: float, alpha: float = ALPHA
) -> int:
    """The smallest count in a window of `window_days` that is a spike: at least `floor`, and
    improbable (P < alpha) at the usual rate (reports a day, plus the prior)."""
    expected = (rate_per_day + prior_per_day) * window_days
    improbable = int(poisson.isf(alpha, expected)) + 1
    return max(floor, improbable)
