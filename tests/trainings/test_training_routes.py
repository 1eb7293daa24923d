"""The training pages: recording sessions, renewals, and who lapses."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.trainings.models import TrainingAttendance, TrainingSession
from outreach.trainings.services import add_months
from tests.clock import org_today
from tests.trainings.helpers import count, handout_data, row, session_form


def test_session_recorded_through_the_page_lets_an_untrained_peer_save_a_handout(
    client, auth, make
):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    peer = make.user(organisation=org, trained=False)
    product = make.product()
    make.commit()
    auth.login(peer)
    assert client.post("/handouts/new", data=handout_data(product)).status_code == 422
    auth.logout()

    auth.login(trainer)
    resp = client.post(
        "/trainings/new", data=session_form(trainer_id=trainer.id, attendee_ids=[peer.id])
    )
    assert resp.status_code == 302
    attendance = db.session.scalar(
        select(TrainingAttendance).where(TrainingAttendance.user_id == peer.id)
    )
    assert attendance.passed and attendance.valid_until == add_months(date.today(), 12)
    auth.logout()

    auth.login(peer)
    assert client.post("/handouts/new", data=handout_data(product)).status_code == 302
    assert count(Handout) == 1


def test_refresher_inside_the_renewal_window_runs_on_from_the_old_expiry(client, auth, make):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    peer = make.user(organisation=org, trained=False)
    make.train(peer, held_on=add_months(date.today() + timedelta(days=20), -12))
    make.commit()
    old_expiry = db.session.scalar(
        select(TrainingAttendance.valid_until).where(TrainingAttendance.user_id == peer.id)
    )
    assert old_expiry == date.today() + timedelta(days=20)
    auth.login(trainer)
    resp = client.post(
        "/trainings/new",
        data=session_form(kind="refresher", trainer_id=trainer.id, attendee_ids=[peer.id]),
    )
    assert resp.status_code == 302
    renewed = db.session.scalar(
        select(func.max(TrainingAttendance.valid_until)).where(
            TrainingAttendance.user_id == peer.id
        )
    )
    assert renewed == add_months(old_expiry, 12)
    detail = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert str(renewed.year) in row(detail, peer.display_name)


def test_attendee_ticked_as_did_not_pass_gets_no_validity(client, auth, make):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    passes = make.user(organisation=org, trained=False)
    fails = make.user(organisation=org, trained=False)
    make.commit()
    auth.login(trainer)
    client.post(
        "/trainings/new",
        data=session_form(
            trainer_id=trainer.id, attendee_ids=[passes.id, fails.id], failed_ids=[fails.id]
        ),
    )
    results = dict(
        db.session.execute(select(TrainingAttendance.user_id, TrainingAttendance.valid_until)).all()
    )
    assert results[passes.id] == add_months(date.today(), 12)
    assert results[fails.id] is None


def test_community_count_and_client_code_are_recorded(client, auth, make):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    make.commit()
    auth.login(trainer)
    resp = client.post(
        "/trainings/new",
        data=session_form(
            kind="brief_intervention",
            trainer_id=trainer.id,
            community_count=3,
            client_initials="JD",
            client_dob="1985-04-02",
            client_sex="M",
        ),
    )
    assert resp.status_code == 302
    session = db.session.scalar(select(TrainingSession).order_by(TrainingSession.id.desc()))
    assert (session.community_count, session.kind) == (3, "brief_intervention")
    coded = db.session.scalar(
        select(TrainingAttendance).where(TrainingAttendance.session_id == session.id)
    )
    assert coded.client_hash and coded.user_id is None
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Community attendee (client code)" in page
    audited = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.record_type == "training_session", AuditEvent.record_id == session.id
        )
    ).all()
    assert sorted(audited) == ["create", "view"]


def test_form_starts_with_today_the_current_user_as_trainer_and_default_months(client, auth, make):
    org = make.org()
    coordinator = make.user(role="coordinator", organisation=org, display_name="Cara Coord")
    peer = make.user(organisation=org, display_name="Pat Peer")
    make.commit()
    auth.login(coordinator)
    body = client.get("/trainings/new").get_data(as_text=True)
    assert f'value="{org_today().isoformat()}"' in body
    assert f'<option selected value="{coordinator.id}">Cara Coord' in body
    assert 'name="valid_months" required type="number" value="12"' in body
    assert f'name="attendee_ids" type="checkbox" value="{peer.id}"' in body


def test_future_session_is_refused_next_to_the_date_and_keeps_what_was_typed(client, auth, make):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    make.commit()
    auth.login(trainer)
    tomorrow = (org_today() + timedelta(days=1)).isoformat()
    resp = client.post(
        "/trainings/new",
        data=session_form(held_on=tomorrow, trainer_id=trainer.id, community_count=4),
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert 'id="held_on-err"' in body and "before it is held" in body
    assert 'value="Training room, Swansea"' in body and f'value="{tomorrow}"' in body
    assert (
        '<input checked id="topics-3" name="topics" type="checkbox" value="giving_naloxone">'
        in body
    )
    assert count(TrainingSession) == 1  # only the trainer's own factory training


def test_session_with_nobody_attending_is_refused(client, auth, make):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    make.commit()
    auth.login(trainer)
    resp = client.post("/trainings/new", data=session_form(trainer_id=trainer.id))
    assert resp.status_code == 422
    assert "at least one attendee" in resp.get_data(as_text=True)
    assert count(TrainingSession) == 1  # only the trainer's own factory training


def test_lapsed_and_never_trained_peers_show_first_on_the_status_page(client, auth, make):
    org = make.org()
    coordinator = make.user(role="coordinator", organisation=org)
    current = make.user(organisation=org, display_name="Alice Current")
    lapsed = make.user(organisation=org, trained=False, display_name="Bob Lapsed")
    make.train(lapsed, held_on=date.today() - timedelta(days=400))
    never = make.user(organisation=org, trained=False, display_name="Carl Never")
    soon = make.user(organisation=org, trained=False, display_name="Dina Soon")
    make.train(soon, held_on=add_months(date.today() + timedelta(days=10), -12))
    make.commit()
    auth.login(coordinator)
    body = client.get("/trainings/lapsing").get_data(as_text=True)
    assert 'data-status="lapsed"' in row(body, "Bob Lapsed") and "Lapsed" in row(body, "Bob")
    assert 'data-status="never"' in row(body, "Carl Never")
    assert 'data-status="lapsing"' in row(body, "Dina Soon")
    assert 'data-status="current"' in row(body, current.display_name)
    order = [body.index(name) for name in ("Dina Soon", "Bob Lapsed", "Carl Never", "Alice")]
    assert order == sorted(order)
    assert never.display_name in body


def test_peer_lapsing_in_ten_days_is_on_the_coordinators_home_page(client, auth, make):
    org = make.org()
    coordinator = make.user(role="coordinator", organisation=org)
    soon = make.user(organisation=org, trained=False, display_name="Dina Soon")
    make.train(soon, held_on=add_months(date.today() + timedelta(days=10), -12))
    make.user(organisation=org, display_name="Alice Current")  # trained 30 days ago
    make.commit()
    auth.login(coordinator)
    body = client.get("/").get_data(as_text=True)
    assert "Dina Soon" in body
    assert "Alice Current" not in body


def test_list_filters_by_kind_and_date(client, auth, make):
    org = make.org()
    coordinator = make.user(role="coordinator", organisation=org)
    peer = make.user(organisation=org, trained=False)
    make.train(peer, held_on=date.today() - timedelta(days=100))
    make.train(peer, held_on=date.today() - timedelta(days=2), kind="refresher")
    make.commit()
    auth.login(coordinator)
    assert "1 record" in client.get("/trainings/?kind=refresher").get_data(as_text=True)
    since = (date.today() - timedelta(days=10)).isoformat()
    assert "1 record" in client.get(f"/trainings/?start={since}").get_data(as_text=True)
    assert "2 records" in client.get("/trainings/").get_data(as_text=True)


def test_resent_form_with_the_same_client_id_creates_one_session(client, auth, make):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    peer = make.user(organisation=org, trained=False)
    make.commit()
    auth.login(trainer)
    data = session_form(
        trainer_id=trainer.id,
        attendee_ids=[peer.id],
        client_id="0b7e5c1a-7a43-4c6f-9d8e-2f1a3b4c5d6e",
    )
    first = client.post("/trainings/new", data=data)
    again = client.post("/trainings/new", data=data)
    assert first.headers["Location"] == again.headers["Location"]
    assert count(TrainingSession) == 2  # the trainer's factory training, and this one
