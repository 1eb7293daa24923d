"""retention-purge: person-level details past each organisation's period go; every figure of
every past month's report, in every scope, and the stock ledger stay exactly as they were."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from outreach.trainings.models import TrainingAttendance
from tests.retention.conftest import LATER, OTHER_CODE, code, every_figure, ledger


def _details(model, org_id=None) -> list[tuple]:
    stmt = select(model.client_hash, model.place_name, model.latitude, model.longitude)
    if org_id is not None:
        stmt = stmt.where(model.org_id == org_id)
    return [tuple(row) for row in db.session.execute(stmt)]


def test_purge_strips_old_records_and_every_past_report_and_the_ledger_stay_the_same(
    runner, detailed, _pinned_clock
):
    _pinned_clock.move_to(LATER)
    before, stock = every_figure(detailed), ledger()
    assert ("Kits handed out", "17") in before[("org", 2026, 10)][1]  # real figures compared
    result = runner.invoke(args=["retention-purge", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert every_figure(detailed) == before
    assert ledger() == stock
    for model in (Handout, OutreachContact, OverdoseReport):
        assert {(h, p) for h, p, _lat, _lon in _details(model)} == {(None, None)}
        assert {(lat, lon) for _h, _p, lat, lon in _details(model)} <= {(51.62, -3.94)}
    assert db.session.scalars(select(OutreachContact.notes)).all() == [None] * 3
    reasons = db.session.scalars(select(Handout.void_reason).where(Handout.voided_at.is_not(None)))
    assert reasons.all() == ["—"]
    [coded] = db.session.scalars(
        select(TrainingAttendance.client_hash).where(TrainingAttendance.client_hash.is_not(None))
    ).all()
    assert coded.startswith("~") and coded != code()
    assert "Swansea Outreach: records before 2026-12-01" in result.output


def test_each_purge_is_audited_with_counts_only_in_its_organisation(
    runner, detailed, _pinned_clock
):
    _pinned_clock.move_to(LATER)
    runner.invoke(args=["retention-purge", "--yes"])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).all()
    own = {e.record_type: e.detail for e in events if e.org_id == detailed.org.id}
    assert own["handout"].startswith("rows=13; before=2026-12-01")
    assert set(own) == {"handout", "contact", "overdose_report", "training_attendance"}
    assert all(e.user_id is None and code() not in (e.detail or "") for e in events)
    w = detailed
    assert {e.org_id for e in events} == {w.org.id, w.partner.id, w.stranger.id}


def test_a_dry_run_and_a_refused_confirmation_change_nothing(runner, detailed, _pinned_clock):
    _pinned_clock.move_to(LATER)
    kept = _details(Handout)
    dry = runner.invoke(args=["retention-purge", "--dry-run"])
    assert dry.exit_code == 0 and "Nothing was changed." in dry.output
    assert "Handout 13, Outreach contact 3" in dry.output
    refused = runner.invoke(args=["retention-purge"], input="n\n")
    assert refused.exit_code == 0 and "Nothing was changed." in refused.output
    db.session.expire_all()
    assert _details(Handout) == kept
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "purge")) is None


@pytest.mark.pinned("2026-11-18T10:00:00+00:00")  # figures written for this day
def test_records_inside_the_period_keep_their_details(runner, detailed):
    """Today (18 November 2026) nothing is 24 months old; with one month, only the months
    before October go, and October's records keep their codes."""
    nothing = runner.invoke(args=["retention-purge", "--yes"])
    assert nothing.exit_code == 0 and "Nothing to remove." in nothing.output
    before = every_figure(detailed)
    result = runner.invoke(args=["retention-purge", "--older-than-months", "1", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert every_figure(detailed) == before
    october = datetime(2026, 10, 1, tzinfo=UTC)
    old = select(Handout.client_hash).where(Handout.occurred_at < october)
    new = select(Handout.client_hash).where(
        Handout.occurred_at >= october, Handout.kind == "single"
    )
    assert set(db.session.scalars(old)) == {None}
    assert set(db.session.scalars(new)) == {code(), OTHER_CODE}


def test_each_organisation_keeps_details_for_its_own_period(runner, detailed, _pinned_clock):
    detailed.org.retention_months = 12
    db.session.commit()
    _pinned_clock.move_to(datetime(2027, 12, 15, 10, tzinfo=UTC))
    assert runner.invoke(args=["retention-purge", "--yes"]).exit_code == 0
    db.session.expire_all()
    assert {h for h, *_ in _details(Handout, detailed.org.id)} == {None}
    assert {h for h, *_ in _details(Handout, detailed.partner.id)} == {code(), OTHER_CODE}
