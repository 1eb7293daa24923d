"""The authorisation matrix: every rule of the app's URL map (and every operation of its OpenAPI
document), every method, as anonymous and as each role of organisation A, with every id in the
URL one of organisation B's records. Nobody in A gets B's person-level data; the platform
administrator gets no person-level data of any organisation, their own included.

A new route cannot escape it: a rule missing from ACCESS fails the first test, so whoever adds
it says here who may reach it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from outreach.access import CAPABILITIES, can
from outreach.areas.models import Area
from outreach.areas.services import load_areas
from outreach.auth.models import User
from outreach.contacts.models import OutreachContact
from outreach.errors import RECORD_FORMS
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.maps.models import HotSpot, SpikeAlert
from outreach.models.base import utcnow
from outreach.orgs.models import Site
from outreach.overdoses.models import OverdoseReport
from outreach.stock.models import Holding, ResupplyRequest, StockMovement
from outreach.vocab import ROLES
from tests import factories
from tests.api.conftest import bodies, new_id, token_for

PUBLIC = "public"  # no login needed
LOGIN = "login"  # any signed-in user (what they see is scoped inside)

# Who may reach each endpoint: PUBLIC, LOGIN, or the capability its guard asks for. A URL id
# names a record of one organisation unless the endpoint is in SHARED (products and batches are
# every organisation's) or PLATFORM_WIDE (the platform administrator acts across organisations).
ACCESS: dict[str, str] = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.language": PUBLIC,
    "auth.logout": LOGIN,
    "auth.password": LOGIN,
    "auth.verify": PUBLIC,  # the second step of a login; without a first step, back to login
    "auth.two_step": LOGIN,
    "auth.new_codes": LOGIN,
    "auth.two_step_off": LOGIN,
    "home.index": LOGIN,
    "offline.service_worker": PUBLIC,
    "offline.manifest": PUBLIC,
    "offline.outbox": LOGIN,
    "offline.saved": LOGIN,
    "products.index": LOGIN,
    "products.new": "administer_platform",
    "products.active": "administer_platform",
    "admin.index": "administer_org",
    "admin.settings": "administer_org",
    "admin.users": "administer_org",
    "admin.user_new": "administer_org",
    "admin.user_edit": "administer_org",
    "admin.sites": "administer_org",
    "admin.site_new": "administer_org",
    "admin.site_edit": "administer_org",
    "admin.organisations": "administer_platform",
    "admin.organisation_new": "administer_platform",
    "admin.organisation_active": "administer_platform",
    "admin.partnerships": "administer_platform",
    "admin.areas": "administer_platform",
    "admin.area_estimate": "administer_platform",
    "admin.partnership_end": "administer_platform",
    "audit.index": "administer_org",
    "handouts.index": "record_field_work",
    "handouts.new": "record_field_work",
    "handouts.tally": "record_field_work",
    "handouts.detail": "record_field_work",
    "handouts.edit": "record_field_work",
    "handouts.void": "record_field_work",
    "handouts.code_history": "record_field_work",
    "handouts.export": "export_lists",
    "contacts.index": "record_field_work",
    "contacts.new": "record_field_work",
    "contacts.detail": "record_field_work",
    "contacts.edit": "record_field_work",
    "contacts.void": "record_field_work",
    "contacts.export": "export_lists",
    "overdoses.index": "record_field_work",
    "overdoses.new": "record_field_work",
    "overdoses.detail": "record_field_work",
    "overdoses.edit": "record_field_work",
    "overdoses.void": "record_field_work",
    "overdoses.export": "export_lists",
    "trainings.index": "view_trainings",
    "trainings.detail": "view_trainings",
    "trainings.new": "record_training",
    "trainings.lapsing": "record_training",
    "stock.index": "manage_stock",
    "stock.expiring": "manage_stock",
    "stock.holding": "manage_stock",
    "stock.reverse": "manage_stock",
    "stock.batches": "manage_stock",
    "stock.batch": "manage_stock",
    "stock.receive": "manage_stock",
    "stock.move": "manage_stock",
    "stock.count": "manage_stock",
    "stock.write_off": "manage_stock",
    "stock.requests": "manage_stock",
    "stock.fulfil": "manage_stock",
    "stock.my_bag": "hold_stock",
    "stock.ask_for_kits": "hold_stock",
    "stock.cancel_request": "hold_stock",
    "reports.monthly": "read_reports",
    "reports.programme_return": "read_reports",
    "maps.index": "view_map",
    "maps.alerts": "view_map",
    "maps.cells_geojson": "view_map",
    "maps.acknowledge": "acknowledge_alerts",
    "maps.hot_spots": "report_hot_spots",
    "maps.new_hot_spot": "report_hot_spots",
    "maps.close": "view_map",
    "public.index": PUBLIC,  # where to get naloxone: only what organisations chose to show
    "public.language": PUBLIC,
    "api.openapi": PUBLIC,
    "api.create_token": PUBLIC,
    "api.revoke_token": LOGIN,
    "api.me": LOGIN,
    "api.products": LOGIN,
    "api.sites": LOGIN,
    "api.bag": LOGIN,
    "api.sync": LOGIN,
    "api.list_handouts": "record_field_work",
    "api.list_contacts": "record_field_work",
    "api.list_overdose_reports": "record_field_work",
    "api.monthly_report": "read_reports",
    "api.programme_return": "read_reports",
    "api.create_handout": "record_field_work",
    "api.create_tally": "record_field_work",
    "api.create_contact": "record_field_work",
    "api.create_overdose_report": "record_field_work",
    "api.create_training_attendance": "record_training",
    "api.correct_handout": "record_field_work",
    "api.correct_tally": "record_field_work",
    "api.correct_contact": "record_field_work",
    "api.correct_overdose_report": "record_field_work",
    "api.void_handout": "record_field_work",
    "api.void_tally": "record_field_work",
    "api.void_contact": "record_field_work",
    "api.void_overdose_report": "record_field_work",
}
SHARED = {"products.active", "stock.batch"}
PLATFORM_WIDE = {
    "admin.organisation_active",
    "admin.partnership_end",
    "products.active",
    "admin.area_estimate",  # areas belong to the deployment, not to an organisation
}
# Run last: they end the session or the token the other requests use.
ENDING = {"auth.logout", "api.revoke_token"}
# A role allowed in, on a URL without ids, gets the page: 200, or these redirects.
REDIRECTS = {("home.index", "platform_admin")}

IDENTITIES = ["anonymous", *ROLES]
API_PREFIX = "/api/v1"
MARK_A, MARK_B = "zqmarkA", "zqmarkB"  # in every person-level text of each organisation
HASH_A, HASH_B = "a11ce5e0" + "0" * 56, "d15c105e" + "0" * 56


def test_every_rule_of_the_url_map_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ACCESS)) == [], "classify each new route in ACCESS"
    assert sorted(set(ACCESS) - endpoints) == [], "ACCESS names a route that is gone"
    needed = {v for v in ACCESS.values() if v not in (PUBLIC, LOGIN)}
    assert needed <= set(CAPABILITIES)


def test_every_operation_of_the_openapi_document_is_a_classified_rule(app, client):
    doc = client.get(f"{API_PREFIX}/openapi.json").get_json()
    rules = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower()): rule.endpoint
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    operations = {
        (f"{API_PREFIX}{path}", method) for path, ops in doc["paths"].items() for method in ops
    }
    api_rules = {key for key in rules if key[0].startswith(API_PREFIX + "/")}
    assert operations == api_rules
    assert all(rules[key] in ACCESS for key in operations)


@dataclass
class World:
    a: object
    b: object
    users: dict  # role -> a user of A
    ids: dict  # URL parameter name -> one of B's ids
    api_ids: dict  # API path start -> B's record of that kind
    api_bodies: dict  # API endpoint -> a body that passes its schema, so the guard is reached


def _records(org, recorder, mark: str, client_hash: str, batch, product, staff=None) -> dict:
    """One record of each person-level kind in `org`, every text carrying `mark` (its trainer's
    name, if `staff`: B's staff are none of A's business either)."""
    handout = factories.HandoutFactory(
        giver=recorder,
        product=product,
        batch_id=batch.id,
        place_name=f"{mark}-handout-place",
        client_hash=client_hash,
    )
    tally = factories.TallyFactory(
        giver=recorder, product=product, place_name=f"{mark}-tally-place"
    )
    contact = factories.ContactFactory(
        recorder=recorder,
        notes=f"{mark}-contact-notes",
        place_name=f"{mark}-contact-place",
        client_hash=client_hash,
    )
    overdose = factories.OverdoseReportFactory(
        recorder=recorder, place_name=f"{mark}-overdose-place", client_hash=client_hash
    )
    session = factories.TrainingSessionFactory(
        trainer=factories.UserFactory(
            organisation=org, role="trainer", **({"display_name": staff} if staff else {})
        ),
        place=f"{mark}-training-place",
        attendees=[recorder],
    )
    return {"handout": handout, "tally": tally, "contact": contact, "overdose": overdose,
            "session": session}  # fmt: skip


def build_world() -> World:
    load_areas(db.session)  # the returns' areas, as every seed and install loads them
    a = factories.OrganisationFactory(tracks_stock=True)
    b = factories.OrganisationFactory(tracks_stock=True)
    partnership = factories.PartnershipFactory(a=a, b=b)  # partners share aggregates only
    product = factories.ProductFactory()
    batch = factories.BatchFactory(product=product)
    users = {role: factories.UserFactory(organisation=a, role=role) for role in ROLES}
    # A's staff names are not marked: the platform administrator manages A's members.
    a_peer = factories.UserFactory(organisation=a, role="peer")
    _records(a, a_peer, MARK_A, HASH_A, batch, product)
    a_site = factories.SiteFactory(organisation=a)
    a_store = factories.StoreFactory(site=a_site)
    factories.MovementFactory(batch=batch, to_holding=a_store)  # A holds the shared batch too
    b_peer = factories.UserFactory(organisation=b, role="peer", display_name=f"{MARK_B}-peer")
    b_site = factories.SiteFactory(organisation=b)
    rec = _records(b, b_peer, MARK_B, HASH_B, batch, product, staff=f"{MARK_B}-trainer")
    store = factories.StoreFactory(site=b_site)
    movement = factories.MovementFactory(batch=batch, to_holding=store)
    bag = factories.BagFactory(user=b_peer)
    now = utcnow()
    request = ResupplyRequest(
        org_id=b.id, user_id=b_peer.id, product_id=product.id, quantity=3,
        note=f"{MARK_B}-request-note",
    )  # fmt: skip
    spot = HotSpot(
        org_id=b.id, name="B spot", category="rough_sleeping", latitude=51.62,
        longitude=-3.94, notes=f"{MARK_B}-spot-notes", reported_by_id=b_peer.id,
    )  # fmt: skip
    alert = SpikeAlert(
        org_id=b.id, scope="area", key="area:B", area="B area", window="24h",
        started_at=now - timedelta(hours=3), detected_at=now, count=5, threshold=3,
        latitude=51.62, longitude=-3.94,
    )  # fmt: skip
    db.session.add_all([request, spot, alert])
    db.session.flush()
    ids = {
        "org_id": b.id, "partnership_id": partnership.id, "site_id": b_site.id,
        "user_id": b_peer.id, "handout_id": rec["handout"].id, "contact_id": rec["contact"].id,
        "report_id": rec["overdose"].id, "session_id": rec["session"].id, "batch_id": batch.id,
        "holding_id": bag.id, "movement_id": movement.id, "request_id": request.id,
        "alert_id": alert.id, "spot_id": spot.id, "product_id": product.id,
        "area_id": db.session.scalar(select(Area.id).where(Area.code == "W11000031")),
    }  # fmt: skip
    api_ids = {
        "handouts": rec["handout"].id, "tallies": rec["tally"].id,
        "contacts": rec["contact"].id, "overdose-reports": rec["overdose"].id,
    }  # fmt: skip
    valid = bodies(SimpleNamespace(product=product, site=a_site, peer=a_peer))
    api_bodies = {f"api.create_{kind}": body for kind, body in valid.items()}
    api_bodies |= {f"api.void_{kind}": {"reason": "Entered twice"} for kind in valid}
    api_bodies["api.sync"] = {"records": []}
    db.session.commit()
    return World(a, b, users, ids, api_ids, api_bodies)


def url_for_rule(rule, world: World) -> str:
    def fill(match):
        name = match.group(2)
        if name == "id":  # the API's record ids: B's record of the path's kind
            kind = rule.rule.removeprefix(API_PREFIX + "/").split("/")[0]
            return str(world.api_ids[kind])
        if name == "filename":
            return "css/app.css"
        if name == "code":  # a language (public.language)
            return "cy"
        return str(world.ids[name])

    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, rule.rule)


def allowed(endpoint: str, identity: str) -> bool:
    need = ACCESS[endpoint]
    if need == PUBLIC:
        return True
    if identity == "anonymous":
        return False
    return need == LOGIN or can(type("U", (), {"role": identity})(), need)


def expected(rule, method: str, identity: str, record_forms=frozenset()) -> set[int] | None:
    """The statuses allowed for this request; None: any (still without B's data)."""
    endpoint, has_ids, api = rule.endpoint, "<" in rule.rule, rule.rule.startswith(API_PREFIX)
    if ACCESS[endpoint] == PUBLIC:
        return None
    if not allowed(endpoint, identity):
        if identity == "anonymous":
            # A record form posted without a session is kept by the tablet (offline/routes.py).
            keep = method == "POST" and endpoint in record_forms
            return {401} if api or keep else {302}
        return {403, 404} if has_ids else {403}  # another organisation's id: 404 refuses too
    if has_ids and endpoint not in SHARED | PLATFORM_WIDE:
        return {403, 404}
    if method == "GET":
        return {302} if (endpoint, identity) in REDIRECTS else {200}
    return None


def call(client, rule, method: str, url: str, token: str | None, world: World):
    if url.startswith(API_PREFIX):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = None
        if method not in ("GET", "DELETE"):
            body = dict(world.api_bodies.get(rule.endpoint, {}))
            if rule.endpoint.startswith("api.create_"):
                body["client_id"] = new_id()
        return client.open(url, method=method, json=body, headers=headers)
    return client.open(url, method=method, data={} if method == "POST" else None)


def b_state(world: World) -> tuple:
    """What no request from A may change of B: its records, its people, its stock, its map."""
    db.session.expire_all()
    rows = []
    for model, name in (
        (SpikeAlert, "alert_id"), (HotSpot, "spot_id"), (Site, "site_id"), (User, "user_id"),
        (Handout, "handout_id"), (OutreachContact, "contact_id"), (OverdoseReport, "report_id"),
        (Holding, "holding_id"), (ResupplyRequest, "request_id"),
    ):  # fmt: skip
        row = db.session.get(model, world.ids[name])
        rows.append(tuple(sorted((k, str(v)) for k, v in vars(row).items() if k[0] != "_")))
    tally = db.session.get(Handout, world.api_ids["tallies"])
    moves = db.session.scalar(
        select(func.count()).select_from(StockMovement).where(StockMovement.org_id == world.b.id)
    )
    return (*rows, tally.voided_at, moves)


@pytest.mark.parametrize("identity", IDENTITIES)
def test_no_one_in_organisation_a_reaches_bs_person_level_data(app, client, identity):
    world = build_world()
    before = b_state(world)
    token = None
    if identity != "anonymous":
        user = world.users[identity]
        client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
        token = token_for(app.test_client(), user)
    # The platform administrator reads no organisation's person-level data, their own included.
    marks = (MARK_B, HASH_B[:8]) + ((MARK_A, HASH_A[:8]) if identity == "platform_admin" else ())
    failures = []
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint in ENDING)
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method != "GET" and identity == "platform_admin" and rule.endpoint in PLATFORM_WIDE:
                continue  # their own power over every organisation: not run, it would end B
            url = url_for_rule(rule, world)
            res = call(client, rule, method, url, token, world)
            body = res.get_data(as_text=True)
            statuses = expected(rule, method, identity, app.extensions[RECORD_FORMS])
            if statuses is not None and res.status_code not in statuses:
                failures.append(f"{method} {url}: {res.status_code}, expected {statuses}")
            where = res.headers.get("Location", "")
            if statuses == {302} and identity == "anonymous" and "/login" not in where:
                failures.append(f"{method} {url}: redirected to {where}")
            if res.status_code >= 500:
                failures.append(f"{method} {url}: {res.status_code}")
            failures += [f"{method} {url}: shows {m}" for m in marks if m in body]
            res.close()
    assert not failures, "\n".join(failures)
    assert b_state(world) == before
