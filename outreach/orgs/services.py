"""Creating and changing organisations and their sites."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.domain import DomainError
from outreach.extensions import db
from outreach.orgs.models import MAX_CORRECTION_DAYS, Organisation, Site
from outreach.timezones import DEFAULT_ZONE, is_zone, local_today, zone


class OrgError(DomainError):
    pass


def org_zone(org: Organisation | int):
    """The zone an organisation (or organisation id) works in."""
    if isinstance(org, int):
        org = db.session.get(Organisation, org)
    return zone(org.timezone if org is not None else None)


def org_today(org: Organisation | int) -> date:
    """The calendar day it is now where the organisation works."""
    return local_today(org_zone(org))


def _check_zone(timezone: str) -> str:
    timezone = (timezone or "").strip()
    if not is_zone(timezone) or len(timezone) > 40:
        raise OrgError("timezone", _l("Choose a time zone, such as Europe/London."))
    return timezone


def create_organisation(name: str, area: str, timezone: str = DEFAULT_ZONE) -> Organisation:
    """A new organisation, working in `timezone` (an IANA name such as Europe/Stockholm)."""
    name, area = name.strip(), area.strip()
    if not name or len(name) > 120:
        raise OrgError("name", _l("A name has 1 to 120 characters."))
    if not area or len(area) > 120:
        raise OrgError("area", _l("An area has 1 to 120 characters."))
    timezone = _check_zone(timezone)
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)):
        raise OrgError("name", _l("An organisation with this name exists."))
    org = Organisation(name=name, area=area, timezone=timezone)
    db.session.add(org)
    db.session.flush()
    return org


def update_settings(
    org: Organisation, *, timezone: str, correction_days: int | None = None
) -> list[str]:
    """Change an organisation's settings; returns what changed, for the audit log.

    Stored times are UTC, so a new zone changes how they are shown, never what they are.
    `correction_days`: how long a recorder may correct their own record (None: unchanged)."""
    timezone = _check_zone(timezone)
    if correction_days is None:
        correction_days = org.correction_days
    if not isinstance(correction_days, int) or not 0 <= correction_days <= MAX_CORRECTION_DAYS:
        raise OrgError(
            "correction_days",
            _l("Give a number of days from 0 to %(max)d.", max=MAX_CORRECTION_DAYS),
        )
    changes = [f"timezone={timezone}"] if timezone != org.timezone else []
    if correction_days != org.correction_days:
        changes.append(f"correction_days={correction_days}")
    org.timezone = timezone
    org.correction_days = correction_days
    db.session.flush()
    return changes


def set_organisation_active(org: Organisation, active: bool) -> None:
    """Open or close an organisation; its users cannot log in while it is closed."""
    org.active = active
    db.session.flush()


def _check_site(
    org_id: int, name: str, latitude: float, longitude: float, site_id: int | None = None
) -> str:
    name = name.strip()
    if not name or len(name) > 120:
        raise OrgError("name", _l("A name has 1 to 120 characters."))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise OrgError("latitude", _l("The position is not a valid point."))
    same = select(Site.id).where(Site.org_id == org_id, Site.name == name)
    if site_id is not None:
        same = same.where(Site.id != site_id)
    if db.session.scalar(same):
        raise OrgError("name", _l("Your organisation already has a site with this name."))
    return name


def create_site(
    org: Organisation,
    name: str,
    area: str,
    latitude: float,
    longitude: float,
    area_id: int | None = None,
    outlet_type: str | None = None,
) -> Site:
    name = _check_site(org.id, name, latitude, longitude)
    site = Site(
        org_id=org.id,
        organisation=org,
        name=name,
        area=(area or org.area).strip(),
        latitude=latitude,
        longitude=longitude,
        area_id=area_id if area_id is not None else org.area_id,
        outlet_type=outlet_type or None,
    )
    db.session.add(site)
    db.session.flush()
    return site


def update_site(
    site: Site,
    name: str,
    area: str,
    latitude: float,
    longitude: float,
    active: bool,
    area_id: int | None = None,
    outlet_type: str | None = None,
) -> None:
    site.name = _check_site(site.org_id, name, latitude, longitude, site.id)
    site.area = (area or site.organisation.area).strip()
    site.area_id, site.outlet_type = area_id, outlet_type or None
    site.latitude, site.longitude = latitude, longitude
    site.active = active
    db.session.flush()
