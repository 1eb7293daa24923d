"""`flask seed-demo`: the demo set with known logins, and the national-scale generator."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from outreach.auth.models import User
from outreach.contacts.models import ContactService, OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation, Site
from outreach.overdoses.models import OverdoseReport
from outreach.seed import draw
from outreach.seed.demo import month_start
from outreach.seed.places import DEMO_ORGS, NATIONAL_PASSWORD, PASSWORDS
from outreach.stock.models import Batch, Holding, ResupplyRequest, StockBalance, StockMovement
from outreach.tallies import keep
from outreach.tallies.models import SupplyMonth
from outreach.trainings.models import TrainingAttendance, TrainingSession
from outreach.trainings.services import current_until
from tests.tallies.test_tallies_follow_writes import tally_cells


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def test_demo_creates_the_five_organisations_and_prints_the_logins(demo):
    names = set(db.session.scalars(select(Organisation.name)))
    assert names == {spec.name for spec in DEMO_ORGS}
    assert "peer" in demo.output and PASSWORDS["peer"] in demo.output
    assert "coordinator.goteborg" in demo.output


@pytest.mark.parametrize(
    ("username", "role"),
    [("peer", "peer"), ("coordinator", "coordinator"), ("platform", "platform_admin")],
)
def test_demo_users_log_in_with_the_printed_password(demo, auth, client, username, role):
    assert auth.login(username, PASSWORDS[role]).status_code == 302
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and home.request.path != "/login"


def test_demo_has_handouts_in_the_last_full_month_and_this_month(demo):
    today = date.today()
    last_month, this_month = month_start(today, 1), month_start(today)
    in_last = count(Handout, Handout.occurred_at >= last_month, Handout.occurred_at < this_month)
    assert in_last >= 40
    if utcnow() - this_month > timedelta(hours=1):  # the month has only just begun
        assert count(Handout, Handout.occurred_at >= this_month) >= 1
    assert count(Handout, Handout.occurred_at < month_start(today, 3)) == 0


def test_demo_handouts_have_realistic_proportions(demo):
    singles = count(Handout, Handout.kind == "single")
    first = count(Handout, Handout.supply == "first")
    used = count(Handout, Handout.repeat_reason.in_(["used_self", "used_other"]))
    assert 0.35 < first / singles < 0.65
    assert 0.1 < used / (singles - first) < 0.45
    assert count(Handout, Handout.setting == "prison_release") >= 5
    assert count(Handout, Handout.kind == "tally") >= 1
    assert count(OutreachContact) > 0 and count(ContactService) >= count(OutreachContact)
    assert count(OverdoseReport, OverdoseReport.outcome == "survived") > 0


def test_demo_repeat_codes_link_a_first_supply_to_later_repeats(demo):
    rows = db.session.execute(
        select(Handout.client_hash, Handout.supply, Handout.occurred_at)
        .where(Handout.client_hash.is_not(None))
        .order_by(Handout.client_hash, Handout.occurred_at)
    ).all()
    visits: dict[str, list[str]] = {}
    for code, supply, _ in rows:
        visits.setdefault(code, []).append(supply)
    linked = [v for v in visits.values() if len(v) > 1]
    assert linked, "no client code was seen twice"
    assert all(v[0] == "first" and set(v[1:]) == {"repeat"} for v in linked)


def test_demo_records_are_given_by_trained_users_of_the_same_organisation(demo):
    rows = db.session.execute(
        select(Handout.org_id, Handout.occurred_at, User.org_id, User.id).join(
            User, User.id == Handout.giver_id
        )
    ).all()
    assert all(org == user_org for org, _, user_org, _ in rows)
    for _, when, _, user_id in rows:
        assert current_until(user_id, when.date()) is not None


def test_demo_shows_a_lapsing_and_a_lapsed_peer(demo):
    today = date.today()
    lapsing = db.session.scalar(select(User).where(User.username == "peer2"))
    lapsed = db.session.scalar(select(User).where(User.username == "peer3"))
    until = current_until(lapsing.id, today)
    assert until is not None and (until - today).days <= 30
    assert current_until(lapsed.id, today) is None


def test_a_second_demo_call_adds_nothing(demo, runner):
    before = [count(m) for m in (Organisation, User, Handout, OutreachContact, TrainingSession)]
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "already loaded" in again.output
    after = [count(m) for m in (Organisation, User, Handout, OutreachContact, TrainingSession)]
    assert after == before


def test_seed_refuses_a_database_with_other_organisations(runner, make):
    make.org(name="A real charity")
    make.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "already holds organisations" in result.output
    assert count(Organisation) == 1


def test_national_scale_creates_exactly_n_handouts_with_the_expected_mix(runner):
    result = runner.invoke(args=["seed-demo", "--handouts", "3000", "--months", "12"])
    assert result.exit_code == 0, result.output
    assert count(Handout) == 3000
    assert count(OutreachContact) == 750 and count(OverdoseReport) == 75
    assert count(Organisation) >= 30
    ids = list(db.session.scalars(select(Handout.client_id)))
    assert len(set(ids)) == 3000 and all(len(i) == 36 and i[14] == "4" for i in ids)
    singles = count(Handout, Handout.kind == "single")
    first = count(Handout, Handout.supply == "first")
    assert abs(first / singles - draw.FIRST_SUPPLY_SHARE) < 0.04
    prison = count(Handout, Handout.setting == "prison_release") / 3000
    assert abs(prison - draw.SETTINGS["prison_release"]) < 0.025
    used = count(Handout, Handout.repeat_reason.in_(["used_self", "used_other"]))
    assert 0.2 < used / (singles - first) < 0.3
    assert count(TrainingSession) > 30 and count(TrainingAttendance) > 600
    assert db.session.scalar(select(func.max(Handout.occurred_at))) <= utcnow()
    sample = db.session.execute(select(Handout.giver_id, Handout.occurred_at).limit(150)).all()
    assert all(current_until(giver, when.date()) for giver, when in sample)


@pytest.mark.parametrize(
    "args", [["seed-demo"], ["seed-demo", "--handouts", "400", "--months", "6"]], ids=str
)
def test_each_seed_leaves_the_monthly_tallies_equal_to_its_records(runner, args):
    """The demo seed's records pass through the flush listeners; the national seed's bulk load
    counts the tallies itself (outreach/tallies/keep.py refresh)."""
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    kept = tally_cells()
    supplies = db.session.scalar(select(func.sum(SupplyMonth.records)))
    assert supplies == count(Handout, Handout.voided_at.is_(None))
    keep.refresh(db.session.connection())
    assert tally_cells() == kept


def test_national_users_share_the_printed_password(runner, auth):
    result = runner.invoke(args=["seed-demo", "--handouts", "50", "--months", "3"])
    assert result.exit_code == 0, result.output
    assert NATIONAL_PASSWORD in result.output
    assert auth.login("peer01.swansea", NATIONAL_PASSWORD).status_code == 302


def test_records_added_after_a_national_load_get_fresh_ids(runner):
    assert runner.invoke(args=["seed-demo", "--handouts", "200"]).exit_code == 0
    peer = db.session.scalar(select(User).where(User.username == "peer01.cardiff"))
    highest = db.session.scalar(select(func.max(OutreachContact.id)))
    contact = OutreachContact(
        org_id=peer.org_id,
        recorded_by_id=peer.id,
        occurred_at=utcnow(),
        setting="street",
        latitude=51.48,
        longitude=-3.18,
    )
    db.session.add(contact)
    highest_move = db.session.scalar(select(func.max(StockMovement.id)))
    move = db.session.scalar(select(StockMovement).where(StockMovement.kind == "receipt").limit(1))
    again = StockMovement(
        org_id=move.org_id,
        kind="receipt",
        batch_id=move.batch_id,
        to_holding_id=move.to_holding_id,
        quantity=5,
        recorded_by_id=move.recorded_by_id,
    )
    db.session.add(again)
    db.session.flush()
    assert contact.id > highest and again.id > highest_move


def test_seed_refuses_a_national_load_on_top_of_the_demo(demo, runner):
    result = runner.invoke(args=["seed-demo", "--handouts", "100"])
    assert result.exit_code != 0 and "empty database" in result.output
    assert count(Handout) < 1000


def test_generated_uuids_are_unique_version_4_strings():
    ids = draw.uuid_strings(np.random.default_rng(1), 50_000)
    assert len(set(ids)) == 50_000
    assert all(i[8] == i[13] == i[18] == i[23] == "-" and i[19] in "89ab" for i in ids[:500])


def test_every_generated_code_is_one_the_database_accepts():
    from outreach import vocab

    assert set(draw.SETTINGS) <= set(vocab.SETTINGS)
    assert set(draw.REPEAT_REASONS) == set(vocab.REPEAT_REASONS)
    assert set(draw.PREVIOUS_SOURCES) <= set(vocab.PREVIOUS_SOURCES)
    assert set(draw.RECIPIENT_TYPES) <= set(vocab.RECIPIENT_TYPES)
    assert set(draw.CONTACT_SERVICES) == set(vocab.SERVICES)
    assert set(draw.CONTACT_REFERRALS) == set(vocab.REFERRALS)
    assert set(draw.ADMINISTERED_BY) <= set(vocab.ADMINISTERED_BY)
    assert set(draw.OUTCOMES) == set(vocab.OUTCOMES)


def replay_ledger() -> dict[tuple[int, int], int]:
    """Replay every movement in time order: no balance may dip below zero, and each handout
    takes the first-to-expire unexpired batch of its product in the bag. Returns the balances."""
    expiry = dict(db.session.execute(select(Batch.id, Batch.expiry_date)).all())
    product = dict(db.session.execute(select(Batch.id, Batch.product_id)).all())
    moves = db.session.execute(
        select(StockMovement).order_by(StockMovement.occurred_at, StockMovement.id)
    ).scalars()
    held: dict[tuple[int, int], int] = defaultdict(int)
    for move in moves:
        if move.kind == "handout":
            day = move.occurred_at.date()
            usable = [
                expiry[b]
                for (h, b), kits in held.items()
                if h == move.from_holding_id and kits > 0 and product[b] == product[move.batch_id]
                and expiry[b] >= day
            ]  # fmt: skip
            assert expiry[move.batch_id] >= day, f"movement {move.id} took an expired batch"
            assert expiry[move.batch_id] == min(usable), f"movement {move.id} is not FEFO"
        if move.to_holding_id:
            held[(move.to_holding_id, move.batch_id)] += move.quantity
        if move.from_holding_id:
            held[(move.from_holding_id, move.batch_id)] -= move.quantity
            assert held[(move.from_holding_id, move.batch_id)] >= 0, f"{move.id} overdraws"
    return dict(held)


def assert_ledger_exact() -> None:
    held = replay_ledger()
    stored = {
        (b.holding_id, b.batch_id): b.quantity for b in db.session.scalars(select(StockBalance))
    }
    assert stored == held and all(q >= 0 for q in stored.values())
    handouts = db.session.execute(
        select(Handout, StockMovement, Holding)
        .join(Organisation, Organisation.id == Handout.org_id)
        .outerjoin(StockMovement, StockMovement.handout_id == Handout.id)
        .outerjoin(Holding, Holding.id == StockMovement.from_holding_id)
        .where(Organisation.tracks_stock)
    ).all()
    assert len(handouts) == count(Handout) > 0
    assert len({h.id for h, _, _ in handouts}) == len(handouts)  # one movement each
    for handout, move, bag in handouts:
        assert move is not None and move.kind == "handout"
        assert (move.quantity, move.batch_id, move.occurred_at) == (
            handout.quantity,
            handout.batch_id,
            handout.occurred_at,
        )
        assert (bag.kind, bag.user_id, move.to_holding_id) == ("bag", handout.giver_id, None)
    assert count(StockMovement, StockMovement.kind == "handout") == len(handouts)


def test_demo_stock_balances_equal_the_ledger_and_handouts_take_their_givers_kits(demo):
    assert_ledger_exact()
    givers = set(db.session.scalars(select(Handout.giver_id)))
    bags = set(db.session.scalars(select(Holding.user_id).where(Holding.kind == "bag")))
    peers = set(db.session.scalars(select(User.id).where(User.role == "peer")))
    assert givers | peers <= bags
    sites = db.session.scalar(select(func.count()).select_from(Site))
    assert count(Holding, Holding.kind == "store") == sites
    for kind in ("receipt", "transfer", "adjustment"):
        assert count(StockMovement, StockMovement.kind == kind) >= 1, kind
    for reason in ("expired", "damaged"):
        assert count(StockMovement, StockMovement.reason == reason) >= 1, reason


def _store_kits(today: date, lo: int, hi: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(StockBalance.quantity), 0))
        .join(Holding, Holding.id == StockBalance.holding_id)
        .join(Batch, Batch.id == StockBalance.batch_id)
        .where(Holding.kind == "store")
        .where(
            Batch.expiry_date >= today + timedelta(lo), Batch.expiry_date < today + timedelta(hi)
        )
    )


def test_demo_stock_shows_expired_expiring_low_and_requested_stock(demo):
    today = date.today()
    assert _store_kits(today, -3650, 0) > 0  # an expired lot still on a shelf
    assert _store_kits(today, 0, 90) > 0  # a lot expiring within 90 days
    totals = db.session.execute(
        select(Holding.min_level, func.sum(StockBalance.quantity))
        .join(StockBalance, StockBalance.holding_id == Holding.id)
        .where(Holding.kind == "store", Holding.min_level > 0)
        .group_by(Holding.id)
    ).all()
    assert any(kits < level for level, kits in totals)
    assert count(ResupplyRequest, ResupplyRequest.status == "open") == 1
    for peer in db.session.scalars(select(User).where(User.role == "peer")):
        kits = db.session.scalar(
            select(func.sum(StockBalance.quantity))
            .join(Holding, Holding.id == StockBalance.holding_id)
            .join(Batch, Batch.id == StockBalance.batch_id)
            .where(Holding.user_id == peer.id, Batch.product_id == peer.usual_product_id)
            .where(Batch.expiry_date > today)
        )
        assert 4 <= kits <= 20, peer.username


def test_a_demo_peer_hands_out_a_kit_from_their_bag_at_once(demo, auth, client):
    peer = db.session.scalar(select(User).where(User.username == "peer"))
    bag = db.session.scalar(select(Holding).where(Holding.user_id == peer.id))
    before = db.session.scalar(
        select(func.sum(StockBalance.quantity)).where(StockBalance.holding_id == bag.id)
    )
    assert auth.login("peer", PASSWORDS["peer"]).status_code == 302
    resp = client.post(
        "/handouts/new",
        data={
            "product_id": peer.usual_product_id,
            "quantity": 1,
            "supply": "first",
            "latitude": "51.62",
            "longitude": "-3.94",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    handout = db.session.scalar(select(Handout).order_by(Handout.id.desc()).limit(1))
    move = db.session.scalar(select(StockMovement).where(StockMovement.handout_id == handout.id))
    assert move is not None and move.from_holding_id == bag.id and move.quantity == 1
    after = db.session.scalar(
        select(func.sum(StockBalance.quantity)).where(StockBalance.holding_id == bag.id)
    )
    assert after == before - 1
    assert_ledger_exact()


def _hubs() -> dict[int, int]:
    """Each organisation's first site (the hub: created first)."""
    return dict(
        db.session.execute(select(Site.org_id, func.min(Site.id)).group_by(Site.org_id)).all()
    )


def test_demo_peers_are_based_at_their_hub_whose_report_shows_their_stock(demo, auth, client):
    hubs = _hubs()
    distributors = list(db.session.scalars(select(User).where(User.usual_product_id.is_not(None))))
    assert {u.role for u in distributors} >= {"peer"}
    assert all(u.site_id == hubs[u.org_id] for u in distributors)
    others = select(User.site_id).where(User.usual_product_id.is_(None))
    assert set(db.session.scalars(others)) == {None}
    assert auth.login("coordinator", PASSWORDS["coordinator"]).status_code == 302
    hub = db.session.scalar(select(Site).where(Site.name == "Swansea city centre hub"))
    resp = client.get("/reports/monthly", query_string={"site": hub.id, "format": "csv"})
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    flow = {label: value for section, label, value in rows if section == "Stock flow per product"}
    handed_out = [int(v) for label, v in flow.items() if label.endswith(" — Handed out")]
    assert handed_out and sum(handed_out) > 0  # the peers' bags are the hub's
    checks = [v for label, v in flow.items() if label.endswith(" — Check")]
    assert checks and set(checks) == {"Balances"}


def test_national_scale_keeps_an_exact_ledger(runner):
    result = runner.invoke(args=["seed-demo", "--handouts", "3000"])
    assert result.exit_code == 0, result.output
    assert_ledger_exact()
    hubs = _hubs()
    peers = db.session.execute(select(User.org_id, User.site_id).where(User.role == "peer")).all()
    assert peers and all(site == hubs[org] for org, site in peers)
    assert count(StockMovement, StockMovement.kind == "handout") == 3000
    assert count(StockMovement, StockMovement.kind == "receipt") > 30
    assert count(Holding, Holding.kind == "bag") >= 600


def test_a_one_month_demo_still_keeps_an_exact_ledger(runner):
    result = runner.invoke(args=["seed-demo", "--months", "1"])
    assert result.exit_code == 0, result.output
    assert_ledger_exact()
    assert db.session.scalar(select(func.max(StockMovement.occurred_at))) <= utcnow()
