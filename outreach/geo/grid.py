"""A square grid in degrees: cell sizes for a view, cell keys, centres, rings and distances."""

from __future__ import annotations

import math

import numpy as np

# Cell sizes in degrees, smallest first (0.005° of latitude is about 560 m).
SIZE_LADDER = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
MAX_CELLS = 2500
EARTH_RADIUS_KM = 6371.0088

BBox = tuple[float, float, float, float]  # south, west, north, east


class BadBox(ValueError):
    """A box that is not one: `reason` is "numbers" (not four finite numbers) or "order"
    (south not below north, or west not left of east), for the caller to say in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_bbox(text: str, *, clamp: bool = False) -> BBox:
    """ "south,west,north,east" in degrees as a box, or BadBox. `clamp`: a side past the
    world's edge is moved to it (a zoomed-out map's view reaches past ±90° and ±180°)."""
    try:
        south, west, north, east = (float(v) for v in text.split(","))
    except ValueError:
        raise BadBox("numbers") from None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        raise BadBox("numbers")
    if clamp:
        south, north = max(-90.0, south), min(90.0, north)
        west, east = max(-180.0, west), min(180.0, east)
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise BadBox("order")
    return south, west, north, east


def padded_extent(points: list[tuple[float, float]], pad_deg: float = 0.05) -> BBox | None:
    """The box around (lat, lon) points, grown by a fifth of its size and at least pad_deg."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    dlat = max(pad_deg, (max(lats) - min(lats)) / 5)
    dlon = max(pad_deg, (max(lons) - min(lons)) / 5)
    return (
        max(-90.0, min(lats) - dlat),
        max(-180.0, min(lons) - dlon),
        min(90.0, max(lats) + dlat),
        min(180.0, max(lons) + dlon),
    )


def grid_shape(bbox: BBox, size: float) -> tuple[int, int]:
    """How many rows and columns of `size` cells a box touches."""
    rows, cols = key_ranges(bbox, size)
    return len(rows), len(cols)


def cell_size_deg(south: float, west: float, north: float, east: float) -> float:
    """The smallest ladder size that covers the box in at most MAX_CELLS cells."""
    for size in SIZE_LADDER:
        rows, cols = grid_shape((south, west, north, east), size)
        if rows * cols <= MAX_CELLS:
            return size
    return SIZE_LADDER[-1]


def cell_key(lat: float, lon: float, size: float) -> tuple[int, int]:
    """The (row, column) of the cell holding a point: floor, so negative longitudes bin right."""
    return math.floor(lat / size), math.floor(lon / size)


def key_ranges(bbox: BBox, size: float) -> tuple[range, range]:
    """Row and column keys of every cell the box touches."""
    south, west, north, east = bbox
    r0, c0 = cell_key(south, west, size)
    r1, c1 = cell_key(north, east, size)
    return range(r0, r1 + 1), range(c0, c1 + 1)


def cell_centre(key: tuple[int, int], size: float) -> tuple[float, float]:
    """(latitude, longitude) of a cell's centre."""
    row, col = key
    return round((row + 0.5) * size, 9), round((col + 0.5) * size, 9)


def cell_ring(key: tuple[int, int], size: float) -> list[tuple[float, float]]:
    """The cell's outline as a closed (lon, lat) ring, counter-clockwise, as GeoJSON wants."""
    row, col = key
    s, w = round(row * size, 9), round(col * size, 9)
    n, e = round((row + 1) * size, 9), round((col + 1) * size, 9)
    return [(w, s), (e, s), (e, n), (w, n), (w, s)]


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; numpy arrays broadcast (within 0.3% of geodesic here)."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def expand_bbox(bbox: BBox, km: float) -> BBox:
    """The box grown by `km` on every side (longitude widened for the box's widest latitude)."""
    south, west, north, east = bbox
    dlat = km / 111.0
    widest = max(abs(south), abs(north))
    dlon = km / (111.0 * max(math.cos(math.radians(min(widest, 89.0))), 0.01))
    return (
        max(south - dlat, -90.0),
        max(west - dlon, -180.0),
        min(north + dlat, 90.0),
        min(east + dlon, 180.0),
    )


def sum_within(
    counts: dict[tuple[int, int], float],
    targets: list[tuple[int, int]],
    size: float,
    radius_km: float,
) -> dict[tuple[int, int], float]:
    """For each target cell, the sum of `counts` in cells whose centres lie within radius_km.

    Works on a dense array over the cells involved, one shifted add per neighbour offset, with
    the distance of each offset measured by haversine at each row's latitude."""
    if not targets:
        return {}
    keys = list(counts) + list(targets)
    r0 = min(k[0] for k in keys)
    c0 = min(k[1] for k in keys)
    rows = max(k[0] for k in keys) - r0 + 1
    cols = max(k[1] for k in keys) - c0 + 1
    grid = np.zeros((rows, cols))
    for (r, c), n in counts.items():
        grid[r - r0, c - c0] = n
    lat = (np.arange(rows) + r0 + 0.5) * size
    reach_r = int(radius_km / (111.0 * size)) + 1
    widest = float(np.max(np.abs(lat)))
    reach_c = int(radius_km / (111.0 * size * max(math.cos(math.radians(widest)), 0.01))) + 1
    total = np.zeros_like(grid)
    for dr in range(-reach_r, reach_r + 1):
        for dc in range(-reach_c, reach_c + 1):
            if abs(dr) >= rows or abs(dc) >= cols:
                continue  # no cell of the grid lies that far from another
            # Distance from a centre at row r to the centre at (r + dr, c + dc).
            near = haversine_km(lat, 0.0, lat + dr * size, dc * size) <= radius_km
            shifted = np.zeros_like(grid)
            src_r = slice(max(dr, 0), rows + min(dr, 0))
            dst_r = slice(max(-dr, 0), rows + min(-dr, 0))
            src_c = slice(max(dc, 0), cols + min(dc, 0))
            dst_c = slice(max(-dc, 0), cols + min(-dc, 0))
            shifted[dst_r, dst_c] = grid[src_r, src_c]
            total += shifted * near[:, None]
    return {(r, c): float(total[r - r0, c - c0]) for r, c in targets}
