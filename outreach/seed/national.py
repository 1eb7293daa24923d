"""The national-scale set: an organisation of 24 people per town of places.TOWNS, and N handouts
over 24 months."""

from __future__ import annotations

import time as clock
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from flask import current_app

from outreach.auth.models import User
from outreach.auth.services import hash_password
from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.extensions import db
from outreach.handouts import firsts
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.services import create_organisation, create_site
from outreach.overdoses.models import OverdoseReport
from outreach.products.services import ensure_standard_products
from outreach.seed import draw, generate, ledger
from outreach.seed.areas import load_area_ids, place
from outreach.seed.load import bulk_insert, next_id, vacuum
from outreach.seed.places import NATIONAL_PASSWORD, TOWNS, national_org_name, national_sites
from outreach.stock.models import StockBalance, StockMovement
from outreach.tallies import keep
from outreach.trainings.models import TrainingAttendance, TrainingSession
from outreach.trainings.services import add_months

PEERS_PER_ORG, COHORT = 20, 5
STAFF = (("trainer", "trainer"), ("coordinator", "coordinator"), ("stock", "stock_manager"))
STAFF += (("orgadmin", "org_admin"),)
TOPICS = "recognising_overdose,recovery_position,calling_emergency,giving_naloxone"


def slug(town: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", town).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace(" ", "-")


def _users(org, town: str, password_hash: str, usual: int, hub: int) -> dict[str, list[User]]:
    """A trainer, coordinator, stock manager, admin and 20 peers (based at the `hub` site), all
    sharing one hash."""
    s = slug(town)
    staff = [
        (f"{name}.{s}", role, f"{role.replace('_', ' ').title()}, {town}") for name, role in STAFF
    ]
    peers = [
        (f"peer{i:02d}.{s}", "peer", f"Peer {i:02d}, {town}") for i in range(1, PEERS_PER_ORG + 1)
    ]
    made: dict[str, list[User]] = {}
    for username, role, name in staff + peers:
        user = User(
            username=username,
            display_name=name,
            password_hash=password_hash,
            org_id=org.id,
            organisation=org,
            role=role,
            usual_product_id=usual if role == "peer" else None,
            site_id=hub if role == "peer" else None,
        )
        db.session.add(user)
        made.setdefault(role, []).append(user)
    db.session.flush()
    return made


def _build_orgs(rng, products) -> tuple[list[generate.OrgPlan], list[dict]]:
    shared = hash_password(NATIONAL_PASSWORD)  # hashed once: every generated user shares it
    plans, people = [], []
    area_ids = load_area_ids()
    for town in TOWNS:
        zone = "Europe/Stockholm" if town.country == "SE" else "Europe/London"
        org = create_organisation(national_org_name(town.name, town.country), town.area, zone)
        specs = national_sites(town)
        sites = [create_site(org, name, town.area, lat, lon) for name, lat, lon, _ in specs]
        place(org, sites, area_ids[town.area_code], [outlet for *_, outlet in specs])
        usual = products[1] if town.country == "SE" else products[int(rng.random() < 0.4)]
        people.append(_users(org, town.name, shared, usual.id, sites[0].id))
        plans.append(
            generate.OrgPlan(
                org_id=org.id,
                country=town.country,
                city=town.name,
                lat=town.lat,
                lon=town.lon,
                coordinator_id=people[-1]["coordinator"][0].id,
                weight=town.weight,
                site_ids=[site.id for site in sites],
                site_points=[(lat, lon) for _, lat, lon, _ in specs],
                prison_site=len(specs) - 1 if town.gate else None,
                area_id=org.area_id,
            )
        )
    platform = User(
        username="platform",
        display_name="Platform administrator",
        password_hash=shared,
        org_id=plans[0].org_id,
        role="platform_admin",
    )
    db.session.add(platform)
    db.session.flush()
    return plans, people


def _training(rng, plans, people, start: date, today: date) -> tuple[dict, dict]:
    """Cohorts of five peers: a course, then a refresher inside the renewal window each year.
    The newest cohort joins during the period, so it gives kits only from its course on."""
    sessions: dict[str, list] = {k: [] for k in ("org_id", "trainer_id", "held_on", "kind")}
    attend: dict[str, list] = {k: [] for k in ("session", "user_id", "client_hash", "valid_until")}
    for plan, staff in zip(plans, people, strict=True):
        trainer = staff["trainer"][0].id
        peers = staff["peer"]
        for c in range(0, len(peers), COHORT):
            late = c + COHORT >= len(peers)
            window = (today - start).days
            offset = int(rng.uniform(0.1, 0.6) * window) if late else -int(rng.integers(30, 330))
            held, kind = start + timedelta(days=offset), "peer_distributor"
            valid = add_months(held, 12)
            first_held = held
            while held <= today:
                for peer in peers[c : c + COHORT]:
                    attend["session"].append(len(sessions["org_id"]))
                    attend["user_id"].append(peer.id)
                    attend["client_hash"].append(None)
                    attend["valid_until"].append(valid)
                last_valid = valid
                for key, value in zip(sessions, (plan.org_id, trainer, held, kind), strict=True):
                    sessions[key].append(value)
                held, kind = valid - timedelta(days=int(rng.integers(7, 50))), "refresher"
                valid = add_months(valid, 12)
            since = datetime.combine(first_held, time(9), tzinfo=UTC)
            until = datetime.combine(last_valid, time(23, 59), tzinfo=UTC)
            plan.peers += [(p.id, since, until) for p in peers[c : c + COHORT]]
    return sessions, attend


def _brief_interventions(rng, fr, people, pools, n, start: date, today: date, sessions, attend):
    """Recipients trained at handout time: client codes or a head count."""
    org = rng.choice(len(fr.plans), size=n, p=fr.weight)
    days = rng.integers(0, (today - start).days + 1, n)
    for o, d in zip(org.tolist(), days.tolist(), strict=True):
        pool = pools[o]
        for key, value in zip(
            sessions,
            (
                fr.plans[o].org_id,
                people[o]["trainer"][0].id,
                start + timedelta(d),
                "brief_intervention",
            ),
            strict=True,
        ):
            sessions[key].append(value)
        if len(pool) and rng.random() < 0.5:
            attend["session"].append(len(sessions["org_id"]) - 1)
            attend["user_id"].append(None)
            attend["valid_until"].append(add_months(start + timedelta(d), 12))
            attend["client_hash"].append(pool[rng.integers(len(pool))])


def _load_training(rng, sessions: dict, attend: dict, now: datetime) -> int:
    n = len(sessions["org_id"])
    first = next_id(TrainingSession.__table__)
    brief = np.array(sessions["kind"]) == "brief_intervention"
    stamp = [now] * n
    bulk_insert(
        TrainingSession.__table__,
        {
            "id": np.arange(first, first + n),
            "client_id": draw.uuid_strings(rng, n),
            **sessions,
            "recorded_by_id": sessions["trainer_id"],
            "place": ["Training room"] * n,
            "topics": [TOPICS] * n,
            "community_count": np.where(brief & (rng.random(n) < 0.5), rng.integers(1, 9, n), 0),
            "valid_months": [12] * n,
            "notes": [None] * n,
            "created_at": stamp,
            "updated_at": stamp,
        },
        "training sessions",
    )
    m = len(attend["session"])
    bulk_insert(
        TrainingAttendance.__table__,
        {
            "session_id": (np.array(attend["session"]) + first).tolist(),
            "user_id": attend["user_id"],
            "client_hash": attend["client_hash"],
            "passed": [True] * m,
            "valid_until": attend["valid_until"],
        },
        "training attendances",
    )
    return n


def _stock(rng, stores: ledger.Stores, cols: dict, ids: list[int], start, now) -> tuple:
    """Plan the ledger behind the handouts: give them ids, batches and batch numbers."""
    first = next_id(Handout.__table__)
    cols["id"] = np.arange(first, first + len(cols["client_id"]))
    lots = ledger.lots_for(start, now)
    h = stores.handouts(cols["id"], cols, ids)
    moves, taken = ledger.ledger(rng, h, lots, draw.to_datetime64(now))
    batch_of = ledger.save_batches(lots, moves["lot"], ids)
    db.session.commit()
    cols["batch_id"] = batch_of[taken]
    cols["batch_label"] = np.array(lots.number, dtype=object)[taken]
    return moves, batch_of


def _load_stock(rng, moves: dict, batch_of: np.ndarray) -> int:
    bulk_insert(StockBalance.__table__, ledger.balance_columns(moves, batch_of), "stock balances")
    columns = ledger.movement_columns(rng, moves, batch_of)
    del moves
    return bulk_insert(StockMovement.__table__, columns, "stock movements")


def _mark_new_people(echo: Callable[[str], object]) -> None:
    """Mark each client code's first supply (the flush listener that keeps new_person never
    sees a bulk insert)."""
    started = clock.perf_counter()
    with db.engine.begin() as connection:
        firsts.refresh_all(connection)
    seconds = clock.perf_counter() - started
    echo(f"Each client code's first supply marked as a new person in {seconds:.1f} s.")


def _count_tallies(echo: Callable[[str], object]) -> None:
    """Count the monthly tallies the returns read (no listener sees a bulk insert either)."""
    started = clock.perf_counter()
    with db.engine.begin() as connection:
        keep.refresh(connection)
    echo(f"Monthly tallies counted in {clock.perf_counter() - started:.1f} s.")


def load_national(n: int, seed: int, months: int, echo: Callable[[str], object]) -> None:
    """Generate and bulk-load the national set; commits as it goes."""
    t0 = clock.perf_counter()
    rng = np.random.default_rng(seed)
    now = utcnow() - timedelta(minutes=5)
    start = datetime.combine(add_months(now.date(), -months), time(0), tzinfo=UTC)
    products = ensure_standard_products()
    plans, people = _build_orgs(rng, products)
    sessions, attend = _training(rng, plans, people, start.date(), now.date())
    stores = ledger.Stores(plans, [staff["stock_manager"][0].id for staff in people])
    db.session.commit()
    echo(f"{len(plans)} organisations and their users in {clock.perf_counter() - t0:.1f} s.")
    fr = generate.Frame(plans)
    ids = [p.id for p in products]
    key = current_app.config["CLIENT_CODE_KEY"]
    cols, clients = generate.handouts(rng, fr, ids, n, start, now, key)
    pools = generate.org_pools(fr, cols)
    moves = _stock(np.random.default_rng(seed + 1), stores, cols, ids, start, now)
    bulk_insert(Handout.__table__, cols, "handouts")
    del cols
    _mark_new_people(echo)
    n_moves = _load_stock(np.random.default_rng(seed + 2), *moves)
    nb = max(1, n // 100)
    _brief_interventions(rng, fr, people, pools, nb, start.date(), now.date(), sessions, attend)
    n_sessions = _load_training(rng, sessions, attend, now)
    nc = max(1, n // 4)
    contact_cols, services, referrals = generate.contacts(rng, fr, nc, start, now, pools)
    first = next_id(OutreachContact.__table__)
    contact_cols["id"] = np.arange(first, first + nc)
    bulk_insert(OutreachContact.__table__, contact_cols, "contacts")
    for table, (rows, codes), column in (
        (ContactService.__table__, services, "service"),
        (ContactReferral.__table__, referrals, "referral"),
    ):
        bulk_insert(table, {"contact_id": rows + first, column: codes}, table.name)
    no = max(1, n // 40)
    bulk_insert(
        OverdoseReport.__table__,
        generate.overdoses(rng, fr, ids, no, start, now, pools, clients),
        "overdose reports",
    )
    _count_tallies(echo)
    started = clock.perf_counter()
    vacuum(Handout.__table__, OverdoseReport.__table__, *keep.TABLES)
    echo(f"Database vacuumed and analysed in {clock.perf_counter() - started:.1f} s.")
    echo(
        f"Loaded {n:,} handouts, {n_moves:,} stock movements, {nc:,} contacts, {no:,} overdose "
        f"reports and {n_sessions:,} training sessions over {months} months in "
        f"{clock.perf_counter() - t0:.1f} s."
    )
    users = sum(len(group) for staff in people for group in staff.values()) + 1
    echo(
        f"All {users} generated users share the password {NATIONAL_PASSWORD!r}, e.g. "
        "peer01.swansea, coordinator.cardiff, orgadmin.birmingham, platform."
    )
