"""What the audit trail now records: refusals (a missing capability, another organisation's
record), every page of a person-level list, hot-spot and alert changes, the retention setting,
and reading the log itself."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from outreach.maps.models import SpikeAlert
from outreach.maps.services import acknowledge_alert, add_hot_spot, close_hot_spot
from outreach.models.base import utcnow


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))


def test_a_refused_page_is_audited_in_the_callers_organisation(client, auth, make):
    peer = make.user("peer")
    make.commit()
    auth.login(peer)
    assert client.get("/audit/").status_code == 403
    [event] = _events("denied")
    assert (event.user_id, event.org_id, event.record_type) == (peer.id, peer.org_id, "page")
    assert event.detail == "administer_org: GET /audit/"


def test_another_organisations_record_is_a_404_audited_with_its_type_and_id(client, auth, make):
    mine, theirs = make.org(), make.org()
    coordinator = make.user("coordinator", organisation=mine)
    handout = make.handout(giver=make.user(organisation=theirs), product=make.product())
    make.commit()
    auth.login(coordinator)
    assert client.get(f"/handouts/{handout.id}").status_code == 404
    [event] = _events("denied")
    assert (event.org_id, event.record_type, event.record_id) == (mine.id, "handout", handout.id)
    assert event.detail.startswith("another organisation")


def test_a_colleagues_record_refused_to_a_peer_is_audited_too(client, auth, make):
    org = make.org()
    peer, colleague = make.user(organisation=org), make.user(organisation=org)
    handout = make.handout(giver=colleague, product=make.product())
    make.commit()
    auth.login(peer)
    assert client.get(f"/handouts/{handout.id}").status_code == 404
    [event] = _events("denied")
    assert event.record_id == handout.id and event.detail.startswith("not their own")


def test_an_id_that_exists_nowhere_is_a_plain_404(client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    auth.login(coordinator)
    assert client.get("/handouts/987654").status_code == 404
    assert _events("denied") == []


def test_each_page_of_a_person_level_list_is_audited_with_its_filters(client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    auth.login(coordinator)
    assert client.get("/handouts/?setting=street").status_code == 200
    assert client.get("/contacts/").status_code == 200
    assert client.get("/overdoses/?page=2").status_code == 200
    views = [(e.record_type, e.detail) for e in _events("view")]
    assert views == [
        ("handout", "handouts list page 1; setting=street"),
        ("contact", "contacts list page 1"),
        ("overdose_report", "overdose-reports list page 2"),
    ]


def test_hot_spot_and_spike_alert_changes_are_audited(app, make):
    coordinator = make.user("coordinator")
    make.commit()
    spot = add_hot_spot(coordinator, "Bus station", "other", 51.62, -3.94)
    close_hot_spot(coordinator, spot)
    alert = SpikeAlert(
        org_id=coordinator.org_id,
        scope="area",
        key="area:Swansea Bay",
        window="24h",
        started_at=utcnow() - timedelta(hours=24),
        detected_at=utcnow(),
        count=5,
        threshold=3,
        latitude=51.62,
        longitude=-3.94,
    )
    db.session.add(alert)
    db.session.flush()
    acknowledge_alert(coordinator, alert)
    db.session.commit()
    changes = [
        (e.action, e.record_type, e.record_id, e.user_id)
        for e in _events("create") + _events("update")
    ]
    assert ("create", "hot_spot", spot.id, coordinator.id) in changes
    assert ("update", "hot_spot", spot.id, coordinator.id) in changes
    assert ("update", "spike_alert", alert.id, coordinator.id) in changes


def test_the_retention_period_is_set_on_the_settings_page_and_audited(client, auth, make):
    admin = make.user("org_admin")
    make.commit()
    auth.login(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="retention_months"' in page and 'value="24"' in page
    data = {"timezone": "Europe/London", "correction_days": 7, "retention_months": 36}
    assert client.post("/admin/settings", data=data).status_code == 302
    db.session.expire_all()
    assert admin.organisation.retention_months == 36
    assert "retention_months=36" in _events("update")[-1].detail
    refused = client.post("/admin/settings", data={**data, "retention_months": 6})
    assert refused.status_code == 422
    db.session.expire_all()
    assert admin.organisation.retention_months == 36


def test_reading_the_audit_log_is_itself_audited(client, auth, make):
    admin = make.user("org_admin")
    make.commit()
    auth.login(admin)
    client.get("/audit/?action=denied&page=1")
    [event] = [e for e in _events("view") if e.record_type == "audit_log"]
    assert event.user_id == admin.id and event.detail == "page 1; action=denied"


def test_a_refused_download_is_kept_though_the_request_ends_in_a_403(client, auth, make):
    """The refusal is committed at once: the 403 rolls back the rest of the request."""
    peer = make.user("peer")
    make.commit()
    auth.login(peer)
    assert client.get("/handouts/export.csv").status_code == 403
    [event] = _events("denied")
    assert "export_lists" in event.detail


def test_the_apis_refusals_are_audited_like_the_pages(client, make):
    """A role the API refuses (403), and another organisation's record asked for through the
    API (404): each a "denied" event in the caller's log; an id that exists nowhere is not."""
    from tests.api.conftest import token_for

    mine, theirs = make.org(), make.org()
    platform = make.user("platform_admin", organisation=mine)
    coordinator = make.user("coordinator", organisation=mine)
    handout = make.handout(giver=make.user(organisation=theirs), product=make.product())
    make.commit()
    bearer = {"Authorization": f"Bearer {token_for(client, platform)}"}
    assert client.get("/api/v1/handouts", headers=bearer).status_code == 403
    bearer = {"Authorization": f"Bearer {token_for(client, coordinator)}"}
    void = {"reason": "Recorded twice"}
    res = client.post(f"/api/v1/handouts/{handout.id}/void", json=void, headers=bearer)
    assert res.status_code == 404
    res = client.post("/api/v1/handouts/999999/void", json=void, headers=bearer)
    assert res.status_code == 404
    denied = _events("denied")
    assert [(e.user_id, e.org_id) for e in denied] == [
        (platform.id, mine.id),
        (coordinator.id, mine.id),
    ]
    assert "GET /api/v1/handouts" in denied[0].detail
    assert (denied[1].record_type, denied[1].record_id) == ("handout", handout.id)
