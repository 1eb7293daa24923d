"""What the public page lists: the public facts of the active, public sites of active
organisations, nearest first to a point. Nothing else of the database is read: no record, no
count, no person.

Two cheap queries, no server-side cache (an administrator's change shows at once; browsers and
proxies may keep a page for PUBLIC_MAX_AGE seconds): the points of every listed site (three
columns, ordered in numpy by distance), then the facts of the one page of them shown."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from outreach.extensions import db
from outreach.geo.grid import haversine_km
from outreach.orgs import hours
from outreach.orgs.models import Organisation, Site


@dataclass(frozen=True)
class PublicSite:
    """What the public may read of one site; `distance_km` from the visitor's place, if any."""

    id: int
    name: str
    organisation: str
    latitude: float
    longitude: float
    address: str | None
    week: dict[str, tuple[hours.Span, ...]]
    hours_note: str | None
    languages: tuple[str, ...]
    accessibility: str | None
    offers_nasal: bool
    offers_injectable: bool
    offers_training: bool
    distance_km: float | None = None


def _listed(*columns):
    """`columns` of every site an organisation chose to show, by organisation and name."""
    return (
        select(*columns)
        .join(Organisation, Organisation.id == Site.org_id)
        .where(Site.public.is_(True), Site.active.is_(True), Organisation.active.is_(True))
        .order_by(Organisation.name, Site.name, Site.id)
    )


def listed_order(point: tuple[float, float] | None) -> list[tuple[int, float | None]]:
    """(site id, km from `point`) of every listed site, nearest first; without a point, by
    organisation and name, with no distance."""
    rows = db.session.execute(_listed(Site.id, Site.latitude, Site.longitude)).all()
    if point is None or not rows:
        return [(row[0], None) for row in rows]
    points = np.array([(row[1], row[2]) for row in rows], dtype=float)
    km = haversine_km(point[0], point[1], points[:, 0], points[:, 1])
    return [(rows[i][0], float(km[i])) for i in np.argsort(km, kind="stable")]


def public_sites(order: list[tuple[int, float | None]]) -> list[PublicSite]:
    """The facts of the listed sites named in `order` (one page of listed_order), in its
    order; a site made private or closed meanwhile is left out."""
    distance = dict(order)
    stmt = _listed(
        Site.id, Site.name, Organisation.name, Site.latitude, Site.longitude, Site.address,
        Site.opening_hours, Site.hours_note, Site.languages, Site.accessibility,
        Site.offers_nasal, Site.offers_injectable, Site.offers_training,
    ).where(Site.id.in_(list(distance)))  # fmt: skip
    found = {
        r[0]: PublicSite(
            id=r[0],
            name=r[1],
            organisation=r[2],
            latitude=r[3],
            longitude=r[4],
            address=r[5],
            week=hours.read(r[6]),
            hours_note=r[7],
            languages=tuple(c for c in (r[8] or "").split(",") if c),
            accessibility=r[9],
            offers_nasal=r[10],
            offers_injectable=r[11],
            offers_training=r[12],
            distance_km=distance[r[0]],
        )
        for r in db.session.execute(stmt)
    }
    return [found[site_id] for site_id in distance if site_id in found]
