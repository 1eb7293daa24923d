"""Who may record and read training sessions, and the wall between organisations."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from outreach.extensions import db
from outreach.trainings.models import TrainingAttendance, TrainingSession
from tests.trainings.helpers import count, session_form


def test_other_organisations_session_is_404_and_absent_from_the_list(client, auth, make):
    mine, theirs = make.org(), make.org()
    coordinator = make.user(role="coordinator", organisation=mine)
    our_session = make.train(make.user(organisation=mine, trained=False))
    their_session = make.train(make.user(organisation=theirs, trained=False))
    make.commit()
    auth.login(coordinator)
    assert client.get(f"/trainings/{our_session.id}").status_code == 200
    assert client.get(f"/trainings/{their_session.id}").status_code == 404
    listing = client.get("/trainings/").get_data(as_text=True)
    assert f"/trainings/{our_session.id}" in listing and "1 record" in listing
    assert f"/trainings/{their_session.id}" not in listing


def test_another_organisations_user_cannot_be_added_as_attendee(client, auth, make):
    mine, theirs = make.org(), make.org()
    trainer = make.user(role="trainer", organisation=mine)
    outsider = make.user(organisation=theirs, trained=False)
    make.commit()
    auth.login(trainer)
    resp = client.post(
        "/trainings/new", data=session_form(trainer_id=trainer.id, attendee_ids=[outsider.id])
    )
    assert resp.status_code == 422
    assert count(TrainingSession) == 1  # only the trainer's own factory training
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(TrainingAttendance)
            .where(TrainingAttendance.user_id == outsider.id)
        )
        == 0
    )


def test_another_organisations_trainer_cannot_be_named_as_trainer(client, auth, make):
    mine, theirs = make.org(), make.org()
    trainer = make.user(role="trainer", organisation=mine)
    peer = make.user(organisation=mine, trained=False)
    outsider = make.user(role="trainer", organisation=theirs, trained=False)
    make.commit()
    auth.login(trainer)
    resp = client.post(
        "/trainings/new", data=session_form(trainer_id=outsider.id, attendee_ids=[peer.id])
    )
    assert resp.status_code == 422
    assert count(TrainingAttendance) == 1  # the trainer's own factory training only


def test_peer_cannot_record_a_session(client, auth, make):
    org = make.org()
    peer = make.user(organisation=org)
    make.commit()
    auth.login(peer)
    assert client.get("/trainings/new").status_code == 403
    resp = client.post("/trainings/new", data=session_form(trainer_id=peer.id, attendee_ids=[]))
    assert resp.status_code == 403
    assert client.get("/trainings/lapsing").status_code == 403


def test_peer_sees_only_sessions_they_attended_and_only_their_own_result(client, auth, make):
    org = make.org()
    trainer = make.user(role="trainer", organisation=org)
    peer = make.user(organisation=org, trained=False, display_name="Pat Peer")
    other = make.user(organisation=org, trained=False, display_name="Olly Other")
    shared = make.train(peer, trainer=trainer, held_on=date.today() - timedelta(days=5))
    shared.attendees.append(TrainingAttendance(user_id=other.id, passed=False, valid_until=None))
    not_mine = make.train(other, trainer=trainer, held_on=date.today() - timedelta(days=3))
    make.commit()
    auth.login(peer)
    listing = client.get("/trainings/").get_data(as_text=True)
    assert f"/trainings/{shared.id}" in listing
    assert f"/trainings/{not_mine.id}" not in listing
    assert "current until" in listing
    detail = client.get(f"/trainings/{shared.id}").get_data(as_text=True)
    assert "Pat Peer" in detail and "Olly Other" not in detail
    assert client.get(f"/trainings/{not_mine.id}").status_code == 404
