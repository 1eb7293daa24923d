"""The overdose report pages: a quick save, refusing bad input, idempotence and tenant walls."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from outreach.overdoses.models import OverdoseReport


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(OverdoseReport))


def _setup(make):
    org = make.org()
    site = make.site(organisation=org)
    peer = make.user(organisation=org)
    make.commit()
    return org, site, peer


def test_peer_saves_a_report_with_only_who_gave_it_and_where(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/overdoses/new", data={"administered_by": "family_friend", "site_id": site.id}
    )
    assert resp.status_code == 302
    report = db.session.scalar(select(OverdoseReport))
    assert (report.administered_by, report.outcome, report.site_id) == (
        "family_friend",
        "unknown",
        site.id,
    )
    assert (report.doses, report.route, report.emergency_called, report.someone_stayed) == (
        None,
        None,
        None,
        None,
    )
    assert (report.recorded_by_id, report.org_id) == (peer.id, peer.org_id)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Overdose report saved." in page and "Family member or friend" in page


def test_report_page_asks_the_required_questions_before_more_details(client, auth, make):
    _, _, peer = _setup(make)
    auth.login(peer)
    page = client.get("/overdoses/new").get_data(as_text=True)
    details = page.index("<details")
    assert page.index('name="administered_by"') < details
    assert page.index('name="outcome"') < details
    assert page.index('name="place_name"') < details
    assert details < page.index('name="doses"')
    assert "Emergency services called (999 / 112)" in page[details:]


@pytest.mark.parametrize(("answer", "stored"), [("yes", True), ("no", False), ("unknown", None)])
def test_yes_no_unknown_answers_are_stored_as_true_false_or_null(
    client, auth, make, answer, stored
):
    _, site, peer = _setup(make)
    auth.login(peer)
    client.post(
        "/overdoses/new",
        data={
            "administered_by": "peer",
            "site_id": site.id,
            "emergency_called": answer,
            "someone_stayed": answer,
        },
    )
    report = db.session.scalar(select(OverdoseReport))
    assert report.emergency_called is stored and report.someone_stayed is stored


def test_all_details_are_stored_and_the_kit_gives_the_route(client, auth, make):
    _, _, peer = _setup(make)
    product = make.product(route="intranasal")
    make.commit()
    auth.login(peer)
    resp = client.post(
        "/overdoses/new",
        data={
            "administered_by": "peer",
            "outcome": "survived",
            "latitude": "51.48",
            "longitude": "-3.18",
            "doses": 2,
            "product_id": product.id,
            "emergency_called": "yes",
            "someone_stayed": "no",
        },
    )
    assert resp.status_code == 302
    report = db.session.scalar(select(OverdoseReport))
    assert (report.outcome, report.doses, report.product_id, report.route) == (
        "survived",
        2,
        product.id,
        "intranasal",
    )
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert product.name in page and "Nasal spray" in page


def test_too_many_doses_are_refused_and_what_was_typed_is_kept(client, auth, make):
    _, _, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/overdoses/new",
        data={
            "administered_by": "worker",
            "outcome": "survived",
            "place_name": "Cardiff",
            "doses": 99,
        },
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "between 0 and 20" in body
    assert 'value="99"' in body and 'value="Cardiff"' in body
    assert 'checked id="administered_by-2"' in body and 'checked id="outcome-0"' in body
    assert '<details class="more" open' in body  # the error is not hidden in a closed box
    assert _count() == 0


def test_report_without_who_gave_it_or_where_is_refused(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post("/overdoses/new", data={"site_id": site.id, "outcome": "died"})
    assert resp.status_code == 422
    assert "Say who gave the naloxone." in resp.get_data(as_text=True)
    resp = client.post("/overdoses/new", data={"administered_by": "self", "doses": 1})
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "Say where" in body and 'checked id="administered_by-3"' in body
    assert _count() == 0


def test_client_code_is_shown_only_as_recorded(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post(
        "/overdoses/new",
        data={
            "administered_by": "peer",
            "site_id": site.id,
            "client_initials": "AB",
            "client_dob": "1990-01-31",
            "client_sex": "F",
        },
    )
    report = db.session.scalar(select(OverdoseReport))
    assert report.client_hash and len(report.client_hash) == 64
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Recorded" in page and report.client_hash not in page and "1990" not in page


def test_resent_form_with_same_client_id_creates_one_report(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    data = {
        "administered_by": "peer",
        "site_id": site.id,
        "client_id": "7e1d2c3b-4a59-4f6e-8d7c-6b5a4f3e2d1c",
    }
    first = client.post("/overdoses/new", data=data)
    again = client.post("/overdoses/new", data=data)
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert _count() == 1
    creates = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "create")
    )
    assert creates == 1


def test_other_organisations_report_is_404_and_absent_from_list(client, auth, make, add_report):
    coordinator_a = make.user(role="coordinator", organisation=make.org())
    outsider = make.user(organisation=make.org())
    make.commit()
    theirs = add_report(outsider)
    auth.login(coordinator_a)
    assert client.get(f"/overdoses/{theirs.id}").status_code == 404
    listing = client.get("/overdoses/").get_data(as_text=True)
    assert f"/overdoses/{theirs.id}" not in listing and "0 records" in listing


def test_peer_sees_only_own_reports_while_coordinator_sees_all(client, auth, make, add_report):
    org, _, peer = _setup(make)
    other_peer = make.user(organisation=org)
    coordinator = make.user(role="coordinator", organisation=org)
    make.commit()
    mine, theirs = add_report(peer), add_report(other_peer)
    auth.login(peer)
    listing = client.get("/overdoses/").get_data(as_text=True)
    assert f"/overdoses/{mine.id}" in listing and f"/overdoses/{theirs.id}" not in listing
    assert client.get(f"/overdoses/{theirs.id}").status_code == 404
    auth.logout()
    auth.login(coordinator)
    listing = client.get("/overdoses/").get_data(as_text=True)
    assert f"/overdoses/{mine.id}" in listing and f"/overdoses/{theirs.id}" in listing
    assert client.get(f"/overdoses/{theirs.id}").status_code == 200


def test_creating_and_viewing_a_report_are_audited(client, auth, make):
    _, site, peer = _setup(make)
    auth.login(peer)
    resp = client.post("/overdoses/new", data={"administered_by": "peer", "site_id": site.id})
    client.get(resp.headers["Location"])
    report = db.session.scalar(select(OverdoseReport))
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.record_type, AuditEvent.record_id, AuditEvent.user_id)
    ).all()
    assert ("create", "overdose_report", report.id, peer.id) in events
    assert ("view", "overdose_report", report.id, peer.id) in events


def test_list_filters_by_outcome_who_gave_it_and_date(client, auth, make, add_report):
    _, _, peer = _setup(make)
    add_report(peer, outcome="survived", administered_by="peer")
    add_report(peer, outcome="survived", administered_by="worker")
    add_report(peer, outcome="died", administered_by="peer")
    auth.login(peer)
    assert "2 records" in client.get("/overdoses/?outcome=survived").get_data(as_text=True)
    page = client.get("/overdoses/?outcome=survived&administered_by=peer").get_data(as_text=True)
    assert "1 record" in page
    future = (date.today() + timedelta(days=3)).isoformat()
    assert "0 records" in client.get(f"/overdoses/?start={future}").get_data(as_text=True)


def test_list_pages_after_the_page_size(app, client, auth, make, add_report):
    _, _, peer = _setup(make)
    for _ in range(app.config["PAGE_SIZE"] + 1):
        add_report(peer)
    auth.login(peer)
    first = client.get("/overdoses/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "page=2" in first


def test_platform_administrator_cannot_report_overdoses(client, auth, make):
    admin = make.user(role="platform_admin")
    make.commit()
    auth.login(admin)
    assert client.get("/overdoses/new").status_code == 403
    assert client.get("/overdoses/").status_code == 403
