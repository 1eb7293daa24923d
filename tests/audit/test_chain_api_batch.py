"""A tablet's batch writes its audit events in one statement; they are sealed into the chain
like every other event."""

from __future__ import annotations

from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from tests.api.conftest import api, bodies, new_id, world  # noqa: F401 - fixtures


def test_a_synced_batchs_events_are_sealed_and_the_chain_stays_intact(runner, world, api):  # noqa: F811
    b = bodies(world)
    records = [
        {"kind": "handout", "client_id": new_id(), "data": b["handout"]},
        {"kind": "contact", "client_id": new_id(), "data": b["contact"]},
        {"kind": "overdose_report", "client_id": new_id(), "data": b["overdose_report"]},
    ]
    assert api.post("/sync", {"records": records}).status_code == 200
    created = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.detail == "api")
    ).all()
    assert len(created) == 3 and all(e.seq and e.row_hash for e in created)
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0 and "chain intact" in result.output, result.output
