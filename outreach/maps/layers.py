"""The map's event layers aggregated in the database into grid cells, with partner suppression."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, select

from outreach import disclosure
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.geo.grid import BBox, cell_centre, cell_ring
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from outreach.tenancy import aggregate_org_ids, every_org_id, live, visible

LAYERS = ("handouts", "contacts", "overdoses")


@dataclass
class MapFilter:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    org_ids: tuple[int, ...] | None = None  # None: all the viewer may see
    product_id: int | None = None
    setting: str | None = None


@dataclass
class Cell:
    key: tuple[int, int]
    lat: float  # centre
    lon: float
    polygon: list[tuple[float, float]]  # (lon, lat) ring, closed
    count: int
    own: int  # the viewer's own organisation's part
    # True when partners' events fell under the suppression threshold and were left out.
    suppressed: bool = False
    events: int = 0  # records (a tally of 12 kits is one), what hot-spot statistics count


@dataclass
class Point:
    id: int
    lat: float
    lon: float
    occurred_at: datetime
    count: int
    setting: str | None


@dataclass(frozen=True)
class LayerSource:
    model: Any
    measure: Any  # what a cell counts: kits for handouts, records otherwise
    point_count: Any
    setting: Any | None
    product: Any | None


def source(layer: str) -> LayerSource:
    if layer == "handouts":
        return LayerSource(
            Handout, Handout.quantity, Handout.quantity, Handout.setting, Handout.product_id
        )
    if layer == "contacts":
        return LayerSource(
            OutreachContact,
            literal(1),
            OutreachContact.people_count,
            OutreachContact.setting,
            None,
        )
    if layer == "overdoses":
        return LayerSource(OverdoseReport, literal(1), literal(1), None, OverdoseReport.product_id)
    raise ValueError(f"unknown layer {layer!r}")


def viewer_orgs(user) -> tuple[int, tuple[int, ...]]:
    """(own organisation, the others whose aggregates the viewer may see): its partners, or
    every organisation for the platform administrator (tenancy.aggregate_org_ids)."""
    own = user.org_id
    allowed = aggregate_org_ids(db.session, user)
    if allowed is None:
        allowed = every_org_id(db.session)
    return own, tuple(sorted(allowed - {own}))


def org_scope(user, flt: MapFilter) -> tuple[int, list[int]]:
    """The viewer's own id and the organisations to include, narrowed by the filter."""
    own, partners = viewer_orgs(user)
    allowed = [own, *partners]
    if flt.org_ids is not None:
        allowed = [o for o in allowed if o in set(flt.org_ids)]
    return own, allowed


def event_filters(src: LayerSource, flt: MapFilter, bbox: BBox | None) -> list:
    m = src.model
    clauses = [live(m), m.occurred_at >= flt.start, m.occurred_at < flt.end]
    if bbox is not None:
        south, west, north, east = bbox
        clauses += [m.latitude.between(south, north), m.longitude.between(west, east)]
    if flt.product_id is not None and src.product is not None:
        clauses.append(src.product == flt.product_id)
    if flt.setting and src.setting is not None:
        clauses.append(src.setting == flt.setting)
    return clauses


def cells(user, layer: str, flt: MapFilter, bbox: BBox, size: float) -> list[Cell]:
    """Events of `layer` counted per grid cell in the database; partner parts under the
    threshold are withheld (the cell then shows the viewer's own part only, or is dropped)."""
    src = source(layer)
    m = src.model
    own, orgs = org_scope(user, flt)
    if not orgs:
        return []
    row = func.floor(m.latitude / size).label("row")
    col = func.floor(m.longitude / size).label("col")
    is_own = m.org_id == own
    stmt = (
        select(
            row,
            col,
            func.sum(src.measure).label("total"),
            func.sum(case((is_own, src.measure), else_=0)).label("own"),
            func.sum(case((is_own, 0), else_=1)).label("others"),
            func.sum(case((is_own, 1), else_=0)).label("own_events"),
        )
        .where(*event_filters(src, flt, bbox), m.org_id.in_(orgs))
        .group_by(row, col)
    )
    out: list[Cell] = []
    for r, c, total, own_part, others, own_events in db.session.execute(stmt):
        key = (int(r), int(c))
        own_part, others, own_events = int(own_part or 0), int(others or 0), int(own_events or 0)
        shown = disclosure.mixed(own_part, int(total or 0), others)
        if shown is None:
            continue
        events = own_events if shown.partners_withheld else own_events + others
        out.append(make_cell(key, size, shown.count, own_part, shown.partners_withheld, events))
    return out


def make_cell(
    key: tuple[int, int],
    size: float,
    count: int,
    own: int,
    suppressed: bool = False,
    events: int | None = None,
) -> Cell:
    lat, lon = cell_centre(key, size)
    events = count if events is None else events
    return Cell(key, lat, lon, cell_ring(key, size), count, own, suppressed, events)


def points(user, layer: str, flt: MapFilter, bbox: BBox, limit: int = 500) -> list[Point] | None:
    """The viewer's own organisation's events in view, or None when there are more than
    `limit`. Never another organisation's events, never client codes."""
    src = source(layer)
    m = src.model
    own, orgs = org_scope(user, flt)
    if own not in orgs:
        return []
    setting = src.setting if src.setting is not None else literal(None)
    stmt = (
        select(m.id, m.latitude, m.longitude, m.occurred_at, src.point_count, setting)
        .where(visible(m, user), *event_filters(src, flt, bbox))
        .order_by(m.occurred_at.desc(), m.id.desc())
        .limit(limit + 1)
    )
    rows = db.session.execute(stmt).all()
    if len(rows) > limit:
        return None
    return [Point(i, lat, lon, at, int(n or 1), s) for i, lat, lon, at, n, s in rows]


def own_near(user, layer: str, lat: float, lon: float, radius_m: int, since: datetime) -> int:
    """The viewer's own organisation's events of `layer` within radius_m of a point since."""
    src = source(layer)
    m = src.model
    kx = 111_320.0 * math.cos(math.radians(lat))
    dy = (m.latitude - lat) * 111_320.0
    dx = (m.longitude - lon) * kx
    dlat = radius_m / 111_320.0
    dlon = radius_m / max(kx, 1.0)
    stmt = select(func.coalesce(func.sum(src.measure), 0)).where(
        m.org_id == user.org_id,
        live(m),
        m.occurred_at >= since,
        and_(
            m.latitude.between(lat - dlat, lat + dlat), m.longitude.between(lon - dlon, lon + dlon)
        ),
        dx * dx + dy * dy <= radius_m * radius_m,
    )
    return int(db.session.scalar(stmt) or 0)
