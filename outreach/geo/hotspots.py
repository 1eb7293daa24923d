"""Getis-Ord Gi* hot-spot statistic over a rectangular grid of cell counts (numpy, no Flask)."""

from __future__ import annotations

import math

import numpy as np

Key = tuple[int, int]
# Refuse grids that would not fit comfortably in memory (the map asks for ~2,500 cells).
MAX_GRID_CELLS = 1_000_000


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


def gi_star(counts: dict[Key, float], rows: range, cols: range) -> dict[Key, tuple[float, float]]:
    """z-score and p-value of every cell in rows x cols; cells missing from `counts` are zero."""
    if len(rows) * len(cols) > MAX_GRID_CELLS:
        raise ValueError("grid too large for Gi*")
    grid = np.zeros((len(rows), len(cols)))
    for (r, c), value in counts.items():
        if r in rows and c in cols:
            grid[r - rows.start, c - cols.start] = value
    z = gi_star_grid(grid)
    out: dict[Key, tuple[float, float]] = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            zi = float(z[i, j])
            out[(r, c)] = (zi, p_value(zi))
    return out


def significant(
    scores: dict[Key, tuple[float, float]], alpha: float = 0.05
) -> dict[Key, tuple[float, float]]:
    """Only the hot cells: positive z with p below alpha (z > 1.96 at 0.05)."""
    return {k: (z, p) for k, (z, p) in scores.items() if z > 0 and p < alpha}
