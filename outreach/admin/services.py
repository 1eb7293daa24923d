"""Administration rules: who may grant which role, site positions, and opening organisations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from outreach.access import can
from outreach.auth.models import User
from outreach.auth.services import UserError, create_user, set_password, update_user
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.limits import MAX_DB_INT
from outreach.orgs.models import MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS, Organisation, Site
from outreach.orgs.publish import PublicFacts, set_public_facts
from outreach.orgs.services import OrgError, create_organisation, create_site, update_site
from outreach.places import geocoder, org_sites
from outreach.timezones import DEFAULT_ZONE
from outreach.vocab import ROLES


class AdminError(DomainError):
    pass


def grantable_roles(actor: User) -> dict[str, object]:
    """The roles `actor` may give: only a platform administrator makes another."""
    if can(actor, "administer_platform"):
        return dict(ROLES)
    return {code: name for code, name in ROLES.items() if code != "platform_admin"}


def may_manage(actor: User, member: User) -> bool:
    """An organisation administrator cannot change a platform administrator's account."""
    return not can(member, "administer_platform") or can(actor, "administer_platform")


def _check_grant(actor: User, role: str) -> None:
    if role not in grantable_roles(actor):
        raise AdminError("role", _l("You cannot give this role."))


def base_site(org_id: int, site_id: int | None, current: int | None = None) -> Site | None:
    """The site a member of organisation `org_id` may be based at (None: no base site).

    Only a site of their own organisation: a posted id is untrusted, and another
    organisation's site (or no such site) is refused with the same words, so nothing is
    learnt about other organisations. A closed site may stay a person's base (`current`) but
    nobody is newly based at one."""
    if not site_id:
        return None
    site = db.session.get(Site, site_id) if 1 <= site_id <= MAX_DB_INT else None
    if site is None or site.org_id != org_id:
        raise AdminError("site_id", _l("Choose one of your organisation's sites."))
    if not site.active and site.id != current:
        raise AdminError("site_id", _l("This site is closed. Choose an open site, or none."))
    return site


def _site_label(site: Site | None) -> str:
    """How the audit log names a base site."""
    return f"{site.name} (site {site.id})" if site else "none"


def create_member(
    actor: User,
    username: str,
    display_name: str,
    role: str,
    password: str,
    site_id: int | None = None,
) -> User:
    """A new account in the actor's own organisation, based at `site_id` (one of its sites)."""
    _check_grant(actor, role)
    site = base_site(actor.org_id, site_id)
    user = create_user(username, password, actor.organisation, role, display_name)
    user.site_id = site.id if site else None
    db.session.flush()
    return user


def new_member_detail(user: User) -> str:
    """What the audit log says about a new account."""
    site = db.session.get(Site, user.site_id) if user.site_id else None
    return f"role={user.role}" + (f", base_site={_site_label(site)}" if site else "")


def update_member(
    actor: User,
    member: User,
    *,
    display_name: str,
    role: str,
    active: bool,
    site_id: int | None,
    new_password: str | None = None,
) -> list[str]:
    """Change a member's account, their base site included (None: none); returns what
    changed, for the audit log."""
    if not may_manage(actor, member):
        raise AdminError(None, _l("Only a platform administrator can change this account."))
    if role != member.role:
        _check_grant(actor, role)
    if member.id == actor.id and role != member.role:
        raise AdminError("role", _l("You cannot change your own role."))
    if member.id == actor.id and not active:
        raise AdminError("active", _l("You cannot deactivate your own account."))
    if member.id == actor.id and new_password:
        # One's own password changes only where the current one is asked for (ASVS 6.2.3).
        raise AdminError(
            "new_password",
            _l(
                "Change your own password with “Change password” at the top of the "
                "page, which asks for the current one."
            ),
        )
    site = base_site(member.org_id, site_id, current=member.site_id)
    changes = [
        f"{name}={new}"
        for name, old, new in (
            ("display_name", member.display_name, display_name.strip()),
            ("role", member.role, role),
            ("active", member.active, active),
        )
        if old != new
    ]
    if (site.id if site else None) != member.site_id:
        changes.append(f"base_site={_site_label(site)}")
    member.site_id = site.id if site else None
    update_user(member, display_name=display_name, role=role, active=active)
    if new_password:
        try:
            set_password(member, new_password)
        except UserError as exc:
            raise AdminError("new_password", exc.message) from exc
        changes.append("password reset")
    return changes


def site_point(
    org_id: int, latitude: float | None, longitude: float | None, place_name: str | None
) -> tuple[float, float]:
    """The site's point: typed coordinates, else the place name looked up."""
    if latitude is not None and longitude is not None:
        return latitude, longitude
    place_name = (place_name or "").strip()
    if latitude is not None or longitude is not None:
        field = "longitude" if latitude is not None else "latitude"
        raise OrgError(field, _l("Give both latitude and longitude, or neither."))
    if not place_name:
        raise OrgError(
            "place_name", _l("Give the site's latitude and longitude, or a place name to look up.")
        )
    sites = org_sites(org_id)
    near = (sites[0].latitude, sites[0].longitude) if sites else None
    place = geocoder().geocode(place_name, near=near)
    if place is None:
        raise OrgError(
            "place_name", _l("We could not find this place. Type the coordinates instead.")
        )
    return place.latitude, place.longitude


def add_site(
    org: Organisation,
    name: str,
    area: str,
    latitude: float | None,
    longitude: float | None,
    place_name: str | None,
    area_id: int | None = None,
    outlet_type: str | None = None,
    facts: PublicFacts | None = None,
) -> tuple[Site, list[str]]:
    """A new site and what it tells the public (changes from the defaults, for the audit)."""
    lat, lon = site_point(org.id, latitude, longitude, place_name)
    site = create_site(org, name, area, lat, lon, area_id, outlet_type)
    return site, set_public_facts(site, facts or PublicFacts())


def change_site(
    site: Site,
    name: str,
    area: str,
    latitude: float | None,
    longitude: float | None,
    place_name: str | None,
    active: bool,
    area_id: int | None = None,
    outlet_type: str | None = None,
    facts: PublicFacts | None = None,
) -> list[str]:
    """Change a site; returns what changed of what it tells the public, for the audit."""
    lat, lon = site_point(site.org_id, latitude, longitude, place_name)
    update_site(site, name, area, lat, lon, active, area_id, outlet_type)
    return set_public_facts(site, facts) if facts is not None else []


def open_organisation(
    name: str,
    area: str,
    admin_username: str | None = None,
    admin_display_name: str | None = None,
    admin_password: str | None = None,
    timezone: str = DEFAULT_ZONE,
) -> Organisation:
    """A new organisation and, when given, its first administrator (who adds everyone else)."""
    org = create_organisation(name, area, timezone)
    if admin_username or admin_password:
        if not admin_username:
            raise OrgError("admin_username", _l("Give the administrator a username."))
        try:
            create_user(admin_username, admin_password or "", org, "org_admin", admin_display_name)
        except UserError as exc:
            raise OrgError(f"admin_{exc.field}", exc.message) from exc
    return org


def organisation_overview() -> list[tuple[Organisation, int, int]]:
    """Every organisation with its number of users and sites."""
    users = select(User.org_id, func.count(User.id).label("n")).group_by(User.org_id).subquery()
    sites = select(Site.org_id, func.count(Site.id).label("n")).group_by(Site.org_id).subquery()
    stmt = (
        select(Organisation, func.coalesce(users.c.n, 0), func.coalesce(sites.c.n, 0))
        .outerjoin(users, users.c.org_id == Organisation.id)
        .outerjoin(sites, sites.c.org_id == Organisation.id)
        .order_by(Organisation.name)
    )
    return [(org, n_users, n_sites) for org, n_users, n_sites in db.session.execute(stmt)]


def org_counts(org_id: int) -> dict[str, int]:
    """Headline numbers for an organisation's administration page."""

    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "users": count(select(func.count(User.id)).where(User.org_id == org_id, User.active)),
        "inactive": count(
            select(func.count(User.id)).where(User.org_id == org_id, User.active.is_(False))
        ),
        "sites": count(select(func.count(Site.id)).where(Site.org_id == org_id, Site.active)),
    }


def set_retention(org: Organisation, months: int | None) -> list[str]:
    """Set how many months the organisation keeps person-level details; what changed."""
    if months is None or months == org.retention_months:
        return []
    if not MIN_RETENTION_MONTHS <= months <= MAX_RETENTION_MONTHS:
        raise DomainError(
            "retention_months",
            _l(
                "Give a number of months from %(min)d to %(max)d.",
                min=MIN_RETENTION_MONTHS,
                max=MAX_RETENTION_MONTHS,
            ),
        )
    org.retention_months = months
    db.session.flush()
    return [f"retention_months={months}"]
