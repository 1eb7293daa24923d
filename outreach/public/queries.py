"""What the public page lists: the public facts of the active, public sites of active
organisations, nearest first to a point. Nothing else of the database is read: no record, no
count, no person.

One query of a few columns of `sites` (a few hundred rows at national scale, read whole) and the
distances in numpy: cheap enough that no server-side cache is kept, so an administrator's change
shows at once (browsers and proxies may keep a page for PUBLIC_MAX_AGE seconds)."""

from __future__ import annotations

from dataclasses import dataclass, replace

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


COLUMNS = (
    Site.id,
    Site.name,
    Organisation.name,
    Site.latitude,
    Site.longitude,
    Site.address,
    Site.opening_hours,
    Site.hours_note,
    Site.languages,
    Site.accessibility,
    Site.offers_nasal,
    Site.offers_injectable,
    Site.offers_training,
)


def public_sites() -> list[PublicSite]:
    """Every site an organisation chose to show, by organisation and name."""
    stmt = (
        select(*COLUMNS)
        .join(Organisation, Organisation.id == Site.org_id)
        .where(Site.public.is_(True), Site.active.is_(True), Organisation.active.is_(True))
        .order_by(Organisation.name, Site.name, Site.id)
    )
    return [
        PublicSite(
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
        )
        for r in db.session.execute(stmt)
    ]


def nearest(sites: list[PublicSite], point: tuple[float, float]) -> list[PublicSite]:
    """`sites` nearest first to `point` (latitude, longitude), each with its distance."""
    if not sites:
        return []
    lats = np.array([s.latitude for s in sites])
    lons = np.array([s.longitude for s in sites])
    km = haversine_km(point[0], point[1], lats, lons)
    order = np.argsort(km, kind="stable")
    return [replace(sites[i], distance_km=float(km[i])) for i in order]
