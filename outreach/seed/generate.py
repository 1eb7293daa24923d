"""Vectorised generation of handouts, contacts and overdose reports as columns of values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from outreach.seed import draw
from outreach.seed.people import People, first_seen, link_clients, make_people, new_people

COUNTRIES = tuple(draw.PRODUCT_MIX)
BATCH_PREFIX = np.array(["PRX-", "NYX-", "NLX-"])  # in the order of STANDARD_PRODUCTS


@dataclass
class OrgPlan:
    """What generation needs to know about one organisation (ids already in the database)."""

    org_id: int
    country: str
    city: str
    lat: float
    lon: float
    coordinator_id: int
    weight: float = 1.0
    site_ids: list[int] = field(default_factory=list)
    site_points: list[tuple[float, float]] = field(default_factory=list)
    prison_site: int | None = None  # index into site_ids
    # Its home area. Every generated site lies in its organisation's home area, so every record
    # counts there, whichever of areas.services.record_area_id's sources it is taken from.
    area_id: int | None = None
    # (user id, current from, current until): a giver only gives while trained.
    peers: list[tuple[int, datetime, datetime]] = field(default_factory=list)


class Frame:
    """The plans flattened into arrays, so a row's org, peer and site are array lookups."""

    def __init__(self, plans: list[OrgPlan]):
        self.plans = plans
        self.org_id = np.array([p.org_id for p in plans])
        self.area_id = np.array([p.area_id for p in plans], dtype=object)
        self.weight = draw.probs(np.array([p.weight for p in plans]))
        self.country = np.array([COUNTRIES.index(p.country) for p in plans])
        self.lat = np.array([p.lat for p in plans])
        self.lon = np.array([p.lon for p in plans])
        self.city = np.array([p.city for p in plans], dtype=object)
        self.coordinator = np.array([p.coordinator_id for p in plans])
        self.peer_count = np.array([len(p.peers) for p in plans])
        self.peer_start = np.concatenate([[0], np.cumsum(self.peer_count)[:-1]])
        self.peer_id = np.array([u for p in plans for u, _, _ in p.peers])
        self.peer_lo = np.array([draw.to_datetime64(a) for p in plans for _, a, _ in p.peers])
        self.peer_hi = np.array([draw.to_datetime64(b) for p in plans for _, _, b in p.peers])
        self.site_count = np.array([len(p.site_ids) for p in plans])
        self.site_start = np.concatenate([[0], np.cumsum(self.site_count)[:-1]])
        self.site_id = np.array([s for p in plans for s in p.site_ids])
        self.site_lat = np.array([pt[0] for p in plans for pt in p.site_points])
        self.site_lon = np.array([pt[1] for p in plans for pt in p.site_points])
        self.prison = np.array(
            [
                -1 if p.prison_site is None else s + p.prison_site
                for p, s in zip(plans, self.site_start, strict=True)
            ]
        )


def _who_and_when(rng, fr: Frame, n: int, start: datetime, end: datetime, boost_from=None):
    """Org, time and giver for n records: a time first, then a peer of the org who is trained
    at that time (redrawn a few times; the rare leftover moves into its giver's training).
    `boost_from` puts ~8% of the records after that moment."""
    org = rng.choice(len(fr.plans), size=n, p=fr.weight)
    lo = np.full(n, draw.to_datetime64(start))
    hi = np.full(n, draw.to_datetime64(end))
    if boost_from is not None:
        lo = np.where(rng.random(n) < 0.08, max(lo[0], draw.to_datetime64(boost_from)), lo)
        lo = np.minimum(lo, hi)
    when = draw.draw_times(rng, lo, hi)
    giver = draw.pick_within(rng, fr.peer_start[org], fr.peer_count[org])
    for _ in range(30):
        bad = np.flatnonzero((when < fr.peer_lo[giver]) | (when > fr.peer_hi[giver]))
        if not len(bad):
            break
        giver[bad] = draw.pick_within(rng, fr.peer_start[org[bad]], fr.peer_count[org[bad]])
    when = np.minimum(np.clip(when, fr.peer_lo[giver], fr.peer_hi[giver]), hi)
    # In time order, as a live system fills: the time indexes are appended to, not scattered.
    order = np.argsort(when, kind="stable")
    org, giver, when = org[order], giver[order], when[order]
    recorder = np.where(rng.random(n) < 0.9, fr.peer_id[giver], fr.coordinator[org])
    return org, fr.peer_id[giver], recorder, when


def _where(rng, fr: Frame, org: np.ndarray, at_prison: np.ndarray | None = None) -> dict:
    """A GPS point near the org, one of its sites, or its town's name geocoded."""
    n = len(org)
    source = draw.choice(rng, draw.LOCATION_SOURCES, n)
    site = draw.pick_within(rng, fr.site_start[org], fr.site_count[org])
    if at_prison is not None:
        gate = at_prison & (fr.prison[org] >= 0)
        site = np.where(gate, fr.prison[org], site)
        source = np.where(gate, "site", source).astype(object)
    near_site = rng.random(n) < 0.5
    lat = np.where(near_site, fr.site_lat[site], fr.lat[org])
    lon = np.where(near_site, fr.site_lon[site], fr.lon[org])
    lat, lon = draw.jitter(rng, lat, lon, 1.5)
    at_site, at_place = source == "site", source == "place"
    lat = np.where(at_site, fr.site_lat[site], np.where(at_place, fr.lat[org], lat))
    lon = np.where(at_site, fr.site_lon[site], np.where(at_place, fr.lon[org], lon))
    return {
        "latitude": lat,
        "longitude": lon,
        "location_source": source,
        "site_id": draw.optional(fr.site_id[site], at_site),
        "place_name": draw.optional(fr.city[org], at_place),
    }


def _stamps(rng, when: np.ndarray, end: datetime) -> dict:
    """created/updated: the tablet syncs minutes to hours after the event."""
    delay = rng.exponential(1800, len(when)).astype("timedelta64[s]").astype("timedelta64[us]")
    created = np.minimum(when + delay, draw.to_datetime64(end))
    return {"created_at": created, "updated_at": created}


def handouts(
    rng, fr: Frame, products: list[int], n: int, start, end, key: str, boost_from=None
) -> tuple[dict, People]:
    """Columns for n handouts, and the people behind their codes: coded rows carry keyed client
    hashes that link repeat visits, and their person's age band and sex."""
    org, giver, recorder, when = _who_and_when(rng, fr, n, start, end, boost_from)
    tally = rng.random(n) < draw.TALLY_SHARE
    single = ~tally
    setting = draw.choice(rng, draw.SETTINGS, n)
    setting[tally] = draw.choice(rng, draw.TALLY_SETTINGS, int(tally.sum()))
    first = single & (rng.random(n) < draw.FIRST_SUPPLY_SHARE)
    repeat = single & ~first
    supply = np.where(first, "first", np.where(repeat, "repeat", None)).astype(object)
    reason = draw.optional(draw.choice(rng, draw.REPEAT_REASONS, n), repeat)
    previous = draw.optional(draw.choice(rng, draw.PREVIOUS_SOURCES, n), repeat)
    trained = np.where(first, rng.random(n) < 0.9, rng.random(n) < 0.3)
    coded = single & (rng.random(n) < draw.CODED_SHARE)
    person = link_clients(
        rng, coded, first, org, fr.country[org], when, [supply, reason, previous, trained]
    )
    kit = _kits(rng, fr, org)
    clients = make_people(rng, first_seen(person, when), key)
    quantity = np.where(
        tally, rng.integers(3, 21, n), rng.choice([1, 2, 3], n, p=[0.88, 0.1, 0.02])
    )
    people = np.maximum(1, quantity - rng.integers(0, 3, n))
    cols = {
        "client_id": draw.uuid_strings(rng, n),
        "org_id": fr.org_id[org],
        "area_id": fr.area_id[org],
        "recorded_by_id": recorder,
        "giver_id": giver,
        "occurred_at": when,
        **_stamps(rng, when, end),
        "kind": np.where(tally, "tally", "single").astype(object),
        "product_id": np.array(products)[kit],
        "batch_label": np.char.add(BATCH_PREFIX[kit], rng.integers(2401, 2413, n).astype(str)),
        "quantity": quantity,
        "setting": setting,
        "recipient_type": draw.optional(draw.choice(rng, draw.RECIPIENT_TYPES, n), single),
        "supply": supply,
        "repeat_reason": reason,
        "previous_source": previous,
        "training_given": trained,
        "people_count": draw.optional(people, tally),
        "people_trained": draw.optional((people * rng.uniform(0.4, 1, n)).astype(int), tally),
        **clients.carried(person, when),
        "new_person": new_people(person),
        **_where(rng, fr, org, at_prison=setting == "prison_release"),
    }
    return cols, clients


def _kits(rng, fr: Frame, org: np.ndarray) -> np.ndarray:
    """Index into the standard products, with each country's mix of kits."""
    mix = np.array([draw.PRODUCT_MIX[c] for c in COUNTRIES])
    return draw.grouped_choice(rng, fr.country[org], mix)


def org_pools(fr: Frame, handout_cols: dict) -> list[np.ndarray]:
    """The distinct client hashes each org has handed kits to (for contacts and reports)."""
    org_ids, hashes = handout_cols["org_id"], handout_cols["client_hash"]
    coded = hashes != None  # noqa: E711 - elementwise on an object array
    return [np.unique(hashes[coded & (org_ids == o)].astype(str)) for o in fr.org_id]


def contacts(rng, fr: Frame, n: int, start, end, persons: list[np.ndarray]) -> tuple:
    """Columns for n contacts (ids assigned by the caller), and their service and referral rows
    as (row index, code) arrays; `persons[i]` holds the client hashes known to org i."""
    org, _, recorder, when = _who_and_when(rng, fr, n, start, end)
    hashes = _hash_from_pool(rng, org, persons, 0.3)
    cols = {
        "client_id": draw.uuid_strings(rng, n),
        "org_id": fr.org_id[org],
        "recorded_by_id": recorder,
        "occurred_at": when,
        **_stamps(rng, when, end),
        "setting": draw.choice(rng, draw.SETTINGS, n),
        "people_count": np.where(rng.random(n) < 0.8, 1, rng.integers(2, 7, n)),
        "client_hash": hashes,
        "notes": np.full(n, None, dtype=object),
        **_where(rng, fr, org),
    }
    services = rng.random((n, len(draw.CONTACT_SERVICES))) < draw.probs(draw.CONTACT_SERVICES) * 1.4
    services[~services.any(axis=1), 0] = True
    referrals = rng.random((n, len(draw.CONTACT_REFERRALS))) < list(draw.CONTACT_REFERRALS.values())
    s_row, s_code = np.nonzero(services)
    r_row, r_code = np.nonzero(referrals)
    return (
        cols,
        (s_row, draw.codes(draw.CONTACT_SERVICES)[s_code]),
        (r_row, draw.codes(draw.CONTACT_REFERRALS)[r_code]),
    )


def overdoses(
    rng,
    fr: Frame,
    products: list[int],
    n: int,
    start,
    end,
    pools,
    clients: People,
    every_outcome: bool = False,
) -> dict:
    """Columns for n overdose reports: mostly survived, a few died or unknown (with
    `every_outcome`, each at least once). `pools[i]` holds the client hashes known to org i;
    `clients` are the people behind them, whose age band and sex a coded report carries."""
    org, _, recorder, when = _who_and_when(rng, fr, n, start, end)
    known = rng.random(n) < 0.8
    kit = _kits(rng, fr, org)
    routes = np.array(["intramuscular", "intranasal", "intramuscular"], dtype=object)
    called = _YES_NO[rng.choice(3, n, p=[0.7, 0.2, 0.1])]
    outcome = draw.choice(rng, draw.OUTCOMES, n)
    if every_outcome and n >= 2 and "died" not in outcome:
        outcome[:2] = ["died", "unknown"]
    hashes = _hash_from_pool(rng, org, pools, 0.15)
    return {
        "client_id": draw.uuid_strings(rng, n),
        "org_id": fr.org_id[org],
        "area_id": fr.area_id[org],
        "recorded_by_id": recorder,
        "occurred_at": when,
        **_stamps(rng, when, end),
        "administered_by": draw.choice(rng, draw.ADMINISTERED_BY, n),
        "doses": draw.optional(rng.choice([1, 2, 3, 4], n, p=[0.45, 0.4, 0.1, 0.05]), known),
        "route": draw.optional(routes[kit], known),
        "emergency_called": called,
        "someone_stayed": _YES_NO[rng.choice(3, n, p=[0.8, 0.1, 0.1])],
        "outcome": outcome,
        **_what_followed(rng, called, outcome),
        "product_id": draw.optional(np.array(products)[kit], known),
        **clients.carried(clients.numbers(hashes), when),
        **_where(rng, fr, org),
    }


_YES_NO = np.array([True, False, None], dtype=object)


def _what_followed(rng, called: np.ndarray, outcome: np.ndarray) -> dict:
    """Where it happened (mostly known), whether the person was referred on (asked of those
    who survived) and whether taken to hospital (mostly after an ambulance was called)."""
    n = len(called)
    place = draw.optional(draw.choice(rng, draw.PLACE_TYPES, n), rng.random(n) < draw.PLACE_KNOWN)
    referred = _YES_NO[rng.choice(3, n, p=draw.REFERRED)]
    chance = np.where(called == True, draw.HOSPITAL_AFTER_CALL, draw.HOSPITAL_OTHERWISE)  # noqa: E712
    hospital = (rng.random(n) < chance).astype(object)
    hospital[called == None] = None  # noqa: E711 - not known whether help came
    return {
        "place_type": place,
        "referred": np.where(outcome == "survived", referred, None),
        "taken_to_hospital": hospital,
    }


def _hash_from_pool(rng, org: np.ndarray, persons: list[np.ndarray], share: float) -> np.ndarray:
    out = np.full(len(org), None, dtype=object)
    for k, pool in enumerate(persons):
        rows = np.flatnonzero((org == k) & (rng.random(len(org)) < share))
        if len(pool) and len(rows):
            out[rows] = pool[rng.integers(0, len(pool), len(rows))]
    return out


def as_python(column) -> list:
    """A column as a list of plain Python values (aware datetimes, ints, None) for a driver."""
    if isinstance(column, list):
        return column
    if np.issubdtype(column.dtype, np.datetime64):
        return [d.replace(tzinfo=UTC) for d in column.astype("datetime64[us]").tolist()]
    return column.tolist()
