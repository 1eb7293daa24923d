"""Training rules below the pages: renewals, the organisation wall, and status order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from outreach.domain import DomainError
from outreach.trainings.queries import status_rows
from outreach.trainings.services import add_months, record_session, valid_until_for


def test_record_session_refuses_an_attendee_from_another_organisation(app, make):
    mine, theirs = make.org(), make.org()
    trainer = make.user(role="trainer", organisation=mine)
    outsider = make.user(organisation=theirs, trained=False)
    # A request context: the locale selector reads the request to translate the message.
    with app.test_request_context(), pytest.raises(DomainError) as exc:
        record_session(
            org_id=mine.id,
            recorded_by=trainer,
            trainer=trainer,
            held_on=date.today(),
            place="Training room",
            kind="peer_distributor",
            topics=[],
            attendee_users=[outsider],
        )
    assert exc.value.field == "attendee_ids"


def test_renewal_outside_the_window_starts_from_the_day_held(app, make):
    peer = make.user(trained=False)
    make.train(peer, held_on=add_months(date.today() + timedelta(days=200), -12))
    assert valid_until_for(peer.id, date.today(), 12) == add_months(date.today(), 12)


def test_renewal_after_lapsing_starts_from_the_day_held(app, make):
    peer = make.user(trained=False)
    make.train(peer, held_on=date.today() - timedelta(days=400))
    assert valid_until_for(peer.id, date.today(), 12) == add_months(date.today(), 12)


def test_status_rows_put_lapsing_then_lapsed_then_never_then_current(app, make):
    org = make.org()
    today = date.today()
    current = make.user(organisation=org)
    never = make.user(organisation=org, trained=False)
    lapsed = make.user(organisation=org, trained=False)
    make.train(lapsed, held_on=today - timedelta(days=500))
    soon = make.user(organisation=org, trained=False)
    make.train(soon, held_on=add_months(today + timedelta(days=5), -12))
    make.user(role="coordinator", organisation=org)  # not listed: not a peer or trainer
    rows = status_rows(org.id, 60, today)
    assert [(r.user.id, r.status) for r in rows] == [
        (soon.id, "lapsing"),
        (lapsed.id, "lapsed"),
        (never.id, "never"),
        (current.id, "current"),
    ]
