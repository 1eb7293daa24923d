"""The map's area view: each area of one level of the area tree with its records of a layer,
counted in the database by the area they are filed under, partners' parts through
outreach.disclosure."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, false, func, or_, select

from outreach import disclosure
from outreach.areas.queries import Unit, countries, units
from outreach.extensions import db
from outreach.maps.layers import (
    MapFilter,
    event_filters,
    org_scope,
    partner_window,
    source,
    viewer_orgs,
    viewer_zone,
)
from outreach.orgs.models import Site

# Supplies and overdose reports are filed under an area (models.mixins.CountedMixin);
# outreach contacts are not, so the area view cannot show them.
AREA_LAYERS = ("handouts", "overdoses")
PER_PEOPLE = 1000  # kits per 1,000 people at risk
# An area where the viewer has no site and no record of their own is placed at partners'
# records' mean position rounded to this many decimals of a degree (about 10 km).
COARSE_PLACES = 1


@dataclass(frozen=True)
class AreaFigure:
    """One area's figure of a layer as the viewer may see it, and where it is drawn."""

    code: str
    name: str  # in the reader's language
    lat: float
    lon: float
    count: int  # kits for handouts, records otherwise, as outreach.disclosure.cell shows it
    own: int  # the viewer's own organisation's part
    at_risk: int | None  # the area's estimate of people at risk, where it has one
    rate: float | None  # kits per 1,000 people at risk (handouts, where there is an estimate)


@dataclass
class _Sums:
    """One area's exact parts, own and partners', before disclosure."""

    own: int = 0
    others: int = 0
    own_records: int = 0
    other_records: int = 0
    own_lat: float = 0.0
    own_lon: float = 0.0
    other_lat: float = 0.0
    other_lon: float = 0.0

    def add(self, row) -> None:
        self.own += int(row.own or 0)
        self.others += int(row.others or 0)
        self.own_records += int(row.own_records or 0)
        self.other_records += int(row.other_records or 0)
        self.own_lat += float(row.own_lat or 0)
        self.own_lon += float(row.own_lon or 0)
        self.other_lat += float(row.other_lat or 0)
        self.other_lon += float(row.other_lon or 0)


def _sums_by_area(user, layer: str, flt: MapFilter) -> list:
    """One grouped query: per area_id, the viewer's own part exactly in the window, partners'
    over whole local days (outreach.disclosure), and the sums of their positions."""
    src = source(layer)
    m = src.model
    own, orgs = org_scope(user, flt)
    if not orgs:
        return []
    is_own = m.org_id == own
    partners = [o for o in orgs if o != own]
    mine = and_(is_own, *event_filters(src, flt, None)) if own in orgs else false()
    theirs = false()
    if partners:
        theirs = and_(m.org_id.in_(partners), *partner_window(src, flt, viewer_zone(user)))

    def part(value, of_own: bool):
        return func.sum(case((is_own, value if of_own else 0), else_=0 if of_own else value))

    stmt = (
        select(
            m.area_id,
            part(src.measure, True).label("own"),
            part(src.measure, False).label("others"),
            part(1, True).label("own_records"),
            part(1, False).label("other_records"),
            part(m.latitude, True).label("own_lat"),
            part(m.longitude, True).label("own_lon"),
            part(m.latitude, False).label("other_lat"),
            part(m.longitude, False).label("other_lon"),
        )
        .where(m.area_id.is_not(None), or_(mine, theirs))
        .group_by(m.area_id)
    )
    return list(db.session.execute(stmt))


def units_by_leaf(level: str) -> dict[int, Unit]:
    """Each local authority's area of `level` (outreach.areas.queries.units, country by
    country); one that belongs to none (a partnership outside Wales and Scotland) is absent."""
    found: dict[int, Unit] = {}
    for country in countries():
        for unit in units(country, level):
            for leaf in unit.leaves:
                found.setdefault(leaf, unit)
    return found


def _site_sums(user) -> dict[int, tuple[float, float, int]]:
    """Per local authority, the sums of the positions of the active sites of the
    organisations the viewer may see (the sites the map shows them), and how many."""
    own, partners = viewer_orgs(user)
    stmt = (
        select(Site.area_id, func.sum(Site.latitude), func.sum(Site.longitude), func.count())
        .where(Site.org_id.in_([own, *partners]), Site.active, Site.area_id.is_not(None))
        .group_by(Site.area_id)
    )
    return {a: (float(lat), float(lon), int(n)) for a, lat, lon, n in db.session.execute(stmt)}


def _place(unit: Unit, sites: dict, sums: _Sums) -> tuple[float, float]:
    """The mean position of the area's sites; else of the viewer's own records there; else of
    partners' records, rounded to COARSE_PLACES (an area is only drawn when their part is
    shown, and then at no finer than about 10 km)."""
    inside = [sites[leaf] for leaf in unit.leaves if leaf in sites]
    n = sum(s[2] for s in inside)
    if n:
        return sum(s[0] for s in inside) / n, sum(s[1] for s in inside) / n
    if sums.own_records:
        return sums.own_lat / sums.own_records, sums.own_lon / sums.own_records
    k = max(sums.other_records, 1)
    return round(sums.other_lat / k, COARSE_PLACES), round(sums.other_lon / k, COARSE_PLACES)


def _figure(layer: str, unit: Unit, sums: _Sums, sites: dict, lang: str) -> AreaFigure | None:
    area = unit.area
    key = f"map:area:{layer}:{area.code}"
    count = disclosure.cell(sums.own, sums.others, key, sums.other_records)
    if count == 0:
        return None
    estimate = area.at_risk_estimate if layer == "handouts" else None
    rate = PER_PEOPLE * count / estimate if estimate else None
    lat, lon = _place(unit, sites, sums)
    return AreaFigure(area.code, area.label(lang), lat, lon, count, sums.own, estimate, rate)


def area_figures(
    user, layers: list[str], flt: MapFilter, level: str, lang: str = "en"
) -> dict[str, list[AreaFigure]]:
    """For each layer, the areas of `level` with records in the window and filters, largest
    first: each area's own and partners' parts summed over its local authorities, then shown
    through outreach.disclosure.cell under a name that is the area's and the layer's (so
    asking again gives the same answer). Areas are counted whole: the map's box does not
    narrow them."""
    tree = units_by_leaf(level) if layers else {}
    sites = _site_sums(user) if layers else {}
    out: dict[str, list[AreaFigure]] = {}
    for layer in layers:
        grouped: dict[int, tuple[Unit, _Sums]] = {}
        for row in _sums_by_area(user, layer, flt):
            unit = tree.get(row.area_id)
            if unit is not None:
                grouped.setdefault(unit.area.id, (unit, _Sums()))[1].add(row)
        found = [_figure(layer, u, s, sites, lang) for u, s in grouped.values()]
        out[layer] = sorted((f for f in found if f), key=lambda f: (-f.count, f.name))
    return out
