"""Computed hot spots: Gi* as PySAL computes it, no hot spot on random scatter, planted clusters
found, and the multiple-testing correction that makes the difference."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from outreach.geo.hotspots import (
    FDR_Q,
    MIN_EVENTS,
    bh_adjusted,
    gi_star,
    gi_star_grid,
    hot_cells,
    p_value,
    window_p_values,
)

SIDE = 60  # 3,600 cells, the size of a map view


def scatter(rng, n: int, side: int = SIDE) -> dict[tuple[int, int], float]:
    """n events placed uniformly at random over a side x side grid, as cell counts."""
    grid = np.zeros(side * side)
    np.add.at(grid, rng.integers(0, side * side, n), 1)
    return {(i // side, i % side): v for i, v in enumerate(grid) if v}


def plant(rng, counts: dict, r: int, c: int, n: int = 80, span: int = 2) -> None:
    """n more events in a span x span block of cells at (r, c): 80 events in about 0.01°."""
    for _ in range(n):
        key = (r + int(rng.integers(0, span)), c + int(rng.integers(0, span)))
        counts[key] = counts.get(key, 0) + 1


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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gi_star_z_scores_are_pysals_esda_g_local_on_the_same_grid(seed):
    pytest.importorskip("esda")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from esda import G_Local
        from libpysal.weights import lat2W

        rng = np.random.default_rng(seed)
        grid = rng.poisson(rng.uniform(0.2, 4), (14, 17)).astype(float)
        grid[5:7, 8:10] += 12
        esda = G_Local(
            grid.ravel(),
            lat2W(14, 17, rook=False),
            transform="B",
            star=True,
            permutations=199,
            seed=seed,
        )
    ours = gi_star_grid(grid).ravel()
    assert np.allclose(ours, esda.Zs, atol=1e-9)
    # esda's permutation p-values are per cell, uncorrected: on a grid with one planted block
    # they call many more cells "significant" than there are planted cells.
    hot = hot_cells(
        {(r, c): grid[r, c] for r in range(14) for c in range(17)}, range(14), range(17)
    )
    assert set(hot) <= {(r, c) for r in range(4, 8) for c in range(7, 11)}
    assert (esda.p_sim < 0.05).sum() > len(hot)


def test_the_uncorrected_test_calls_random_noise_hot_and_the_corrected_one_does_not():
    rng = np.random.default_rng(11)
    counts = scatter(rng, 3600)
    rows = cols = range(SIDE)
    naive = [k for k, (z, p) in gi_star(counts, rows, cols).items() if z > 0 and p < 0.05]
    assert len(naive) > 20  # what the map used to draw
    assert hot_cells(counts, rows, cols) == {}


@pytest.mark.parametrize("events", [60, 600, 3600, 36000])
def test_random_scatter_gives_no_hot_spot_on_at_least_95_percent_of_maps(events):
    rng = np.random.default_rng(events)
    maps = 60
    with_hot = sum(
        bool(hot_cells(scatter(rng, events), range(SIDE), range(SIDE))) for _ in range(maps)
    )
    assert with_hot <= maps * 0.05


@pytest.mark.parametrize("background", [0, 600, 36000])
def test_a_planted_cluster_of_80_events_is_found(background):
    rng = np.random.default_rng(background + 5)
    for _ in range(10):
        counts = scatter(rng, background) if background else {}
        r, c = (int(v) for v in rng.integers(5, SIDE - 5, 2))
        plant(rng, counts, r, c)
        hot = hot_cells(counts, range(SIDE), range(SIDE))
        assert any(key in hot for key in ((r, c), (r + 1, c), (r, c + 1), (r + 1, c + 1)))
        far = {k for k in hot if abs(k[0] - r) > 3 or abs(k[1] - c) > 3}
        assert far == set()


def test_a_busy_cell_needs_enough_events_of_its_own():
    # A lone cell of 4 in an empty view is far above the average, but not a place to send a
    # team: below MIN_EVENTS it is never hot; with MIN_EVENTS it is.
    assert MIN_EVENTS == 5
    counts = {(30, 30): 4.0}
    assert hot_cells(counts, range(SIDE), range(SIDE)) == {}
    counts = {(30, 30): 9.0}
    hot = hot_cells(counts, range(SIDE), range(SIDE))
    assert (30, 30) in hot and hot[(30, 30)][1] <= FDR_Q


def test_window_p_values_are_exact_binomial_tails():
    grid = np.zeros((3, 3))
    grid[1, 1] = 2.0
    p = window_p_values(grid)
    # Corner: W=4 of n=9 cells; both events fall in its window with probability (4/9)^2.
    assert p[0, 0] == pytest.approx((4 / 9) ** 2)
    assert p[1, 1] == pytest.approx(1.0)  # its window is the whole grid


def test_benjamini_hochberg_adjustment_matches_the_textbook_example():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Sorted 0.005, 0.01, 0.03, 0.04 -> x4/1, x4/2, x4/3, x4/4 -> 0.02, 0.02, 0.04, 0.04.
    assert np.allclose(bh_adjusted(p), [0.02, 0.04, 0.04, 0.02])


def test_a_uniform_field_has_no_hot_spot():
    counts = {(r, c): 5.0 for r in range(10) for c in range(10)}
    assert hot_cells(counts, range(10), range(10)) == {}


def test_missing_cells_count_as_zero_within_the_grid():
    scores = gi_star({(1, 1): 9.0}, range(3), range(3))
    assert len(scores) == 9
    assert scores[(0, 0)][0] == pytest.approx(5 / math.sqrt(20))
