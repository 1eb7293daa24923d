"""The audit trail's hash chain: audit-verify finds an edited, removed or forged event, and
workers appending at once never fork the chain."""

from __future__ import annotations

from sqlalchemy import select, text

from outreach.audit.models import AuditEvent
from outreach.audit.services import record
from outreach.extensions import db
from tests.stock.helpers import at_once


def _events(make, n: int = 3):
    user = make.user("org_admin")
    for i in range(n):
        record("view", "handout", i + 1, user=user, detail=f"page {i}")
    db.session.commit()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_audit_verify_reports_every_event_and_an_intact_chain(runner, make):
    events = _events(make)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].row_hash != events[2].prev_hash
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
    assert "3 events, chain intact" in result.output


def test_an_edited_event_is_found_and_named(runner, make):
    events = _events(make)
    db.session.execute(
        text("UPDATE audit_events SET detail = 'nothing to see' WHERE id = :id"),
        {"id": events[1].id},
    )
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1
    assert f"event {events[1].id} was changed" in result.output


def test_a_deleted_event_in_the_middle_or_at_the_end_is_found(runner, make):
    events = _events(make, 4)
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[3].id})
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "events after 3 were removed" in result.output
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[1].id})
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "event 2 is missing" in result.output


def test_an_event_written_around_the_chain_is_found(runner, make):
    events = _events(make, 2)
    db.session.execute(
        text(
            "INSERT INTO audit_events (at, action, record_type, org_id) "
            "VALUES (:at, 'view', 'handout', :org)"
        ),
        {"at": events[0].at.replace(tzinfo=None), "org": events[0].org_id},
    )
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "is outside the chain" in result.output


def test_events_from_before_the_chain_are_counted_apart(runner, make):
    user = make.user("org_admin")
    make.commit()
    db.session.execute(
        text(
            "INSERT INTO audit_events (at, action, record_type, org_id) "
            "VALUES ('2026-01-01 10:00:00', 'view', 'handout', :org)"
        ),
        {"org": user.org_id},
    )
    db.session.commit()
    record("view", "handout", 1, user=user)
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0
    assert "1 events, chain intact (1 older events predate the chain)" in result.output


def test_twenty_workers_appending_at_once_keep_one_unbroken_chain(app, runner, make):
    """Each thread has its own session and transaction, as each gunicorn worker would."""
    user = make.user("org_admin")
    make.commit()
    user_id, org_id = user.id, user.org_id

    def append(i: int):
        record("view", "handout", i, org_id=org_id, detail=f"worker {i} of {user_id}")
        db.session.commit()

    assert [a for a in at_once(app, list(range(20)), append) if a is not None] == []
    db.session.remove()
    seqs = db.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, 21))
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0 and "20 events, chain intact" in result.output


def test_record_writes_into_the_log_it_is_told_to(app, make):
    user = make.user("org_admin")
    other = make.org()
    make.commit()
    mine = record("view", "client_code", user=user)
    theirs = record("view", "client_code", user=user, org_id=other.id)
    nobody = record("purge", "handout", org_id=other.id)
    db.session.commit()
    assert (mine.org_id, theirs.org_id, nobody.org_id) == (user.org_id, other.id, other.id)
    assert nobody.user_id is None and nobody.row_hash


def test_a_chain_sealed_with_audit_key_survives_a_new_secret_key(app, runner, make, monkeypatch):
    """AUDIT_KEY comes from the environment; with it set, rotating SECRET_KEY leaves the chain
    verifiable, and a wrong AUDIT_KEY does not."""
    from outreach.config import load_config

    monkeypatch.setenv("AUDIT_KEY", "audit-key-from-the-environment")
    assert load_config(app.instance_path)["AUDIT_KEY"] == "audit-key-from-the-environment"
    monkeypatch.setitem(app.config, "AUDIT_KEY", "audit-key-from-the-environment")
    _events(make)
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-new-secret-key-after-rotation")
    assert runner.invoke(args=["audit-verify"]).exit_code == 0
    monkeypatch.setitem(app.config, "AUDIT_KEY", "another-audit-key")
    assert runner.invoke(args=["audit-verify"]).exit_code == 1
