"""The small demo: five organisations, known logins, and four months of records (ORM)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from flask import current_app
from sqlalchemy import func, select

from outreach.auth.models import User
from outreach.auth.services import create_user
from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation
from outreach.orgs.services import create_organisation, create_site
from outreach.overdoses.models import OverdoseReport
from outreach.products.services import ensure_standard_products
from outreach.seed import generate
from outreach.seed.areas import load_area_ids, place
from outreach.seed.demo_stock import load_demo_stock
from outreach.seed.places import CURRENT, DEMO_ORGS, LAPSED, LAPSING, NEW, PASSWORDS, DemoOrg
from outreach.seed.public_sites import publish_demo_sites
from outreach.trainings.models import TrainingSession
from outreach.trainings.services import add_months, record_session
from outreach.vocab import ROLES

DEMO_HANDOUTS, DEMO_CONTACTS, DEMO_OVERDOSES = 320, 140, 30
TOPICS = ["recognising_overdose", "recovery_position", "calling_emergency", "giving_naloxone"]


def demo_loaded() -> bool:
    names = [spec.name for spec in DEMO_ORGS]
    return (
        db.session.scalar(select(Organisation.id).where(Organisation.name.in_(names))) is not None
    )


def month_start(day: date, back: int = 0) -> datetime:
    first = add_months(day.replace(day=1), -back)
    return datetime.combine(first, time(0), tzinfo=UTC)


def _held_on(rng: np.random.Generator, state: str, today: date) -> date:
    """When a peer in this training state took the course (valid for 12 months)."""
    if state == CURRENT:
        return add_months(today, -int(rng.integers(5, 10))) - timedelta(days=int(rng.integers(28)))
    if state == NEW:
        return add_months(today, -2) - timedelta(days=int(rng.integers(3, 20)))
    if state == LAPSING:  # lapses 10 to 25 days from now
        return add_months(today, -12) + timedelta(days=int(rng.integers(10, 26)))
    return add_months(today, -14) - timedelta(days=int(rng.integers(1, 20)))  # LAPSED


def _build_org(
    rng, spec: DemoOrg, products: list, today: date, area_ids: dict[str, int]
) -> generate.OrgPlan:
    zone = "Europe/Stockholm" if spec.country == "SE" else "Europe/London"
    org = create_organisation(spec.name, spec.area, zone)
    sites = [create_site(org, name, spec.area, lat, lon) for name, lat, lon, _ in spec.sites]
    place(org, sites, area_ids[spec.area_code], [outlet for *_, outlet in spec.sites])
    publish_demo_sites(sites)
    usual = products[1] if spec.country == "SE" else products[0]
    users = {}
    for person in spec.users:
        user = create_user(person.username, PASSWORDS[person.role], org, person.role, person.name)
        if person.training:  # hands out kits from a bag, based at the hub: the hub's report
            user.usual_product_id = usual.id  # shows its peers' refills and handouts
            user.site_id = sites[0].id
        users[person.username] = user
    coordinator = next(u for u in users.values() if u.role == "coordinator")
    plan = generate.OrgPlan(
        org_id=org.id,
        country=spec.country,
        city=spec.city,
        lat=spec.lat,
        lon=spec.lon,
        coordinator_id=coordinator.id,
        weight=spec.weight,
        site_ids=[s.id for s in sites],
        site_points=[(s.latitude, s.longitude) for s in sites],
        prison_site=spec.prison_site,
        area_id=org.area_id,
    )
    for state in (CURRENT, NEW, LAPSING, LAPSED):
        group = [users[p.username] for p in spec.users if p.training == state]
        if not group:
            continue
        held = _held_on(rng, state, today)
        session = record_session(
            org_id=org.id,
            recorded_by=coordinator,
            trainer=coordinator,
            held_on=held,
            place=sites[0].name,
            kind="peer_distributor",
            topics=TOPICS,
            attendee_users=group,
        )
        for attendance in session.attendees:
            since = datetime.combine(held, time(9), tzinfo=UTC)
            until = datetime.combine(attendance.valid_until, time(23, 59), tzinfo=UTC)
            plan.peers.append((attendance.user_id, since, until))
    return plan


def _community_training(rng, plans, pools, start: datetime, today: date) -> None:
    """Brief interventions with recipients (by client code) and community sessions (a count)."""
    days = max(1, (today - start.date()).days)
    for plan, pool in zip(plans, pools, strict=True):
        coordinator = db.session.get(User, plan.coordinator_id)
        for _ in range(4):
            held = start.date() + timedelta(days=int(rng.integers(0, days)))
            hashes = list(pool[rng.integers(0, len(pool), 2)]) if len(pool) else []
            record_session(
                org_id=plan.org_id,
                recorded_by=coordinator,
                trainer=coordinator,
                held_on=held,
                place=plan.city,
                kind="brief_intervention",
                topics=TOPICS,
                attendee_users=[],
                attendee_hashes=hashes,
                community_count=int(rng.integers(1, 9)),
            )


def _add_records(rng, plans, products, start: datetime, now: datetime) -> tuple[int, int, list]:
    fr = generate.Frame(plans)
    key = current_app.config["CLIENT_CODE_KEY"]
    ids = [p.id for p in products]
    cols, clients = generate.handouts(
        rng, fr, ids, DEMO_HANDOUTS, start, now, key, month_start(now.date())
    )
    handout_rows = [Handout(**row) for row in _rows(cols)]
    db.session.add_all(handout_rows)
    pools = generate.org_pools(fr, cols)
    contact_cols, services, referrals = generate.contacts(rng, fr, DEMO_CONTACTS, start, now, pools)
    contacts = [OutreachContact(**row) for row in _rows(contact_cols)]
    for i, code in zip(*services, strict=True):
        contacts[i].services.append(ContactService(service=code))
    for i, code in zip(*referrals, strict=True):
        contacts[i].referrals.append(ContactReferral(referral=code))
    db.session.add_all(contacts)
    report_cols = generate.overdoses(
        rng, fr, ids, DEMO_OVERDOSES, start, now, pools, clients, every_outcome=True
    )
    db.session.add_all(OverdoseReport(**row) for row in _rows(report_cols))
    db.session.flush()
    stock_rng = np.random.default_rng(rng.integers(2**32))
    moves = load_demo_stock(stock_rng, plans, ids, handout_rows, cols, start, now)
    return len(cols["client_id"]), moves, pools


def _rows(cols: dict) -> list[dict]:
    names = list(cols)
    values = [generate.as_python(cols[name]) for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def load_demo(seed: int, months: int, echo: Callable[[str], object]) -> None:
    """Create the demo organisations, users, trainings and records (flushed)."""
    rng = np.random.default_rng(seed)
    now = utcnow() - timedelta(minutes=5)
    start = month_start(now.date(), months - 1)
    products = ensure_standard_products()
    area_ids = load_area_ids()
    plans = [_build_org(rng, spec, products, now.date(), area_ids) for spec in DEMO_ORGS]
    handouts, moves, pools = _add_records(rng, plans, products, start, now)
    _community_training(rng, plans, pools, start, now.date())
    db.session.flush()
    sessions = db.session.scalar(select(func.count()).select_from(TrainingSession))
    echo(
        f"Demo data: {len(plans)} organisations, {len(demo_logins())} users, {handouts} handouts, "
        f"{DEMO_CONTACTS} contacts, {DEMO_OVERDOSES} overdose reports, {sessions} training "
        f"sessions and {moves} stock movements since {start:%d %B %Y}."
    )


def print_logins(logins: list[tuple], echo: Callable[[str], object]) -> None:
    header = ("Username", "Password", "Role", "Organisation", "Note")
    rows = [header] + [(u, p, str(ROLES[r]), o, n) for u, p, r, o, n in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for i, row in enumerate(rows):
        echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            echo("  ".join("-" * w for w in widths))


def demo_logins() -> list[tuple]:
    """The demo logins, for printing again when the data is already there."""
    note = {LAPSING: "training lapses within 30 days", LAPSED: "training lapsed"}
    return [
        (p.username, PASSWORDS[p.role], p.role, spec.name, note.get(p.training, ""))
        for spec in DEMO_ORGS
        for p in spec.users
    ]
