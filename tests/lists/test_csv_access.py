"""Who may download a list as CSV, what they get of it, and the audit and bound of each download."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from tests.lists.conftest import (
    add_contact,
    add_handout,
    add_report,
    at_gps,
    read_csv,
    void,
)

EXPORTS = ("/handouts/export.csv", "/contacts/export.csv", "/overdoses/export.csv")


def _ids(rows) -> set[int]:
    return {int(row[0]) for row in rows[1:]}


@pytest.mark.parametrize("path", EXPORTS)
def test_a_peer_may_not_export_even_their_own_records(client, auth, world, path):
    add_handout(world.peer, world.product, at_gps())
    add_contact(world.peer, at_gps())
    add_report(world.peer, at_gps())
    auth.login(world.peer)
    assert client.get(path).status_code == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


@pytest.mark.parametrize("role", ["trainer", "stock_manager", "org_admin"])
def test_every_staff_role_exports_the_whole_organisations_list(client, auth, make, world, role):
    staff = make.user(role=role, organisation=world.org)
    make.commit()
    mine = add_contact(world.peer, at_gps())
    theirs = add_contact(world.other_peer, at_gps())
    add_contact(world.outsider, at_gps())
    auth.login(staff)
    assert _ids(read_csv(client.get("/contacts/export.csv"))) == {mine.id, theirs.id}


def test_the_platform_administrator_exports_nothing(client, auth, make, world):
    admin = make.user(role="platform_admin", organisation=world.org)
    make.commit()
    auth.login(admin)
    assert {client.get(path).status_code for path in EXPORTS} == {403}


@pytest.mark.parametrize(
    ("path", "add"),
    [
        ("/handouts/export.csv", lambda u, w: add_handout(u, w.product, at_gps())),
        ("/contacts/export.csv", lambda u, w: add_contact(u, at_gps())),
        ("/overdoses/export.csv", lambda u, w: add_report(u, at_gps())),
    ],
)
def test_another_organisations_records_never_appear(client, auth, world, path, add):
    ours = add(world.peer, world)
    add(world.outsider, world)
    auth.login(world.coordinator)
    rows = read_csv(client.get(path))
    assert _ids(rows) == {ours.id}
    assert "Cardiff Peer" not in client.get(path).data.decode("utf-8-sig")


def test_each_download_is_audited_with_its_list_and_number_of_rows(client, auth, world):
    for _ in range(3):
        add_report(world.peer, at_gps(), outcome="survived")
    add_report(world.peer, at_gps(), outcome="died")
    auth.login(world.coordinator)
    client.get("/overdoses/export.csv?outcome=survived")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.record_type, event.user_id, event.org_id) == (
        "overdose_report",
        world.coordinator.id,
        world.org.id,
    )
    assert event.detail == "overdose-reports list as CSV; rows=3; outcome=survived"


def test_the_organisations_administrator_reads_the_download_in_the_audit_log(
    client, auth, make, world
):
    admin = make.user(role="org_admin", organisation=world.org)
    make.commit()
    add_handout(world.peer, world.product, at_gps())
    auth.login(world.coordinator)
    client.get("/handouts/export.csv")
    auth.logout()
    auth.login(admin)
    log = client.get("/audit/?action=export").get_data(as_text=True)
    assert "Exported" in log and "handouts list as CSV; rows=1" in log


def test_too_long_a_list_is_refused_with_a_message_and_nothing_is_exported(
    app, client, auth, world, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 3)
    street = [add_handout(world.peer, world.product, at_gps(), setting="street") for _ in range(4)]
    auth.login(world.coordinator)
    resp = client.get("/handouts/export.csv?setting=street")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/handouts/?setting=street"
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "This list holds 4 records and a download holds at most 3." in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None
    void(street[0], world.coordinator, "handout")  # three live records are within the bound
    assert _ids(read_csv(client.get("/handouts/export.csv?setting=street"))) == {
        h.id for h in street[1:]
    }
