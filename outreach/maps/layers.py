"""The map's event layers aggregated in the database into grid cells, partners' parts through
outreach.disclosure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, false, func, literal, or_, select

from outreach import disclosure
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.geo.grid import BBox, cell_centre, cell_ring, key_ranges
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from outreach.tenancy import aggregate_org_ids, every_org_id, live, visible
from outreach.timezones import zone

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
    count: int  # as outreach.disclosure.cell shows it
    own: int  # the viewer's own organisation's part
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
    return clauses + kind_filters(src, flt)


def kind_filters(src: LayerSource, flt: MapFilter) -> list:
    """The product and setting filters, the same for the viewer's own and partners' data."""
    clauses = []
    if flt.product_id is not None and src.product is not None:
        clauses.append(src.product == flt.product_id)
    if flt.setting and src.setting is not None:
        clauses.append(src.setting == flt.setting)
    return clauses


def viewer_zone(user):
    """The zone of the viewer's organisation, whose whole local days partners' data is
    counted over."""
    return zone(getattr(getattr(user, "organisation", None), "timezone", None))


def partner_window(src: LayerSource, flt: MapFilter, tz) -> list:
    """Partners' live events of the window widened to whole local days in `tz`, with the
    same product and setting filters as the viewer's own (outreach.disclosure)."""
    m = src.model
    lo, hi = disclosure.whole_days(flt.start, flt.end, tz)
    return [live(m), m.occurred_at >= lo, m.occurred_at < hi, *kind_filters(src, flt)]


def partner_filters(src: LayerSource, flt: MapFilter, bbox: BBox, size: float, tz, row, col):
    """Partners' events are filtered coarsely (outreach.disclosure): on the window widened to
    whole local days of the viewer's organisation, and on every whole grid cell the box
    touches, so a finer window or box can neither date nor place a partner's event."""
    m = src.model
    rows, cols = key_ranges(bbox, size)
    return [
        *partner_window(src, flt, tz),
        # the whole cells' box, for the index; the cell keys themselves decide
        m.latitude.between(rows.start * size - size, rows.stop * size + size),
        m.longitude.between(cols.start * size - size, cols.stop * size + size),
        row.between(rows.start, rows.stop - 1),
        col.between(cols.start, cols.stop - 1),
    ]


def cells(user, layer: str, flt: MapFilter, bbox: BBox, size: float) -> list[Cell]:
    """Events of `layer` counted per grid cell in the database: the viewer's own exactly in
    the window and box asked for; partners' over whole days and whole cells, through the
    disclosure rule (a hidden part adds nothing, exactly as no data would)."""
    src = source(layer)
    m = src.model
    own, orgs = org_scope(user, flt)
    if not orgs:
        return []
    row = func.floor(m.latitude / size).label("row")
    col = func.floor(m.longitude / size).label("col")
    is_own = m.org_id == own
    partners = [o for o in orgs if o != own]
    mine = and_(is_own, *event_filters(src, flt, bbox)) if own in orgs else false()
    theirs = false()
    if partners:
        coarse = partner_filters(src, flt, bbox, size, viewer_zone(user), row, col)
        theirs = and_(m.org_id.in_(partners), *coarse)
    stmt = (
        select(
            row,
            col,
            func.sum(case((is_own, src.measure), else_=0)).label("own"),
            func.sum(case((is_own, 0), else_=src.measure)).label("others"),
            func.sum(case((is_own, 1), else_=0)).label("own_events"),
            func.sum(case((is_own, 0), else_=1)).label("other_events"),
        )
        .where(or_(mine, theirs))
        .group_by(row, col)
    )
    out: list[Cell] = []
    for r, c, own_part, others, own_events, other_events in db.session.execute(stmt):
        key = (int(r), int(c))
        name = f"map:{layer}:{size}:{key[0]}:{key[1]}"
        own_part, own_events = int(own_part or 0), int(own_events or 0)
        records = int(other_events or 0)
        count = disclosure.cell(own_part, int(others or 0), name, records)
        if count == 0:
            continue
        events = disclosure.cell(own_events, records, name + ":events")
        out.append(make_cell(key, size, count, own_part, events))
    return out


def make_cell(
    key: tuple[int, int], size: float, count: int, own: int, events: int | None = None
) -> Cell:
    lat, lon = cell_centre(key, size)
    events = count if events is None else events
    return Cell(key, lat, lon, cell_ring(key, size), count, own, events)


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
