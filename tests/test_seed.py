"""`flask seed-demo`: the demo set with known logins, and the national-scale generator."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from outreach.auth.models import User
from outreach.contacts.models import ContactService, OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation
from outreach.overdoses.models import OverdoseReport
from outreach.seed import draw
from outreach.seed.demo import month_start
from outreach.seed.places import DEMO_ORGS, NATIONAL_PASSWORD, PASSWORDS
from outreach.trainings.models import TrainingAttendance, TrainingSession
from outreach.trainings.services import current_until


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
    db.session.flush()
    assert contact.id > highest


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
