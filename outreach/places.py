"""Where a record happened: a GPS point, one of the organisation's sites, or a place name."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.domain import DomainError
from outreach.extensions import db
from outreach.geo.geocoding import Geocoder, build_geocoder
from outreach.orgs.models import Site


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    source: str
    site_id: int | None = None
    place_name: str | None = None


def location_columns(loc: Location) -> dict:
    """The LocatedMixin columns of a record made at `loc`."""
    return {
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "location_source": loc.source,
        "site_id": loc.site_id,
        "place_name": loc.place_name,
    }


def geocoder() -> Geocoder:
    ext = current_app.extensions
    if "outreach_geocoder" not in ext:
        cfg = current_app.config
        ext["outreach_geocoder"] = build_geocoder(
            cfg["GEOCODER"],
            user_agent=cfg["GEOCODER_USER_AGENT"],
            timeout=cfg["GEOCODER_TIMEOUT"],
            countries=cfg["GEOCODER_COUNTRIES"],
        )
    return ext["outreach_geocoder"]


def org_sites(org_id: int) -> list[Site]:
    return list(
        db.session.scalars(
            select(Site).where(Site.org_id == org_id, Site.active).order_by(Site.name)
        )
    )


def resolve_location(
    org_id: int,
    latitude: float | None = None,
    longitude: float | None = None,
    site_id: int | None = None,
    place_name: str | None = None,
) -> Location:
    """Pick the most precise location given: GPS point, else site, else a geocoded name."""
    place_name = (place_name or "").strip() or None
    if latitude is not None and longitude is not None:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise DomainError("latitude", _l("The position is not a valid point."))
        return Location(latitude, longitude, "gps", site_id, place_name)
    if site_id:
        site = db.session.scalar(select(Site).where(Site.id == site_id, Site.org_id == org_id))
        if site is None:
            raise DomainError("site_id", _l("Choose one of your organisation's sites."))
        return Location(site.latitude, site.longitude, "site", site.id, place_name)
    if place_name:
        near = None
        sites = org_sites(org_id)
        if sites:
            near = (sites[0].latitude, sites[0].longitude)
        place = geocoder().geocode(place_name, near=near)
        if place is None:
            raise DomainError(
                "place_name",
                _l("We could not find this place. Try a nearby town or choose a site."),
            )
        return Location(place.latitude, place.longitude, "place", None, place_name)
    raise DomainError(
        "place_name", _l("Say where: use your position, choose a site or type a place name.")
    )
