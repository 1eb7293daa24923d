"""Computed hot spots: Getis-Ord Gi* over a grid of cell counts, tested honestly (no Flask).

A map tests every cell of its view at once (thousands of them), so a cell is called hot only
when all of these hold:

1. its Gi* z-score is positive (its 3 x 3 neighbourhood, itself included, holds more events
   than the view's average would put there);
2. that excess is significant after correcting for the number of cells tested: the p-value is
   exact for events placed at random over the view (the neighbourhood's count is then
   Binomial(N, W/n)), and the Benjamini-Hochberg procedure keeps the false discovery rate at
   FDR_Q (at this level, on events scattered at random, 99 maps in 100 show no hot spot);
3. the cell itself holds at least MIN_EVENTS events (a lone record in an empty area is not a
   place to send a team).

The z-scores are those of PySAL's esda.G_Local(star=True, transform="B") (a test compares them);
esda's permutation p-values are not corrected for the number of cells, which is why it would
call random noise hot.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import binom

Key = tuple[int, int]
# Refuse grids that would not fit comfortably in memory (the map asks for ~2,500 cells).
MAX_GRID_CELLS = 1_000_000
FDR_Q = 0.01
MIN_EVENTS = 5


def window_sum(grid: np.ndarray) -> np.ndarray:
    """Sum over each cell's queen neighbourhood including itself (3 x 3, clipped at edges)."""
    padded = np.pad(grid, 1)
    rows, cols = grid.shape
    total = np.zeros_like(grid, dtype=float)
    for dr in (0, 1, 2):
        for dc in (0, 1, 2):
            total += padded[dr : dr + rows, dc : dc + cols]
    return total


def p_value(z: float) -> float:
    """Two-sided p-value of a standard normal z-score."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def gi_star_grid(grid: np.ndarray) -> np.ndarray:
    """Gi* z-scores for every cell of `grid` (binary queen weights, the cell itself included).

    Getis & Ord (1995): Gi* = (sum_j w_ij x_j - mean * W_i) /
    (S * sqrt((n * W_i - W_i^2) / (n - 1))), with S the population standard deviation and
    W_i = sum_j w_ij (= sum_j w_ij^2 for binary weights). A constant field gives zeros."""
    x = np.asarray(grid, dtype=float)
    n = x.size
    if n < 2:
        return np.zeros_like(x)
    mean = x.mean()
    s = math.sqrt(max((x**2).mean() - mean**2, 0.0))
    if s == 0.0:
        return np.zeros_like(x)
    local = window_sum(x)
    weights = window_sum(np.ones_like(x))
    denom = s * np.sqrt((n * weights - weights**2) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (local - mean * weights) / denom
    return np.nan_to_num(z)


def _grid(counts: dict[Key, float], rows: range, cols: range) -> np.ndarray:
    if len(rows) * len(cols) > MAX_GRID_CELLS:
        raise ValueError("grid too large for Gi*")
    grid = np.zeros((len(rows), len(cols)))
    for (r, c), value in counts.items():
        if r in rows and c in cols:
            grid[r - rows.start, c - cols.start] = value
    return grid


def gi_star(counts: dict[Key, float], rows: range, cols: range) -> dict[Key, tuple[float, float]]:
    """z-score and (uncorrected, normal) p-value of every cell in rows x cols; cells missing
    from `counts` are zero."""
    z = gi_star_grid(_grid(counts, rows, cols))
    out: dict[Key, tuple[float, float]] = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            zi = float(z[i, j])
            out[(r, c)] = (zi, p_value(zi))
    return out


def window_p_values(grid: np.ndarray) -> np.ndarray:
    """Per cell, P(a neighbourhood holds at least its count) when the grid's N events fall on
    its n cells at random: the count is Binomial(N, W/n) for a neighbourhood of W cells."""
    x = np.asarray(grid, dtype=float)
    total = int(round(x.sum()))
    if total == 0:
        return np.ones_like(x)
    weights = window_sum(np.ones_like(x))
    local = np.rint(window_sum(x))
    return binom.sf(local - 1, total, weights / x.size)


def bh_adjusted(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), same shape as `p`: a cell is a
    discovery at false discovery rate q exactly when its adjusted value is at most q."""
    flat = np.asarray(p, dtype=float).ravel()
    m = flat.size
    if m == 0:
        return np.asarray(p, dtype=float)
    order = np.argsort(flat)
    scaled = flat[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1].clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out.reshape(np.shape(p))


def hot_cells(
    counts: dict[Key, float],
    rows: range,
    cols: range,
    q: float = FDR_Q,
    min_events: int = MIN_EVENTS,
) -> dict[Key, tuple[float, float]]:
    """The hot cells of the grid (see the module's rules), each with its Gi* z-score and its
    adjusted p-value (the false discovery rate at which it would just be called hot)."""
    grid = _grid(counts, rows, cols)
    z = gi_star_grid(grid)
    adjusted = bh_adjusted(window_p_values(grid))
    hot = (z > 0) & (adjusted <= q) & (grid >= min_events)
    return {
        (rows.start + int(i), cols.start + int(j)): (float(z[i, j]), float(adjusted[i, j]))
        for i, j in zip(*np.nonzero(hot), strict=True)
    }
