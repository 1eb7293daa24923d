"""What the map shows a viewer: cells, own points, hot spots (named and computed), gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from outreach.extensions import db
from outreach.geo import hotspots as stats
from outreach.geo.grid import (
    SIZE_LADDER,
    BBox,
    cell_size_deg,
    expand_bbox,
    grid_shape,
    key_ranges,
    sum_within,
)
from outreach.maps.layers import (
    LAYERS,
    Cell,
    MapFilter,
    Point,
    cells,
    make_cell,
    own_near,
    points,
    viewer_orgs,
)
from outreach.maps.models import HotSpot
from outreach.models.base import utcnow

__all__ = [
    "LAYERS",
    "Cell",
    "Gap",
    "HotSpotView",
    "MapFilter",
    "Point",
    "cell_size_deg",
    "cells",
    "coverage_gaps",
    "gi_star",
    "hot_spots",
    "points",
    "viewer_orgs",
]

RECENT_DAYS = 30
# The finest grid the coverage-gap analysis may build (cells over the grown view).
MAX_GAP_GRID = 1_000_000


@dataclass
class HotSpotView:
    """A named hot spot as a viewer may see it: a partner's comes without notes or reporter."""

    id: int
    org_id: int
    name: str
    category: str
    latitude: float
    longitude: float
    radius_m: int
    active: bool
    closed_at: datetime | None
    created_at: datetime
    own: bool
    notes: str | None = None
    reported_by_id: int | None = None
    # The viewer's own organisation's events within the radius over the last RECENT_DAYS days.
    recent: dict[str, int] = field(default_factory=dict)


def hot_spots(user, include_closed: bool = False) -> list[HotSpotView]:
    """Named hot spots of the viewer's organisation (in full) and of active partners (active
    ones only, as a point, radius and category: notes and reporter stay with the owner)."""
    own, partners = viewer_orgs(user)
    stmt = select(HotSpot).where(HotSpot.org_id.in_([own, *partners]))
    rows = db.session.scalars(stmt.order_by(HotSpot.created_at.desc(), HotSpot.id.desc()))
    since = utcnow() - timedelta(days=RECENT_DAYS)
    out = []
    for spot in rows:
        mine = spot.org_id == own
        if not spot.active and not (mine and include_closed):
            continue
        view = HotSpotView(
            spot.id,
            spot.org_id,
            spot.name,
            spot.category,
            spot.latitude,
            spot.longitude,
            spot.radius_m,
            spot.active,
            spot.closed_at,
            spot.created_at,
            mine,
            notes=spot.notes if mine else None,
            reported_by_id=spot.reported_by_id if mine else None,
        )
        if spot.active:
            view.recent = {
                layer: own_near(user, layer, spot.latitude, spot.longitude, spot.radius_m, since)
                for layer in LAYERS
            }
        out.append(view)
    return out


def gi_star(
    user, layer: str, flt: MapFilter, bbox: BBox, size: float
) -> list[tuple[Cell, float, float]]:
    """Hot cells (Getis-Ord Gi*, corrected for the number of cells tested, with a minimum
    number of events: see outreach/geo/hotspots.py), with z and adjusted p.

    Computed on the events (records, not kits) as the viewer may see them (disclosure.cell),
    with empty cells of the view as zeros; raises ValueError when the grid would be too large."""
    seen = {c.key: c for c in cells(user, layer, flt, bbox, size)}
    rows, cols = key_ranges(bbox, size)
    cfg = current_app.config
    hot = stats.hot_cells(
        {k: c.events for k, c in seen.items()},
        rows,
        cols,
        q=float(cfg.get("MAP_HOTSPOT_FDR", stats.FDR_Q)),
        min_events=int(cfg.get("MAP_HOTSPOT_MIN_EVENTS", stats.MIN_EVENTS)),
    )
    out = [(seen[k], z, p) for k, (z, p) in hot.items() if k in seen]
    return sorted(out, key=lambda t: -t[1])


@dataclass
class Gap:
    """A cell with overdose reports or contacts but fewer than `min_kits` kits nearby."""

    cell: Cell  # count = overdoses + contacts
    overdoses: int
    contacts: int
    kits_nearby: int

    @property
    def lat(self) -> float:
        return self.cell.lat

    @property
    def lon(self) -> float:
        return self.cell.lon


def gap_size(bbox: BBox, size: float, radius_km: float) -> float:
    """A grid no coarser than `size` nor than radius_km, within MAX_GAP_GRID cells."""
    fine = [s for s in SIZE_LADDER if s * 111.0 <= radius_km] or [SIZE_LADDER[0]]
    chosen = min(size, fine[-1])
    for s in SIZE_LADDER:
        if s >= chosen:
            rows, cols = grid_shape(expand_bbox(bbox, radius_km), s)
            if rows * cols <= MAX_GAP_GRID:
                return s
    return SIZE_LADDER[-1]


def coverage_gaps(
    user,
    flt: MapFilter,
    bbox: BBox,
    size: float,
    radius_km: float = 2.0,
    min_kits: int = 5,
    limit: int = 500,
) -> list[Gap]:
    """Cells with overdose reports or contacts but fewer than min_kits kits handed out within
    radius_km of the cell's centre (cell-centre haversine; the grid is at most radius_km wide)."""
    step = gap_size(bbox, size, radius_km)
    overdoses = {c.key: c for c in cells(user, "overdoses", flt, bbox, step)}
    contacts = {c.key: c for c in cells(user, "contacts", flt, bbox, step)}
    need = sorted(set(overdoses) | set(contacts))
    if not need:
        return []
    grown = expand_bbox(bbox, radius_km)
    # Kits are counted whatever product or setting the page filters on: any kit covers.
    kit_filter = MapFilter(flt.start, flt.end, flt.org_ids)
    kits = {c.key: c.count for c in cells(user, "handouts", kit_filter, grown, step)}
    nearby = sum_within(kits, need, step, radius_km)
    gaps = []
    for key in need:
        n_od = overdoses[key].count if key in overdoses else 0
        n_ct = contacts[key].count if key in contacts else 0
        own = (overdoses[key].own if key in overdoses else 0) + (
            contacts[key].own if key in contacts else 0
        )
        kits_near = int(round(nearby.get(key, 0.0)))
        if kits_near < min_kits:
            cell = make_cell(key, step, n_od + n_ct, own)
            gaps.append(Gap(cell, n_od, n_ct, kits_near))
    gaps.sort(key=lambda g: (-g.overdoses, -g.contacts, g.kits_nearby))
    return gaps[:limit]
