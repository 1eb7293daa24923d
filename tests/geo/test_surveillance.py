"""The spike threshold: a fixed floor where a place is quiet, the usual rate where it is busy."""

from __future__ import annotations

import numpy as np
from scipy.stats import poisson

from outreach.geo.surveillance import ALPHA, spike_threshold

PRIOR = 1 / 56  # one report over the eight-week baseline


def test_where_there_were_no_overdoses_the_fixed_count_is_the_threshold():
    assert spike_threshold(0.0, 1, 3, PRIOR) == 3
    assert spike_threshold(0.0, 7, 8, PRIOR) == 8


def test_where_overdoses_are_common_the_threshold_follows_the_usual_rate():
    busy = spike_threshold(5.0, 1, 3, PRIOR)  # five a day, usually
    assert busy > 10
    assert poisson.sf(busy - 1, 5 + PRIOR) < ALPHA <= poisson.sf(busy - 2, 5 + PRIOR)


def test_a_steady_poisson_count_almost_never_reaches_the_threshold():
    rng = np.random.default_rng(3)
    for rate in (0.2, 1.0, 4.0, 20.0):
        counts = rng.poisson(rate, 200_000)
        threshold = spike_threshold(rate, 1, 3, PRIOR)
        assert (counts >= threshold).mean() < 5 * ALPHA
