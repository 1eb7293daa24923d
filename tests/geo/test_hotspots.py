"""Getis-Ord Gi*: a hand-computed grid, a planted cluster, and a field with no hot spot."""

from __future__ import annotations

import math

import numpy as np
import pytest

from outreach.geo.hotspots import gi_star, gi_star_grid, p_value, significant


def test_gi_star_matches_a_hand_computed_three_by_three_grid():
    # One cell of 9 in the middle of eight zeros: n=9, mean=1, S=sqrt(9-1)=sqrt(8).
    # Corner: W=4, local sum 9 -> (9-4) / (sqrt(8) * sqrt((9*4-16)/8)) = 5/sqrt(20).
    # Edge: W=6 -> (9-6) / (sqrt(8) * sqrt((54-36)/8)) = 3/sqrt(18).
    z = gi_star_grid(np.array([[0, 0, 0], [0, 9, 0], [0, 0, 0]]))
    assert z[0, 0] == pytest.approx(5 / math.sqrt(20))
    assert z[0, 1] == pytest.approx(3 / math.sqrt(18))
    assert z[1, 1] == pytest.approx(0.0)  # its window is the whole grid


def test_p_value_of_1_96_is_five_percent():
    assert p_value(1.96) == pytest.approx(0.05, abs=0.001)


def test_a_planted_cluster_is_significant_and_its_far_corner_is_not():
    rng = np.random.default_rng(7)
    counts = {(r, c): float(rng.poisson(1)) for r in range(20) for c in range(20)}
    for r in range(9, 12):
        for c in range(9, 12):
            counts[(r, c)] = 15.0
    hot = significant(gi_star(counts, range(20), range(20)))
    assert (10, 10) in hot and hot[(10, 10)][0] > 1.96
    assert (0, 0) not in hot


def test_a_uniform_field_has_no_hot_spot():
    counts = {(r, c): 5.0 for r in range(10) for c in range(10)}
    assert significant(gi_star(counts, range(10), range(10))) == {}


def test_missing_cells_count_as_zero_within_the_grid():
    scores = gi_star({(1, 1): 9.0}, range(3), range(3))
    assert len(scores) == 9
    assert scores[(0, 0)][0] == pytest.approx(5 / math.sqrt(20))
